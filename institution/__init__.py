"""The institution: its history and founding basis, mission, vision and strategy."""

from governance_app.core.domain import Domain
from institution import schemas
from institution.models import HistoryEvent, Statement

DOMAIN = Domain(
    name="institution",
    tables=(
        HistoryEvent,
        Statement,
    ),
    schemas=schemas.SCHEMAS,
    reconcile=schemas.reconcile,
    pages=("institution",),
    section="현황",
)
