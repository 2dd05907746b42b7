"""Budget queries: the revenue and expenditure tables, execution as of a date."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from budget.models import BudgetAmount, BudgetChange, BudgetLine, ExecutionLine, ExecutionSnapshot
from governance_app.numbers import rate
from governance_app.queries import fetch

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


def budget_years(session: Session, org_id: int) -> list[int]:
    return sorted({a.fiscal_year for a in fetch(session, BudgetAmount, org_id)})


def total_budget(session: Session, org_id: int, year: int, side: str = "expenditure") -> int | None:
    rows = budget_table(session, org_id, side, (year - 1, year))
    return next((r.amounts.get(year) for r in rows if r.level == "total"), None)


def year_elapsed(on: date) -> Decimal:
    """Share of the fiscal (calendar) year elapsed at the end of ``on``, in percent."""
    start = date(on.year, 1, 1)
    days = (date(on.year + 1, 1, 1) - start).days
    return rate((on - start).days + 1, days) or Decimal(0)


@dataclass(frozen=True)
class ExecutionRow:
    code: str
    label: str
    budget_line_code: str
    is_total: bool
    as_of: date
    budget: int
    executed: int
    rate: Decimal | None
    rate_reported: Decimal | None
    remaining: int
    elapsed: Decimal
    contacts: dict[str, str | None] = field(default_factory=dict)  # personal data

    @property
    def gap(self) -> Decimal | None:
        """집행률 minus the elapsed share of the year, in percentage points (negative = lagging)."""
        return None if self.rate is None else self.rate - self.elapsed


def execution_dates(session: Session, org_id: int) -> list[date]:
    return sorted({s.as_of for s in fetch(session, ExecutionSnapshot, org_id)})


def execution(session: Session, org_id: int, as_of: date) -> list[ExecutionRow]:
    """Every execution line's 예산액, 집행액, 집행률 and 잔액 as of a recorded date."""
    snaps = {s.line_code: s for s in fetch(session, ExecutionSnapshot, org_id, ExecutionSnapshot.as_of == as_of)}
    elapsed = year_elapsed(as_of)
    out = []
    for line in sorted(fetch(session, ExecutionLine, org_id), key=lambda x: x.seq):
        snap = snaps.get(line.code)
        if snap is None:
            continue
        out.append(
            ExecutionRow(
                line.code,
                line.label,
                line.budget_line_code,
                line.is_total,
                as_of,
                snap.budget_amount,
                snap.executed_amount,
                rate(snap.executed_amount, snap.budget_amount),
                snap.rate_reported,
                snap.budget_amount - snap.executed_amount,
                elapsed,
                {
                    "manager_name": line.manager_name,
                    "manager_phone": line.manager_phone,
                    "officer_name": line.officer_name,
                    "officer_phone": line.officer_phone,
                },
            )
        )
    return out


def execution_total(session: Session, org_id: int, as_of: date) -> ExecutionRow | None:
    return next((r for r in execution(session, org_id, as_of) if r.is_total), None)
