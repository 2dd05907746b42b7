"""The yearly budget template: a year's 본예산, or with a change date a 추경.

Sheet ``예산``: 코드, 구분 (세입/세출/정책/단위/세부사업), 과목, ``{Y-1}년`` (the previous year's
budget as it stands, for comparison: not loaded) and ``{Y}년``. Only the lines that take amounts
are typed: 세입 항목, 세출 세부사업 and a 단위 without 세부사업 (예비비). Totals, 정책 and 단위 rows
are formulas in the template and ignored on load: they are computed from their lines.

Loading checks every cell first; any error (a wrong header, a text or a formula in an amount
cell, a duplicate, unknown or missing line) refuses the whole file. Without a change date the
file is the year's 본예산 (revision 0, replaced as a whole); with one it is a 추경 from that date
(a new revision, or the same one again when a 추경 of that date exists), which the execution
rates use from that date on.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from datetime import date
from typing import Any

from sqlmodel import Session

from budget.models import BudgetLine, BudgetRevision
from budget.revisions import BASE_LABEL, supplement_label
from budget.service import amounts_on
from governance_app.core import clock, spreadsheet, workbook
from governance_app.core.findings import Finding, error, warning
from governance_app.core.i18n import josa, particle
from governance_app.core.intake import Draft, TableRows
from governance_app.core.queries import fetch

PERMISSION = "budget.edit"
SHEET = "예산"
KIND_WORDS = {"revenue": "세입", "total": "세출", "policy": "정책", "unit": "단위", "detail": "세부사업"}
HEADERS = {"code": ("코드",), "kind": ("구분",), "name": ("과목", "과목명")}
_YEAR = re.compile(r"^(\d{4})년(예산)?$")


def _of_revision(year: int, revision: int, row: dict[str, Any]) -> bool:
    """A stored amount of ``year``'s ``revision`` (those the sheet replaces as a whole)."""
    return bool(row["fiscal_year"] == year and row["revision"] == revision)


def _kind_word(line: BudgetLine) -> str:
    return "세입" if line.side == "revenue" else KIND_WORDS[line.level]


def _structure(session: Session, org_id: int) -> tuple[list[BudgetLine], dict[str, list[str]]]:
    lines = sorted(fetch(session, BudgetLine, org_id), key=lambda x: x.seq)
    children: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        if line.parent_code:
            children[line.parent_code].append(line.code)
    return lines, children


def typed(line: BudgetLine, children: dict[str, list[str]]) -> bool:
    """Whether a line's amount is typed in (it has no lines below it), not computed."""
    return line.level != "total" and not children.get(line.code)


