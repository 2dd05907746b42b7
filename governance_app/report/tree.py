"""Format-neutral document nodes. Builders produce them; each renderer draws every kind.

Text carries its own Korean public-document markers (□ ○ - ※), so every renderer prints
exactly the same words; ``level`` only sets the indentation. A table's columns carry a kind
(number, rate, date, mark, text) that decides alignment, no-wrap and width in every renderer
(``report.layout``), and optional header groups that span several columns (merged cells).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import plotly.graph_objects as go

ColumnKind = Literal["text", "number", "rate", "date", "mark"]
NO_WRAP_KINDS = frozenset({"number", "rate", "date", "mark"})
ALIGN = {"text": "l", "number": "r", "rate": "r", "date": "c", "mark": "c"}


@dataclass(frozen=True)
class Cover:
    org: str
    title: str
    date_label: str
    subtitle: str | None = None


@dataclass(frozen=True)
class Contents:
    """목차: the level-1 and level-2 headings that follow, with their page numbers where the
    format can count them (PDF by a second pass, DOCX and HWPX by their own fields)."""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 part (I.), 2 section (①), 3 item (1-1), 4 block (□)


@dataclass(frozen=True)
class Paragraph:
    text: str
    level: int = 0
    bold: bool = False
    boxed: bool = False  # the lead sentence under an item title
    small: bool = False


@dataclass(frozen=True)
class Column:
    label: str
    kind: ColumnKind = "text"
    width: float = 1.0  # relative share of the width the no-wrap columns leave
    merge_repeats: bool = False  # runs of equal values merge into one cell (소속, 구분)

    @property
    def align(self) -> str:
        return ALIGN[self.kind]

    @property
    def no_wrap(self) -> bool:
        return self.kind in NO_WRAP_KINDS


@dataclass(frozen=True)
class Group:
    """A header cell over ``span`` columns; an empty label lets each column's own label fill
    both header rows (a vertically merged cell)."""

    label: str
    span: int = 1


@dataclass(frozen=True)
class Table:
    columns: list[Column]
    rows: list[list[str]]
    unit: str | None = None  # "(단위: 천원)" printed above the table, right-aligned
    total_rows: frozenset[int] = frozenset()  # rows printed bold (계, 합계)
    font_size: float = 8.5
    groups: tuple[Group, ...] = ()  # a header row above the column labels
    keep: bool = False  # printed on one page however many rows (the month-by-month timeline)

    def __post_init__(self) -> None:
        n = len(self.columns)
        name = self.columns[0].label if self.columns else "?"
        if any(len(r) != n for r in self.rows):
            raise ValueError(f"table '{name}': every row needs {n} columns")
        if self.groups and sum(g.span for g in self.groups) != n:
            raise ValueError(f"table '{name}': the header groups must span {n} columns")

    @property
    def keeps_together(self) -> bool:
        """A short table of one-line rows (or one the builder keeps) stays on one page; a long one
        splits between rows."""
        return self.keep or (len(self.rows) <= 12 and not any("\n" in c for r in self.rows for c in r))

    @property
    def header_rows(self) -> int:
        return 2 if self.groups else 1

    def header_cells(self) -> list[tuple[int, int, int, int, str]]:
        """(row, col, row_span, col_span, text) of every header cell, merged cells once."""
        if not self.groups:
            return [(0, c, 1, 1, col.label) for c, col in enumerate(self.columns)]
        cells, col = [], 0
        for g in self.groups:
            if g.label:
                cells.append((0, col, 1, g.span, g.label))
                cells += [(1, c, 1, 1, self.columns[c].label) for c in range(col, col + g.span)]
            else:
                cells += [(0, c, 2, 1, self.columns[c].label) for c in range(col, col + g.span)]
            col += g.span
        return cells

    def body_spans(self) -> list[tuple[int, int, int]]:
        """(first row, column, rows) of every vertical merge of equal values in a column
        that asks for it; a run stops at a total row."""
        spans = []
        for c, col in enumerate(self.columns):
            if not col.merge_repeats:
                continue
            start = 0
            for r in range(1, len(self.rows) + 1):
                ends = (
                    r == len(self.rows)
                    or self.rows[r][c] != self.rows[start][c]
                    or r in self.total_rows
                    or start in self.total_rows
                )
                if ends:
                    if r - start > 1:
                        spans.append((start, c, r - start))
                    start = r
        return spans


@dataclass(frozen=True)
class Chart:
    figure: go.Figure
    width_px: int = 900
    height_px: int = 420


@dataclass(frozen=True)
class PageBreak:
    landscape: bool | None = None  # switch orientation from the next page on; None keeps it


Block = Cover | Contents | Heading | Paragraph | Table | Chart | PageBreak


NO_DATA = Paragraph("※ 이 회차의 자료가 아직 입력되지 않았습니다.", 1, small=True)


def _empty(table: Table) -> bool:
    return not table.columns or not any(any(cell for cell in row) for row in table.rows)


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)
    author: str = ""  # the organisation, for the file properties

    def add(self, *blocks: Block) -> None:
        # a table with nothing to show (a new round before its figures are entered) is a note:
        # a table without rows or columns cannot be laid out, and would say nothing
        self.blocks.extend(NO_DATA if isinstance(b, Table) and _empty(b) else b for b in blocks)

    def contents(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading) and b.level <= 2]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def text(self) -> str:
        """Every word of the document, for tests and search."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Cover):
                out += [b.org, b.title, b.subtitle or "", b.date_label]
            elif isinstance(b, Heading | Paragraph):
                out.append(b.text)
            elif isinstance(b, Table):
                out += [b.unit or "", *(g.label for g in b.groups), *(c.label for c in b.columns)]
                out += [c for r in b.rows for c in r]
        return "\n".join(out)
