"""Major work: areas, items with their bullets, plans, contacts and budget links; and the update of
an item's actions and progress by its department.

Reads: ``item_details`` takes the actor: a contact's name and extension are personal data
(``record.personal``) and are None unless ``auth.may_see_personal_data(actor)``.

Progress: the document gives each item its 추진내용 (what has been done: the actions, in sections
of ○/-/※ lines, under a boxed headline) and its 추진계획 (plans, each with a timing and a detail
line). ``update_progress`` lets the planning office and the item's own department rewrite the
actions and the headline, and report how each plan stands: its status (예정 / 추진중 / 완료 / 지연),
the date the status describes and a note. A plan's text, timing, month and detail line are the
document's and stay with the planning office (자료 편집; the timeline's months come from them).
An item's department is the 부 or 실 its contacts head (``상담운영부장`` -> 상담운영부). Concurrent
edits: the caller passes the item's version it loaded; the save bumps it, so the second of two
saves gets a ``ConflictError`` carrying what is stored now, and nothing of it is written.
``status_summary`` counts the plans of each area by status.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from governance_app.core import changelog, conflicts
from governance_app.core.auth import Actor, may, may_see_personal_data, require
from governance_app.core.errors import ConflictError, ItemPermissionError, RefusedError
from governance_app.core.i18n import josa
from governance_app.core.queries import fetch
from major_work.models import (
    PLAN_STATUSES,
    WorkArea,
    WorkBudgetLink,
    WorkBullet,
    WorkContact,
    WorkItem,
    WorkPlan,
)
from staffing.models import Department

UPDATE = "work.update"
LEVELS = (1, 2, 3)  # ○, -, ※
STATUSES = PLAN_STATUSES  # 예정, 추진중, 완료, 지연
NOT_REPORTED = "미보고"  # a plan without a status (status_summary)
FIELD_LABELS = {
    "code": "번호",
    "department": "부서",
    "version": "버전",
    "highlight": "추진내용 요약",
    "actions": "추진내용",
    "section": "구분",
    "level": "수준",
    "text": "내용",
    "plans": "추진계획",
    "status": "추진 상태",
    "status_on": "상태 기준일",
    "progress_note": "진행 메모",
}


@dataclass(frozen=True)
class Contact:
    """A 담당자 line. ``name`` and ``phone`` are personal data: None unless the reader may see them."""

    seq: int
    role: str
    name: str | None
    phone: str | None
    department: str | None  # the unit the role heads (상담운영부장 -> 상담운영부), None for 담당


@dataclass(frozen=True)
class ItemDetail:
    item: WorkItem
    bullets: list[WorkBullet]
    plans: list[WorkPlan]
    contacts: list[Contact]  # names and extensions only for readers who may see personal data
    budget_lines: list[WorkBudgetLink]
    departments: tuple[str, ...]  # the 부·실 that own the item (update_progress)


def areas(session: Session, org_id: int, fiscal_year: int) -> list[WorkArea]:
    return sorted(fetch(session, WorkArea, org_id, WorkArea.fiscal_year == fiscal_year), key=lambda a: a.number)


def _units(session: Session, org_id: int, fiscal_year: int) -> list[Department]:
    # longest names first, so a unit whose name begins with another's is matched as itself
    rows = fetch(session, Department, org_id, Department.fiscal_year == fiscal_year)
    return sorted(rows, key=lambda d: -len(d.name))


def _unit_of(role: str, units: list[Department]) -> Department | None:
    """The unit a contact's role heads: 상담운영부장 -> 상담운영부, 기획조정실 차장 -> 기획조정실."""
    return next((d for d in units if role.startswith(d.name)), None)


def _owners(contacts: Sequence[WorkContact], units: list[Department]) -> tuple[str, ...]:
    """The 부·실 an item's contacts head (a 본부 is the line above, not the working department)."""
    found = (_unit_of(c.role, units) for c in sorted(contacts, key=lambda c: c.seq))
    return tuple(dict.fromkeys(d.name for d in found if d is not None and d.kind != "본부"))


