"""Reporting rounds: list them, open the next year's, submit (freeze) one, reopen it, compare two.

A round is a ``report`` row (code, fiscal year, report and as-of dates) with a state in
``round_state`` (작성중 until submitted, 제출 after). Exactly one round is current.

- ``new_round`` copies the source round's year-scoped structure to the new fiscal year in one
  transaction (``COPIED``: what is copied and which values are cleared) and makes the new round
  current; refused (``RoundError``, nothing written) when the code exists, the year is not after
  the source's, the dates are impossible, or the new year already holds copied rows.
- ``freeze`` builds every document kind in every format in the same transaction, stores the bytes
  with their SHA-256 and the time (``RoundDocument``) and marks the round 제출. From then on the
  freeze guard (``core.submitted``) refuses every write to the round's rows, and ``document``
  hands out the stored bytes.
- ``reopen`` (reason required; the change log keeps it) makes the round 작성중 again.
- ``diff`` compares two rounds figure by figure (budget per line, execution rate, calls,
  staffing, board composition, audit status counts).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, SQLModel

from audit_followup import service as audit
from board import service as board
from budget import execution
from budget import service as budget
from calls import service as calls
from calls.models import ArsMenu
from esg.models import EsgActivity, EsgFigure, HealingProgramme
from governance_app.core import changelog, clock, context
from governance_app.core.auth import Actor, require
from governance_app.core.errors import RefusalError
from governance_app.core.formatting import date_ko
from governance_app.core.i18n import josa
from governance_app.core.models import DRAFT, SUBMITTED, Report, RoundDocument, RoundState
from governance_app.core.queries import fetch
from governance_app.core.record import DB_ONLY_COLUMNS
from governance_app.report import build as reports
from institution.models import Statement
from major_work.models import WorkArea, WorkBudgetLink, WorkBullet, WorkContact, WorkItem, WorkPlan
from staffing import service as staffing
from staffing.models import Department
from timeline.models import TimelineTask

MANAGE = "round.manage"
# Year-scoped tables copied to the new fiscal year, parents first, with the fields a new year
# starts without (None = empty; timeline statuses start as 예정, the state of a task not begun).
# Budget lines are shared by every year (codes kept): the new year starts with no amounts, and
# the source year's amounts are the comparison column of the new year's tables.
COPIED: tuple[tuple[type[SQLModel], dict[str, Any]], ...] = (
    (Statement, {}),
    (Department, {}),
    (ArsMenu, {}),
    (WorkArea, {}),
    (WorkItem, {}),
    (WorkBullet, {}),
    (WorkPlan, {"status": None, "status_on": None, "progress_note": None}),
    (WorkContact, {}),
    (WorkBudgetLink, {}),
    (TimelineTask, {"status_reported": "예정"}),
    (EsgActivity, {"event_date": None}),
    (HealingProgramme, {}),
    (EsgFigure, {"value": None}),
)
CONTINUED = "계속 추진"  # how a carried audit item is labelled in the new round


class RoundError(RefusalError):
    """A round command that was refused; the message says why, in Korean. Nothing was written."""


def rounds(session: Session) -> list[context.Context]:
    return context.rounds(session)


def _parse_code(code: str) -> str:
    code = (code or "").strip()
    if not code or any(c.isspace() for c in code) or "/" in code:
        raise RoundError(f"회차 코드 '{code}'는 쓸 수 없습니다: 공백이나 '/' 없는 코드를 적으십시오 (예: 2026-09)")
    return code


def _next_session_code(source_code: str, fiscal_year: int) -> str:
    """'2024-admin' in the 2025 round -> '2025-admin' in the 2026 round: the year before the report's."""
    head, sep, tail = source_code.partition("-")
    return f"{fiscal_year - 1}{sep}{tail}" if head.isdigit() and len(head) == 4 else f"{fiscal_year - 1}-admin"


