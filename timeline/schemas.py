"""Value rules of the project timeline; the reported status must follow from the months."""

from __future__ import annotations

import pandera.pandas as pa

from governance_app.core.checks import Dataset, compare, current_report, rows
from governance_app.core.findings import Finding, error
from timeline.status import STATUSES, status_on

MONTH = pa.Check.in_range(1, 12)
SCHEMAS = {
    "timeline_task": pa.DataFrameSchema(
        {
            "start_month": pa.Column(checks=MONTH),
            "end_month": pa.Column(checks=MONTH),
            "status_reported": pa.Column(checks=pa.Check.isin(list(STATUSES))),
        }
    ),
}


def reconcile(ds: Dataset) -> list[Finding]:
    out: list[Finding] = []
    report = current_report(ds)
    for task in rows(ds, "timeline_task"):
        if task["start_month"] > task["end_month"]:
            out.append(
                error(
                    "timeline_task",
                    task["code"],
                    "end_month",
                    task["end_month"],
                    f">= {task['start_month']}",
                    "종료 월이 시작 월보다 앞섭니다",
                )
            )
            continue
        if report:
            compare(
                out,
                "timeline_task",
                task["code"],
                "status_reported",
                task["status_reported"],
                status_on(task, report["report_date"]),
                f"추진상태 ↔ {report['report_date']} 기준 계획 월",
            )
    return out
