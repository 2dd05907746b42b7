"""The cumulative execution curve and the year-end forecast (집행액 and 불용 예상액)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from sqlmodel import Session

from budget.execution import execution_lines, line_figures
from budget.models import ExecutionSnapshot
from budget.service import budget_in_force
from governance_app.core.numbers import divide_half_up, rate
from governance_app.core.queries import fetch


@dataclass(frozen=True)
class CurvePoint:
    """Cumulative 집행액 of one line (or the total) on a snapshot date."""

    code: str
    label: str
    is_total: bool
    as_of: date
    budget: int
    executed: int
    rate: Decimal | None


def execution_series(session: Session, org_id: int, as_of: date) -> list[CurvePoint]:
    """Every recorded snapshot of ``as_of``'s year up to ``as_of``, per line (table order) by date;
    the total on each date is the sum of the lines, as in ``execution``."""
    lines = execution_lines(session, org_id)
    by_date: dict[date, dict[str, ExecutionSnapshot]] = defaultdict(dict)
    for snap in fetch(session, ExecutionSnapshot, org_id):
        if snap.as_of.year == as_of.year and snap.as_of <= as_of:
            by_date[snap.as_of][snap.line_code] = snap
    figures = {on: line_figures(lines, snaps, budget_in_force(session, org_id, on)) for on, snaps in by_date.items()}
    out = []
    for line in lines:
        for on in sorted(figures):
            if line.code in figures[on]:
                budget, executed = figures[on][line.code]
                out.append(
                    CurvePoint(line.code, line.label, line.is_total, on, budget, executed, rate(executed, budget))
                )
    return out


FORECAST_TREND = "추세선"  # least squares over the snapshots, said plainly
FORECAST_LINEAR = "1. 1.부터 선형"
FORECAST_SUM = "세부사업 합"


def _day(on: date) -> int:
    """Days of the year elapsed at the end of ``on`` (1 January = 1), as year_elapsed counts."""
    return (on - date(on.year, 1, 1)).days + 1


def _year_days(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def project(points: list[tuple[date, int]], budget: int) -> tuple[int, str]:
    """Year-end cumulative 집행액 of one line from its dated cumulative amounts (one year, any order).

    Two or more dates: the ordinary least-squares line through (day of year, 집행액), read at
    31 December. With exactly two dates this is the line through both; with more, one lumpy
    month (a contract paid at once, a late posting) moves it less than a line through the last
    two points would. One date: linear from 1 January (집행액 / elapsed share of the year, with
    the exact day count rather than the rounded percentage). The result is rounded half-up to
    whole 천원, never below the last recorded amount (cumulative spending does not fall) and
    capped at the budget.
    """
    ordered = sorted(points)
    last_day, last = ordered[-1]
    end = _year_days(last_day.year)
    if len(ordered) >= 2:
        n = len(ordered)
        xs = [_day(d) for d, _ in ordered]
        ys = [y for _, y in ordered]
        sx, sy = sum(xs), sum(ys)
        sxx = sum(x * x for x in xs)
        sxy = sum(x * y for x, y in zip(xs, ys, strict=True))
        slope = Fraction(n * sxy - sx * sy, n * sxx - sx * sx)
        value = Fraction(sy, n) + slope * (end - Fraction(sx, n))
        method = FORECAST_TREND
    else:
        value = Fraction(last * end, _day(last_day))
        method = FORECAST_LINEAR
    fitted = divide_half_up(value.numerator, value.denominator)
    return min(budget, max(last, fitted)), method


@dataclass(frozen=True)
class ForecastRow:
    code: str
    label: str
    is_total: bool
    as_of: date
    budget: int  # 예산액 as of the date
    executed: int  # 집행액 as of the date
    forecast: int  # 연말 예상 집행액
    unspent: int  # 불용 예상액 = budget - forecast
    forecast_rate: Decimal | None
    points: int  # snapshots the forecast used
    method: str


def forecast(session: Session, org_id: int, as_of: date) -> list[ForecastRow]:
    """Year-end 집행액 and 불용 예상액 per line and in total, from the snapshots up to ``as_of``.

    Each line: ``project`` over its snapshots of the year up to ``as_of``, against the budget
    recorded on ``as_of``. The total is the sum of the lines' forecasts (so its 불용 예상액 is the
    sum of theirs), not a fit of its own. All money whole 천원.
    """
    points = execution_series(session, org_id, as_of)
    current = {p.code: p for p in points if p.as_of == as_of}
    out: list[ForecastRow] = []
    total_line = None
    for line in execution_lines(session, org_id):
        if line.is_total:
            total_line = line
            continue
        now = current.get(line.code)
        if now is None:
            continue
        series = [(p.as_of, p.executed) for p in points if p.code == line.code]
        value, method = project(series, now.budget)
        out.append(
            ForecastRow(
                line.code,
                line.label,
                False,
                as_of,
                now.budget,
                now.executed,
                value,
                now.budget - value,
                rate(value, now.budget),
                len(series),
                method,
            )
        )
    if total_line is not None and out:
        budget = sum(r.budget for r in out)
        value = sum(r.forecast for r in out)
        total = ForecastRow(
            total_line.code,
            total_line.label,
            True,
            as_of,
            budget,
            sum(r.executed for r in out),
            value,
            budget - value,
            rate(value, budget),
            max(r.points for r in out),
            FORECAST_SUM,
        )
        out.insert(0, total)
    return out
