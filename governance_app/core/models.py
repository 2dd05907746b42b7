"""Shell tables: the organisation, the report round, and the corrections register."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel

from governance_app.core.record import OrgRecord, big_integer, natural_key


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name_ko: str
    name_en: str
    phone_prefix: str  # main number prefix that short extensions belong to, e.g. "02-3278"


class Report(OrgRecord, table=True):
    """One reporting round (e.g. the September 2025 주요업무보고) and its as-of dates."""

    __table_args__ = (natural_key("code"),)
    code: str
    title: str
    fiscal_year: int
    report_date: date  # the document is dated by month; the first day stands for it
    execution_as_of: date
    call_period_code: str  # the partial-year call statistics period shown as "current"
    audit_session_code: str
    is_current: bool


# A round is being prepared (작성중) until it is submitted (제출); a round without a RoundState row
# is being prepared.
DRAFT, SUBMITTED = "작성중", "제출"
ROUND_STATES = (DRAFT, SUBMITTED)


class RoundState(OrgRecord, table=True):
    """Whether a round was submitted, by whom, when, and why it was reopened.

    Not part of the dataset (like accounts and the change log, it travels in backups only): a
    submission is an act with the documents it stored (RoundDocument), not a figure of the report.
    Every change is in the change log, so each freeze and reopen (with its reason) stays traceable.
    """

    __tablename__ = "round_state"
    __table_args__ = (natural_key("report_code"),)
    report_code: str
    state: str  # one of ROUND_STATES
    changed_at: datetime  # UTC
    changed_by: str
    reason: str | None = None  # required to reopen
    # the change log's head (seq, MAC) when the round was last submitted: an anchor verify-log checks,
    # so a log cut back behind a submission is seen; it is also printed by `round freeze`
    log_seq: int | None = None
    log_mac: str | None = Field(default=None, max_length=64)


class RoundDocument(OrgRecord, table=True):
    """A document as it was generated when its round was submitted: the bytes handed out afterwards."""

    __tablename__ = "round_document"
    __table_args__ = (natural_key("report_code", "kind", "format"),)
    report_code: str
    kind: str  # business | audit | budget
    format: str  # pdf | docx | ...
    file_name: str
    size: int
    sha256: str  # hex digest of content
    content: bytes = Field(sa_type=LargeBinary)
    created_at: datetime  # UTC
    created_by: str


class Correction(OrgRecord, table=True):
    """A value restored where the PDF text extraction was garbled; never silent."""

    __table_args__ = (natural_key("seq"),)
    seq: int
    table_name: str
    row_key: str
    field: str
    extracted: str | None = None  # empty when the cell was lost in the extraction
    restored: str | None = None  # empty when the value cannot be restored
    method: str  # arithmetic | layout | context | typo
    reason: str
    multiline_fields: ClassVar[frozenset[str]] = frozenset({"extracted", "restored", "reason"})


class ReportedFigure(OrgRecord, table=True):
    """A count the document states in prose, e.g. '상담채널: 10개 채널 운영' or '총 23건'.

    Stored as printed; the owning domain reconciles it with the rows it summarises.
    """

    __table_args__ = (natural_key("code", "as_of"),)
    code: str
    label: str
    value: int = big_integer()
    unit: str
    as_of: date


class UserAccount(SQLModel, table=True):
    """A local sign-in account (governance_app.accounts manages them).

    Not part of the dataset: accounts never travel in the CSV files, only in backups.
    """

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=64)
    display_name: str
    role: str  # one of auth.ROLES
    department: str | None = None  # the department role's own department (staffing 부서명)
    password_hash: str  # argon2id, PHC string; never logged (changelog.REDACTED)
    active: bool = True
    demo: bool = False  # created by `make run` for trying the app; never in a deployment
    created_at: datetime  # UTC
    password_changed_at: datetime  # UTC


class SignInFailure(SQLModel, table=True):
    """Wrong passwords in a row for one sign-in name (governance_app.throttle), whether or not an
    account of that name exists, so the answer to a sign-in never tells which names exist.

    Written with Core statements, outside the change log (a failed sign-in is not a change anyone
    made); removed by a successful sign-in, after SIGNIN_FORGET_HOURS without a failure, and by
    ``user unlock`` (an ORM delete, logged as the operator's). Not part of the dataset.
    """

    __tablename__ = "signin_failure"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=64)  # as typed (stripped); an account's or not
    failures: int  # wrong attempts since the last success, unlock or forgotten streak
    last_failure_at: datetime  # UTC
    locked_until: datetime | None = None  # UTC; no attempt is checked before then
