"""Validate a dataset: types (parsing), value rules (pandera, per domain), unique keys,
references between tables, and reconciliation of reported figures (per domain).

Errors mean the data cannot be stored; warnings are reconciliation findings that the data
(like the source document itself) may legitimately carry and that the app shows.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from sqlalchemy import ForeignKeyConstraint

from governance_app.core.findings import Finding, error, warning
from governance_app.core.i18n import josa
from governance_app.core.parsing import Table, column_type
from governance_app.dataset import ALL_TABLES, BY_NAME
from governance_app.domains import DOMAINS

Dataset = dict[str, Table]

SCHEMAS: dict[str, pa.DataFrameSchema] = {}
RECONCILERS: list[Callable[[Dataset], list[Finding]]] = []
# Number columns that may hold a negative value (table -> columns), declared by each domain's
# schemas.SIGNED; every other integer or decimal column is a count, amount or rate: >= 0.
SIGNED: dict[str, frozenset[str]] = {}
for _domain in DOMAINS:  # the registry's order: the order of the findings
    SCHEMAS.update(_domain.schemas)
    RECONCILERS.append(_domain.reconcile)
    for _table, _columns in getattr(importlib.import_module(f"{_domain.name}.schemas"), "SIGNED", {}).items():
        SIGNED[_table] = SIGNED.get(_table, frozenset()) | frozenset(_columns)


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
        findings += _non_negative(table)
        if spec.name in SCHEMAS:
            findings += _pandera(table, SCHEMAS[spec.name])
    findings += _references(dataset)
    findings += _report_rounds(dataset)
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
                    f"{table.spec.file_name} {table.lines[i]}행의 키가 {seen[key]}행과 중복됩니다",
                )
            )
        else:
            seen[key] = table.lines[i]
    return out


def _non_negative(table: Table) -> list[Finding]:
    """Counts, amounts and rates are never negative unless the domain declared the column signed
    (a column the domain's pandera schema checks keeps that check's own range)."""
    name = table.spec.name
    signed = SIGNED.get(name, frozenset()) | frozenset(SCHEMAS[name].columns if name in SCHEMAS else ())
    columns = [c for c in table.spec.columns if c not in signed and column_type(table.spec, c)[0] in (int, Decimal)]
    out = []
    for i, row in enumerate(table.rows):
        for column in columns:
            value = row.get(column)
            if value is not None and value < 0:
                out.append(
                    error(
                        name,
                        table.where(i),
                        column,
                        value,
                        ">= 0",
                        f"{table.spec.file_name} {table.lines[i]}행 {column}: 음수일 수 없습니다 ({value})",
                    )
                )
    return out


def _report_rounds(dataset: Dataset) -> list[Finding]:
    """Exactly one current report round, and every code a round names exists. A round opened for
    a new year (its fiscal year later than every other round's: ``round new``) may name the
    statistics period and audit session that will arrive with its data: a warning until then."""
    table = dataset.get("report")
    if table is None or not table.rows:
        return []
    out = []
    current = [i for i, r in enumerate(table.rows) if r.get("is_current")]
    if len(current) != 1:
        lines = ", ".join(f"{table.lines[i]}행" for i in current) or "없음"
        out.append(
            error(
                "report",
                table.where(current[1]) if len(current) > 1 else "-",
                "is_current",
                len(current),
                1,
                f"report.csv is_current: 현재 보고 회차는 하나여야 합니다 (true인 행: {lines})",
            )
        )
    targets = {"call_period_code": "call_period", "audit_session_code": "audit_session"}
    years = [r.get("fiscal_year") or 0 for r in table.rows]
    for i, row in enumerate(table.rows):
        others = years[:i] + years[i + 1 :]
        finding = warning if others and years[i] > max(others) else error
        for column, target in targets.items():
            known = {r["code"] for r in rows(dataset, target)}
            value = row.get(column)
            if value is not None and value not in known:
                out.append(
                    finding(
                        "report",
                        table.where(i),
                        column,
                        value,
                        f"a code of {target}",
                        f"report.csv {table.lines[i]}행 {column}: {josa(value, '이')} {target}.csv에 없습니다",
                    )
                )
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
                    f"{table.spec.file_name} {where}{column}: 허용 범위를 벗어남 ({case.get('check')})",
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
                        f"{spec.file_name} {table.lines[i]}행 {','.join(local)}: "
                        f"{josa(shown, '이')} {BY_NAME[target_name].file_name}에 없습니다",
                    )
                )
    return out


def rows(dataset: Dataset, name: str) -> list[dict[str, Any]]:
    return dataset[name].rows if name in dataset else []
