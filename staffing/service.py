"""Organisation chart and staffing by grade (과부족 derived)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from governance_app.core.queries import fetch
from staffing.models import Department, StaffGrade, StaffingSnapshot


def departments(session: Session, org_id: int, fiscal_year: int) -> list[Department]:
    return sorted(fetch(session, Department, org_id, Department.fiscal_year == fiscal_year), key=lambda d: d.seq)


def latest_snapshot(session: Session, org_id: int, on: date | None = None) -> StaffingSnapshot | None:
    """The latest staffing count (taken on or before ``on``, when given: a round's report date)."""
    snaps = sorted(fetch(session, StaffingSnapshot, org_id), key=lambda s: s.as_of)
    if on is not None:
        snaps = [s for s in snaps if s.as_of <= on]
    return snaps[-1] if snaps else None


@dataclass(frozen=True)
class GradeRow:
    code: str
    label: str
    group_label: str
    in_quota: bool
    quota: int
    current: int
    shortfall: int  # 현원 - 정원
    shortfall_reported: int


def grades(session: Session, org_id: int, snapshot_code: str) -> list[GradeRow]:
    rows = sorted(fetch(session, StaffGrade, org_id, StaffGrade.snapshot_code == snapshot_code), key=lambda g: g.seq)
    return [
        GradeRow(
            g.code, g.label, g.group_label, g.in_quota, g.quota, g.current, g.current - g.quota, g.shortfall_reported
        )
        for g in rows
    ]


def totals(rows: list[GradeRow]) -> tuple[int, int, int]:
    """정원, 현원, 과부족 over the grades inside the quota (정원外 staff are not counted)."""
    inside = [g for g in rows if g.in_quota]
    quota, current = sum(g.quota for g in inside), sum(g.current for g in inside)
    return quota, current, current - quota
