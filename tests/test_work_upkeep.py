"""The planning office's upkeep of the year's major work (issue 11 §3), on SQLite and PostgreSQL:
add and edit items, move them within their area, add, edit and reorder plans and reorder the
추진내용 lines; each one logged service call, each refusal with nothing written; departments keep
reporting their own plans' progress (tests/test_work_progress.py) and are refused here."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from governance_app.core.auth import Actor, PermissionDeniedError
from governance_app.core.context import current
from governance_app.core.db import session
from major_work import service as work
from major_work import upkeep
from tests.helpers import PLANNER
from tests.helpers.log import log_after, log_head
from tests.helpers.pages import page, shown
from tests.helpers.work import ACTORS, progress_update, state, work_progress

ITEM = upkeep.ItemFields(
    "상담 데이터 기반 민원 예측 서비스",
    "민원 데이터를 분석해 민원 증가를 미리 알리는 서비스를 시범 운영",
    "민원 급증에 대비한 선제 대응",
    "민원 예측 모형 개발 및 시범 운영",
    120000,
)


def call(engine: Engine, name: str, actor: Actor = PLANNER, **kwargs: Any) -> Any:
    with session(engine) as s:
        return getattr(upkeep, name)(session=s, actor=actor, org_id=current(s).org_id, fiscal_year=2025, **kwargs)


def area_codes(engine: Engine, number: int) -> list[str]:
    with session(engine) as s:
        details = work.item_details(s, current(s).org_id, 2025, actor=PLANNER)
    return [d.item.code for d in details if d.item.area_number == number]


def test_an_item_added_to_an_area_is_numbered_after_its_items_and_logged(engine: Engine) -> None:
    head = log_head(engine)
    added = call(engine, "add_item", area_number=2, fields=ITEM)
    assert (added.item_code, added.title, added.plans, added.actions) == ("2-3", ITEM.title, [], [])
    assert area_codes(engine, 2) == ["2-1", "2-2", "2-3"]
    assert area_codes(engine, 3) == ["3-1", "3-2"]  # the later areas keep their order
    with session(engine) as s:
        codes = [d.item.code for d in work.item_details(s, current(s).org_id, 2025, actor=PLANNER)]
    assert codes[:8] == ["1-1", "1-2", "1-3", "2-1", "2-2", "2-3", "3-1", "3-2"]
    entries = log_after(engine, head)
    created = next(e for e in entries if e.action == "create")
    assert (created.table_name, created.record_key) == ("work_item", "2025/2-3")
    assert created.fields["cost_thousand"] == (None, 120000) and created.actor == PLANNER.username
    # an area of one item ("4") gets "4-2"
    assert call(engine, "add_item", area_number=4, fields=ITEM).item_code == "4-2"


def test_editing_an_item_and_moving_it_within_its_area(engine: Engine) -> None:
    v = work_progress(engine, "1-2").version
    head = log_head(engine)
    edited = call(
        engine,
        "edit_item",
        item_code="1-2",
        expected_version=v,
        fields=upkeep.ItemFields("실무 중심 맞춤형 교육", "상담사 역량 강화", "역량 강화", "교육 과정 운영", None),
    )
    assert edited.title == "실무 중심 맞춤형 교육" and edited.version == v + 1
    (entry,) = log_after(engine, head)
    assert entry.record_key == "2025/1-2" and set(entry.fields) >= {"title", "lead", "purpose", "content"}
    assert call(engine, "move_item", item_code="1-3", steps=-2) == ["1-3", "1-1", "1-2"]
    assert area_codes(engine, 1) == ["1-3", "1-1", "1-2"]
    assert area_codes(engine, 2) == ["2-1", "2-2"]


def test_plans_are_added_edited_and_reordered_with_their_status(engine: Engine) -> None:
    p = work_progress(engine)
    p = progress_update(
        engine, ACTORS["department"], p.version, plans={2: work.PlanUpdate("추진중", date(2025, 10, 1))}
    )
    added = call(
        engine,
        "add_plan",
        item_code="2-1",
        expected_version=p.version,
        fields=upkeep.PlanFields(" 공개 데이터 품질 점검 ", "11월", "분기별 점검 결과 공개"),
    )
    new = added.plans[-1]
    assert (new.seq, new.text, new.timing, new.detail, new.status) == (
        3,
        "공개 데이터 품질 점검",
        "11월",
        "분기별 점검 결과 공개",
        None,
    )
    edited = call(
        engine,
        "edit_plans",
        item_code="2-1",
        expected_version=added.version,
        plans={3: upkeep.PlanFields("공개 데이터 품질 점검", "상시")},
    )
    assert (edited.plans[-1].timing, edited.plans[-1].detail) == ("상시", None)
    head = log_head(engine)
    reordered = call(engine, "reorder_plans", item_code="2-1", expected_version=edited.version, order=[2, 3, 1])
    assert [x.text for x in reordered.plans] == [
        "STT 기반 민원상담 데이터 공개시스템 구축",
        "공개 데이터 품질 점검",
        "스마트 상담시스템 유지보수 및 기능개선",
    ]
    assert (reordered.plans[0].status, reordered.plans[0].status_on) == ("추진중", date(2025, 10, 1))  # moved with it
    assert reordered.plans[1].status is None
    moved = {e.record_key: e.fields for e in log_after(engine, head)}
    assert moved["2025/2-1/1"]["status"] == (None, "추진중") and moved["2025/2-1/2"]["status"] == ("추진중", None)


def test_bullets_are_reordered(engine: Engine) -> None:
    before = work_progress(engine)
    order = [len(before.actions), *range(1, len(before.actions))]
    after = call(engine, "reorder_bullets", item_code="2-1", expected_version=before.version, order=order)
    assert after.actions == [before.actions[-1], *before.actions[:-1]]


REFUSALS: list[tuple[str, dict[str, Any], str, str]] = [
    ("add_item", {"area_number": 9, "fields": ITEM}, "area_number", "9번 분야가 없습니다"),
    (
        "add_item",
        {"area_number": 2, "fields": upkeep.ItemFields(" ", "개요", "목적", "내용")},
        "title",
        "사업명이 비어 있습니다",
    ),
    (
        "add_item",
        {"area_number": 2, "fields": upkeep.ItemFields("사업", "개요", "목적", "내용", -5)},
        "cost_thousand",
        "0 이상의 천원 단위 정수",
    ),
    ("move_item", {"item_code": "1-1", "steps": -1}, "seq", "더 옮길 수 없습니다"),
    ("move_item", {"item_code": "9-9", "steps": 1}, "code", "이 항목이 없습니다"),
    ("add_plan", {"item_code": "2-1", "fields": upkeep.PlanFields("계획", " ")}, "timing", "시기가 비어 있습니다"),
    ("add_plan", {"item_code": "2-1", "fields": upkeep.PlanFields("", "9월")}, "text", "내용이 비어 있습니다"),
    ("add_plan", {"item_code": "2-1", "fields": upkeep.PlanFields("계획", "13월")}, "timing", "1월~12월이 아닙니다"),
    ("edit_plans", {"item_code": "2-1", "plans": {7: upkeep.PlanFields("계획", "9월")}}, "plans", "7번이 없습니다"),
    ("reorder_plans", {"item_code": "2-1", "order": [1, 1]}, "seq", "맞지 않습니다"),
    ("reorder_bullets", {"item_code": "2-1", "order": [1, 2]}, "seq", "맞지 않습니다"),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "field", "says"), REFUSALS, ids=[f"{r[0]}-{i}" for i, r in enumerate(REFUSALS)]
)
def test_a_refused_change_writes_nothing(
    engine: Engine, name: str, kwargs: dict[str, Any], field: str, says: str
) -> None:
    if name not in ("add_item", "move_item"):
        kwargs = {**kwargs, "expected_version": work_progress(engine).version}
    before = state(engine)
    with pytest.raises(work.RefusedError) as refused:
        call(engine, name, **kwargs)
    assert refused.value.field == field and says in str(refused.value), str(refused.value)
    assert state(engine) == before


def test_a_stale_version_is_a_conflict_and_nothing_is_written(engine: Engine) -> None:
    v = work_progress(engine).version
    progress_update(engine, ACTORS["department"], v, plans={1: work.PlanUpdate("예정", date(2025, 10, 1))})
    before = state(engine)
    with pytest.raises(work.ConflictError) as conflict:
        call(engine, "add_plan", item_code="2-1", expected_version=v, fields=upkeep.PlanFields("계획", "9월"))
    assert conflict.value.current.version == v + 1
    assert state(engine) == before


@pytest.mark.parametrize("role", [r for r in ACTORS if r != "planning"])
def test_only_the_planning_office_edits_the_years_major_work(engine: Engine, role: str) -> None:
    before, v = state(engine), work_progress(engine).version
    for name, kwargs in (
        ("add_item", {"area_number": 2, "fields": ITEM}),
        ("move_item", {"item_code": "1-3", "steps": -1}),
        ("add_plan", {"item_code": "2-1", "expected_version": v, "fields": upkeep.PlanFields("계획", "9월")}),
        ("reorder_plans", {"item_code": "2-1", "expected_version": v, "order": [2, 1]}),
    ):
        with pytest.raises(PermissionDeniedError):
            call(engine, name, ACTORS[role], **kwargs)
    assert state(engine) == before


# --- the forms on the 주요업무 page -----------------------------------------------------------


def open_upkeep(at: Any, task: str) -> Any:
    at.session_state["work_upkeep"] = True
    at.session_state["work_upkeep_task"] = task
    at.run()
    assert not at.exception, at.exception
    return at


def submit(at: Any, label: str) -> Any:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception
    return at


def refusals(at: Any) -> list[str]:
    return [shown(e.value) for e in at.error if "저장하지 않았습니다" in e.value]


def test_the_upkeep_forms_are_offered_to_the_planning_office_only(engine: Engine) -> None:
    assert "항목·추진계획 편집" in [e.label for e in page("major_work", PLANNER).expander]
    for role in ("department", "finance", "board"):
        assert "항목·추진계획 편집" not in [e.label for e in page("major_work", ACTORS[role]).expander], role


def test_a_planner_adds_an_item_from_the_page_and_a_refusal_keeps_the_input(engine: Engine) -> None:
    at = open_upkeep(page("major_work", PLANNER), "항목 추가")
    area = at.selectbox(key="wa_area_0")
    assert area.options[1].startswith("2. ")  # areas by number and title
    area.set_value(2)
    at.text_input(key="wa_0_title").set_value(ITEM.title)
    at.text_area(key="wa_0_lead").set_value(ITEM.lead)
    at.text_area(key="wa_0_purpose").set_value(ITEM.purpose)
    at.number_input(key="wa_0_cost").set_value(120000)
    before = state(engine)
    at = submit(at, "항목 추가")  # no 내용: refused, the input kept
    assert any("내용이 비어 있습니다" in m for m in refusals(at)), refusals(at)
    assert state(engine) == before and at.text_input(key="wa_0_title").value == ITEM.title
    at.text_area(key="wa_0_content").set_value(ITEM.content)
    at = submit(at, "항목 추가")
    assert not refusals(at)
    assert f"2-3 {ITEM.title}: 항목을 추가했습니다." in [shown(s.value) for s in at.success]
    assert area_codes(engine, 2) == ["2-1", "2-2", "2-3"]
    assert at.text_input(key="wa_1_title").value == ""  # a fresh form


def test_a_planner_edits_moves_and_reorders_from_the_page(engine: Engine) -> None:
    at = open_upkeep(page("major_work", PLANNER), "항목 수정·순서")
    at.selectbox(key="work_upkeep_item").set_value("1-3").run()
    v = work_progress(engine, "1-3").version
    at.text_input(key=f"wi_1-3_{v}_title").set_value("상담품질 관리체계 운영")
    at = submit(at, "항목 저장")
    assert "1-3 상담품질 관리체계 운영: 저장했습니다." in [shown(s.value) for s in at.success]
    at = submit(at, "분야 안에서 위로")
    assert area_codes(engine, 1) == ["1-1", "1-3", "1-2"]

    at = open_upkeep(at, "추진계획")
    at.selectbox(key="work_upkeep_item").set_value("2-1").run()
    v = work_progress(engine).version
    at.number_input(key=f"wp_pos_2-1_{v}_1").set_value(3)
    at = submit(at, "적은 순서로 바꾸기")
    assert "2-1: 추진계획의 순서를 바꿨습니다." in [shown(s.value) for s in at.success]
    assert work_progress(engine).plans[0].text == "STT 기반 민원상담 데이터 공개시스템 구축"
    v = work_progress(engine).version
    at.text_input(key=f"wpa_text_2-1_{v}").set_value("공개 데이터 품질 점검")
    at = submit(at, "추진계획 추가")  # no 시기: refused, kept
    assert any("시기가 비어 있습니다" in m for m in refusals(at))
    assert at.text_input(key=f"wpa_text_2-1_{v}").value == "공개 데이터 품질 점검"
    at.text_input(key=f"wpa_timing_2-1_{v}").set_value("11월")
    at = submit(at, "추진계획 추가")
    assert "2-1: 추진계획 「공개 데이터 품질 점검」을 추가했습니다." in [shown(s.value) for s in at.success]
    v = work_progress(engine).version
    at.text_input(key=f"wp_timing_2-1_{v}_3").set_value("상시")
    at = submit(at, "추진계획 저장")
    assert "2-1: 추진계획 1건을 저장했습니다." in [shown(s.value) for s in at.success]
    assert work_progress(engine).plans[2].timing == "상시"

    at = open_upkeep(at, "추진내용 순서")
    before = work_progress(engine)
    at.number_input(key=f"wb_pos_2-1_{before.version}_1").set_value(99)
    at = submit(at, "적은 순서로 바꾸기")
    assert work_progress(engine).actions == [*before.actions[1:], before.actions[0]]
