"""Where a document's tables fall on its pages, read back from a PDF (ours, or LibreOffice's
rendering of the DOCX) with pdftotext: which page holds each body row of a table."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from governance_app.report.layout import protect
from governance_app.report.tree import Document, Table


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_texts(pdf: Path) -> list[str]:
    """Each page's text in drawing order (-raw: a table row's cells follow each other), squashed."""
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [squash(page) for page in out.split("\f")[:-1]]


def row_key(table: Table, row: list[str]) -> str:
    """A body row's cells as one string, merged (repeated-value) columns left out: a merged cell
    is drawn once for several rows."""
    return squash("".join(protect(v) for v, c in zip(row, table.columns, strict=True) if not c.merge_repeats))


def row_pages(table: Table, pages: list[str]) -> list[list[int]]:
    """For every body row, the (1-based) pages whose text holds the row."""
    return [[n for n, text in enumerate(pages, start=1) if row_key(table, row) in text] for row in table.rows]


def placed_rows(table: Table, pages: list[str]) -> list[int] | None:
    """The page of every body row, or None if a row is on no page or cannot be placed: a row
    printed identically on several pages (a 총계 row two tables share) takes the page of a
    neighbouring row among its candidates."""
    found = row_pages(table, pages)
    placed: list[int | None] = [f[0] if len(f) == 1 else None for f in found]
    for _ in range(len(placed)):
        for i, candidates in enumerate(found):
            if placed[i] is None:
                near = [placed[j] for j in (i - 1, i + 1) if 0 <= j < len(placed) and placed[j] in candidates]
                placed[i] = near[0] if near else None
    return None if any(p is None for p in placed) else [p for p in placed if p is not None]


def table_pages(document: Document, pages: list[str]) -> list[dict[int, int] | None]:
    """For every table of ``document``: {page: number of its body rows on that page}, None for a
    table whose rows could not all be placed."""
    out: list[dict[int, int] | None] = []
    for table in document.tables():
        placed = placed_rows(table, pages)
        if placed is None:
            out.append(None)
            continue
        counts: dict[int, int] = {}
        for page in placed:
            counts[page] = counts.get(page, 0) + 1
        out.append(counts)
    return out


def lone_rows(document: Document, pages: list[str], minimum: int = 2) -> list[tuple[str, dict[int, int]]]:
    """Tables split over pages with fewer than ``minimum`` body rows on some page: (first
    column's label and first cell, rows per page)."""
    out = []
    for table, counts in zip(document.tables(), table_pages(document, pages), strict=True):
        if counts and len(counts) > 1 and min(counts.values()) < minimum:
            out.append((f"{table.columns[0].label}: {table.rows[0][0]}", counts))
    return out
