"""Writing the yearly intake templates as XLSX files that survive Excel.

One data sheet (a title line, then one header row of Korean headings, then the rows) and a
sheet ``설명`` that explains each column. Numbers are numbers formatted ``#,##0``, dates are
date cells formatted ``yyyy-mm-dd``, computed cells are formulas, no cell is merged, and the
header row is frozen. A column may offer a list of allowed words (Excel's data validation).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

NOTES_SHEET = "설명"
NUMBER_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Column:
    heading: str
    explanation: str
    kind: str = "text"  # text | number | date
    width: int = 14
    choices: tuple[str, ...] = ()  # allowed words, offered as a list in Excel


@dataclass
class TemplateSheet:
    name: str
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)  # a str starting with "=" is a formula
    shaded_rows: set[int] = field(default_factory=set)  # indexes of computed rows (grey)


def header_row() -> int:
    """The sheet row holding the header (row 1 is the title line)."""
    return 2


def first_data_row() -> int:
    return header_row() + 1


def build(sheet: TemplateSheet, notes: Sequence[str] = ()) -> bytes:
    """The workbook as XLSX bytes: the data sheet first, then ``설명``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    ws = book.active
    ws.title = sheet.name
    ws.cell(row=1, column=1, value=sheet.title).font = Font(bold=True, size=13)
    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="EEEEEE")
    for j, column in enumerate(sheet.columns, start=1):
        ws.cell(row=header_row(), column=j, value=column.heading).font = bold
        ws.column_dimensions[get_column_letter(j)].width = column.width
    for i, values in enumerate(sheet.rows):
        r = first_data_row() + i
        for j, (column, value) in enumerate(zip(sheet.columns, values, strict=False), start=1):
            target = ws.cell(row=r, column=j, value=value)
            if column.kind == "number":
                target.number_format = NUMBER_FORMAT
            elif column.kind == "date" and isinstance(value, date):
                target.number_format = DATE_FORMAT
            if i in sheet.shaded_rows:
                target.fill = grey
    last = first_data_row() + max(len(sheet.rows), 1) + 200  # room for rows the user adds
    for j, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(j)
        if column.kind == "date":
            for r in range(first_data_row() + len(sheet.rows), last):
                ws.cell(row=r, column=j).number_format = DATE_FORMAT
        if column.choices:
            check = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
            check.error = "목록에 있는 값을 고르세요"
            ws.add_data_validation(check)
            check.add(f"{letter}{first_data_row()}:{letter}{last}")
    ws.freeze_panes = ws.cell(row=first_data_row(), column=1)

    notes_sheet = book.create_sheet(NOTES_SHEET)
    notes_sheet.append(["열", "설명"])
    for c in notes_sheet[1]:
        c.font = bold
    for column in sheet.columns:
        notes_sheet.append([column.heading, column.explanation])
    if notes:
        notes_sheet.append([])
        for line in notes:
            notes_sheet.append(["", line])
    notes_sheet.column_dimensions["A"].width = 18
    notes_sheet.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
