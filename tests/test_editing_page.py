"""The 자료 편집 page in AppTest: choose a table, edit cells, add and delete rows, refusals."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from governance_app import editing
from governance_app.core import auth
from governance_app.core.auth import Actor
from governance_app.core.db import session
from governance_app.core.settings import ROOT
from tests.helpers import PLANNER, sign_in
from tests.helpers.editing import EXP_1_1_1_2025, exported
from tests.helpers.pages import shown as unescaped

PAGE = str(ROOT / "governance_app" / "pages" / "edit.py")
EDITOR = "edit_editor"


BOARD = Actor("test-board", "board")


def run(table: str | None = None, actor: Actor = PLANNER) -> AppTest:
    at = sign_in(AppTest.from_file(PAGE, default_timeout=60), actor)
    at.run()
    assert not at.exception, at.exception
    if table:
        at.selectbox(key="edit_table").set_value(table).run()
        assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    kinds = ("title", "markdown", "caption", "success", "error", "warning", "info")
    return "\n".join(unescaped(e.value) for kind in kinds for e in getattr(at, kind))


def edit(at: AppTest, edited: dict | None = None, added: list | None = None, deleted: list | None = None) -> AppTest:
    at.session_state[EDITOR] = {"edited_rows": edited or {}, "added_rows": added or [], "deleted_rows": deleted or []}
    at.button(key="edit_save").click().run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest, *columns: str):
    """The first read-only table having all of ``columns``."""
    for element in at.dataframe:
        if element.editing_mode == "read_only" and set(columns) <= set(element.value.columns):
            return element.value
    raise AssertionError(f"no table with {columns}")


def stored(engine: Engine, table: str) -> list[dict[str, str]]:
    with session(engine) as s:
        return editing.table_rows(s, table)[1]


def test_the_page_shows_the_chosen_table_as_its_csv_cells(engine: Engine) -> None:
    at = run()
    assert at.title[0].value == "자료 편집"
    # no table until one is chosen: the page lists those the user may edit, with their keys
    assert at.selectbox(key="edit_table").value is None and not at.data_editor
    options = at.selectbox(key="edit_table").options
    assert "연도별 예산액" in options and len(options) == len(editing.EDITABLE)
    assert not [o for o in options if "audit_" in o or "organisation" in o]
    listed = shown(at, "표", "이름(CSV 파일)", "행을 구분하는 키", "개인정보 열")
    assert len(listed) == len(editing.EDITABLE)
    row = listed[listed["이름(CSV 파일)"] == "budget_amount"].iloc[0]
    assert (row["표"], row["행을 구분하는 키"], row["개인정보 열"]) == (
        "연도별 예산액",
        "line_code, fiscal_year, revision",
        "",
    )
    assert listed[listed["이름(CSV 파일)"] == "board_person"].iloc[0]["개인정보 열"] == "birth_date"
    at.selectbox(key="edit_table").set_value("budget_amount").run()
    [editor] = at.data_editor
    frame = editor.value
    assert list(frame.columns) == ["line_code", "fiscal_year", "amount", "revision"]
    assert frame.iloc[EXP_1_1_1_2025].tolist() == ["exp.1.1.1", "2025", "1630926", "0"]
    assert len(frame) == len(stored(engine, "budget_amount"))
    assert "행을 구분하는 키: line_code, fiscal_year" in texts(at)


def test_an_edited_amount_is_saved_and_the_warning_shown(engine: Engine) -> None:
    at = edit(run("budget_amount"), {EXP_1_1_1_2025: {"amount": "1630927"}})
    assert not at.error
    text = texts(at)
    assert "연도별 예산액: 1행 수정, 0행 추가, 0행 삭제를 저장했습니다." in text
    assert "이 수정으로 생긴 불일치 3건 (저장은 되었습니다)" in text
    warnings = shown(at, "위치", "항목")
    where = warnings["위치"].tolist()  # the rows the edit moved, named in words, not by code
    assert "예산 집행 현황 · 상담정보시스템 운영 · 2025. 7. 31." in where, where
    assert not any("exp." in w for w in where), where
    assert stored(engine, "budget_amount")[EXP_1_1_1_2025]["amount"] == "1630927"
    # the editor starts again from what is stored now
    assert at.session_state[EDITOR]["edited_rows"] == {}
    assert at.data_editor[0].value.iloc[EXP_1_1_1_2025]["amount"] == "1630927"


def test_an_invalid_edit_shows_every_error_and_saves_nothing(engine: Engine) -> None:
    before = exported(engine)
    edits = {EXP_1_1_1_2025: {"amount": "163만"}, 0: {"fiscal_year": "2024년"}}
    at = edit(run("budget_amount"), edits)
    [message] = at.error
    assert "저장하지 않았습니다: 오류 2건" in message.value
    lines = unescaped(message.value).splitlines()
    # the table and its columns by their Korean names, the line as the CSV file counts it
    assert "- 연도별 예산액 15행 금액: 정수가 아닙니다" in lines
    assert "- 연도별 예산액 2행 회계연도: 정수가 아닙니다" in lines
    assert not re.search(r"budget_amount|\bamount\b|fiscal_year", message.value), message.value
    assert exported(engine) == before
    # the user's edits stay on screen for correcting
    assert at.session_state[EDITOR]["edited_rows"] == edits


def test_rows_are_added_and_deleted(engine: Engine) -> None:
    rows = stored(engine, "history_event")
    new = {"seq": "26", "year": "2025", "month": "10", "text": "새 연혁", "is_award": "false"}  # day left empty
    at = edit(run("history_event"), added=[new], deleted=[2])
    assert "1행 추가, 1행 삭제를 저장했습니다" in texts(at)
    after = stored(engine, "history_event")
    assert after == [r for i, r in enumerate(rows) if i != 2] + [{**new, "day": ""}]


def test_a_table_changed_meanwhile_is_not_overwritten(engine: Engine) -> None:
    at = run("budget_amount")
    loaded = stored(engine, "budget_amount")
    theirs = [dict(r, amount="1600000") if i == EXP_1_1_1_2025 else r for i, r in enumerate(loaded)]
    with session(engine) as s:
        editing.apply_edit(session=s, actor=Actor("other", "planning"), table_name="budget_amount", edited=theirs)
    at = edit(at, {1: {"amount": "1"}})
    assert "다른 사용자가 이 표를 바꿨으므로 저장하지 않았습니다" in at.error[0].value
    current = shown(at, "line_code", "amount")
    assert current.iloc[EXP_1_1_1_2025]["amount"] == "1600000"
    assert stored(engine, "budget_amount") == theirs
    at.button(key="edit_reload").click().run()
    assert at.session_state[EDITOR]["edited_rows"] == {}
    assert at.data_editor[0].value.iloc[EXP_1_1_1_2025]["amount"] == "1600000"


def test_choosing_another_table_starts_a_fresh_editor(engine: Engine) -> None:
    at = run("budget_amount")
    at.session_state[EDITOR] = {"edited_rows": {0: {"amount": "1"}}, "added_rows": [], "deleted_rows": []}
    at.selectbox(key="edit_table").set_value("budget_change").run()
    assert not at.exception
    assert list(at.data_editor[0].value.columns) == ["line_code", "base_year", "fiscal_year", "change_reported"]
    assert at.session_state[EDITOR]["edited_rows"] == {}


def test_a_board_member_cannot_edit(engine: Engine) -> None:
    at = run(actor=BOARD)
    assert len(at.data_editor) == 0 and len(at.selectbox) == 0
    assert "자료를 편집할 권한이 없습니다" in texts(at)


def test_tables_with_personal_data_are_withheld_from_roles_that_may_not_see_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(auth.PERMISSIONS, "data.edit", frozenset({"planning", "board"}))
    monkeypatch.setitem(auth.PERMISSIONS, "table.edit", frozenset({"planning", "board"}))
    at = run(actor=BOARD)
    options = at.selectbox(key="edit_table").options
    assert "기관 연혁" in options
    assert "임원 학력·경력" in options
    assert "임원 인적사항" not in options and "주요업무 담당자" not in options
    assert "개인정보 열이 있는 표(임원 인적사항, 주요업무 담당자)" in texts(at)


def test_the_planning_office_is_told_which_columns_are_personal(engine: Engine) -> None:
    at = run("board_person")
    assert "개인정보 열(birth_date)이 있는 표입니다" in texts(at)
    assert "birth_date" in at.data_editor[0].value.columns
