"""CSV text -> typed records, with a finding per bad cell (table, row, field): the input boundary.

Cell types come from the SQLModel annotations, so the file format cannot drift from the
schema. What every value must satisfy to be stored on either database is read off the column
(``field_rule``): integers within the column's range (Integer 32-bit, BigInteger 64-bit,
Numeric(p, s) p-s whole digits and s places) written in ASCII digits only; text normalised to
NFC without control or invisible characters (tab and newline only in a model's
``multiline_fields``), at most ``KEY_LENGTH`` characters in key and code columns and
``TEXT_LENGTH`` / ``MULTILINE_LENGTH`` elsewhere. ``clean_text`` is the one text check; forms
and uploads call it too. Value rules (ranges, allowed words, cross-row totals) live in the
domain packages (``schemas.py``).
"""

from __future__ import annotations

import functools
import re
import types
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Union, get_args, get_origin

from sqlalchemy import BigInteger, ForeignKeyConstraint, Integer, LargeBinary, Numeric, String
from sqlalchemy.types import TypeDecorator

from governance_app.core.findings import Finding, error
from governance_app.core.tables import TableSpec

# [0-9], not \d: \d also matches 𝟗, ١٢٣ and １２, which would be read as numbers.
_INT = re.compile(r"[-△]?[0-9]{1,3}(,[0-9]{3})+|[-△]?[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

KEY_LENGTH = 64  # key and code columns (PostgreSQL's btree index rows stay small)
TEXT_LENGTH = 2_000  # one-line text
MULTILINE_LENGTH = 20_000  # notes, 추진내용 and other multi-line text
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
# Hangul fillers are letters to Unicode but show nothing.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Other (Cc control, Cf format such as U+200B/U+FEFF/U+2060, Cs, Co, Cn) and line/paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}{' ' + name if name else ''}"


def clean_text(text: str, *, multiline: bool = False, limit: int | None = None, key: bool = False) -> str:
    """``text`` in NFC; raises ValueError (Korean) for a control or invisible character, a
    combining mark left over in a key, or more than ``limit`` characters."""
    ascii_only = text.isascii()  # the common case: nothing to normalise, no mark, no odd space
    if not ascii_only:
        text = unicodedata.normalize("NFC", text)
    if not text.isprintable():  # fast path: printable text holds no refused character
        for char in text:
            if multiline and char in "\t\n":
                continue
            if char == "\r" and multiline:
                raise ValueError("줄바꿈은 LF(\\n)만 쓸 수 있습니다 (CR 문자 U+000D)")
            if unicodedata.category(char) in _REFUSED_CATEGORIES:
                raise ValueError(f"보이지 않는 문자나 제어 문자({_describe(char)})는 쓸 수 없습니다")
    if not ascii_only and not _INVISIBLE_LETTERS.isdisjoint(text):
        char = next(c for c in text if c in _INVISIBLE_LETTERS)
        raise ValueError(f"보이지 않는 문자({_describe(char)})는 쓸 수 없습니다")
    if key and not ascii_only:
        for char in text:
            if unicodedata.category(char).startswith("M") or (char.isspace() and char != " "):
                raise ValueError(f"키에는 결합 문자나 특수 공백({_describe(char)})을 쓸 수 없습니다")
    if limit is not None and len(text) > limit:
        raise ValueError(f"{limit:,}자를 넘을 수 없습니다 ({len(text):,}자)")
    return text


@dataclass(frozen=True)
class FieldRule:
    """What one column accepts: its type and, read off the database column, its bounds."""

    kind: type
    optional: bool
    low: int | Decimal | None = None  # integers and decimals: the storable range
    high: int | Decimal | None = None
    scale: int | None = None  # decimals: places after the point
    length: int | None = None  # text: most characters
    multiline: bool = False
    key: bool = False
    binary: bool = False  # base64 text of a binary column: checked by its own domain

    def check(self, value: Any) -> Any:
        """The value as stored, or ValueError (Korean) when the column cannot hold it."""
        if value is None or self.binary:
            return value
        if isinstance(value, str):
            return clean_text(value, multiline=self.multiline, limit=self.length, key=self.key)
        if isinstance(value, bool):
            return value
        if isinstance(value, int | Decimal) and self.low is not None and self.high is not None:
            if isinstance(value, Decimal):
                if not value.is_finite():
                    raise ValueError("숫자가 아닙니다")
                if self.scale is not None and value != value.quantize(Decimal(1).scaleb(-self.scale)):
                    raise ValueError(f"소수 {self.scale}자리까지 적을 수 있습니다")
            if not self.low <= value <= self.high:
                raise ValueError(f"저장할 수 있는 범위({self.low:,} ~ {self.high:,})를 벗어났습니다")
        return value


def _reference_columns(table: Any) -> set[str]:
    out: set[str] = set()
    for constraint in table.constraints:
        if isinstance(constraint, ForeignKeyConstraint):
            out.update(c.name for c in constraint.columns)
    return out


@functools.cache
def model_rules(model: type) -> dict[str, FieldRule]:
    """The rule of every column of ``model`` (a SQLModel table class)."""
    table = model.__table__  # type: ignore[attr-defined]
    keys = {c.name for c in table.primary_key.columns} | _reference_columns(table)
    for constraint in table.constraints:
        if constraint.__class__.__name__ == "UniqueConstraint":
            keys.update(c.name for c in constraint.columns)
    keys.update(c.name for c in table.columns if c.unique or c.name.endswith("code"))
    multiline = frozenset(getattr(model, "multiline_fields", ()))
    rules = {}
    for name in model.model_fields:  # type: ignore[attr-defined]
        if name not in table.c:
            continue
        kind, optional = _annotation(model, name)
        sa_type = table.c[name].type
        rule = FieldRule(kind, optional)
        if isinstance(sa_type, TypeDecorator) and isinstance(sa_type.impl_instance, LargeBinary):
            rule = FieldRule(kind, optional, binary=True)
        elif kind is int:
            variants = [sa_type, *getattr(sa_type, "_variant_mapping", {}).values()]
            low, high = INT64 if any(isinstance(t, BigInteger) for t in variants) else INT32
            rule = FieldRule(kind, optional, low=low, high=high)
        elif kind is Decimal and isinstance(sa_type, Numeric) and sa_type.precision is not None:
            scale = sa_type.scale or 0
            top = Decimal(10) ** (sa_type.precision - scale) - Decimal(1).scaleb(-scale)
            rule = FieldRule(kind, optional, low=-top, high=top, scale=scale)
        elif kind is str:
            is_key = name in keys
            length = KEY_LENGTH if is_key else MULTILINE_LENGTH if name in multiline else TEXT_LENGTH
            if isinstance(sa_type, String) and sa_type.length:
                length = min(length, sa_type.length)
            rule = FieldRule(kind, optional, length=length, multiline=name in multiline, key=is_key)
        elif isinstance(sa_type, Integer):  # pragma: no cover - every integer column is annotated int
            rule = FieldRule(kind, optional, low=INT32[0], high=INT32[1])
        rules[name] = rule
    return rules


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


def _annotation(model: type, name: str) -> tuple[type, bool]:
    annotation = model.model_fields[name].annotation  # type: ignore[attr-defined]
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0], True
    return annotation, False


