"""Dashboards for board members, the planning office and call operations (AppTest, both databases):
charts, both answer rates, term status and composition on any date, personal data by role, the
ESG trend, and the cached reads with their invalidation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pandas as pd
from sqlalchemy import event
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from esg.models import EsgFigure
from governance_app import ui
from governance_app.core import clock, context
from governance_app.core.auth import Actor
from governance_app.core.settings import ROOT
from major_work.models import WorkArea, WorkItem
from tests.helpers import PLANNER, acting, sign_in
from tests.helpers.pages import lazy_tabs, open_tab, page_text

COMPOSITION_ON_2026_08_02 = (
    "2026. 8. 2. 기준(재위촉 없을 때) 이사회는 이사장 0명, 비상임이사 7명, 감사 0명으로 정관 요건에 미달합니다"
)


def page(name: str, actor: Actor = PLANNER) -> AppTest:
    at = sign_in(AppTest.from_file(str(ROOT / "governance_app" / "pages" / f"{name}.py"), default_timeout=30), actor)
    at.run()
    assert not at.exception, at.exception
    return at


def frame(at: AppTest, column: str) -> pd.DataFrame:
    """The table that has ``column`` (read-only tables carry no element id to find them by)."""
    return next(f.value for f in at.dataframe if column in f.value.columns)


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def on_date(at: AppTest, when: date) -> AppTest:
    at.date_input(key="board_on").set_value(when).run()
    assert not at.exception, at.exception
    return at


def status_of(at: AppTest, title: str) -> str:
    roster = frame(at, "직책")
    return str(roster.loc[roster["직책"] == title, "상태"].iloc[0])


@contextmanager
def counted_statements(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


# --- call operations ------------------------------------------------------------------------


def test_call_page_shows_three_charts_and_both_rates(engine: Engine) -> None:
    at = page("calls")
    tabs = lazy_tabs(at)["calls_view"]
    assert tabs == ["상담채널별 상담건 수", "연도별 전화상담 실적", "일평균 상담건 수 (2025년(7월), 1~7월)"]
    assert len(charts(at)) == 1  # only the open tab is sent
    specs = [chart for tab in tabs for chart in charts(open_tab(at, "calls_view", tab))]
    assert len(specs) == 3
    titles = [s["layout"]["title"]["text"] for s in specs]
    assert titles[0] == "상담채널별 상담건 수" and titles[1] == "연도별 전화상담 실적"
    assert titles[2].startswith("일평균 상담건 수 채널별 비중 (2025년(7월), 1~7월")
    # the partial year is said in the chart, not only in its label
    notes = [a["text"] for a in specs[0]["layout"].get("annotations", [])]
    assert "빗금: 2025년(7월)은 1~7월 누계" in notes
    rate_lines = {t["name"]: t for t in specs[1]["data"] if t["type"] == "scatter"}
    assert rate_lines["응대율(%)"]["text"][-1] == "96.5"
    assert rate_lines["총인입 대비 응대율(%)"]["text"][-1] == "70.0"

    open_tab(at, "calls_view", "연도별 전화상담 실적")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["2025년(7월) 응대율"] == "96.5%"
    assert metrics["2025년(7월) 총인입 대비 응대율"] == "70.0%"
    phone = frame(at, "총인입 대비 응대율(%)").set_index("연도")
    assert phone.loc["2025년(7월)", "응대율(%)"] == "96.5"
    assert phone.loc["2025년(7월)", "총인입 대비 응대율(%)"] == "70.0"
    assert phone.loc["2024년", "총인입 대비 응대율(%)"] == "68.3"
    daily = frame(open_tab(at, "calls_view", "일평균"), "일평균(건)").set_index("구분")
    assert daily.loc["전화상담", "비중(%)"] == "52.2"


# --- board ----------------------------------------------------------------------------------


def test_board_states_the_composition_on_a_future_date(engine: Engine) -> None:
    at = on_date(page("board"), date(2026, 8, 2))
    assert any(COMPOSITION_ON_2026_08_02 in e.value for e in at.error)
    section = next(m.value for m in at.markdown if "요건 미충족" in m.value)
    assert section.startswith("#### 정관상 구성 요건")
    assert [line for line in section.splitlines() if line.startswith("- ")] == [
        "- 이사장: 0명 (요건 1명) — 요건 미충족",
        "- 비상임이사: 7명 (요건 4~9명)",
        "- 감사: 0명 (요건 1명) — 요건 미충족",
    ]
    at = on_date(at, date(2026, 1, 1))
    sentence = "2026. 1. 1. 기준 이사회는 이사장 1명, 비상임이사 8명, 감사 1명으로 정관 요건을 충족합니다."
    assert any(sentence in s.value for s in at.success)
    assert not at.error


def test_board_term_status_follows_the_chosen_date(engine: Engine) -> None:
    at = on_date(page("board"), date(2026, 11, 25))  # the three terms that ended on 2026-08-01
    assert status_of(at, "이사장") == "임기 만료"
    assert any("임기가 끝난 임원 3명" in e.value and "(2026. 8. 1. 만료)" in e.value for e in at.error)
    at = on_date(at, date(2026, 5, 10))
    assert status_of(at, "이사장") == "90일 이내 만료"
    at = on_date(at, date(2026, 7, 15))
    assert status_of(at, "이사장") == "30일 이내 만료"
    assert any("임기 만료가 다가오는 임원 3명" in w.value for w in at.warning)
    assert status_of(at, "당연직 비상임이사") == "당연직"
    assert status_of(at, "노동이사") == "재임"
    roster = frame(at, "직책")
    assert list(dict.fromkeys(roster["구분"])) == ["상임", "당연직 비상임", "위촉직 비상임", "노동이사", "감사"]
    # the terms chart (a lazy tab) draws its line at the chosen date
    assert charts(at) == []
    (terms,) = charts(open_tab(at, "board_view", "임기 차트"))
    assert [s["x0"] for s in terms["layout"]["shapes"]] == ["2026-07-15"]


def test_board_role_sees_no_birth_dates(engine: Engine) -> None:
    assert "'59. 3. 17." in page_text(page("board"))  # the planning office sees them
    at = page("board", Actor("test-board", "board"))
    text = page_text(at)
    assert "'59. 3. 17." not in text
    assert "생년월일" not in frame(at, "직책").columns
    assert "이이재" in text


# --- ESG ------------------------------------------------------------------------------------


def test_esg_trend_appears_once_a_figure_has_a_second_year(engine: Engine) -> None:
    at = page("esg")
    assert not at.get("plotly_chart")
    with acting(engine) as s:
        org = context.current(s).org_id
        s.add(WorkArea(org_id=org, fiscal_year=2024, number=6, title="감정노동 보호"))
        s.flush()  # parents first: the composite foreign keys have no ORM relationship to order by
        s.add(
            WorkItem(
                org_id=org,
                code="6",
                fiscal_year=2024,
                area_number=6,
                title="감정노동 보호",
                lead="-",
                purpose="-",
                content="-",
                seq=1,
            )
        )
        s.flush()
        s.add(
            EsgFigure(
                org_id=org,
                fiscal_year=2024,
                code="mental_health_check",
                label="마음건강검진",
                value=350,
                unit="명",
                work_item_code="6",
                seq=1,
            )
        )
        s.commit()  # a commit in this process makes cached reads stale by itself
    at.run()
    assert not at.exception
    (trend,) = charts(at)
    assert trend["layout"]["title"]["text"] == "감정노동 보호 실적 추이"
    (line,) = trend["data"]
    assert line["x"] == ["2024", "2025"] and line["text"] == ["350", "388"]
    metric = next(m for m in at.metric if m.label == "마음건강검진")
    assert metric.value == "388명" and metric.delta == "+38명 (2024년 대비)"


# --- staffing -------------------------------------------------------------------------------


def test_staffing_chart_compares_quota_and_current_by_grade(engine: Engine) -> None:
    (spec,) = charts(page("staffing"))
    bars = {t["name"]: t for t in spec["data"]}
    assert bars["정원"]["x"][:3] == ["이사장", "1급", "2급"]
    six = bars["현원"]["x"].index("6급")
    assert bars["현원"]["text"][six] == "58" and bars["현원"]["text"][bars["현원"]["x"].index("5급")] == "△65"


# --- cached reads ---------------------------------------------------------------------------


def data_reads(statements: list[str]) -> list[str]:
    """The statements apart from the signed-in account's re-read and the change log's head (the
    data revision another process's save moves: ui.sync_revision), which every run makes once
    each at most (here, where a page runs on its own: when the page asks who is signed in)."""
    for table in ("user_account", "log_head"):
        reads = [s for s in statements if f"FROM {table}" in s]
        assert len(reads) <= 1, reads
    return [s for s in statements if "FROM user_account" not in s and "FROM log_head" not in s]


def test_reruns_and_widget_changes_repeat_no_query(engine: Engine) -> None:
    for name in ("calls", "esg", "staffing", "institution", "major_work", "overview"):
        at = page(name)
        with counted_statements(engine) as statements:
            at.run()
        assert not at.exception and data_reads(statements) == [], name
    at = page("board")
    on_date(at, date(2026, 8, 2))
    with counted_statements(engine) as statements:
        on_date(at, clock.today())  # back to a date already read (the default: today in Seoul)
    assert data_reads(statements) == []


def test_invalidate_makes_cached_reads_fresh(engine: Engine) -> None:
    at = page("esg")
    assert next(m.value for m in at.metric if m.label == "마음건강검진") == "388명"
    # a write that bypasses this process's SQLAlchemy (like the CLI import in another process)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("UPDATE esg_figure SET value = 400 WHERE code = 'mental_health_check'")
        cursor.close()
        raw.commit()
    finally:
        raw.close()
    at.run()
    assert next(m.value for m in at.metric if m.label == "마음건강검진") == "388명"  # cached
    ui.invalidate()
    at.run()
    assert next(m.value for m in at.metric if m.label == "마음건강검진") == "400명"


# --- project timeline -----------------------------------------------------------------------


def test_timeline_status_follows_the_date_and_a_task_opens_its_plans(engine: Engine) -> None:
    at = page("timeline")
    assert lazy_tabs(at)["timeline_view"] == ["간트 차트", "월별 표", "과제별 추진계획"]
    (gantt,) = charts(at)  # the first tab: the Gantt of the 28 tasks
    assert len({y for trace in gantt["data"] for y in trace.get("y", [])}) == 28
    at.date_input(key="timeline_on").set_value(date(2025, 8, 15)).run()
    table = frame(open_tab(at, "timeline_view", "월별 표"), "추진내용").set_index("추진내용")
    assert len(table) == 28
    # T01 상담사 프로모션 운영 (9월), T02 성과관리 체계 개편 (8월) on 2025-08-15
    assert (table.loc["상담사 프로모션 운영", "상태"], table.loc["상담사 프로모션 운영", "9월"]) == ("예정", "○")
    assert (table.loc["성과관리 체계 개편", "상태"], table.loc["성과관리 체계 개편", "8월"]) == ("추진", "◐")
    at.date_input(key="timeline_on").set_value(date(2025, 10, 1)).run()
    table = frame(at, "추진내용").set_index("추진내용")
    assert table.loc["상담사 프로모션 운영", "상태"] == "완료" and table.loc["성과관리 체계 개편", "9월"] == ""
    # a task opens its work item's plans, and the choice outlives a visit to another tab
    open_tab(at, "timeline_view", "과제별 추진계획")
    at.selectbox(key="timeline_task").set_value("T02").run()
    text = page_text(at)
    assert "월 도출 근거: 1-1 추진계획: 성과관리 체계 강화 계획 운영 8월" in text
    assert "**1-1 시민만족 제고를 위한 상담 운영체계 개선**" in text
    assert "○ 효율적 인력 운영 및 성과관리 체계 강화 계획 운영 : 8월" in text
    open_tab(open_tab(at, "timeline_view", "간트 차트"), "timeline_view", "과제별 추진계획")
    assert at.selectbox(key="timeline_task").value == "T02"