def write(session: Session, org_id: int, year: int | None) -> bytes:
    year = year or clock.today().year
    lines, children = _structure(session, org_id)
    amounts = amounts_on(session, org_id, (year - 1, year))
    row_of = {line.code: workbook.first_data_row() + i for i, line in enumerate(lines)}
    rows: list[list[Any]] = []
    shaded = set()
    for i, line in enumerate(lines):
        previous = amounts.get((line.code, year - 1))
        if typed(line, children):
            value: Any = amounts.get((line.code, year))
        else:
            value = "=SUM(" + ",".join(f"E{row_of[c]}" for c in children.get(line.code, [])) + ")"
            shaded.add(i)
        rows.append([line.code, _kind_word(line), line.name, previous, value])
    columns = [
        workbook.Column("코드", "과목의 코드입니다. 바꾸지 마세요 (코드로 과목을 찾습니다).", width=12),
        workbook.Column("구분", "세입, 세출(총계), 정책, 단위, 세부사업. 참고용이며 읽지 않습니다.", width=10),
        workbook.Column("과목", "과목명. 참고용이며 과목명을 바꾸지는 않습니다(다르면 경고).", width=36),
        workbook.Column(
            f"{year - 1}년", f"{year - 1}년 예산(현재 시행 중인 예산). 비교용이며 읽지 않습니다.", "number"
        ),
        workbook.Column(
            f"{year}년",
            f"{year}년 예산(천원, 정수). 흰 칸(세입 항목, 세출 세부사업, 세부사업 없는 단위)만 적습니다. "
            "회색 칸(총계, 정책, 단위)은 합계 수식이며 올릴 때 다시 계산합니다.",
            "number",
        ),
    ]
    notes = [
        "모든 과목 행이 있어야 하고, 한 과목은 한 번만 적습니다. 금액 칸에는 수식이 아닌 숫자를 적습니다.",
        "파일을 올리면 본예산으로 저장합니다. 추경은 같은 양식에 추경 금액을 적고 변경일을 함께 올립니다"
        " (CLI: --change-date YYYY-MM-DD). 본예산과 각 추경은 변경일과 함께 모두 보관되며, 집행률은 기준일에"
        " 시행 중인 예산으로 계산합니다.",
        "CSV(UTF-8 또는 CP949)로 저장해 올려도 됩니다. 제목 줄은 머리글 위에 있어도 됩니다.",
    ]
    sheet = workbook.TemplateSheet(SHEET, f"{year}년 예산 (단위: 천원)", columns, rows, shaded)
    return workbook.build(sheet, notes)


