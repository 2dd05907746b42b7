"""The dataset: which CSV file holds which table, in load order, and how cells are written.

A dataset directory holds one UTF-8 CSV per table (``<table>.csv``). Columns are the model's
fields without the database-only ``id`` and ``org_id``. Empty cell = empty value. Dates are
ISO (2025-08-02), booleans ``true``/``false``, money whole 천원 without separators,
negative numbers with a minus sign (the △ sign is for display only).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from governance_app.core.models import Correction, Organisation, Report, ReportedFigure
from governance_app.core.tables import TableSpec
from governance_app.domains import DOMAINS

# Largest CSV cell read: audit evidence travels as base64 (up to 10 MB of file, see
# audit_followup/evidence.py); the csv module's default limit is 128 KiB.
CELL_LIMIT = 32 * 1024 * 1024
csv.field_size_limit(CELL_LIMIT)


# Load order: every table after the tables it refers to: the report round's own tables, then
# each domain's tables in the registry's order (governance_app.domains).
ORGANISATION = TableSpec(Organisation)
TABLES: tuple[TableSpec, ...] = tuple(
    TableSpec(m) for m in (Report, Correction, ReportedFigure, *(m for d in DOMAINS for m in d.tables))
)
ALL_TABLES: tuple[TableSpec, ...] = (ORGANISATION, *TABLES)
BY_NAME = {spec.name: spec for spec in ALL_TABLES}


def cell_text(value: Any, scale: int | None = None) -> str:
    """Canonical CSV text of a stored value (so export is byte-stable)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:.{scale if scale is not None else 1}f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows as text; a UTF-8 BOM (as Excel writes it) is accepted."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        rows = list(reader)
    if not rows:
        return [], []
    return rows[0], rows[1:]
