"""The yearly intake by spreadsheet templates: ``template`` writes one, ``check`` reads a filled
one into a draft and validates the whole dataset with it, ``save`` writes it all or nothing.

Kinds (each domain owns its template: ``budget/template.py``, ``calls/template.py``,
``staffing/template.py``, ``audit_followup/template.py``):

- ``budget``: a year's 본예산, or with a change date a 추경 (the budget history keeps each);
- ``calls``: channel counts and phone figures of statistics periods, with their dates;
- ``staffing``: 정원 and 현원 by grade on a date;
- ``audit``: a new administrative audit session and the items the council sent.

The write goes through the same checks as an import (``validation.validate`` on the stored
dataset with the draft's rows in place): an upload can never store what ``import`` would refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

import audit_followup.template
import budget.template
import calls.template
import staffing.template
from governance_app import store
from governance_app.core import changelog
from governance_app.core.auth import Actor, may, require
from governance_app.core.context import current
from governance_app.core.findings import error
from governance_app.core.intake import Draft, IntakeRefusedError, TableRows
from governance_app.core.parsing import Table
from governance_app.core.submitted import DATED, RoundSubmittedError, submitted_rounds
from governance_app.dataset import BY_NAME, TABLES
from governance_app.editing import _lock_organisation
from governance_app.validation import validate


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # Korean, for pages and messages
    permission: str
    write_template: Callable[..., bytes]
    read: Callable[..., Draft]


KINDS: dict[str, Kind] = {
    "budget": Kind("budget", "예산", budget.template.PERMISSION, budget.template.write, budget.template.read),
    "calls": Kind("calls", "상담 실적", calls.template.PERMISSION, calls.template.write, calls.template.read),
    "staffing": Kind(
        "staffing", "정원·현원", staffing.template.PERMISSION, staffing.template.write, staffing.template.read
    ),
    "audit": Kind(
        "audit",
        "행정사무감사",
        audit_followup.template.PERMISSION,
        audit_followup.template.write,
        audit_followup.template.read,
    ),
}


def kind_of(name: str) -> Kind:
    if name not in KINDS:
        raise LookupError(f"unknown template kind {name!r}; one of {', '.join(KINDS)}")
    return KINDS[name]


def may_load(actor: Actor, kind: str) -> bool:
    return may(actor, kind_of(kind).permission)


def file_name(kind: str, year: int) -> str:
    return f"{year}_{kind}_template.xlsx"


def template(session: Session, kind: str, year: int | None = None) -> bytes:
    """The XLSX template of ``kind`` for ``year``: the fiscal year (default: the current round's);
    for ``audit`` the audit's own year (default: the year after the latest session)."""
    ctx = current(session)
    if kind != "audit":
        year = year or ctx.fiscal_year
    return kind_of(kind).write_template(session, ctx.org_id, year)


def check(session: Session, kind: str, data: bytes, filename: str, **options: Any) -> Draft:
    """Read a filled template and validate the dataset as it would be after saving it.

    ``options``: ``change_date`` and ``label`` for a budget 추경. Every finding is in the draft;
    nothing is written.
    """
    ctx = current(session)
    draft = kind_of(kind).read(session, ctx.org_id, data, filename, **options)
    if draft.errors or not draft.changes:
        return draft
    stored = store.from_db(session)
    draft.findings += _submitted(session, ctx.org_id, stored, draft)
    if draft.errors:
        return draft
    after = _merged(stored, draft.changes)
    before = set(validate(stored))  # what the stored data already says is not the upload's doing
    for finding in validate(after):
        if finding not in before and finding not in draft.findings:
            draft.findings.append(finding)
    return draft


def save(*, session: Session, actor: Actor, kind: str, data: bytes, filename: str, **options: Any) -> Draft:
    """Check the upload again and store it in one transaction; IntakeRefusedError on any error."""
    require(actor, kind_of(kind).permission)
    changelog.attribute(session, actor)
    try:
        org = _lock_organisation(session, None)
        draft = check(session, kind, data, filename, **options)
        if draft.errors or not draft.changes:
            raise IntakeRefusedError(draft)
        _write(session, org.id, draft.changes)  # type: ignore[arg-type]
        session.commit()
    except RoundSubmittedError as exc:  # the freeze guard at flush: check() names it first
        session.rollback()
        refused = Draft(kind, filename, kind_of(kind).permission, [error(filename, "-", "*", "", "", str(exc))])
        raise IntakeRefusedError(refused) from exc
    except SQLAlchemyError as exc:
        session.rollback()
        message = f"데이터베이스가 저장을 거부했습니다: {str(getattr(exc, 'orig', exc))[:300]}"
        refused = Draft(kind, filename, kind_of(kind).permission, [error(filename, "-", "*", "", "", message)])
        raise IntakeRefusedError(refused) from exc
    except Exception:
        session.rollback()
        raise
    return draft


def _submitted(session: Session, org_id: int, stored: store.Dataset, draft: Draft) -> list:
    """The rows the draft would change that a submitted round reported (the freeze guard's rules,
    core.submitted, applied before saving so the page can say so at once)."""
    rounds = submitted_rounds(session, org_id)
    if not rounds:
        return []
    out = []
    for change in draft.changes:
        known = {_key(change.table, r): r for r in stored[change.table].rows}
        for row in change.rows:
            if known.get(_key(change.table, row)) == row:
                continue  # unchanged: not written
            for r in rounds:
                hit = "fiscal_year" in row and row["fiscal_year"] == r.fiscal_year
                if change.table in DATED:
                    column, round_column = DATED[change.table]
                    hit = row[column] <= getattr(r, round_column)
                if hit:
                    error_ = RoundSubmittedError(
                        r.code, r.submitted_on, change.table, "/".join(map(str, _key(change.table, row)))
                    )
                    out.append(error(draft.source, "-", "회차", r.code, "작성중인 회차", str(error_)))
                    return out
    return out


def _key(table: str, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[c] for c in BY_NAME[table].key)


def _merged(stored: store.Dataset, changes: list[TableRows]) -> store.Dataset:
    """The dataset as it would be: each change's rows in place of the stored ones."""
    out = dict(stored)
    for change in changes:
        table = out[change.table]
        new = {_key(change.table, r): r for r in change.rows}
        kept, seen = [], set()
        for row in table.rows:
            key = _key(change.table, row)
            if key in new:
                kept.append(new[key])
                seen.add(key)
            elif change.scope is None or not change.scope(row):
                kept.append(row)
        kept += [r for k, r in new.items() if k not in seen]
        out[change.table] = Table(table.spec, kept, list(range(2, len(kept) + 2)))
    return out


def _write(session: Session, org_id: int, changes: list[TableRows]) -> None:
    by_table = {c.table: c for c in changes}
    order = [spec for spec in TABLES if spec.name in by_table]
    for spec in order:  # parents first
        store.upsert_rows(session, spec, org_id, by_table[spec.name].rows)
    for spec in reversed(order):  # children first
        change = by_table[spec.name]
        if change.scope is None:
            continue
        wanted = {_key(spec.name, r) for r in change.rows}
        model: Any = spec.model
        stored = session.exec(select(model).where(model.org_id == org_id).order_by(model.id.desc())).scalars()  # type: ignore[call-overload]
        for instance in stored.all():
            row = {c: getattr(instance, c) for c in spec.columns}
            if change.scope(row) and _key(spec.name, row) not in wanted:
                session.delete(instance)
        session.flush()
