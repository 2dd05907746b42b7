"""The planning office's upkeep of a year's ESG record (issue 11 §3): activities (E/S/G, with a
date or a planned timing), healing programmes and the emotional-labour figures. Each call checks
first and writes in one transaction under the caller's name, or raises ``EsgRefusedError`` (Korean,
naming the field) with nothing written. Edits carry the row's version the user loaded: a row saved
by someone else since is refused. New rows get the next code or number; codes are never shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, SQLModel

from esg.models import EsgActivity, EsgFigure, HealingProgramme
from governance_app.core import changelog, conflicts
from governance_app.core.auth import Actor, require
from governance_app.core.errors import ConflictError, RefusedError
from governance_app.core.i18n import josa
from governance_app.core.queries import fetch
from major_work.models import WorkItem

EDIT = "esg.edit"
CATEGORIES = ("E", "S", "G")
FIELD_LABELS = {
    "category": "구분",
    "title": "활동",
    "detail": "내용",
    "event_date": "일자",
    "timing": "시기",
    "work_item_code": "관련 주요업무",
    "name": "프로그램명",
    "content": "내용",
    "department": "담당부서",
    "label": "항목",
    "value": "실적",
    "unit": "단위",
    "qualifier": "비고",
    "row": "자료",
}


# A refused change (nothing written): the kernel's refusal, naming the field; callers catch it by this name.
EsgRefusedError = RefusedError


def _refused(field: str, message: str) -> RefusedError:
    return RefusedError(None, field, message, label=FIELD_LABELS.get(field, field))


@dataclass(frozen=True)
class ActivityFields:
    category: str  # E | S | G
    title: str
    work_item_code: str
    detail: str | None = None
    event_date: date | None = None
    timing: str | None = None  # a planned activity's timing ("9월") when it has no date yet


@dataclass(frozen=True)
class ProgrammeFields:
    category: str
    name: str
    department: str
    content: str | None = None


@dataclass(frozen=True)
class FigureFields:
    label: str
    value: int | None
    unit: str
    work_item_code: str
    qualifier: str | None = None


def _text(value: str | None) -> str | None:
    return " ".join((value or "").split()) or None


def _required(field: str, value: str | None, what: str) -> str:
    text = _text(value)
    if text is None:
        raise _refused(field, f"{josa(what, '이')} 비어 있습니다")
    return text


def _item_of(session: Session, org_id: int, fiscal_year: int, code: str) -> str:
    if not fetch(session, WorkItem, org_id, WorkItem.fiscal_year == fiscal_year, WorkItem.code == code):
        raise _refused("work_item_code", f"{fiscal_year}년 주요업무에 고른 항목이 없습니다")
    return code


def _activity(session: Session, org_id: int, fiscal_year: int, f: ActivityFields) -> dict[str, Any]:
    if f.category not in CATEGORIES:
        raise _refused("category", f"{josa(repr(f.category), '은')} E(환경)·S(사회)·G(지배구조) 중 하나여야 합니다")
    if f.event_date is not None and not isinstance(f.event_date, date):
        raise _refused("event_date", "일자가 날짜가 아닙니다")
    if f.event_date is not None and f.event_date.year != fiscal_year:
        raise _refused("event_date", f"일자 {josa(f.event_date.isoformat(), '이')} {fiscal_year}년이 아닙니다")
    return {
        "category": f.category,
        "title": _required("title", f.title, "활동명"),
        "detail": _text(f.detail),
        "event_date": f.event_date,
        "timing": _text(f.timing),
        "work_item_code": _item_of(session, org_id, fiscal_year, f.work_item_code),
    }


def _programme(f: ProgrammeFields) -> dict[str, Any]:
    return {
        "category": _required("category", f.category, "구분"),
        "name": _required("name", f.name, "프로그램명"),
        "department": _required("department", f.department, "담당부서"),
        "content": _text(f.content),
    }


def _figure(session: Session, org_id: int, fiscal_year: int, f: FigureFields) -> dict[str, Any]:
    if f.value is None:
        raise _refused("value", "실적이 비어 있습니다")
    if isinstance(f.value, bool) or not isinstance(f.value, int) or f.value < 0:
        raise _refused("value", f"실적 {josa(repr(f.value), '은')} 0 이상의 정수여야 합니다")
    return {
        "label": _required("label", f.label, "항목명"),
        "value": f.value,
        "unit": _required("unit", f.unit, "단위"),
        "qualifier": _text(f.qualifier),
        "work_item_code": _item_of(session, org_id, fiscal_year, f.work_item_code),
    }


def _write(session: Session, actor: Actor, work: Callable[[], Any]) -> dict[str, Any]:
    require(actor, EDIT)
    changelog.attribute(session, actor)
    try:
        row = work()
        session.flush()
        out: dict[str, Any] = row.model_dump() if isinstance(row, SQLModel) else row
        session.commit()
    except conflicts.RACES as exc:
        session.rollback()
        message = "다른 사용자가 먼저 저장했습니다. 화면을 새로 고친 뒤 다시 하십시오"
        raise ConflictError(None, "row", message, label=FIELD_LABELS["row"]) from exc
    except Exception:
        session.rollback()
        raise
    return out


def _stored(session: Session, model: Any, org_id: int, fiscal_year: int, expected_version: int, *where: Any) -> Any:
    found = fetch(session, model, org_id, model.fiscal_year == fiscal_year, *where)
    if not found:
        raise _refused("row", "고친 자료를 찾을 수 없습니다 (다른 사용자가 지웠을 수 있습니다)")
    row = found[0]
    if row.version != expected_version:
        raise _refused("row", "다른 사용자가 먼저 저장했습니다. 화면을 새로 고친 뒤 다시 하십시오")
    return row


def _assign(row: Any, values: dict[str, Any]) -> Any:
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    return row


def _next_code(taken: set[str], prefix: str, start: int) -> str:
    n = start
    while f"{prefix}{n:02d}" in taken:
        n += 1
    return f"{prefix}{n:02d}"


def _add(
    session: Session, model: Any, org_id: int, fiscal_year: int, values: dict[str, Any], code_prefix: str | None
) -> Any:
    """A new row of the year after its last (next seq; the next free code when the table has one)."""
    rows = fetch(session, model, org_id, model.fiscal_year == fiscal_year)
    extra: dict[str, Any] = {"seq": max((r.seq for r in rows), default=0) + 1}
    if code_prefix is not None:
        extra["code"] = _next_code({r.code for r in rows}, code_prefix, len(rows) + 1)
    row = model(org_id=org_id, fiscal_year=fiscal_year, **extra, **values)
    session.add(row)
    return row


# --- activities ----------------------------------------------------------------------------


def add_activity(
    *, session: Session, actor: Actor, org_id: int, fiscal_year: int, fields: ActivityFields
) -> dict[str, Any]:
    def work() -> Any:
        return _add(session, EsgActivity, org_id, fiscal_year, _activity(session, org_id, fiscal_year, fields), "ESG-")

    return _write(session, actor, work)


def edit_activity(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    fiscal_year: int,
    code: str,
    expected_version: int,
    fields: ActivityFields,
) -> dict[str, Any]:
    def work() -> Any:
        values = _activity(session, org_id, fiscal_year, fields)
        return _assign(
            _stored(session, EsgActivity, org_id, fiscal_year, expected_version, EsgActivity.code == code), values
        )

    return _write(session, actor, work)


def delete_activity(
    *, session: Session, actor: Actor, org_id: int, fiscal_year: int, code: str, expected_version: int
) -> dict[str, Any]:
    def work() -> dict[str, Any]:
        row = _stored(session, EsgActivity, org_id, fiscal_year, expected_version, EsgActivity.code == code)
        gone: dict[str, Any] = row.model_dump()
        session.delete(row)
        return gone

    return _write(session, actor, work)


# --- healing programmes --------------------------------------------------------------------


def add_programme(
    *, session: Session, actor: Actor, org_id: int, fiscal_year: int, fields: ProgrammeFields
) -> dict[str, Any]:
    return _write(
        session, actor, lambda: _add(session, HealingProgramme, org_id, fiscal_year, _programme(fields), None)
    )


def edit_programme(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    fiscal_year: int,
    seq: int,
    expected_version: int,
    fields: ProgrammeFields,
) -> dict[str, Any]:
    def work() -> Any:
        where = HealingProgramme.seq == seq
        return _assign(
            _stored(session, HealingProgramme, org_id, fiscal_year, expected_version, where), _programme(fields)
        )

    return _write(session, actor, work)


# --- emotional-labour figures --------------------------------------------------------------


def add_figure(
    *, session: Session, actor: Actor, org_id: int, fiscal_year: int, fields: FigureFields
) -> dict[str, Any]:
    def work() -> Any:
        return _add(session, EsgFigure, org_id, fiscal_year, _figure(session, org_id, fiscal_year, fields), "figure-")

    return _write(session, actor, work)


def edit_figure(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    fiscal_year: int,
    code: str,
    expected_version: int,
    fields: FigureFields,
) -> dict[str, Any]:
    def work() -> Any:
        values = _figure(session, org_id, fiscal_year, fields)
        return _assign(
            _stored(session, EsgFigure, org_id, fiscal_year, expected_version, EsgFigure.code == code), values
        )

    return _write(session, actor, work)
