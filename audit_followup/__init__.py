"""The council's administrative audit (행정사무감사) and the follow-up of its items."""

from audit_followup import schemas
from audit_followup.models import (
    AuditEvidence,
    AuditItem,
    AuditProgressNote,
    AuditSession,
    AuditSignoff,
    AuditStatusChange,
    AuditSummaryReported,
)
from governance_app.core.domain import Domain

DOMAIN = Domain(
    name="audit_followup",
    tables=(
        AuditSession,
        AuditItem,
        AuditSummaryReported,
        AuditStatusChange,
        AuditProgressNote,
        AuditEvidence,
        AuditSignoff,
    ),
    schemas=schemas.SCHEMAS,
    reconcile=schemas.reconcile,
    pages=("audit",),
    section="감사·검증",
)
