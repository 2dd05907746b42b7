"""Value rules of the audit follow-ups and reconciliation of the 총괄 table."""

from __future__ import annotations

import pandera.pandas as pa

from audit_followup.models import CATEGORIES, STATUSES
from governance_app.checks import Dataset, compare, compare_figure, rows
from governance_app.findings import Finding

TOTAL = "계"

SCHEMAS = {
    "audit_item": pa.DataFrameSchema(
        {
            "category": pa.Column(checks=pa.Check.isin(list(CATEGORIES))),
            "status": pa.Column(checks=pa.Check.isin(list(STATUSES))),
        }
    ),
    "audit_summary_reported": pa.DataFrameSchema(
        {
            "category": pa.Column(checks=pa.Check.isin([TOTAL, *CATEGORIES])),
            "status": pa.Column(checks=pa.Check.isin([TOTAL, *STATUSES])),
            "count": pa.Column(checks=pa.Check.ge(0), nullable=True),
        }
    ),
}


def summary_from_items(items: list[dict]) -> dict[tuple[str, str], int]:
    """The 총괄 table computed from the items: (category|계, status|계) -> count."""
    table: dict[tuple[str, str], int] = {}
    for category in (TOTAL, *CATEGORIES):
        chosen = [i for i in items if category in (TOTAL, i["category"])]
        table[(category, TOTAL)] = len(chosen)
        for status in STATUSES:
            table[(category, status)] = sum(1 for i in chosen if i["status"] == status)
    return table


def reconcile(ds: Dataset) -> list[Finding]:
    out: list[Finding] = []
    for session in rows(ds, "audit_session"):
        items = [i for i in rows(ds, "audit_item") if i["session_code"] == session["code"]]
        computed = summary_from_items(items)
        cells = {
            (c["category"], c["status"]): c["count"] or 0
            for c in rows(ds, "audit_summary_reported")
            if c["session_code"] == session["code"]
        }
        if not cells:
            continue
        for (category, status), reported in cells.items():
            key = f"{session['code']}/{category}/{status}"
            compare(
                out,
                "audit_summary_reported",
                key,
                "count",
                reported,
                computed[(category, status)],
                f"총괄 {category}·{status} ↔ 개별 항목 집계",
            )
        # The printed table must also add up within itself (rows and columns).
        for category in (TOTAL, *CATEGORIES):
            parts = sum(cells.get((category, s), 0) for s in STATUSES)
            compare(
                out,
                "audit_summary_reported",
                f"{session['code']}/{category}/{TOTAL}",
                "count",
                cells.get((category, TOTAL), 0),
                parts,
                f"총괄 {category} 계 ↔ 추진상황별 합",
            )
        for status in (TOTAL, *STATUSES):
            parts = sum(cells.get((c, status), 0) for c in CATEGORIES)
            compare(
                out,
                "audit_summary_reported",
                f"{session['code']}/{TOTAL}/{status}",
                "count",
                cells.get((TOTAL, status), 0),
                parts,
                f"총괄 계 행 {status} ↔ 구분별 합",
            )
        compare_figure(out, ds, "audit.items", len(items), "총 건수 ↔ 개별 항목 수")
    return out
