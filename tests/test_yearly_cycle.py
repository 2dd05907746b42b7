"""The yearly cycle, end to end on SQLite and PostgreSQL (issue 11's scenario): a fresh database
from data/ -> submit 2025-09 -> open 2026-09 -> a 2026 budget through the spreadsheet template ->
a 2026-07-31 execution snapshot -> successors to the three terms that ended 2026-08-01 (the
appointment service) -> a 2025 audit session with five items (the audit intake template) -> the
2026 business report (PDF and DOCX) shows the 2026 round, and ``report --round 2025-09`` returns
the files stored at submission byte for byte. Every step goes through the service its page calls,
and each passes the freeze guard, which must let the 2026 round's writes through."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from board import appointments
from budget import recording as budget_recording
from budget.models import ExecutionLine, ExecutionSnapshot
from governance_app import intake
from governance_app.cli import main
from governance_app.core import context
from governance_app.core.db import session
from governance_app.core.models import RoundDocument
from governance_app.core.queries import fetch
from governance_app.report.build import FILE_STEMS, KINDS, build, render
from tests.helpers import PLANNER

RAISED_LINE = "exp.1.1.1"  # 상담정보시스템 운영: the one line whose 2026 budget differs (+10,000천원)
RAISE = 10000
SUCCESSORS = {"chair": "김철수", "appointed-3": "박영희", "auditor": "최민준"}  # terms ended 2026-08-01
AUDIT_ITEMS = [
    ("R-01", "시정·처리요구사항", "야간 상담 대기시간을 줄일 대책을 마련할 것", "상담운영부"),
    ("R-02", "시정·처리요구사항", "상담사 감정노동 보호 예산을 확대할 것", "인사부"),
    ("S-01", "건의사항", "외국어 상담 채널을 확대하기 바람", "상담기획부"),
    ("S-02", "건의사항", "시민 만족도 조사 결과를 누리집에 공개하기 바람", "기획조정실"),
    ("O-01", "기타", "상담 통계 자료를 분기별로 제출할 것", "기획조정실"),
]


def saved(book) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True).stdout


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_yearly_cycle(engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # submit 2025-09: its documents are stored
    assert main(["round", "freeze", "2025-09"]) == 0
    with session(engine) as s:
        stored = {(d.kind, d.format): d.content for d in fetch(s, RoundDocument, context.current(s).org_id)}
    formats = sorted({fmt for _, fmt in stored})
    assert len(stored) == len(KINDS) * len(formats) and {"pdf", "docx"} <= set(formats)  # every kind in every format

    # open 2026-09 from it
    dates = ["--report-date", "2026-09-01", "--execution-as-of", "2026-07-31"]
    assert main(["round", "new", "2026-09", "--fiscal-year", "2026", *dates]) == 0
    capsys.readouterr()
    # before the successors the report date's board is short of its 이사장 and 감사
    with session(engine) as s:
        ctx = context.current(s)
        assert (ctx.report_code, ctx.audit_session_code) == ("2026-09", "2025-admin")
    short = docx_text(render(build(engine, "business", actor=PLANNER), "docx"))
    assert "감사 0인: 정관 기준(1인 이상) 미달" in short

    # the 2026 budget through the template: every typed line as in 2025, one line (and the
    # contribution that pays for it) 10,000천원 more; totals are computed on load
    with session(engine) as s:
        book = load_workbook(io.BytesIO(intake.template(s, "budget", None)))
    sheet = book["예산"]
    assert [c.value for c in sheet[2]][3:] == ["2025년", "2026년"]
    for row in sheet.iter_rows(min_row=3):
        if isinstance(row[3].value, int) and not str(row[4].value or "").startswith("="):
            row[4].value = row[3].value + (RAISE if row[0].value in (RAISED_LINE, "rev.contribution") else 0)
    with session(engine) as s:
        assert not intake.save(session=s, actor=PLANNER, kind="budget", data=saved(book), filename="2026.xlsx").errors

    # a 2026-07-31 execution snapshot
    with session(engine) as s:
        org_id = context.current(s).org_id
        totals = {x.code for x in fetch(s, ExecutionLine, org_id) if x.is_total}
        seed = fetch(s, ExecutionSnapshot, org_id, ExecutionSnapshot.as_of == date(2025, 7, 31))
        amounts = {
            x.line_code: (x.budget_amount + (RAISE if x.line_code == "ex.1.1.1" else 0), x.executed_amount // 2)
            for x in seed
            if x.line_code not in totals
        }
        budget_recording.record_execution(
            session=s,
            actor=PLANNER,
            as_of=date(2026, 7, 31),
            amounts=amounts,
            org_id=org_id,
            fiscal_year=2026,
            today=date(2026, 8, 3),
        )

    # successors to the three terms that ended on 2026-08-01, appointed from the next day
    with session(engine) as s:
        for seat, name in SUCCESSORS.items():
            appointments.appoint(
                session=s,
                actor=PLANNER,
                org_id=org_id,
                seat_code=seat,
                start_date=date(2026, 8, 2),
                new_person=appointments.NewPerson(name, date(1970, 1, 1), ("행정학 석사",), ("現 시민단체 대표",)),
            )

    # the 2025 audit session with five items through the audit template
    with session(engine) as s:
        book = load_workbook(io.BytesIO(intake.template(s, "audit", None)))
    sheet = book["감사 항목"]
    assert sheet["A3"].value == 2025
    for n, (_, category, request, department) in enumerate(AUDIT_ITEMS):
        sheet.cell(3 + n, 4, category), sheet.cell(3 + n, 5, request), sheet.cell(3 + n, 6, department)
    with session(engine) as s:
        draft = intake.save(session=s, actor=PLANNER, kind="audit", data=saved(book), filename="2025감사.xlsx")
    assert not draft.errors, draft.errors

    # the 2026 business report
    document = build(engine, "business", actor=PLANNER)
    for text in (pdf_text(render(document, "pdf"), tmp_path), docx_text(render(document, "docx"))):
        flat = " ".join(text.split())
        assert "2026. 9." in flat
        assert "'26년 예산 현황" in flat
        assert "2025년 (A)" in flat and "2026년 (B)" in flat
        assert f"{RAISE:,}" in flat  # 증감 of the raised line, computed
        assert "32,058,210" in flat  # the 2026 total: 32,048,210 + 10,000
        assert "'26년 예산 현황 ('26. 7. 31. 기준)" in flat  # the execution as of the round's snapshot
        for name in SUCCESSORS.values():
            assert name in flat, name
        assert "미달" not in flat
        assert "III. 2025 행정사무감사 처리결과" in flat
        for _, _, request, _ in AUDIT_ITEMS:
            assert " ".join(request.split()) in flat, request

    # the submitted round still gives the files stored when it was submitted, byte for byte
    out = tmp_path / "2025-09"
    for kind in KINDS:
        argv = ["report", "--round", "2025-09", "--kind", kind, "--format", ",".join(formats), "--out", str(out)]
        assert main(argv) == 0
    files = capsys.readouterr().out.split()
    assert len(files) == len(stored)
    for name in files:
        path = Path(name)
        kind = {stem: kind for kind, stem in FILE_STEMS.items()}[path.stem.rsplit("_", 1)[0]]
        assert path.read_bytes() == stored[(kind, path.suffix[1:])]
