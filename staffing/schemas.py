"""Value rules and reconciliation of the organisation chart and staffing table."""

from __future__ import annotations

import pandera.pandas as pa

from governance_app.core.checks import Dataset, compare, compare_figure, current_report, rows
from governance_app.core.findings import Finding

# 과부족 as printed: negative (△) when fewer are employed than the quota.
SIGNED = {"staffing_snapshot": {"shortfall_total_reported"}, "staff_grade": {"shortfall_reported"}}

SCHEMAS = {
    "department": pa.DataFrameSchema({"kind": pa.Column(checks=pa.Check.isin(["본부", "실", "부"]))}),
    "staff_grade": pa.DataFrameSchema(
        {"quota": pa.Column(checks=pa.Check.ge(0)), "current": pa.Column(checks=pa.Check.ge(0))}
    ),
}


def reconcile(ds: Dataset) -> list[Finding]:
    out: list[Finding] = []
    report = current_report(ds)
    departments = [d for d in rows(ds, "department") if report and d["fiscal_year"] == report["fiscal_year"]]
    kinds = [d["kind"] for d in departments]
    compare_figure(out, ds, "org.hq", kinds.count("본부"), "본부 수 ↔ 부서 목록")
    compare_figure(out, ds, "org.offices", kinds.count("실"), "실 수 ↔ 부서 목록")
    compare_figure(out, ds, "org.departments", kinds.count("부"), "부 수 ↔ 부서 목록")
    for hq in (d for d in departments if d["kind"] == "본부"):
        children = sum(1 for d in departments if d["parent_code"] == hq["code"])
        compare_figure(out, ds, f"org.departments.{hq['code']}", children, f"{hq['name']} 부 수 ↔ 부서 목록")

    for snap in rows(ds, "staffing_snapshot"):
        grades = [g for g in rows(ds, "staff_grade") if g["snapshot_code"] == snap["code"]]
        for g in grades:
            compare(
                out,
                "staff_grade",
                f"{snap['code']}/{g['code']}",
                "shortfall_reported",
                g["shortfall_reported"],
                g["current"] - g["quota"],
                "과부족 ↔ 현원 - 정원",
            )
        in_quota = [g for g in grades if g["in_quota"]]
        quota = sum(g["quota"] for g in in_quota)
        current = sum(g["current"] for g in in_quota)
        compare(
            out,
            "staffing_snapshot",
            snap["code"],
            "quota_total_reported",
            snap["quota_total_reported"],
            quota,
            "정원 계 ↔ 정원 내 직급 합",
        )
        compare(
            out,
            "staffing_snapshot",
            snap["code"],
            "current_total_reported",
            snap["current_total_reported"],
            current,
            "현원 계 ↔ 정원 내 직급 합",
        )
        compare(
            out,
            "staffing_snapshot",
            snap["code"],
            "shortfall_total_reported",
            snap["shortfall_total_reported"],
            snap["current_total_reported"] - snap["quota_total_reported"],
            "과부족 계 ↔ 현원 계 - 정원 계",
        )
    return out
