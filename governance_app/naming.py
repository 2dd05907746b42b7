"""Records named in words: a natural key such as ``2025-07/nonphone`` or ``ex.1.1.1/2025-07-31``
becomes "2025년 7월 · 비전화 소계" or "상담정보시스템 운영 · 2025. 7. 31.", with the codes replaced by
the names the dataset gives them (a code of another table by that row's name, a year as "2025년",
a date as "2025. 7. 31.", a key word from i18n.KEY_WORDS). Screens show these, never the keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ForeignKeyConstraint

from governance_app.core import formatting as fmt
from governance_app.core.i18n import KEY_WORDS, TABLE_LABELS
from governance_app.core.parsing import Table
from governance_app.dataset import ALL_TABLES, BY_NAME

NAME_COLUMNS = ("name", "label", "title", "name_ko")
# the statements (institution) have no name: "basis-1" is the first line of the 설립근거
STATEMENT_PARTS = {
    "basis": "설립근거",
    "purpose": "설립목적",
    "mission": "미션",
    "vision": "비전",
    "slogan": "슬로건",
    "goal": "경영목표",
    "strategy": "전략방향",
    "task": "핵심과제",
}
YEAR_COLUMNS = {"fiscal_year", "year", "base_year"}


@dataclass(frozen=True)
class Names:
    """What each code of each table is called: (table, code) -> name."""

    by_table: dict[str, dict[str, str]]

    def code(self, table: str, value: str) -> str | None:
        return self.by_table.get(table, {}).get(value)

    def describe(self, table: str, key: str) -> str:
        """The row ``key`` of ``table`` in words ("2025년 7월 · 비전화 소계"); '3행' stays as it is."""
        spec = BY_NAME.get(table)
        parts = key.split("/")
        if spec is not None and len(parts) == 1 and len(spec.key) > 1 and spec.key[-1] == "code":
            # a code without the year or session it belongs to (the correction register writes them so)
            named = self.code(table, key)
            if named:
                return named
            part, _, number = key.partition("-")
            if table == "statement" and part in STATEMENT_PARTS:
                return f"{STATEMENT_PARTS[part]} {number}" if number else STATEMENT_PARTS[part]
        if spec is None or len(parts) != len(spec.key):
            return " · ".join(self._word(None, None, p) for p in parts)
        targets = _targets(table)
        return " · ".join(
            self._word(column, targets.get(column), value) for column, value in zip(spec.key, parts, strict=True)
        )

    def value(self, table: str, field: str, value: object) -> str | None:
        """The name of the code ``value`` in ``table.field`` when that field names another row
        (budget_amount.line_code 'exp.1.1.1' -> '상담정보시스템 운영'); None otherwise."""
        target = _targets(table).get(field) if table in BY_NAME else None
        return self.code(target, str(value)) if target and value is not None else None

    def where(self, table: str, key: str) -> str:
        """The table and the row: "일평균 상담건 수 · 2025년 7월 · 비전화 소계"."""
        label = TABLE_LABELS.get(table, table)
        row = self.describe(table, key) if key not in ("", "-", "*") else ""
        return " · ".join(p for p in (label, row) if p)

    def _word(self, column: str | None, target: str | None, value: str) -> str:
        if column in YEAR_COLUMNS and value.isdigit():
            return f"{value}년"
        if column == "seq" and value.isdigit():
            return f"{value}번"
        if column == "revision" and value.isdigit():  # budget_amount: 0 is the 본예산, n the n-th 추경
            return "본예산" if value == "0" else f"제{value}회 추경"
        if target is not None and (name := self.code(target, value)):
            return name
        if value in KEY_WORDS:
            return KEY_WORDS[value]
        try:
            return fmt.date_ko(date.fromisoformat(value))
        except ValueError:
            return value


def _targets(table: str) -> dict[str, str]:
    """Key column -> the table its value names: a foreign key's target, or the table itself for
    its own ``code``."""
    spec = BY_NAME[table]
    out = {"code": table} if "code" in spec.columns else {}
    for constraint in spec.model.__table__.constraints:  # type: ignore[attr-defined]
        if isinstance(constraint, ForeignKeyConstraint):
            target = constraint.elements[0].column.table.name
            for c, e in zip(constraint.columns, constraint.elements, strict=False):
                if c.name != "org_id" and e.column.name == "code":
                    out[c.name] = target
    return out


def names(dataset: dict[str, Table]) -> Names:
    by_table: dict[str, dict[str, str]] = {}
    for spec in ALL_TABLES:
        table = dataset.get(spec.name)
        column = next((c for c in NAME_COLUMNS if c in spec.columns), None)
        if table is None or column is None or "code" not in spec.columns:
            continue
        by_table[spec.name] = {str(r["code"]): _text(r[column]) for r in table.rows if r.get(column)}
    return Names(by_table)


def _text(value: Any) -> str:
    return str(value).replace("\n", " ")
