"""Spreadsheets in and out: reading an uploaded CSV or XLSX safely, writing an XLSX template.

Reading never trusts the file: the size is bounded before parsing, an XLSX's members are
checked before they are inflated, rows and columns are read up to fixed bounds whatever the
sheet declares as its dimension, and every parser error becomes one Korean finding (no
traceback reaches a user). Cells come back as Python values (str, int, float, datetime, None);
with ``formulas=True`` an XLSX formula cell comes back as its text (``=SUM(E3:E5)``), so a
template loader can refuse a formula where a number belongs.

Both the accounting system's execution export (``budget.upload``) and the yearly templates
(``*/template.py``) read through here.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import re
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath

from governance_app.core.findings import Finding, error
from governance_app.core.i18n import josa, particle
from governance_app.core.parsing import parse_cell

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_INFLATED_BYTES = 40 * 1024 * 1024  # all members of an XLSX, uncompressed
MAX_ROWS = 2000
MAX_COLUMNS = 60
MAX_SHEETS = 30
MAX_READ_SECONDS = 15.0  # reading stops past this, whatever the file holds within the other bounds
MAX_AMOUNT = 10**12  # 천원 (1,000조원), 명 or 건: far above any real figure, far below the 64-bit columns
HEADER_SEARCH_ROWS = 20
EXCEL_SUFFIXES = (".xlsx", ".xlsm")

_UNIT = re.compile(r"\((단위:?)?(천원|명|건)\)$")
_DATE = re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\s*\.?$")


@dataclass(frozen=True)
class Sheet:
    """One sheet's cells; ``rows[0]`` is the sheet's row 1."""

    name: str
    rows: list[list[object]] = field(default_factory=list)


def file_error(source: str, reported: object, expected: object, message: str) -> Finding:
    return error(source, "-", "파일", reported, expected, message)


def read_sheets(
    data: bytes,
    filename: str,
    *,
    formulas: bool = False,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
) -> tuple[list[Sheet], Finding | None]:
    """Every sheet of an XLSX, or a CSV as one sheet named after the file; or a finding."""
    suffix = PurePath(filename).suffix.lower()
    if len(data) > max_bytes:
        limit = f"{max_bytes // (1024 * 1024)}MB 이하"
        message = f"{filename}: 파일이 너무 큽니다 ({len(data):,}바이트; {limit})"
        return [], error(filename, "-", "파일 크기", len(data), limit, message)
    if suffix == ".csv":
        rows, problem = _read_csv(data, max_rows, max_columns)
        sheets = [Sheet(PurePath(filename).name, rows)]
    elif suffix in EXCEL_SUFFIXES:
        sheets, problem = _read_xlsx(data, formulas, max_rows, max_columns)
    else:
        message = f"{filename}: CSV 또는 XLSX 파일만 받습니다 (xls는 Excel에서 xlsx로 저장해 주세요)"
        return [], file_error(filename, suffix or filename, ".csv 또는 .xlsx", message)
    if problem:
        return [], file_error(filename, filename, "CSV 또는 XLSX", f"{filename}: {problem}")
    too_long = next((s for s in sheets if len(s.rows) > max_rows), None)
    if too_long is not None:
        message = f"{filename}: {too_long.name} 시트의 행이 너무 많습니다 ({max_rows:,}행까지 읽습니다)"
        return [], file_error(filename, f"{max_rows + 1}행 이상", f"{max_rows}행 이하", message)
    return sheets, None


def _read_csv(data: bytes, max_rows: int, max_columns: int) -> tuple[list[list[object]], str | None]:
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        first = next((line for line in text.splitlines() if line.strip()), "")
        delimiter = "\t" if "\t" in first and "," not in first else ","
        rows: list[list[object]] = []
        try:
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
                rows.append(list(row[:max_columns]))
                if len(rows) > max_rows:
                    break
        except csv.Error as exc:
            return [], f"CSV 파일을 읽을 수 없습니다: {exc}"
        return rows, None
    return [], "CSV 파일의 글자 인코딩을 알 수 없습니다 (UTF-8 또는 CP949로 저장해 주세요)"


def _read_xlsx(data: bytes, formulas: bool, max_rows: int, max_columns: int) -> tuple[list[Sheet], str | None]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return [], f"XLSX 파일을 읽을 수 없습니다 ({exc})"
    if inflated > MAX_INFLATED_BYTES:
        return [], f"XLSX 파일의 압축을 풀면 너무 큽니다 ({inflated:,}바이트)"
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas)
    except Exception as exc:  # an upload may break openpyxl in any of its parsers
        return [], f"XLSX 파일을 읽을 수 없습니다 ({type(exc).__name__}: {str(exc)[:200]})"
    try:
        if len(book.worksheets) > MAX_SHEETS:
            return [], f"시트가 너무 많습니다 ({len(book.worksheets):,}개; {MAX_SHEETS}개까지 읽습니다)"
        sheets = []
        deadline = time.monotonic() + MAX_READ_SECONDS
        for sheet in book.worksheets:
            # the declared dimension can lie (or be missing): read up to fixed bounds instead
            cells = sheet.iter_rows(min_row=1, max_row=max_rows + 1, min_col=1, max_col=max_columns, values_only=True)
            rows = []
            for r in cells:
                if time.monotonic() > deadline:
                    slow = f"파일을 읽는 데 너무 오래 걸립니다 ({MAX_READ_SECONDS:g}초 넘게)"
                    return [], f"{slow}; 내용을 줄여 다시 올려 주세요"
                rows.append(list(r))
            while rows and all(_blank(v) for v in rows[-1]):
                rows.pop()
            sheets.append(Sheet(str(sheet.title), rows))
        return sheets, None
    except Exception as exc:  # a damaged sheet fails while it is read, not opened
        return [], f"XLSX 파일을 읽을 수 없습니다 ({type(exc).__name__}: {str(exc)[:200]})"
    finally:
        book.close()


# --- headers and cells ----------------------------------------------------------------------


def normalise(heading: object) -> str:
    """A heading compared without spaces, BOM, case and a unit suffix such as (천원)."""
    text = re.sub(r"\s+", "", "" if heading is None else str(heading)).lstrip("\ufeff")
    return _UNIT.sub("", text).lower()


def find_header(
    rows: Sequence[Sequence[object]],
    headers: dict[str, tuple[str, ...]],
    required: set[str] | None = None,
    *,
    any_of: set[str] | None = None,
    search_rows: int = HEADER_SEARCH_ROWS,
) -> tuple[int | None, dict[str, int]]:
    """(index of the header row, field -> column index): the first row among ``search_rows`` that
    holds every ``required`` field (default: all of ``headers``) and one of ``any_of``. Title lines
    above it are skipped."""
    required = set(headers) if required is None else required
    aliases = {normalise(alias): name for name, names in headers.items() for alias in names}
    for i, cells in enumerate(rows[:search_rows]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(cells):
            name = aliases.get(normalise(cell))
            if name and name not in columns:
                columns[name] = position
        if required <= columns.keys() and (not any_of or any_of & columns.keys()):
            return i, columns
    return None, {}


def column_letter(position: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (as Excel names columns)."""
    out = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        out = chr(65 + rest) + out
    return out


