"""Organisation chart (본부, 실, 부) and staffing by grade."""

from __future__ import annotations

from datetime import date

from governance_app.core.record import OrgRecord, natural_key, refers


class Department(OrgRecord, table=True):
    """A unit of the organisation chart of one fiscal year."""

    __table_args__ = (natural_key("fiscal_year", "code"),)
    fiscal_year: int
    code: str
    name: str
    kind: str  # 본부 | 실 | 부
    parent_code: str | None = None  # the 본부 a 부 belongs to
    duties: str | None = None
    seq: int


class StaffingSnapshot(OrgRecord, table=True):
    """A staffing count with the totals the document reports (계 excludes 정원外 grades)."""

    __table_args__ = (natural_key("code"),)
    code: str
    as_of: date
    quota_total_reported: int
    current_total_reported: int
    shortfall_total_reported: int


class StaffGrade(OrgRecord, table=True):
    __table_args__ = (
        natural_key("snapshot_code", "code"),
        refers("snapshot_code", "staffing_snapshot"),
    )
    snapshot_code: str
    code: str
    label: str
    group_label: str  # 임원 | 전문직 | 업무직
    in_quota: bool  # false for (정원外) staff, who are not part of 계
    quota: int
    current: int
    shortfall_reported: int  # 과부족 as printed (negative = △)
    seq: int
