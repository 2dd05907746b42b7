"""이사회 upkeep forms (planning office): 선임, 연임, 중도 퇴임 and 당연직 교체, each one call of
``board.appointments``. Seats and people are chosen by title and name; codes stay hidden."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from board import appointments as upkeep
from governance_app import ui
from governance_app.core import clock
from governance_app.core import formatting as fmt
from governance_app.core.auth import Actor, PermissionDeniedError
from governance_app.core.errors import ConflictError
from governance_app.core.submitted import RoundSubmittedError

FLASH = "board_upkeep_flash"
STAMP = "board_upkeep_stamp"  # bumped after a save: the forms' widgets start afresh
NEW = ""  # the person choice that means "a new person, typed below"
TASKS = ["선임", "연임", "중도 퇴임", "당연직 교체"]
BIRTH_MIN = date(1920, 1, 1)


def _months(months: int | None) -> str:
    if months is None:
        return "재임 기간(당연직)"
    return f"{months // 12}년" if months % 12 == 0 else f"{months}개월"


def _seat_label(seat: upkeep.SeatState) -> str:
    t = seat.latest
    if t is None:
        return f"{seat.title} (비어 있음)"
    until = fmt.date_ko(t.end_date) if t.end_date else fmt.WHILE_IN_OFFICE
    return f"{seat.title} — {t.name} ({fmt.date_ko(t.start_date)}~{until})"


def _seat(codes: list[str], by_code: dict[str, upkeep.SeatState], key: str) -> str:
    """The seat choice: by title and holder, never by code; first the first seat whose term has
    ended (the usual reason to come here)."""
    today = clock.today()
    ended = [n for n, c in enumerate(codes) if (t := by_code[c].latest) and t.end_date and t.end_date < today]
    index = ended[0] if ended else 0
    return st.selectbox("자리", codes, index=index, format_func=lambda c: _seat_label(by_code[c]), key=key)


def rules_markdown(seats: list[upkeep.SeatState]) -> str:
    """Each seat kind's term, 연임 and serve-until-successor rule with its legal basis, once."""
    seen: dict[str, upkeep.SeatState] = {}
    for s in seats:
        seen.setdefault(s.title, s)
    lines = [
        f"- {ui.markdown_text(s.title)}: 임기 {_months(s.term_months)}"
        + (f", 연임 {_months(s.reappoint_months)}" if s.reappoint_months else "")
        + (" · 임기가 끝나도 후임 선임 전까지 직무 수행" if s.serves_until_successor else "")
        + f"  \n  :gray[{ui.markdown_text(s.legal_basis)}]"
        for s in seen.values()
    ]
    return "**임기 규칙** (자료 편집 > 임원 임기 규칙에서 고칩니다)\n\n" + "\n".join(lines)


def _person_inputs(prefix: str, people: list[upkeep.PersonChoice]) -> tuple[str | None, upkeep.NewPerson | None]:
    """The person block shared by 선임 and 당연직 교체: an existing person, or a new one's details."""
    names = {p.code: p.name + (f" ({p.posts})" if p.posts else "") for p in people}
    chosen = st.selectbox(
        "임원",
        [NEW, *names],
        format_func=lambda c: "(새 임원: 아래에 인적사항을 적습니다)" if c == NEW else names[c],
        key=f"{prefix}_person",
    )
    st.markdown("**새 임원 인적사항** (기존 임원을 고르면 비워 둡니다)")
    row = st.container(horizontal=True)
    name = row.text_input("성명", key=f"{prefix}_name")
    birth = row.date_input(
        "생년월일 (개인정보)", value=None, min_value=BIRTH_MIN, format="YYYY-MM-DD", key=f"{prefix}_birth"
    )
    education = st.text_area("학력 (한 줄에 하나)", key=f"{prefix}_education", height=80)
    career = st.text_area("주요 경력 (한 줄에 하나, 현직은 '現 '으로 시작)", key=f"{prefix}_career", height=100)
    typed = bool(name.strip() or birth or education.strip() or career.strip())
    person = upkeep.NewPerson(name, birth, _lines(education), _lines(career)) if typed or chosen == NEW else None
    return (chosen or None), person


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()] if text.strip() else []


def _save(action: Callable[..., upkeep.TermRecord], done: Callable[[upkeep.TermRecord], str], **kwargs: Any) -> None:
    """One service call; on success a message and fresh forms, on refusal the message (input kept)."""
    try:
        with ui.db() as s:
            record = action(session=s, **kwargs)
    except (RoundSubmittedError, upkeep.BoardRefusedError, ConflictError) as exc:
        st.error(ui.plain(f"저장하지 않았습니다. {exc}"))
    except PermissionDeniedError:
        st.error("임원 선임·퇴임을 기록할 권한이 없습니다.")
    else:
        st.session_state[FLASH] = done(record)
        st.session_state[STAMP] = st.session_state.get(STAMP, 0) + 1
        st.rerun()


