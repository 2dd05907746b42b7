"""PDF renderer (reportlab platypus): A4, NanumGothic embedded, language ko-KR, bookmarks,
a table of contents with page numbers (a second layout pass), an unnumbered cover, a
running header, repeated and merged table headers, landscape pages where a block asks."""

from __future__ import annotations

import io
from typing import Any, assert_never
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import Flowable, PageBreakIfNotEmpty
from reportlab.platypus.tableofcontents import TableOfContents

from governance_app.report import images
from governance_app.report.fonts import FONT_NAME
from governance_app.report.layout import BOLD, MIN_SPLIT_ROWS, protect, register_fonts, widths
from governance_app.report.tree import Chart, Contents, Cover, Document, Heading, PageBreak, Paragraph, Table

# Binary image streams: reportlab's pure-Python ASCII85 encoding of chart images would
# otherwise take most of the rendering time (and make the file 25 % larger).
rl_config.useA85 = 0

MARGIN = 18 * mm
HEADER_FILL = colors.HexColor("#dfe6ee")
TOTAL_FILL = colors.HexColor("#f3f5f8")
ALIGNS = {"l": TA_LEFT, "c": TA_CENTER, "r": TA_RIGHT}
CELL_ALIGN = {"l": "LEFT", "c": "CENTER", "r": "RIGHT"}
HEADINGS = {1: (17, 10, 8), 2: (14, 8, 5), 3: (12, 8, 4), 4: (10.5, 5, 2)}


def _style(
    name: str,
    size: float,
    *,
    bold: bool = False,
    align: int = TA_LEFT,
    indent: float = 0,
    before: float = 0,
    after: float = 3,
    keep: bool = False,
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=BOLD if bold else FONT_NAME,
        fontSize=size,
        leading=size * 1.35,
        alignment=align,
        leftIndent=indent,
        spaceBefore=before,
        spaceAfter=after,
        keepWithNext=int(keep),
    )


def _text(value: str) -> str:
    return escape(protect(value)).replace("\n", "<br/>")


class _Box(Flowable):
    """The boxed lead sentence under an item title."""

    def __init__(self, paragraph: RLParagraph, width: float):
        super().__init__()
        self.paragraph, self.width = paragraph, width

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _, h = self.paragraph.wrap(self.width - 8 * mm, available_height)
        self.height = h + 6 * mm
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setStrokeColor(colors.HexColor("#1f4e79"))
        self.canv.setFillColor(colors.HexColor("#eef3f8"))
        self.canv.roundRect(0, 0, self.width, self.height, 2 * mm, stroke=1, fill=1)
        self.paragraph.drawOn(self.canv, 4 * mm, 3 * mm)


