"""What the audit follow-up asks of someone today: closed items awaiting the auditor's 감사 확인,
items the auditor sent back (보완 요구) that their department has not closed again, open items
past their 기한, and open items not updated for STALE_AFTER_DAYS (workflow)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from audit_followup import workflow
from audit_followup.service import follow_ups, items, latest_changes


@dataclass(frozen=True)
class AuditTask:
    code: str
    request: str
    department: str | None
    status: str
    due_date: date | None
    days_since_update: int | None
    reason: str | None = None  # 보완 요구: the auditor's reason


@dataclass(frozen=True)
class AuditTodo:
    awaiting_signoff: tuple[AuditTask, ...]  # 완료 or 미반영 with no sign-off that holds
    overdue: tuple[AuditTask, ...]
    stale: tuple[AuditTask, ...]
    returned: tuple[AuditTask, ...] = ()  # 보완 요구, open again with the department

    @property
    def empty(self) -> bool:
        return not (self.awaiting_signoff or self.overdue or self.stale or self.returned)


def audit_todo(
    session: Session, org_id: int, session_code: str, on: date, *, department: str | None = None
) -> AuditTodo:
    """The items that need someone on ``on``; only ``department``'s own when one is given."""
    follow = follow_ups(session, org_id, session_code, on)
    chosen = items(session, org_id, session_code, department=department)

    def task(row) -> AuditTask:  # type: ignore[no-untyped-def]
        f = follow[row.code]
        return AuditTask(row.code, row.request, row.department, row.status, row.due_date, f.days_since_update)

    awaiting = tuple(
        task(r) for r in chosen if r.status in workflow.SIGNABLE_STATUSES and follow[r.code].signoff is None
    )
    latest = latest_changes(session, org_id, session_code)
    returned = tuple(
        dataclasses.replace(task(r), reason=latest[r.code].reason) for r in chosen if follow[r.code].returned
    )
    return AuditTodo(
        awaiting,
        tuple(task(r) for r in chosen if follow[r.code].overdue),
        tuple(task(r) for r in chosen if follow[r.code].stale),
        returned,
    )