def _term_text(t: upkeep.TermRecord) -> str:
    return f"{fmt.date_ko(t.start_date)}~{fmt.date_ko(t.end_date) if t.end_date else fmt.WHILE_IN_OFFICE}"


def _holder_form(
    prefix: str,
    codes: list[str],
    by_code: dict[str, upkeep.SeatState],
    people: list[upkeep.PersonChoice],
    caption: str,
    labels: tuple[str, str],
    action: Callable[..., upkeep.TermRecord],
    done: Callable[[upkeep.TermRecord], str],
    common: dict[str, Any],
) -> None:
    """선임 and 당연직 교체: a seat, a start date and a person (existing, or new with their lines)."""
    start_label, button = labels
    with st.form(f"board_form_{prefix}"):
        st.caption(caption)
        seat = _seat(codes, by_code, f"{prefix}_seat")
        start = st.date_input(start_label, value=None, format="YYYY-MM-DD", key=f"{prefix}_start")
        code, person = _person_inputs(prefix, people)
        go = st.form_submit_button(button, type="primary")
    if go:
        _save(action, done, seat_code=seat, start_date=start, person_code=code, new_person=person, **common)


def upkeep_section(org_id: int, actor: Actor) -> None:
    with ui.db() as s:
        seats = upkeep.seats(s, org_id)
        people = upkeep.people(s, org_id)
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(ui.plain(flash))
    st.markdown(rules_markdown(seats))
    stamp = st.session_state.get(STAMP, 0)
    by_code = {x.code: x for x in seats}
    task = st.segmented_control("할 일", TASKS, default=TASKS[0], key="board_task")
    common = {"actor": actor, "org_id": org_id}
    if task == "선임":
        _holder_form(
            f"ba_{stamp}",
            [x.code for x in seats if not x.ex_officio],
            by_code,
            people,
            "임기가 끝났거나 비어 있는 자리에 새 임기를 기록합니다. 임기 종료일은 임기 규칙으로 정해집니다.",
            ("임기 시작일", "선임 기록"),
            upkeep.appoint,
            lambda t: f"{t.title} {t.name}: {_term_text(t)} 임기를 기록했습니다.",
            common,
        )
    elif task == "연임":
        renewable = [x.code for x in seats if not x.ex_officio and x.latest is not None]
        with st.form(f"board_reappoint_{stamp}"):
            st.caption("직전 임기의 임원이 같은 자리에 연임합니다: 직전 임기 다음 날부터 연임 기간만큼입니다.")
            seat = _seat(renewable, by_code, f"br_seat_{stamp}")
            go = st.form_submit_button("연임 기록", type="primary")
        if go:
            _save(
                upkeep.reappoint,
                lambda t: f"{t.title} {t.name}: {_term_text(t)} 연임을 기록했습니다.",
                seat_code=seat,
                **common,
            )
    elif task == "중도 퇴임":
        held = [x.code for x in seats if x.latest is not None]
        with st.form(f"board_end_{stamp}"):
            st.caption(
                "사임·해임 등으로 임기를 중도에 마칩니다. 중도 퇴임한 임원은 후임 선임 전에도 직무를 수행하지 않습니다."
            )
            seat = _seat(held, by_code, f"be_seat_{stamp}")
            end = st.date_input("퇴임일 (마지막 재임일)", value=None, format="YYYY-MM-DD", key=f"be_end_{stamp}")
            reason = st.text_input("종료 사유", key=f"be_reason_{stamp}")
            go = st.form_submit_button("중도 퇴임 기록", type="primary")
        if go:
            _save(
                upkeep.end_term_early,
                lambda t: f"{t.title} {t.name}: {fmt.date_ko(t.end_date)} 중도 퇴임({t.end_reason})을 기록했습니다.",
                seat_code=seat,
                end_date=end,
                reason=reason,
                **common,
            )
    else:
        _holder_form(
            f"bx_{stamp}",
            [x.code for x in seats if x.ex_officio],
            by_code,
            people,
            "당연직 자리의 직위가 바뀌면 새 재직자를 기록합니다: 앞 재직자의 재임은 그 전날 끝납니다.",
            ("재임 시작일", "당연직 교체 기록"),
            upkeep.change_ex_officio_holder,
            lambda t: f"{t.title} {t.name}: {fmt.date_ko(t.start_date)}부터 재임을 기록했습니다.",
            common,
        )
