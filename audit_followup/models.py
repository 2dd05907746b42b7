"""The administrative audit session, its follow-up items and the summary as reported."""

from __future__ import annotations

from datetime import date

from governance_app.record import OrgRecord, natural_key, refers

CATEGORIES = ("시정·처리요구사항", "건의사항", "기타")
STATUSES = ("완료", "추진중", "검토중", "미반영")


class AuditSession(OrgRecord, table=True):
    __table_args__ = (natural_key("code"),)
    code: str
    year: int
    name: str
    committee: str
    audited_body: str
    report_title: str


class AuditItem(OrgRecord, table=True):
    __table_args__ = (natural_key("session_code", "code"), refers("session_code", "audit_session"))
    code: str
    session_code: str
    category: str
    seq: int
    request: str
    department: str | None = None
    status: str
    actions: str | None = None  # 추진내용 / 조치결과
    plan: str | None = None  # 향후계획
    action_date: date | None = None  # when the action was completed or started
    action_date_is_month: bool = False  # the document gives only the month ('25.1.): day 1 stands for it


class AuditSummaryReported(OrgRecord, table=True):
    """A cell of the 총괄 table as printed; empty cells are stored empty, not zero."""

    __table_args__ = (
        natural_key("session_code", "category", "status"),
        refers("session_code", "audit_session"),
    )
    session_code: str
    category: str  # 계 or a category
    status: str  # 계 or a status
    count: int | None = None
    seq: int
