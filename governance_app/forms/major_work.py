"""주요업무 upkeep forms (planning office): add an item, edit an item and move it within its area,
edit, add and reorder an item's plans, reorder its 추진내용 lines; each form one call of
``major_work.upkeep``. Items are chosen by number and title; widget keys carry the item's version,
so a refused save keeps what was typed and a saved one starts afresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from governance_app import ui
from governance_app.core.auth import Actor, PermissionDeniedError
from governance_app.core.i18n import particle
from governance_app.core.submitted import RoundSubmittedError
from major_work import service as work
from major_work import upkeep

FLASH = "work_upkeep_flash"
STAMP = "work_upkeep_stamp"  # bumped after adding an item: the add form starts afresh
TASKS = ["항목 추가", "항목 수정·순서", "추진계획", "추진내용 순서"]
MARKER = {1: "○", 2: "-", 3: "※"}


def _save(call: Callable[..., Any], done: Callable[[Any], str], **kwargs: Any) -> None:
    try:
        with ui.db() as s:
            result = call(session=s, **kwargs)
    except work.ConflictError as exc:
        st.error(ui.plain(f"저장하지 않았습니다. {exc.detail}. 화면을 새로 고친 뒤 다시 고쳐 주십시오."))
    except (RoundSubmittedError, work.RefusedError) as exc:
        st.error(ui.plain(f"저장하지 않았습니다. {exc}"))
    except PermissionDeniedError:
        st.error("주요업무 항목과 추진계획은 기획조정실이 편집합니다.")
    else:
        st.session_state[FLASH] = done(result)
        st.session_state[STAMP] = st.session_state.get(STAMP, 0) + 1
        st.rerun()


def _item_inputs(prefix: str, item: Any | None) -> upkeep.ItemFields:
    title = st.text_input("사업명", value=item.title if item else "", key=f"{prefix}_title")
    lead = st.text_area("개요 (사업명 아래 한 문장)", value=item.lead if item else "", key=f"{prefix}_lead", height=68)
    purpose = st.text_area("목적", value=item.purpose if item else "", key=f"{prefix}_purpose", height=68)
    content = st.text_area("내용", value=item.content if item else "", key=f"{prefix}_content", height=68)
    cost = st.number_input(
        "사업비 (천원, 없으면 비움)",
        min_value=0,
        step=1000,
        value=item.cost_thousand if item else None,
        key=f"{prefix}_cost",
    )
    return upkeep.ItemFields(title, lead, purpose, content, int(cost) if cost is not None else None)


def _order(positions: dict[int, float]) -> list[int]:
    """Seqs sorted by the typed position (ties keep the current order)."""
    return [seq for seq, _ in sorted(positions.items(), key=lambda kv: (kv[1], list(positions).index(kv[0])))]


def edit_section(org_id: int, fiscal_year: int, actor: Actor) -> None:
    if ui.read_only_notice():  # a submitted round: its year is read-only
        return
    common = {"actor": actor, "org_id": org_id, "fiscal_year": fiscal_year}
    with ui.db() as s:  # fresh copies with their versions: each save checks they are still current
        areas = work.areas(s, org_id, fiscal_year)
        details = work.item_details(s, org_id, fiscal_year, actor=actor)
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(ui.plain(flash))
    task = st.segmented_control("할 일", TASKS, default=TASKS[0], key="work_upkeep_task")
    if task == "항목 추가":
        stamp = st.session_state.get(STAMP, 0)
        titles = {a.number: f"{a.number}. {a.title}" for a in areas}
        with st.form(f"work_add_{stamp}"):
            st.caption("분야의 마지막 항목 뒤에 새 항목을 둡니다. 번호는 분야의 다음 번호(예: 2-3)입니다.")
            area = st.selectbox("분야", list(titles), format_func=titles.__getitem__, key=f"wa_area_{stamp}")
            fields = _item_inputs(f"wa_{stamp}", None)
            go = st.form_submit_button("항목 추가", type="primary")
        if go:
            _save(
                upkeep.add_item,
                lambda p: f"{p.item_code} {p.title}: 항목을 추가했습니다.",
                area_number=area,
                fields=fields,
                **common,
            )
        return
    titles = {d.item.code: f"{d.item.code} {d.item.title}" for d in details}
    code = st.selectbox("주요업무", list(titles), format_func=titles.__getitem__, key="work_upkeep_item")
    with ui.db() as s:
        loaded = work.progress(s, org_id, fiscal_year, code)
    assert loaded is not None
    item = next(d.item for d in details if d.item.code == code)
    stamp = f"{code}_{loaded.version}"
    version = {"item_code": code, "expected_version": loaded.version}
    if task == "항목 수정·순서":
        with st.form(f"work_item_{stamp}"):
            fields = _item_inputs(f"wi_{stamp}", item)
            go = st.form_submit_button("항목 저장", type="primary")
        if go:
            _save(
                upkeep.edit_item,
                lambda p: f"{p.item_code} {p.title}: 저장했습니다.",
                fields=fields,
                **version,
                **common,
            )
        row = st.container(horizontal=True)
        for label, steps in (("분야 안에서 위로", -1), ("분야 안에서 아래로", 1)):
            if row.button(label, key=f"wi_move_{steps}"):
                _save(
                    upkeep.move_item,
                    lambda order: f"{titles[code]}: 옮겼습니다 (분야 안 순서 {' · '.join(order)}).",
                    item_code=code,
                    steps=steps,
                    **common,
                )
    elif task == "추진계획":
        with st.form(f"work_plans_{stamp}"):
            st.caption("추진계획의 내용·시기(9월, 연간, 매월, 상시 등)·세부 내용을 고칩니다. 진행 상태는 그대로입니다.")
            wanted: dict[int, upkeep.PlanFields] = {}
            positions: dict[int, float] = {}
            for n, p in enumerate(loaded.plans, 1):
                row = st.container(horizontal=True)
                positions[p.seq] = row.number_input("순서", value=n, step=1, key=f"wp_pos_{stamp}_{p.seq}", width=90)
                text = row.text_input("내용", value=p.text, key=f"wp_text_{stamp}_{p.seq}")
                timing = row.text_input("시기", value=p.timing, key=f"wp_timing_{stamp}_{p.seq}", width=110)
                detail = st.text_input("세부 내용", value=p.detail or "", key=f"wp_detail_{stamp}_{p.seq}")
                wanted[p.seq] = upkeep.PlanFields(text, timing, detail)
            edit = st.form_submit_button("추진계획 저장", type="primary")
            move = st.form_submit_button("적은 순서로 바꾸기")
        if edit:
            changed = {
                seq: f
                for seq, f in wanted.items()
                if (f.text, f.timing, f.detail or None)
                != next((p.text, p.timing, p.detail) for p in loaded.plans if p.seq == seq)
            }
            _save(
                upkeep.edit_plans,
                lambda p: f"{p.item_code}: 추진계획 {len(changed)}건을 저장했습니다.",
                plans=changed,
                **version,
                **common,
            )
        if move:
            _save(
                upkeep.reorder_plans,
                lambda p: f"{p.item_code}: 추진계획의 순서를 바꿨습니다.",
                order=_order(positions),
                **version,
                **common,
            )
        with st.form(f"work_plan_add_{stamp}"):
            st.markdown("**추진계획 추가** (마지막 계획 뒤에 둡니다)")
            row = st.container(horizontal=True)
            text = row.text_input("내용", key=f"wpa_text_{stamp}")
            timing = row.text_input("시기", key=f"wpa_timing_{stamp}", width=110)
            detail = st.text_input("세부 내용", key=f"wpa_detail_{stamp}")
            go = st.form_submit_button("추진계획 추가")
        if go:
            _save(
                upkeep.add_plan,
                lambda p: (
                    f"{p.item_code}: 추진계획 「{p.plans[-1].text}」{particle(p.plans[-1].text, '을')} 추가했습니다."
                ),
                fields=upkeep.PlanFields(text, timing, detail),
                **version,
                **common,
            )
    else:
        with st.form(f"work_bullets_{stamp}"):
            st.caption("추진내용 줄의 순서를 숫자로 적습니다. 줄의 내용은 '추진 실적 수정'에서 고칩니다.")
            positions = {}
            for n, a in enumerate(loaded.actions, 1):  # positions: the service maps them to the lines
                row = st.container(horizontal=True)
                positions[n] = row.number_input("순서", value=n, step=1, key=f"wb_pos_{stamp}_{n}", width=90)
                row.markdown(f"{ui.markdown_text(a.section)} · {MARKER.get(a.level, '')} {ui.markdown_text(a.text)}")
            go = st.form_submit_button("적은 순서로 바꾸기", type="primary")
        if go:
            _save(
                upkeep.reorder_bullets,
                lambda p: f"{p.item_code}: 추진내용의 순서를 바꿨습니다.",
                order=_order(positions),
                **version,
                **common,
            )
