"""행정사무감사: the 총괄 table (computed beside reported) and the items with filters."""

import streamlit as st

from audit_followup import service as audit
from audit_followup.models import CATEGORIES, STATUSES
from governance_app import formatting as fmt
from governance_app import ui

ctx = ui.current()
with ui.db() as s:
    session_row = audit.audit_session(s, ctx.org_id, ctx.audit_session_code)
    cells = audit.summary(s, ctx.org_id, ctx.audit_session_code)
title = session_row.name if session_row else ctx.audit_session_code
st.title(f"{title} 처리결과")
if session_row:
    st.caption(f"{session_row.committee} · {session_row.audited_body}")

st.subheader("총괄")
mismatches = [c for c in cells if not c.matches]
if mismatches:
    st.error(
        "보고된 총괄표가 개별 항목과 다릅니다: "
        + "; ".join(f"{c.category}·{c.status} 보고 {c.reported or 0} / 항목 {c.computed}" for c in mismatches)
    )
statuses = ["계", *STATUSES]
ui.table(
    [
        {
            "구분": category,
            **{
                status: f"{cell.computed}" + ("" if cell.matches else f" (보고 {cell.reported or 0})")
                for status in statuses
                for cell in [next(c for c in cells if c.category == category and c.status == status)]
            },
        }
        for category in ["계", *CATEGORIES]
    ],
    key="audit_summary",
)

st.subheader("처리요구사항")
f1, f2, f3 = st.columns(3)
category = f1.selectbox("구분", ["전체", *CATEGORIES], key="audit_category")
status = f2.selectbox("추진상황", ["전체", *STATUSES], key="audit_status")
with ui.db() as s:
    all_items = audit.items(s, ctx.org_id, ctx.audit_session_code)
departments = sorted({i.department for i in all_items if i.department})
department = f3.selectbox("부서", ["전체", *departments], key="audit_department")
with ui.db() as s:
    chosen = audit.items(
        s,
        ctx.org_id,
        ctx.audit_session_code,
        category=None if category == "전체" else category,
        status=None if status == "전체" else status,
        department=None if department == "전체" else department,
    )
st.write(f"{len(chosen)}건")
ui.table(
    [
        {
            "번호": i.code,
            "구분": i.category,
            "요구사항": i.request,
            "부서": i.department or "-",
            "추진상황": i.status,
            "조치일": fmt.date_short(i.action_date, month_only=i.action_date_is_month),
        }
        for i in chosen
    ],
    key="audit_items",
)
for i in chosen:
    with st.expander(f"{i.code} {i.request[:60]}"):
        st.markdown(f"**요구사항** {i.request}")
        st.markdown(f"**부서** {i.department or '-'} · **추진상황** {i.status}")
        if i.actions:
            st.markdown("**조치결과**")
            st.text(i.actions)
        if i.plan:
            st.markdown("**향후계획**")
            st.text(i.plan)
