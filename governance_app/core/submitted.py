"""The freeze guard: no write touches what a submitted (제출) round reported.

One check, ``check_writable``, decides for every created, changed or deleted row whether it
belongs to a submitted round, keyed on the row's own fiscal year or date:

- a row with a ``fiscal_year`` column belongs to the round of that year (statements, the
  organisation and duties, the ARS menu, budget amounts and 증감, work areas, items, bullets,
  plans, contacts and budget links, the timeline, ESG activities, programmes and figures);
- dated snapshots belong to every submitted round whose as-of date they do not follow: execution
  snapshots up to the round's execution as-of date; call statistics periods (and their counts,
  averages and phone figures), staffing counts (and their grades) and figures stated in prose up
  to its report date;
- a board term belongs to a submitted round when the change alters who held which seat on or
  before the round's report date (appointing a successor or ending a term later is free);
- the round's own ``report`` row may only lose or gain ``is_current``.

A session runs the check before every flush (``before_flush``), so the import, the table editor,
every form and every upload are refused the same way, with ``RoundSubmittedError`` naming the
round, before anything reaches the database; the caller's transaction then rolls back. The audit
follow-up record is not round-scoped: items carried into later rounds keep their history going,
and what a submitted round reported of them stays in its stored documents (RoundDocument).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import SQLModel, col

from governance_app.core.errors import RefusalError
from governance_app.core.formatting import date_ko
from governance_app.core.i18n import TABLE_LABELS
from governance_app.core.models import SUBMITTED, Report, RoundState

# Dated snapshot tables: table -> (date column, the round's date it is compared with).
DATED = {
    "execution_snapshot": ("as_of", "execution_as_of"),
    "call_period": ("end_date", "report_date"),
    "staffing_snapshot": ("as_of", "report_date"),
    "reported_figure": ("as_of", "report_date"),
}
# Child tables of a dated snapshot: table -> (column naming the parent, parent table).
CHILDREN = {
    "channel_count": ("period_code", "call_period"),
    "daily_average": ("period_code", "call_period"),
    "phone_performance": ("period_code", "call_period"),
    "staff_grade": ("snapshot_code", "staffing_snapshot"),
}
TERM_FIELDS = ("seat_code", "person_code", "start_date", "end_date", "while_in_office")


class RoundSubmittedError(RefusalError):
    """A write touching a submitted round; nothing was written."""

    def __init__(self, report_code: str, submitted_on: date | None, table: str, what: str):
        self.report_code = report_code
        self.table = table
        when = f" ({date_ko(submitted_on)})" if submitted_on else ""
        label = TABLE_LABELS.get(table, table)
        super().__init__(
            f"{report_code} 회차는 제출되었습니다{when}. 제출된 회차의 자료({label}: {what})는 바꿀 수 없습니다. "
            "고쳐야 하면 기획조정실이 사유를 적어 회차를 다시 여십시오 (round reopen)."
        )


@dataclass(frozen=True)
class SubmittedRound:
    code: str
    fiscal_year: int
    report_date: date
    execution_as_of: date
    submitted_on: date | None


def submitted_rounds(session: OrmSession, org_id: int) -> list[SubmittedRound]:
    """The organisation's submitted rounds (one query)."""
    rows = session.connection().execute(
        select(
            col(Report.code),
            col(Report.fiscal_year),
            col(Report.report_date),
            col(Report.execution_as_of),
            col(RoundState.changed_at),
        )
        .join(RoundState, (col(RoundState.org_id) == Report.org_id) & (col(RoundState.report_code) == Report.code))
        .where(col(Report.org_id) == org_id, col(RoundState.state) == SUBMITTED)
    )
    return [SubmittedRound(r[0], r[1], r[2], r[3], r[4].date() if r[4] else None) for r in rows]


Change = tuple[str, Any]  # (create | update | delete, the ORM instance)


