"""XLSX renderer (openpyxl): the document as one workbook, a sheet per table.

Each sheet is named after the heading the table sits under and repeats it in its first row,
with the unit line; merged header cells stay merged. Figures are numbers (``#,##0``, △ for a
decrease), rates numbers with one decimal, and every other cell text, including a cell that
starts with = + - @, which a spreadsheet would otherwise run as a formula.
"""

from __future__ import annotations

import io
import re
from typing import assert_never

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from governance_app.report.layout import printable
from governance_app.report.tree import Chart, Contents, Cover, Document, Heading, PageBreak, Paragraph, Table

AMOUNT_FORMAT = "#,##0;△#,##0"
RATE_FORMAT = "0.0;△0.0"
FORMULA_START = ("=", "+", "-", "@")
_NUMBER = re.compile(r"△?\d{1,3}(?:,\d{3})*|△?\d+")
_RATE = re.compile(r"△?\d+\.\d+")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
HEADER_FILL = PatternFill("solid", fgColor="DFE6EE")
ALIGN = {"l": "left", "c": "center", "r": "right"}


def _value(text: str, kind: str) -> tuple[object, str | None]:
    """The cell value and its number format: a figure as a number, anything else as text."""
    plain = text.strip()
    if kind == "number" and _NUMBER.fullmatch(plain):
        number = int(plain.lstrip("△").replace(",", ""))
        return (-number if plain.startswith("△") else number), AMOUNT_FORMAT
    if kind == "rate" and _RATE.fullmatch(plain):
        number = float(plain.lstrip("△"))
        return (-number if plain.startswith("△") else number), RATE_FORMAT
    return text, None


def _sheet_name(title: str, taken: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", title).strip()[:28] or "표"
    name, n = base, 2
    while name in taken:
        name, n = f"{base[:25]} ({n})", n + 1
    taken.add(name)
    return name


def render_xlsx(document: Document) -> bytes:
    book = Workbook()
    book.remove(book.active)
    book.properties.title = document.title
    book.properties.creator = document.author or document.title
    taken: set[str] = set()
    heading = document.title
    for block in document.blocks:
        match block:
            case Heading():
                heading = block.text
            case Table():
                _sheet(book.create_sheet(_sheet_name(heading, taken)), heading, block)
            case Cover() | Contents() | Paragraph() | Chart() | PageBreak():
                pass  # a workbook carries the tables; the words and charts are in the other formats
            case _:
                assert_never(block)
    if not book.sheetnames:
        book.create_sheet("표")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text_cell(cell, text: str) -> None:  # type: ignore[no-untyped-def]
    text = printable(text)  # openpyxl refuses control characters (IllegalCharacterError)
    cell.value = text
    if text.startswith(FORMULA_START):
        cell.data_type = "s"  # stored as text, never evaluated
        cell.quotePrefix = True


def _sheet(sheet, heading: str, table: Table) -> None:  # type: ignore[no-untyped-def]
    _text_cell(sheet.cell(1, 1), heading)
    sheet.cell(1, 1).font = Font(bold=True)
    first = 2
    if table.unit:
        _text_cell(sheet.cell(2, 1), table.unit)
        first = 3
    for row, col, row_span, col_span, text in table.header_cells():
        cell = sheet.cell(first + row, 1 + col)
        _text_cell(cell, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if row_span > 1 or col_span > 1:
            sheet.merge_cells(
                start_row=first + row,
                start_column=1 + col,
                end_row=first + row + row_span - 1,
                end_column=1 + col + col_span - 1,
            )
    body = first + table.header_rows
    for i, values in enumerate(table.rows):
        for c, (text, column) in enumerate(zip(values, table.columns, strict=True)):
            cell = sheet.cell(body + i, 1 + c)
            value, number_format = _value(text, column.kind)
            if number_format:
                cell.value = value
                cell.number_format = number_format
            else:
                _text_cell(cell, text)
            cell.alignment = Alignment(horizontal=ALIGN[column.align], vertical="center", wrap_text="\n" in text)
            if i in table.total_rows:
                cell.font = Font(bold=True)
    for c, column in enumerate(table.columns):
        longest = max([len(column.label), *(max(map(len, r[c].split("\n"))) for r in table.rows)])
        sheet.column_dimensions[get_column_letter(1 + c)].width = min(60, max(8, longest * 1.6 + 2))
    sheet.freeze_panes = sheet.cell(body, 1)
