"""Plans of the major-work items whose progress nobody has reported yet (work_plan.status empty),
by the departments that own the items (major_work.service: the 부·실 its contacts head)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from governance_app.core.auth import Actor
from governance_app.core.context import Context
from major_work.service import item_details

READER = Actor("todo", "board")  # reads no personal data: only the items' owners are used


@dataclass(frozen=True)
class PlanTask:
    item_code: str
    item_title: str
    plan_seq: int
    plan_text: str
    timing: str
    departments: tuple[str, ...]


def unreported_plans(
    session: Session, org_id: int, fiscal_year: int, *, department: str | None = None
) -> list[PlanTask]:
    """Every plan without a reported status, in document order; ``department``'s items only when given."""
    out = []
    for detail in item_details(session, org_id, fiscal_year, actor=READER):
        if department is not None and department not in detail.departments:
            continue
        out += [
            PlanTask(detail.item.code, detail.item.title, p.seq, p.text, p.timing, detail.departments)
            for p in detail.plans
            if not p.status
        ]
    return out


def owning_departments(session: Session, ctx: Context) -> list[str]:
    """The departments that own at least one major-work item of the round's year, by name."""
    details = item_details(session, ctx.org_id, ctx.fiscal_year, actor=READER)
    return sorted({d for detail in details for d in detail.departments})
