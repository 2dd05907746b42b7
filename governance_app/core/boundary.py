"""The input boundary at the database: every row written through the ORM passes its columns'
rules (``parsing.model_rules``) in the flush, whatever path it came by (import, the edit page,
a form's service, an upload, the CLI).

Files and forms are checked earlier, with messages naming file, row and field; this is the
last line, so a value no check above knew about (a NUL byte, a 3,000,000,000 count in a 32-bit
column, a 100,000-character key) is refused with a Korean message on SQLite and PostgreSQL
alike instead of failing inside the database driver. Text is stored in NFC.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Mapper
from sqlalchemy.orm import Session as OrmSession

from governance_app.core.errors import RefusalError
from governance_app.core.parsing import FieldRule, model_rules

_SKIPPED_TABLES = frozenset({"change_log", "log_head"})


class InputRefusedError(RefusalError):
    """A value its column cannot hold; ``str()`` is the Korean message (table, row, field)."""

    def __init__(self, table: str, row: str, field: str, message: str):
        self.table, self.row, self.field = table, row, field
        super().__init__(f"{table} {row} {field}: {message}")


def _row_label(obj: Any) -> str:
    code = getattr(obj, "code", None)
    return str(code) if isinstance(code, str) and len(code) <= 64 else f"id {getattr(obj, 'id', None) or '새 행'}"


@functools.cache
def _column_rules(model: type) -> tuple[tuple[str, FieldRule], ...]:
    """(attribute, rule) of every mapped column of ``model`` that has a rule, in mapper order."""
    rules = model_rules(model)
    mapper: Mapper[Any] = inspect(model)
    return tuple((attr.key, rules[attr.key]) for attr in mapper.column_attrs if attr.key in rules)


def check_object(obj: Any, *, changed_only: bool) -> None:
    """Check (and NFC-normalise) the column values of one ORM object; InputRefusedError if one
    cannot be stored."""
    state = inspect(obj)
    table = state.mapper.local_table
    if table.name in _SKIPPED_TABLES:
        return
    model: type = type(obj)
    for name, rule in _column_rules(model):
        if changed_only and not state.attrs[name].history.has_changes():
            continue
        value = getattr(obj, name)
        try:
            checked = rule.check(value)
        except ValueError as exc:
            raise InputRefusedError(table.name, _row_label(obj), name, str(exc)) from None
        if checked is not value and checked != value:
            setattr(obj, name, checked)


@event.listens_for(OrmSession, "before_flush")
def _check_flush(session: OrmSession, _context: Any, _instances: Any) -> None:
    for obj in session.new:
        check_object(obj, changed_only=False)
    for obj in session.dirty:
        check_object(obj, changed_only=True)