def item_details(session: Session, org_id: int, fiscal_year: int, *, actor: Actor) -> list[ItemDetail]:
    """Every item with its bullets, plans, contacts and budget links, in document order; the
    contacts' names and extensions only when ``actor`` may see personal data (else None)."""

    def grouped(model: Any, order: str = "seq") -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = defaultdict(list)
        rows = fetch(session, model, org_id, model.fiscal_year == fiscal_year)
        for row in sorted(rows, key=lambda r: getattr(r, order)):
            out[row.item_code].append(row)
        return out

    personal = may_see_personal_data(actor)
    units = _units(session, org_id, fiscal_year)
    bullets, plans = grouped(WorkBullet), grouped(WorkPlan)
    contacts, links = grouped(WorkContact), grouped(WorkBudgetLink, "budget_line_code")
    items = sorted(fetch(session, WorkItem, org_id, WorkItem.fiscal_year == fiscal_year), key=lambda i: i.seq)
    out = []
    for i in items:
        people = contacts[i.code]
        shown = [
            Contact(
                c.seq,
                c.role,
                c.name if personal else None,
                c.phone if personal else None,
                (unit.name if (unit := _unit_of(c.role, units)) else None),
            )
            for c in people
        ]
        out.append(ItemDetail(i, bullets[i.code], plans[i.code], shown, links[i.code], _owners(people, units)))
    return out


# --- progress ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A line of 추진내용: ``level`` 1 is ○, 2 is -, 3 is a note (※)."""

    section: str
    level: int
    text: str


@dataclass(frozen=True)
class PlanProgress:
    seq: int
    text: str
    timing: str
    detail: str | None  # the document's line under the plan (the planning office's)
    status: str | None  # one of STATUSES; None = not yet reported
    status_on: date | None  # the date the status describes
    progress_note: str | None  # the department's latest note


@dataclass(frozen=True)
class PlanUpdate:
    """How a plan stands, as ``update_progress`` stores it: all three fields are replaced.

    ``status`` is one of STATUSES, or None / "" (not yet reported); ``status_on`` is required
    with a status and refused without one; ``progress_note`` "" or None clears the note."""

    status: str | None
    status_on: date | None
    progress_note: str | None = None


@dataclass(frozen=True)
class ItemProgress:
    """What ``update_progress`` changes, as stored now (no personal data)."""

    item_code: str
    title: str
    version: int
    departments: tuple[str, ...]
    highlight: str | None
    actions: list[Action]
    plans: list[PlanProgress]


def _refused(item_code: str, field: str, message: str, plan_seq: int | None = None) -> RefusedError:
    """A refusal naming the item, the field's label and, for a plan's field, the plan."""
    return RefusedError(item_code, field, message, label=FIELD_LABELS.get(field, field), plan_seq=plan_seq)


def _version_conflict(item_code: str, expected_version: int, current: ItemProgress) -> ConflictError:
    """Someone saved the item since the user loaded it; ``current`` is what is stored now."""
    return ConflictError(
        item_code,
        "version",
        f"다른 사용자가 먼저 저장했습니다 (불러온 버전 {expected_version}, 현재 버전 {current.version})",
        label=FIELD_LABELS["version"],
        expected=expected_version,
        current=current,
        expected_version=expected_version,
    )


def _item(session: Session, org_id: int, fiscal_year: int, item_code: str) -> WorkItem | None:
    found = fetch(session, WorkItem, org_id, WorkItem.fiscal_year == fiscal_year, WorkItem.code == item_code)
    return found[0] if found else None


def _rows(session: Session, model: Any, org_id: int, fiscal_year: int, item_code: str) -> list[Any]:
    rows = fetch(session, model, org_id, model.fiscal_year == fiscal_year, model.item_code == item_code)
    return sorted(rows, key=lambda r: r.seq)


def _departments(session: Session, org_id: int, fiscal_year: int, item_code: str) -> tuple[str, ...]:
    contacts = _rows(session, WorkContact, org_id, fiscal_year, item_code)
    return _owners(contacts, _units(session, org_id, fiscal_year))


def progress(session: Session, org_id: int, fiscal_year: int, item_code: str) -> ItemProgress | None:
    """An item's actions, headline and plans with its version, for the update form."""
    row = _item(session, org_id, fiscal_year, item_code)
    if row is None:
        return None
    return ItemProgress(
        row.code,
        row.title,
        row.version,
        _departments(session, org_id, fiscal_year, item_code),
        row.highlight,
        [Action(b.section, b.level, b.text) for b in _rows(session, WorkBullet, org_id, fiscal_year, item_code)],
        [
            PlanProgress(p.seq, p.text, p.timing, p.detail, p.status, p.status_on, p.progress_note)
            for p in _rows(session, WorkPlan, org_id, fiscal_year, item_code)
        ],
    )


