"""Edit one dataset table in the app, under the same checks as an import.

The 자료 편집 page shows a table as the text cells of its CSV file and hands the whole edited
table back to ``apply_edit``, which

1. checks the permission (``EDITABLE``; a table holding personal data only for roles that may
   see it),
2. refuses when the table changed since the user loaded it (``EditConflictError``, with the
   current rows),
3. parses the cells with ``parsing.parse_table`` and validates the whole dataset with that one
   table replaced (``validation.validate``: types, required values, unique keys, value rules,
   references, then reconciliation), so an edit is judged exactly as an import of the same files
   would be. Any error refuses the edit (``EditRefusedError``, every finding naming table, row
   and field) and nothing is written. Errors the stored data already had before the edit (in
   other tables, e.g. after a stricter rule was added) are not blamed on it.
4. writes the difference in one transaction: rows are matched by the table's natural key
   (``TableSpec.key``); a matched row that changed is updated in place, a new key is inserted
   (after every stored row, so export keeps the file order with new rows last), a key that is
   gone is deleted. Editing a key column is therefore a delete of the old row and an insert of
   a new one, which moves the row to the end of the table.

Reconciliation warnings (a total that no longer adds up) do not block a save, as on import: the
source document itself carries such differences. They are returned with the result, and the ones
the edit caused are listed apart.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, select

from governance_app import store
from governance_app.core import changelog
from governance_app.core.auth import Actor, may, may_see_personal_data, require
from governance_app.core.conflicts import SaveConflictError
from governance_app.core.errors import ConflictError, FindingsError, PermissionDeniedError
from governance_app.core.findings import Finding, error
from governance_app.core.models import Organisation
from governance_app.core.parsing import parse_table
from governance_app.core.record import personal_fields
from governance_app.core.tables import TableSpec
from governance_app.dataset import TABLES, cell_text
from governance_app.validation import validate

TABLE_EDITOR = "table.edit"  # the table editor itself: the planning office only
_BUDGET = "budget.edit"  # the planning office and finance (in the editor: the planning office)
_DATA = "data.edit"  # the planning office

# Which tables the app edits, and the permission action (auth.PERMISSIONS) each one needs.
# Tables not listed are not edited as tables: the audit follow-up record (session, items, the
# printed 총괄, status changes, notes, evidence, sign-offs) changes only through the audit workflow
# (audit_followup.service), which keeps the status history and the sign-off rules; the organisation
# row is the dataset's identity and changes only by import.
EDITABLE: dict[str, str] = {
    # the report round, the corrections register and the figures stated in prose
    "report": _DATA,
    "correction": _DATA,
    "reported_figure": _DATA,
    # institution
    "history_event": _DATA,
    "statement": _DATA,
    # calls
    "channel": _DATA,
    "ars_menu": _DATA,
    "call_period": _DATA,
    "channel_count": _DATA,
    "daily_average": _DATA,
    "phone_performance": _DATA,
    # staffing
    "department": _DATA,
    "staffing_snapshot": _DATA,
    "staff_grade": _DATA,
    # board
    "board_rule": _DATA,
    "board_term_rule": _DATA,
    "board_seat": _DATA,
    "board_person": _DATA,
    "board_person_line": _DATA,
    "board_term": _DATA,
    # budget: also finance
    "budget_line": _BUDGET,
    "budget_amount": _BUDGET,
    "budget_revision": _BUDGET,
    "budget_change": _BUDGET,
    "execution_line": _BUDGET,
    "execution_snapshot": _BUDGET,
    # major work and its timeline
    "work_area": _DATA,
    "work_item": _DATA,
    "work_bullet": _DATA,
    "work_plan": _DATA,
    "work_contact": _DATA,
    "work_budget_link": _DATA,
    "timeline_task": _DATA,
    # ESG and emotional labour
    "esg_activity": _DATA,
    "healing_programme": _DATA,
    "esg_figure": _DATA,
}
# Changed only through the audit workflow (see above).
WORKFLOW_TABLES = tuple(spec.name for spec in TABLES if spec.name.startswith("audit_"))

Cells = dict[str, str]


# What apply_edit raises, by the names callers catch: the kernel's refusal (every finding) and
# conflict (``current``: the table's rows now).
EditRefusedError = FindingsError
EditConflictError = ConflictError
TABLE_CHANGED = "changed since it was loaded; reload it and edit again"


@dataclass(frozen=True)
class EditResult:
    table: str
    updated: int
    inserted: int
    deleted: int
    warnings: list[Finding] = field(default_factory=list)  # every reconciliation warning after the save
    new_warnings: list[Finding] = field(default_factory=list)  # those the edit caused

    @property
    def changed(self) -> int:
        return self.updated + self.inserted + self.deleted


# name -> spec of every table that holds rows of the organisation (not the organisation)
_ROW_TABLES = {spec.name: spec for spec in TABLES}


def spec_of(table_name: str) -> TableSpec:
    """The spec of a dataset table that holds rows of the organisation (not the organisation)."""
    spec = _ROW_TABLES.get(table_name)
    if spec is None:
        raise ValueError(f"{table_name!r} is not an editable dataset table")
    return spec


def personal_columns(table_name: str) -> list[str]:
    """The table's personal-data columns, in column order."""
    return list(_personal_columns(table_name))


@functools.cache
def _personal_columns(table_name: str) -> tuple[str, ...]:
    # from the models' field markers, fixed for the process: the edit page asks for every table per run
    spec = spec_of(table_name)
    hidden = personal_fields(spec.model)
    return tuple(c for c in spec.columns if c in hidden)


