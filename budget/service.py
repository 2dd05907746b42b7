"""Budget queries and the recording of execution snapshots.

Reads: the revenue and expenditure tables, execution as of a date with the lag against the
elapsed share of the year, the cumulative curve, the year-end forecast, and which major-work
items spend which line. Writes: ``record_execution`` (one snapshot date, one transaction).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from budget.models import BudgetAmount, BudgetChange, BudgetLine, BudgetRevision, ExecutionLine, ExecutionSnapshot
from budget.revisions import BASE_LABEL, amounts_in_force
from budget.upload import FIELD_NAMES, ParsedUpload, UploadRow, parse_grid, parse_upload
from governance_app.core import changelog
from governance_app.core.auth import Actor, PermissionDeniedError, may_see_personal_data, require
from governance_app.core.context import current
from governance_app.core.findings import Finding, error, warning
from governance_app.core.numbers import divide_half_up, rate
from governance_app.core.queries import fetch
from major_work.models import WorkBudgetLink, WorkItem

DEPTH = {"total": 0, "item": 1, "policy": 1, "unit": 2, "detail": 3}
# %p: a line whose 집행률 trails the elapsed share of the year by more than this is flagged 부진.
LAG_THRESHOLD = Decimal(10)


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
        for a in fetch(session, BudgetAmount, org_id, BudgetAmount.fiscal_year == year, BudgetAmount.line_code == "exp")  # type: ignore[arg-type]
    }
    revisions = {r.revision: r for r in fetch(session, BudgetRevision, org_id, BudgetRevision.fiscal_year == year)}  # type: ignore[arg-type]
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


def execution_dates(session: Session, org_id: int) -> list[date]:
    return sorted({s.as_of for s in fetch(session, ExecutionSnapshot, org_id)})


def _figures(
    lines: list[ExecutionLine], snaps: dict[str, ExecutionSnapshot], in_force: dict[str, int]
) -> dict[str, tuple[int, int]]:
    """(예산액, 집행액) per line on one date; the total is the sum of the lines recorded that day
    (the stored total row is the reported figure, which reconciliation compares with this sum).

    예산액 is the budget in force on the date (``in_force``: the 본예산, or the 추경 that took effect
    by then) wherever the budget names the line; the 예산액 recorded with the snapshot only where
    it does not. So a 추경 changes the 집행률 from its date on, and never before."""
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
    figures = _figures(lines, snaps, budget_in_force(session, org_id, as_of) if snaps else {})
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


# --- recording a snapshot -------------------------------------------------------------------
#
# Errors (nothing is saved): an unknown line, the total row typed in (it is always the sum of the
# lines), a line left out, a negative amount, 집행액 above 예산액 (the accounting system does not
# let a line spend beyond its 예산현액, so the figure is mistyped; a changed budget is entered as
# the new 예산액), an as-of date in the future or outside the fiscal year.
# Warnings (saved, shown): 예산액 differing from the year's budget of the line (a mid-year change
# or 전용), cumulative 집행액 lower than an earlier snapshot's or higher than a later one's
# (refunds can do that, typing errors too).

SNAPSHOT_TABLE = "execution_snapshot"
TOTAL_WORDS = ("합계", "계", "총계")


class ExecutionRecordError(ValueError):
    """A snapshot with errors; carries every finding (errors and warnings)."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        errors = [f for f in findings if f.severity == "error"]
        super().__init__(f"{len(errors)} error(s); first: {errors[0] if errors else '-'}")

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def may_record(actor: Actor) -> bool:
    try:
        require(actor, "execution.record")
    except PermissionDeniedError:
        return False
    return True


def execution_lines(session: Session, org_id: int) -> list[ExecutionLine]:
    return sorted(fetch(session, ExecutionLine, org_id), key=lambda x: x.seq)


def record_dates(fiscal_year: int, today: date | None = None) -> tuple[date, date]:
    """First and last date a snapshot of ``fiscal_year`` may carry on ``today``."""
    today = today or date.today()
    first = date(fiscal_year, 1, 1)
    return first, max(first, min(date(fiscal_year, 12, 31), today))


