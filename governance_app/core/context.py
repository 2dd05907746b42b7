"""The organisation and reporting round that the app and documents show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

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
    org = session.exec(select(Organisation).order_by(Organisation.id)).first()  # type: ignore[arg-type]
    if org is None:
        raise LookupError("the database holds no organisation; run `python -m governance_app init-db`")
    return org


def rounds(session: Session) -> list[Context]:
    """Every round of the (first) organisation, by fiscal year and report date."""
    org = _organisation(session)
    reports = sorted(fetch(session, Report, org.id), key=lambda r: (r.fiscal_year, r.report_date, r.code))
    states = {s.report_code: s.state for s in fetch(session, RoundState, org.id)}
    out = []
    for n, report in enumerate(reports):
        before = next((p for p in reversed(reports[:n]) if p.fiscal_year < report.fiscal_year), None)
        out.append(
            Context(
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
            known = ", ".join(r.report_code for r in found)
            raise LookupError(f"보고 회차 {josa(code, '이')} 없습니다 (있는 회차: {known})")
        return chosen
    return next((r for r in found if r.is_current), found[-1])


def reported_figures(session: Session, org_id: int) -> dict[str, ReportedFigure]:
    return {r.code: r for r in fetch(session, ReportedFigure, org_id)}