class _HeadingParagraph(RLParagraph):
    """A heading that the template bookmarks and, at level 1-2, lists in the contents."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, plain: str, key: str):
        super().__init__(text, style)
        self.toc_level, self.plain, self.key = level, plain, key


class _Template(BaseDocTemplate):
    _outline_level = -1

    def beforeDocument(self) -> None:  # noqa: N802 (each pass of multiBuild starts a new outline)
        self._outline_level = -1

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's hook name)
        if isinstance(flowable, _HeadingParagraph):
            self.canv.bookmarkPage(flowable.key)
            # a □ block right under a ① section is one level deeper, not two (outlines need every level)
            level = min(flowable.toc_level - 1, self._outline_level + 1)
            self._outline_level = level
            self.canv.addOutlineEntry(flowable.plain, flowable.key, level=level, closed=level >= 1)
            if flowable.toc_level <= 2:
                # the printed page number: the cover is not counted
                self.notify("TOCEntry", (flowable.toc_level - 1, protect(flowable.plain), self.page - 1, flowable.key))


class _Table(RLTable):
    """A table that splits only with at least MIN_SPLIT_ROWS body rows on each side of the break
    (no row left alone at a page foot or head); on a fresh page, where moving on would not help,
    it splits wherever reportlab can."""

    def __init__(self, *args: Any, page_height: float = 0, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._page_height = page_height

    def _getFirstPossibleSplitRowPosition(self, availHeight: float, ignoreSpans: int = 0) -> int:  # noqa: N802, N803
        n = super()._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans)
        rows = len(self._rowHeights)
        if n >= rows or availHeight >= self._page_height - 1:
            return n  # the rest fits, or this is a whole page: any split beats none
        head = self.repeatRows if isinstance(self.repeatRows, int) else max(self.repeatRows) + 1
        last = rows - MIN_SPLIT_ROWS  # the latest split that leaves enough rows for the next page
        if n > last:
            n = super()._getFirstPossibleSplitRowPosition(sum(self._rowHeights[:last]) + 0.01, ignoreSpans)
        return n if n >= head + MIN_SPLIT_ROWS else 0  # 0: no split here, the table starts on the next page

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts: list[Flowable] = super().split(availWidth, availHeight)
        for part in parts:  # reportlab makes the parts with self.__class__: they split by the same rule
            if isinstance(part, _Table):
                part._page_height = self._page_height
        return parts


def _contents() -> list[Flowable]:
    # the contents' own table would otherwise name an unembedded Helvetica
    layout = [("FONTNAME", (0, 0), (-1, -1), FONT_NAME), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    layout += [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]
    toc = TableOfContents(dotsMinLevel=0, tableStyle=TableStyle(layout))
    toc.levelStyles = [
        _style("toc1", 12, bold=True, before=6, after=2),
        _style("toc2", 10.5, indent=8 * mm, after=1),
    ]
    return [RLParagraph("목　차", _style("toc", 18, bold=True, align=TA_CENTER, after=14)), toc]


def render_pdf(document: Document) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    portrait_size, landscape_size = A4, landscape(A4)

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT_NAME, 8)
        page_width, page_height = canvas._pagesize
        if doc.page > 1:  # the cover carries neither number nor header
            canvas.drawCentredString(page_width / 2, 10 * mm, f"- {doc.page - 1} -")
            canvas.drawRightString(page_width - MARGIN, page_height - 10 * mm, document.title)
        canvas.restoreState()

    def frame(size: tuple[float, float]) -> Frame:
        return Frame(
            MARGIN,
            MARGIN,
            size[0] - 2 * MARGIN,
            size[1] - 2 * MARGIN,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    doc = _Template(
        buffer,
        pagesize=portrait_size,
        title=document.title,
        author=document.author or document.title,
        subject=document.title,
        lang="ko-KR",
        initialFontName=FONT_NAME,
        pageTemplates=[
            PageTemplate("portrait", [frame(portrait_size)], onPage=decorate, pagesize=portrait_size),
            PageTemplate("landscape", [frame(landscape_size)], onPage=decorate, pagesize=landscape_size),
        ],
    )
    width = {"portrait": portrait_size[0] - 2 * MARGIN, "landscape": landscape_size[0] - 2 * MARGIN}
    height = {"portrait": portrait_size[1] - 2 * MARGIN, "landscape": landscape_size[1] - 2 * MARGIN}
    orientation = "portrait"
    story: list[Flowable] = []
    for number, block in enumerate(document.blocks):
        match block:
            case Cover():
                story += _cover(block)
            case Contents():
                story += [*_contents(), PageBreakIfNotEmpty()]
            case Heading():
                size, before, after = HEADINGS[block.level]
                # no heading alone at the foot of a page; a section needs room for its first table
                story.append(CondPageBreak((60 if block.level <= 2 else 35) * mm))
                # kept with what follows, unless that is a long table: reportlab would move the whole
                # table to the next page; the room CondPageBreak leaves holds its first rows
                following = document.blocks[number + 1] if number + 1 < len(document.blocks) else None
                keep = not (isinstance(following, Table) and not following.keeps_together)
                style = _style(f"h{block.level}", size, bold=True, before=before, after=after, keep=keep)
                story.append(_HeadingParagraph(_text(block.text), style, block.level, block.text, f"h{number}"))
            case Paragraph():
                following = document.blocks[number + 1] if number + 1 < len(document.blocks) else None
                leads_table = block.bold and isinstance(following, Table)
                if leads_table:  # "ㅇ 세부사업별 예산 현황" is not left at a page foot without its table
                    story.append(CondPageBreak(40 * mm))
                style = _style(
                    "p",
                    8.5 if block.small else 10,
                    bold=block.bold,
                    indent=block.level * 5 * mm,
                    keep=leads_table and following.keeps_together,
                )
                paragraph = RLParagraph(_text(block.text), style)
                story.append(_Box(paragraph, width[orientation]) if block.boxed else paragraph)
                if block.boxed:
                    story.append(Spacer(1, 3 * mm))
            case Table():
                story += _table(block, width[orientation], height[orientation])
            case Chart():
                data = images.jpeg(block.figure, block.width_px, block.height_px)
                w = width[orientation]
                h = w * block.height_px / block.width_px
                story += [Image(io.BytesIO(data), width=w, height=h), Spacer(1, 3 * mm)]
            case PageBreak():
                if block.landscape is not None:
                    orientation = "landscape" if block.landscape else "portrait"
                    story.append(NextPageTemplate(orientation))
                story.append(PageBreakIfNotEmpty())
            case _:
                assert_never(block)
    if not story:
        story.append(RLParagraph("", _style("body", 10)))
    if any(isinstance(b, Contents) for b in document.blocks):
        doc.multiBuild(story)  # the second pass prints the page numbers in the contents
    else:
        doc.build(story)
    return buffer.getvalue()


def _cover(block: Cover) -> list[Flowable]:
    out: list[Flowable] = [
        Spacer(1, 70 * mm),
        RLParagraph(_text(block.title), _style("cover", 30, bold=True, align=TA_CENTER, after=12)),
    ]
    if block.subtitle:
        out.append(RLParagraph(_text(block.subtitle), _style("coversub", 14, align=TA_CENTER, after=8)))
    return [
        *out,
        Spacer(1, 20 * mm),
        RLParagraph(_text(block.date_label), _style("coverdate", 16, align=TA_CENTER, after=40)),
        Spacer(1, 50 * mm),
        RLParagraph(_text(block.org), _style("coverorg", 18, bold=True, align=TA_CENTER)),
        PageBreakIfNotEmpty(),
    ]


def _table(block: Table, available: float, page_height: float) -> list[Flowable]:
    size = block.font_size
    head = _style("th", size, bold=True, align=TA_CENTER, after=0)
    n_head = block.header_rows
    cells: list[list[Any]] = [[""] * len(block.columns) for _ in range(n_head)]
    commands: list[tuple[Any, ...]] = []
    for row, col, row_span, col_span, text in block.header_cells():
        cells[row][col] = RLParagraph(_text(text), head)
        if row_span > 1 or col_span > 1:
            commands.append(("SPAN", (col, row), (col + col_span - 1, row + row_span - 1)))
    merged = {(r, c): n for r, c, n in block.body_spans()}
    covered = {(r + k, c) for (r, c), n in merged.items() for k in range(1, n)}
    for i, row in enumerate(block.rows):
        bold = i in block.total_rows
        line: list[Any] = []
        for c, (value, column) in enumerate(zip(row, block.columns, strict=True)):
            if (i, c) in covered:
                line.append("")
            elif column.no_wrap:
                line.append(protect(value))  # a plain string never wraps
            else:
                style = _style(f"td{column.align}{int(bold)}", size, bold=bold, align=ALIGNS[column.align], after=0)
                line.append(RLParagraph(_text(value), style))
        cells.append(line)
    for (r, c), n in merged.items():
        commands.append(("SPAN", (c, n_head + r), (c, n_head + r + n - 1)))
    table = _Table(cells, colWidths=widths(block, available), repeatRows=n_head, page_height=page_height)
    pad = 1 if size < 8 else 2  # dense tables (the month-by-month timeline) fit one page
    commands += [
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.3),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#7f8c8d")),
        ("BACKGROUND", (0, 0), (-1, n_head - 1), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]
    commands += [("ALIGN", (c, n_head), (c, -1), CELL_ALIGN[col.align]) for c, col in enumerate(block.columns)]
    for r in block.total_rows:
        commands += [("BACKGROUND", (0, n_head + r), (-1, n_head + r), TOTAL_FILL)]
        commands += [("FONTNAME", (0, n_head + r), (-1, n_head + r), BOLD)]
    table.setStyle(TableStyle(commands))
    short = block.keeps_together
    out: list[Flowable] = [] if short else [CondPageBreak(30 * mm)]
    if block.unit:
        out.append(RLParagraph(_text(block.unit), _style("unit", 8.5, align=TA_RIGHT, after=1, keep=short)))
    out.append(table)
    out.append(Spacer(1, 4 * mm))
    # Keep short one-line tables on one page; long or tall-row tables split between rows.
    return [KeepTogether(out)] if short else out
