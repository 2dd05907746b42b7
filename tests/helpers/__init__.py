"""Helpers shared by the test modules (no test module imports another).

This package holds what a database test needs: the backends under test, the seed folder, the
planning-office actor, sessions attributed to an actor, signing an AppTest in, and wiping a
database. The submodules hold the helpers of one area each (pages, audit, budget, change log,
work items).
"""

from __future__ import annotations

import functools
import os
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

from governance_app.accounts import hash_password
from governance_app.core import changelog, logkey
from governance_app.core.auth import Actor
from governance_app.core.db import get_engine, session
from governance_app.core.models import UserAccount
from governance_app.core.settings import ROOT
from governance_app.ui import AUTH_KEY

# The PostgreSQL server's maintenance database: test databases are created and dropped through it,
# and their URLs name its host, port and user.
PG_ADMIN = os.environ.get("GOV_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = [b for b in os.environ.get("GOV_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]
DATA = ROOT / "data"
SOURCE = Path(__file__).parent.parent / "fixtures" / "source_2025-09.txt"
PLANNER = Actor("test-planner", "planning")


def pg_url(database: str) -> str:
    """The SQLAlchemy URL of ``database`` on the server of GOV_TEST_PG_ADMIN (psycopg 3 driver)."""
    url = make_url(PG_ADMIN).set(drivername="postgresql+psycopg", database=database)
    return url.render_as_string(hide_password=False)


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
    logkey.forget_anchor(changelog.database_name(engine))  # the anchor of the log just emptied
