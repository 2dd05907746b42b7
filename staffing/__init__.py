"""Staffing: departments and their duties, authorised and current staff, grades."""

from governance_app.core.domain import Domain
from staffing import schemas
from staffing.models import Department, StaffGrade, StaffingSnapshot

DOMAIN = Domain(
    name="staffing",
    tables=(
        Department,
        StaffingSnapshot,
        StaffGrade,
    ),
    schemas=schemas.SCHEMAS,
    reconcile=schemas.reconcile,
    pages=("staffing",),
    section="현황",
)