def check_writable(session: OrmSession, changes: Iterable[Change]) -> None:
    """Raise RoundSubmittedError when any change touches a submitted round (see the module doc)."""
    rounds: dict[int, list[SubmittedRound]] = {}
    for action, obj in changes:
        table = inspect(obj).mapper.local_table
        if not _scoped(table):
            continue
        org_id = getattr(obj, "org_id", None)
        if org_id is None:
            continue
        if org_id not in rounds:
            rounds[org_id] = submitted_rounds(session, org_id)
        if not rounds[org_id]:
            continue
        old, new = _values(obj, action)
        if action == "update" and old == new:
            continue
        for r in rounds[org_id]:
            what = _touches(session, table.name, org_id, old, new, r)
            if what:
                raise RoundSubmittedError(r.code, r.submitted_on, table.name, what)


def _scoped(table: Any) -> bool:
    return (
        "fiscal_year" in table.c
        or table.name in DATED
        or table.name in CHILDREN
        or table.name in ("board_term", "report")
    )


def _values(obj: Any, action: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The row's column values before and after the change (None for a side that does not exist)."""
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        now = getattr(obj, attr.key)
        after[attr.key] = now
        before[attr.key] = history.deleted[0] if history.deleted else now
    for ignored in ("version",):
        before.pop(ignored, None)
        after.pop(ignored, None)
    if action == "create":
        return None, after
    if action == "delete":
        return before, None
    return before, after


def _touches(
    session: OrmSession,
    table: str,
    org_id: int,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    r: SubmittedRound,
) -> str | None:
    """What of round ``r`` the change touches (for the message), or None."""
    sides = [v for v in (old, new) if v is not None]
    if table == "report":
        if old is not None and old["code"] == r.code:
            changed = [k for k in old if new is None or (k != "is_current" and old[k] != new[k])]
            return f"회차 {r.code}" if changed else None
        return None
    if table == "board_term":
        if _term_until(old, r.report_date) != _term_until(new, r.report_date):
            row = sides[0]
            return f"{row['seat_code']} {row['person_code']} 임기 ({date_ko(r.report_date)} 이전)"
        return None
    if "fiscal_year" in sides[0]:
        if any(v["fiscal_year"] == r.fiscal_year for v in sides):
            return f"{r.fiscal_year}년 자료"
        return None
    if table in DATED:
        column, limit_name = DATED[table]
        limit = getattr(r, limit_name)
        if any(v[column] is not None and v[column] <= limit for v in sides):
            return f"{date_ko(limit)} 이전 기준 자료"
        return None
    parent_column, parent = CHILDREN[table]
    column, limit_name = DATED[parent]
    limit = getattr(r, limit_name)
    for v in sides:
        on = _parent_date(session, parent, column, org_id, v[parent_column])
        if on is not None and on <= limit:
            return f"{v[parent_column]} ({date_ko(on)} 기준)"
    return None


def _term_until(values: dict[str, Any] | None, on: date) -> tuple[Any, ...] | None:
    """What a term row says about the seats up to ``on``: None when it starts after ``on``."""
    if values is None or values["start_date"] > on:
        return None
    end = values["end_date"]
    return (
        values["seat_code"],
        values["person_code"],
        values["start_date"],
        end if end is not None and end < on else None,
        values["while_in_office"],
    )


def _parent_date(session: OrmSession, parent: str, column: str, org_id: int, code: str) -> date | None:
    table = SQLModel.metadata.tables[parent]
    row = (
        session.connection()
        .execute(select(table.c[column]).where(table.c.org_id == org_id, table.c.code == code))
        .first()
    )
    return row[0] if row else None


@event.listens_for(OrmSession, "before_flush")
def _guard_flush(session: OrmSession, _context: Any, _instances: Any) -> None:
    changes: list[Change] = [("create", o) for o in session.new]
    changes += [("update", o) for o in session.dirty if session.is_modified(o)]
    changes += [("delete", o) for o in session.deleted]
    if changes:
        check_writable(session, changes)
