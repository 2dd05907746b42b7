"""Engine creation (one per process and URL) and schema migration."""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from governance_app.settings import get_settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# SQLite stores NUMERIC as text/float; rates have one decimal and are compared as Decimal.
warnings.filterwarnings("ignore", message=".*Decimal objects natively.*", category=exc.SAWarning)


def _sqlite_foreign_keys(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@lru_cache
def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().database_url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_foreign_keys)
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
