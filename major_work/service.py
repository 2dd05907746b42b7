"""Major work: areas, items with their bullets, plans, contacts and budget links."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session

from governance_app.queries import fetch
from major_work.models import WorkArea, WorkBudgetLink, WorkBullet, WorkContact, WorkItem, WorkPlan


@dataclass(frozen=True)
class ItemDetail:
    item: WorkItem
    bullets: list[WorkBullet]
    plans: list[WorkPlan]
    contacts: list[WorkContact]  # personal data
    budget_lines: list[WorkBudgetLink]


def areas(session: Session, org_id: int, fiscal_year: int) -> list[WorkArea]:
    return sorted(fetch(session, WorkArea, org_id, WorkArea.fiscal_year == fiscal_year), key=lambda a: a.number)


def item_details(session: Session, org_id: int, fiscal_year: int) -> list[ItemDetail]:
    def grouped(model: type, order: str = "seq") -> dict[str, list]:
        out: dict[str, list] = defaultdict(list)
        rows = fetch(session, model, org_id, model.fiscal_year == fiscal_year)
        for row in sorted(rows, key=lambda r: getattr(r, order)):
            out[row.item_code].append(row)
        return out

    bullets, plans = grouped(WorkBullet), grouped(WorkPlan)
    contacts, links = grouped(WorkContact), grouped(WorkBudgetLink, "budget_line_code")
    items = sorted(fetch(session, WorkItem, org_id, WorkItem.fiscal_year == fiscal_year), key=lambda i: i.seq)
    return [ItemDetail(i, bullets[i.code], plans[i.code], contacts[i.code], links[i.code]) for i in items]
