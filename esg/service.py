"""ESG activities, the healing programmes and the emotional-labour figures."""

from __future__ import annotations

from sqlmodel import Session

from esg.models import EsgActivity, EsgFigure, HealingProgramme
from governance_app.queries import fetch


def activities(session: Session, org_id: int, fiscal_year: int) -> list[EsgActivity]:
    rows = fetch(session, EsgActivity, org_id, EsgActivity.fiscal_year == fiscal_year)
    return sorted(rows, key=lambda a: ("ESG".index(a.category), a.seq))


def healing_programmes(session: Session, org_id: int, fiscal_year: int) -> list[HealingProgramme]:
    return sorted(
        fetch(session, HealingProgramme, org_id, HealingProgramme.fiscal_year == fiscal_year), key=lambda h: h.seq
    )


def figures(session: Session, org_id: int) -> list[EsgFigure]:
    """Every year's figures; a code recorded in several years forms a trend."""
    return sorted(fetch(session, EsgFigure, org_id), key=lambda f: (f.seq, f.fiscal_year))