def _header(rows: list[list[object]]) -> tuple[int | None, dict[str, int], dict[int, int]]:
    """(header index, field -> column, year -> column) of the first row naming 코드 and a year."""
    aliases = {spreadsheet.normalise(a): name for name, names in HEADERS.items() for a in names}
    for i, cells in enumerate(rows[: spreadsheet.HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        years: dict[int, int] = {}
        for position, value in enumerate(cells):
            heading = spreadsheet.normalise(value)
            match = _YEAR.match(heading)
            if match:
                years[int(match[1])] = position
            elif heading in aliases:
                columns.setdefault(aliases[heading], position)
        if "code" in columns and (years or len(columns) == len(HEADERS)):
            return i, columns, years
    return None, {}, {}


def _sheet(sheets: list[spreadsheet.Sheet]) -> spreadsheet.Sheet | None:
    named = next((s for s in sheets if s.name == SHEET), None)
    return named or next((s for s in sheets if s.name != workbook.NOTES_SHEET), None)


def read(
    session: Session,
    org_id: int,
    data: bytes,
    filename: str,
    *,
    change_date: date | None = None,
    label: str | None = None,
) -> Draft:
    draft = Draft("budget", filename, PERMISSION)
    sheets, problem = spreadsheet.read_sheets(data, filename, formulas=True)
    if problem is not None:
        draft.findings.append(problem)
        return draft
    sheet = _sheet(sheets)
    if sheet is None:
        draft.findings.append(spreadsheet.file_error(filename, "", SHEET, f"{filename}: '{SHEET}' 시트가 없습니다"))
        return draft
    name, grid = sheet.name, sheet.rows
    index, columns, years = _header(grid)
    expected = "코드, 구분, 과목, 연도 열 둘(예: 2025년, 2026년)"
    if index is None:
        draft.findings.append(
            spreadsheet.sheet_error(
                name, "머리글", "코드", "", expected, f"알맞은 머리글을 찾지 못했습니다 (필요한 머리글: {expected})"
            )
        )
        return draft
    header_cells = grid[index]
    for field_name, heading in (("kind", "구분"), ("name", "과목")):
        if field_name not in columns:
            draft.findings.append(
                spreadsheet.sheet_error(name, f"{index + 1}행", heading, "", heading, f"'{heading}' 열이 없습니다")
            )
    if not years:
        draft.findings.append(
            spreadsheet.sheet_error(name, f"{index + 1}행", "연도", "", "2026년", "연도 열(예: 2026년)이 없습니다")
        )
    known = set(columns.values()) | set(years.values())
    for position, value in enumerate(header_cells):
        if position not in known and not spreadsheet.blank(value):
            draft.findings.append(
                spreadsheet.cell_error(
                    name,
                    index + 1,
                    position,
                    spreadsheet.text(value),
                    spreadsheet.text(value),
                    expected,
                    f"알 수 없는 머리글 '{spreadsheet.text(value)}'입니다 ({expected})",
                )
            )
    if draft.errors:
        return draft
    year = max(years)
    heading, position = f"{year}년", years[year]
    lines, children = _structure(session, org_id)
    by_code = {line.code: line for line in lines}
    seen: dict[str, int] = {}
    values: dict[str, int] = {}
    for i in range(index + 1, len(grid)):
        cells = grid[i]
        row = i + 1
        code_cell = spreadsheet.cell(cells, columns["code"])
        amount_cell = spreadsheet.cell(cells, position)
        if all(spreadsheet.blank(v) for v in cells):
            continue
        if spreadsheet.blank(code_cell):
            draft.findings.append(
                spreadsheet.cell_error(name, row, columns["code"], "코드", "", "과목 코드", "코드가 비어 있습니다")
            )
            continue
        code = spreadsheet.text(code_cell)
        line = by_code.get(code)
        if line is None:
            draft.findings.append(
                spreadsheet.cell_error(
                    name,
                    row,
                    columns["code"],
                    "코드",
                    code,
                    "예산 과목 코드",
                    f"'{code}'{particle(code, '은')} 없는 과목 코드입니다",
                )
            )
            continue
        if code in seen:
            draft.findings.append(
                spreadsheet.cell_error(
                    name,
                    row,
                    columns["code"],
                    "코드",
                    code,
                    "한 번만",
                    f"{josa(code, '이')} {seen[code]}행에 이미 있습니다",
                )
            )
            continue
        seen[code] = row
        given_name = spreadsheet.cell(cells, columns["name"])
        if not spreadsheet.blank(given_name) and spreadsheet.text(given_name) != line.name:
            draft.findings.append(
                warning(
                    name,
                    f"{row}행",
                    "과목",
                    spreadsheet.text(given_name),
                    line.name,
                    f"{name} 시트 {row}행 과목: '{spreadsheet.text(given_name)}'"
                    f"{particle(spreadsheet.text(given_name), '이')} {code}의 과목명"
                    f" '{line.name}'{particle(line.name, '과')} 다릅니다 (과목명은 바뀌지 않습니다)",
                )
            )
        if not typed(line, children):
            continue  # computed: a formula or a figure, never read
        try:
            value = spreadsheet.amount(amount_cell)
        except ValueError as exc:
            shown = "" if spreadsheet.blank(amount_cell) else spreadsheet.text(amount_cell)
            draft.findings.append(spreadsheet.cell_error(name, row, position, heading, shown, "정수(천원)", str(exc)))
            continue
        if value < 0:
            draft.findings.append(
                spreadsheet.cell_error(name, row, position, heading, value, ">= 0", f"{value:,}: 음수입니다")
            )
            continue
        values[code] = value
    draft.findings += _missing(name, lines, children, seen, grid, index)
    if draft.errors:
        return draft

    amounts = _with_totals(lines, children, values)
    revision, revision_row = _revision(session, org_id, year, change_date, label, name, draft.findings)
    if draft.errors:
        return draft
    rows = [
        {"line_code": line.code, "fiscal_year": year, "amount": amounts[line.code], "revision": revision}
        for line in lines
        if line.code in amounts
    ]
    draft.changes.append(TableRows("budget_amount", rows, functools.partial(_of_revision, year, revision)))
    if revision_row is not None:
        draft.changes.append(TableRows("budget_revision", [revision_row]))
    previous = amounts_on(session, org_id, (year - 1,))
    for line in lines:
        base = previous.get((line.code, year - 1))
        now = amounts.get(line.code)
        draft.preview.append(
            {
                "코드": line.code,
                "구분": _kind_word(line),
                "과목": line.name,
                f"{year - 1}년": base,
                f"{year}년": now,
                "증감": None if base is None or now is None else now - base,
            }
        )
    what = (
        BASE_LABEL
        if revision == 0 or revision_row is None
        else f"{revision_row['label']} ({revision_row['effective_on']}부터)"
    )
    total = amounts.get("exp")
    draft.summary.append(
        f"{year}년 {what}: 세출 총계 {total:,}천원, {len(rows)}개 과목" if total is not None else f"{year}년 {what}"
    )
    return draft


def _missing(
    sheet: str,
    lines: list[BudgetLine],
    children: dict[str, list[str]],
    seen: dict[str, int],
    grid: list[list[object]],
    header: int,
) -> list[Finding]:
    """A typed line the file leaves out: named with the row it belongs before."""
    out = []
    for i, line in enumerate(lines):
        if not typed(line, children) or line.code in seen:
            continue
        later = next((seen[x.code] for x in lines[i + 1 :] if x.code in seen), None)
        where = f"{later}행 앞" if later is not None else f"{len(grid) + 1}행"
        out.append(
            spreadsheet.sheet_error(
                sheet, where, "코드", "", line.code, f"{line.code} {line.name} 행이 없습니다 (금액 과목은 모두 필요)"
            )
        )
    return out


def _with_totals(lines: list[BudgetLine], children: dict[str, list[str]], values: dict[str, int]) -> dict[str, int]:
    """Typed amounts plus every line above them as the sum of its lines (deepest first)."""
    out = dict(values)
    by_code = {line.code: line for line in lines}
    for line in sorted(lines, key=lambda x: -_depth(x.code, by_code)):
        if children.get(line.code):
            out[line.code] = sum(out.get(c, 0) for c in children[line.code])
    return out


def _depth(code: str, by_code: dict[str, BudgetLine]) -> int:
    depth = 0
    parent = by_code[code].parent_code
    while parent:
        depth += 1
        parent = by_code[parent].parent_code if parent in by_code else None
    return depth


def _revision(
    session: Session,
    org_id: int,
    year: int,
    change_date: date | None,
    label: str | None,
    sheet: str,
    findings: list[Finding],
) -> tuple[int, dict[str, Any] | None]:
    """The revision the file becomes: 0 (본예산) without a change date; else the 추경 of that date."""
    if change_date is None:
        return 0, None
    if change_date.year != year:
        findings.append(
            error(
                sheet,
                "-",
                "변경일",
                change_date,
                f"{year}년 안의 날짜",
                f"변경일 {josa(change_date, '이')} {year} 회계연도 밖입니다",
            )
        )
        return 0, None
    base = amounts_on(session, org_id, (year,), date(year, 1, 1))
    if not base:
        findings.append(
            error(sheet, "-", "변경일", change_date, "본예산", f"{year}년 본예산이 없습니다: 본예산을 먼저 올려 주세요")
        )
        return 0, None
    existing = sorted(
        fetch(session, BudgetRevision, org_id, BudgetRevision.fiscal_year == year),
        key=lambda r: r.revision,
    )
    same = next((r for r in existing if r.effective_on == change_date), None)
    if same is not None:
        number = same.revision
    elif existing and change_date < existing[-1].effective_on:
        last = existing[-1]
        findings.append(
            error(
                sheet,
                "-",
                "변경일",
                change_date,
                f"> {last.effective_on}",
                f"변경일 {josa(change_date, '이')} {last.label}({last.effective_on})보다 앞섭니다",
            )
        )
        return 0, None
    else:
        number = (existing[-1].revision if existing else 0) + 1
    row = {
        "fiscal_year": year,
        "revision": number,
        "label": label or (same.label if same else supplement_label(number)),
        "effective_on": change_date,
    }
    return number, row
