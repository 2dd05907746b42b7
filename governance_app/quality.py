"""Data quality: the findings on the stored dataset and the corrections register.

Both can carry personal data: a finding on a birth date quotes it, a restored contact line holds
names and extensions. They take the actor and withhold those values (``WITHHELD``) from roles
that may not see personal data (``auth.may_see_personal_data``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from sqlmodel import Session

from governance_app import naming, store
from governance_app.core.auth import Actor, may_see_personal_data
from governance_app.core.findings import Finding
from governance_app.core.models import Correction
from governance_app.core.queries import fetch
from governance_app.core.record import personal_fields
from governance_app.core.settings import get_settings
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


def _withheld(found: list[Finding], actor: Actor) -> list[Finding]:
    if may_see_personal_data(actor):
        return found
    return [
        replace(f, reported=WITHHELD, expected=WITHHELD, message="개인정보 항목의 값에 문제가 있습니다")
        if _touches_personal(f.table, f.field)
        else f
        for f in found
    ]


def _cell(f: Finding) -> tuple[str, ...]:
    return (f.table, f.row, f.field, f.reported, f.expected)


def _unique(found: list[Finding]) -> list[Finding]:
    """Each finding once: two checks that find the same cell with the same values (the 총괄's 계
    against the items and against its own row) are one difference, shown once."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for f in found:
        if _cell(f) not in seen:
            seen.add(_cell(f))
            out.append(f)
    return out


def findings(session: Session, *, actor: Actor) -> list[Finding]:
    """Validation and reconciliation findings on what the database holds now, each once; the
    values of findings on personal fields only for roles that may see personal data."""
    return _withheld(_unique(validate(store.from_db(session))), actor)


@cache
def _printed(path: Path) -> frozenset[tuple[str, ...]]:
    """The findings of the dataset as transcribed from the printed report (the seed directory):
    its own differences, which the data keeps as printed. Read once per process."""
    dataset, _ = store.read_dir(path)
    return frozenset((*_cell(f), f.message) for f in validate(dataset))


@dataclass(frozen=True)
class Review:
    """The findings on the stored data, split by where they come from."""

    printed: tuple[Finding, ...]  # differences already in the printed report (kept as printed)
    since: tuple[Finding, ...]  # differences that changes made since the report brought


def review(session: Session, *, actor: Actor) -> Review:
    """Every finding once, split into the printed report's own differences and those that later
    changes brought (a reopened audit item moves the 총괄 away from the items). A finding is the
    report's when the seed has it too; a later one on the same cell with the same values is the
    same difference and not shown again."""
    printed_keys = _printed(get_settings().data_dir)
    found = validate(store.from_db(session))
    printed = _unique([f for f in found if (*_cell(f), f.message) in printed_keys])
    shown = {_cell(f) for f in printed}
    since = _unique([f for f in found if _cell(f) not in shown])
    return Review(tuple(_withheld(printed, actor)), tuple(_withheld(since, actor)))


def record_names(session: Session) -> naming.Names:
    """What every code of the stored dataset is called (naming.Names), for the screens."""
    return naming.names(store.from_db(session))


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
