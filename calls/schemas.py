"""Value rules and reconciliation of the call statistics."""

from __future__ import annotations

from typing import Any

import pandera.pandas as pa

from governance_app.core.checks import Dataset, compare, compare_figure, rows
from governance_app.core.findings import Finding, error
from governance_app.core.numbers import divide_half_up, rate

NON_NEGATIVE = pa.Check.ge(0)
PERCENT = pa.Check.in_range(0, 100)

SCHEMAS = {
    "channel": pa.DataFrameSchema({"group": pa.Column(checks=pa.Check.isin(["phone", "nonphone", "other"]))}),
    "call_period": pa.DataFrameSchema(
        {"total_reported": pa.Column(checks=NON_NEGATIVE), "nonphone_reported": pa.Column(checks=NON_NEGATIVE)}
    ),
    "channel_count": pa.DataFrameSchema({"count": pa.Column(checks=NON_NEGATIVE, nullable=True)}),
    "daily_average": pa.DataFrameSchema(
        {"average": pa.Column(checks=NON_NEGATIVE), "share_reported": pa.Column(checks=PERCENT)}
    ),
    "phone_performance": pa.DataFrameSchema(
        {
            "total_inflow": pa.Column(checks=NON_NEGATIVE),
            "inflow": pa.Column(checks=NON_NEGATIVE),
            "answered": pa.Column(checks=NON_NEGATIVE),
            "answer_rate_reported": pa.Column(checks=PERCENT),
        }
    ),
}


def period_days(period: dict[str, Any]) -> int:
    return int((period["end_date"] - period["start_date"]).days) + 1


def reconcile(ds: Dataset) -> list[Finding]:
    out: list[Finding] = []
    groups = {c["code"]: c["group"] for c in rows(ds, "channel")}
    counts: dict[str, dict[str, int | None]] = {}
    for c in rows(ds, "channel_count"):
        counts.setdefault(c["period_code"], {})[c["channel_code"]] = c["count"]
        key = f"{c['period_code']}/{c['channel_code']}"
        if c["introduced"] == (c["count"] is None):
            out.append(
                error(
                    "channel_count",
                    key,
                    "count",
                    c["count"],
                    "건수" if c["introduced"] else "빈 칸",
                    "도입된 채널만 건수가 있습니다 (introduced=false는 미도입)",
                )
            )
    compare_figure(out, ds, "channels.operated", len(groups), "상담채널 수 ↔ 채널 목록")

    periods = {p["code"]: p for p in rows(ds, "call_period")}
    for code, p in periods.items():
        if p["start_date"] > p["end_date"]:
            out.append(
                error(
                    "call_period",
                    code,
                    "end_date",
                    p["end_date"],
                    f">= {p['start_date']}",
                    "기간 종료일이 시작일보다 앞섭니다",
                )
            )
            continue
        per = counts.get(code, {})
        nonphone = sum(v or 0 for k, v in per.items() if groups.get(k) == "nonphone")
        phone = sum(v or 0 for k, v in per.items() if groups.get(k) == "phone")
        compare(
            out,
            "call_period",
            code,
            "nonphone_reported",
            p["nonphone_reported"],
            nonphone,
            "비전화상담 소계 ↔ 비전화 채널 합",
        )
        compare(
            out,
            "call_period",
            code,
            "total_reported",
            p["total_reported"],
            phone + p["nonphone_reported"],
            "총상담 ↔ 전화상담 + 비전화상담 소계",
        )

    for perf in rows(ds, "phone_performance"):
        code = perf["period_code"]
        phone = sum(v or 0 for k, v in counts.get(code, {}).items() if groups.get(k) == "phone")
        compare(
            out,
            "phone_performance",
            code,
            "answered",
            perf["answered"],
            phone,
            "응대량 ↔ 채널별 표의 전화상담 건수",
        )
        compare(
            out,
            "phone_performance",
            code,
            "answer_rate_reported",
            perf["answer_rate_reported"],
            rate(perf["answered"], perf["inflow"]),
            "응대율 ↔ 응대량 / 인입량",
        )
        if not perf["answered"] <= perf["inflow"] <= perf["total_inflow"]:
            out.append(
                error(
                    "phone_performance",
                    code,
                    "inflow",
                    perf["inflow"],
                    "응대량 <= 인입량 <= 총인입량",
                    "응대량은 인입량을, 인입량은 총인입량을 넘을 수 없습니다",
                )
            )

    averages: dict[str, dict[str, dict[str, Any]]] = {}
    for a in rows(ds, "daily_average"):
        averages.setdefault(a["period_code"], {})[a["line_code"]] = a
    for code, lines in averages.items():
        period = periods.get(code)
        if period is None:
            continue
        days = period_days(period)
        per = counts.get(code, {})
        for line_code, a in lines.items():
            key = f"{code}/{line_code}"
            count = per.get(line_code)
            if count is not None:
                compare(
                    out,
                    "daily_average",
                    key,
                    "average",
                    a["average"],
                    divide_half_up(count, days),
                    f"일평균 ↔ 건수 / {days}일",
                )
        nonphone_parts = sum(a["average"] for k, a in lines.items() if groups.get(k) == "nonphone")
        if "nonphone" in lines:
            compare(
                out,
                "daily_average",
                f"{code}/nonphone",
                "average",
                lines["nonphone"]["average"],
                nonphone_parts,
                "일평균 비전화 소계 ↔ 채널별 일평균 합",
            )
            compare(
                out,
                "daily_average",
                f"{code}/nonphone",
                "average",
                lines["nonphone"]["average"],
                divide_half_up(p["nonphone_reported"], days),
                f"일평균 비전화 소계 ↔ 비전화 {p['nonphone_reported']:,}건 / {days}일",
            )
        if "total" in lines:
            total = lines["total"]["average"]
            parts = sum(a["average"] for k, a in lines.items() if groups.get(k) == "phone") + (
                lines["nonphone"]["average"] if "nonphone" in lines else nonphone_parts
            )
            compare(out, "daily_average", f"{code}/total", "average", total, parts, "일평균 총계 ↔ 전화 + 비전화 소계")
            compare(
                out,
                "daily_average",
                f"{code}/total",
                "average",
                total,
                divide_half_up(p["total_reported"], days),
                f"일평균 총계 ↔ 총상담 {p['total_reported']:,}건 / {days}일",
            )
            for line_code, a in lines.items():
                compare(
                    out,
                    "daily_average",
                    f"{code}/{line_code}",
                    "share_reported",
                    a["share_reported"],
                    rate(a["average"], total),
                    "비중 ↔ 일평균 / 일평균 총계",
                )
    return out
