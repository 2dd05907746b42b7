"""The roles under test as actors, the 주요업무 item a department owns, and its progress."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from governance_app import store
from governance_app.core import changelog
from governance_app.core.auth import Actor
from governance_app.core.context import current
from governance_app.core.db import session
from major_work import service as work
from tests.helpers import PLANNER

WORK_ITEM = "2-1"  # contacts: 경영본부장, 스마트전산부장, 담당 -> owned by 스마트전산부
OWN = "스마트전산부"
ACTORS = {
    "planning": PLANNER,
    "finance": Actor("test-finance", "finance"),
    "auditor": Actor("test-auditor", "auditor"),
    "department": Actor("test-dept", "department", OWN),  # its own department's items
    "other department": Actor("test-other-dept", "department", "상담운영부"),
    "board": Actor("test-board", "board"),
}


def state(engine: Engine) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """Every dataset table's rows and the number of change-log entries."""
    with session(engine) as s:
        dataset = store.from_db(s)
        entries = s.exec(select(func.count()).select_from(changelog.ChangeLogEntry)).scalar()  # type: ignore[call-overload]
    return {name: table.rows for name, table in dataset.items()}, int(entries)


def work_progress(engine: Engine, code: str = WORK_ITEM) -> work.ItemProgress:
    with session(engine) as s:
        found = work.progress(s, current(s).org_id, 2025, code)
    assert found is not None
    return found


def progress_update(engine: Engine, actor: Actor, version: int, code: str = WORK_ITEM, **changes: Any) -> Any:
    with session(engine) as s:
        return work.update_progress(
            session=s,
            actor=actor,
            org_id=current(s).org_id,
            fiscal_year=2025,
            item_code=code,
            expected_version=version,
            **changes,
        )
