"""The 불일치 list in words and in two parts: the printed report's own differences, and those that
changes made since the report brought; each finding once."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from governance_app import quality
from governance_app.core.db import session
from governance_app.core.settings import ROOT
from tests.helpers import PLANNER, sign_in
from tests.helpers.audit import change

PAGE = ROOT / "governance_app" / "pages" / "overview.py"


def frames(at: AppTest) -> list[list[dict]]:
    return [f.value.to_dict("records") for f in at.dataframe if "위치" in f.value.columns]


def test_a_reopened_item_is_a_change_since_the_report_not_a_printed_difference(engine: Engine) -> None:
    with session(engine) as s:
        before = quality.review(s, actor=PLANNER)
    assert len(before.printed) == 5 and before.since == ()
    change(engine, "R-05", "완료", "추진중", date(2025, 10, 1), "재조사")  # a 시정·처리요구사항 reopened
    with session(engine) as s:
        after = quality.review(s, actor=PLANNER)
    assert after.printed == before.printed  # the report's own differences stay as they were
    assert after.since, "reopening moves the 총괄 away from the items"
    every = [(f.table, f.row, f.field, f.reported, f.expected) for f in after.printed + after.since]
    assert len(every) == len(set(every))  # no finding twice
    assert {f.table for f in after.since} == {"audit_summary_reported"}

    at = sign_in(AppTest.from_file(str(PAGE), default_timeout=60), PLANNER)
    at.run()
    assert not at.exception, at.exception
    printed, since = frames(at)
    assert len(printed) == 5 and len(since) == len(after.since)
    assert printed[0]["위치"] == "일평균 상담건 수 · 2025년(7월) · 비전화 소계"
    assert printed[0]["항목"] == "일평균"
    shown = " ".join(str(v) for row in printed + since for v in row.values())
    assert "daily_average" not in shown and "2024-admin" not in shown and "audit_summary_reported" not in shown
