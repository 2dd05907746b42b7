"""Board upkeep by task (issue 11 §3), on SQLite and PostgreSQL: appoint a person to a seat for the
seat kind's term, reappoint (연임), end a term early with a reason, change an ex officio seat's
holder; each one logged service call, each refusal in Korean with nothing written. The composition
check and the roster follow the serve-until-successor rule of board_term_rule, on and off.

The seed's three terms that ended on 2026-08-01: 이사장 이이재 (chair), 위촉직 비상임이사 이상익
(appointed-3) and 위촉직 비상임감사 이주엽 (auditor)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from board import appointments as upkeep
from board import service as board
from board.models import BoardTermRule
from governance_app.core.auth import Actor, PermissionDeniedError
from governance_app.core.context import current
from governance_app.core.db import session
from governance_app.core.errors import ConflictError
from tests.helpers import PLANNER, acting
from tests.helpers.board import NEW_CHAIR, TODAY, board_page, open_upkeep, submit
from tests.helpers.log import log_after, log_head
from tests.helpers.pages import page_text, shown
from tests.helpers.work import ACTORS, state

ENDED = date(2026, 8, 1)


def call(engine: Engine, name: str, actor: Actor = PLANNER, **kwargs: Any) -> upkeep.TermRecord:
    with session(engine) as s:
        return getattr(upkeep, name)(session=s, actor=actor, org_id=current(s).org_id, **kwargs)


def counts(engine: Engine, on: date) -> dict[str, int]:
    with session(engine) as s:
        return {c.seat_class: c.count for c in board.composition(s, current(s).org_id, on)}


def entry(engine: Engine, on: date, title: str, actor: Actor = PLANNER) -> board.RosterEntry:
    with session(engine) as s:
        return next(e for e in board.roster(s, current(s).org_id, on, actor=actor) if e.title == title)


def holding_over(engine: Engine, on: bool) -> None:
    """Switch the serve-until-successor rule of every seat kind (as an import or 자료 편집 would)."""
    with acting(engine) as s:
        for rule in s.exec(select(BoardTermRule)).all():
            rule.serves_until_successor = on
        s.commit()


def test_the_term_rules_are_data_with_their_legal_basis(engine: Engine) -> None:
    with session(engine) as s:
        seats = {x.code: x for x in upkeep.seats(s, current(s).org_id)}
    chair = seats["chair"]
    assert (chair.title, chair.term_months, chair.reappoint_months, chair.serves_until_successor) == (
        "이사장",
        36,
        12,
        False,
    )
    assert "정관(임원의 임기)" in chair.legal_basis
    assert chair.latest is not None and (chair.latest.name, chair.latest.end_date) == ("이이재", ENDED)
    assert seats["exofficio-1"].ex_officio and seats["exofficio-1"].term_months is None
    assert seats["labour"].term_months == 36


def test_appointing_a_new_chair_adds_the_person_their_lines_and_a_logged_term(engine: Engine) -> None:
    assert counts(engine, TODAY) == {"이사장": 0, "비상임이사": 7, "감사": 0}
    head = log_head(engine)
    term = call(engine, "appoint", seat_code="chair", start_date=TODAY, new_person=NEW_CHAIR)
    # 36 months from 2026-12-01: to 2029-11-30
    assert (term.title, term.name, term.start_date, term.end_date, term.reappointment) == (
        "이사장",
        "김새롬",
        TODAY,
        date(2029, 11, 30),
        False,
    )
    chair = entry(engine, TODAY, "이사장")
    assert (chair.name, chair.status, chair.serving, chair.birth_date) == ("김새롬", "재임", True, date(1966, 5, 9))
    assert chair.education == ["서울대학교 행정학 박사"]
    assert chair.career == ["서울특별시 시민소통기획관", "現 서울연구원 연구위원"]
    assert entry(engine, TODAY, "이사장", ACTORS["board"]).birth_date is None  # personal data
    # the composition before and after the appointment (the rule off: nobody holds over)
    assert counts(engine, date(2026, 11, 30))["이사장"] == 0
    assert counts(engine, TODAY)["이사장"] == 1
    entries = log_after(engine, head)
    assert {(e.action, e.table_name) for e in entries} == {
        ("create", "board_person"),
        ("create", "board_person_line"),
        ("create", "board_term"),
    }
    assert all(e.actor == PLANNER.username for e in entries) and len(entries) == 1 + 3 + 1
    created = next(e for e in entries if e.table_name == "board_term")
    assert created.fields["start_date"] == (None, "2026-12-01") and created.fields["end_date"] == (None, "2029-11-30")


def test_successors_to_the_three_ended_terms_meet_the_composition(engine: Engine) -> None:
    call(engine, "appoint", seat_code="chair", start_date=TODAY, new_person=NEW_CHAIR)
    director = upkeep.NewPerson("박하늘", date(1972, 2, 3), [], ["現 서울시립대학교 교수"])
    call(engine, "appoint", seat_code="appointed-3", start_date=TODAY, new_person=director)
    call(engine, "reappoint", seat_code="auditor")  # the auditor 연임: from 2026-08-02 for 12 months
    assert counts(engine, TODAY) == {"이사장": 1, "비상임이사": 8, "감사": 1}
    with session(engine) as s:
        checks = board.composition(s, current(s).org_id, TODAY)
    assert all(c.ok for c in checks)
    auditor = entry(engine, TODAY, "위촉직 비상임감사")
    assert (auditor.name, auditor.start_date, auditor.end_date) == ("이주엽", date(2026, 8, 2), date(2027, 8, 1))
    # the auditor served without a gap; the two appointed seats were empty from 2026-08-02
    assert counts(engine, date(2026, 9, 1)) == {"이사장": 0, "비상임이사": 7, "감사": 1}


def test_holding_over_until_a_successor_follows_the_rule(engine: Engine) -> None:
    before = date(2026, 11, 30)
    assert counts(engine, before) == {"이사장": 0, "비상임이사": 7, "감사": 0}
    assert entry(engine, before, "이사장").status == "임기 만료"
    holding_over(engine, True)
    # the three whose terms ended serve on: counted, shown as holding over
    assert counts(engine, before) == {"이사장": 1, "비상임이사": 8, "감사": 1}
    chair = entry(engine, before, "이사장")
    assert (chair.name, chair.status, chair.serving) == ("이이재", "후임 선임 전 직무 수행", True)
    call(engine, "appoint", seat_code="chair", start_date=TODAY, new_person=NEW_CHAIR)
    # before the appointment the old chair holds over, from it the successor serves: never two
    assert counts(engine, before)["이사장"] == 1 and entry(engine, before, "이사장").name == "이이재"
    assert counts(engine, TODAY)["이사장"] == 1 and entry(engine, TODAY, "이사장").name == "김새롬"
    holding_over(engine, False)
    assert counts(engine, before)["이사장"] == 0 and counts(engine, TODAY)["이사장"] == 1


def test_a_term_ended_early_does_not_hold_over(engine: Engine) -> None:
    holding_over(engine, True)
    head = log_head(engine)
    term = call(engine, "end_term_early", seat_code="appointed-1", end_date=date(2026, 12, 15), reason=" 일신상 사임 ")
    assert (term.name, term.end_date, term.end_reason) == ("김창희", date(2026, 12, 15), "일신상 사임")
    (logged,) = log_after(engine, head)
    assert (logged.action, logged.table_name, logged.record_key) == ("update", "board_term", "appointed-1/2024-03-04")
    assert logged.fields == {"end_date": ("2027-03-03", "2026-12-15"), "end_reason": (None, "일신상 사임")}
    assert counts(engine, date(2026, 12, 15))["비상임이사"] == 8  # 7 + 이상익 holding over, 김창희's last day
    assert counts(engine, date(2026, 12, 16))["비상임이사"] == 7  # 김창희 resigned: he does not hold over
    with session(engine) as s:
        got = {e.name: e.status for e in board.roster(s, current(s).org_id, date(2026, 12, 16), actor=PLANNER)}
    assert got["김창희"] == "중도 퇴임" and got["이상익"] == "후임 선임 전 직무 수행"
    # the seat is free from the next day; 이상익, holding over in appointed-3, moves to it: counted once
    call(engine, "appoint", seat_code="appointed-1", start_date=date(2026, 12, 16), person_code="lee-sangik")
    assert counts(engine, date(2026, 12, 16))["비상임이사"] == 7
    assert counts(engine, date(2026, 12, 15))["비상임이사"] == 8


def test_reappointment_runs_from_the_day_after_for_the_reappointment_term(engine: Engine) -> None:
    head = log_head(engine)
    term = call(engine, "reappoint", seat_code="chair")
    assert (term.name, term.start_date, term.end_date, term.reappointment) == (
        "이이재",
        date(2026, 8, 2),
        date(2027, 8, 1),
        True,
    )
    (logged,) = log_after(engine, head)
    assert logged.table_name == "board_term" and logged.fields["reappointment"] == (None, True)
    assert counts(engine, TODAY)["이사장"] == 1


def test_an_ex_officio_seat_changes_hands(engine: Engine) -> None:
    head = log_head(engine)
    new = upkeep.NewPerson("오지훈", date(1975, 8, 30), ["연세대학교 행정학 석사"], ["現 서울시 홍보기획관"])
    term = call(
        engine, "change_ex_officio_holder", seat_code="exofficio-1", start_date=date(2027, 1, 4), new_person=new
    )
    assert (term.name, term.start_date, term.end_date) == ("오지훈", date(2027, 1, 4), None)
    entries = log_after(engine, head)
    ended = next(e for e in entries if e.action == "update")
    assert ended.record_key == "exofficio-1/2025-01-01" and ended.fields == {"end_date": (None, "2027-01-03")}
    assert entry(engine, date(2027, 1, 3), "당연직 비상임이사").name == "민수홍"
    with session(engine) as s:
        names = {e.name for e in board.roster(s, current(s).org_id, date(2027, 1, 4), actor=PLANNER)}
    assert "오지훈" in names and "민수홍" not in names
    assert counts(engine, date(2027, 1, 3))["비상임이사"] == counts(engine, date(2027, 1, 4))["비상임이사"] == 7


REFUSALS: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "appoint",
        {"seat_code": "appointed-1", "start_date": TODAY, "new_person": NEW_CHAIR},
        "start_date",
        "위촉직 비상임이사의 현 임기(2024. 3. 4.~2027. 3. 3.)가 2026. 12. 1.에 아직 끝나지 않았습니다",
    ),
    (
        "appoint",
        {"seat_code": "chair", "start_date": date(2025, 1, 1), "new_person": NEW_CHAIR},
        "start_date",
        "이사장에는 2025. 8. 2.부터의 임기가 이미 있습니다",
    ),
    (
        "appoint",
        {"seat_code": "exofficio-1", "start_date": TODAY, "new_person": NEW_CHAIR},
        "seat",
        "당연직 자리입니다",
    ),
    ("appoint", {"seat_code": "chair", "start_date": TODAY, "person_code": "lee-ijae"}, "person", "'연임'으로"),
    (
        "appoint",
        {"seat_code": "chair", "start_date": TODAY, "person_code": "kim-changhee"},
        "person",
        "2026. 12. 1.에 이미 위촉직 비상임이사로 재임 중입니다",
    ),
    ("appoint", {"seat_code": "chair", "start_date": TODAY}, "person", "새 임원의 인적사항을 적어"),
    ("appoint", {"seat_code": "nowhere", "start_date": TODAY, "new_person": NEW_CHAIR}, "seat", "찾을 수 없습니다"),
    ("appoint", {"seat_code": "chair", "start_date": TODAY, "person_code": "nobody"}, "person", "찾을 수 없습니다"),
    (
        "appoint",
        {"seat_code": "chair", "start_date": TODAY, "new_person": upkeep.NewPerson("  ", date(1970, 1, 1))},
        "name",
        "성명이 비어 있습니다",
    ),
    (
        "appoint",
        {"seat_code": "chair", "start_date": TODAY, "new_person": upkeep.NewPerson("김새롬", None)},
        "birth_date",
        "생년월일이 없습니다",
    ),
    (
        "appoint",
        {"seat_code": "chair", "start_date": TODAY, "new_person": upkeep.NewPerson("김새롬", date(2027, 1, 1))},
        "birth_date",
        "임기 시작일보다 앞서야",
    ),
    (
        "appoint",
        {
            "seat_code": "chair",
            "start_date": TODAY,
            "new_person": upkeep.NewPerson("김새롬", date(1966, 5, 9), ["서울대"], ["구청장", " "]),
        },
        "career",
        "경력 2번째 줄이 비어 있습니다",
    ),
    ("appoint", {"seat_code": "chair", "start_date": None, "new_person": NEW_CHAIR}, "start_date", "적어 주십시오"),
    (
        "change_ex_officio_holder",
        {"seat_code": "exofficio-1", "start_date": None, "new_person": NEW_CHAIR},
        "start_date",
        "임기 시작일을 적어 주십시오",
    ),
    (
        "end_term_early",
        {"seat_code": "appointed-1", "end_date": None, "reason": "사임"},
        "end_date",
        "퇴임일(마지막 재임일)을 적어 주십시오",
    ),
    ("reappoint", {"seat_code": "exofficio-2"}, "seat", "당연직 자리로 임기가 없어"),
    ("end_term_early", {"seat_code": "appointed-1", "end_date": TODAY, "reason": "  "}, "reason", "종료 사유"),
    (
        "end_term_early",
        {"seat_code": "chair", "end_date": TODAY, "reason": "사임"},
        "end_date",
        "2026. 12. 1.에 이사장의 재임 중인 임기가 없습니다",
    ),
    (
        "end_term_early",
        {"seat_code": "appointed-1", "end_date": date(2027, 3, 3), "reason": "사임"},
        "end_date",
        "중도 종료가 아닙니다",
    ),
    (
        "change_ex_officio_holder",
        {"seat_code": "chair", "start_date": TODAY, "new_person": NEW_CHAIR},
        "seat",
        "당연직 자리가 아닙니다",
    ),
    (
        "change_ex_officio_holder",
        {"seat_code": "exofficio-1", "start_date": date(2024, 12, 31), "new_person": NEW_CHAIR},
        "start_date",
        "2025. 1. 1.에 시작했습니다",
    ),
    (
        "change_ex_officio_holder",
        {"seat_code": "exofficio-1", "start_date": TODAY, "person_code": "min-suhong"},
        "person",
        "지금 재직 중인 사람과 같습니다",
    ),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "field", "says"), REFUSALS, ids=[f"{r[0]}-{r[2]}-{i}" for i, r in enumerate(REFUSALS)]
)
def test_a_refused_change_writes_nothing(
    engine: Engine, name: str, kwargs: dict[str, Any], field: str, says: str
) -> None:
    before = state(engine)
    with pytest.raises(upkeep.BoardRefusedError) as refused:
        call(engine, name, **kwargs)
    assert refused.value.field == field and says in str(refused.value), str(refused.value)
    assert str(refused.value).startswith(upkeep.FIELD_LABELS[field])
    assert state(engine) == before


def test_reappointing_after_an_early_end_and_without_a_rule_are_refused(engine: Engine) -> None:
    call(engine, "end_term_early", seat_code="appointed-2", end_date=TODAY, reason="해임")
    before = state(engine)
    with pytest.raises(upkeep.BoardRefusedError, match="중도 종료\\(해임\\)되어 연임할 수 없습니다"):
        call(engine, "reappoint", seat_code="appointed-2")
    with acting(engine) as s:
        rule = s.exec(select(BoardTermRule).where(BoardTermRule.title == "이사장")).one()
        rule.term_months = None
        s.commit()
    before = state(engine)
    with pytest.raises(upkeep.BoardRefusedError, match="이사장의 임기 규칙\\(임기 개월 수\\)이 없습니다"):
        call(engine, "appoint", seat_code="chair", start_date=TODAY, new_person=NEW_CHAIR)
    assert state(engine) == before


@pytest.mark.parametrize("role", [r for r in ACTORS if r != "planning"])
def test_only_the_planning_office_does_board_upkeep(engine: Engine, role: str) -> None:
    before = state(engine)
    for name, kwargs in (
        ("appoint", {"seat_code": "chair", "start_date": TODAY, "new_person": NEW_CHAIR}),
        ("reappoint", {"seat_code": "chair"}),
        ("end_term_early", {"seat_code": "appointed-1", "end_date": TODAY, "reason": "사임"}),
        ("change_ex_officio_holder", {"seat_code": "exofficio-1", "start_date": TODAY, "new_person": NEW_CHAIR}),
    ):
        with pytest.raises(PermissionDeniedError):
            call(engine, name, ACTORS[role], **kwargs)
    assert state(engine) == before


def test_the_dataset_with_appointments_exports_and_validates(engine: Engine, tmp_path: Any) -> None:
    """Terms written by the services travel with the dataset: export, then validate without errors."""
    from governance_app import store

    call(engine, "appoint", seat_code="chair", start_date=TODAY, new_person=NEW_CHAIR)
    call(engine, "end_term_early", seat_code="appointed-1", end_date=TODAY, reason="사임")
    call(engine, "change_ex_officio_holder", seat_code="exofficio-2", start_date=TODAY, person_code="lee-sangik")
    with session(engine) as s:
        store.export_dir(session=s, actor=PLANNER, path=tmp_path)
    terms = (tmp_path / "board_term.csv").read_text(encoding="utf-8").splitlines()
    assert "chair,person-11,2026-12-01,2029-11-30,false,false," in terms
    assert "appointed-1,kim-changhee,2024-03-04,2026-12-01,false,false,사임" in terms
    assert "exofficio-2,kang-seok,2025-01-01,2026-11-30,true,false," in terms
    _, findings = store.read_dir(tmp_path)
    assert [f for f in findings if f.severity == "error"] == []


# --- the forms on the 이사회 page -------------------------------------------------------------


def refusals(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error if "저장하지 않았습니다" in e.value]


def test_only_the_planning_office_is_offered_the_forms(engine: Engine) -> None:
    assert "임원 선임·연임·퇴임" in [e.label for e in board_page().expander]
    for role in ("board", "finance", "department", "auditor"):
        assert "임원 선임·연임·퇴임" not in [e.label for e in board_page(ACTORS[role]).expander], role


def test_a_planner_appoints_a_new_chair_from_the_page(engine: Engine) -> None:
    at = open_upkeep(board_page())
    text = page_text(at)
    assert "이사장: 임기 3년, 연임 1년" in text and "정관(임원의 임기)" in text
    seat = at.selectbox(key="ba_0_seat")
    assert seat.value == "chair" and "chair" not in "".join(seat.options)  # titles and names, not codes
    assert seat.options[0] == "이사장 — 이이재 (2025. 8. 2.~2026. 8. 1.)"
    person = at.selectbox(key="ba_0_person")
    assert person.options[0] == "(새 임원: 아래에 인적사항을 적습니다)"
    assert "김창희 (국가정보원 서기관)" in person.options
    at.date_input(key="ba_0_start").set_value(TODAY)
    at.text_input(key="ba_0_name").set_value("김새롬")
    at.date_input(key="ba_0_birth").set_value(date(1966, 5, 9))
    at.text_area(key="ba_0_education").set_value("서울대학교 행정학 박사")
    at.text_area(key="ba_0_career").set_value("서울특별시 시민소통기획관\n現 서울연구원 연구위원\n")
    head = log_head(engine)
    at = submit(at, "선임 기록")
    assert not refusals(at), refusals(at)
    assert "이사장 김새롬: 2026. 12. 1.~2029. 11. 30. 임기를 기록했습니다." in [shown(s.value) for s in at.success]
    assert {e.table_name for e in log_after(engine, head)} == {"board_person", "board_person_line", "board_term"}
    chair = entry(engine, TODAY, "이사장")
    assert chair.career == ["서울특별시 시민소통기획관", "現 서울연구원 연구위원"]
    assert at.text_input(key="ba_1_name").value == ""  # a fresh form after the save
    # the page shows it on the chosen date: today is 2026-12-01 in the issue; pick it
    at.date_input(key="board_on").set_value(TODAY).run()
    roster = at.dataframe[0].value
    assert roster.loc[roster["직책"] == "이사장", "성명"].iloc[0] == "김새롬"


def test_a_refused_appointment_keeps_the_input_and_writes_nothing(engine: Engine) -> None:
    at = open_upkeep(board_page())
    at.selectbox(key="ba_0_seat").set_value("appointed-1")  # 김창희's term runs to 2027-03-03
    at.date_input(key="ba_0_start").set_value(TODAY)
    at.text_input(key="ba_0_name").set_value("박하늘")
    at.date_input(key="ba_0_birth").set_value(date(1972, 2, 3))
    before = state(engine)
    at = submit(at, "선임 기록")
    (message,) = refusals(at)
    assert "임기 시작일: 위촉직 비상임이사의 현 임기(2024. 3. 4.~2027. 3. 3.)가 2026. 12. 1.에 아직" in message
    assert state(engine) == before
    assert at.text_input(key="ba_0_name").value == "박하늘"
    assert at.date_input(key="ba_0_birth").value == date(1972, 2, 3)
    assert at.selectbox(key="ba_0_seat").value == "appointed-1"


def test_reappointment_early_end_and_ex_officio_change_from_the_page(engine: Engine) -> None:
    at = open_upkeep(board_page(), "연임")
    at.selectbox(key="br_seat_0").set_value("auditor")
    at = submit(at, "연임 기록")
    assert "위촉직 비상임감사 이주엽: 2026. 8. 2.~2027. 8. 1. 연임을 기록했습니다." in [
        shown(s.value) for s in at.success
    ]

    at = open_upkeep(at, "중도 퇴임")
    at.selectbox(key="be_seat_1").set_value("appointed-2")
    at.date_input(key="be_end_1").set_value(TODAY)
    before = state(engine)
    at = submit(at, "중도 퇴임 기록")  # no reason: refused, the date kept
    assert any("종료 사유: 종료 사유를 적어 주십시오" in shown(e.value) for e in at.error)
    assert state(engine) == before and at.date_input(key="be_end_1").value == TODAY
    at.text_input(key="be_reason_1").set_value("일신상 사임")
    at = submit(at, "중도 퇴임 기록")
    assert "위촉직 비상임이사 박건도: 2026. 12. 1. 중도 퇴임(일신상 사임)을 기록했습니다." in [
        shown(s.value) for s in at.success
    ]

    at = open_upkeep(at, "당연직 교체")
    assert at.selectbox(key="bx_2_seat").options[0] == "당연직 비상임이사 — 민수홍 (2025. 1. 1.~재임 기간 동안)"
    at.date_input(key="bx_2_start").set_value(date(2027, 1, 4))
    at.selectbox(key="bx_2_person").set_value("lee-sangik")
    at = submit(at, "당연직 교체 기록")
    assert "당연직 비상임이사 이상익: 2027. 1. 4.부터 재임을 기록했습니다." in [shown(s.value) for s in at.success]
    assert entry(engine, date(2027, 1, 4), "당연직 비상임이사").name == "이상익"


def test_a_save_racing_ours_on_the_same_seat_is_refused_and_nothing_of_ours_is_written(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another planner records a successor after our appointment read the seat but before it
    writes: our bump of the seat's version matches nothing, and the whole save is undone."""
    real = upkeep._not_serving_elsewhere
    raced: list[upkeep.TermRecord] = []

    def checked_then_a_rival_save(*args: Any) -> None:
        real(*args)
        if not raced:
            monkeypatch.setattr(upkeep, "_not_serving_elsewhere", real)  # the rival's own call runs plainly
            raced.append(
                call(
                    engine,
                    "appoint",
                    Actor("rival-planner", "planning"),
                    seat_code="chair",
                    start_date=TODAY,
                    person_code="lee-sangik",
                )
            )

    monkeypatch.setattr(upkeep, "_not_serving_elsewhere", checked_then_a_rival_save)
    with pytest.raises(ConflictError, match="다른 사용자가 이 자리를 먼저 바꿨습니다"):
        call(engine, "appoint", seat_code="chair", start_date=TODAY, new_person=NEW_CHAIR)
    assert raced and raced[0].name == "이상익"
    assert entry(engine, TODAY, "이사장").name == "이상익"
    with session(engine) as s:
        assert "김새롬" not in [p.name for p in upkeep.people(s, current(s).org_id)]  # our new person: not written


def test_the_page_shows_officers_holding_over_when_the_rule_says_so(engine: Engine) -> None:
    holding_over(engine, True)
    at = board_page()
    at.date_input(key="board_on").set_value(date(2026, 11, 30)).run()
    warning = next(w.value for w in at.warning if "후임 선임 전까지 직무를 수행하는 임원" in w.value)
    assert "임원 3명" in warning and "이사장 이이재(2026. 8. 1. 만료)" in warning
    assert any("이사장 1명, 비상임이사 8명, 감사 1명으로 정관 요건을 충족합니다" in shown(s.value) for s in at.success)
    roster = at.dataframe[0].value
    assert roster.loc[roster["직책"] == "이사장", "상태"].iloc[0] == "후임 선임 전 직무 수행"
    holding_over(engine, False)
    at.date_input(key="board_on").set_value(date(2026, 11, 29)).run()
    assert any("정관 요건에 미달합니다" in shown(e.value) for e in at.error)
