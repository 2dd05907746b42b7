"""개요: headline figures from the database and the reconciliation findings."""

import streamlit as st

from audit_followup import service as audit
from board import service as board
from board.appointments import APPOINT
from budget import execution as budget_execution
from budget import service as budget
from calls import service as calls
from governance_app import quality, ui
from governance_app.core import clock
from governance_app.core import formatting as fmt
from governance_app.core.auth import may

ctx = ui.current()
st.title(f"{ctx.org_name} {ctx.report_title}")
today = clock.today()
total = ui.cached(budget.total_budget, ctx.org_id, ctx.fiscal_year)
dates = ui.cached(budget_execution.execution_dates, ctx.org_id, ctx.fiscal_year)
if dates and st.session_state.get("overview_as_of") not in dates:
    st.session_state["overview_as_of"] = dates[-1]  # the latest snapshot at first
as_of = st.selectbox("예산 집행 기준일", dates, format_func=fmt.date_ko, key="overview_as_of") if dates else None
executed = ui.cached(budget_execution.execution_total, ctx.org_id, as_of) if as_of else None
audit_counts = ui.cached(audit.status_counts, ctx.org_id, ctx.audit_session_code)
phone = {p.period_code: p for p in ui.cached(calls.phone_performance, ctx.org_id)}.get(ctx.call_period_code)
heads = ui.cached(board.headcount, ctx.org_id, ctx.report_date)
heads_today = ui.cached(board.headcount, ctx.org_id, today)
# values of findings on personal fields are withheld from roles that may not see personal data
review = ui.frozen(quality.review, actor=ui.actor())  # read-only and shared: its tables are built once
names = ui.frozen(quality.record_names)

st.caption(
    f"보고 {fmt.month_ko(ctx.report_date)} · "
    + (f"예산 집행 {fmt.date_ko(as_of)} 기준" if as_of else "예산 집행 기록 없음")
    + " · 감사 후속조치 현황: "
    + " · ".join(f"{k} {v}건" for k, v in audit_counts.items() if k != "계")
)
# horizontal containers, not st.columns: one block per row instead of one per column
first_row = st.container(horizontal=True)
first_row.metric(f"{ctx.fiscal_year}년 예산", f"{fmt.amount(total)}천원")
if executed:
    first_row.metric(
        f"집행률 ({fmt.date_short(executed.as_of)} 기준)",
        f"{fmt.percent(executed.rate)}%",
        help=f"집행액 {fmt.amount(executed.executed)}천원 / 예산 {fmt.amount(executed.budget)}천원",
    )
first_row.metric(
    "행정사무감사 후속조치",
    f"{audit_counts['계']}건",
    help=" · ".join(f"{k} {v}" for k, v in audit_counts.items() if k != "계"),
)
second_row = st.container(horizontal=True)
if phone:
    second_row.metric(
        f"{phone.label} 응대율",
        f"{fmt.percent(phone.answer_rate)}%",
        help=f"총인입 대비 응대율 {fmt.percent(phone.total_answer_rate)}%",
    )
second_row.metric("임원 (보고 기준)", f"이사 {heads['directors']}명 · 감사 {heads['auditors']}명")
second_row.metric(
    f"임원 (오늘 {fmt.date_short(today)})", f"이사 {heads_today['directors']}명 · 감사 {heads_today['auditors']}명"
)
if heads_today != heads:
    where = " 후임 선임·연임은 이사회 화면의 '임원 선임·연임·퇴임'에서 기록합니다." if may(ui.actor(), APPOINT) else ""
    differs = f"오늘({fmt.date_ko(today)}) 기준 재임 임원이 보고서 기준과 다릅니다."
    st.warning(ui.plain(f"{differs} 이사회 화면에서 임기 현황을 확인하십시오.{where}"))

st.markdown(
    f"#### 보고서에 인쇄된 불일치 {len(review.printed)}건\n\n"
    ":gray[보고서에 적힌 합계·비율과 세부 자료에서 계산한 값의 차이입니다. 자료는 인쇄된 그대로 보관합니다.]"
)
if review.printed:
    ui.findings_table(review.printed, names=names, key="overview_findings")
else:
    st.success("보고서의 모든 합계와 비율이 세부 자료와 일치합니다.")
st.markdown(
    f"#### 보고서 이후 변경으로 생긴 차이 {len(review.since)}건\n\n"
    ":gray[보고서 이후 자료를 고치면서 보고된 값과 달라진 곳입니다 (예: 완료 항목을 다시 추진중으로 바꾸면 총괄표와 "
    "달라집니다).]"
)
if review.since:
    ui.findings_table(review.since, names=names, key="overview_changes")
else:
    st.success("보고서 이후 바뀐 자료로 생긴 차이가 없습니다.")
