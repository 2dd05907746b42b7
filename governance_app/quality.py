"""Data quality: the findings on the stored dataset and the corrections register."""

from __future__ import annotations

from sqlmodel import Session

from governance_app import store
from governance_app.findings import Finding
from governance_app.models import Correction
from governance_app.queries import fetch
from governance_app.validation import validate


def findings(session: Session) -> list[Finding]:
    """Validation and reconciliation findings on what the database holds now."""
    return validate(store.from_db(session))


def corrections(session: Session, org_id: int) -> list[Correction]:
    return sorted(fetch(session, Correction, org_id), key=lambda c: c.seq)