def new_round(
    *,
    session: Session,
    actor: Actor,
    code: str,
    fiscal_year: int,
    report_date: date,
    execution_as_of: date,
    source: str | None = None,
    title: str | None = None,
    audit_session_code: str | None = None,
    call_period_code: str | None = None,
) -> context.Context:
    """Open the round ``code`` for ``fiscal_year`` from ``source`` (default: the current round)."""
    require(actor, MANAGE)
    code = _parse_code(code)
    known = context.rounds(session)
    if any(r.report_code == code for r in known):
        raise RoundError(f"회차 {josa(code, '이')} 이미 있습니다. 다른 코드를 적으십시오.")
    src = context.current(session, source) if source else context.current(session)
    if fiscal_year <= src.fiscal_year:
        raise RoundError(f"회계연도 {fiscal_year}년은 원본 회차 {src.report_code}의 {src.fiscal_year}년 뒤여야 합니다.")
    if execution_as_of.year != fiscal_year:
        raise RoundError(f"집행 기준일 {josa(date_ko(execution_as_of), '은')} {fiscal_year}년 안의 날짜여야 합니다.")
    if execution_as_of > report_date:
        raise RoundError(
            f"집행 기준일 {josa(date_ko(execution_as_of), '이')} 보고일 {date_ko(report_date)}보다 늦습니다."
        )
    if report_date.year not in (fiscal_year, fiscal_year + 1):
        raise RoundError(f"보고일 {josa(date_ko(report_date), '은')} {fiscal_year}년 또는 그 다음 해여야 합니다.")
    org_id = src.org_id
    taken = [
        model.__tablename__
        for model, _ in COPIED
        if fetch(session, model, org_id, model.fiscal_year == fiscal_year)  # type: ignore[attr-defined]
    ]
    if taken:
        raise RoundError(f"{fiscal_year}년 자료가 이미 있습니다 ({', '.join(taken)}): 새 회차로 복사하지 않았습니다.")
    changelog.attribute(session, actor)
    try:
        for report in fetch(session, Report, org_id, Report.is_current == True):  # noqa: E712
            report.is_current = False
        session.add(
            Report(
                org_id=org_id,
                code=code,
                title=title or src.report_title,
                fiscal_year=fiscal_year,
                report_date=report_date,
                execution_as_of=execution_as_of,
                call_period_code=call_period_code or f"{fiscal_year}-{execution_as_of.month:02d}",
                audit_session_code=audit_session_code or _next_session_code(src.audit_session_code, fiscal_year),
                is_current=True,
            )
        )
        session.flush()
        for model, cleared in COPIED:
            columns = [c for c in model.model_fields if c not in DB_ONLY_COLUMNS]
            rows = fetch(session, model, org_id, model.fiscal_year == src.fiscal_year)  # type: ignore[attr-defined]
            session.add_all(
                model(org_id=org_id, **({c: getattr(r, c) for c in columns} | {"fiscal_year": fiscal_year} | cleared))
                for r in rows
            )
            session.flush()  # parents before the children that refer to them
        session.commit()
    except Exception:
        session.rollback()
        raise
    return context.current(session, code)


def set_current(*, session: Session, actor: Actor, code: str) -> context.Context:
    """Make ``code`` the current round (the one the app opens on and ``report`` prints by default)."""
    require(actor, MANAGE)
    context.current(session, code)
    changelog.attribute(session, actor)
    try:
        for report in fetch(session, Report, context.current(session, code).org_id):
            if report.is_current != (report.code == code):
                report.is_current = report.code == code
        session.commit()
    except Exception:
        session.rollback()
        raise
    return context.current(session, code)


# --- submitting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredDocument:
    kind: str
    format: str
    file_name: str
    size: int
    sha256: str
    created_at: datetime
    created_by: str


def _state_row(session: Session, org_id: int, code: str) -> RoundState | None:
    found = fetch(session, RoundState, org_id, RoundState.report_code == code)
    return found[0] if found else None


def freeze(*, session: Session, actor: Actor, code: str) -> list[StoredDocument]:
    """Submit the round ``code``: store every document kind in every format as generated now
    (in the same transaction), then mark it 제출."""
    require(actor, MANAGE)
    ctx = context.current(session, code)
    if ctx.submitted:
        raise RoundError(f"회차 {josa(code, '은')} 이미 제출되었습니다.")
    now = clock.now_utc().replace(microsecond=0)
    stored = {
        (d.kind, d.format): d for d in fetch(session, RoundDocument, ctx.org_id, RoundDocument.report_code == code)
    }
    made = []
    # the log's head before this submission's own entries: what the documents were made from
    log_seq, log_mac = changelog.head(session)
    changelog.attribute(session, actor)
    try:
        for kind in reports.KINDS:
            document = reports.build_in(session, kind, actor=actor, round_code=code, as_of=ctx.execution_as_of)
            for fmt in reports.SUBMITTED_FORMATS:
                name, data = reports.file_name(kind, fmt, code), reports.render(document, fmt)
                doc = stored.get((kind, fmt)) or RoundDocument(
                    org_id=ctx.org_id, report_code=code, kind=kind, format=fmt
                )
                doc.file_name, doc.content, doc.size = name, data, len(data)
                doc.sha256 = hashlib.sha256(data).hexdigest()
                doc.created_at, doc.created_by = now, actor.username
                session.add(doc)
                made.append(doc)
        _set_state(session, ctx.org_id, code, SUBMITTED, actor, now, None, log_head=(log_seq, log_mac))
        session.commit()
    except Exception:
        session.rollback()
        raise
    return [_described(d) for d in made]


