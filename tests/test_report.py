"""The generated documents: every figure of the source tables and every audit item, in PDF,
DOCX and HWPX (read back by parsers other people wrote); the Hangul font embedded; the data,
not the code, decides what they say; LibreOffice lays the DOCX out without splitting a figure,
date or term; no document says how its data was made."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx
import pytest
from hwp_hwpx_parser import Reader
from hwpx import HwpxDocument
from sqlalchemy.engine import Engine
from sqlmodel import select

from audit_followup.service import items
from budget.models import ExecutionSnapshot
from governance_app.cli import main
from governance_app.core.context import current
from governance_app.core.db import session
from governance_app.report.build import RENDERERS, build, render
from governance_app.report.tree import Document
from tests.helpers import PLANNER, SOURCE, acting

TEXT = SOURCE.read_text(encoding="utf-8")
FIGURE = re.compile(r"△?\d{1,3}(?:,\d{3})+|\b\d+\.\d\b")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def section(start: str, end: str) -> str:
    return TEXT[TEXT.index(start) : TEXT.index(end, TEXT.index(start))]


def source_figures() -> set[str]:
    """Every thousands-separated number and one-decimal rate printed in the source's tables."""
    tables = [
        section("□ 상담채널별 상담건 수", "3 조직 및 인력"),
        section("□ 인력 : 정원", "□ 부서별 주요업무"),
        section("□ 세입예산", "6| 비전 및 추진전략"),
        section("ㅇ 집행 현황", "Ⅲ. 2024 행정사무감사"),
    ]
    figures = {f for t in tables for f in FIGURE.findall(t)}
    # the garbled header row of the 세출 table repeats figures that also have clean rows
    return figures


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """Text in drawing order (-raw): each table cell stays in one piece."""
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True).stdout


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def hwpx_text(data: bytes, tmp_path: Path) -> str:
    """The HWPX as hwp-hwpx-parser (not python-hwpx, which wrote it) reads it: tables as Markdown."""
    path = tmp_path / "report.hwpx"
    path.write_bytes(data)
    return Reader(str(path)).text


