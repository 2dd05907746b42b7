"""The planning office's upkeep of a year's major work (issue 11 §3): add and edit work items, put
them in order within their area, and add, edit and reorder an item's plans (추진계획). The 추진내용
lines (bullets) are rewritten, added and removed with ``service.update_progress``; ``reorder_bullets``
puts them in a new order.

Each call is checked first and written in one transaction under the caller's name, or refused
with a ``RefusedError`` (core.errors: Korean, naming the item and the field) and nothing written.
Writes on an item's plans and bullets carry the item's version the user loaded, as ``update_progress``
does: a save racing another gets a ``ConflictError``.

Reordering moves the contents, not the keys: plan 2 keeps the key ``2025/2-1/2`` and takes the
text (and status) of the plan that moves there, so the timeline and the CSV files keep their
references; the change log shows each moved field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from governance_app.core import changelog, conflicts
from governance_app.core.auth import Actor, require
from governance_app.core.i18n import josa
from governance_app.core.queries import fetch
from major_work.models import WorkArea, WorkBullet, WorkItem, WorkPlan
from major_work.service import ItemProgress, _conflict, _item, _refused, _rows, progress

EDIT = "work.edit"
MONTH_TIMING = re.compile(r"^(\d{1,2})월$")
PLAN_FIELDS = ("text", "timing", "month", "detail", "status", "status_on", "progress_note")
BULLET_FIELDS = ("section", "level", "text")


@dataclass(frozen=True)
class ItemFields:
    """What the planning office writes of an item (the document's 목적, 내용, 사업비 in 천원 …)."""

    title: str
    lead: str
    purpose: str
    content: str
    cost_thousand: int | None = None


@dataclass(frozen=True)
class PlanFields:
    """A plan's document lines: ``timing`` such as 9월, 연간, 매월, 상시 (a month's number is taken
    from "N월"), ``detail`` the line under it."""

    text: str
    timing: str
    detail: str | None = None


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def _checked_item(code: str, fields: ItemFields) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, label in (("title", "사업명"), ("lead", "개요"), ("purpose", "목적"), ("content", "내용")):
        text = (getattr(fields, name) or "").strip()
        if not text:
            raise _refused(code, name, f"{josa(label, '이')} 비어 있습니다")
        out[name] = text
    cost = fields.cost_thousand
    if cost is not None and (isinstance(cost, bool) or not isinstance(cost, int) or cost < 0):
        raise _refused(code, "cost_thousand", f"사업비 {josa(repr(cost), '은')} 0 이상의 천원 단위 정수여야 합니다")
    out["cost_thousand"] = cost
    return out


def _checked_plan(code: str, n: int, fields: PlanFields) -> dict[str, Any]:
    text, timing = _clean(fields.text), _clean(fields.timing)
    if not text:
        raise _refused(code, "text", f"추진계획 {n}번의 내용이 비어 있습니다", plan_seq=n)
    if not timing:
        raise _refused(code, "timing", f"추진계획 {n}번의 시기가 비어 있습니다 (예: 9월, 연간, 매월, 상시)", plan_seq=n)
    month = None
    if found := MONTH_TIMING.match(timing):
        month = int(found.group(1))
        if not 1 <= month <= 12:
            raise _refused(
                code, "timing", f"추진계획 {n}번의 시기 {josa(repr(timing), '은')} 1월~12월이 아닙니다", plan_seq=n
            )
    return {"text": text, "timing": timing, "month": month, "detail": _clean(fields.detail) or None}


def _begin(session: Session, actor: Actor) -> None:
    require(actor, EDIT)
    changelog.attribute(session, actor)


def _locked_item(
    session: Session,
    org_id: int,
    fiscal_year: int,
    item_code: str,
    expected_version: int,
    values: dict[str, object] | None = None,
) -> WorkItem:
    """The item (with ``values`` set), its version bumped and flushed first (as update_progress
    does) so a racing save fails."""
    row = _item(session, org_id, fiscal_year, item_code)
    if row is None:
        raise _refused(item_code, "code", f"{fiscal_year}년 주요업무에 이 항목이 없습니다")
    if row.version != expected_version:
        raise _conflict(session, org_id, fiscal_year, item_code, expected_version)
    for name, value in (values or {}).items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    row.version = expected_version + 1
    session.flush()
    return row


def _commit(session: Session, org_id: int, fiscal_year: int, item_code: str, expected_version: int) -> ItemProgress:
    try:
        session.flush()
        session.commit()
    except conflicts.RACES as exc:
        session.rollback()
        raise _conflict(session, org_id, fiscal_year, item_code, expected_version) from exc
    saved = progress(session, org_id, fiscal_year, item_code)
    assert saved is not None
    return saved


def _guarded(
    session: Session, org_id: int, fiscal_year: int, item_code: str, expected_version: int, work: Callable[[], None]
) -> ItemProgress:
    try:
        work()
    except conflicts.RACES as exc:
        session.rollback()
        raise _conflict(session, org_id, fiscal_year, item_code, expected_version) from exc
    except Exception:
        session.rollback()
        raise
    return _commit(session, org_id, fiscal_year, item_code, expected_version)


# --- items ---------------------------------------------------------------------------------


def add_item(
    *, session: Session, actor: Actor, org_id: int, fiscal_year: int, area_number: int, fields: ItemFields
) -> ItemProgress:
    """A new item at the end of its area, numbered after the area's items ("2-4" after "2-3")."""
    _begin(session, actor)
    try:
        areas = {a.number for a in fetch(session, WorkArea, org_id, WorkArea.fiscal_year == fiscal_year)}
        if area_number not in areas:
            raise _refused(
                str(area_number), "area_number", f"{fiscal_year}년 주요업무에 {area_number}번 분야가 없습니다"
            )
        items = fetch(session, WorkItem, org_id, WorkItem.fiscal_year == fiscal_year)
        taken = {i.code for i in items}
        n = sum(1 for i in items if i.area_number == area_number) + 1
        while f"{area_number}-{n}" in taken:
            n += 1
        code = f"{area_number}-{n}"
        values = _checked_item(code, fields)
        # after the area's last item; the items after it (later areas) move down one
        in_area = [i.seq for i in items if i.area_number == area_number]
        seq = max(in_area) + 1 if in_area else 1 + max((i.seq for i in items if i.area_number < area_number), default=0)
        for later in (i for i in items if i.seq >= seq):
            later.seq += 1
        session.add(
            WorkItem(org_id=org_id, fiscal_year=fiscal_year, code=code, area_number=area_number, seq=seq, **values)
        )
        session.flush()
        session.commit()
    except Exception:
        session.rollback()
        raise
    saved = progress(session, org_id, fiscal_year, code)
    assert saved is not None
    return saved


def edit_item(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    fiscal_year: int,
    item_code: str,
    expected_version: int,
    fields: ItemFields,
) -> ItemProgress:
    """Rewrite an item's title, lead, purpose, content and 사업비."""
    _begin(session, actor)

    def work() -> None:
        _locked_item(session, org_id, fiscal_year, item_code, expected_version, _checked_item(item_code, fields))

    return _guarded(session, org_id, fiscal_year, item_code, expected_version, work)


def move_item(
    *, session: Session, actor: Actor, org_id: int, fiscal_year: int, item_code: str, steps: int
) -> list[str]:
    """Move an item ``steps`` places within its area (negative: up); returns the area's codes in
    their new order. Its number stays (the timeline and ESG activities refer to it)."""
    _begin(session, actor)
    try:
        row = _item(session, org_id, fiscal_year, item_code)
        if row is None:
            raise _refused(item_code, "code", f"{fiscal_year}년 주요업무에 이 항목이 없습니다")
        area = sorted(
            fetch(
                session, WorkItem, org_id, WorkItem.fiscal_year == fiscal_year, WorkItem.area_number == row.area_number
            ),
            key=lambda i: i.seq,
        )
        at = next(n for n, i in enumerate(area) if i.code == item_code)
        to = at + steps
        if steps == 0 or not 0 <= to < len(area):
            raise _refused(item_code, "seq", "분야 안에서 더 옮길 수 없습니다")
        seqs = [i.seq for i in area]
        moved = area.pop(at)
        area.insert(to, moved)
        for item, seq in zip(area, seqs, strict=True):
            if item.seq != seq:
                item.seq = seq
        session.flush()
        session.commit()
    except Exception:
        session.rollback()
        raise
    return [i.code for i in area]


# --- plans and bullets ---------------------------------------------------------------------


def add_plan(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    fiscal_year: int,
    item_code: str,
    expected_version: int,
    fields: PlanFields,
) -> ItemProgress:
    """A new plan after the item's last (not yet reported: no status)."""
    _begin(session, actor)

    def work() -> None:
        plans = _rows(session, WorkPlan, org_id, fiscal_year, item_code)
        seq = max((p.seq for p in plans), default=0) + 1
        values = _checked_plan(item_code, seq, fields)
        _locked_item(session, org_id, fiscal_year, item_code, expected_version)
        session.add(WorkPlan(org_id=org_id, fiscal_year=fiscal_year, item_code=item_code, seq=seq, **values))

    return _guarded(session, org_id, fiscal_year, item_code, expected_version, work)


def edit_plans(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    fiscal_year: int,
    item_code: str,
    expected_version: int,
    plans: dict[int, PlanFields],
) -> ItemProgress:
    """Rewrite plans' text, timing and detail line (plan seq -> PlanFields); their status stays."""
    _begin(session, actor)

    def work() -> None:
        stored = {p.seq: p for p in _rows(session, WorkPlan, org_id, fiscal_year, item_code)}
        checked = {}
        for seq, fields in plans.items():
            if seq not in stored:
                raise _refused(item_code, "plans", f"추진계획 {seq}번이 없습니다", plan_seq=seq)
            checked[seq] = _checked_plan(item_code, seq, fields)
        _locked_item(session, org_id, fiscal_year, item_code, expected_version)
        for seq, values in checked.items():
            for name, value in values.items():
                if getattr(stored[seq], name) != value:
                    setattr(stored[seq], name, value)

    return _guarded(session, org_id, fiscal_year, item_code, expected_version, work)


def _reorder(item_code: str, rows: list[Any], order: Sequence[int], what: str) -> list[tuple[Any, int]]:
    """(row, the seq whose contents it takes) for ``order``, or RefusedError."""
    seqs = [r.seq for r in rows]
    if len(order) != len(seqs) or sorted(order) != sorted(seqs):
        raise _refused(item_code, "seq", f"{what}의 새 순서가 지금의 {what}({len(seqs)}개)와 맞지 않습니다")
    return list(zip(rows, order, strict=True))


def _move_contents(moves: list[tuple[Any, int]], fields: tuple[str, ...]) -> None:
    by_seq = {row.seq: {f: getattr(row, f) for f in fields} for row, _ in moves}
    for row, source in moves:
        for name, value in by_seq[source].items():
            if getattr(row, name) != value:
                setattr(row, name, value)


def reorder_plans(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    fiscal_year: int,
    item_code: str,
    expected_version: int,
    order: Sequence[int],
) -> ItemProgress:
    """Put the plans in ``order`` (the plan seqs, first to last), each with its status."""
    _begin(session, actor)

    def work() -> None:
        moves = _reorder(item_code, _rows(session, WorkPlan, org_id, fiscal_year, item_code), order, "추진계획")
        _locked_item(session, org_id, fiscal_year, item_code, expected_version)
        _move_contents(moves, PLAN_FIELDS)

    return _guarded(session, org_id, fiscal_year, item_code, expected_version, work)


def reorder_bullets(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    fiscal_year: int,
    item_code: str,
    expected_version: int,
    order: Sequence[int],
) -> ItemProgress:
    """Put the 추진내용 lines in ``order``: their current positions (1 = first line), first to last."""
    _begin(session, actor)

    def work() -> None:
        rows = _rows(session, WorkBullet, org_id, fiscal_year, item_code)
        at = {n: r.seq for n, r in enumerate(rows, 1)}
        seqs = [at.get(n, -n) for n in order]  # an unknown position fails the check below
        moves = _reorder(item_code, rows, seqs, "추진내용")
        _locked_item(session, org_id, fiscal_year, item_code, expected_version)
        _move_contents(moves, BULLET_FIELDS)

    return _guarded(session, org_id, fiscal_year, item_code, expected_version, work)
