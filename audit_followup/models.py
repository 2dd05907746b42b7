"""The administrative audit session, its follow-up items, the summary as reported, and the
follow-up record kept in the app: status changes, progress notes, evidence and sign-offs.

Every follow-up row refers to its item by ``(session_code, item_code)`` and is numbered per item
by ``seq`` (1, 2, ...), the order in which it was recorded. The workflow rules are in
``audit_followup.workflow``, the attachment rules in ``audit_followup.evidence``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import LargeBinary
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field

from audit_followup import evidence
from governance_app.core.record import OrgRecord, natural_key, refers

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
    multiline_fields: ClassVar[frozenset[str]] = frozenset({"request", "actions", "plan"})
    action_date: date | None = None  # when the action was completed or started
    action_date_is_month: bool = False  # the document gives only the month ('25.1.): day 1 stands for it
    due_date: date | None = None  # set in the app; open items past it are flagged as overdue


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


ITEM = ("session_code", "item_code")


def _item_ref() -> Any:
    return refers(ITEM, "audit_item", ("session_code", "code"))


class AuditStatusChange(OrgRecord, table=True):
    """One change of an item's status, in order (``seq``); the item's ``status`` is the latest."""

    __table_args__ = (natural_key("session_code", "item_code", "seq"), _item_ref())
    session_code: str
    item_code: str
    seq: int
    from_status: str
    to_status: str
    changed_on: date  # when the status changed (stated by the user; never before the previous change)
    changed_by: str  # the user who recorded it
    reason: str | None = None  # required for 미반영 and for every step back
    multiline_fields: ClassVar[frozenset[str]] = frozenset({"reason"})
    # 보완 요구: the auditor sent the closed item back to its department (workflow.REWORK)
    returned: bool = False


class AuditProgressNote(OrgRecord, table=True):
    """A dated progress note: the state of the follow-up as of a reporting date."""

    __table_args__ = (natural_key("session_code", "item_code", "seq"), _item_ref())
    session_code: str
    item_code: str
    seq: int
    as_of: date
    text: str
    author: str
    multiline_fields: ClassVar[frozenset[str]] = frozenset({"text"})


class Base64Bytes(TypeDecorator[str]):
    """Bytes in the database, canonical base64 text in Python and so in the CSV files."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> bytes | None:
        return None if value is None else evidence.decode(value)

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else evidence.encode(bytes(value))


class AuditEvidence(OrgRecord, table=True):
    """An evidence attachment: the file's bytes with their size and SHA-256."""

    __table_args__ = (natural_key("session_code", "item_code", "seq"), _item_ref())
    session_code: str
    item_code: str
    seq: int
    file_name: str
    media_type: str  # from the file name's extension (audit_followup.evidence.MEDIA_TYPES)
    size: int  # bytes
    sha256: str  # hex digest of the bytes
    content: str = Field(sa_type=Base64Bytes)  # base64 here and in the CSV cell; bytes in the database
    uploaded_by: str
    uploaded_on: date


class AuditSignoff(OrgRecord, table=True):
    """An auditor's sign-off of an item's status (완료 or 미반영).

    It confirms the status as it stood after status change ``status_change_seq`` (empty: the
    status as reported, before any change was recorded) and is void once the status changes.
    """

    __table_args__ = (
        natural_key("session_code", "item_code", "seq"),
        _item_ref(),
        refers(
            ("session_code", "item_code", "status_change_seq"),
            "audit_status_change",
            ("session_code", "item_code", "seq"),
        ),
    )
    session_code: str
    item_code: str
    seq: int
    status: str
    status_change_seq: int | None = None
    signed_by: str
    signed_on: date
    comment: str | None = None  # the auditor's comment, given with the sign-off
    without_evidence: bool = False  # signed although the item had no evidence file
    multiline_fields: ClassVar[frozenset[str]] = frozenset({"comment"})
