"""The board's document (이사회 현황 자료, issue 14 item 4): every role may make it, the board role
only it, from the 보고서 page; it prints the dashboards' figures and no personal data, whoever
makes it: no birth date in any spelling, no contact, no staff name."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from audit_followup import service as audit
from board import service as board
from budget import execution as budget_execution
from budget import service as budget
from calls import service as calls
from governance_app.core import formatting as fmt
from governance_app.core.auth import PermissionDeniedError
from governance_app.core.context import current
from governance_app.core.db import session
from governance_app.dataset import read_csv
from governance_app.report import build as reports
from tests.helpers import DATA, PLANNER
from tests.helpers.pages import page
from tests.helpers.work import ACTORS

BOARD = ACTORS["board"]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "board.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def seed_column(name: str, *columns: str) -> set[str]:
    header, rows = read_csv(DATA / name)
    return {r[header.index(c)] for r in rows for c in columns if r[header.index(c)]}


def birth_date_spellings() -> dict[str, set[str]]:
    """Every seed board member's birth date as any document could print it, squashed."""
    out = {}
    for value in seed_column("board_person.csv", "birth_date"):
        d = date.fromisoformat(value)
        spellings = {d.isoformat(), fmt.date_short(d), fmt.date_ko(d), f"{d.year}.", f"'{d.year % 100}."}
        spellings |= {f"{d:%Y%m%d}", f"{d.year}년{d.month}월{d.day}일", f"{d.year % 100}.{d.month}.{d.day}."}
        out[value] = {squash(s) for s in spellings}
    return out


def personal_leaks(text: str) -> list[str]:
    flat = squash(text)
    found = [f"{value}: {s}" for value, spellings in birth_date_spellings().items() for s in spellings if s in flat]
    staff = seed_column("work_contact.csv", "name") | seed_column("execution_line.csv", "manager_name", "officer_name")
    found += [name for name in staff if name in flat]
    phones = seed_column("work_contact.csv", "phone") | seed_column(
        "execution_line.csv", "manager_phone", "officer_phone"
    )
    found += [p for p in phones if re.search(rf"(?<![\d,.-]){re.escape(p)}(?![\d,.-])", text)]
    return found + (["☎"] if "☎" in text else [])


def overview_figures(engine: Engine) -> list[str]:
    """The 개요 page's figures of the current round, from the services over the seed."""
    with session(engine) as s:
        ctx = current(s)
        as_of = budget_execution.shown_as_of(s, ctx, None)
        total = budget.total_budget(s, ctx.org_id, ctx.fiscal_year)
        executed = budget_execution.execution_total(s, ctx.org_id, as_of)
        phone = {p.period_code: p for p in calls.phone_performance(s, ctx.org_id)}[ctx.call_period_code]
        heads = board.headcount(s, ctx.org_id, ctx.report_date)
        counts = audit.status_counts(s, ctx.org_id, ctx.audit_session_code)
        names = [e.name for e in board.roster(s, ctx.org_id, ctx.report_date, actor=PLANNER)]
    assert executed is not None
    return [
        f"{fmt.amount(total)}천원",
        f"{fmt.amount(executed.executed)}천원({fmt.percent(executed.rate)}%)",
        f"{fmt.percent(phone.answer_rate)}%",
        f"이사{heads['directors']}명,감사{heads['auditors']}명",
        f"총{counts['계']}건",
        *names,  # board members' names, as the public report prints them
    ]


def test_the_board_role_is_offered_only_the_board_document_and_downloads_it(engine: Engine, tmp_path: Path) -> None:
    at = page("reports", BOARD)
    assert not at.radio and not at.multiselect  # one kind, one format: nothing to choose
    assert "개인정보(생년월일·연락처 등)를 뺀 이사회 현황 자료만" in at.info[0].value
    at.button(key="report_build").click().run()
    assert not at.exception and not at.error, at.error
    made = at.session_state["report_files"]
    assert made["kind"] == "board" and list(made["files"]) == ["pdf"] and made["by"] == BOARD.username
    name, data = made["files"]["pdf"]
    assert name == "이사회_현황자료_2025-09.pdf" and data[:5] == b"%PDF-"
    (button,) = at.get("download_button")
    assert button.proto.label.startswith("PDF 내려받기")
    text = pdf_text(data, tmp_path)
    flat = squash(text)
    expected = overview_figures(engine)
    assert [f for f in expected if f not in flat] == []
    # the seed's figures as printed in the source report (2025. 9.)
    for figure in ("32,048,210천원", "17,756,649천원(55.4%)", "96.5%", "이사9명,감사1명", "총23건"):
        assert figure in flat
    for heading in ("주요현황", "예산집행현황", "상담현황", "이사회구성및임기", "행정사무감사후속조치현황"):
        assert heading in flat
    assert personal_leaks(text) == []


def test_the_board_document_holds_no_personal_data_whoever_makes_it(engine: Engine, tmp_path: Path) -> None:
    spellings = birth_date_spellings()
    assert len(spellings) == 10 and "1959-03-17" in spellings
    by_planner = reports.build(engine, "board", actor=PLANNER)
    by_board = reports.build(engine, "board", actor=BOARD)
    assert by_planner.text() == by_board.text()
    assert personal_leaks(by_planner.text()) == []
    assert personal_leaks(pdf_text(reports.render(by_planner, "pdf"), tmp_path)) == []
    # the check would see a birth date: the business report made by the planning office prints them
    business = pdf_text(reports.render(reports.build(engine, "business", actor=PLANNER), "pdf"), tmp_path)
    assert "1959-03-17: '59.3.17." in personal_leaks(business)


@pytest.mark.parametrize("role", list(ACTORS))
def test_every_role_may_make_the_board_document_and_only_staff_the_others(engine: Engine, role: str) -> None:
    actor = ACTORS[role]
    assert reports.build(engine, "board", actor=actor).title.endswith("이사회 현황 자료")
    staff = role in ("planning", "finance", "auditor")
    assert reports.kinds_for(actor) == (["business", "audit", "budget", "board"] if staff else ["board"])
    if not staff:
        with pytest.raises(PermissionDeniedError):
            reports.build(engine, "business", actor=actor)
