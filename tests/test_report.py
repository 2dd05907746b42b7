"""The generated documents: every figure of the source tables and every audit item, in PDF
and DOCX; the Hangul font embedded; the data, not the code, decides what they say."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from audit_followup.service import items
from budget.models import ExecutionSnapshot
from governance_app.cli import main
from governance_app.core.context import current
from governance_app.core.db import session
from governance_app.report.build import build, render
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
    pdf, word = render(document, "pdf"), render(document, "docx")
    texts = {"pdf": squash(pdf_text(pdf, tmp_path)), "docx": squash(docx_text(word))}
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
