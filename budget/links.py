"""Which major-work items spend which budget line, both ways, with the line's 집행률."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from budget.execution import execution, execution_lines
from budget.models import BudgetLine, ExecutionLine
from governance_app.core.queries import fetch
from major_work.models import WorkBudgetLink, WorkItem


@dataclass(frozen=True)
class WorkLink:
    """A work item spending a budget line, with the execution line that carries that budget line."""

    item_code: str
    item_title: str
    item_cost: int | None  # 사업비, 천원
    budget_line_code: str
    budget_line_name: str
    execution_code: str | None
    execution_label: str | None
    rate: Decimal | None  # 집행률 of the execution line as of the date
    note: str


@dataclass(frozen=True)
class LineWork:
    code: str
    label: str
    budget_line_code: str
    budget: int | None
    executed: int | None
    rate: Decimal | None
    links: list[WorkLink]


@dataclass(frozen=True)
class ItemWork:
    code: str
    title: str
    cost: int | None
    links: list[WorkLink]


@dataclass(frozen=True)
class WorkLinks:
    by_line: list[LineWork]
    by_item: list[ItemWork]


def work_links(session: Session, org_id: int, fiscal_year: int, as_of: date | None = None) -> WorkLinks:
    """Which major-work items spend which line, both ways, with 집행률 as of ``as_of``.

    A link names a budget line; it belongs to the execution line whose budget line is that line
    or its nearest ancestor (운영경비 exp.3.1.3 is executed under 일반관리비 exp.3.1), never the total.
    """
    budget_lines = {b.code: b for b in fetch(session, BudgetLine, org_id)}
    lines = [line for line in execution_lines(session, org_id) if not line.is_total]
    carrier = {line.budget_line_code: line for line in lines}
    rows = {r.code: r for r in execution(session, org_id, as_of)} if as_of else {}
    items = sorted(fetch(session, WorkItem, org_id, WorkItem.fiscal_year == fiscal_year), key=lambda i: i.seq)
    titles = {i.code: i for i in items}

    def executed_by(code: str) -> ExecutionLine | None:
        seen = set()
        while code and code not in seen:
            seen.add(code)
            if code in carrier:
                return carrier[code]
            parent = budget_lines.get(code)
            code = parent.parent_code if parent and parent.parent_code else ""
        return None

    links = []
    for link in fetch(session, WorkBudgetLink, org_id, WorkBudgetLink.fiscal_year == fiscal_year):
        item = titles.get(link.item_code)
        line = executed_by(link.budget_line_code)
        row = rows.get(line.code) if line else None
        links.append(
            WorkLink(
                link.item_code,
                item.title if item else link.item_code,
                item.cost_thousand if item else None,
                link.budget_line_code,
                budget_lines[link.budget_line_code].name if link.budget_line_code in budget_lines else "",
                line.code if line else None,
                line.label if line else None,
                row.rate if row else None,
                link.note,
            )
        )
    order = {i.code: i.seq for i in items}
    links.sort(key=lambda k: (order.get(k.item_code, 0), k.budget_line_code))
    by_line = []
    for line in lines:
        row = rows.get(line.code)
        by_line.append(
            LineWork(
                line.code,
                line.label,
                line.budget_line_code,
                row.budget if row else None,
                row.executed if row else None,
                row.rate if row else None,
                [k for k in links if k.execution_code == line.code],
            )
        )
    by_item = [ItemWork(i.code, i.title, i.cost_thousand, [k for k in links if k.item_code == i.code]) for i in items]
    return WorkLinks(by_line, by_item)
