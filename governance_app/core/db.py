"""Engine creation (one per process and URL) and schema migration."""

from __future__ import annotations

import warnings
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from governance_app.core import (
    boundary,  # noqa: F401 - registers the input boundary's flush hook
    changelog,  # noqa: F401 - registers the change-log flush hook
    submitted,  # noqa: F401 - registers the freeze guard's flush hook
)
from governance_app.core.settings import get_settings

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

# SQLite stores NUMERIC as text/float; rates have one decimal and are compared as Decimal.
warnings.filterwarnings("ignore", message=".*Decimal objects natively.*", category=exc.SAWarning)


def _sqlite_foreign_keys(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
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


def session(engine: Engine | None = None) -> Session:
    return Session(engine or get_engine(), expire_on_commit=False)
