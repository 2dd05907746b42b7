"""The accounting system's execution export (CSV or XLSX) -> rows of 예산액 and 집행액 per line.

Pure: bytes and a file name in, rows and findings out; which execution line a row names is
decided by the service (budget.recording.draft_from_upload), which knows the lines.

Accepted layout (the budget page shows the same to finance users, ``ACCEPTED_LAYOUT``):

- CSV (UTF-8 with or without BOM, or CP949 as Korean Excel saves "CSV") or XLSX (first sheet).
- One header row, found among the first 20 rows (title lines above it are skipped). Headings are
  compared without spaces, and a unit suffix such as ``(천원)`` or ``(단위: 천원)`` is ignored.
- A line column: ``코드`` / ``사업코드`` (the execution line code ``ex.1.2.2`` or its budget line
  code ``exp.1.2.2``), or ``구분`` / ``세부사업`` / ``세부사업명`` / ``사업명`` (the line's label as the
  execution table prints it, or its budget line's name; spaces are ignored). When both columns are
  present the code wins.
- ``예산액`` (also ``예산``, ``예산현액``) and ``집행액`` (also ``집행``, ``지출액``): whole 천원;
  ``1,234`` is accepted, and XLSX numbers that are whole.
- Optional ``기준일`` (``기준일자``): the as-of date (2025-10-31, 2025. 10. 31., 2025/10/31 or a date
  cell); every row that fills it must give the same date. Without it the date chosen on the
  page applies.
- A 합계 row may be present; the service checks it against the sum of the lines and never stores
  what it says (the total is always recomputed).

Every bad cell is a finding naming the row (as the spreadsheet numbers it) and the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from governance_app.core import spreadsheet
from governance_app.core.findings import Finding, error
from governance_app.core.i18n import josa

# canonical field -> accepted headings (compared without spaces)
HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("코드", "사업코드"),
    "label": ("구분", "세부사업", "세부사업명", "사업명"),
    "budget": ("예산액", "예산", "예산현액"),
    "executed": ("집행액", "집행", "지출액"),
    "as_of": ("기준일", "기준일자"),
}
# how a field is named in messages
FIELD_NAMES = {"code": "코드", "label": "구분", "budget": "예산액", "executed": "집행액", "as_of": "기준일"}
# what a column was read as, in the upload's feedback ("세부사업명 → 세부사업")
READ_AS = {"code": "코드", "label": "세부사업", "budget": "예산액", "executed": "집행액", "as_of": "기준일"}
NOT_READ = "읽지 않음"
HEADER_SEARCH_ROWS = 20
ACCEPTED_LAYOUT = (
    "CSV(UTF-8 또는 CP949) 또는 XLSX(첫 번째 시트)를 받습니다. 머리글: **구분**(또는 세부사업·세부사업명·사업명) "
    "또는 **코드**, **예산액**, **집행액**, 선택으로 **기준일**(없으면 위에서 고른 기준일). 금액은 천원 단위 정수"
    "(1,234도 가능)입니다. 집행 현황의 모든 세부사업이 있어야 하며, 합계 행은 있어도 되지만 저장하지 않고 "
    "세부사업 합과 맞는지만 확인합니다. 제목 줄이 머리글 위에 있어도 됩니다."
)


@dataclass(frozen=True)
class UploadRow:
    """One line of the export: ``line`` is the code or label as written."""

    row: int  # the row number the spreadsheet shows (header row included)
    line: str
    field: str  # "code" or "label": which column named the line
    budget: int
    executed: int

    @property
    def where(self) -> str:
        return f"{self.row}행"


@dataclass(frozen=True)
class ParsedUpload:
    source: str  # the file name, or what the rows came from
    rows: list[UploadRow] = field(default_factory=list)
    as_of: date | None = None
    findings: list[Finding] = field(default_factory=list)
    # every heading of the header row as written and what it was read as (READ_AS, or NOT_READ)
    read_as: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


# An execution export is one row per 세부사업 (a few kB); anything near this is not one, and an
# XLSX is a zip that openpyxl would inflate in memory.
MAX_UPLOAD_BYTES = spreadsheet.MAX_UPLOAD_BYTES
MAX_ROWS = 500  # a few dozen 세부사업 lines, title rows and a 합계 row fit easily
MAX_COLUMNS = 30


def parse_upload(data: bytes, filename: str) -> ParsedUpload:
    """Read a CSV or XLSX export (first sheet); see the module docstring for the accepted layout."""
    sheets, problem = spreadsheet.read_sheets(
        data, filename, max_bytes=MAX_UPLOAD_BYTES, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS
    )
    if problem is not None:
        return ParsedUpload(filename, findings=[problem])
    return parse_grid(sheets[0].rows if sheets else [], filename)


def parse_grid(grid: Sequence[Sequence[object]], source: str, *, header_row: int | None = None) -> ParsedUpload:
    """Rows of cells (first row = row 1) -> typed rows.

    ``header_row`` fixes the header's row number for messages (0 for an on-screen table, whose
    first data row is then 1행); by default the header is searched and rows keep their sheet
    numbers.
    """
    index, columns = _find_header(grid)
    if index is None:
        return ParsedUpload(source, findings=[_header_error(grid, source)])
    by_position = {position: name for name, position in columns.items()}
    read_as = tuple(
        (_text(heading), READ_AS[by_position[p]] if p in by_position else NOT_READ)
        for p, heading in enumerate(grid[index])
        if not _blank(heading)
    )
    offset = (header_row - index) if header_row is not None else 1  # row number = list index + offset
    rows: list[UploadRow] = []
    findings: list[Finding] = []
    dates: dict[date, int] = {}
    for i in range(index + 1, len(grid)):
        cells = grid[i]
        number = i + offset
        values = {name: _cell(cells, position) for name, position in columns.items()}
        if all(_blank(v) for v in values.values()):
            continue
        where = f"{number}행"
        line_field = "code" if not _blank(values.get("code")) else "label"
        line = "" if _blank(values.get(line_field)) else _text(values[line_field])
        if not line:
            findings.append(
                error(source, where, "구분", "", "세부사업 또는 코드", f"{where} 구분: 세부사업이 비어 있습니다")
            )
        amounts: dict[str, int] = {}
        for name in ("budget", "executed"):
            try:
                amounts[name] = _amount(values[name])
            except ValueError as exc:
                shown = "" if _blank(values[name]) else _text(values[name])
                named = f"{where} ({line})" if line else where
                message = f"{named} {FIELD_NAMES[name]}: {exc}"
                findings.append(error(source, where, FIELD_NAMES[name], shown, "정수(천원)", message))
        if "as_of" in columns and not _blank(values["as_of"]):
            try:
                on = _date(values["as_of"])
            except ValueError as exc:
                findings.append(
                    error(source, where, "기준일", _text(values["as_of"]), "YYYY-MM-DD", f"{where} 기준일: {exc}")
                )
            else:
                dates.setdefault(on, number)
                if len(dates) > 1 and on != next(iter(dates)):
                    first = next(iter(dates))
                    findings.append(
                        error(
                            source,
                            where,
                            "기준일",
                            on.isoformat(),
                            first.isoformat(),
                            f"{where} 기준일: {josa(on.isoformat(), '이')} "
                            f"{dates[first]}행의 {josa(first.isoformat(), '과')} 다릅니다"
                            " (한 파일에는 한 기준일만)",
                        )
                    )
        if line and len(amounts) == 2:
            rows.append(UploadRow(number, line, line_field, amounts["budget"], amounts["executed"]))
    if not rows and not findings:
        findings.append(error(source, "-", "*", "", "1행 이상", f"{source}: 머리글 아래에 자료가 없습니다"))
    # the first date given; a row giving another one is an error above
    return ParsedUpload(source, rows, next(iter(dates), None), findings, read_as)


def _alternatives(name: str) -> str:
    first, *others = HEADERS[name]
    return f"{first}(또는 {'·'.join(others)})" if others else first


# the headings an upload needs, as messages name them
EXPECTED_HEADERS = (
    f"{_alternatives('label')} 또는 {_alternatives('code')}, {_alternatives('budget')}, "
    f"{_alternatives('executed')}, 선택으로 {_alternatives('as_of')}"
)


def _header_error(grid: Sequence[Sequence[object]], source: str) -> Finding:
    """Why no header row was found: the row that names most fields, what it lacks and which of
    its headings are unknown; or, when no row names two fields, the headings expected."""
    best, found = spreadsheet.find_best_header(grid[:HEADER_SEARCH_ROWS], HEADERS)
    needed = f"필요한 머리글: {EXPECTED_HEADERS}"
    if best is None:
        return error(
            source, "머리글", "*", "", EXPECTED_HEADERS, f"{source}: 알맞은 머리글을 찾지 못했습니다. {needed}"
        )
    aliases = {spreadsheet.normalise(a) for names in HEADERS.values() for a in names}
    unknown = ["'" + _text(c) + "'" for c in grid[best] if not _blank(c) and spreadsheet.normalise(c) not in aliases]
    missing = [FIELD_NAMES[n] for n in ("budget", "executed") if n not in found]
    if not found & {"code", "label"}:
        missing.insert(0, "구분(또는 코드)")
    problem = f"{', '.join(missing)} 열이 없습니다"
    if unknown:
        problem += f" (알 수 없는 머리글: {', '.join(unknown)})"
    shown = ", ".join(_text(c) for c in grid[best] if not _blank(c))
    return error(
        source, f"{best + 1}행", "머리글", shown, EXPECTED_HEADERS, f"{source} {best + 1}행 머리글: {problem}. {needed}"
    )


def _find_header(grid: Sequence[Sequence[object]]) -> tuple[int | None, dict[str, int]]:
    return spreadsheet.find_header(
        grid, HEADERS, {"budget", "executed"}, any_of={"code", "label"}, search_rows=HEADER_SEARCH_ROWS
    )


_cell = spreadsheet.cell
_blank = spreadsheet.blank
_text = spreadsheet.text
_amount = spreadsheet.amount
_date = spreadsheet.date_value
