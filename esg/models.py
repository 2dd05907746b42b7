"""ESG activities, the healing-programme table and emotional-labour figures."""

from __future__ import annotations

from datetime import date

from governance_app.core.record import OrgRecord, big_integer, natural_key, refers


class EsgActivity(OrgRecord, table=True):
    __table_args__ = (
        natural_key("fiscal_year", "code"),
        refers(("fiscal_year", "work_item_code"), "work_item", ("fiscal_year", "code")),
    )
    code: str
    fiscal_year: int
    category: str  # E | S | G (classified by the suite; the document does not label them)
    title: str
    detail: str | None = None
    event_date: date | None = None
    timing: str | None = None  # e.g. "9월" for planned activities
    work_item_code: str
    seq: int


class HealingProgramme(OrgRecord, table=True):
    __table_args__ = (natural_key("fiscal_year", "seq"),)
    fiscal_year: int
    seq: int
    category: str
    name: str
    content: str | None = None  # empty where the extraction lost the cell
    department: str


class EsgFigure(OrgRecord, table=True):
    """A reported figure such as 마음건강검진 388명, per year so trends can build up."""

    __table_args__ = (
        natural_key("fiscal_year", "code"),
        refers(("fiscal_year", "work_item_code"), "work_item", ("fiscal_year", "code")),
    )
    fiscal_year: int
    code: str
    label: str
    value: int | None = big_integer(default=None)  # empty in a new round until the year's figure is reported
    unit: str
    qualifier: str | None = None  # e.g. "여명" (about), "'17년 이후 누적"
    work_item_code: str
    seq: int
