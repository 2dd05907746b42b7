"""The project timeline: tasks by area with their status on a chosen date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from governance_app.core.queries import fetch
from major_work.models import WorkArea
from timeline.models import TimelineTask
from timeline.status import month_statuses, status_on


@dataclass(frozen=True)
class TaskRow:
    code: str
    area_number: int
    area_title: str
    name: str
    work_item_code: str
    start_month: int
    end_month: int
    status: str  # on the chosen date
    months: dict[int, str]  # planned month -> that month's status on the chosen date
    status_reported: str
    derivation: str


def tasks(session: Session, org_id: int, fiscal_year: int, on: date) -> list[TaskRow]:
    areas = {a.number: a.title for a in fetch(session, WorkArea, org_id, WorkArea.fiscal_year == fiscal_year)}
    rows = sorted(fetch(session, TimelineTask, org_id, TimelineTask.fiscal_year == fiscal_year), key=lambda t: t.seq)
    return [
        TaskRow(
            t.code,
            t.area_number,
            areas.get(t.area_number, ""),
            t.name,
            t.work_item_code,
            t.start_month,
            t.end_month,
            status_on(t.model_dump(), on),
            month_statuses(t.model_dump(), on),
            t.status_reported,
            t.derivation,
        )
        for t in rows
    ]
