"""ESG activities, the healing programmes and the emotional-labour figures."""

from __future__ import annotations

from sqlmodel import Session

from esg.models import EsgActivity, EsgFigure, HealingProgramme
from governance_app.core.queries import fetch


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


CATEGORY_NAMES = {"E": "환경", "S": "사회", "G": "지배구조"}


def trends(rows: list[EsgFigure]) -> dict[str, list[EsgFigure]]:
    """The figure codes recorded in two or more years, each with its rows in year order."""
    by_code: dict[str, list[EsgFigure]] = {}
    for f in rows:
        if f.value is None:  # not reported yet (a new round's copy)
            continue
        by_code.setdefault(f.code, []).append(f)
    return {
        code: sorted(series, key=lambda f: f.fiscal_year)
        for code, series in by_code.items()
        if len({f.fiscal_year for f in series}) >= 2
    }


def change(rows: list[EsgFigure], figure: EsgFigure) -> tuple[int, int] | None:
    """(value minus the same code's value in the latest earlier year, that year), or None."""
    if figure.value is None:
        return None
    earlier = [f for f in rows if f.code == figure.code and f.fiscal_year < figure.fiscal_year and f.value is not None]
    before = max(earlier, key=lambda f: f.fiscal_year, default=None)
    return None if before is None or before.value is None else (figure.value - before.value, before.fiscal_year)
