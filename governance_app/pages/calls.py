"""상담 현황: channels, counts per channel and year, phone performance, daily averages.

Every read is read-only and shared (ui.frozen), so the tables and charts are built once per data
revision (ui.derived, ui.chart), not on every rerun. The three sections, each a chart and its table,
are lazy tabs: only the open one runs and is sent (a chart costs Streamlit more than the rest of a
section)."""

import streamlit as st

from calls import service as calls
from calls.charts import channel_mix_chart, daily_share_chart, phone_chart
from governance_app import intake_form, ui
from governance_app.core import formatting as fmt
from governance_app.core.i18n import josa

ctx = ui.current()
st.title("상담 현황")
channels = ui.frozen(calls.channels, ctx.org_id)
menu = ui.frozen(calls.ars_menu, ctx.org_id, ctx.fiscal_year)
counts = ui.frozen(calls.channel_table, ctx.org_id)
phone = ui.frozen(calls.phone_performance, ctx.org_id)
daily = ui.frozen(calls.daily_averages, ctx.org_id, ctx.call_period_code)
spans = {r.period_code: calls.partial_span(r.start_date, r.end_date) for r in counts}
partial = [f"{josa(r.label, '은')} {spans[r.period_code]} 실적" for r in counts if spans[r.period_code]]
period = next((r for r in counts if r.period_code == ctx.call_period_code), None)


def count_rows(counts: tuple, channels: tuple) -> list[dict]:
    counted = [c for c in channels if c.group == "nonphone"]
    return [
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
    ]


def phone_rows(phone: tuple) -> list[dict]:
    return [
        {
            "연도": r.label,
            "총인입량(건)": fmt.count(r.total_inflow),
            "인입량(건)": fmt.count(r.inflow),
            "응대량(건)": fmt.count(r.answered),
            "응대율(%)": fmt.percent(r.answer_rate),
            "총인입 대비 응대율(%)": fmt.percent(r.total_answer_rate),
        }
        for r in phone
    ]


def daily_rows(daily: tuple) -> list[dict]:
    return [
        {"구분": r.label, "일평균(건)": fmt.count(r.average), "비중(%)": fmt.percent(r.share_reported)} for r in daily
    ]


st.markdown(
    f"#### 상담채널: {len(channels)}개 채널 운영\n\n"
    + ui.markdown_text(", ".join(c.name for c in channels))
    + "  \nARS: "
    + ui.markdown_text(" ".join(f"{fmt.circled(m.key)} {m.label}" for m in menu))
)

span = ", ".join(x for x in (period.label, spans[period.period_code]) if x) if period else ""
TABS = ["상담채널별 상담건 수", "연도별 전화상담 실적", f"일평균 상담건 수 ({span})" if span else "일평균 상담건 수"]
counts_tab, phone_tab, daily_tab = st.tabs(TABS, key="calls_view", on_change="rerun")

if counts_tab.open:
    with counts_tab:
        if partial:
            st.caption("※ " + ", ".join(partial) + "입니다 (연간 실적과 바로 비교하지 마십시오).")
        ui.chart("channel_mix_chart", channel_mix_chart, counts, channels)
        ui.table(ui.derived(count_rows, counts, channels), key="channel_counts")

if phone_tab.open:
    with phone_tab:
        st.caption("응대율 = 응대량 / 인입량, 총인입 대비 응대율 = 응대량 / 총인입량 (2024 행정사무감사 요구)")
        latest = next((r for r in phone if r.period_code == ctx.call_period_code), None)
        if latest:
            label = latest.label
            row = st.container(horizontal=True)
            row.metric(
                f"{label} 인입량", f"{fmt.count(latest.inflow)}건", help=f"총인입량 {fmt.count(latest.total_inflow)}건"
            )
            row.metric(f"{label} 응대량", f"{fmt.count(latest.answered)}건")
            row.metric(f"{label} 응대율", f"{fmt.percent(latest.answer_rate)}%", help="응대량 / 인입량")
            row.metric(
                f"{label} 총인입 대비 응대율", f"{fmt.percent(latest.total_answer_rate)}%", help="응대량 / 총인입량"
            )
        ui.chart("phone_chart", phone_chart, phone)
        ui.table(ui.derived(phone_rows, phone), key="phone_performance")

if daily_tab.open:
    with daily_tab:
        ui.chart("daily_share_chart", daily_share_chart, daily, span)
        ui.table(ui.derived(daily_rows, daily), key="daily_average")

intake_form.expander("calls")
