"""Small helpers the domain reconcilers share."""

from __future__ import annotations

from typing import Any

from governance_app.core.findings import Finding, warning
from governance_app.core.parsing import Table

Dataset = dict[str, Table]


def rows(dataset: Dataset, name: str) -> list[dict[str, Any]]:
    table = dataset.get(name)
    return table.rows if table else []


def figure(dataset: Dataset, code: str) -> dict[str, Any] | None:
    """The reported figure of the current report round (as of its report date)."""
    report = current_report(dataset)
    found = [r for r in rows(dataset, "reported_figure") if r["code"] == code]
    if report:
        found = [r for r in found if r["as_of"] == report["report_date"]]
    return found[0] if found else None


def current_report(dataset: Dataset) -> dict[str, Any] | None:
    reports = rows(dataset, "report")
    return next((r for r in reports if r["is_current"]), reports[-1] if reports else None)


def compare(out: list[Finding], table: str, row: str, field: str, reported: Any, expected: Any, what: str) -> None:
    """Append a warning when a reported figure differs from what its parts give."""
    if reported != expected:
        out.append(warning(table, row, field, reported, expected, f"{what}: 보고 {reported}, 계산 {expected}"))


def compare_figure(out: list[Finding], dataset: Dataset, code: str, expected: int, what: str) -> None:
    row = figure(dataset, code)
    if row is not None:
        compare(out, "reported_figure", code, "value", row["value"], expected, what)
