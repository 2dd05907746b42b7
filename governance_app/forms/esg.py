"""ESG upkeep forms (planning office): the year's activities, healing programmes and emotional-labour
figures, each form one call of ``esg.upkeep``. Rows are chosen by title or name ("새 …" adds one);
related work items by number and title. Keys carry the row's version: a refused save keeps the
input, a saved one starts afresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from esg import service as esg
from esg import upkeep
from governance_app import ui
from governance_app.core.auth import Actor, PermissionDeniedError
from governance_app.core.errors import ConflictError
from governance_app.core.i18n import josa
from governance_app.core.submitted import RoundSubmittedError
from major_work import service as work

FLASH = "esg_upkeep_flash"
STAMP = "esg_upkeep_stamp"
NEW = ""
TASKS = ["ESG 활동", "힐링 프로그램", "감정노동 보호 실적"]


def _save(call: Callable[..., Any], done: str, **kwargs: Any) -> None:
    try:
        with ui.db() as s:
            call(session=s, **kwargs)
    except (RoundSubmittedError, upkeep.EsgRefusedError, ConflictError) as exc:
        st.error(ui.plain(f"저장하지 않았습니다. {exc}"))
    except PermissionDeniedError:
        st.error("ESG 자료는 기획조정실이 편집합니다.")
    else:
        st.session_state[FLASH] = done
        st.session_state[STAMP] = st.session_state.get(STAMP, 0) + 1
        st.rerun()


def _choose(label: str, rows: dict[Any, str], key: str, new: str) -> Any:
    return st.selectbox(label, [NEW, *rows], format_func=lambda k: new if k == NEW else rows[k], key=key)


def edit_section(org_id: int, fiscal_year: int, actor: Actor) -> None:
    if ui.read_only_notice():  # a submitted round: its year is read-only
        return
    with ui.db() as s:  # fresh rows with their versions
        activities = esg.activities(s, org_id, fiscal_year)
        programmes = esg.healing_programmes(s, org_id, fiscal_year)
        figures = [f for f in esg.figures(s, org_id) if f.fiscal_year == fiscal_year]
        items = {
            i.code: f"{i.code} {i.title}"
            for i in (d.item for d in work.item_details(s, org_id, fiscal_year, actor=actor))
        }
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(ui.plain(flash))
    stamp = st.session_state.get(STAMP, 0)
    common = {"actor": actor, "org_id": org_id, "fiscal_year": fiscal_year}
    codes = list(items)
    if not codes:  # activities and figures name the work item they belong to
        st.info(f"{fiscal_year}년 주요업무 항목이 없어 ESG 자료를 적을 수 없습니다. 먼저 주요업무 항목을 추가하십시오.")
        return
    task = st.segmented_control("편집할 자료", TASKS, default=TASKS[0], key="esg_upkeep_task")
    if task == "ESG 활동":
        by_code = {a.code: a for a in activities}
        code = _choose("활동", {a.code: a.title for a in activities}, f"ea_pick_{stamp}", "(새 활동 추가)")
        a = by_code.get(code)
        k = f"ea_{stamp}_{code}_{a.version if a else 0}"
        categories = list(upkeep.CATEGORIES)
        with st.form(f"esg_activity_{k}"):
            category = st.selectbox(
                "구분",
                categories,
                index=categories.index(a.category) if a else 0,
                format_func=lambda c: f"{c} {esg.CATEGORY_NAMES[c]}",
                key=f"{k}_category",
            )
            title = st.text_input("활동", value=a.title if a else "", key=f"{k}_title")
            detail = st.text_area("내용", value=(a.detail or "") if a else "", key=f"{k}_detail", height=68)
            row = st.container(horizontal=True)
            on = row.date_input("일자", value=a.event_date if a else None, format="YYYY-MM-DD", key=f"{k}_date")
            timing = row.text_input(
                "시기 (일자가 없을 때, 예: 9월)", value=(a.timing or "") if a else "", key=f"{k}_timing"
            )
            item = st.selectbox(
                "관련 주요업무",
                codes,
                index=codes.index(a.work_item_code) if a and a.work_item_code in codes else len(codes) - 1,
                format_func=items.__getitem__,
                key=f"{k}_item",
            )
            save = st.form_submit_button("활동 저장" if a else "활동 추가", type="primary")
            delete = st.form_submit_button("이 활동 삭제") if a else False
        fields = upkeep.ActivityFields(category, title, item, detail, on, timing)
        if save and a is None:
            _save(
                upkeep.add_activity,
                f"ESG 활동 {josa('「' + title.strip() + '」', '을')} 추가했습니다.",
                fields=fields,
                **common,
            )
        elif save and a is not None:
            _save(
                upkeep.edit_activity,
                f"ESG 활동 {josa('「' + title.strip() + '」', '을')} 저장했습니다.",
                code=a.code,
                expected_version=a.version,
                fields=fields,
                **common,
            )
        elif delete and a is not None:
            _save(
                upkeep.delete_activity,
                f"ESG 활동 {josa('「' + a.title + '」', '을')} 삭제했습니다.",
                code=a.code,
                expected_version=a.version,
                **common,
            )
    elif task == "힐링 프로그램":
        by_seq = {p.seq: p for p in programmes}
        seq = _choose("프로그램", {p.seq: p.name for p in programmes}, f"eh_pick_{stamp}", "(새 프로그램 추가)")
        p = by_seq.get(seq)
        k = f"eh_{stamp}_{seq}_{p.version if p else 0}"
        with st.form(f"esg_programme_{k}"):
            row = st.container(horizontal=True)
            category = row.text_input("구분", value=p.category if p else "", key=f"{k}_category")
            name = row.text_input("프로그램명", value=p.name if p else "", key=f"{k}_name")
            department = row.text_input("담당부서", value=p.department if p else "", key=f"{k}_department")
            content = st.text_area("내용", value=(p.content or "") if p else "", key=f"{k}_content", height=68)
            save = st.form_submit_button("프로그램 저장" if p else "프로그램 추가", type="primary")
        fields = upkeep.ProgrammeFields(category, name, department, content)
        if save and p is None:
            _save(
                upkeep.add_programme,
                f"힐링 프로그램 {josa('「' + name.strip() + '」', '을')} 추가했습니다.",
                fields=fields,
                **common,
            )
        elif save and p is not None:
            _save(
                upkeep.edit_programme,
                f"힐링 프로그램 {josa('「' + name.strip() + '」', '을')} 저장했습니다.",
                seq=p.seq,
                expected_version=p.version,
                fields=fields,
                **common,
            )
    else:
        by_code = {f.code: f for f in figures}
        code = _choose("실적 항목", {f.code: f.label for f in figures}, f"ef_pick_{stamp}", "(새 항목 추가)")
        f = by_code.get(code)
        k = f"ef_{stamp}_{code}_{f.version if f else 0}"
        with st.form(f"esg_figure_{k}"):
            label = st.text_input("항목", value=f.label if f else "", key=f"{k}_label")
            row = st.container(horizontal=True)
            value = row.number_input("실적", min_value=0, step=1, value=f.value if f else None, key=f"{k}_value")
            unit = row.text_input("단위", value=f.unit if f else "", key=f"{k}_unit", width=100)
            qualifier = row.text_input("비고 (예: 여명)", value=(f.qualifier or "") if f else "", key=f"{k}_qualifier")
            item = st.selectbox(
                "관련 주요업무",
                codes,
                index=codes.index(f.work_item_code) if f and f.work_item_code in codes else 0,
                format_func=items.__getitem__,
                key=f"{k}_item",
            )
            save = st.form_submit_button("실적 저장" if f else "실적 추가", type="primary")
        fields = upkeep.FigureFields(label, int(value) if value is not None else None, unit, item, qualifier)
        if save and f is None:
            _save(
                upkeep.add_figure,
                f"감정노동 보호 실적 {josa('「' + label.strip() + '」', '을')} 추가했습니다.",
                fields=fields,
                **common,
            )
        elif save and f is not None:
            _save(
                upkeep.edit_figure,
                f"감정노동 보호 실적 {josa('「' + label.strip() + '」', '을')} 저장했습니다.",
                code=f.code,
                expected_version=f.version,
                fields=fields,
                **common,
            )
