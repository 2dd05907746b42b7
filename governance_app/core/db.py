"""Engine creation (one per process and URL) and schema migration."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, create_engine

from governance_app.core import (
    boundary,  # noqa: F401 - registers the input boundary's flush hook
    changelog,  # noqa: F401 - registers the change-log flush hook
    conflicts,
    submitted,  # noqa: F401 - registers the freeze guard's flush hook
)
from governance_app.core.settings import get_settings

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

# SQLite stores NUMERIC as text/float; rates have one decimal and are compared as Decimal.
warnings.filterwarnings("ignore", message=".*Decimal objects natively.*", category=exc.SAWarning)


def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def get_engine(url: str | None = None) -> Engine:
    """The process's engine for ``url`` (default: the configured DATABASE_URL)."""
    return _engine_for(url or get_settings().database_url)


def dispose_engines() -> None:
    """Close every pooled connection and forget the engines (tests, restore)."""
    for engine in list(_ENGINES.values()):
        engine.dispose()
    _ENGINES.clear()


_ENGINES: dict[str, Engine] = {}


def _engine_for(url: str) -> Engine:
    if url in _ENGINES:
        return _ENGINES[url]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_foreign_keys)
    _ENGINES[url] = engine
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class GovSession(Session):
    """The application's session: a flush (and so a commit, and an autoflush) that lost a race
    with another save is rolled back and raises ``conflicts.SaveConflictError`` (a
    ``ConflictError`` with a Korean message) instead of the database's error, whatever service
    wrote; see ``core.conflicts``."""

    def flush(self, objects: Any = None) -> None:
        try:
            super().flush(objects)
        except (StaleDataError, exc.DBAPIError) as error:
            if conflicts.kind(error) is None:
                raise
            conflict = conflicts.conflict(self, error)
            self.rollback()
            raise conflict from error

    def commit(self) -> None:
        try:
            super().commit()
        except exc.DBAPIError as error:  # at COMMIT itself (a serialization failure)
            if conflicts.kind(error) is None:
                raise
            conflict = conflicts.conflict(self, error)
            self.rollback()
            raise conflict from error


def session(engine: Engine | None = None) -> Session:
    return GovSession(engine or get_engine(), expire_on_commit=False)
