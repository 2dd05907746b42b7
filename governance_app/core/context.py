"""The organisation and reporting round that the app and documents show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from governance_app.core.models import Organisation, Report, ReportedFigure
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


def current(session: Session) -> Context:
    org = session.exec(select(Organisation).order_by(Organisation.id)).first()  # type: ignore[arg-type]
    if org is None:
        raise LookupError("the database holds no organisation; run `python -m governance_app init-db`")
    reports = fetch(session, Report, org.id)
    report = next((r for r in reports if r.is_current), reports[-1] if reports else None)
    if report is None:
        raise LookupError("the dataset holds no report round")
    return Context(
        org.id,
        org.name_ko,
        report.code,
        report.title,
        report.fiscal_year,
        report.report_date,
        report.execution_as_of,
        report.call_period_code,
        report.audit_session_code,
        org.phone_prefix,
    )


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