def may_update(actor: Actor, departments: Sequence[str]) -> bool:
    """The planning office: every item; a department: items its own department owns."""
    if not may(actor, UPDATE):
        return False
    return actor.role != "department" or (actor.department is not None and actor.department in departments)


def _require_update(actor: Actor, item_code: str, departments: tuple[str, ...]) -> None:
    require(actor, UPDATE)
    if not may_update(actor, departments):
        owners = "·".join(departments) or "담당 부서가 없는"
        raise ItemPermissionError(
            item_code,
            f"{actor.department or '부서 미지정'} 소속 계정({actor.username})으로는 {owners} 항목을 변경할 수 없습니다",
            label=FIELD_LABELS["department"],
        )


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def _checked_actions(item_code: str, actions: Sequence[Action]) -> list[Action]:
    out = []
    for n, a in enumerate(actions, 1):
        section, text = _text(a.section), _text(a.text)
        if section is None:
            raise _refused(item_code, "section", f"추진내용 {n}번째 줄의 구분이 비어 있습니다")
        if isinstance(a.level, bool) or a.level not in LEVELS:
            message = f"추진내용 {n}번째 줄의 수준 {josa(repr(a.level), '은')} 1·2·3 중 하나여야 합니다"
            raise _refused(item_code, "level", message)
        if text is None:
            raise _refused(item_code, "text", f"추진내용 {n}번째 줄의 내용이 비어 있습니다")
        out.append(Action(section, a.level, text))
    return out


def _checked_plan(item_code: str, plan: WorkPlan, wanted: PlanUpdate) -> tuple[str | None, date | None, str | None]:
    """(status, status_on, progress_note) to store, or RefusedError naming the plan and the field."""

    def refused(field: str, message: str) -> RefusedError:
        return _refused(item_code, field, f"추진계획 {plan.seq}번 「{plan.text}」: {message}", plan_seq=plan.seq)

    status = (wanted.status.strip() or None) if isinstance(wanted.status, str) else wanted.status
    if status is not None and status not in STATUSES:
        raise refused("status", f"상태 {josa(repr(status), '은')} {'·'.join(STATUSES)} 중 하나여야 합니다")
    on = wanted.status_on
    if isinstance(on, datetime):
        on = on.date()
    elif isinstance(on, str):
        try:
            on = date.fromisoformat(on.strip()) if on.strip() else None
        except ValueError:
            raise refused("status_on", f"기준일 {josa(repr(on), '은')} 날짜(2025-10-01 형식)가 아닙니다") from None
    elif on is not None and not isinstance(on, date):
        raise refused("status_on", f"기준일 {josa(repr(on), '은')} 날짜가 아닙니다")
    if status is not None and on is None:
        raise refused("status_on", f"상태({status})의 기준일이 없습니다")
    if status is None and on is not None:
        raise refused("status", f"기준일({on.isoformat()})만 있고 상태가 없습니다")
    return status, on, _text(wanted.progress_note)


