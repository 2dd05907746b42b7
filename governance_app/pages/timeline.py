"""추진일정: the tasks of the year by month, with their status on a chosen date: the Gantt chart,
the month table and each task's work-item plans, as lazy tabs (only the open one runs and is
sent; the chart and the 28-row table are what cost Streamlit time on every rerun)."""

from datetime import date

import streamlit as st

from governance_app import ui
from major_work import service as work
from timeline import service as timeline
from timeline.charts import gantt_chart

ctx = ui.current()
st.title(f"{ctx.fiscal_year}년 사업별 추진 현황")
on = st.date_input("기준일", value=ctx.report_date, key="timeline_on", format="YYYY-MM-DD")
on = on if isinstance(on, date) else ctx.report_date
# read-only and shared (ui.frozen): the table and the chart are built once per date and revision
tasks = ui.frozen(timeline.tasks, ctx.org_id, ctx.fiscal_year, on)
details = ui.frozen(work.item_details, ctx.org_id, ctx.fiscal_year, actor=ui.actor())
MARK = {"완료": "●", "추진": "◐", "예정": "○"}


def task_rows(tasks: tuple) -> list[dict]:
    return [
        {
            "구분": f"{t.area_number}. {t.area_title}",
            "추진내용": t.name,
            "상태": t.status,
            **{f"{m}월": MARK.get(t.months.get(m, ""), "") for m in range(1, 13)},
        }
        for t in tasks
    ]


st.caption(
    "원문의 간트 표시가 추출 과정에서 사라져, 각 과제의 월은 해당 사업의 추진계획에서 도출했습니다. "
    "● 완료 ◐ 추진 ○ 예정 (기준일의 월 기준)"
)
chart_tab, table_tab, plans_tab = st.tabs(
    ["간트 차트", "월별 표", "과제별 추진계획"], key="timeline_view", on_change="rerun"
)
if chart_tab.open:
    with chart_tab:
        ui.chart("timeline_gantt", gantt_chart, tasks, on, ctx.fiscal_year)
if table_tab.open:
    with table_tab:
        ui.table(ui.derived(task_rows, tasks), key="timeline")


def plans_text(task: timeline.TaskRow, detail: work.ItemDetail | None) -> str:
    """The task's month derivation and its work item's plans, as one markdown element."""
    text = f":gray[월 도출 근거: {ui.markdown_text(task.derivation)}]"
    if detail:
        text += f"\n\n**{ui.markdown_text(f'{detail.item.code} {detail.item.title}')}**"
        for p in detail.plans:
            text += f"  \n○ {ui.markdown_text(p.text)} : {ui.markdown_text(p.timing)}"
            if p.detail:
                text += f"  \n\u2003\u2003- {ui.markdown_text(p.detail)}"
    return text


# the chosen task outlives its widget while another tab is open (Streamlit drops the state of a
# widget that was not drawn in a run unless the key is written each run)
if "timeline_task" in st.session_state:
    st.session_state["timeline_task"] = st.session_state["timeline_task"]
if plans_tab.open:
    with plans_tab:
        by_code = {t.code: t for t in tasks}
        code = st.selectbox(
            "과제",
            list(by_code),
            format_func=lambda c: f"{by_code[c].area_number}. {by_code[c].name}",
            key="timeline_task",
        )
        task = by_code[code]
        st.markdown(plans_text(task, next((d for d in details if d.item.code == task.work_item_code), None)))