def check_execution(
    session: Session,
    org_id: int,
    as_of: date,
    amounts: dict[str, tuple[int, int]],
    *,
    fiscal_year: int,
    today: date | None = None,
    where: dict[str, str] | None = None,
    source: str = SNAPSHOT_TABLE,
    require_all: bool = True,
) -> list[Finding]:
    """Every error and warning of recording ``amounts`` (line code -> (예산액, 집행액)) as of a date.

    ``where`` names the row a line came from ("3행") so messages point into the upload.
    """
    today = today or date.today()
    where = where or {}
    lines = execution_lines(session, org_id)
    by_code = {line.code: line for line in lines}
    out: list[Finding] = []

    def at(code: str) -> tuple[str, str]:
        line = by_code.get(code)
        label = line.label if line else code
        row = where.get(code, label)
        return row, (f"{row} ({label})" if row != label else label)

    shown = as_of.isoformat()
    if as_of > today:
        out.append(
            error(source, "-", "기준일", shown, f"<= {today.isoformat()}", f"기준일 {shown}은(는) 오늘 이후입니다")
        )
    if as_of.year != fiscal_year:
        out.append(
            error(
                source,
                "-",
                "기준일",
                shown,
                f"{fiscal_year}-01-01 ~ {fiscal_year}-12-31",
                f"기준일 {shown}이(가) {fiscal_year} 회계연도 밖입니다",
            )
        )
    for code, value in amounts.items():
        row, named = at(code)
        line = by_code.get(code)
        if line is None:
            out.append(error(source, row, "구분", code, "집행 현황의 세부사업", f"{named}: 알 수 없는 세부사업입니다"))
            continue
        if line.is_total:
            out.append(
                error(
                    source, row, "구분", code, "세부사업", f"{named}: 합계는 세부사업 합으로 계산하므로 적지 않습니다"
                )
            )
            continue
        budget, executed = value
        for field_name, number in (("예산액", budget), ("집행액", executed)):
            if isinstance(number, bool) or not isinstance(number, int):
                message = f"{named} {field_name}: 정수가 아닙니다"
                out.append(error(source, row, field_name, number, "정수(천원)", message))
            elif number < 0:
                out.append(error(source, row, field_name, number, ">= 0", f"{named} {field_name}: 음수입니다"))
        if all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in value) and executed > budget:
            out.append(
                error(
                    source,
                    row,
                    "집행액",
                    executed,
                    f"<= {budget}",
                    f"{named} 집행액 {executed:,}이(가) 예산액 {budget:,}보다 큽니다",
                )
            )
    if require_all:
        for line in lines:
            if not line.is_total and line.code not in amounts:
                out.append(error(source, line.label, "구분", "", line.code, f"{line.label}: 세부사업이 빠졌습니다"))
    if any(f.severity == "error" for f in out):
        return out

    planned = budget_in_force(session, org_id, as_of)
    others = [
        s
        for s in fetch(session, ExecutionSnapshot, org_id)
        if s.as_of.year == as_of.year and s.as_of != as_of and s.line_code in amounts
    ]
    for code, (budget, executed) in amounts.items():
        row, named = at(code)
        year_budget = planned.get(by_code[code].budget_line_code)
        if year_budget is not None and budget != year_budget:
            out.append(
                warning(
                    source,
                    row,
                    "예산액",
                    budget,
                    year_budget,
                    f"{named} 예산액 {budget:,}이(가) {as_of.isoformat()}에 시행 중인 {as_of.year}년 예산"
                    f" {year_budget:,}과 다릅니다 (집행률은 시행 중인 예산으로 계산합니다; 추경이면 예산 양식으로"
                    " 추경을 올려 주세요)",
                )
            )
        for snap in (s for s in others if s.line_code == code):
            if (snap.as_of < as_of and snap.executed_amount > executed) or (
                snap.as_of > as_of and snap.executed_amount < executed
            ):
                out.append(
                    warning(
                        source,
                        row,
                        "집행액",
                        executed,
                        f"{snap.as_of.isoformat()}: {snap.executed_amount}",
                        f"{named} 누적 집행액 {executed:,}이(가) {snap.as_of.isoformat()} 기준"
                        f" {snap.executed_amount:,}과 맞지 않습니다 (누적액은 날짜가 갈수록 줄지 않습니다)",
                    )
                )
    return out


_SNAPSHOT_VALUES = [
    n for n in ExecutionSnapshot.model_fields if n not in ("id", "org_id", "version", "line_code", "as_of")
]


