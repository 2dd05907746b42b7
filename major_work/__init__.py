"""Major work: the items, their actions and plans, contacts and budget lines."""

from governance_app.core.domain import Domain
from major_work import schemas
from major_work.models import WorkArea, WorkBudgetLink, WorkBullet, WorkContact, WorkItem, WorkPlan

DOMAIN = Domain(
    name="major_work",
    tables=(
        WorkArea,
        WorkItem,
        WorkBullet,
        WorkPlan,
        WorkContact,
        WorkBudgetLink,
    ),
    schemas=schemas.SCHEMAS,
    reconcile=schemas.reconcile,
    pages=("major_work",),
    section="예산·사업",
)
