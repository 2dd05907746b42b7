"""The planning office's upkeep of the year's ESG record (issue 11 §3), on SQLite and PostgreSQL:
activities, healing programmes and emotional-labour figures added and edited through esg.upkeep
(one logged call each, refusals in Korean with nothing written) and from the ESG page's forms."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from esg import service as esg
from esg import upkeep
from governance_app.core.auth import Actor, PermissionDeniedError
from governance_app.core.context import current
from governance_app.core.db import session
from tests.helpers import PLANNER
from tests.helpers.log import log_after, log_head
from tests.helpers.pages import page, shown
from tests.helpers.work import ACTORS, state

ACTIVITY = upkeep.ActivityFields("E", "사무실 일회용품 줄이기 캠페인", "7", "다회용 컵 사용 캠페인", date(2025, 10, 15))


def call(engine: Engine, name: str, actor: Actor = PLANNER, **kwargs: Any) -> Any:
    with session(engine) as s:
        return getattr(upkeep, name)(session=s, actor=actor, org_id=current(s).org_id, fiscal_year=2025, **kwargs)


def read(engine: Engine, name: str) -> list[Any]:
    with session(engine) as s:
        org = current(s).org_id
        return esg.figures(s, org) if name == "figures" else getattr(esg, name)(s, org, 2025)


def test_an_activity_is_added_edited_and_deleted_with_the_log(engine: Engine) -> None:
    head = log_head(engine)
    added = call(engine, "add_activity", fields=ACTIVITY)
    assert (added["code"], added["seq"], added["category"], added["event_date"]) == (
        "ESG-07",
        7,
        "E",
        date(2025, 10, 15),
    )
    e = [a.title for a in read(engine, "activities") if a.category == "E"]
    assert e[-1] == ACTIVITY.title and len(read(engine, "activities")) == 7
    (created,) = log_after(engine, head)
    assert (created.action, created.table_name, created.record_key) == ("create", "esg_activity", "2025/ESG-07")
    planned = upkeep.ActivityFields("S", ACTIVITY.title, "7", None, None, " 11월 ")
    edited = call(engine, "edit_activity", code="ESG-07", expected_version=added["version"], fields=planned)
    assert (edited["category"], edited["event_date"], edited["timing"], edited["detail"]) == ("S", None, "11월", None)
    call(engine, "delete_activity", code="ESG-07", expected_version=edited["version"])
    assert len(read(engine, "activities")) == 6
    assert [e.action for e in log_after(engine, head)] == ["delete", "update", "create"]


def test_programmes_and_figures_are_added_and_edited(engine: Engine) -> None:
    added = call(
        engine, "add_programme", fields=upkeep.ProgrammeFields("힐링 감정치유", "마음 산책", "인사부", "점심 산책")
    )
    assert added["seq"] == 16 and read(engine, "healing_programmes")[-1].name == "마음 산책"
    first = read(engine, "healing_programmes")[0]
    call(
        engine,
        "edit_programme",
        seq=1,
        expected_version=first.version,
        fields=upkeep.ProgrammeFields(first.category, first.name, "인사부", first.content),
    )
    assert read(engine, "healing_programmes")[0].department == "인사부"
    check = next(f for f in read(engine, "figures") if f.code == "mental_health_check")
    head = log_head(engine)
    call(
        engine,
        "edit_figure",
        code="mental_health_check",
        expected_version=check.version,
        fields=upkeep.FigureFields(check.label, 402, check.unit, check.work_item_code),
    )
    (entry,) = log_after(engine, head)
    assert entry.record_key == "2025/mental_health_check" and entry.fields == {"value": (388, 402)}
    new = call(engine, "add_figure", fields=upkeep.FigureFields("감정노동 교육", 1250, "명", "6", "여명"))
    assert (new["code"], new["value"], new["qualifier"]) == ("figure-08", 1250, "여명")


REFUSALS: list[tuple[str, dict[str, Any], str, str]] = [
    ("add_activity", {"fields": upkeep.ActivityFields("X", "활동", "7")}, "category", "E(환경)·S(사회)·G(지배구조)"),
    ("add_activity", {"fields": upkeep.ActivityFields("E", " ", "7")}, "title", "활동명이 비어 있습니다"),
    ("add_activity", {"fields": upkeep.ActivityFields("E", "활동", "9-9")}, "work_item_code", "고른 항목이 없습니다"),
    (
        "add_activity",
        {"fields": upkeep.ActivityFields("E", "활동", "7", None, date(2026, 1, 5))},
        "event_date",
        "2025년이 아닙니다",
    ),
    ("add_programme", {"fields": upkeep.ProgrammeFields("구분", "이름", " ")}, "department", "담당부서가 비어"),
    ("add_figure", {"fields": upkeep.FigureFields("항목", -3, "명", "6")}, "value", "0 이상의 정수"),
    ("add_figure", {"fields": upkeep.FigureFields("항목", None, "명", "6")}, "value", "실적이 비어 있습니다"),
    ("add_figure", {"fields": upkeep.FigureFields("항목", 3, "", "6")}, "unit", "단위가 비어"),
    (
        "edit_activity",
        {"code": "ESG-01", "expected_version": 99, "fields": ACTIVITY},
        "row",
        "다른 사용자가 먼저 저장했습니다",
    ),
    ("delete_activity", {"code": "ESG-99", "expected_version": 1}, "row", "찾을 수 없습니다"),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "field", "says"), REFUSALS, ids=[f"{r[0]}-{i}" for i, r in enumerate(REFUSALS)]
)
def test_a_refused_change_writes_nothing(
    engine: Engine, name: str, kwargs: dict[str, Any], field: str, says: str
) -> None:
    before = state(engine)
    with pytest.raises(upkeep.EsgRefusedError) as refused:
        call(engine, name, **kwargs)
    assert refused.value.field == field and says in str(refused.value), str(refused.value)
    assert state(engine) == before


@pytest.mark.parametrize("role", [r for r in ACTORS if r != "planning"])
def test_only_the_planning_office_edits_esg(engine: Engine, role: str) -> None:
    before = state(engine)
    with pytest.raises(PermissionDeniedError):
        call(engine, "add_activity", ACTORS[role], fields=ACTIVITY)
    with pytest.raises(PermissionDeniedError):
        call(engine, "add_figure", ACTORS[role], fields=upkeep.FigureFields("항목", 3, "명", "6"))
    assert state(engine) == before
    assert "2025년 ESG 자료 편집" not in [e.label for e in page("esg", ACTORS[role]).expander]


# --- the forms on the ESG page ----------------------------------------------------------------


def open_upkeep(at: Any, task: str) -> Any:
    at.session_state["esg_edit"] = True
    at.session_state["esg_upkeep_task"] = task
    at.run()
    assert not at.exception, at.exception
    return at


def submit(at: Any, label: str) -> Any:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_planner_adds_an_activity_from_the_page_and_a_refusal_keeps_the_input(engine: Engine) -> None:
    at = open_upkeep(page("esg", PLANNER), "ESG 활동")
    pick = at.selectbox(key="ea_pick_0")
    assert pick.options[0] == "(새 활동 추가)" and not any(o.startswith("ESG-") for o in pick.options)
    k = "ea_0__0"
    at.selectbox(key=f"{k}_category").set_value("E")
    at.date_input(key=f"{k}_date").set_value(date(2025, 10, 15))
    before = state(engine)
    at = submit(at, "활동 추가")  # no title: refused, the date kept
    assert any("활동: 활동명이 비어 있습니다" in shown(e.value) for e in at.error)
    assert state(engine) == before and at.date_input(key=f"{k}_date").value == date(2025, 10, 15)
    at.text_input(key=f"{k}_title").set_value(ACTIVITY.title)
    assert at.selectbox(key=f"{k}_item").value == "7"  # 7 공공콜센터로서의 ESG경영 실천 by default
    at = submit(at, "활동 추가")
    assert f"ESG 활동 「{ACTIVITY.title}」을 추가했습니다." in [shown(s.value) for s in at.success]
    assert read(engine, "activities")[0].category == "E" and len(read(engine, "activities")) == 7


def test_a_planner_edits_a_figure_and_adds_a_programme_from_the_page(engine: Engine) -> None:
    at = open_upkeep(page("esg", PLANNER), "감정노동 보호 실적")
    check = next(f for f in read(engine, "figures") if f.code == "mental_health_check")
    at.selectbox(key="ef_pick_0").set_value("mental_health_check").run()
    k = f"ef_0_mental_health_check_{check.version}"
    assert at.number_input(key=f"{k}_value").value == 388
    at.number_input(key=f"{k}_value").set_value(402)
    at = submit(at, "실적 저장")
    assert "감정노동 보호 실적 「마음건강검진」을 저장했습니다." in [shown(s.value) for s in at.success]
    assert next(f.value for f in read(engine, "figures") if f.code == "mental_health_check") == 402
    assert "402명" in " ".join(m.value for m in at.metric)

    at = open_upkeep(at, "힐링 프로그램")
    k = "eh_1__0"
    at.text_input(key=f"{k}_category").set_value("힐링 감정치유")
    at.text_input(key=f"{k}_name").set_value("마음 산책")
    at.text_input(key=f"{k}_department").set_value("인사부")
    at = submit(at, "프로그램 추가")
    assert "힐링 프로그램 「마음 산책」을 추가했습니다." in [shown(s.value) for s in at.success]
    assert read(engine, "healing_programmes")[-1].department == "인사부"
