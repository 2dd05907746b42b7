"""주요업무: the plans of each area by status, then the seven areas as lazy tabs, each with its
items' contents, plans (with how each stands) and contacts; the planning office and an item's own
department update its actions and report each plan's status, status date and note
(major_work.service.update_progress) in a lazy expander above the tabs.

Only the open tab (and the form while its expander is open) runs and is sent, and each item is one
markdown element (heading, the document's lines, 추진계획 table, contacts): Streamlit spends time
per element on every rerun."""

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from governance_app import ui
from governance_app.core import formatting as fmt
from governance_app.core.auth import PermissionDeniedError, may
from governance_app.core.errors import ConflictError, RefusedError
from governance_app.core.submitted import RoundSubmittedError
from governance_app.forms.major_work import edit_section
from major_work import service as work
from major_work import upkeep as work_upkeep
from major_work.models import WorkPlan

ctx = ui.current()
actor = ui.actor()
st.title("주요업무 추진 실적")
areas = ui.frozen(work.areas, ctx.org_id, ctx.fiscal_year)
# the service withholds contacts' names and extensions from roles that may not see personal data
details = ui.frozen(work.item_details, ctx.org_id, ctx.fiscal_year, actor=actor)
personal = ui.personal_data_allowed()
MARKER = {1: "○ ", 2: "- ", 3: "※ "}
INDENT = "\u2003"  # an em space: indents a line without making it a markdown list or code block
EDIT_TAB = "추진 실적 수정"


def cell(text: str | None) -> str:
    """Text for a markdown line or table cell: markdown characters escaped, one line."""
    return ui.markdown_lines(" ".join((text or "").split()))


def plans_table(plans: Sequence[WorkPlan | work.PlanProgress]) -> str:
    """추진계획 as one markdown table: the document's line, then how it stands."""
    rows = ["| 추진계획 | 시기 | 상태 | 진행 메모 |", "|---|---|---|---|"]
    for p in plans:
        text = cell(p.text) + (f" — {cell(p.detail)}" if p.detail else "")
        status = f"**{p.status}** ({fmt.date_ko(p.status_on)})" if p.status else work.NOT_REPORTED
        rows.append(f"| {text} | {cell(p.timing)} | {status} | {cell(p.progress_note)} |")
    return "**【추진계획】**\n\n" + "\n".join(rows)


def item_markdown(d: work.ItemDetail, personal: bool) -> str:
    """One item as the document prints it: heading, lead, purpose and content, the boxed summary,
    the 추진내용 lines (○ - ※ by level), the 추진계획 table and the contacts."""
    item = d.item
    cost = f"  \n**사업비** {fmt.amount(item.cost_thousand)}천원" if item.cost_thousand is not None else ""
    parts = [
        f"#### {cell(item.code)} {cell(item.title)}",
        f"{cell(item.lead)}\n\n**목적** {cell(item.purpose)}  \n**내용** {cell(item.content)}{cost}",
    ]
    if item.highlight:
        parts.append(f"> {cell(item.highlight)}")
    lines: list[str] = []
    section = None
    for b in d.bullets:
        if b.section != section:
            section = b.section
            lines.append(f"**【{cell(section)}】**")
        lines.append(INDENT * b.level + MARKER.get(b.level, "") + cell(b.text))
    if lines:
        parts.append("  \n".join(lines))
    if d.plans:
        parts.append(plans_table(d.plans))
    if personal and d.contacts:
        parts.append(
            ":gray[담당자 " + " · ".join(f"{cell(c.role)} {cell(c.name)} ☎ {cell(c.phone)}" for c in d.contacts) + "]"
        )
    elif d.departments:
        parts.append(":gray[담당 부서 " + " · ".join(cell(x) for x in d.departments) + "]")
    return "\n\n".join(parts)


def area_items(details: tuple, number: int, personal: bool) -> tuple[str, ...]:
    return tuple(item_markdown(d, personal) for d in details if d.item.area_number == number)


def summary_rows(summary: tuple) -> list[dict]:
    return [
        {"영역": f"{r.area_number}. {r.title}" if r.area_number is not None else r.title, **r.counts, "계": r.total}
        for r in summary
    ]


# --- updating an item's actions and progress ---------------------------------------------------

