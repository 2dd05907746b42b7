"""PDF renderer (reportlab platypus): A4, NanumGothic embedded, page numbers, repeated
table headers, landscape pages where a block asks for them."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
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
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import Flowable

from governance_app.report import images
from governance_app.report.fonts import FONT_NAME, font_file
from governance_app.report.tree import Chart, Contents, Cover, Document, Heading, PageBreak, Paragraph, Table

# Binary image streams: reportlab's pure-Python ASCII85 encoding of chart images would
# otherwise take most of the rendering time (and make the file 25 % larger).
rl_config.useA85 = 0

BOLD = f"{FONT_NAME}Bold"
MARGIN = 18 * mm
HEADER_FILL = colors.HexColor("#dfe6ee")
TOTAL_FILL = colors.HexColor("#f3f5f8")
_registered = False


def _register_fonts() -> None:
    global _registered
    if _registered:
        return
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_file())))
    pdfmetrics.registerFont(TTFont(BOLD, str(font_file(bold=True))))
    pdfmetrics.registerFontFamily(FONT_NAME, normal=FONT_NAME, bold=BOLD, italic=FONT_NAME, boldItalic=BOLD)
    _registered = True


def _style(
    name: str,
    size: float,
    *,
    bold: bool = False,
    align: int = TA_LEFT,
    indent: float = 0,
    before: float = 0,
    after: float = 3,
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=BOLD if bold else FONT_NAME,
        fontSize=size,
        leading=size * 1.45,
        alignment=align,
        leftIndent=indent,
        spaceBefore=before,
        spaceAfter=after,
    )


HEADINGS = {1: (17, 10, 8), 2: (14, 8, 5), 3: (12, 8, 4), 4: (10.5, 5, 2)}


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


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


def render_pdf(document: Document) -> bytes:
    _register_fonts()
    buffer = io.BytesIO()
    portrait_size, landscape_size = A4, landscape(A4)

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(FONT_NAME, 8)
        width = canvas._pagesize[0]
        if doc.page > 1:
            canvas.drawCentredString(width / 2, 10 * mm, f"- {doc.page - 1} -")
            canvas.drawRightString(width - MARGIN, canvas._pagesize[1] - 10 * mm, document.title)
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

    doc = BaseDocTemplate(
        buffer,
        pagesize=portrait_size,
        title=document.title,
        author="서울특별시 120다산콜재단",
        initialFontName=FONT_NAME,
        pageTemplates=[
            PageTemplate("portrait", [frame(portrait_size)], onPage=footer, pagesize=portrait_size),
            PageTemplate("landscape", [frame(landscape_size)], onPage=footer, pagesize=landscape_size),
        ],
    )
    width = {"portrait": portrait_size[0] - 2 * MARGIN, "landscape": landscape_size[0] - 2 * MARGIN}
    orientation = "portrait"
    story: list[Flowable] = []
    body = _style("body", 10)
    for block in document.blocks:
        if isinstance(block, Cover):
            story += [
                Spacer(1, 70 * mm),
                RLParagraph(_text(block.title), _style("cover", 30, bold=True, align=TA_CENTER, after=12)),
            ]
            if block.subtitle:
                story.append(RLParagraph(_text(block.subtitle), _style("coversub", 14, align=TA_CENTER, after=8)))
            story += [
                Spacer(1, 20 * mm),
                RLParagraph(_text(block.date_label), _style("coverdate", 16, align=TA_CENTER, after=40)),
                Spacer(1, 50 * mm),
                RLParagraph(_text(block.org), _style("coverorg", 18, bold=True, align=TA_CENTER)),
                RLPageBreak(),
            ]
        elif isinstance(block, Contents):
            story.append(RLParagraph("목　차", _style("toc", 18, bold=True, align=TA_CENTER, after=14)))
            for h in document.contents():
                story.append(
                    RLParagraph(
                        _text(h.text),
                        _style(
                            f"toc{h.level}",
                            12 if h.level == 1 else 10.5,
                            bold=h.level == 1,
                            indent=(h.level - 1) * 8 * mm,
                            before=6 if h.level == 1 else 1,
                        ),
                    )
                )
            story.append(RLPageBreak())
        elif isinstance(block, Heading):
            size, before, after = HEADINGS[block.level]
            # no heading alone at the foot of a page; a section needs room for its first table
            story.append(CondPageBreak((90 if block.level <= 2 else 45) * mm))
            story.append(
                RLParagraph(
                    _text(block.text),
                    _style(f"h{block.level}", size, bold=True, before=before, after=after),
                )
            )
        elif isinstance(block, Paragraph):
            style = _style("p", 8.5 if block.small else 10, bold=block.bold, indent=block.level * 5 * mm)
            paragraph = RLParagraph(_text(block.text), style)
            story.append(_Box(paragraph, width[orientation]) if block.boxed else paragraph)
            if block.boxed:
                story.append(Spacer(1, 3 * mm))
        elif isinstance(block, Table):
            story += _table(block, width[orientation])
        elif isinstance(block, Chart):
            data = images.jpeg(block.figure, block.width_px, block.height_px)
            w = width[orientation]
            h = w * block.height_px / block.width_px
            story += [Image(io.BytesIO(data), width=w, height=h), Spacer(1, 3 * mm)]
        elif isinstance(block, PageBreak):
            if block.landscape is not None:
                orientation = "landscape" if block.landscape else "portrait"
                story.append(NextPageTemplate(orientation))
            story.append(RLPageBreak())
    if not story:
        story.append(RLParagraph("", body))
    doc.build(story)
    return buffer.getvalue()


def _table(block: Table, available: float) -> list[Flowable]:
    size = block.font_size
    aligns = {"l": TA_LEFT, "c": TA_CENTER, "r": TA_RIGHT}
    head = _style("th", size, bold=True, align=TA_CENTER, after=0)
    cells = [[RLParagraph(_text(c), head) for c in block.columns]]
    for i, row in enumerate(block.rows):
        styles = [_style(f"td{a}", size, bold=i in block.total_rows, align=aligns[a], after=0) for a in block.align]
        cells.append([RLParagraph(_text(c), s) for c, s in zip(row, styles, strict=True)])
    total = sum(block.widths)
    table = RLTable(cells, colWidths=[available * w / total for w in block.widths], repeatRows=1)
    pad = 1 if size < 8 else 2  # dense tables (the month-by-month timeline) fit one page
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#7f8c8d")),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]
    commands += [("BACKGROUND", (0, r + 1), (-1, r + 1), TOTAL_FILL) for r in block.total_rows]
    table.setStyle(TableStyle(commands))
    out: list[Flowable] = []
    if block.unit:
        out.append(RLParagraph(_text(block.unit), _style("unit", 8.5, align=TA_RIGHT, after=1)))
    out.append(table)
    out.append(Spacer(1, 4 * mm))
    # Keep short one-line tables on one page; long or tall-row tables split across pages.
    short = len(block.rows) <= 12 and not any("\n" in c for r in block.rows for c in r)
    return [KeepTogether(out)] if short else out
