"""The home page (오늘 할 일) per role, signed in through the entry point as each role: what the
seed and a few changed rows imply (an overdue item, an unsigned one, a term ending in 60 days),
each entry a link to where it is done; and the navigation each role is shown."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from audit_followup import service as audit
from board.models import BoardTerm
from governance_app import navigation
from governance_app.core import clock
from governance_app.core.auth import Actor
from governance_app.core.db import session
from governance_app.core.settings import ROOT
from major_work import todo as work_todo
from tests.helpers import PLANNER, acting, sign_in
from tests.helpers.audit import SESSION, change, org_id, sign

APP = str(ROOT / "streamlit_app.py")
AUDITOR = Actor("test-auditor", "auditor")
FINANCE = Actor("test-finance", "finance")
BOARD = Actor("test-board", "board")
SMART = Actor("test-smart", "department", "스마트전산부")  # owns audit items and major-work items


def home(actor: Actor) -> AppTest:
    at = sign_in(AppTest.from_file(APP, default_timeout=60), actor)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "오늘 할 일"
    return at


def links(at: AppTest) -> list[str]:
    return [p.proto.label for p in at.get("page_link")]


def heading_counts(at: AppTest) -> dict[str, int]:
    out = {}
    for m in at.markdown:
        first = m.value.split("\n")[0]
        if first.startswith("#### ") and first.endswith("건"):
            title, _, count = first[5:].rpartition(" ")
            out[title] = int(count[:-1])
    return out


def overdue_r01(engine: Engine) -> None:
    """R-01 reopened and given a 기한 that has passed."""
    change(engine, "R-01", "완료", "추진중", date(2025, 10, 1), "재조사")
    with session(engine) as s:
        audit.set_due_date(
            session=s,
            actor=PLANNER,
            org_id=org_id(engine),
            session_code=SESSION,
            item_code="R-01",
            due_date=clock.today() - timedelta(days=3),
        )


def term_ending_in_60_days(engine: Engine) -> str:
    """A serving 위촉직 비상임이사's term moved to end 60 days from today; its seat code."""
    today = clock.today()
    with acting(engine) as s:
        terms = s.exec(select(BoardTerm)).all()
        term = next(t for t in terms if t.seat_code == "appointed-1")  # 위촉직, '24. 3. 4. ~ '27. 3. 3.
        term.end_date = today + timedelta(days=60)
        s.commit()
        return term.seat_code


def test_the_auditor_sees_items_awaiting_sign_off_overdue_and_a_term_ending(engine: Engine) -> None:
    at = home(AUDITOR)
    counts = heading_counts(at)
    assert counts["감사 확인을 기다리는 항목"] == 23  # every item is closed in the seed, none signed
    assert counts["기한이 지난 항목"] == 0
    sign(engine, "R-05", "완료", AUDITOR)
    overdue_r01(engine)
    term_ending_in_60_days(engine)
    at = home(AUDITOR)
    counts = heading_counts(at)
    assert counts["감사 확인을 기다리는 항목"] == 21  # R-05 signed, R-01 open again
    assert counts["기한이 지난 항목"] == 1
    shown = links(at)
    assert any(label.startswith("R-01 ") and label.endswith("처리 상황 적기") for label in shown)
    assert not any(label.startswith("R-05 ") for label in shown)
    assert counts["90일 안에 끝나는 임기"] == 1
    assert any("(60일 남음), 후임 기록 없음" in label for label in shown)


def test_an_entry_opens_the_item_where_it_is_done(engine: Engine) -> None:
    overdue_r01(engine)
    at = home(AUDITOR)
    found = [p.proto for p in at.get("page_link") if p.proto.label.startswith("R-01 ")]
    assert {label.label.rsplit(" — ", 1)[1] for label in found} == {
        "처리 상황 적기",
        "진행 메모 적기",
    }  # overdue, stale
    assert all(p.page.endswith("audit") and "item=R-01" in p.query_string for p in found), found
    audit_page = sign_in(AppTest.from_file(str(ROOT / "governance_app" / "pages" / "audit.py")), AUDITOR)
    audit_page.query_params["item"] = "R-01"
    audit_page.run()
    assert not audit_page.exception, audit_page.exception
    assert audit_page.session_state["audit_view"] == "항목 상세"
    assert audit_page.selectbox(key="audit_item").value == "R-01"


def test_a_department_sees_its_own_plans_and_items_and_the_audit_list_opens_on_them(engine: Engine) -> None:
    overdue_r01(engine)  # 스마트전산부's own item
    change(engine, "R-02", "완료", "추진중", date(2025, 10, 1), "재조사")  # 상담운영부's: not listed
    with session(engine) as s:
        audit.set_due_date(
            session=s,
            actor=PLANNER,
            org_id=org_id(engine),
            session_code=SESSION,
            item_code="R-02",
            due_date=clock.today() - timedelta(days=1),
        )
    at = home(SMART)
    counts = heading_counts(at)
    with session(engine) as s:
        mine = work_todo.unreported_plans(s, org_id(engine), 2025, department="스마트전산부")
    assert mine and counts["추진 상황을 보고하지 않은 추진계획"] == len(mine)
    assert all("스마트전산부" in p.departments for p in mine)
    assert counts["기한이 지난 항목"] == 1 and "감사 확인을 기다리는 항목" not in counts
    assert any(label.startswith("R-01 ") for label in links(at)) and not any(
        label.startswith("R-02 ") for label in links(at)
    )
    audit_page = sign_in(AppTest.from_file(str(ROOT / "governance_app" / "pages" / "audit.py")), SMART)
    audit_page.run()
    audit_page.session_state["audit_view"] = "처리요구사항"
    audit_page.run()
    assert audit_page.selectbox(key="audit_department").value == "스마트전산부"


def test_planning_and_finance_see_lagging_lines_and_unreported_plans(engine: Engine) -> None:
    for actor in (PLANNER, FINANCE):
        counts = heading_counts(home(actor))
        # '25. 7. 31.: 스마트상담시스템 운영 활성화 and 예비비 are more than 10 points behind
        assert counts["집행이 부진한 세부사업"] == 2
        assert counts["추진 상황을 보고하지 않은 추진계획"] > 0


@pytest.mark.parametrize("role", ["planning", "finance", "auditor", "department", "board"])
def test_each_role_is_shown_only_the_pages_it_can_use(role: str) -> None:
    actor = Actor(f"test-{role}", role, "스마트전산부" if role == "department" else None)
    pages = {name for names in navigation.sections_for(actor).values() for name in names}
    assert "home" in pages and "overview" in pages and "audit" in pages
    hidden = set(navigation.every_page()) - pages
    expected = {
        "planning": set(),
        "finance": {"edit"},
        "auditor": {"edit"},
        "department": {"edit"},  # the 보고서 page offers every role the board's document
        "board": {"history", "edit"},
    }[role]
    assert hidden == expected


def test_the_board_home_lists_only_terms_and_composition(engine: Engine) -> None:
    term_ending_in_60_days(engine)
    at = home(BOARD)
    counts = heading_counts(at)
    assert set(counts) == {"90일 안에 끝나는 임기", "정관 요건에 못 미치는 임원 구성"}
    assert counts["90일 안에 끝나는 임기"] == 1
