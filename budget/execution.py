"""Execution as of a recorded date: 예산액, 집행액, 집행률 and 잔액 per line, with the lag against
the elapsed share of the year."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from budget.models import ExecutionLine, ExecutionSnapshot
from budget.service import budget_in_force
from governance_app.core.auth import Actor, may_see_personal_data
from governance_app.core.context import Context
from governance_app.core.numbers import rate
from governance_app.core.queries import fetch

# %p: a line whose 집행률 trails the elapsed share of the year by more than this is flagged 부진.
LAG_THRESHOLD = Decimal(10)


def execution_lines(session: Session, org_id: int) -> list[ExecutionLine]:
    return sorted(fetch(session, ExecutionLine, org_id), key=lambda x: x.seq)


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

    @property
    def lag_status(self) -> str:
        """'부진' when 집행률 trails the elapsed share by more than LAG_THRESHOLD, '미달' when it
        trails by less, '' when it keeps pace (or there is no rate: a zero budget)."""
        if self.gap is None or self.gap >= 0:
            return ""
        return "부진" if -self.gap > LAG_THRESHOLD else "미달"

    @property
    def lagging(self) -> bool:
        return self.lag_status == "부진"


def execution_dates(session: Session, org_id: int, fiscal_year: int | None = None) -> list[date]:
    """The recorded snapshot dates, oldest first (of one fiscal year when given)."""
    return sorted(
        {
            s.as_of
            for s in fetch(session, ExecutionSnapshot, org_id)
            if fiscal_year is None or s.as_of.year == fiscal_year
        }
    )


class UnknownAsOfError(LookupError):
    """A 기준일 asked for on which no execution snapshot was recorded."""

    def __init__(self, asked: date, recorded: list[date]) -> None:
        shown = ", ".join(d.isoformat() for d in recorded) or "none"
        super().__init__(f"no execution snapshot as of {asked.isoformat()}; recorded: {shown}")
        self.asked, self.recorded = asked, recorded


def execution_as_of(
    session: Session, org_id: int, chosen: date | None = None, fiscal_year: int | None = None
) -> date | None:
    """The 기준일 the overview, the budget pages and the documents show: ``chosen`` (a recorded
    date, else UnknownAsOfError) or the latest recorded snapshot; None when none was recorded.
    A frozen round's documents pass the round's own date (Report.execution_as_of) as ``chosen``."""
    dates = execution_dates(session, org_id, fiscal_year)
    if chosen is not None:
        if chosen not in dates:
            raise UnknownAsOfError(chosen, dates)
        return chosen
    return dates[-1] if dates else None


def shown_as_of(session: Session, ctx: Context, chosen: date | None = None) -> date:
    """The 기준일 a round's pages and documents print: a submitted round's own date (its documents
    stay as submitted); else ``chosen`` (a recorded date, or the round's own), else the latest
    snapshot of the round's fiscal year, else the round's own date."""
    if ctx.submitted or chosen == ctx.execution_as_of:
        return ctx.execution_as_of
    return execution_as_of(session, ctx.org_id, chosen, ctx.fiscal_year) or ctx.execution_as_of


def line_figures(
    lines: list[ExecutionLine], snaps: dict[str, ExecutionSnapshot], in_force: dict[str, int] | None = None
) -> dict[str, tuple[int, int]]:
    """(예산액, 집행액) per line on one date; the total is the sum of the lines recorded that day
    (the stored total row is the reported figure, which reconciliation compares with this sum).

    예산액 is the budget in force on the date (``in_force``, budget.service.budget_in_force: the
    본예산, or the 추경 that took effect by then) wherever the budget names the line; the 예산액
    recorded with the snapshot only where it does not. So a 추경 changes the 집행률 from its date
    on, and never before."""
    in_force = in_force or {}
    out = {
        line.code: (
            in_force.get(line.budget_line_code, snaps[line.code].budget_amount),
            snaps[line.code].executed_amount,
        )
        for line in lines
        if line.code in snaps and not line.is_total
    }
    for line in lines:
        if line.is_total and (out or line.code in snaps):
            out[line.code] = (
                (sum(b for b, _ in out.values()), sum(e for _, e in out.values()))
                if out
                else (snaps[line.code].budget_amount, snaps[line.code].executed_amount)
            )
    return out


CONTACT_FIELDS = ("manager_name", "manager_phone", "officer_name", "officer_phone")


def execution(session: Session, org_id: int, as_of: date, actor: Actor | None = None) -> list[ExecutionRow]:
    """Every execution line's 예산액, 집행액, 집행률 and 잔액 as of a recorded date; the 합계 row
    adds up the lines. The contacts (names with extensions: personal data) are filled only for an
    ``actor`` who may see personal data; without one they are None."""
    personal = actor is not None and may_see_personal_data(actor)
    snaps = {s.line_code: s for s in fetch(session, ExecutionSnapshot, org_id, ExecutionSnapshot.as_of == as_of)}
    elapsed = year_elapsed(as_of)
    lines = execution_lines(session, org_id)
    figures = line_figures(lines, snaps, budget_in_force(session, org_id, as_of) if snaps else {})
    out = []
    for line in lines:
        if line.code not in figures:
            continue
        budget, executed = figures[line.code]
        snap = snaps.get(line.code)
        out.append(
            ExecutionRow(
                line.code,
                line.label,
                line.budget_line_code,
                line.is_total,
                as_of,
                budget,
                executed,
                rate(executed, budget),
                snap.rate_reported if snap else None,
                budget - executed,
                elapsed,
                {name: getattr(line, name) if personal else None for name in CONTACT_FIELDS},
            )
        )
    return out


def execution_total(session: Session, org_id: int, as_of: date) -> ExecutionRow | None:
    return next((r for r in execution(session, org_id, as_of) if r.is_total), None)


def lagging(rows: list[ExecutionRow]) -> list[ExecutionRow]:
    """Lines (not the total) trailing the elapsed share by more than LAG_THRESHOLD, in table order."""
    return [r for r in rows if not r.is_total and r.lagging]