def record_execution(
    *,
    session: Session,
    actor: Actor,
    as_of: date,
    amounts: dict[str, tuple[int, int]],
    org_id: int | None = None,
    fiscal_year: int | None = None,
    today: date | None = None,
    where: dict[str, str] | None = None,
    source: str = SNAPSHOT_TABLE,
) -> int:
    """Record 예산액 and 집행액 of every execution line as of a date; returns the rows written.

    ``org_id`` and ``fiscal_year`` default to the current report round. Everything is checked
    first (``check_execution``); any error raises ExecutionRecordError and nothing is written.
    The total row is the sum of the lines. Rows already recorded for ``as_of`` are replaced, in
    the same single transaction.
    """
    require(actor, "execution.record")
    changelog.attribute(session, actor)
    if org_id is None or fiscal_year is None:
        ctx = current(session)
        org_id = ctx.org_id if org_id is None else org_id
        fiscal_year = ctx.fiscal_year if fiscal_year is None else fiscal_year
    findings = check_execution(
        session, org_id, as_of, amounts, fiscal_year=fiscal_year, today=today, where=where, source=source
    )
    if any(f.severity == "error" for f in findings):
        raise ExecutionRecordError(findings)
    lines = execution_lines(session, org_id)
    snapshots = []
    for line in lines:
        if line.is_total:
            budget = sum(b for b, _ in amounts.values())
            executed = sum(e for _, e in amounts.values())
        else:
            budget, executed = amounts[line.code]
        snapshots.append(
            ExecutionSnapshot(
                org_id=org_id, line_code=line.code, as_of=as_of, budget_amount=budget, executed_amount=executed
            )
        )
    try:
        replaced = session.exec(  # type: ignore[call-overload]
            select(ExecutionSnapshot).where(
                ExecutionSnapshot.org_id == org_id,  # type: ignore[arg-type]
                ExecutionSnapshot.as_of == as_of,  # type: ignore[arg-type]
            )
        ).scalars()
        stored = {row.line_code: row for row in replaced}
        for snapshot in snapshots:  # a date recorded again: update in place, so the log shows old -> new
            row = stored.pop(snapshot.line_code, None)
            if row is None:
                session.add(snapshot)
            else:
                for name in _SNAPSHOT_VALUES:  # printed figures of a source row do not survive
                    setattr(row, name, getattr(snapshot, name))
        for row in stored.values():
            session.delete(row)
        session.flush()
        session.commit()
    except Exception:
        session.rollback()
        raise
    return len(snapshots)


@dataclass(frozen=True)
class DraftLine:
    """A line of a snapshot about to be recorded, for the preview."""

    code: str
    label: str
    is_total: bool
    budget: int
    executed: int
    rate: Decimal | None
    remaining: int
    where: str  # the upload row ("3행"), "" for the computed total


@dataclass(frozen=True)
class SnapshotDraft:
    """An upload or an edited table, resolved to execution lines and checked, not yet saved."""

    source: str
    as_of: date | None
    as_of_from_file: bool
    amounts: dict[str, tuple[int, int]]
    where: dict[str, str]
    lines: list[DraftLine]
    findings: list[Finding]
    replaces: bool  # a snapshot for as_of exists and would be replaced

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.as_of is not None and not self.errors


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _line_index(session: Session, org_id: int, lines: list[ExecutionLine]) -> dict[str, str]:
    """Every way an upload may name a line (code, budget line code, label, budget line name) -> code."""
    names = {b.code: b.name for b in fetch(session, BudgetLine, org_id)}
    candidates: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        keys = {line.code, line.budget_line_code, line.label, names.get(line.budget_line_code, line.label)}
        if line.is_total:
            keys |= set(TOTAL_WORDS)
        for key in keys:
            candidates[_key(key)].add(line.code)
    return {key: next(iter(codes)) for key, codes in candidates.items() if len(codes) == 1}


