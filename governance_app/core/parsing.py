"""CSV text -> typed records, with a finding per bad cell (table, row, field).

Cell types come from the SQLModel annotations, so the file format cannot drift from the
schema. Value rules (ranges, allowed words, cross-row totals) live in the domain packages.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Union, get_args, get_origin

from governance_app.core.findings import Finding, error
from governance_app.core.tables import TableSpec

_INT = re.compile(r"^[-△]?\d{1,3}(,\d{3})+$|^[-△]?\d+$")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class Table:
    """Typed rows of one table; ``lines`` holds the CSV line of each row (header = line 1)."""

    spec: TableSpec
    rows: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def key_of(self, row: dict[str, Any]) -> str:
        return "/".join("" if row.get(c) is None else str(row[c]) for c in self.spec.key)

    def where(self, index: int) -> str:
        """Row label for a finding: the natural key, or the line when part of the key is empty."""
        row = self.rows[index]
        if any(row.get(c) is None for c in self.spec.key):
            return f"{self.lines[index]}행"
        return self.key_of(row)


def column_type(spec: TableSpec, name: str) -> tuple[type, bool]:
    """(base type, optional) of a model field."""
    annotation = spec.model.model_fields[name].annotation
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0], True
    return annotation, False  # type: ignore[return-value]  # pydantic types annotation Optional; a field has one


def parse_cell(kind: type, text: str) -> Any:
    """Parse one non-empty cell; raises ValueError with a message for the user."""
    if kind is bool:
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise ValueError("true 또는 false로 적어야 합니다")
    if kind is int:
        if not _INT.match(text):
            raise ValueError("정수가 아닙니다")
        negative = text[0] in "-△"
        value = int(text.lstrip("-△").replace(",", ""))
        return -value if negative else value
    if kind is Decimal:
        if not _DECIMAL.match(text):
            raise ValueError("55.4와 같은 소수가 아닙니다")
        try:
            return Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid text
            raise ValueError("소수가 아닙니다") from exc
    if kind is date:
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            raise ValueError("날짜는 YYYY-MM-DD로 적어야 합니다")
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"존재하지 않는 날짜입니다 ({exc})") from exc
    return text


def parse_table(spec: TableSpec, header: list[str], rows: list[list[str]]) -> tuple[Table, list[Finding]]:
    findings: list[Finding] = []
    table = Table(spec)
    missing = [c for c in spec.columns if c not in header]
    unknown = [c for c in header if c not in spec.columns]
    for name in missing:
        findings.append(error(spec.name, "header", name, "", name, f"'{name}' 열이 없습니다"))
    for name in unknown:
        findings.append(error(spec.name, "header", name, name, "", f"알 수 없는 열 '{name}'"))
    if missing:
        return table, findings
    position = {name: header.index(name) for name in spec.columns}
    kinds = {name: column_type(spec, name) for name in spec.columns}
    for offset, cells in enumerate(rows):
        line = offset + 2
        if not any(c.strip() for c in cells):
            continue  # blank line at the end of a hand-edited file
        if len(cells) != len(header):
            findings.append(
                error(
                    spec.name,
                    f"{line}행",
                    "*",
                    f"{len(cells)} cells",
                    f"{len(header)} cells",
                    f"{line}행의 칸 수({len(cells)})가 머리글({len(header)})과 다릅니다",
                )
            )
            continue
        record: dict[str, Any] = {}
        bad: list[tuple[str, str, str]] = []
        for name in spec.columns:
            text = cells[position[name]].strip()
            kind, optional = kinds[name]
            if text == "":
                record[name] = None
                if not optional and kind is not str:
                    bad.append((name, text, "필수 값이 비어 있습니다"))
                elif not optional:
                    bad.append((name, text, "필수 문구가 비어 있습니다"))
                continue
            try:
                record[name] = parse_cell(kind, text)
            except ValueError as exc:
                record[name] = None
                bad.append((name, text, str(exc)))
        table.rows.append(record)
        table.lines.append(line)
        where = table.where(len(table.rows) - 1)
        for name, text, message in bad:
            findings.append(error(spec.name, where, name, text, kinds[name][0].__name__, f"{line}행 {name}: {message}"))
    return table, findings
