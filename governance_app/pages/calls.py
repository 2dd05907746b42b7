"""상담 현황: channels, counts per channel and year, phone performance, daily averages."""

import streamlit as st

from calls import service as calls
from governance_app import formatting as fmt
from governance_app import ui

ctx = ui.current()
st.title("상담 현황")
with ui.db() as s:
    channels = calls.channels(s, ctx.org_id)
    menu = calls.ars_menu(s, ctx.org_id, ctx.fiscal_year)
    counts = calls.channel_table(s, ctx.org_id)
    phone = calls.phone_performance(s, ctx.org_id)
    daily = calls.daily_averages(s, ctx.org_id, ctx.call_period_code)

st.subheader(f"상담채널: {len(channels)}개 채널 운영")
st.write(", ".join(c.name for c in channels))
st.write("ARS: " + " ".join(f"{fmt.circled(m.key)} {m.label}" for m in menu))

st.subheader("상담채널별 상담건 수")
counted = [c for c in channels if c.group == "nonphone"]
ui.table(
    [
        {
            "연도": r.label,
            "총상담 건수": fmt.count(r.total),
            "전화상담": fmt.count(r.phone),
            "비전화 소계": fmt.count(r.nonphone),
            **{
                c.stats_label or c.name: ("미도입" if r.counts.get(c.code) is None else fmt.count(r.counts[c.code]))
                for c in counted
            },
        }
        for r in counts
    ],
    key="channel_counts",
)

st.subheader("연도별 전화상담 실적")
st.caption("응대율 = 응대량 / 인입량, 총인입 대비 응대율 = 응대량 / 총인입량 (2024 행정사무감사 요구)")
ui.table(
    [
        {
            "연도": r.label,
            "총인입량(건)": fmt.count(r.total_inflow),
            "인입량(건)": fmt.count(r.inflow),
            "응대량(건)": fmt.count(r.answered),
            "응대율(%)": fmt.percent(r.answer_rate),
            "총인입 대비 응대율(%)": fmt.percent(r.total_answer_rate),
        }
        for r in phone
    ],
    key="phone_performance",
)

st.subheader("일평균 상담건 수")
ui.table(
    [{"구분": r.label, "일평균(건)": fmt.count(r.average), "비중(%)": fmt.percent(r.share_reported)} for r in daily],
    key="daily_average",
)
