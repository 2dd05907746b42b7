"""Test databases: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is the server at 127.0.0.1:5432 (trust auth). Each test run creates a database of
its own and drops it afterwards. ``GOV_TEST_BACKENDS=sqlite`` restricts a local run.
"""

from __future__ import annotations

import functools
import os
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from governance_app import store
from governance_app.accounts import hash_password
from governance_app.core import changelog
from governance_app.core.auth import Actor
from governance_app.core.db import dispose_engines, get_engine, migrate, session
from governance_app.core.models import RoundDocument, RoundState, UserAccount
from governance_app.core.settings import ROOT, get_settings
from governance_app.ui import AUTH_KEY

PG_ADMIN = os.environ.get("GOV_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = [b for b in os.environ.get("GOV_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]
DATA = ROOT / "data"
SOURCE = Path(__file__).parent / "fixtures" / "source_2025-09.txt"
PLANNER = Actor("test-planner", "planning")


def acting(engine: Engine, actor: Actor = PLANNER) -> Session:
    """A session whose direct ORM writes are logged as ``actor``'s (tests that bypass the services)."""
    s = session(engine)
    changelog.attribute(s, actor)
    return s


@functools.cache
def _test_password_hash() -> str:
    return hash_password(uuid.uuid4().hex)  # nobody signs in with it: sign_in sets the session


def ensure_account(actor: Actor) -> None:
    """``actor``'s account in the configured database (DATABASE_URL, set by the ``engine``
    fixtures), active and with the actor's role and department; created or corrected as needed."""
    with acting(get_engine()) as s:
        account = s.execute(select(UserAccount).where(UserAccount.username == actor.username)).scalars().first()
        if account is None:
            now = datetime.now(UTC)
            account = UserAccount(
                username=actor.username,
                display_name=actor.username,
                role=actor.role,
                password_hash=_test_password_hash(),
                created_at=now,
                password_changed_at=now,
            )
            s.add(account)
        account.role, account.department, account.active = actor.role, actor.department, True
        s.commit()


def sign_in(at: Any, actor: Actor = PLANNER) -> Any:
    """Start an AppTest as ``actor``, signed in (the sign-in page's session entry, ui.AUTH_KEY),
    with its account in the database (every page run reads the account again)."""
    ensure_account(actor)
    now = time.time()
    at.session_state[AUTH_KEY] = {
        "username": actor.username,
        "role": actor.role,
        "department": actor.department,
        "signed_in_at": now,
        "last_seen": now,
    }
    return at


@pytest.fixture(scope="session")
def seed() -> store.Dataset:
    dataset, findings = store.read_dir(DATA)
    assert not [f for f in findings if f.severity == "error"]
    return dataset


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    name = f"gov_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        dispose_engines()  # close pooled connections before the drop
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def engine(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """An engine on a migrated database holding exactly the seed dataset."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    engine = get_engine(get_settings().database_url)
    migrate(engine)
    with engine.begin() as connection:  # a test may have submitted a round: the seed's rounds start 작성중
        for table in (RoundDocument.__table__, RoundState.__table__):  # type: ignore[attr-defined]
            connection.execute(table.delete())
    dataset, _ = store.read_dir(DATA)
    with session(engine) as s:
        store.replace_in_db(session=s, actor=PLANNER, dataset=dataset)
    yield engine
    get_settings.cache_clear()


def wipe(engine: Engine) -> None:
    """Delete every row, children first, the append-only change log included (its triggers are
    dropped for the purpose and recreated), and reset the log's head."""
    dialect = engine.dialect.name
    with engine.begin() as connection:
        for statement in changelog.DROP_APPEND_ONLY[dialect]:
            connection.exec_driver_sql(statement)
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(table.delete())
        connection.execute(insert(changelog.LogHead).values(id=changelog.HEAD_ID, seq=0, hash=changelog.GENESIS))
        for statement in changelog.APPEND_ONLY[dialect]:
            connection.exec_driver_sql(statement)


@pytest.fixture
def empty_engine(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """An engine on a migrated database with no dataset."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    engine = get_engine(get_settings().database_url)
    migrate(engine)
    wipe(engine)
    yield engine
    get_settings.cache_clear()
