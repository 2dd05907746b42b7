"""Validate a dataset: types (parsing), value rules (pandera, per domain), unique keys,
references between tables, and reconciliation of reported figures (per domain).

Errors mean the data cannot be stored; warnings are reconciliation findings that the data
(like the source document itself) may legitimately carry and that the app shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from sqlalchemy import ForeignKeyConstraint

from governance_app.core.findings import Finding, error
from governance_app.core.i18n import josa
from governance_app.core.parsing import Table
from governance_app.dataset import ALL_TABLES, BY_NAME
from governance_app.domains import DOMAINS

Dataset = dict[str, Table]

SCHEMAS: dict[str, pa.DataFrameSchema] = {}
RECONCILERS: list[Callable[[Dataset], list[Finding]]] = []
for _domain in DOMAINS:  # the registry's order: the order of the findings
    SCHEMAS.update(_domain.schemas)
    RECONCILERS.append(_domain.reconcile)


def validate(dataset: Dataset, *, reconcile: bool = True) -> list[Finding]:
    """Every finding for a parsed dataset (parse findings are the caller's).

    Pass ``reconcile=False`` when parsing already failed: sums over half-read rows mislead.
    """
    findings: list[Finding] = []
    for spec in ALL_TABLES:
        table = dataset.get(spec.name)
        if table is None:
            continue
        findings += _unique_keys(table)
        if spec.name in SCHEMAS:
            findings += _pandera(table, SCHEMAS[spec.name])
    findings += _references(dataset)
    if reconcile and not any(f.severity == "error" for f in findings):
        # Totals only mean something once every row is well-formed and linked.
        for reconcile in RECONCILERS:
            findings += reconcile(dataset)
    return findings


def _unique_keys(table: Table) -> list[Finding]:
    seen: dict[str, int] = {}
    out = []
    for i, row in enumerate(table.rows):
        key = table.key_of(row)
        if key in seen:
            out.append(
                error(
                    table.spec.name,
                    table.where(i),
                    ",".join(table.spec.key),
                    key,
                    "unique",
                    f"{table.lines[i]}행의 키가 {seen[key]}행과 중복됩니다",
                )
            )
        else:
            seen[key] = table.lines[i]
    return out


def _pandera(table: Table, schema: pa.DataFrameSchema) -> list[Finding]:
    if not table.rows:
        return []
    frame = pd.DataFrame(table.rows, columns=table.spec.columns, dtype=object)
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        out = []
        for case in exc.failure_cases.to_dict("records"):
            index = case.get("index")
            if case.get("column") and pd.isna(case.get("failure_case")):
                continue  # an empty cell: the parser already reported required values
            column = case.get("column") or "*"
            if index is None or pd.isna(index):
                row, line = "-", None
            else:
                row, line = table.where(int(index)), table.lines[int(index)]
            where = f"{line}행 " if line else ""
            out.append(
                error(
                    table.spec.name,
                    row,
                    str(column),
                    case.get("failure_case"),
                    case.get("check"),
                    f"{where}{column}: 허용 범위를 벗어남 ({case.get('check')})",
                )
            )
        return out
    return []


def _references(dataset: Dataset) -> list[Finding]:
    """Every code that points at another row must exist (the DB enforces the same)."""
    out: list[Finding] = []
    for spec in ALL_TABLES:
        table = dataset.get(spec.name)
        if table is None:
            continue
        links: list[tuple[list[str], str, list[str]]] = []
        for constraint in spec.model.__table__.constraints:  # type: ignore[attr-defined]
            if isinstance(constraint, ForeignKeyConstraint) and len(constraint.columns) > 1:
                local = [c.name for c in constraint.columns if c.name != "org_id"]
                target = [e.column.name for e in constraint.elements if e.column.name != "org_id"]
                links.append((local, constraint.elements[0].column.table.name, target))
        if "parent_code" in spec.columns:  # a parent within the same table (and year)
            scope = ["fiscal_year"] if "fiscal_year" in spec.columns else []
            links.append(([*scope, "parent_code"], spec.name, [*scope, "code"]))
        for local, target_name, target_cols in links:
            target = dataset.get(target_name)
            known = {tuple(r[c] for c in target_cols) for r in (target.rows if target else [])}
            for i, row in enumerate(table.rows):
                value = tuple(row[c] for c in local)
                if any(v is None for v in value) or value in known:
                    continue
                shown = "/".join(str(v) for v in value)
                out.append(
                    error(
                        spec.name,
                        table.where(i),
                        ",".join(local),
                        shown,
                        f"a {'/'.join(target_cols)} of {target_name}",
                        f"{table.lines[i]}행: {josa(shown, '이')} {BY_NAME[target_name].file_name}에 없습니다",
                    )
                )
    return out


def rows(dataset: Dataset, name: str) -> list[dict[str, Any]]:
    return dataset[name].rows if name in dataset else []
