"""Upkeep by task against a submitted round (issue 11 §1 and §3), on SQLite and PostgreSQL: once
2025-09 is 제출, the board, major-work and ESG services refuse what would change what it reported
(the freeze guard, core.submitted), naming the round, with nothing written; appointing a
successor after its report date stays free; the major-work and ESG forms are not offered."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from board import appointments
from esg import upkeep as esg_upkeep
from governance_app.core.context import current
from governance_app.core.db import session
from governance_app.core.submitted import RoundSubmittedError
from major_work import upkeep as work_upkeep
from tests.helpers import PLANNER
from tests.helpers.board import NEW_CHAIR, TODAY, board_page, open_upkeep, submit
from tests.helpers.pages import page, shown
from tests.helpers.rounds import submit_state_only
from tests.helpers.work import state, work_progress


def call(engine: Engine, module: Any, name: str, **kwargs: Any) -> Any:
    with session(engine) as s:
        return getattr(module, name)(session=s, actor=PLANNER, org_id=current(s).org_id, **kwargs)


def test_a_successor_after_the_report_date_is_free(engine: Engine) -> None:
    submit_state_only(engine)
    term = call(engine, appointments, "appoint", seat_code="chair", start_date=TODAY, new_person=NEW_CHAIR)
    assert term.name == "김새롬"


REFUSED: list[tuple[Any, str, dict[str, Any], str]] = [
    (
        appointments,
        "end_term_early",
        {"seat_code": "appointed-1", "end_date": date(2025, 6, 30), "reason": "사임"},
        "임원 임기",
    ),
    (
        appointments,
        "change_ex_officio_holder",
        {"seat_code": "exofficio-1", "start_date": date(2025, 6, 1), "new_person": NEW_CHAIR},
        "임원 임기",
    ),
    (
        work_upkeep,
        "add_item",
        {"fiscal_year": 2025, "area_number": 2, "fields": work_upkeep.ItemFields("사업", "개요", "목적", "내용")},
        "2025년 자료",
    ),
    (
        esg_upkeep,
        "add_activity",
        {"fiscal_year": 2025, "fields": esg_upkeep.ActivityFields("E", "활동", "7")},
        "2025년 자료",
    ),
]


@pytest.mark.parametrize(("module", "name", "kwargs", "says"), REFUSED, ids=[r[1] for r in REFUSED])
def test_a_change_to_the_submitted_round_is_refused_and_nothing_is_written(
    engine: Engine, module: Any, name: str, kwargs: dict[str, Any], says: str
) -> None:
    submit_state_only(engine)
    before = state(engine)
    with pytest.raises(RoundSubmittedError) as refused:
        call(engine, module, name, **kwargs)
    assert "2025-09 회차는 제출되었습니다" in str(refused.value) and says in str(refused.value), str(refused.value)
    assert state(engine) == before


def test_reordering_a_submitted_years_plans_is_refused(engine: Engine) -> None:
    v = work_progress(engine).version
    submit_state_only(engine)
    before = state(engine)
    with pytest.raises(RoundSubmittedError):
        call(engine, work_upkeep, "reorder_plans", fiscal_year=2025, item_code="2-1", expected_version=v, order=[2, 1])
    assert state(engine) == before


@pytest.mark.parametrize(
    ("name", "key", "label"),
    [("major_work", "work_upkeep", "항목·추진계획 편집"), ("esg", "esg_edit", "2025년 ESG 자료 편집")],
)
def test_the_forms_say_the_round_is_read_only(engine: Engine, name: str, key: str, label: str) -> None:
    submit_state_only(engine)
    at = page(name, PLANNER)
    assert label in [e.label for e in at.expander]
    at.session_state[key] = True
    at.run()
    assert not at.exception
    assert any("2025-09 회차: 제출된 회차입니다" in i.value for i in at.info)
    assert not [b for b in at.button if b.label in ("항목 추가", "활동 추가")]


def test_the_board_form_shows_the_guards_refusal_and_keeps_the_input(engine: Engine) -> None:
    submit_state_only(engine)
    at = open_upkeep(board_page(), "중도 퇴임")
    at.selectbox(key="be_seat_0").set_value("appointed-1")
    at.date_input(key="be_end_0").set_value(date(2025, 6, 30))
    at.text_input(key="be_reason_0").set_value("사임")
    before = state(engine)
    at = submit(at, "중도 퇴임 기록")
    assert any("저장하지 않았습니다. 2025-09 회차는 제출되었습니다" in shown(e.value) for e in at.error)
    assert state(engine) == before and at.text_input(key="be_reason_0").value == "사임"
