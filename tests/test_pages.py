"""Every page runs in AppTest without an exception and shows its figures."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from governance_app.settings import ROOT

PAGES = [
    "overview",
    "institution",
    "calls",
    "staffing",
    "board",
    "budget",
    "major_work",
    "timeline",
    "esg",
    "audit",
    "quality",
    "edit",
    "reports",
]


def run_page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "governance_app" / "pages" / f"{name}.py"), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def page_text(at: AppTest) -> str:
    parts = [
        e.value
        for kind in (
            "title",
            "header",
            "subheader",
            "markdown",
            "caption",
            "text",
            "success",
            "error",
            "warning",
            "info",
        )
        for e in getattr(at, kind)
    ]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_runs(engine: Engine, name: str) -> None:
    at = run_page(name)
    assert at.title, f"{name} has no title"


def test_entry_point_navigates(engine: Engine) -> None:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.run()
    assert not at.exception
    at.switch_page("governance_app/pages/audit.py").run()
    assert not at.exception
    assert "행정사무감사" in at.title[0].value


def test_overview_shows_headline_figures_and_the_inconsistency(engine: Engine) -> None:
    text = page_text(run_page("overview"))
    for expected in ["32,048,210천원", "55.4%", "23건", "96.5%", "이사 9명 · 감사 1명", "완료 23건"]:
        assert expected in text, expected
    # the 총괄 table's 건의사항 완료 6 against 7 items is shown, not hidden
    assert "2024-admin/건의사항/완료" in text


def test_budget_page_shows_hierarchy_and_execution(engine: Engine) -> None:
    text = page_text(run_page("budget"))
    for expected in ["31,973,379", "△959,322", "스마트상담시스템 운영 활성화", "17,756,649", "55.4", "45.0", "49.0"]:
        assert expected in text, expected


def test_board_date_changes_term_status(engine: Engine) -> None:
    at = run_page("board")
    at.date_input(key="board_on").set_value(date(2026, 1, 1)).run()
    assert not at.error
    assert "이사장: 1명" in page_text(at)
    at.date_input(key="board_on").set_value(date(2026, 8, 2)).run()
    text = page_text(at)
    assert "임기가 끝난 임원 3명" in text
    assert "이사장: 0명 (요건 1~1명) — 요건 미충족" in text
    assert "감사: 0명 (요건 1~1명) — 요건 미충족" in text
    assert "비상임이사: 7명" in text


def test_audit_filter(engine: Engine) -> None:
    at = run_page("audit")
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
