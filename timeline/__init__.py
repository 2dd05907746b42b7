"""The timeline of the year's tasks."""

from governance_app.core.domain import Domain
from timeline import schemas
from timeline.models import TimelineTask

DOMAIN = Domain(
    name="timeline",
    tables=(TimelineTask,),
    schemas=schemas.SCHEMAS,
    reconcile=schemas.reconcile,
    pages=("timeline",),
    section="예산·사업",
)
