"""Page layout of the generated documents (issue 12): no table row left alone on a page, in our
PDF and in LibreOffice's rendering of the DOCX (read back per page with pdftotext); the DOCX
rows never split and keep with their neighbours at a table's edges; the HWPX timeline is one
table that 한글 keeps on one landscape page."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from lxml import etree
from sqlalchemy.engine import Engine

from governance_app.report.build import build, render
from governance_app.report.layout import MIN_SPLIT_ROWS
from governance_app.report.tree import Document, Table
from tests.helpers import PLANNER
from tests.helpers.layout import lone_rows, page_texts, table_pages

HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
UNIT_PER_MM = 7200 / 25.4


@pytest.fixture
def business(engine: Engine) -> Document:
    return build(engine, "business", actor=PLANNER)


def table_with(document: Document, label: str) -> tuple[int, Table]:
    return next((i, t) for i, t in enumerate(document.tables()) if any(c.label == label for c in t.columns))


def libreoffice_pdf(data: bytes, tmp_path: Path) -> Path:
    (tmp_path / "report.docx").write_bytes(data)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "lo"),
            str(tmp_path / "report.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return tmp_path / "lo" / "report.pdf"


def check_tables(document: Document, pdf: Path, name: str) -> list[dict[int, int] | None]:
    pages = page_texts(pdf)
    placed = table_pages(document, pages)
    # every table of the report is found, row by row, on the pages: the check covers them all
    assert None not in placed, (name, placed)
    assert lone_rows(document, pages, MIN_SPLIT_ROWS) == [], name
    return placed


def test_our_pdf_leaves_no_table_row_alone_on_a_page(business: Document, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render(business, "pdf"))
    placed = check_tables(business, pdf, "ours")
    # the board table (10 members) fits one page: it is not split at all
    index, board = table_with(business, "성명 (생년월일)")
    assert len(board.rows) == 10 and len(placed[index] or {}) == 1
    # the timeline (28 tasks) is printed on one landscape page
    index, timeline = table_with(business, "12월")
    assert len(timeline.rows) == 28 and len(placed[index] or {}) == 1


def test_libreoffice_leaves_no_table_row_of_the_docx_alone_on_a_page(business: Document, tmp_path: Path) -> None:
    pdf = libreoffice_pdf(render(business, "docx"), tmp_path)
    placed = check_tables(business, pdf, "LibreOffice")
    index, healing = table_with(business, "프로그램명")
    assert len(healing.rows) == 15
    assert min((placed[index] or {}).values()) >= MIN_SPLIT_ROWS


def test_docx_rows_never_split_and_keep_with_their_neighbours_at_a_tables_edges(business: Document) -> None:
    document = docx.Document(io.BytesIO(render(business, "docx")))
    tables = business.tables()
    # the boxed lead sentences are one-cell tables of their own: the report's tables are the others
    drawn = [t for t in document.tables if len(t.columns) > 1]
    assert len(drawn) == len(tables)
    for table, block in zip(drawn, tables, strict=True):
        rows = table._tbl.tr_lst
        assert len(rows) == block.header_rows + len(block.rows)
        assert all(tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)

        def keeps(tr: CT_Row) -> bool:
            """Every paragraph of the row's own cells (merged ones included) keeps with the next."""
            return all(p.pPr is not None and p.pPr.keepNext_val for tc in tr.tc_lst for p in tc.p_lst)

        kept = [r for r, tr in enumerate(rows) if keeps(tr)]
        last = len(rows) - 1  # leads nothing
        if block.keeps_together:
            assert kept == list(range(last)), block.columns[0].label
        else:  # the header and the first body rows go together, and so do the last body rows
            first = range(min(block.header_rows + MIN_SPLIT_ROWS - 1, last))
            end = range(max(len(rows) - MIN_SPLIT_ROWS, 0), last)
            assert kept == sorted(set(first) | set(end)), block.columns[0].label
    long = [t for t in tables if not t.keeps_together and len(t.rows) > 2 * MIN_SPLIT_ROWS]
    assert len(long) >= 4  # tables that may split between their first and last rows are checked
    # every heading keeps with what follows (the healing programmes' heading with its table)
    for level in (1, 2, 3, 4):
        assert document.styles[f"Heading {level}"].paragraph_format.keep_with_next


def hwpx_sections(data: bytes) -> list[etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = sorted(n for n in z.namelist() if n.startswith("Contents/section"))
        return [etree.fromstring(z.read(n)) for n in names]


def body_height(section: etree._Element) -> int:
    """HWPUNIT between the header and footer areas of the section's pages."""
    page = section.find(f".//{HP}pagePr")
    margin = page.find(f"{HP}margin")
    short, long = sorted((int(page.get("width")), int(page.get("height"))))
    height = short if page.get("landscape") == "NARROWLY" else long  # NARROWLY: turned to landscape
    return height - sum(int(margin.get(k)) for k in ("top", "bottom", "header", "footer"))


def test_hwpx_keeps_the_timeline_on_one_landscape_page(business: Document) -> None:
    sections = hwpx_sections(render(business, "hwpx"))
    _, timeline = table_with(business, "12월")
    found = [
        (section, tbl)
        for section in sections
        for tbl in section.iter(f"{HP}tbl")
        if tbl.get("colCnt") == str(len(timeline.columns))
    ]
    assert len(found) == 1
    section, tbl = found[0]
    assert section.find(f".//{HP}pagePr").get("landscape") == "NARROWLY"  # the landscape section
    assert tbl.get("rowCnt") == str(1 + len(timeline.rows))
    # never split over pages, and short enough for one page's body with its heading and legend
    assert tbl.get("pageBreak") == "NONE" and tbl.get("repeatHeader") == "1"
    # each row's height from its cells that span one row (a merged 구분 cell spans several)
    height = sum(
        max(int(tc.find(f"{HP}cellSz").get("height")) for tc in tr if tc.find(f"{HP}cellSpan").get("rowSpan") == "1")
        for tr in tbl.findall(f"{HP}tr")
    )
    assert height == int(tbl.find(f"{HP}sz").get("height"))
    assert height + 25 * UNIT_PER_MM <= body_height(section)
    # the body is as tall as the PDF's (A4 less 18 mm above and below, header and footer inside)
    assert body_height(section) == pytest.approx((210 - 36) * UNIT_PER_MM, abs=5)
    # a long table still splits between rows in 한글, with its header repeated
    _, audit = table_with(business, "시정 및 처리 요구사항")
    tables = [t for s in sections for t in s.iter(f"{HP}tbl")]
    long_tables = [t for t in tables if t.get("rowCnt") == str(1 + len(audit.rows)) and t.get("colCnt") == "2"]
    assert long_tables and all(t.get("pageBreak") == "CELL" for t in long_tables)
