"""추진일정: the tasks of the year by month, with their status on a chosen date."""

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
ui.chart("timeline_gantt", gantt_chart, tasks, on, ctx.fiscal_year)
ui.table(ui.derived(task_rows, tasks), key="timeline")


st.subheader("과제별 추진계획")
by_code = {t.code: t for t in tasks}
code = st.selectbox(
    "과제", list(by_code), format_func=lambda c: f"{by_code[c].area_number}. {by_code[c].name}", key="timeline_task"
)
task = by_code[code]
detail = next((d for d in details if d.item.code == task.work_item_code), None)
st.caption(f"월 도출 근거: {task.derivation}")
if detail:
    st.markdown(f"**{detail.item.code} {detail.item.title}**")
    if detail.plans:  # one element for the plans (as the major-work page prints them): elements cost per run
        st.text(
            "\n".join(f"○ {p.text} : {p.timing}" + (f"\n    - {p.detail}" if p.detail else "") for p in detail.plans)
        )
