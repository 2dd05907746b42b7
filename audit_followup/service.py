"""Audit follow-up queries: the items and the 총괄 table computed beside the reported one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from audit_followup.models import CATEGORIES, STATUSES, AuditItem, AuditSession, AuditSummaryReported
from audit_followup.schemas import TOTAL, summary_from_items
from governance_app.queries import fetch


def audit_session(session: Session, org_id: int, code: str) -> AuditSession | None:
    found = fetch(session, AuditSession, org_id, AuditSession.code == code)
    return found[0] if found else None


def items(
    session: Session,
    org_id: int,
    session_code: str,
    *,
    category: str | None = None,
    status: str | None = None,
    department: str | None = None,
) -> list[AuditItem]:
    conditions = [AuditItem.session_code == session_code]
    if category:
        conditions.append(AuditItem.category == category)
    if status:
        conditions.append(AuditItem.status == status)
    if department:
        conditions.append(AuditItem.department == department)
    return sorted(fetch(session, AuditItem, org_id, *conditions), key=lambda i: i.seq)


@dataclass(frozen=True)
class SummaryCell:
    category: str
    status: str
    computed: int
    reported: int | None  # None where the printed cell is empty

    @property
    def matches(self) -> bool:
        return (self.reported or 0) == self.computed


def summary(session: Session, org_id: int, session_code: str) -> list[SummaryCell]:
    """총괄: every (category, status) cell, computed from the items and as printed."""
    computed = summary_from_items([i.model_dump() for i in items(session, org_id, session_code)])
    reported = {
        (c.category, c.status): c.count
        for c in fetch(session, AuditSummaryReported, org_id, AuditSummaryReported.session_code == session_code)
    }
    return [
        SummaryCell(category, status, computed[(category, status)], reported.get((category, status)))
        for category in (TOTAL, *CATEGORIES)
        for status in (TOTAL, *STATUSES)
    ]


def status_counts(session: Session, org_id: int, session_code: str) -> dict[str, int]:
    cells = summary(session, org_id, session_code)
    return {c.status: c.computed for c in cells if c.category == TOTAL}
