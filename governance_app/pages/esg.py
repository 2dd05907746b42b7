"""ESG·감정노동: activities by E/S/G, the healing programmes and the figures."""

import streamlit as st

from esg import service as esg
from governance_app import formatting as fmt
from governance_app import ui

ctx = ui.current()
st.title("ESG 경영 및 감정노동 보호")
with ui.db() as s:
    activities = esg.activities(s, ctx.org_id, ctx.fiscal_year)
    programmes = esg.healing_programmes(s, ctx.org_id, ctx.fiscal_year)
    figures = esg.figures(s, ctx.org_id)

st.subheader("감정노동 보호 실적")
cols = st.columns(4)
for i, f in enumerate(f for f in figures if f.fiscal_year == ctx.fiscal_year):
    cols[i % 4].metric(f.label, f"{fmt.count(f.value)}{f.unit}", help=f.qualifier)

st.subheader("ESG 활동")
st.caption("E·S·G 구분은 재단 문서에 없어 본 시스템이 분류했습니다.")
ui.table(
    [
        {
            "구분": a.category,
            "활동": a.title,
            "내용": a.detail or "",
            "일자": fmt.date_ko(a.event_date) or (a.timing or ""),
        }
        for a in activities
    ],
    key="esg_activities",
)

st.subheader(f"{ctx.fiscal_year}년 힐링 프로그램")
ui.table(
    [
        {"구분": p.category, "프로그램명": p.name, "내용": p.content or "(원문 추출 누락)", "담당부서": p.department}
        for p in programmes
    ],
    key="healing",
)
