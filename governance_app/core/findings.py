"""A validation or reconciliation finding: what is wrong, where, and what was expected."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    table: str
    row: str  # the row's natural key (e.g. "2019/phone"), or "line N" when it has none
    field: str
    reported: str
    expected: str
    severity: Severity
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        return f"[{self.severity}] {self.table} {self.row} {self.field}: {self.message}"


def error(table: str, row: str, field: str, reported: object, expected: object, message: str) -> Finding:
    return Finding(table, row, field, _text(reported), _text(expected), "error", message)


def warning(table: str, row: str, field: str, reported: object, expected: object, message: str) -> Finding:
    return Finding(table, row, field, _text(reported), _text(expected), "warning", message)


def _text(value: object) -> str:
    return "" if value is None else str(value)
