"""The organisation and reporting round that the app and documents show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from governance_app.core.i18n import josa
from governance_app.core.models import DRAFT, SUBMITTED, Organisation, Report, ReportedFigure, RoundState
from governance_app.core.queries import fetch


@dataclass(frozen=True)
class Context:
    org_id: int
    org_name: str
    report_code: str
    report_title: str
    fiscal_year: int
    report_date: date
    execution_as_of: date
    call_period_code: str
    audit_session_code: str
    phone_prefix: str
    state: str = DRAFT  # 작성중 | 제출
    is_current: bool = True
    # the round before this one (the latest earlier fiscal year): its audit session's items that
    # were not 완료 are carried into this round as 계속 추진
    previous_code: str | None = None
    previous_audit_session_code: str | None = None
    previous_report_date: date | None = None

    @property
    def submitted(self) -> bool:
        return self.state == SUBMITTED


def _organisation(session: Session) -> Organisation:
    org = session.exec(select(Organisation).order_by(col(Organisation.id))).first()
    if org is None:
        raise LookupError("the database holds no organisation; run `python -m governance_app init-db`")
    return org


def rounds(session: Session) -> list[Context]:
    """Every round of the (first) organisation, by fiscal year and report date."""
    org = _organisation(session)
    assert org.id is not None  # a stored row
    org_id = org.id
    reports = sorted(fetch(session, Report, org_id), key=lambda r: (r.fiscal_year, r.report_date, r.code))
    states = {s.report_code: s.state for s in fetch(session, RoundState, org_id)}
    out = []
    for n, report in enumerate(reports):
        before = next((p for p in reversed(reports[:n]) if p.fiscal_year < report.fiscal_year), None)
        out.append(
            Context(
                org_id,
                org.name_ko,
                report.code,
                report.title,
                report.fiscal_year,
                report.report_date,
                report.execution_as_of,
                report.call_period_code,
                report.audit_session_code,
                org.phone_prefix,
                state=states.get(report.code, DRAFT),
                is_current=report.is_current,
                previous_code=before.code if before else None,
                previous_audit_session_code=before.audit_session_code if before else None,
                previous_report_date=before.report_date if before else None,
            )
        )
    return out


def current(session: Session, code: str | None = None) -> Context:
    """The round ``code``, or the current round (the one marked current, else the latest)."""
    found = rounds(session)
    if not found:
        raise LookupError("the dataset holds no report round")
    if code is not None:
        chosen = next((r for r in found if r.report_code == code), None)
        if chosen is None:
            raise LookupError(
                f"보고 회차 {josa(code, '이')} 없습니다 (있는 회차: {', '.join(r.report_code for r in found)})"
            )
        return chosen
    return next((r for r in found if r.is_current), found[-1])


def reported_figures(session: Session, org_id: int) -> dict[str, ReportedFigure]:
    return {r.code: r for r in fetch(session, ReportedFigure, org_id)}


def round_dates(session: Session, org_id: int, year: int) -> tuple[date, date]:
    """(report date, execution as-of) of the round of fiscal ``year``; without one, the current
    round's dates moved to that year (the templates' default dates)."""
    reports = fetch(session, Report, org_id)
    own = next((r for r in reports if r.fiscal_year == year), None)
    if own is not None:
        return own.report_date, own.execution_as_of
    base = next((r for r in reports if r.is_current), reports[-1] if reports else None)
    if base is None:
        return date(year, 9, 1), date(year, 7, 31)
    shift = year - base.fiscal_year

    def moved(day: date) -> date:
        try:
            return day.replace(year=day.year + shift)
        except ValueError:  # 29 February
            return day.replace(year=day.year + shift, day=28)

    return moved(base.report_date), moved(base.execution_as_of)