def draft_from_rows(
    session: Session,
    org_id: int,
    parsed: ParsedUpload,
    *,
    as_of: date | None,
    fiscal_year: int,
    today: date | None = None,
) -> SnapshotDraft:
    """Resolve parsed rows to execution lines and check them. The file's 기준일 wins over ``as_of``."""
    source = parsed.source
    findings = list(parsed.findings)
    parse_errors = bool(findings)
    lines = execution_lines(session, org_id)
    by_code = {line.code: line for line in lines}
    index = _line_index(session, org_id, lines)
    amounts: dict[str, tuple[int, int]] = {}
    where: dict[str, str] = {}
    totals: list[UploadRow] = []
    for row in parsed.rows:
        field_name = FIELD_NAMES[row.field]
        code = index.get(_key(row.line))
        if code is None:
            findings.append(
                error(
                    source,
                    row.where,
                    field_name,
                    row.line,
                    "집행 현황의 세부사업",
                    f"{row.where} {field_name}: '{row.line}'은(는) 집행 현황에 없는 세부사업입니다",
                )
            )
        elif by_code[code].is_total:
            totals.append(row)
        elif code in amounts:
            findings.append(
                error(
                    source,
                    row.where,
                    field_name,
                    row.line,
                    "한 번만",
                    f"{row.where} {field_name}: {by_code[code].label}이(가) {where[code]}에 이미 있습니다",
                )
            )
        else:
            amounts[code] = (row.budget, row.executed)
            where[code] = row.where
    chosen = parsed.as_of or as_of
    if chosen is None:
        findings.append(error(source, "-", "기준일", "", "YYYY-MM-DD", "기준일을 고르거나 파일에 기준일 열을 두세요"))
    if not any(f.severity == "error" for f in findings):
        sums = (sum(b for b, _ in amounts.values()), sum(e for _, e in amounts.values()))
        for row in totals:
            for field_name, given, computed in zip(("예산액", "집행액"), (row.budget, row.executed), sums, strict=True):
                if given != computed:
                    findings.append(
                        error(
                            source,
                            row.where,
                            field_name,
                            given,
                            computed,
                            f"{row.where} (합계) {field_name}: {given:,}이(가) 세부사업 합 {computed:,}과 다릅니다",
                        )
                    )
    if chosen is not None:
        findings += check_execution(
            session,
            org_id,
            chosen,
            amounts,
            fiscal_year=fiscal_year,
            today=today,
            where=where,
            source=source,
            require_all=not parse_errors,
        )
    preview = []
    if amounts:
        budget = sum(b for b, _ in amounts.values())
        executed = sum(e for _, e in amounts.values())
        for line in lines:
            if line.is_total:
                remaining = budget - executed
                preview.append(
                    DraftLine(line.code, line.label, True, budget, executed, rate(executed, budget), remaining, "")
                )
            elif line.code in amounts:
                b, e = amounts[line.code]
                preview.append(DraftLine(line.code, line.label, False, b, e, rate(e, b), b - e, where[line.code]))
    replaces = chosen is not None and chosen in execution_dates(session, org_id)
    return SnapshotDraft(source, chosen, parsed.as_of is not None, amounts, where, preview, findings, replaces)


def draft_from_upload(
    session: Session,
    org_id: int,
    data: bytes,
    filename: str,
    *,
    as_of: date | None,
    fiscal_year: int,
    today: date | None = None,
) -> SnapshotDraft:
    """An accounting export (CSV or XLSX, see budget.upload) checked against the execution lines."""
    parsed = parse_upload(data, filename)
    return draft_from_rows(session, org_id, parsed, as_of=as_of, fiscal_year=fiscal_year, today=today)


EDITOR_SOURCE = "입력 표"


def draft_from_table(
    session: Session,
    org_id: int,
    records: list[dict[str, Any]],
    *,
    as_of: date | None,
    fiscal_year: int,
    today: date | None = None,
) -> SnapshotDraft:
    """The on-screen table (columns 코드, 구분, 예산액, 집행액), checked like an upload; rows count from 1."""
    headers = list(records[0]) if records else ["코드", "구분", "예산액", "집행액"]
    grid: list[list[object]] = [list(headers)] + [[r.get(h) for h in headers] for r in records]
    parsed = parse_grid(grid, EDITOR_SOURCE, header_row=0)
    return draft_from_rows(session, org_id, parsed, as_of=as_of, fiscal_year=fiscal_year, today=today)


def save_draft(*, session: Session, actor: Actor, org_id: int, fiscal_year: int, draft: SnapshotDraft) -> int:
    """Record a checked draft (record_execution checks it again); returns the rows written."""
    if draft.as_of is None:
        raise ExecutionRecordError(draft.findings)
    return record_execution(
        session=session,
        actor=actor,
        as_of=draft.as_of,
        amounts=draft.amounts,
        org_id=org_id,
        fiscal_year=fiscal_year,
        where=draft.where,
        source=draft.source,
    )


