"""History and the mission / vision / strategy statements."""

from __future__ import annotations

from sqlmodel import Session

from governance_app.core.queries import fetch
from institution.models import HistoryEvent, Statement


def history(session: Session, org_id: int) -> list[HistoryEvent]:
    return sorted(fetch(session, HistoryEvent, org_id), key=lambda e: e.seq)


def statements(session: Session, org_id: int, fiscal_year: int) -> list[Statement]:
    return sorted(fetch(session, Statement, org_id, Statement.fiscal_year == fiscal_year), key=lambda s: s.seq)
