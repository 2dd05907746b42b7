"""조직·인력: departments with their duties and staffing by grade."""

import streamlit as st

from governance_app import intake_form, ui
from governance_app.core import formatting as fmt
from staffing import service as staffing
from staffing.charts import grades_chart

ctx = ui.current()
st.title("조직 및 인력")
# read-only and shared (ui.frozen): the tables and the chart are built once per data revision
departments = ui.frozen(staffing.departments, ctx.org_id, ctx.fiscal_year)
snapshot = ui.frozen(staffing.latest_snapshot, ctx.org_id, on=ctx.report_date)
grades = ui.frozen(staffing.grades, ctx.org_id, snapshot.code) if snapshot else ()


def department_rows(departments: tuple) -> list[dict]:
    names = {d.code: d.name for d in departments}
    return [
        {
            "소속": names.get(d.parent_code, "-") if d.parent_code else "-",
            "부서": d.name,
            "구분": d.kind,
            "주요업무": d.duties or "",
        }
        for d in departments
        if d.kind != "본부"
    ]


def grade_rows(grades: tuple) -> list[dict]:
    quota, current, short = staffing.totals(grades)
    header = ["계", *[g.label for g in grades]]
    return [
        {"구분": "정원", **dict(zip(header, [fmt.count(quota), *[fmt.count(g.quota) for g in grades]], strict=True))},
        {
            "구분": "현원",
            **dict(zip(header, [fmt.count(current), *[fmt.count(g.current) for g in grades]], strict=True)),
        },
        {
            "구분": "과부족",
            **dict(zip(header, [fmt.amount(short), *[fmt.amount(g.shortfall) for g in grades]], strict=True)),
        },
    ]


kinds = [d.kind for d in departments]
st.subheader(f"조직: {kinds.count('본부')}본부 {kinds.count('실')}실 {kinds.count('부')}부")
ui.table(ui.derived(department_rows, departments), key="departments")

if snapshot:
    quota, current, short = staffing.totals(grades)
    st.subheader(f"인력: 정원 {quota}명 (현원 {current}명)")
    # A line starting "2025. 9." would be read as a numbered list: the date goes after a word.
    st.caption(f"기준일 {fmt.date_ko(snapshot.as_of)} · 계는 정원外 인원을 제외합니다.")
    ui.table(ui.derived(grade_rows, grades), key="grades")
    st.caption(" · ".join(f"{g.label}: {g.group_label}" for g in grades))
    ui.chart("staffing_grades", grades_chart, grades, f"{fmt.date_ko(snapshot.as_of)} 기준")

intake_form.expander("staffing")