def snapshot_template(session: Session, org_id: int, as_of: date) -> list[DraftLine]:
    """Starting figures of the entry table for ``as_of``: that date's snapshot when recorded, else
    the latest earlier snapshot of the year, else the year's budget with nothing executed."""
    snaps = [s for s in fetch(session, ExecutionSnapshot, org_id) if s.as_of.year == as_of.year and s.as_of <= as_of]
    latest: dict[str, ExecutionSnapshot] = {}
    for snap in sorted(snaps, key=lambda s: s.as_of):
        latest[snap.line_code] = snap
    planned = budget_in_force(session, org_id, as_of)
    out = []
    for line in execution_lines(session, org_id):
        if line.is_total:
            continue
        snap = latest.get(line.code)
        budget = snap.budget_amount if snap else planned.get(line.budget_line_code, 0)
        executed = snap.executed_amount if snap else 0
        remaining = budget - executed
        out.append(DraftLine(line.code, line.label, False, budget, executed, rate(executed, budget), remaining, ""))
    return out


# --- the curve and the year-end forecast ----------------------------------------------------


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
    figures = {on: _figures(lines, snaps, budget_in_force(session, org_id, on)) for on, snaps in by_date.items()}
    out = []
    for line in lines:
        for on in sorted(figures):
            if line.code in figures[on]:
                budget, executed = figures[on][line.code]
                out.append(
                    CurvePoint(line.code, line.label, line.is_total, on, budget, executed, rate(executed, budget))
                )
    return out


FORECAST_TREND = "추세(최소제곱)"
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


# --- major-work items <-> lines -------------------------------------------------------------


@dataclass(frozen=True)
class WorkLink:
    """A work item spending a budget line, with the execution line that carries that budget line."""

    item_code: str
    item_title: str
    item_cost: int | None  # 사업비, 천원
    budget_line_code: str
    budget_line_name: str
    execution_code: str | None
    execution_label: str | None
    rate: Decimal | None  # 집행률 of the execution line as of the date
    note: str


@dataclass(frozen=True)
class LineWork:
    code: str
    label: str
    budget_line_code: str
    budget: int | None
    executed: int | None
    rate: Decimal | None
    links: list[WorkLink]


@dataclass(frozen=True)
class ItemWork:
    code: str
    title: str
    cost: int | None
    links: list[WorkLink]


@dataclass(frozen=True)
class WorkLinks:
    by_line: list[LineWork]
    by_item: list[ItemWork]


def work_links(session: Session, org_id: int, fiscal_year: int, as_of: date | None = None) -> WorkLinks:
    """Which major-work items spend which line, both ways, with 집행률 as of ``as_of``.

    A link names a budget line; it belongs to the execution line whose budget line is that line
    or its nearest ancestor (운영경비 exp.3.1.3 is executed under 일반관리비 exp.3.1), never the total.
    """
    budget_lines = {b.code: b for b in fetch(session, BudgetLine, org_id)}
    lines = [line for line in execution_lines(session, org_id) if not line.is_total]
    carrier = {line.budget_line_code: line for line in lines}
    rows = {r.code: r for r in execution(session, org_id, as_of)} if as_of else {}
    items = sorted(fetch(session, WorkItem, org_id, WorkItem.fiscal_year == fiscal_year), key=lambda i: i.seq)  # type: ignore[arg-type]
    titles = {i.code: i for i in items}

    def executed_by(code: str) -> ExecutionLine | None:
        seen = set()
        while code and code not in seen:
            seen.add(code)
            if code in carrier:
                return carrier[code]
            parent = budget_lines.get(code)
            code = parent.parent_code if parent and parent.parent_code else ""
        return None

    links = []
    for link in fetch(session, WorkBudgetLink, org_id, WorkBudgetLink.fiscal_year == fiscal_year):  # type: ignore[arg-type]
        item = titles.get(link.item_code)
        line = executed_by(link.budget_line_code)
        row = rows.get(line.code) if line else None
        links.append(
            WorkLink(
                link.item_code,
                item.title if item else link.item_code,
                item.cost_thousand if item else None,
                link.budget_line_code,
                budget_lines[link.budget_line_code].name if link.budget_line_code in budget_lines else "",
                line.code if line else None,
                line.label if line else None,
                row.rate if row else None,
                link.note,
            )
        )
    order = {i.code: i.seq for i in items}
    links.sort(key=lambda k: (order.get(k.item_code, 0), k.budget_line_code))
    by_line = []
    for line in lines:
        row = rows.get(line.code)
        by_line.append(
            LineWork(
                line.code,
                line.label,
                line.budget_line_code,
                row.budget if row else None,
                row.executed if row else None,
                row.rate if row else None,
                [k for k in links if k.execution_code == line.code],
            )
        )
    by_item = [ItemWork(i.code, i.title, i.cost_thousand, [k for k in links if k.item_code == i.code]) for i in items]
    return WorkLinks(by_line, by_item)
