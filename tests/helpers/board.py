"""The 이사회 page and its 임원 선임·연임·퇴임 forms as tests drive them, and a new chair to appoint."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from board import appointments as upkeep
from governance_app.core.auth import Actor
from governance_app.core.settings import ROOT
from tests.helpers import PLANNER, sign_in

TODAY = date(2026, 12, 1)


NEW_CHAIR = upkeep.NewPerson(
    "김새롬", date(1966, 5, 9), ["서울대학교 행정학 박사"], ["서울특별시 시민소통기획관", "現 서울연구원 연구위원"]
)


def board_page(actor: Actor = PLANNER) -> AppTest:
    at = sign_in(AppTest.from_file(str(ROOT / "governance_app" / "pages" / "board.py"), default_timeout=60), actor)
    at.run()
    assert not at.exception, at.exception
    return at


def open_upkeep(at: AppTest, task: str = "선임") -> AppTest:
    """The page rerun with its 임원 선임·연임·퇴임 expander open on ``task``."""
    at.session_state["board_edit"] = True
    at.session_state["board_task"] = task
    at.run()
    assert not at.exception, at.exception
    return at


def submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception
    return at