def log_anchor(session: Session, code: str) -> tuple[int, str]:
    """The change log's head recorded when round ``code`` was last submitted."""
    row = _state_row(session, context.current(session, code).org_id, code)
    if row is None or row.log_seq is None or row.log_mac is None:
        raise RoundError(f"회차 {josa(code, '은')} 제출 때의 변경 이력 기준점이 없습니다.")
    return row.log_seq, row.log_mac


def reopen(*, session: Session, actor: Actor, code: str, reason: str) -> context.Context:
    """Make a submitted round 작성중 again; the reason is required and stays in the change log."""
    require(actor, MANAGE)
    reason = (reason or "").strip()
    if not reason:
        raise RoundError("회차를 다시 열려면 사유를 적어야 합니다.")
    ctx = context.current(session, code)
    if not ctx.submitted:
        raise RoundError(f"회차 {josa(code, '은')} 제출되지 않았습니다 (작성중).")
    changelog.attribute(session, actor)
    try:
        _set_state(session, ctx.org_id, code, DRAFT, actor, clock.now_utc().replace(microsecond=0), reason)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return context.current(session, code)


def _set_state(
    session: Session,
    org_id: int,
    code: str,
    state: str,
    actor: Actor,
    at: datetime,
    reason: str | None,
    *,
    log_head: tuple[int, str] | None = None,
) -> None:
    row = _state_row(session, org_id, code) or RoundState(org_id=org_id, report_code=code)
    row.state, row.changed_at, row.changed_by, row.reason = state, at, actor.username, reason
    if log_head is not None:  # a submission records the head it was made at; a reopen keeps it
        row.log_seq, row.log_mac = log_head
    session.add(row)
    session.flush()


def stored_documents(session: Session, code: str) -> list[StoredDocument]:
    """The documents stored when ``code`` was submitted (without their bytes)."""
    ctx = context.current(session, code)
    return [_described(d) for d in fetch(session, RoundDocument, ctx.org_id, RoundDocument.report_code == code)]


def _described(d: RoundDocument) -> StoredDocument:
    return StoredDocument(d.kind, d.format, d.file_name, d.size, d.sha256, d.created_at, d.created_by)


def stored_file(session: Session, actor: Actor, code: str, kind: str, fmt: str) -> tuple[str, bytes] | None:
    """(file name, bytes) of a submitted round's stored document; None for a round being prepared."""
    require(actor, reports.permission(kind))
    ctx = context.current(session, code)
    if not ctx.submitted:
        return None
    found = fetch(
        session,
        RoundDocument,
        ctx.org_id,
        RoundDocument.report_code == code,
        RoundDocument.kind == kind,
        RoundDocument.format == fmt,
    )
    if not found:
        raise RoundError(f"제출된 회차 {code}에 {kind} {fmt} 문서가 저장되어 있지 않습니다.")
    return found[0].file_name, found[0].content


# --- comparing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffRow:
    group: str  # 예산 (세입/세출), 집행, 상담, 인력, 이사회, 감사
    label: str
    a: Any  # the value in round A (int, Decimal, str) or None
    b: Any

    @property
    def change(self) -> Any:
        if isinstance(self.a, int | float) and isinstance(self.b, int | float) and not isinstance(self.a, bool):
            return self.b - self.a
        from decimal import Decimal

        if isinstance(self.a, Decimal) and isinstance(self.b, Decimal):
            return self.b - self.a
        return None


