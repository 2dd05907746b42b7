"""Reporting rounds as tests set them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from governance_app.core import context
from governance_app.core.models import SUBMITTED, RoundState
from tests.helpers import acting


def submit_state_only(engine: Engine, code: str = "2025-09") -> None:
    """Mark a round 제출 without building its documents: the guard reads the state alone
    (building the documents takes seconds; test_freeze_* go through the real freeze)."""
    with acting(engine) as s:
        org_id = context.current(s).org_id
        s.add(
            RoundState(
                org_id=org_id, report_code=code, state=SUBMITTED, changed_at=datetime.now(UTC), changed_by="test"
            )
        )
        s.commit()