def column_type(spec: TableSpec, name: str) -> tuple[type, bool]:
    """(base type, optional) of a model field."""
    return _annotation(spec.model, name)


def parse_cell(kind: type, text: str, rule: FieldRule | None = None) -> Any:
    """Parse one non-empty cell; raises ValueError with a message for the user. With ``rule``
    the value is also checked against what its column can hold."""
    value = _parse(kind, text)
    return rule.check(value) if rule is not None else value


def _parse(kind: type, text: str) -> Any:
    if kind is bool:
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise ValueError("true 또는 false로 적어야 합니다")
    if kind is int:
        if not _INT.fullmatch(text):
            raise ValueError("정수가 아닙니다")
        negative = text[0] in "-△"
        value = int(text.lstrip("-△").replace(",", ""))
        return -value if negative else value
    if kind is Decimal:
        if not _DECIMAL.fullmatch(text):
            raise ValueError("55.4와 같은 소수가 아닙니다")
        try:
            return Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid text
            raise ValueError("소수가 아닙니다") from exc
    if kind is date:
        if not _DATE.fullmatch(text):
            raise ValueError("날짜는 YYYY-MM-DD로 적어야 합니다")
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"존재하지 않는 날짜입니다 ({exc})") from exc
    return from_text_cell(text)


def parse_table(spec: TableSpec, header: list[str], rows: list[list[str]]) -> tuple[Table, list[Finding]]:
    findings: list[Finding] = []
    table = Table(spec)
    missing = [c for c in spec.columns if c not in header]
    unknown = [c for c in header if c not in spec.columns]
    doubled = sorted({c for c in header if header.count(c) > 1})
    for name in missing:
        findings.append(error(spec.name, "header", name, "", name, f"{spec.file_name} 1행: '{name}' 열이 없습니다"))
    for name in unknown:
        shown = clean_shown(name)
        findings.append(error(spec.name, "header", shown, shown, "", f"{spec.file_name} 1행: 알 수 없는 열 '{shown}'"))
    for name in doubled:
        findings.append(
            error(spec.name, "header", name, name, "", f"{spec.file_name} 1행: '{name}' 열이 두 번 이상 있습니다")
        )
    if missing or unknown or doubled:
        return table, findings
    position = {name: header.index(name) for name in spec.columns}
    kinds = {name: column_type(spec, name) for name in spec.columns}
    rules = model_rules(spec.model)
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
                record[name] = parse_cell(kind, text, rules.get(name))
            except ValueError as exc:
                record[name] = None
                bad.append((name, text, str(exc)))
        table.rows.append(record)
        table.lines.append(line)
        where = table.where(len(table.rows) - 1)
        for name, text, message in bad:
            shown = clean_shown(text)
            findings.append(
                error(
                    spec.name,
                    where,
                    name,
                    shown,
                    kinds[name][0].__name__,
                    f"{spec.file_name} {line}행 {name}: {message}",
                )
            )
    return table, findings


# A text cell that a spreadsheet would run as a formula (starting with = + - @, or a tab or CR) is
# written after an apostrophe, which makes Excel and LibreOffice show it as text; parsing removes
# it. Text that itself starts with apostrophes before such a character gets one more, so the
# round trip is exact: "=1+1" <-> "'=1+1", "'=1" <-> "''=1", "'25. 6." stays as it is.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def text_cell(text: str) -> str:
    """How a stored text is written to a CSV cell."""
    return "'" + text if _FORMULA_START.match(text) else text


def from_text_cell(text: str) -> str:
    """The stored text of a CSV cell written by ``text_cell``."""
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text, 1) else text


def clean_shown(text: str, limit: int = 80) -> str:
    """A refused value as it may be shown in a message: control and invisible characters as
    U+XXXX, and cut to ``limit`` characters."""
    out = []
    for char in text[:limit]:
        if unicodedata.category(char) in _REFUSED_CATEGORIES or char in _INVISIBLE_LETTERS:
            out.append(f"<U+{ord(char):04X}>")
        else:
            out.append(char)
    return "".join(out) + ("…" if len(text) > limit else "")
