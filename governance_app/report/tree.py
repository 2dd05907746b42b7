"""Format-neutral document nodes. Builders produce them; each renderer draws every kind.

Text carries its own Korean public-document markers (□ ○ - ※), so both renderers print
exactly the same words; ``level`` only sets the indentation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go


@dataclass(frozen=True)
class Cover:
    org: str
    title: str
    date_label: str
    subtitle: str | None = None


@dataclass(frozen=True)
class Contents:
    """목차: the level-1 and level-2 headings that follow, without page numbers (as the source)."""


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
class Table:
    columns: list[str]
    rows: list[list[str]]
    align: str  # one letter per column: l, c, r
    widths: list[float]  # relative
    unit: str | None = None  # "(단위: 천원)" printed above the table, right-aligned
    total_rows: frozenset[int] = frozenset()  # rows printed bold (계, 합계)
    font_size: float = 8.5

    def __post_init__(self) -> None:
        n = len(self.columns)
        if len(self.align) != n or len(self.widths) != n or any(len(r) != n for r in self.rows):
            raise ValueError(f"table '{self.columns[0]}': every row, align and widths need {n} columns")


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

    def add(self, *blocks: Block) -> None:
        # a table with nothing to show (a new round before its figures are entered) is a note:
        # a table without rows or columns cannot be laid out, and would say nothing
        self.blocks.extend(NO_DATA if isinstance(b, Table) and _empty(b) else b for b in blocks)

    def contents(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading) and b.level <= 2]

    def text(self) -> str:
        """Every word of the document, for tests and search."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Cover):
                out += [b.org, b.title, b.subtitle or "", b.date_label]
            elif isinstance(b, Heading | Paragraph):
                out.append(b.text)
            elif isinstance(b, Table):
                out += [b.unit or "", *b.columns, *(c for r in b.rows for c in r)]
        return "\n".join(out)
