"""Two users save the same record: the first wins, the second is told, nothing is lost.

The interleaved case runs on both backends (``engine``). The truly concurrent case, where the
second UPDATE waits on the first transaction's row lock, needs PostgreSQL's row locking: it is
marked ``postgresql`` and runs when the run includes that backend (GOV_TEST_BACKENDS).
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from audit_followup import service as audit
from governance_app.core import changelog
from governance_app.core.auth import Actor
from governance_app.core.changelog import ChangeLogEntry
from governance_app.core.context import current
from governance_app.core.db import session
from tests.helpers import PLANNER

SESSION = "2024-admin"
ETHICS = Actor("ethics-lee", "department", "윤리감사실")  # R-05 is 윤리감사실's item
KEY = f"{SESSION}/R-05"


def _org(engine: Engine) -> int:
    with session(engine) as s:
        return current(s).org_id


def _item(engine: Engine) -> audit.AuditItem:
    with session(engine) as s:
        found = audit.item(s, _org(engine), SESSION, "R-05")
    assert found is not None
    return found


def _entries(engine: Engine, after: int) -> list[ChangeLogEntry]:
    with session(engine) as s:
        query = select(ChangeLogEntry).where(
            ChangeLogEntry.table_name == "audit_item",
            ChangeLogEntry.record_key == KEY,
            ChangeLogEntry.seq > after,
        )
        return list(s.exec(query).all())


def _head(engine: Engine) -> int:
    with session(engine) as s:
        head = s.get(changelog.LogHead, changelog.HEAD_ID)
    assert head is not None
    return head.seq


def _save(s: object, actor: Actor, org_id: int, version: int, plan: str) -> audit.AuditItem:
    return audit.update_item(
        session=s,  # type: ignore[arg-type]
        actor=actor,
        org_id=org_id,
        session_code=SESSION,
        item_code="R-05",
        expected_version=version,
        changes={"plan": plan},
    )


def test_the_second_of_two_saves_of_one_loaded_version_gets_the_conflict(engine: Engine) -> None:
    org_id, head = _org(engine), _head(engine)
    loaded = _item(engine)  # both users opened the item at this version
    with session(engine) as first:
        saved = _save(first, PLANNER, org_id, loaded.version, "하반기 점검 결과 보고(기획)")
    assert saved.version == loaded.version + 1
    with session(engine) as second, pytest.raises(audit.ConflictError) as conflict:
        _save(second, ETHICS, org_id, loaded.version, "윤리감사실 계획")
    assert conflict.value.current_values["plan"] == "하반기 점검 결과 보고(기획)"
    assert (conflict.value.expected, conflict.value.current) == (str(loaded.version), str(loaded.version + 1))
    assert _item(engine).plan == "하반기 점검 결과 보고(기획)"
    [entry] = _entries(engine, head)
    assert (entry.actor, entry.action) == (PLANNER.username, "update")
    assert '"plan":[' in entry.changes and "하반기 점검 결과 보고(기획)" in entry.changes
    with session(engine) as s:
        assert changelog.verify(s).intact


@pytest.fixture
def pg_engine(engine: Engine) -> Engine:
    """The seeded database of this test, on PostgreSQL (the test is marked so)."""
    assert engine.dialect.name == "postgresql"
    return engine


@pytest.mark.postgresql
def test_a_save_waiting_on_a_concurrent_transaction_gets_the_conflict_on_postgresql(pg_engine: Engine) -> None:
    """The first save has written but not committed when the second save runs: the second UPDATE
    waits on the row lock, then matches no row of the version it read, and is refused."""
    engine = pg_engine
    org_id, head = _org(engine), _head(engine)
    version = _item(engine).version
    first = session(engine)
    changelog.attribute(first, PLANNER)
    row = audit.item(first, org_id, SESSION, "R-05")
    assert row is not None
    row.plan = "먼저 저장한 계획"
    first.flush()  # UPDATE done, row locked, not committed

    outcome: dict[str, object] = {}

    def second_user() -> None:
        with session(engine) as s:
            try:
                outcome["saved"] = _save(s, ETHICS, org_id, version, "나중에 저장한 계획")
            except audit.ConflictError as exc:
                outcome["conflict"] = exc

    thread = threading.Thread(target=second_user)
    thread.start()
    thread.join(timeout=1.0)
    assert thread.is_alive(), "the second save must wait for the first transaction"
    first.commit()
    first.close()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert "saved" not in outcome
    conflict = outcome["conflict"]
    assert isinstance(conflict, audit.ConflictError)
    assert conflict.current_values["plan"] == "먼저 저장한 계획"
    assert _item(engine).plan == "먼저 저장한 계획"
    [entry] = _entries(engine, head)
    assert entry.actor == PLANNER.username and "먼저 저장한 계획" in entry.changes
    with session(engine) as s:
        assert changelog.verify(s).intact