def check_may_edit(actor: Actor, table_name: str) -> None:
    """Raise PermissionDeniedError unless ``actor`` may edit the table."""
    spec_of(table_name)
    action = EDITABLE.get(table_name)
    if action is None:
        raise PermissionDeniedError(f"{table_name} is changed through the audit workflow, not edited as a table")
    require(actor, TABLE_EDITOR)
    require(actor, action)
    if not may_edit(actor, table_name):
        raise PermissionDeniedError(
            f"{actor.username} ({actor.role}) may not edit {table_name}: it holds personal data"
        )


def may_edit(actor: Actor, table_name: str) -> bool:
    """The role's permission for the table (``auth.may``), and personal data only for those who may see it."""
    action = EDITABLE.get(table_name)
    if action is None or not may(actor, TABLE_EDITOR) or not may(actor, action):
        return False
    return may_see_personal_data(actor) or not personal_columns(table_name)


def editable_tables(actor: Actor) -> list[str]:
    """The tables ``actor`` may edit, in load order."""
    return [spec.name for spec in TABLES if may_edit(actor, spec.name)]


def withheld_tables(actor: Actor) -> list[str]:
    """Tables the actor's role could edit but may not, because they hold personal data."""
    if may_see_personal_data(actor):
        return []
    return [
        name
        for name, action in EDITABLE.items()
        if may(actor, TABLE_EDITOR) and may(actor, action) and personal_columns(name)
    ]


def table_rows(session: Session, table_name: str, org_code: str | None = None) -> tuple[list[str], list[Cells]]:
    """(columns, rows) of a stored table, each cell the text export writes into its CSV file."""
    spec = spec_of(table_name)
    return spec.columns, _text_rows(spec, store.from_db(session, org_code)[table_name].rows)


def _text_rows(spec: TableSpec, rows: list[dict[str, Any]]) -> list[Cells]:
    scales = {c: store._scale(spec, c) for c in spec.columns}
    return [{c: cell_text(r[c], scales[c]) for c in spec.columns} for r in rows]


def _cell(value: Any) -> str:
    """A cell of the editor as text: None, NaN and pandas.NA (cells of an added row) are empty."""
    if value is None:
        return ""
    try:
        if value != value:  # NaN
            return ""
    except TypeError:  # pandas.NA refuses to be compared
        return ""
    return value if isinstance(value, str) else str(value)


def _normalised(spec: TableSpec, rows: list[dict[str, Any]]) -> list[list[str]]:
    return [[_cell(r.get(c)).strip() for c in spec.columns] for r in rows]


def apply_edit(
    *,
    session: Session,
    actor: Actor,
    table_name: str,
    edited: list[dict[str, Any]],
    expected: list[dict[str, Any]] | None = None,
    org_code: str | None = None,
) -> EditResult:
    """Replace the content of one table with ``edited`` (the whole table, as text cells).

    ``expected`` is the table as the user loaded it (``table_rows``); when given and the table
    holds something else now, EditConflictError is raised. Errors raise EditRefusedError. Either
    way nothing is written; otherwise the difference is committed in one transaction.
    """
    check_may_edit(actor, table_name)
    changelog.attribute(session, actor)
    spec = spec_of(table_name)
    try:
        org = _lock_organisation(session, org_code)
        stored = store.from_db(session, org.code)
        if expected is not None:
            current = _text_rows(spec, stored[table_name].rows)
            if _normalised(spec, expected) != _normalised(spec, current):
                raise ConflictError(table_name, "rows", TABLE_CHANGED, current=current)

        header = list(edited[0].keys()) if edited else spec.columns
        table, findings = parse_table(spec, header, [[_cell(r.get(c)) for c in header] for r in edited])
        dataset = {**stored, table_name: table}
        parsed = not any(f.severity == "error" for f in findings)
        findings += validate(dataset, reconcile=parsed)
        errors = [f for f in findings if f.severity == "error"]
        before = validate(stored)
        if errors:
            known = {f for f in before if f.severity == "error" and f.table != table_name}
            if any(f not in known for f in errors):
                raise FindingsError(findings, table_name)
        warnings = [f for f in findings if f.severity == "warning"]
        new_warnings = [f for f in warnings if f not in set(before)]

        updated, inserted, deleted = _write(session, spec, org.id, table.rows)
        session.commit()
    except (SQLAlchemyError, SaveConflictError) as exc:
        session.rollback()
        refused: BaseException = exc
        if isinstance(exc, SaveConflictError):
            if not isinstance(exc.__cause__, IntegrityError):
                raise  # a lock not had in time: the user saves again
            # the organisation row is locked while the table is written, so a key the database
            # refuses is no race: validation checks what the database enforces, so this is a rule
            # it does not know yet
            refused = exc.__cause__
        message = f"데이터베이스가 저장을 거부했습니다: {str(getattr(refused, 'orig', refused))[:300]}"
        raise FindingsError([error(table_name, "-", "*", "", "", message)], table_name) from exc
    except Exception:
        session.rollback()
        raise
    return EditResult(table_name, updated, inserted, deleted, warnings, new_warnings)


def _lock_organisation(session: Session, org_code: str | None) -> Organisation:
    """The organisation row, locked until commit (PostgreSQL) so two saves cannot interleave
    between the conflict check and the write; SQLite serialises writers by itself."""
    query = select(Organisation).order_by(Organisation.id).with_for_update()  # type: ignore[arg-type]
    if org_code:
        query = query.where(Organisation.code == org_code)
    org = session.exec(query).first()
    if org is None:
        raise LookupError(f"no organisation {org_code or ''} in the database".replace("  ", " "))
    return org


def _write(session: Session, spec: TableSpec, org_id: int, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Turn the stored rows into ``rows`` (validated, unique keys): (updated, inserted, deleted)."""
    updated, inserted = store.upsert_rows(session, spec, org_id, rows)
    deleted = store.delete_missing(session, spec, org_id, rows)
    return updated, inserted, deleted
