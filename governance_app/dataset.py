"""The dataset: which CSV file holds which table, in load order, and how cells are written.

A dataset directory holds one UTF-8 CSV per table (``<table>.csv``). Columns are the model's
fields without the database-only ``id`` and ``org_id``. Empty cell = empty value. Dates are
ISO (2025-08-02), booleans ``true``/``false``, money whole 천원 without separators,
negative numbers with a minus sign (the △ sign is for display only). A text that starts with
= + - @, a tab or CR is written after an apostrophe ('=1+1), so a spreadsheet opening the file
shows text and runs no formula; import removes it again (``core.parsing.text_cell``).
"""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from governance_app.core.errors import RefusalError
from governance_app.core.i18n import josa
from governance_app.core.models import Correction, Organisation, Report, ReportedFigure
from governance_app.core.parsing import text_cell
from governance_app.core.tables import TableSpec
from governance_app.domains import DOMAINS

# Largest CSV cell read: audit evidence travels as base64 (up to 10 MB of file, see
# audit_followup/evidence.py); the csv module's default limit is 128 KiB.
CELL_LIMIT = 32 * 1024 * 1024
csv.field_size_limit(CELL_LIMIT)
FILE_LIMIT = 256 * 1024 * 1024  # one table file; a larger one is refused before it is read


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
    if isinstance(value, str):
        return text_cell(value)  # a formula-like text is written so a spreadsheet shows text
    return str(value)


def write_csv(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


class UnreadableFileError(RefusalError):
    """A table file that cannot be read as UTF-8 CSV; the message (Korean) names file and line."""


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows as text; a UTF-8 BOM (as Excel writes it) is accepted.

    Only a regular file of at most FILE_LIMIT bytes is read: a directory, a FIFO (which would
    block the reader for ever) or a device named like a table file is refused. It is opened
    without blocking and checked on the open descriptor, so it cannot be swapped in between."""
    name = path.name
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError as exc:
        raise UnreadableFileError(f"{josa(name, '은')} 폴더입니다: 일반 파일만 읽습니다") from exc
    except OSError as exc:
        raise UnreadableFileError(f"{josa(name, '을')} 열 수 없습니다 ({exc.strerror})") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFileError(
                f"{josa(name, '은')} 일반 파일이 아닙니다 (폴더, FIFO, 장치 파일은 읽지 않습니다)"
            )
        if info.st_size > FILE_LIMIT:
            raise UnreadableFileError(
                f"{josa(name, '이')} 너무 큽니다 ({info.st_size:,}바이트, 최대 {FILE_LIMIT:,}바이트)"
            )
        handle = os.fdopen(fd, encoding="utf-8-sig", newline="")
        fd = -1  # the file object owns it now
    finally:
        if fd >= 0:
            os.close(fd)
    with handle:
        reader = csv.reader(handle)
        try:
            rows = list(reader)
        except csv.Error as exc:
            raise UnreadableFileError(
                f"{name} {reader.line_num}행: CSV로 읽을 수 없습니다 (한 칸은 최대 {CELL_LIMIT:,}자; {exc})"
            ) from exc
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                f"{name} {reader.line_num}행: UTF-8이 아닌 바이트가 있습니다 ({exc.start}번째 바이트 부근)"
            ) from exc
    if not rows:
        return [], []
    return rows[0], rows[1:]
