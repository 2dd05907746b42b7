"""ESG management and the protection of counsellors from emotional labour."""

from esg import schemas
from esg.models import EsgActivity, EsgFigure, HealingProgramme
from governance_app.core.domain import Domain

DOMAIN = Domain(
    name="esg",
    tables=(
        EsgActivity,
        HealingProgramme,
        EsgFigure,
    ),
    schemas=schemas.SCHEMAS,
    reconcile=schemas.reconcile,
    pages=("esg",),
    section="예산·사업",
)
