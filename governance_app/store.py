"""Move whole datasets between CSV directories and the database.

A dataset is every table of one organisation. Import replaces the organisation's rows in one
transaction, after validation found no error; nothing is written otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Numeric, func, select
from sqlmodel import Session

from governance_app.core import changelog
from governance_app.core.auth import Actor, require
from governance_app.core.errors import FindingsError
from governance_app.core.findings import Finding, error
from governance_app.core.i18n import josa
from governance_app.core.models import Organisation
from governance_app.core.parsing import Table, parse_table
from governance_app.core.tables import TableSpec
from governance_app.dataset import (
    ALL_TABLES,
    ORGANISATION,
    TABLES,
    UnreadableFileError,
    cell_text,
    read_csv,
    write_csv,
)

Dataset = dict[str, Table]


# A dataset with errors (nothing is loaded): the kernel's refusal carrying every finding.
DatasetError = FindingsError


def read_dir(path: Path) -> tuple[Dataset, list[Finding]]:
    """Parse every table file of a dataset directory."""
    dataset: Dataset = {}
    findings: list[Finding] = []
    if not path.is_dir():
        return dataset, [error("*", "-", "-", str(path), "a directory", f"{josa(path, '은')} 자료 폴더가 아닙니다")]
    for spec in ALL_TABLES:
        file = path / spec.file_name
        if not file.exists() and not file.is_symlink():
            findings.append(error(spec.name, "-", "-", "", spec.file_name, f"{spec.file_name} 파일이 없습니다"))
            dataset[spec.name] = Table(spec)
            continue
        try:
            header, rows = read_csv(file)
        except UnreadableFileError as exc:
            findings.append(error(spec.name, "-", "-", "", "UTF-8 CSV", str(exc)))
            dataset[spec.name] = Table(spec)
            continue
        except (UnicodeDecodeError, ValueError) as exc:
            findings.append(
                error(
                    spec.name,
                    "-",
                    "-",
                    "",
                    "UTF-8 CSV",
                    f"{josa(spec.file_name, '을')} 읽을 수 없습니다: {exc}",
                )
            )
            dataset[spec.name] = Table(spec)
            continue
        table, table_findings = parse_table(spec, header, rows)
        dataset[spec.name] = table
        findings.extend(table_findings)
    org_rows = len(dataset[ORGANISATION.name].rows)
    if org_rows != 1:
        findings.append(
            error(
                ORGANISATION.name,
                "-",
                "code",
                org_rows,
                1,
                f"organisation.csv에는 기관이 하나만 있어야 합니다 (현재 {org_rows}개)",
            )
        )
    return dataset, findings


def _scale(spec: TableSpec, column: str) -> int | None:
    sa_type = spec.model.__table__.c[column].type  # type: ignore[attr-defined]
    return sa_type.scale if isinstance(sa_type, Numeric) else None


def write_dir(dataset: Dataset, path: Path) -> list[Path]:
    path.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in ALL_TABLES:
        table = dataset[spec.name]
        scales = {c: _scale(spec, c) for c in spec.columns}
        rows = [[cell_text(r[c], scales[c]) for c in spec.columns] for r in table.rows]
        file = path / spec.file_name
        write_csv(file, spec.columns, rows)
        written.append(file)
    return written


def organisation_codes(session: Session) -> list[str]:
    return list(session.exec(select(Organisation.code).order_by(Organisation.id)).scalars())  # type: ignore[call-overload]


def has_data(session: Session) -> bool:
    return bool(session.exec(select(func.count()).select_from(Organisation)).scalar())  # type: ignore[call-overload]


def from_db(session: Session, org_code: str | None = None) -> Dataset:
    """The stored dataset of one organisation (the first one when no code is given)."""
    query = select(Organisation).order_by(Organisation.id)
    if org_code:
        query = query.where(Organisation.code == org_code)
    org = session.exec(query).scalars().first()  # type: ignore[call-overload]
    if org is None:
        raise LookupError(f"no organisation {org_code or ''} in the database".replace("  ", " "))
    dataset: Dataset = {ORGANISATION.name: Table(ORGANISATION, [_record(ORGANISATION, org)], [2])}
    for spec in TABLES:
        model: Any = spec.model
        rows = session.exec(select(model).where(model.org_id == org.id).order_by(model.id)).scalars().all()  # type: ignore[call-overload]
        dataset[spec.name] = Table(spec, [_record(spec, r) for r in rows], list(range(2, len(rows) + 2)))
    return dataset


def export_dir(*, session: Session, actor: Actor, path: Path, org_code: str | None = None) -> list[Path]:
    """Write the stored dataset to ``path`` as CSV files (``export``). The files hold personal data
    (birth dates, names with extensions): only roles with the ``dataset.export`` permission."""
    require(actor, "dataset.export")
    return write_dir(from_db(session, org_code), path)


def _record(spec: TableSpec, instance: Any) -> dict[str, Any]:
    return {c: getattr(instance, c) for c in spec.columns}


def replace_in_db(*, session: Session, actor: Actor, dataset: Dataset) -> int:
    """Make the organisation's stored rows equal ``dataset``; returns the rows it holds.

    The caller validates first. Rows are matched by natural key (``sync_rows``), so an import
    that changes one figure changes one row and writes one change-log entry, and unchanged rows
    keep their ids and versions. Runs inside the session's transaction and commits once: a
    failure at any row leaves the database as it was.
    """
    require(actor, "dataset.replace")
    changelog.attribute(session, actor)
    org_row = dataset[ORGANISATION.name].rows[0]
    org = session.exec(select(Organisation).where(Organisation.code == org_row["code"])).scalars().first()  # type: ignore[call-overload]
    try:
        if org is None:
            org = Organisation(**org_row)
            session.add(org)
        else:
            for name, value in org_row.items():
                if getattr(org, name) != value:
                    setattr(org, name, value)
        session.flush()
        if not all(_order_kept(session, spec, org.id, dataset[spec.name].rows) for spec in TABLES):
            # Rows are stored (and exported) in file order; files that reorder rows or add one in
            # the middle are loaded afresh: every row deleted and created again, and logged so.
            for spec in reversed(TABLES):
                delete_missing(session, spec, org.id, [])
        # parents before children: a changed row may point at a parent created just before it
        for spec in TABLES:
            upsert_rows(session, spec, org.id, dataset[spec.name].rows)
        # children before parents: nothing still points at a row when it goes
        for spec in reversed(TABLES):
            delete_missing(session, spec, org.id, dataset[spec.name].rows)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return 1 + sum(len(dataset[spec.name].rows) for spec in TABLES)


Key = tuple[Any, ...]


def _stored(session: Session, spec: TableSpec, org_id: int) -> dict[Key, Any]:
    model: Any = spec.model
    rows = session.exec(select(model).where(model.org_id == org_id).order_by(model.id)).scalars().all()  # type: ignore[call-overload]
    return {tuple(getattr(r, c) for c in spec.key): r for r in rows}


def _order_kept(session: Session, spec: TableSpec, org_id: int, rows: list[dict[str, Any]]) -> bool:
    """Whether updating in place keeps file order: the kept rows in the stored order, new rows last."""
    stored = list(_stored(session, spec, org_id))
    wanted = [tuple(row[c] for c in spec.key) for row in rows]
    known = set(stored)
    kept_in_file = [k for k in wanted if k in known]
    if kept_in_file != [k for k in stored if k in set(wanted)]:
        return False
    first_new = next((i for i, k in enumerate(wanted) if k not in known), len(wanted))
    return all(k not in known for k in wanted[first_new:])


def upsert_rows(session: Session, spec: TableSpec, org_id: int, rows: list[dict[str, Any]]) -> tuple[int, int]:
    """Update the stored rows whose key is in ``rows`` and differ; insert the new keys in the
    order given (after every stored row, so ids and export follow the file). (updated, inserted)"""
    stored = _stored(session, spec, org_id)
    updated = 0
    new = []
    for row in rows:
        instance = stored.get(tuple(row[c] for c in spec.key))
        if instance is None:
            new.append(spec.model(org_id=org_id, **row))
            continue
        changes = {c: row[c] for c in spec.columns if getattr(instance, c) != row[c]}
        for name, value in changes.items():
            setattr(instance, name, value)
        updated += bool(changes)
    session.flush()
    session.add_all(new)
    session.flush()
    return updated, len(new)


def delete_missing(session: Session, spec: TableSpec, org_id: int, rows: list[dict[str, Any]]) -> int:
    """Delete the stored rows whose key is not in ``rows``; returns how many."""
    wanted = {tuple(row[c] for c in spec.key) for row in rows}
    gone = [instance for key, instance in _stored(session, spec, org_id).items() if key not in wanted]
    for instance in reversed(gone):  # children within a table (parent_code) come later
        session.delete(instance)
    session.flush()
    return len(gone)