LOADED = "work_progress_loaded"
FLASH = "work_progress_flash"
# What is typed in the form survives closing the expander (Streamlit drops the state of a widget a
# run does not show, unless the run sets it again first, as pages/audit.py's KEPT does): every
# input widget of the form (these key prefixes; the upkeep form's "wp_pos_" etc. are its own), and
# the 추진내용 table as edited (a data editor's state cannot be set, so the edited table is kept and
# the editor reopens on it, under "wpt_" keys).
KEPT_PREFIX, TABLE_PREFIX = ("wp_hl_", "wp_status_", "wp_on_", "wp_note_"), "wpt_"
for widget_key in [k for k in st.session_state if isinstance(k, str) and k.startswith(KEPT_PREFIX)]:
    st.session_state[widget_key] = st.session_state[widget_key]


def forget_typed() -> None:
    """Drop what was typed in the form: after a save, or when the user reloads the item."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith((*KEPT_PREFIX, TABLE_PREFIX))]:
        del st.session_state[key]


COLUMNS = {"section": "구분", "level": "수준", "text": "내용"}
STATUS_OPTIONS = ["", *work.STATUSES]


def actions_of(frame: pd.DataFrame) -> list[work.Action]:
    """The edited 추진내용 table as lines; empty cells of an added row become values the service refuses."""
    out = []
    for row in frame.to_dict("records"):
        level = row.get("level")
        try:
            level = int(level)
        except (TypeError, ValueError):
            level = 0
        out.append(work.Action(str(row.get("section") or ""), level, str(row.get("text") or "")))
    return out


def progress_view(p: work.ItemProgress) -> None:
    if p.highlight:
        st.info(ui.plain(p.highlight))
    ui.table([{COLUMNS[k]: getattr(a, k) for k in COLUMNS} for a in p.actions], key="work_progress_current")
    st.markdown(plans_table(p.plans))


@st.fragment
def progress_section() -> None:
    """The form that updates one item's actions and its plans' status (the item's department or planning)."""
    if ui.read_only_notice():
        return
    mine = [d for d in details if work.may_update(actor, d.departments)]
    if not mine:
        st.info(
            f"소속 부서({actor.department or '없음'})가 담당하는 주요업무가 없습니다. "
            "주요업무는 담당자 목록의 부·실이 수정합니다."
        )
    else:
        st.caption(
            "추진내용(한 줄에 하나, 수준 1은 ○, 2는 -, 3은 ※), 추진내용 요약, 추진계획별 상태(예정·추진중·완료·지연)와 "
            "그 기준일, 진행 메모를 적습니다. 상태를 적으면 기준일도 적어야 합니다. 추진계획의 내용·시기·세부 내용은 "
            "기획조정실이 자료 편집 화면에서 고칩니다. 부서 사용자는 자기 부서의 주요업무만 수정할 수 있습니다."
        )
        flash = st.session_state.pop(FLASH, None)
        if flash:
            st.success(ui.plain(flash))
        titles = {d.item.code: f"{d.item.code} {d.item.title}" for d in mine}
        code = st.selectbox("주요업무", list(titles), format_func=titles.__getitem__, key="work_progress_item")
        loaded = st.session_state.get(LOADED)
        if loaded is None or loaded.item_code != code:
            with ui.db() as s:  # a fresh copy with its version: the save checks it is still current
                loaded = work.progress(s, ctx.org_id, ctx.fiscal_year, code)
            st.session_state[LOADED] = loaded
        assert loaded is not None
        stamp = f"{code}_{loaded.version}"  # new widgets (fresh values) once the item is reloaded
        # no st.form: a form sends its values only when submitted, so what was typed would be lost
        # when the expander closes; each widget sends its value and the section reruns alone
        with st.container(border=True):
            highlight = st.text_area("추진내용 요약 (상자 안 문장)", value=loaded.highlight or "", key=f"wp_hl_{stamp}")
            editor_key, base_key, edited_key = (
                f"{TABLE_PREFIX}{name}_{stamp}" for name in ("editor", "base", "edited")
            )
            if editor_key not in st.session_state or base_key not in st.session_state:
                # a new editor (first open, or reopened): it starts from the table as last edited
                st.session_state[base_key] = st.session_state.get(edited_key)
            base = st.session_state[base_key]
            frame = (
                base
                if base is not None
                else pd.DataFrame(
                    [{k: getattr(a, k) for k in COLUMNS} for a in loaded.actions], columns=list(COLUMNS), dtype=object
                )
            )
            edited = st.data_editor(
                frame,
                key=editor_key,
                num_rows="dynamic",
                hide_index=True,
                width="stretch",
                column_config={
                    "section": st.column_config.TextColumn(COLUMNS["section"], required=True),
                    "level": st.column_config.SelectboxColumn(COLUMNS["level"], options=[1, 2, 3], required=True),
                    "text": st.column_config.TextColumn(COLUMNS["text"], required=True, width="large"),
                },
            )
            st.session_state[edited_key] = edited
            st.markdown("**추진계획별 상태**")
            plans_in: dict[int, work.PlanUpdate] = {}
            for p in loaded.plans:
                st.markdown(
                    f"○ {cell(p.text)} : {cell(p.timing)}" + (f"  \n\u2003- {cell(p.detail)}" if p.detail else "")
                )
                row = st.container(horizontal=True)  # one block per plan, not one per column
                status_in = row.selectbox(
                    "상태",
                    STATUS_OPTIONS,
                    index=STATUS_OPTIONS.index(p.status or ""),
                    format_func=lambda v: v or f"({work.NOT_REPORTED})",
                    key=f"wp_status_{stamp}_{p.seq}",
                    width=150,
                )
                on_in = row.date_input(
                    "기준일", value=p.status_on, format="YYYY-MM-DD", key=f"wp_on_{stamp}_{p.seq}", width=160
                )
                note_in = row.text_input("진행 메모", value=p.progress_note or "", key=f"wp_note_{stamp}_{p.seq}")
                plans_in[p.seq] = work.PlanUpdate(status_in or None, on_in, note_in)
            save = st.button("저장", type="primary", key=f"work_progress_save_{stamp}")
        if save:
            try:
                with ui.db() as s:
                    saved = work.update_progress(
                        session=s,
                        actor=actor,
                        org_id=ctx.org_id,
                        fiscal_year=ctx.fiscal_year,
                        item_code=code,
                        expected_version=loaded.version,
                        highlight=highlight,
                        actions=actions_of(edited),
                        plans=plans_in,
                    )
            except ConflictError as exc:
                st.error(
                    ui.plain(
                        f"{exc.detail}. 저장하지 않았습니다. 지금 저장된 내용은 아래와 같습니다. "
                        "'다시 불러오기'를 누른 뒤 다시 고쳐 주세요."
                    )
                )
                progress_view(exc.current)
            except (RefusedError, RoundSubmittedError) as exc:
                st.error(ui.plain(f"저장하지 않았습니다: {exc}"))
            except PermissionDeniedError:
                st.error("이 주요업무를 수정할 권한이 없습니다.")
            else:
                st.session_state[FLASH] = f"{titles[code]}: 추진 실적을 저장했습니다 (버전 {saved.version})."
                st.session_state.pop(LOADED, None)
                forget_typed()
                st.rerun()
        if st.button("고친 내용을 버리고 다시 불러오기", key="work_progress_reload"):
            st.session_state.pop(LOADED, None)
            forget_typed()
            st.rerun()


summary = ui.frozen(work.status_summary, ctx.org_id, ctx.fiscal_year)
st.subheader("추진계획 상태")
ui.table(ui.derived(summary_rows, summary), key="work_status_summary")
st.caption("추진계획의 상태는 담당 부서 또는 기획조정실이 기준일과 함께 적습니다. 미보고: 아직 상태를 적지 않은 계획.")

if may(actor, work.UPDATE):
    opened = st.query_params.get("item")  # a link from the home page: that item's form, open
    if opened:
        st.session_state["work_progress_item"], st.session_state["work_edit"] = opened, True
        st.query_params.clear()
    # above the areas, whose seven tabs overflow the page width: collapsed, and lazy like them
    editor = st.expander(EDIT_TAB, key="work_edit", on_change="rerun")
    if editor.open:
        with editor:
            progress_section()

if may(actor, work_upkeep.EDIT):
    # the planning office's upkeep of the year's items and plans: collapsed and lazy too
    upkeep_editor = st.expander("항목·추진계획 편집", key="work_upkeep", on_change="rerun")
    if upkeep_editor.open:
        with upkeep_editor:
            if not ui.read_only_notice():
                edit_section(ctx.org_id, ctx.fiscal_year, actor)

tabs = st.tabs([f"{a.number}. {a.title}" for a in areas], key="work_view", on_change="rerun")
for area, tab in zip(areas, tabs, strict=True):
    if tab.open:
        with tab:
            for text in ui.derived(area_items, details, area.number, personal):
                st.markdown(text)
