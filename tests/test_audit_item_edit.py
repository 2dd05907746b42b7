"""Editing an audit item's text on the 행정사무감사 page (AppTest, SQLite and PostgreSQL): the
fields each role may change, saving, the conflict when someone saved first, and the item's
change history."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from audit_followup import service as audit
from audit_followup.models import AuditItem
from governance_app import intake_form
from governance_app.core.auth import Actor
from governance_app.core.db import session
from governance_app.core.settings import ROOT
from tests.helpers import sign_in
from tests.helpers.audit import SESSION, detail
from tests.helpers.pages import page_text

PAGE = str(ROOT / "governance_app" / "pages" / "audit.py")
PLANNER = Actor("planner-park", "planning")
OTHER_PLANNER = Actor("planner-choi", "planning")
ETHICS = Actor("ethics-lee", "department", "윤리감사실")  # S-01, S-03
BOARD = Actor("board-jung", "board")
FIELDS = ("request", "department", "actions", "plan", "action_date")
CONFLICT_TEXT = "다른 사용자가 먼저 저장했습니다"


def open_page(who: Actor) -> AppTest:
    at = sign_in(AppTest.from_file(PAGE, default_timeout=30), who)
    at.run()
    assert not at.exception, at.exception
    return at


def choose(at: AppTest, code: str) -> AppTest:
    """Show item ``code`` on the 항목 상세 view with its 내용 수정 tab open (only the open view and
    the open form tab run)."""
    if not [s for s in at.selectbox if s.key == "audit_item"]:
        at.session_state["audit_view"] = "항목 상세"
        at.run()
        assert not at.exception, at.exception
    at.selectbox(key="audit_item").set_value(code)
    at.session_state["audit_form_tab"] = "내용 수정"
    at.run()
    assert not at.exception, at.exception
    return at


def record(at: AppTest) -> str:
    """The item's record: one markdown element, from its heading on."""
    return next(m.value for m in at.markdown if m.value.startswith("#### "))


def open_history(at: AppTest) -> AppTest:
    """Open the 변경 기록 expander (read and sent only while open)."""
    at.session_state["audit_changelog"] = True
    at.run()
    assert not at.exception, at.exception
    return at


def edit_widgets(at: AppTest, code: str) -> set[str]:
    """The item-text fields the page offers for ``code``."""
    keys = {w.key for kind in ("text_area", "selectbox", "date_input") for w in getattr(at, kind)}
    return {name for name in FIELDS if f"audit_edit_{name}_{code}" in keys}


def save_plan(at: AppTest, code: str, plan: str) -> AppTest:
    at.text_area(key=f"audit_edit_plan_{code}").input(plan)
    at.button(key=f"audit_edit_submit_{code}").click().run()
    assert not at.exception, at.exception
    return at


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(f.value for f in at.dataframe if column in f.value.columns)


def stored(engine: Engine, code: str) -> tuple[str | None, int]:
    item = detail(engine, code).item
    return item.plan, item.version


def test_a_planning_user_edits_the_plan_and_sees_it_saved(engine: Engine) -> None:
    at = choose(open_page(PLANNER), "R-01")
    assert edit_widgets(at, "R-01") == set(FIELDS)  # the planning office may change every text field
    assert at.text_area(key="audit_edit_plan_R-01").value == detail(engine, "R-01").item.plan
    _, version = stored(engine, "R-01")

    save_plan(at, "R-01", "○ '26년 상반기 만족도 조사 문항 개편\n- 채팅상담 문항 추가")
    assert not [e.value for e in at.error if CONFLICT_TEXT in e.value]
    text = page_text(at)
    assert "R-01 내용을 저장했습니다." in text
    assert "**향후계획** ○ '26년 상반기 만족도 조사 문항 개편" in text  # the saved value, shown
    # the record shows the saved lines as they are (a line starting "- " is not made a list)
    assert "**향후계획**  \n○ '26년 상반기 만족도 조사 문항 개편  \n\\- 채팅상담 문항 추가" in record(at)
    assert stored(engine, "R-01") == ("○ '26년 상반기 만족도 조사 문항 개편\n- 채팅상담 문항 추가", version + 1)
    # the form now holds the saved version: saving again is not a conflict
    save_plan(at, "R-01", "○ 만족도 조사 문항 개편 완료")
    assert "R-01 내용을 저장했습니다." in page_text(at)
    assert stored(engine, "R-01") == ("○ 만족도 조사 문항 개편 완료", version + 2)


def test_a_department_user_gets_only_its_own_items_fields(engine: Engine) -> None:
    at = choose(open_page(ETHICS), "R-05")  # 윤리감사실's item
    assert edit_widgets(at, "R-05") == {"actions", "plan", "action_date"}
    assert at.date_input(key="audit_edit_action_date_R-05").value == date(2025, 1, 1)
    at.text_area(key="audit_edit_actions_R-05").input("○ 외부강의 신고 지침 개정 완료('25.1.)")
    at.date_input(key="audit_edit_action_date_R-05").set_value(date(2025, 1, 20))
    at.button(key="audit_edit_submit_R-05").click().run()
    assert not at.exception, at.exception
    item = detail(engine, "R-05").item
    assert (item.actions, item.action_date, item.action_date_is_month) == (
        "○ 외부강의 신고 지침 개정 완료('25.1.)",
        date(2025, 1, 20),
        False,
    )
    assert "**조치일** 2025. 1. 20." in page_text(at)

    at.session_state["audit_department"] = "전체"  # the list opens on its own items: show them all
    at.run()
    choose(at, "R-01")  # 스마트전산부's item: nothing to edit
    assert edit_widgets(at, "R-01") == set()
    assert not [b for b in at.button if b.key == "audit_edit_submit_R-01"]
    assert "기획조정실과 이 항목의 담당 부서만 바꿀 수 있습니다." in page_text(at)