def update_progress(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    fiscal_year: int,
    item_code: str,
    expected_version: int,
    highlight: str | None = None,
    actions: Sequence[Action] | None = None,
    plans: dict[int, PlanUpdate] | None = None,
) -> ItemProgress:
    """Rewrite a work item's 추진내용 (``actions``: every line in order, replacing the stored ones),
    its headline (``highlight``; "" clears it) and how plans stand (``plans``: plan seq ->
    PlanUpdate, replacing the plan's status, status date and note; plans not named are left
    alone). An argument left None is not changed. A plan's text, timing, month and detail line
    (the document's) are not changed here.

    The planning office may update every item, a department user its own department's items
    (``ItemDetail.departments``). ``expected_version`` is the item's version the user loaded: if
    someone saved the item since, ConflictError carries what is stored now and nothing is written.
    Everything is checked first and written in one transaction.
    """
    require(actor, UPDATE)
    changelog.attribute(session, actor)
    try:
        row = _item(session, org_id, fiscal_year, item_code)
        if row is None:
            raise _refused(item_code, "code", f"{fiscal_year}년 주요업무에 이 항목이 없습니다")
        _require_update(actor, item_code, _departments(session, org_id, fiscal_year, item_code))
        if row.version != expected_version:
            raise _conflict(session, org_id, fiscal_year, item_code, expected_version)
        wanted = _checked_actions(item_code, actions) if actions is not None else None
        stored_plans = {p.seq: p for p in _rows(session, WorkPlan, org_id, fiscal_year, item_code)}
        reported = {}
        for seq, wanted_plan in (plans or {}).items():
            if seq not in stored_plans:
                raise _refused(item_code, "plans", f"추진계획 {seq}번이 없습니다", plan_seq=seq)
            reported[seq] = _checked_plan(item_code, stored_plans[seq], wanted_plan)

        # The item's version guards the whole item (its bullets and plans too): bump it first, so
        # the UPDATE ... WHERE version = <loaded> runs (and on PostgreSQL locks the row) before any
        # other write, and a save that raced ours matches nothing (StaleDataError).
        row.version = expected_version + 1
        if highlight is not None:
            row.highlight = _text(highlight)
        session.flush()
        if wanted is not None:
            stored = _rows(session, WorkBullet, org_id, fiscal_year, item_code)
            for seq, action in enumerate(wanted, 1):
                if seq <= len(stored):
                    bullet = stored[seq - 1]
                    for name in ("section", "level", "text"):
                        if getattr(bullet, name) != getattr(action, name):
                            setattr(bullet, name, getattr(action, name))
                else:
                    session.add(
                        WorkBullet(
                            org_id=org_id,
                            fiscal_year=fiscal_year,
                            item_code=item_code,
                            seq=seq,
                            section=action.section,
                            level=action.level,
                            text=action.text,
                        )
                    )
            for bullet in stored[len(wanted) :]:
                session.delete(bullet)
        for seq, values in reported.items():
            plan = stored_plans[seq]
            for name, value in zip(("status", "status_on", "progress_note"), values, strict=True):
                if getattr(plan, name) != value:
                    setattr(plan, name, value)
        session.flush()
        session.commit()
    except conflicts.RACES as exc:  # saved by someone else between our read and write
        session.rollback()
        raise _conflict(session, org_id, fiscal_year, item_code, expected_version) from exc
    except Exception:
        session.rollback()
        raise
    saved = progress(session, org_id, fiscal_year, item_code)
    assert saved is not None
    return saved


def _conflict(
    session: Session, org_id: int, fiscal_year: int, item_code: str, expected_version: int
) -> RefusedError | ConflictError:
    session.expire_all()
    current = progress(session, org_id, fiscal_year, item_code)
    if current is None:
        return _refused(item_code, "code", "다른 사용자가 이 항목을 삭제했습니다")
    return _version_conflict(item_code, expected_version, current)


# --- status of the plans ---------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCount:
    """The plans of an area (or of every area: ``area_number`` None, the 계 row) by status."""

    area_number: int | None
    title: str
    counts: dict[str, int]  # every status of STATUSES, then NOT_REPORTED -> number of plans
    total: int


def status_summary(session: Session, org_id: int, fiscal_year: int) -> list[StatusCount]:
    """Per area in order, then the 계 row: how many of its plans are 예정, 추진중, 완료, 지연 or
    not yet reported (미보고)."""
    area_of = {i.code: i.area_number for i in fetch(session, WorkItem, org_id, WorkItem.fiscal_year == fiscal_year)}
    counted: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys((*STATUSES, NOT_REPORTED), 0))
    for plan in fetch(session, WorkPlan, org_id, WorkPlan.fiscal_year == fiscal_year):
        counted[area_of[plan.item_code]][plan.status or NOT_REPORTED] += 1
    out = []
    for area in areas(session, org_id, fiscal_year):
        counts = dict(counted[area.number])
        out.append(StatusCount(area.number, area.title, counts, sum(counts.values())))
    every = {k: sum(row.counts[k] for row in out) for k in (*STATUSES, NOT_REPORTED)}
    out.append(StatusCount(None, "계", every, sum(every.values())))
    return out
