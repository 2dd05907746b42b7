"""The budget tables: revenue and expenditure lines with both years and the 증감 column.

Execution reads live in ``budget.execution``, recording a snapshot in ``budget.recording``, the
cumulative curve and the year-end forecast in ``budget.forecast``, and which major-work items spend
which line in ``budget.links``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session

from budget.models import BudgetAmount, BudgetChange, BudgetLine
from governance_app.core.queries import fetch

DEPTH = {"total": 0, "item": 1, "policy": 1, "unit": 2, "detail": 3}


@dataclass(frozen=True)
class BudgetRow:
    code: str
    name: str
    level: str
    parent_code: str | None
    amounts: dict[int, int]
    change: int | None  # last year minus the year before, computed
    change_reported: int | None

    @property
    def depth(self) -> int:
        return DEPTH[self.level]


def budget_table(session: Session, org_id: int, side: str, years: tuple[int, int]) -> list[BudgetRow]:
    """Lines of one side in document order with both years and the 증감 column."""
    base, year = years
    amounts: dict[str, dict[int, int]] = defaultdict(dict)
    for a in fetch(session, BudgetAmount, org_id, BudgetAmount.fiscal_year.in_(years)):  # type: ignore[attr-defined]
        amounts[a.line_code][a.fiscal_year] = a.amount
    reported = {
        c.line_code: c.change_reported
        for c in fetch(session, BudgetChange, org_id, BudgetChange.base_year == base, BudgetChange.fiscal_year == year)
    }
    out = []
    for line in sorted(fetch(session, BudgetLine, org_id, BudgetLine.side == side), key=lambda x: x.seq):
        values = amounts.get(line.code, {})
        change = values[year] - values[base] if base in values and year in values else None
        out.append(
            BudgetRow(line.code, line.name, line.level, line.parent_code, values, change, reported.get(line.code))
        )
    return out


def comparison_years(fiscal_year: int) -> tuple[int, int]:
    """The two years the budget tables compare: the year before and ``fiscal_year``."""
    return fiscal_year - 1, fiscal_year


def budget_years(session: Session, org_id: int) -> list[int]:
    return sorted({a.fiscal_year for a in fetch(session, BudgetAmount, org_id)})


def total_budget(session: Session, org_id: int, year: int, side: str = "expenditure") -> int | None:
    rows = budget_table(session, org_id, side, (year - 1, year))
    return next((r.amounts.get(year) for r in rows if r.level == "total"), None)
