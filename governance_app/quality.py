"""Data quality: the findings on the stored dataset and the corrections register.

Both can carry personal data: a finding on a birth date quotes it, a restored contact line holds
names and extensions. They take the actor and withhold those values (``WITHHELD``) from roles
that may not see personal data (``auth.may_see_personal_data``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from sqlmodel import Session

from governance_app import store
from governance_app.core.auth import Actor, may_see_personal_data
from governance_app.core.findings import Finding
from governance_app.core.models import Correction
from governance_app.core.queries import fetch
from governance_app.core.record import personal_fields
from governance_app.dataset import BY_NAME
from governance_app.validation import validate

WITHHELD = "(개인정보)"


def _personal_columns(table_name: str) -> set[str]:
    spec = BY_NAME.get(table_name)
    return personal_fields(spec.model) if spec is not None else set()


def _touches_personal(table_name: str, field: str) -> bool:
    """A finding's field names a personal column ("birth_date", "manager_phone/officer_phone"),
    or the whole row ("*") of a table that has one."""
    columns = _personal_columns(table_name)
    return bool(columns) and (field == "*" or bool(columns & set(re.split(r"[/,\s]+", field))))


def findings(session: Session, *, actor: Actor) -> list[Finding]:
    """Validation and reconciliation findings on what the database holds now; the values of
    findings on personal fields only for roles that may see personal data."""
    found = validate(store.from_db(session))
    if may_see_personal_data(actor):
        return found
    return [
        replace(f, reported=WITHHELD, expected=WITHHELD, message="개인정보 항목의 값에 문제가 있습니다")
        if _touches_personal(f.table, f.field)
        else f
        for f in found
    ]


def corrections(session: Session, org_id: int, *, actor: Actor) -> list[Correction]:
    """The register of restored values; on tables that hold personal data the extracted and
    restored text (names, extensions, birth dates) only for roles that may see personal data."""
    rows = sorted(fetch(session, Correction, org_id), key=lambda c: c.seq)
    if may_see_personal_data(actor):
        return rows
    return [
        Correction(
            **{
                **c.model_dump(),
                "extracted": WITHHELD if c.extracted else None,
                "restored": WITHHELD if c.restored else None,
            }
        )
        if _personal_columns(c.table_name)
        else c
        for c in rows
    ]
