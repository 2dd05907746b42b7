"""Recording an execution snapshot: checking the figures, drafts from an upload or the on-screen
table, and ``record_execution`` (one snapshot date, one transaction)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from budget.execution import execution_dates, execution_lines
from budget.models import BudgetLine, ExecutionLine, ExecutionSnapshot
from budget.service import budget_in_force
from budget.upload import FIELD_NAMES, HEADERS, ParsedUpload, UploadRow, parse_grid, parse_upload
from governance_app.core import changelog, clock, conflicts
from governance_app.core.auth import Actor, require
from governance_app.core.context import current
from governance_app.core.errors import FindingsError, RefusedError
from governance_app.core.findings import Finding, error, warning
from governance_app.core.formatting import date_short
from governance_app.core.i18n import josa, particle
from governance_app.core.numbers import rate
from governance_app.core.queries import fetch

# Errors (nothing is saved): an unknown line, the total row typed in (it is always the sum of the
# lines), a line left out, a negative amount, 집행액 above 예산액 (the accounting system does not
# let a line spend beyond its 예산현액, so the figure is mistyped; a changed budget is entered as
# the new 예산액), an as-of date in the future or outside the fiscal year.
# Warnings (saved, shown): 예산액 differing from the year's budget of the line (a mid-year change
# or 전용), cumulative 집행액 lower than an earlier snapshot's or higher than a later one's
# (refunds can do that, typing errors too).

SNAPSHOT_TABLE = "execution_snapshot"
# Two users recording one 기준일 at once: the second's INSERT meets the first's rows (a new date)
# or its UPDATE matches nothing (a date recorded again); nothing of it is written.
RACED = "다른 사용자가 같은 기준일의 집행 현황을 먼저 저장했습니다. 화면을 새로 고친 뒤 다시 확인하세요."
EDITOR_SOURCE = "입력 표"
AS_OF_HEADINGS = " 또는 ".join(f"'{h}'" for h in HEADERS["as_of"])
TOTAL_WORDS = ("합계", "계", "총계")


# A snapshot with errors (nothing is saved) raises the kernel's refusal carrying every finding.
ExecutionRecordError = FindingsError


class ReplaceUnconfirmedError(RefusedError):
    """A snapshot of the date exists and the user has not said to replace it: nothing is saved.
    The message is the question the page asks before replacing."""

    def __init__(self, as_of: date) -> None:
        self.as_of = as_of
        super().__init__(None, "기준일", replace_question(as_of), label="기준일")


def replace_question(as_of: date) -> str:
    """What the page asks before a snapshot replaces the one recorded on the same date."""
    return f"{date_short(as_of)} 기준 집행 현황이 이미 있습니다. 바꾸시겠습니까?"


def record_dates(fiscal_year: int, today: date | None = None) -> tuple[date, date]:
    """First and last date a snapshot of ``fiscal_year`` may carry on ``today``."""
    today = today or clock.today()
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
    today = today or clock.today()
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
            error(
                source, "-", "기준일", shown, f"<= {today.isoformat()}", f"기준일 {josa(shown, '은')} 오늘 이후입니다"
            )
        )
    if as_of.year != fiscal_year:
        out.append(
            error(
                source,
                "-",
                "기준일",
                shown,
                f"{fiscal_year}-01-01 ~ {fiscal_year}-12-31",
                f"기준일 {josa(shown, '이')} {fiscal_year} 회계연도 밖입니다",
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
                    f"{named} 집행액 {executed:,}{particle(executed, '이')} 예산액 {budget:,}보다 큽니다",
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
                    f"{named} 예산액 {budget:,}{particle(budget, '이')} "
                    f"{as_of.year}년 예산 {year_budget:,}{particle(year_budget, '과')} 다릅니다"
                    " (예산 변경이면 그대로 두세요)",
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
                        f"{named} 누적 집행액 {executed:,}{particle(executed, '이')} {snap.as_of.isoformat()} 기준"
                        f" {snap.executed_amount:,}{particle(snap.executed_amount, '과')} 맞지 않습니다"
                        " (누적액은 날짜가 갈수록 줄지 않습니다)",
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
    with conflicts.explained(session, RACED):
        try:
            replaced = session.exec(  # type: ignore[call-overload]  # sqlmodel's exec is typed for sqlmodel.select only
                select(ExecutionSnapshot).where(
                    col(ExecutionSnapshot.org_id) == org_id,
                    col(ExecutionSnapshot.as_of) == as_of,
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
    read_as: tuple[tuple[str, str], ...] = ()  # (heading as written, what it was read as), file order

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
                    f"{row.where} {field_name}: '{row.line}'{particle(row.line, '은')} 집행 현황에 없는 세부사업입니다",
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
                    f"{row.where} {field_name}: {josa(by_code[code].label, '이')} {where[code]}에 이미 있습니다",
                )
            )
        else:
            amounts[code] = (row.budget, row.executed)
            where[code] = row.where
    chosen = parsed.as_of or as_of
    if chosen is None and (parsed.read_as or not parse_errors):  # no header found: that is the error
        message = (
            "기준일을 고르지 않았습니다. 기록할 기준일을 골라 주세요"
            if source == EDITOR_SOURCE
            else f"파일에 기준일이 없습니다. 기록할 기준일을 고르거나 파일에 {AS_OF_HEADINGS} 열을 두세요"
        )
        findings.append(error(source, "-", "기준일", "", "YYYY-MM-DD", message))
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
                            f"{row.where} (합계) {field_name}: {given:,}{particle(given, '이')} "
                            f"세부사업 합 {computed:,}{particle(computed, '과')} 다릅니다",
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
    return SnapshotDraft(
        source, chosen, parsed.as_of is not None, amounts, where, preview, findings, replaces, parsed.read_as
    )


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
    header_row: list[object] = list(headers)
    grid: list[list[object]] = [header_row] + [[r.get(h) for h in headers] for r in records]
    parsed = parse_grid(grid, EDITOR_SOURCE, header_row=0)
    return draft_from_rows(session, org_id, parsed, as_of=as_of, fiscal_year=fiscal_year, today=today)


def save_draft(
    *, session: Session, actor: Actor, org_id: int, fiscal_year: int, draft: SnapshotDraft, replace: bool = False
) -> int:
    """Record a checked draft (record_execution checks it again); returns the rows written.

    A snapshot already recorded on the draft's date is replaced only when ``replace`` says so (the
    user answered the page's question); otherwise ReplaceUnconfirmedError and nothing is written.
    The date is looked up again here: someone may have recorded it since the draft was checked."""
    if draft.as_of is None:
        raise ExecutionRecordError(draft.findings)
    if not replace and draft.as_of in execution_dates(session, org_id):
        raise ReplaceUnconfirmedError(draft.as_of)
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
        newest = latest.get(line.code)
        budget = newest.budget_amount if newest else planned.get(line.budget_line_code, 0)
        executed = newest.executed_amount if newest else 0
        remaining = budget - executed
        out.append(DraftLine(line.code, line.label, False, budget, executed, rate(executed, budget), remaining, ""))
    return out
