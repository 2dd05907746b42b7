"""ESG·감정노동: the emotional-labour figures (with their trend once several years exist),
activities by E/S/G with their dates, and the healing programmes; the planning office edits the
year's activities, programmes and figures in forms (esg.upkeep) in a lazy expander."""

import streamlit as st

from esg import service as esg
from esg import upkeep as esg_upkeep
from esg.charts import figure_trend
from governance_app import ui
from governance_app.core import formatting as fmt
from governance_app.core.auth import may
from governance_app.forms.esg import edit_section

ctx = ui.current()
st.title("ESG 경영 및 감정노동 보호")
# read-only and shared (ui.frozen): the tables and the chart are built once per data revision
activities = ui.frozen(esg.activities, ctx.org_id, ctx.fiscal_year)
programmes = ui.frozen(esg.healing_programmes, ctx.org_id, ctx.fiscal_year)
figures = ui.frozen(esg.figures, ctx.org_id)


def activity_rows(activities: tuple) -> list[dict]:
    return [
        {
            "구분": f"{a.category} {esg.CATEGORY_NAMES.get(a.category, '')}".strip(),
            "활동": a.title,
            "내용": a.detail or "",
            "일자": fmt.date_ko(a.event_date) or (f"{a.timing} 예정" if a.timing else ""),
        }
        for a in activities
    ]


def programme_rows(programmes: tuple) -> list[dict]:
    return [
        {"구분": p.category, "프로그램명": p.name, "내용": p.content or "(원문 추출 누락)", "담당부서": p.department}
        for p in programmes
    ]


if may(ui.actor(), esg_upkeep.EDIT):
    editor = st.expander(f"{ctx.fiscal_year}년 ESG 자료 편집", key="esg_edit", on_change="rerun")
    if editor.open:
        with editor:
            edit_section(ctx.org_id, ctx.fiscal_year, ui.actor())

st.subheader("감정노동 보호 실적")
cols = st.columns(4)
for i, f in enumerate(f for f in figures if f.fiscal_year == ctx.fiscal_year):
    change = esg.change(figures, f)
    cols[i % 4].metric(
        f.label,
        "미보고" if f.value is None else f"{fmt.count(f.value)}{f.unit}",
        delta=f"{change[0]:+,}{f.unit} ({change[1]}년 대비)" if change else None,
        help=f.qualifier,
    )
trends = ui.derived(esg.trends, figures)
if trends:
    ui.chart("esg_trend", figure_trend, trends)
else:
    st.caption("연도별 추이는 같은 항목의 실적이 두 해 이상 쌓이면 그래프로 표시됩니다.")

st.subheader("ESG 활동")
st.caption("E·S·G 구분은 재단 문서에 없어 본 시스템이 분류했습니다.")
st.write(
    " · ".join(
        f"{code} {name} {sum(a.category == code for a in activities)}건" for code, name in esg.CATEGORY_NAMES.items()
    )
)
ui.table(ui.derived(activity_rows, activities), key="esg_activities")

st.subheader(f"{ctx.fiscal_year}년 힐링 프로그램")
ui.table(ui.derived(programme_rows, programmes), key="healing")
