"""The change log as tests read and tamper with it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from governance_app.cli import main
from governance_app.core import changelog
from governance_app.core.changelog import ChangeLogEntry, LogHead
from governance_app.core.db import session
from tests.helpers import PLANNER

LOG = ChangeLogEntry.__table__  # type: ignore[attr-defined]


def head(engine: Engine) -> int:
    with session(engine) as s:
        found = s.get(LogHead, changelog.HEAD_ID)
    assert found is not None
    return found.seq


def head_entry(engine: Engine) -> tuple[int, str]:
    """The head as (seq, MAC)."""
    with session(engine) as s:
        return changelog.head(s)


def verify_log(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """``verify-log`` run as the operator runs it: its exit status and printed lines."""
    capsys.readouterr()
    code = main(["verify-log"])
    return code, capsys.readouterr().out.splitlines()


def tamper(engine: Engine, *statements: Any) -> None:
    """Change the log behind the application's back: without its append-only triggers."""
    dialect = engine.dialect.name
    with engine.begin() as connection:
        for statement in changelog.DROP_APPEND_ONLY[dialect]:
            connection.exec_driver_sql(statement)
        for statement in statements:
            connection.execute(statement)
        for statement in changelog.APPEND_ONLY[dialect]:
            connection.exec_driver_sql(statement)


def content(engine: Engine, seq: int) -> dict[str, Any]:
    with engine.connect() as connection:
        row = connection.execute(select(LOG).where(LOG.c.seq == seq)).mappings().one()
    return {k: v for k, v in row.items() if k != "seq"}


def altered(engine: Engine, k: int) -> list[Any]:
    changes = json.loads(content(engine, k)["changes"])
    forged = json.dumps({name: [old, "forged"] for name, (old, _new) in changes.items()}, ensure_ascii=False)
    return [update(LOG).where(LOG.c.seq == k).values(changes=forged)]


def log_after(engine: Engine, seq: int) -> list[changelog.Change]:
    with session(engine) as s:
        return [c for c in changelog.recent(s, PLANNER, limit=1000) if c.seq > seq]


def log_head(engine: Engine) -> int:
    with session(engine) as s:
        newest = changelog.recent(s, PLANNER, limit=1)
    return newest[0].seq if newest else 0
