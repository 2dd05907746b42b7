"""Saves that lost a race with another save: told apart from other database errors in one place.

Two users (two threads of one app process, or two processes on one PostgreSQL database) saving
the same thing at once reach the database in some order; the second is refused by it:

- an UPDATE or DELETE carrying the version it read matches nothing (``OrgRecord.version``):
  SQLAlchemy's ``StaleDataError``;
- an INSERT of a natural key the first just inserted (two snapshots of one date), or one whose
  parent the first just removed: ``IntegrityError`` (unique or foreign-key violation, SQLSTATE
  23505 / 23503 on PostgreSQL);
- PostgreSQL found a deadlock or a serialization failure (40P01, 40001), or a lock could not be
  had (55P03; SQLite: "database is locked" after its busy timeout).

Every session of the application is a ``core.db.GovSession``, whose ``flush`` (and so
``commit`` and autoflush) rolls back and raises ``SaveConflictError``, a ``ConflictError``, in
place of any of these, with a Korean message the user can act on. A service names what was
raced where a generic message would not say it (``explained``); otherwise the message names the
table (``i18n.TABLE_LABELS``). A service that shows what is stored now catches ``RACES`` (the
translated error and, for a plain SQLAlchemy session, the raw ones) and raises its own
``ConflictError`` carrying those values.

Other integrity errors (NOT NULL, CHECK) are bugs, not races, and are not translated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import false, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from governance_app.core.errors import ConflictError
from governance_app.core.i18n import TABLE_LABELS, josa

REFRESH = "화면을 새로 고친 뒤 다시 확인하세요."
# PostgreSQL SQLSTATEs of a lost race: unique and foreign-key violations, serialization failure,
# deadlock; and of a lock not had in time (lock timeout, NOWAIT)
RACE_STATES = frozenset({"23505", "23503", "40001", "40P01"})
BUSY_STATES = frozenset({"55P03"})
SQLITE_RACES = ("UNIQUE constraint failed", "FOREIGN KEY constraint failed")
SQLITE_BUSY = ("database is locked", "database table is locked")
_MESSAGE = "conflict_message"  # session.info key: the message ``explained`` set


class SaveConflictError(ConflictError):
    """A save refused because another save came first; nothing of it was written (the session
    was rolled back). ``table`` is the table the database named, when it named one; the
    database's own error is ``__cause__``."""

    def __init__(self, message: str, table: str | None = None) -> None:
        super().__init__(None, "", message, label="")
        self.table = table


# What a service may catch to answer a race with its own ConflictError (the stored values).
RACES: tuple[type[Exception], ...] = (SaveConflictError, StaleDataError, IntegrityError)


def _sqlstate(exc: BaseException) -> str | None:
    state = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return state if isinstance(state, str) else None


def kind(exc: BaseException) -> str | None:
    """ "race", "busy" or None (not a lost race: re-raise it as it is)."""
    if isinstance(exc, StaleDataError):
        return "race"
    if not isinstance(exc, DBAPIError):
        return None
    state = _sqlstate(exc)
    if state is not None:
        return "race" if state in RACE_STATES else "busy" if state in BUSY_STATES else None
    text = str(getattr(exc, "orig", exc))
    if isinstance(exc, IntegrityError) and text.startswith(SQLITE_RACES):
        return "race"
    if any(text.startswith(words) for words in SQLITE_BUSY):
        return "busy"
    return None


def table_of(exc: BaseException) -> str | None:
    """The table the database or SQLAlchemy named in ``exc``, if any."""
    diag = getattr(getattr(exc, "orig", None), "diag", None)
    name = getattr(diag, "table_name", None)
    if isinstance(name, str) and name:
        return name
    text = str(getattr(exc, "orig", exc))
    found = re.search(r"on table '(\w+)'", text) or re.search(r"constraint failed: (\w+)\.", text)
    return found.group(1) if found else None


def message_for(exc: BaseException, explained: str | None = None) -> str:
    """The Korean message of a lost race: ``explained`` (the service's words), else one naming
    the table."""
    if kind(exc) == "busy":
        return "다른 사용자가 같은 자료를 저장하는 중이어서 저장하지 못했습니다. 잠시 뒤 다시 저장하세요."
    if explained:
        return explained
    table = table_of(exc)
    what = f"「{TABLE_LABELS[table]}」 자료" if table in TABLE_LABELS else "같은 자료"
    return f"다른 사용자가 {josa(what, '을')} 먼저 저장했습니다. {REFRESH}"


def conflict(session: Session, exc: BaseException) -> SaveConflictError:
    """``exc`` (a lost race, ``kind(exc)`` not None) as the user is told it."""
    return SaveConflictError(message_for(exc, session.info.get(_MESSAGE)), table_of(exc))


@contextmanager
def explained(session: Any, message: str) -> Iterator[None]:
    """Within the block, a lost race of ``session`` is told with ``message`` (what was raced,
    in the user's words, ending with what to do)."""
    info = session.info
    before = info.get(_MESSAGE)
    info[_MESSAGE] = message
    try:
        yield
    except (StaleDataError, DBAPIError) as exc:  # a plain SQLAlchemy session: told the same way
        if kind(exc) is None:
            raise
        session.rollback()
        raise SaveConflictError(message_for(exc, message), table_of(exc)) from exc
    finally:
        if before is None:
            info.pop(_MESSAGE, None)
        else:
            info[_MESSAGE] = before


def lock_parent(session: Session, table: Any, row_id: int) -> None:
    """Make appends under one parent row wait for each other without changing the parent (no
    version bump, no change-log entry): PostgreSQL locks the row (FOR NO KEY UPDATE, which a
    concurrent status change or edit of the parent still passes once this commits, and which does
    not block the foreign-key checks of the children); SQLite has one writer at a time and takes
    its write lock at the first write statement, so a statement that writes nothing starts it.
    Read the next sequence number after this call: the second of two appends then sees the
    first's row."""
    connection = session.connection()
    id_column = table.c.id
    if connection.dialect.name == "postgresql":
        connection.execute(select(id_column).where(id_column == row_id).with_for_update(key_share=True))
    else:
        connection.execute(update(table).where(false()).values(id=id_column))