def cell_error(
    sheet: str, row: int, position: int, heading: str, reported: object, expected: str, problem: str
) -> Finding:
    """A finding at one cell: '예산 시트 7행 E열(2026년): ...'."""
    where = f"{row}행"
    column = f"{column_letter(position)}열({heading})"
    return error(sheet, where, heading, reported, expected, f"{sheet} 시트 {where} {column}: {problem}")


def sheet_error(sheet: str, row: str, heading: str, reported: object, expected: str, problem: str) -> Finding:
    """A finding about a sheet, a row range or a column, where there is no single cell."""
    return error(sheet, row, heading, reported, expected, f"{sheet} 시트 {row} {heading} 열: {problem}")


def cell(cells: Sequence[object], position: int) -> object:
    return cells[position] if position < len(cells) else None


def blank(value: object) -> bool:
    return _blank(value)


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN from a spreadsheet or an edited table
    except TypeError:
        return True  # pandas.NA


def text(value: object) -> str:
    return str(value).strip()


def is_formula(value: object) -> bool:
    return isinstance(value, str) and value.strip().startswith("=")


def amount(value: object, unit: str = "천원") -> int:
    """A whole number (천원, 명, 건): an integer cell, a whole float, or text like 1,234 / △1,234."""
    if _blank(value):
        raise ValueError("값이 비어 있습니다")
    if is_formula(value):
        raise ValueError(f"수식 '{text(value)}' 대신 숫자를 적어 주세요")
    if isinstance(value, bool):
        raise ValueError(f"'{value}'{particle(value, '은')} 숫자가 아닙니다")
    if isinstance(value, numbers.Integral):
        return _bounded_amount(int(value), unit)
    if isinstance(value, numbers.Real | Decimal):
        if not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):  # 1E+400 is inf
            raise ValueError(f"'{value}'{particle(str(value), '은')} 숫자가 아닙니다")
        # math.trunc is int() for these; numbers.Real's stubs declare __trunc__, not __int__
        if value != math.trunc(value):
            raise ValueError(f"{josa(value, '은')} {unit + ' 단위 ' if unit else ''}정수가 아닙니다")
        return _bounded_amount(int(math.trunc(value)), unit)  # noqa: RUF046 - the stubs type math.trunc(Real) as _IntegralLike
    shown = text(value)
    try:
        result = parse_cell(int, shown)
    except ValueError:
        raise ValueError(f"'{shown}'{particle(shown, '은')} {unit + ' 단위 ' if unit else ''}정수가 아닙니다") from None
    return _bounded_amount(int(result), unit)


