"""Crafted execution uploads (issue 13, 2.): every parser error is one Korean message, and the
reading is bounded in rows, columns, inflated size and time whatever the file declares."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy.engine import Engine

from budget.upload import MAX_ROWS, parse_upload
from governance_app.core import spreadsheet
from governance_app.core.spreadsheet import MAX_AMOUNT
from tests.helpers.budget import CODES, LINES, csv_bytes, draft, good_rows, save, snapshots

SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_xlsx() -> bytes:
    return workbook([["코드", "예산액", "집행액"], *[[c, b, e] for c, (_, b, e) in zip(CODES, LINES, strict=True)]])


def replace(data: bytes, members: dict[str, bytes | None]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename in members:
                if members[item.filename] is not None:
                    target.writestr(item.filename, members[item.filename])  # type: ignore[arg-type]
                continue
            target.writestr(item, source.read(item.filename))
    return out.getvalue()


def sheet_xml(body: str, dimension: str = "A1:C3", doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet {NS}><dimension ref="{dimension}"/>'
        f"<sheetData>{body}</sheetData></worksheet>"
    ).encode()


def row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def number_cell(ref: str, value: str) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


HEADER = row(1, text_cell("A1", "코드"), text_cell("B1", "예산액"), text_cell("C1", "집행액"))
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(4, 10))
    + "]>"
)
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'

CRAFTED = [
    ("unparseable sheet XML", {SHEET: b"<worksheet><sheetData><row>"}),
    ("billion laughs", {SHEET: sheet_xml(row(1, text_cell("A1", "&lol9;")), doctype=LAUGHS)}),
    ("external entity", {SHEET: sheet_xml(row(1, text_cell("A1", "&xxe;")), doctype=XXE)}),
    ("no sheets", {"xl/workbook.xml": f"<workbook {NS}><sheets/></workbook>".encode()}),
    ("a missing sheet member", {SHEET: None}),
]


@pytest.mark.parametrize(("case", "members"), CRAFTED, ids=[c[0] for c in CRAFTED])
def test_a_crafted_workbook_is_one_message(case: str, members: dict[str, bytes | None]) -> None:
    parsed = parse_upload(replace(good_xlsx(), members), "집행.xlsx")
    assert not parsed.ok and parsed.rows == [], case
    assert len(parsed.findings) == 1
    message = parsed.findings[0].message
    assert message.startswith("집행.xlsx: "), message
    assert "root:" not in message  # /etc/passwd was never read into a cell


@pytest.mark.parametrize("value", ["1E+400", "-1E+400", "9.3E+18"])
def test_an_amount_that_is_not_a_finite_amount_is_named(value: str) -> None:
    body = HEADER + row(2, text_cell("A2", CODES[0]), number_cell("B2", value), number_cell("C2", "1"))
    parsed = parse_upload(replace(good_xlsx(), {SHEET: sheet_xml(body)}), "집행.xlsx")
    assert not parsed.ok
    assert [(f.row, f.field) for f in parsed.findings] == [("2행", "예산액")], parsed.findings


@pytest.mark.parametrize("value", ["NaN", "inf"])
def test_a_number_cell_openpyxl_cannot_read_is_one_message(value: str) -> None:
    body = HEADER + row(2, text_cell("A2", CODES[0]), number_cell("B2", value), number_cell("C2", "1"))
    parsed = parse_upload(replace(good_xlsx(), {SHEET: sheet_xml(body)}), "집행.xlsx")
    assert not parsed.ok and len(parsed.findings) == 1
    assert parsed.findings[0].message.startswith("집행.xlsx: XLSX 파일을 읽을 수 없습니다")


def test_an_amount_past_the_bound_is_refused_in_csv() -> None:
    rows = good_rows()
    rows[0] = (rows[0][0], str(2**63), rows[0][2], rows[0][3])
    parsed = parse_upload(csv_bytes(rows), "집행.csv")
    assert [(f.row, f.field) for f in parsed.findings] == [("4행", "예산액")]
    assert f"±{MAX_AMOUNT:,}천원" in parsed.findings[0].message


def test_three_billion_is_saved_on_both_databases(engine: Engine) -> None:
    """3,000,000,000 천원 fits the 64-bit snapshot column on PostgreSQL too (migration 0008)."""
    rows = good_rows()
    rows[8] = (rows[8][0], "3,000,000,000", "2,999,999,999", rows[8][3])
    d = draft(engine, csv_bytes(rows), "집행.csv")
    assert d.ok, d.findings
    save(engine, d)
    saved = {(line, on): (b, e) for line, on, b, e in snapshots(engine)}
    assert saved[("ex.3.1", date(2025, 10, 31))] == (3_000_000_000, 2_999_999_999)


def test_a_declared_huge_dimension_is_not_trusted() -> None:
    body = HEADER + "".join(
        row(i + 2, text_cell(f"A{i + 2}", c), number_cell(f"B{i + 2}", str(b)), number_cell(f"C{i + 2}", str(e)))
        for i, (c, (_, b, e)) in enumerate(zip(CODES, LINES, strict=True))
    )
    data = replace(good_xlsx(), {SHEET: sheet_xml(body, dimension="A1:XFD1048576")})
    assert len(data) < 10_000
    started = time.monotonic()
    parsed = parse_upload(data, "집행.xlsx")
    assert time.monotonic() - started < 5
    assert parsed.ok and len(parsed.rows) == len(CODES)


def test_too_many_rows_are_refused_before_the_rest_is_read() -> None:
    rows = "".join(row(i, number_cell(f"A{i}", "1")) for i in range(2, 200_000))
    data = replace(good_xlsx(), {SHEET: sheet_xml(HEADER + rows, dimension="A1:C200000")})
    started = time.monotonic()
    parsed = parse_upload(data, "집행.xlsx")
    assert time.monotonic() - started < 5
    assert not parsed.ok and len(parsed.findings) == 1
    assert f"행이 너무 많습니다 ({MAX_ROWS:,}행까지 읽습니다)" in parsed.findings[0].message


def test_a_zip_bomb_is_refused_by_its_inflated_size() -> None:
    body = HEADER + row(2, text_cell("A2", "x" * (40 * 1024 * 1024)))
    data = replace(good_xlsx(), {SHEET: sheet_xml(body)})
    assert len(data) < 2 * 1024 * 1024
    parsed = parse_upload(data, "집행.xlsx")
    assert not parsed.ok and "압축을 풀면 너무 큽니다" in parsed.findings[0].message


def test_a_workbook_of_many_sheets_is_refused_before_they_are_read() -> None:
    book = Workbook()
    for n in range(spreadsheet.MAX_SHEETS):
        book.create_sheet(f"시트{n}")
    out = io.BytesIO()
    book.save(out)
    parsed = parse_upload(out.getvalue(), "집행.xlsx")
    assert not parsed.ok and len(parsed.findings) == 1
    assert f"시트가 너무 많습니다 ({spreadsheet.MAX_SHEETS + 1}개; {spreadsheet.MAX_SHEETS}개까지 읽습니다)" in (
        parsed.findings[0].message
    )


def test_reading_stops_at_its_time_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """Within every other bound a file could still be slow to read: reading stops at the clock."""
    monkeypatch.setattr(spreadsheet, "MAX_READ_SECONDS", 0.0)
    parsed = parse_upload(good_xlsx(), "집행.xlsx")
    assert not parsed.ok and len(parsed.findings) == 1
    assert "파일을 읽는 데 너무 오래 걸립니다 (0초 넘게)" in parsed.findings[0].message
    monkeypatch.setattr(spreadsheet, "MAX_READ_SECONDS", 15.0)
    assert parse_upload(good_xlsx(), "집행.xlsx").ok