def diff(session: Session, code_a: str, code_b: str) -> list[DiffRow]:
    """Round A against round B as one table (see the module docstring)."""
    a, b = context.current(session, code_a), context.current(session, code_b)
    org_id = a.org_id
    rows: list[DiffRow] = []
    for side, group in (("revenue", "세입예산"), ("expenditure", "세출예산")):
        table_a = {r.code: r for r in budget.budget_table(session, org_id, side, (a.fiscal_year - 1, a.fiscal_year))}
        table_b = {r.code: r for r in budget.budget_table(session, org_id, side, (b.fiscal_year - 1, b.fiscal_year))}
        for line_code, row in table_b.items():
            rows.append(
                DiffRow(
                    group,
                    f"{'  ' * row.depth}{row.name}",
                    table_a[line_code].amounts.get(a.fiscal_year) if line_code in table_a else None,
                    row.amounts.get(b.fiscal_year),
                )
            )
    ex_a = execution.execution_total(session, org_id, a.execution_as_of)
    ex_b = execution.execution_total(session, org_id, b.execution_as_of)
    rows.append(DiffRow("집행", "집행 기준일", date_ko(a.execution_as_of), date_ko(b.execution_as_of)))
    rows.append(DiffRow("집행", "집행액 (천원)", ex_a.executed if ex_a else None, ex_b.executed if ex_b else None))
    rows.append(DiffRow("집행", "집행률 (%)", ex_a.rate if ex_a else None, ex_b.rate if ex_b else None))
    phone = {p.period_code: p for p in calls.phone_performance(session, org_id)}
    channel = {c.period_code: c for c in calls.channel_table(session, org_id)}
    pa, pb = phone.get(a.call_period_code), phone.get(b.call_period_code)
    ca, cb = channel.get(a.call_period_code), channel.get(b.call_period_code)
    rows.append(
        DiffRow("상담", "통계 기간", pa.label if pa else a.call_period_code, pb.label if pb else b.call_period_code)
    )
    rows.append(DiffRow("상담", "총상담 (건)", ca.total if ca else None, cb.total if cb else None))
    rows.append(DiffRow("상담", "비전화 소계 (건)", ca.nonphone if ca else None, cb.nonphone if cb else None))
    rows.append(DiffRow("상담", "인입량 (건)", pa.inflow if pa else None, pb.inflow if pb else None))
    rows.append(DiffRow("상담", "응대량 (건)", pa.answered if pa else None, pb.answered if pb else None))
    rows.append(DiffRow("상담", "응대율 (%)", pa.answer_rate if pa else None, pb.answer_rate if pb else None))
    staff = []
    for ctx in (a, b):
        snap = staffing.latest_snapshot(session, org_id, on=ctx.report_date)
        staff.append(staffing.totals(staffing.grades(session, org_id, snap.code)) if snap else None)
        staff.append(date_ko(snap.as_of) if snap else None)
    rows.append(DiffRow("인력", "인력 기준일", staff[1], staff[3]))
    for n, label in enumerate(("정원 (명)", "현원 (명)", "과부족 (명)")):
        rows.append(DiffRow("인력", label, staff[0][n] if staff[0] else None, staff[2][n] if staff[2] else None))
    comp_a = {c.seat_class: c for c in board.composition(session, org_id, a.report_date)}
    comp_b = {c.seat_class: c for c in board.composition(session, org_id, b.report_date)}
    rows.append(DiffRow("이사회", "기준일", date_ko(a.report_date), date_ko(b.report_date)))
    for seat_class in dict.fromkeys([*comp_a, *comp_b]):
        x, y = comp_a.get(seat_class), comp_b.get(seat_class)
        rows.append(DiffRow("이사회", f"{seat_class} (명)", x.count if x else None, y.count if y else None))
        rows.append(
            DiffRow(
                "이사회",
                f"{seat_class} 정관 충족",
                None if x is None else ("충족" if x.ok else "미달"),
                None if y is None else ("충족" if y.ok else "미달"),
            )
        )
    counts_a = audit.status_counts(session, org_id, a.audit_session_code)
    counts_b = audit.status_counts(session, org_id, b.audit_session_code)
    rows.append(DiffRow("감사", "감사 회기", a.audit_session_code, b.audit_session_code))
    for status in counts_b:
        rows.append(DiffRow("감사", f"{status} (건)", counts_a.get(status), counts_b.get(status)))
    return rows
