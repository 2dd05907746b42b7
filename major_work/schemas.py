"""Value rules of the major-work tables and the 사업비 <-> budget link check."""

from __future__ import annotations

from collections import defaultdict

import pandera.pandas as pa

from governance_app.core.checks import Dataset, current_report, rows
from governance_app.core.findings import Finding, error, warning
from governance_app.core.numbers import divide_half_up
from major_work.models import PLAN_STATUSES

SCHEMAS = {
    "work_bullet": pa.DataFrameSchema({"level": pa.Column(checks=pa.Check.isin([1, 2, 3]))}),
    "work_plan": pa.DataFrameSchema(
        {
            "month": pa.Column(checks=pa.Check.in_range(1, 12), nullable=True),
            "status": pa.Column(checks=pa.Check.isin(list(PLAN_STATUSES)), nullable=True),
        }
    ),
    "work_item": pa.DataFrameSchema({"cost_thousand": pa.Column(checks=pa.Check.ge(0), nullable=True)}),
}


def plan_status_findings(ds: Dataset) -> list[Finding]:
    """A plan's status and its date come together: a status needs the date it describes, and a
    date without a status describes nothing."""
    table = ds.get("work_plan")
    if table is None:
        return []
    out: list[Finding] = []
    for i, plan in enumerate(table.rows):
        where = f"{table.lines[i]}행 추진계획 {plan['item_code']}/{plan['seq']}"
        if plan["status"] is not None and plan["status_on"] is None:
            message = f"{where}: 상태({plan['status']})를 적으면 기준일(status_on)도 적어야 합니다"
            out.append(error("work_plan", table.where(i), "status_on", None, "a date", message))
        elif plan["status"] is None and plan["status_on"] is not None:
            message = f"{where}: 상태(status) 없이 기준일({plan['status_on'].isoformat()})만 있습니다"
            out.append(error("work_plan", table.where(i), "status", None, " · ".join(PLAN_STATUSES), message))
    return out


def reconcile(ds: Dataset) -> list[Finding]:
    out: list[Finding] = plan_status_findings(ds)
    for plan in rows(ds, "work_plan"):
        if plan["month"] is not None and plan["timing"] != f"{plan['month']}월":
            out.append(
                error(
                    "work_plan",
                    f"{plan['item_code']}/{plan['seq']}",
                    "timing",
                    plan["timing"],
                    f"{plan['month']}월",
                    "시기와 월이 다릅니다",
                )
            )

    report = current_report(ds)
    year = report["fiscal_year"] if report else None
    # the year's budget as it stands (a later 추경 revision overrides the 본예산's amount)
    ordered = sorted(rows(ds, "budget_amount"), key=lambda a: a["revision"])
    amounts = {a["line_code"]: a["amount"] for a in ordered if a["fiscal_year"] == year}
    costs = {i["code"]: i["cost_thousand"] for i in rows(ds, "work_item")}
    items_of: dict[str, set[str]] = defaultdict(set)
    lines_of: dict[str, set[str]] = defaultdict(set)
    for link in rows(ds, "work_budget_link"):
        items_of[link["budget_line_code"]].add(link["item_code"])
        lines_of[link["item_code"]].add(link["budget_line_code"])
    # Items that share lines form one group; their 사업비 (printed in 백만원) cannot exceed
    # the group's lines rounded to 백만원.
    seen: set[str] = set()
    for start in sorted(lines_of):
        if start in seen:
            continue
        items, lines, todo = set(), set(), [start]
        while todo:
            item = todo.pop()
            if item in items:
                continue
            items.add(item)
            for line in lines_of[item]:
                lines.add(line)
                todo.extend(items_of[line] - items)
        seen |= items
        cost_million = sum(divide_half_up(costs.get(i) or 0, 1000) for i in items)
        budget_million = divide_half_up(sum(amounts.get(line, 0) for line in lines), 1000)
        if cost_million > budget_million:
            out.append(
                warning(
                    "work_budget_link",
                    ",".join(sorted(items)),
                    "cost_thousand",
                    cost_million,
                    f"<= {budget_million}",
                    f"사업비 {cost_million}백만원이 연결된 예산 {', '.join(sorted(lines))} "
                    f"({budget_million}백만원)을 넘습니다",
                )
            )
    return out
