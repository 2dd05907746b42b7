"""The budget: revenue and expenditure lines, execution as of a date and its recording."""

from budget import schemas
from budget.models import BudgetAmount, BudgetChange, BudgetLine, BudgetRevision, ExecutionLine, ExecutionSnapshot
from governance_app.core.domain import Domain

DOMAIN = Domain(
    name="budget",
    tables=(
        BudgetLine,
        BudgetRevision,
        BudgetAmount,
        BudgetChange,
        ExecutionLine,
        ExecutionSnapshot,
    ),
    schemas=schemas.SCHEMAS,
    reconcile=schemas.reconcile,
    pages=("budget",),
    section="예산·사업",
)
