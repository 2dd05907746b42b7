"""예산: revenue, the expenditure hierarchy and execution as of a recorded date."""

import streamlit as st

from budget import service as budget
from governance_app import formatting as fmt
from governance_app import ui
from governance_app.i18n import BUDGET_LEVEL

ctx = ui.current()
st.title(f"{ctx.fiscal_year}년 예산 현황")
with ui.db() as s:
    years = (ctx.fiscal_year - 1, ctx.fiscal_year)
    revenue = budget.budget_table(s, ctx.org_id, "revenue", years)
    expenditure = budget.budget_table(s, ctx.org_id, "expenditure", years)
    dates = budget.execution_dates(s, ctx.org_id)


def budget_rows(rows: list[budget.BudgetRow]) -> list[dict]:
    base, year = years
    return [
        {
            "구분": BUDGET_LEVEL[r.level],
            "과목": "　" * r.depth + r.name,
            f"{base}년": fmt.amount(r.amounts.get(base)),
            f"{year}년": fmt.amount(r.amounts.get(year)),
            "증감": fmt.amount(r.change),
        }
        for r in rows
    ]


st.subheader("세입예산")
st.caption("(단위: 천원)")
ui.table(budget_rows(revenue), key="revenue")
st.subheader("세출예산")
st.caption("(단위: 천원) 정책 > 단위 > 세부사업")
ui.table(budget_rows(expenditure), key="expenditure")

st.subheader("예산 집행 현황")
if dates:
    as_of = st.selectbox("기준일", dates, index=len(dates) - 1, format_func=fmt.date_ko, key="execution_as_of")
    with ui.db() as s:
        rows = budget.execution(s, ctx.org_id, as_of)
    show_contacts = ui.personal_data_allowed()
    st.caption(f"(단위: 천원, %) 연중 경과율 {fmt.percent(rows[0].elapsed if rows else None)}%")
    ui.table(
        [
            {
                "구분": r.label,
                "예산액": fmt.amount(r.budget),
                "집행액": fmt.amount(r.executed),
                "집행률": fmt.percent(r.rate),
                "잔액": fmt.amount(r.remaining),
                "경과율 대비(%p)": fmt.points(r.gap),
                **({"부장": r.contacts["manager_name"], "담당": r.contacts["officer_name"]} if show_contacts else {}),
            }
            for r in rows
        ],
        key="execution",
    )
