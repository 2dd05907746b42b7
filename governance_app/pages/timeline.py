"""추진일정: the tasks of the year by month, with their status on a chosen date."""

from datetime import date

import streamlit as st

from governance_app import ui
from timeline import service as timeline

ctx = ui.current()
st.title(f"{ctx.fiscal_year}년 사업별 추진 현황")
on = st.date_input("기준일", value=ctx.report_date, key="timeline_on", format="YYYY-MM-DD")
with ui.db() as s:
    tasks = timeline.tasks(s, ctx.org_id, ctx.fiscal_year, on if isinstance(on, date) else ctx.report_date)
st.caption(
    "원문의 간트 표시가 추출 과정에서 사라져, 각 과제의 월은 해당 사업의 추진계획에서 도출했습니다. "
    "● 완료 ◐ 추진 ○ 예정 (기준일의 월 기준)"
)
MARK = {"완료": "●", "추진": "◐", "예정": "○"}
ui.table(
    [
        {
            "구분": f"{t.area_number}. {t.area_title}",
            "추진내용": t.name,
            "상태": t.status,
            **{f"{m}월": MARK.get(t.months.get(m, ""), "") for m in range(1, 13)},
        }
        for t in tasks
    ],
    key="timeline",
    height=900,
)
