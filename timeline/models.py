"""The yearly project timeline (사업별 추진 현황): tasks with planned months and status."""

from __future__ import annotations

from governance_app.core.record import OrgRecord, natural_key, refers


class TimelineTask(OrgRecord, table=True):
    __table_args__ = (
        natural_key("fiscal_year", "code"),
        refers(("fiscal_year", "work_item_code"), "work_item", ("fiscal_year", "code")),
        refers(("fiscal_year", "area_number"), "work_area", ("fiscal_year", "number")),
    )
    code: str
    fiscal_year: int
    area_number: int
    name: str
    work_item_code: str
    start_month: int
    end_month: int
    status_reported: str  # 완료 | 추진 | 예정, as of the report date
    derivation: str  # where the months come from (the Gantt marks were lost)
    seq: int