def pdf_fonts(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout


def pdf_pages(data: bytes, tmp_path: Path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


def test_business_report_holds_every_source_figure_and_audit_item(engine: Engine, tmp_path: Path) -> None:
    document = build(engine, "business", actor=PLANNER)
    pdf, word, hwp = render(document, "pdf"), render(document, "docx"), render(document, "hwpx")
    texts = {
        "pdf": squash(pdf_text(pdf, tmp_path)),
        "docx": squash(docx_text(word)),
        "hwpx": squash(hwpx_text(hwp, tmp_path)),
    }
    figures = source_figures()
    assert len(figures) > 150  # the tables really were found
    for name, text in texts.items():
        missing = sorted(f for f in figures if f not in text)
        assert not missing, f"{name} lacks source figures: {missing}"
        for heading in (
            "I.일반현황",
            "①기관연혁",
            "⑥비전및추진전략",
            "II.주요업무추진실적",
            "III.2024행정사무감사처리결과",
        ):
            assert heading in text, f"{name} lacks {heading}"
    with session(engine) as s:
        ctx = current(s)
        requests = [i.request for i in items(s, ctx.org_id, ctx.audit_session_code)]
    assert len(requests) == 23
    for name, text in texts.items():
        absent = [r for r in requests if squash(r) not in text]
        assert not absent, f"{name} lacks audit items: {absent}"
    fonts = pdf_fonts(pdf, tmp_path)
    assert "NanumGothic" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), fonts  # every font embedded
    assert 15 <= pdf_pages(pdf, tmp_path) <= 45


def test_an_execution_change_reaches_the_report(engine: Engine) -> None:
    with acting(engine) as s:
        snap = s.exec(select(ExecutionSnapshot).where(ExecutionSnapshot.line_code == "ex.1.1.1")).one()
        snap.executed_amount = 1_600_000  # was 1,572,360
        s.add(snap)
        s.commit()
    text = build(engine, "budget", actor=PLANNER).text()
    assert "1,600,000" in text and "1,572,360" not in text
    assert "98.1" in text  # 1,600,000 / 1,630,926 = 98.10 %
    assert "17,784,289" in text  # 집행액 합계 17,756,649 + 27,640
    assert "55.5" in text  # 17,784,289 / 32,048,210 = 55.49 %


@pytest.mark.parametrize("kind", ["audit", "budget"])
def test_cli_writes_both_formats(engine: Engine, tmp_path: Path, kind: str) -> None:
    assert main(["report", "--kind", kind, "--format", "pdf,docx", "--out", str(tmp_path)]) == 0
    pdf = next(tmp_path.glob("*.pdf")).read_bytes()
    word = next(tmp_path.glob("*.docx")).read_bytes()
    assert "NanumGothic" in pdf_fonts(pdf, tmp_path)
    pdf_words, docx_words = squash(pdf_text(pdf, tmp_path)), squash(docx_text(word))
    expected = "23건" if kind == "audit" else "17,756,649"
    assert expected in pdf_words and expected in docx_words


FORBIDDEN = ("추출", "원문간트", "원문 간트", "OCR", "도출함")


@pytest.mark.parametrize("kind", ["business", "audit", "budget"])
def test_no_document_says_how_its_data_was_made(engine: Engine, tmp_path: Path, kind: str) -> None:
    document = build(engine, kind, actor=PLANNER)
    texts = {
        "tree": document.text(),
        "pdf": pdf_text(render(document, "pdf"), tmp_path),
        "docx": docx_text(render(document, "docx")),
        "hwpx": hwpx_text(render(document, "hwpx"), tmp_path),
    }
    for name, text in texts.items():
        assert len(text) > 500, name
        found = [w for w in FORBIDDEN if w in text]
        assert not found, f"{kind} {name} says {found}"


def test_the_hwpx_validates_without_errors_or_warnings(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "report.hwpx"
    path.write_bytes(render(build(engine, "business", actor=PLANNER), "hwpx"))
    report = HwpxDocument.open(str(path)).validate()
    assert report.ok and not list(report.errors) and not list(report.warnings), report
    text = hwpx_text(path.read_bytes(), tmp_path)
    # merged header cells survive: the group label once, over its columns
    assert "비전화상담" in text and "전문직" in text and "경영본부 (5부)" in text


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_a_renderer_fails_loudly_on_an_unknown_node(fmt: str) -> None:
    class Unknown:
        pass

    with pytest.raises(AssertionError):
        render(Document("t", [Unknown()]), fmt)  # type: ignore[list-item]


def layout_lines(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [squash(line) for line in out.splitlines()]


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return out.split("\f")[:-1]


def pages_with_images(pdf: Path) -> set[int]:
    out = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {int(line.split()[0]) for line in out.splitlines()[2:] if line.strip()}


DATE_OR_TERM = re.compile(r"'\d{2}\.\s\d{1,2}\.(?:\s\d{1,2}\.)?(?:\s~\s(?:'\d{2}\.\s\d{1,2}\.\s\d{1,2}\.|재임시))?")


def test_libreoffice_lays_the_docx_out_without_splitting_figures_dates_or_terms(engine: Engine, tmp_path: Path) -> None:
    document = build(engine, "business", actor=PLANNER)
    ours = tmp_path / "ours.pdf"
    ours.write_bytes(render(document, "pdf"))
    (tmp_path / "report.docx").write_bytes(render(document, "docx"))
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
    theirs = tmp_path / "lo" / "report.pdf"
    words = document.text().replace("\u00a0", " ")
    expected = source_figures() | {squash(m) for m in DATE_OR_TERM.findall(words)}
    assert len(expected) > 170
    for name, pdf in (("ours", ours), ("LibreOffice", theirs)):
        lines = layout_lines(pdf)
        split = sorted(f for f in expected if not any(f in line for line in lines))
        assert not split, f"{name}: split across lines: {split}"
        pictured = pages_with_images(pdf)
        empty = [
            i + 1
            for i, page in enumerate(page_texts(pdf))
            if len(squash(page.replace(document.title, ""))) < 12 and i + 1 not in pictured
        ]
        assert not empty, f"{name}: empty pages {empty}"
    for name, pdf in (("ours", ours), ("LibreOffice", theirs)):
        contents = page_texts(pdf)[1]  # the page after the cover: every entry with its page number
        numbered = re.findall(r"(?m)(?:\.\s?){3,}\s*(\d+)\s*$", contents)
        assert len(numbered) == len(document.contents()), f"{name}: {contents}"
    assert abs(pdf_pages(theirs.read_bytes(), tmp_path) - pdf_pages(ours.read_bytes(), tmp_path)) <= 0.1 * pdf_pages(
        ours.read_bytes(), tmp_path
    )


def test_the_workbook_holds_every_source_figure_as_a_number_and_formulas_as_text(engine: Engine) -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(render(build(engine, "business", actor=PLANNER), "xlsx")))
    assert len(book.sheetnames) >= 15
    shown: set[str] = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, int | float) and cell.number_format.startswith("0.0"):
                    shown.add(
                        f"△{-cell.value:.1f}" if cell.value < 0 else f"{cell.value:.1f}"
                    )  # a rate (45.0 reads 45)
                elif isinstance(cell.value, int):
                    shown.add(f"△{-cell.value:,}" if cell.value < 0 else f"{cell.value:,}")
                elif isinstance(cell.value, str):
                    shown.update(FIGURE.findall(cell.value))  # 9,226\n(52.2%): a figure with its share
    missing = sorted(f for f in source_figures() if f not in shown)
    assert not missing, missing
    revenue = next(s for s in book.worksheets if s["A1"].value == "□ 세입예산")
    assert [c.value for c in revenue[5]] == ["출연금", 30764458, 30750395, -14063]
    assert revenue["D5"].number_format == "#,##0;△#,##0"

    from governance_app.report.tree import Column, Table

    risky = ["=1+1", "+82 2", "-3", "@SUM(A1)"]
    document = Document("t", [Table([Column("값")], [[v] for v in risky])])
    sheet = openpyxl.load_workbook(io.BytesIO(render(document, "xlsx"))).active
    assert [sheet.cell(3 + i, 1).value for i in range(4)] == risky
    assert all(sheet.cell(3 + i, 1).data_type == "s" for i in range(4))