def test_the_second_of_two_saves_gets_the_conflict_and_keeps_its_input(engine: Engine) -> None:
    first = choose(open_page(PLANNER), "R-02")
    second = choose(open_page(OTHER_PLANNER), "R-02")  # both loaded the same version
    _, version = stored(engine, "R-02")

    save_plan(first, "R-02", "첫 번째 사용자의 계획")
    assert "R-02 내용을 저장했습니다." in page_text(first)

    save_plan(second, "R-02", "두 번째 사용자의 계획")
    assert any(CONFLICT_TEXT in e.value for e in second.error)
    conflict = table_with(second, "저장된 값").set_index("항목")
    assert conflict.loc["향후계획", ["저장된 값", "입력한 값"]].tolist() == [
        "첫 번째 사용자의 계획",
        "두 번째 사용자의 계획",
    ]
    assert second.text_area(key="audit_edit_plan_R-02").value == "두 번째 사용자의 계획"  # the input is kept
    assert stored(engine, "R-02") == ("첫 번째 사용자의 계획", version + 1)  # not saved

    # having seen the stored values, saving again overwrites them deliberately
    second.button(key="audit_edit_submit_R-02").click().run()
    assert not second.exception, second.exception
    assert "R-02 내용을 저장했습니다." in page_text(second)
    assert stored(engine, "R-02") == ("두 번째 사용자의 계획", version + 2)


def test_a_form_with_nothing_typed_follows_a_save_made_meanwhile(engine: Engine) -> None:
    first = choose(open_page(PLANNER), "R-03")
    second = choose(open_page(OTHER_PLANNER), "R-03")
    save_plan(first, "R-03", "첫 번째 사용자의 계획")
    second.run()  # any rerun (a filter, another widget) before the second user types anything
    assert second.text_area(key="audit_edit_plan_R-03").value == "첫 번째 사용자의 계획"
    save_plan(second, "R-03", "두 번째 사용자가 이어 쓴 계획")  # based on what is stored: no conflict
    assert not any(CONFLICT_TEXT in e.value for e in second.error)
    assert stored(engine, "R-03")[0] == "두 번째 사용자가 이어 쓴 계획"


def test_the_history_expander_lists_the_change(engine: Engine) -> None:
    at = choose(open_page(PLANNER), "S-06")
    old_plan = detail(engine, "S-06").item.plan
    save_plan(at, "S-06", "분기별 공개 자료 갱신")
    # the page's other expander is the template intake (intake_form), closed
    assert [e.label for e in at.expander if e.label != intake_form.TITLE] == ["변경 기록"]
    assert not [f for f in at.dataframe if "변경 내용" in f.value.columns]  # closed: not read, not sent
    history = table_with(open_history(at), "변경 내용")
    last = history.iloc[-1]
    assert (last["사용자"], last["역할"], last["구분"]) == ("planner-park", "기획조정실", "수정")
    assert last["변경 내용"] == f"향후계획: {old_plan or '(없음)'} → 분기별 공개 자료 갱신"
    with session(engine) as s:
        logged = audit.item_history(s, PLANNER, SESSION, "S-06")
    assert logged[-1].fields == {"plan": (old_plan, "분기별 공개 자료 갱신")}
    assert history.iloc[0]["구분"] == "생성"  # the seed's import created the item


def test_board_members_see_no_history_and_no_form(engine: Engine) -> None:
    at = open_history(choose(open_page(BOARD), "S-06"))
    assert not [e for e in at.expander if e.label.startswith("변경 기록")]
    assert not [f for f in at.dataframe if "변경 내용" in f.value.columns]
    assert edit_widgets(at, "S-06") == set()


def test_the_form_sends_only_what_changed_once_cleaned_as_saved() -> None:
    loaded = {"request": "요구", "department": "", "actions": "조치", "plan": "", "action_date": None}
    typed = {"request": " 요구 ", "department": "", "actions": "새 조치", "plan": "  ", "action_date": date(2025, 3, 1)}
    assert audit.text_changes(loaded, typed) == {"actions": "새 조치", "action_date": date(2025, 3, 1)}
    item = AuditItem(org_id=1, code="X-1", session_code=SESSION, category="기타", seq=1, request="r", status="완료")
    item.department = "윤리감사실"
    assert audit.editable_fields(PLANNER, item) == ("request", "department", "actions", "plan", "action_date")
    assert audit.editable_fields(ETHICS, item) == ("actions", "plan", "action_date")
    item.department = "인사부"
    assert audit.editable_fields(ETHICS, item) == ()
    assert audit.editable_fields(BOARD, item) == ()
    assert not audit.may_read_history(BOARD) and audit.may_read_history(ETHICS)
