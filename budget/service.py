"""The budget tables: revenue and expenditure lines with both years and the 증감 column.

Execution reads live in ``budget.execution``, recording a snapshot in ``budget.recording``, the
cumulative curve and the year-end forecast in ``budget.forecast``, and which major-work items spend
which line in ``budget.links``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from budget.models import BudgetAmount, BudgetChange, BudgetLine, BudgetRevision
from budget.revisions import BASE_LABEL, amounts_in_force
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


def amounts_on(
    session: Session, org_id: int, years: tuple[int, ...], on: date | None = None
) -> dict[tuple[str, int], int]:
    """(line, year) -> amount of the budget in force: on ``on`` for its own year (the 본예산 until
    a 추경 takes effect), the latest revision of every other year (and of all when ``on`` is None)."""
    stored = fetch(session, BudgetAmount, org_id, BudgetAmount.fiscal_year.in_(years))  # type: ignore[attr-defined]
    revisions = fetch(session, BudgetRevision, org_id, BudgetRevision.fiscal_year.in_(years))  # type: ignore[attr-defined]
    return amounts_in_force(
        [(a.line_code, a.fiscal_year, a.revision, a.amount) for a in stored],
        [(r.fiscal_year, r.revision, r.effective_on) for r in revisions],
        on,
    )


def budget_in_force(session: Session, org_id: int, on: date) -> dict[str, int]:
    """Line code -> amount of ``on``'s fiscal year's budget in force on ``on``."""
    return {line: amount for (line, _), amount in amounts_on(session, org_id, (on.year,), on).items()}


@dataclass(frozen=True)
class BudgetVersion:
    """One step of a year's budget history: the 본예산 (revision 0) or a 추경 with its date."""

    revision: int
    label: str
    effective_on: date
    total: int | None  # 세출 총계


def budget_history(session: Session, org_id: int, year: int) -> list[BudgetVersion]:
    """The 본예산 and each 추경 of ``year`` in order, with the date each took effect."""
    totals = {
        a.revision: a.amount
        for a in fetch(session, BudgetAmount, org_id, BudgetAmount.fiscal_year == year, BudgetAmount.line_code == "exp")
    }
    revisions = {r.revision: r for r in fetch(session, BudgetRevision, org_id, BudgetRevision.fiscal_year == year)}
    out = [BudgetVersion(0, BASE_LABEL, date(year, 1, 1), totals[0])] if 0 in totals else []
    for number in sorted(revisions):
        r = revisions[number]
        out.append(BudgetVersion(number, r.label, r.effective_on, totals.get(number)))
    return out


def budget_table(
    session: Session, org_id: int, side: str, years: tuple[int, int], on: date | None = None
) -> list[BudgetRow]:
    """Lines of one side in document order with both years and the 증감 column: each year's
    budget as it stands (its latest 추경), or as it stood on ``on`` for ``on``'s year."""
    base, year = years
    amounts: dict[str, dict[int, int]] = defaultdict(dict)
    for (line_code, fiscal_year), amount in amounts_on(session, org_id, years, on).items():
        amounts[line_code][fiscal_year] = amount
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
