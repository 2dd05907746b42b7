"""Every page runs in AppTest without an exception and shows its figures (signed in, as the
planning office unless a test says otherwise), and a board member's session shows no personal data."""

from __future__ import annotations

import csv
import re
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from governance_app import navigation
from governance_app.core import formatting as fmt
from governance_app.core.auth import Actor
from governance_app.core.settings import ROOT
from tests.helpers import DATA, PLANNER, sign_in
from tests.helpers.pages import PAGES, lazy_tabs, open_tab, page_text


def run_page(name: str, actor: Actor = PLANNER) -> AppTest:
    at = sign_in(AppTest.from_file(str(ROOT / "governance_app" / "pages" / f"{name}.py"), default_timeout=30), actor)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("name", PAGES)
def test_every_page_runs(engine: Engine, name: str) -> None:
    at = run_page(name)
    assert at.title, f"{name} has no title"


def test_entry_point_navigates(engine: Engine) -> None:
    at = sign_in(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30), PLANNER)
    at.run()
    assert not at.exception
    at.switch_page("governance_app/pages/audit.py").run()
    assert not at.exception
    assert "행정사무감사" in at.title[0].value


def test_overview_shows_headline_figures_and_the_inconsistency(engine: Engine) -> None:
    text = page_text(run_page("overview"))
    for expected in ["32,048,210천원", "55.4%", "23건", "96.5%", "이사 9명 · 감사 1명", "완료 23건"]:
        assert expected in text, expected
    # the 총괄 table's 건의사항 완료 6 against 7 items is shown, not hidden, in words
    assert "행정사무감사 총괄(보고값) · 2024 행정사무감사 · 건의사항 · 완료" in text
    assert "2024-admin" not in text


def test_budget_page_shows_hierarchy_and_execution(engine: Engine) -> None:
    at = run_page("budget")
    text = page_text(at)
    for expected in ["31,973,379", "△959,322"]:
        assert expected in text, expected
    at.session_state["budget_tab"] = "집행 현황"  # the tabs are lazy: only the open one runs
    at.run()
    assert not at.exception, at.exception
    text = page_text(at)
    for expected in ["스마트상담시스템 운영 활성화", "17,756,649", "55.4", "45.0", "49.0"]:
        assert expected in text, expected


def test_board_date_changes_term_status(engine: Engine) -> None:
    at = run_page("board")
    at.date_input(key="board_on").set_value(date(2026, 1, 1)).run()
    assert not at.error
    assert "이사장: 1명" in page_text(at)
    at.date_input(key="board_on").set_value(date(2026, 8, 2)).run()
    text = page_text(at)
    assert "임기가 끝난 임원 3명" in text
    assert "이사장: 0명 (요건 1명) — 요건 미충족" in text
    assert "감사: 0명 (요건 1명) — 요건 미충족" in text
    assert "비상임이사: 7명" in text


def test_audit_filter(engine: Engine) -> None:
    at = open_tab(run_page("audit"), "audit_view", "처리요구사항")  # the views are lazy tabs
    assert "23건" in page_text(at)
    at.selectbox(key="audit_category").set_value("건의사항").run()
    assert "7건" in page_text(at)
    at.selectbox(key="audit_department").set_value("윤리감사실").run()
    assert "2건" in page_text(at)


def test_reports_page_builds_a_document_to_download(engine: Engine) -> None:
    at = run_page("reports")
    at.radio(key="report_kind").set_value("audit").run()
    at.multiselect(key="report_formats").set_value(["docx"]).run()
    at.button(key="report_build").click().run()
    assert not at.exception
    made = at.session_state["report_files"]
    assert made["kind"] == "audit" and list(made["files"]) == ["docx"]
    name, data = made["files"]["docx"]
    assert name == "행정사무감사_처리결과_2025-09.docx" and data[:2] == b"PK"


# --- a board member's session -----------------------------------------------------------------

BOARD = Actor("test-board", "board")


def rendered(at: AppTest) -> str:
    """Everything a page sent: its texts and tables (page_text) and every element's message,
    chart specifications and widget options included."""
    parts = [page_text(at)]

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return "\n".join(parts)


def birth_dates() -> list[str]:
    """Every board member's birth date as any page or table could print it."""
    with (DATA / "board_person.csv").open(encoding="utf-8") as f:
        born = [date.fromisoformat(r["birth_date"]) for r in csv.DictReader(f) if r["birth_date"]]
    assert len(born) == 10
    return [form for d in born for form in (d.isoformat(), fmt.date_ko(d), fmt.date_short(d), f"{d:%Y.%m.%d}")]


def extensions() -> set[str]:
    with (DATA / "work_contact.csv").open(encoding="utf-8") as f:
        phones = {r["phone"] for r in csv.DictReader(f) if r["phone"]}
    assert "5770" in phones and "3278-5790" in phones
    return phones


def signed_in_pages() -> list[str]:
    """Every page file but the sign-in page: switch_page refuses one the navigation lacks."""
    return sorted(path.name for path in (ROOT / "governance_app" / "pages").glob("*.py") if path.stem != "signin")


def rendered_in_every_tab(at: AppTest) -> str:
    """``rendered`` of the page with each tab of each lazy tab group open in turn, groups inside a
    tab opened while that tab is open; the page is left with every group back on its first tab."""
    parts = [rendered(at)]
    opened: set[str] = set()

    def explore() -> None:
        for key, labels in lazy_tabs(at).items():
            if key in opened:
                continue
            opened.add(key)
            for label in [*labels[1:], labels[0]]:
                at.session_state[key] = label
                at.run()
                assert not at.exception, (key, label, at.exception)
                parts.append(rendered(at))
                explore()  # the groups this tab holds

    explore()
    return "\n".join(parts)


def test_a_board_member_sees_every_page_without_personal_data(engine: Engine) -> None:
    at = sign_in(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60), BOARD)
    at.run()
    assert not at.exception, at.exception
    dates, phones = birth_dates(), extensions()
    leaks: dict[str, list[str]] = {}
    pages = [f"{n}.py" for names in navigation.sections_for(BOARD).values() for n in names]
    assert {"home.py", "overview.py", "board.py", "major_work.py", "budget.py"} <= set(pages)
    hidden = set(signed_in_pages()) - set(pages)
    assert hidden == {"history.py", "edit.py"}  # pages the board cannot use are not shown
    for name in hidden:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"governance_app/pages/{name}")
    for name in pages:
        at.switch_page(f"governance_app/pages/{name}").run()
        assert not at.exception, (name, at.exception)
        assert at.title and at.title[0].value != "로그인", name
        text = rendered_in_every_tab(at)
        found = [d for d in dates if d in text]
        found += [p for p in phones if re.search(rf"(?<![\d,.]){re.escape(p)}(?![\d,])", text)]
        if found:
            leaks[name] = found
    assert leaks == {}