def _bounded_amount(value: int, unit: str) -> int:
    if abs(value) > MAX_AMOUNT:
        raise ValueError(f"{value:,}{unit}은 받을 수 있는 범위(±{MAX_AMOUNT:,}{unit})를 넘습니다")
    return value


def date_value(value: object) -> date:
    """A date cell, or text 2025-10-31 / 2025. 10. 31. / 2025/10/31."""
    if _blank(value):
        raise ValueError("날짜가 비어 있습니다")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    shown = text(value)
    match = _DATE.match(shown)
    if not match:
        raise ValueError(f"'{shown}'{particle(shown, '은')} 날짜가 아닙니다 (2025-10-31처럼 적어 주세요)")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(f"'{shown}'{particle(shown, '은')} 존재하지 않는 날짜입니다") from None


# --- a table on one sheet, read cell by cell --------------------------------------------------


class TableReader:
    """The rows under a sheet's header, read field by field; every bad cell becomes a finding.

    ``headers`` maps a field to its accepted headings (the first is the one the template writes
    and messages use). ``locate`` finds the sheet and header or reports why not.
    """

    def __init__(self, sheet: Sheet, index: int, columns: dict[str, int], headers: dict[str, tuple[str, ...]]):
        self.sheet = sheet
        self.index = index
        self.columns = columns
        self.headers = headers
        self.findings: list[Finding] = []

    @classmethod
    def locate(
        cls,
        sheets: list[Sheet],
        sheet_name: str,
        headers: dict[str, tuple[str, ...]],
        notes_sheet: str = "설명",
    ) -> tuple[TableReader | None, list[Finding]]:
        sheet = next((s for s in sheets if s.name == sheet_name), None) or next(
            (s for s in sheets if s.name != notes_sheet), None
        )
        if sheet is None:
            return None, [error(sheet_name, "-", "시트", "", sheet_name, f"'{sheet_name}' 시트가 없습니다")]
        expected = ", ".join(names[0] for names in headers.values())
        index, columns = find_header(sheet.rows, headers)
        if index is not None:
            return cls(sheet, index, columns, headers), []
        # the row naming most of the headings is the header the user meant: say what it lacks
        best, found = find_best_header(sheet.rows, headers)
        if best is None:
            message = f"알맞은 머리글을 찾지 못했습니다 (필요한 머리글: {expected})"
            return None, [sheet_error(sheet.name, "1~20행", "*", "", expected, message)]
        out = []
        aliases = {normalise(a) for names in headers.values() for a in names}
        for position, value in enumerate(sheet.rows[best]):
            if not blank(value) and normalise(value) not in aliases:
                shown = text(value)
                problem = f"알 수 없는 머리글 '{shown}'입니다 ({expected})"
                out.append(cell_error(sheet.name, best + 1, position, shown, shown, expected, problem))
        for name, names in headers.items():
            if name not in found:
                problem = f"'{names[0]}' 열이 없습니다"
                out.append(sheet_error(sheet.name, f"{best + 1}행", names[0], "", names[0], problem))
        return None, out

    def rows(self) -> list[tuple[int, list[object]]]:
        """(sheet row number, cells) of every row below the header that holds anything."""
        out = []
        for i in range(self.index + 1, len(self.sheet.rows)):
            cells = self.sheet.rows[i]
            if any(not blank(cell(cells, p)) for p in self.columns.values()):
                out.append((i + 1, list(cells)))
        return out

    def raw(self, cells: list[object], name: str) -> object:
        return cell(cells, self.columns[name])

    def fail(self, row: int, name: str, reported: object, expected: str, problem: str) -> None:
        self.findings.append(
            cell_error(self.sheet.name, row, self.columns[name], self.headers[name][0], reported, expected, problem)
        )

    def value(self, row: int, cells: list[object], name: str, kind: str, *, required: bool = True) -> object:
        """The cell as ``kind`` (text, count, date); None when blank and not required, or bad."""
        value = self.raw(cells, name)
        if blank(value):
            if required:
                self.fail(row, name, "", "값", "값이 비어 있습니다")
            return None
        try:
            if kind == "count":
                number = amount(value, "")
                if number < 0:
                    raise ValueError(f"{number:,}: 음수입니다")
                return number
            if kind == "date":
                return date_value(value)
        except ValueError as exc:
            self.fail(row, name, text(value), kind, str(exc))
            return None
        if is_formula(value):
            self.fail(row, name, text(value), "값", f"수식 '{text(value)}' 대신 값을 적어 주세요")
            return None
        return text(value)


def find_best_header(
    rows: Sequence[Sequence[object]], headers: dict[str, tuple[str, ...]]
) -> tuple[int | None, set[str]]:
    """The row among the first ones that names most fields (at least two), and those fields."""
    aliases = {normalise(alias): name for name, names in headers.items() for alias in names}
    best: int | None = None
    found: set[str] = set()
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        named = {aliases[normalise(c)] for c in cells if normalise(c) in aliases}
        if len(named) >= 2 and len(named) > len(found):
            best, found = i, named
    return best, found
