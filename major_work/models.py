"""The seven areas of major work, their items, progress bullets, plans and contacts."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from governance_app.core.record import OrgRecord, big_integer, natural_key, personal, refers

# How a plan stands, as its department reports it (WorkPlan.status; empty = not yet reported).
PLAN_STATUSES = ("예정", "추진중", "완료", "지연")


class WorkArea(OrgRecord, table=True):
    __table_args__ = (natural_key("fiscal_year", "number"),)
    fiscal_year: int
    number: int
    title: str


class WorkItem(OrgRecord, table=True):
    __table_args__ = (
        natural_key("fiscal_year", "code"),
        refers(("fiscal_year", "area_number"), "work_area", ("fiscal_year", "number")),
    )
    code: str  # "1-1" ... "7"
    fiscal_year: int
    area_number: int
    title: str
    lead: str  # the one-sentence summary under the title
    purpose: str  # 목적
    content: str  # 내용
    cost_thousand: int | None = big_integer(default=None)  # 사업비 in 천원 (the document prints 백만원)
    highlight: str | None = None  # the boxed headline of 추진내용
    seq: int
    multiline_fields: ClassVar[frozenset[str]] = frozenset({"purpose", "content", "highlight"})


class WorkBullet(OrgRecord, table=True):
    """A line of 추진내용: ``level`` 1 is ○, 2 is -, 3 is a note (※, ◆)."""

    __table_args__ = (
        natural_key("fiscal_year", "item_code", "seq"),
        refers(("fiscal_year", "item_code"), "work_item", ("fiscal_year", "code")),
    )
    fiscal_year: int
    item_code: str
    seq: int
    section: str
    level: int
    text: str


class WorkPlan(OrgRecord, table=True):
    """A line of 추진계획 with its timing: a month, or 연간 / 매월 / 상시.

    ``text``, ``timing``, ``month`` and ``detail`` are the document's (the planning office's, 자료
    편집); ``status``, ``status_on`` and ``progress_note`` are how the plan stands, reported by the
    item's department (``major_work.service.update_progress``). The document reports no status.
    """

    __table_args__ = (
        natural_key("fiscal_year", "item_code", "seq"),
        refers(("fiscal_year", "item_code"), "work_item", ("fiscal_year", "code")),
    )
    fiscal_year: int
    item_code: str
    seq: int
    text: str
    timing: str  # "9월", "연간", "매월", "상시"
    month: int | None = None
    detail: str | None = None  # the document's line under the plan
    status: str | None = None  # one of PLAN_STATUSES; None = not yet reported
    status_on: date | None = None  # the date the status describes (set exactly when status is)
    progress_note: str | None = None  # the department's latest note on the plan


class WorkContact(OrgRecord, table=True):
    """담당자 line (personal data: names and extensions)."""

    __table_args__ = (
        natural_key("fiscal_year", "item_code", "seq"),
        refers(("fiscal_year", "item_code"), "work_item", ("fiscal_year", "code")),
    )
    fiscal_year: int
    item_code: str
    seq: int
    role: str
    name: str = personal()
    phone: str = personal()


class WorkBudgetLink(OrgRecord, table=True):
    """Which budget line a work item's 사업비 is spent from."""

    __table_args__ = (
        natural_key("fiscal_year", "item_code", "budget_line_code"),
        refers(("fiscal_year", "item_code"), "work_item", ("fiscal_year", "code")),
        refers("budget_line_code", "budget_line"),
    )
    fiscal_year: int
    item_code: str
    budget_line_code: str
    note: str
