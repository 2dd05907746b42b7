"""HWPX renderer (python-hwpx): the same tree as the PDF and DOCX for 한글.

NanumGothic (나눔고딕) replaces the template's 함초롬 fonts, which Linux machines lack; headings
are bold runs of 바탕글 paragraphs, because the 개요 styles number themselves and our headings
carry their own marks (I., ①, □); tables get widths from ``report.layout``, merged header and
body cells, repeated header rows and row heights from their line count (python-hwpx's default
height is about 1 mm); page numbers sit at the bottom centre, the cover has none; the
timeline's section is landscape.
"""

from __future__ import annotations

import itertools
from copy import deepcopy
from typing import Any, assert_never

from hwpx import HwpxDocument

from governance_app.report import images
from governance_app.report.layout import protect, widths
from governance_app.report.tree import Chart, Contents, Cover, Document, Heading, PageBreak, Paragraph, Table

FONT_FACE = "나눔고딕"
TEMPLATE_FONTS = ("함초롬돋움", "함초롬바탕")
BODY_STYLE_ID = "0"  # 바탕글, not a 개요 style: those number themselves
MARGIN_MM = 18  # from the paper's edge to the body, as in the PDF
HEADER_MM = 8  # the running header and the page number sit inside the margin (10 mm from the edge)
UNIT_PER_MM = 7200 / 25.4  # HWPUNIT: 1/7200 inch
UNIT_PER_PT = 100
HEADING_SIZES = {1: 17, 2: 14, 3: 12, 4: 10.5}
CELL_PAD_PT = 4.0  # top + bottom padding of a cell
DENSE_CELL_PAD_PT = 2.0  # in a table of small type (under 8 pt), as the PDF pads it
CELL_SIDE = str(3 * UNIT_PER_PT)  # left and right padding
HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
ALIGN = {"l": "LEFT", "c": "CENTER", "r": "RIGHT"}
_IDS = itertools.count(1_900_000_000)  # paragraph ids of the cells we fill


class _Writer:
    def __init__(self, document: Document):
        self.document = document
        self.doc = HwpxDocument.new()
        self.landscape = False
        self.break_pending = False
        self._runs: dict[tuple[float, bool], str] = {}
        self._aligns: dict[str, str] = {}
        self._formats: dict[tuple[str, bool, int], str] = {}
        for face in TEMPLATE_FONTS:
            self.doc.styles.replace_font(face, FONT_FACE)
        self._page_setup(self.doc.sections[0], landscape=False)
        self.doc.page.set_page_number(position="BOTTOM_CENTER", prefix="- ", suffix=" -")
        self.doc.page.set_header(text=document.title)
        self.doc.page.set_visibility(hide_first_header=True, hide_first_page_num=True)  # the cover

    def _page_setup(self, section: Any, landscape: bool) -> None:
        self.doc.set_page_setup(
            paper_size="A4",
            orientation="landscape" if landscape else "portrait",
            # 한글's body starts below the header area: top + header = the PDF's margin
            margins_mm={
                "left": MARGIN_MM,
                "right": MARGIN_MM,
                "top": MARGIN_MM - HEADER_MM,
                "bottom": MARGIN_MM - HEADER_MM,
            },
            header_margin_mm=HEADER_MM,
            footer_margin_mm=HEADER_MM,
            section=section,
        )

    @property
    def usable_mm(self) -> float:
        return (297 if self.landscape else 210) - 2 * MARGIN_MM

    @property
    def body_height_units(self) -> int:
        """The height of a page's body (between header and footer areas) in HWPUNIT."""
        return int(((210 if self.landscape else 297) - 2 * MARGIN_MM) * UNIT_PER_MM)

    def run_style(self, size: float, bold: bool = False) -> str:
        key = (size, bold)
        if key not in self._runs:
            self._runs[key] = self.doc.styles.ensure_run(bold=bold, size=size, font=FONT_FACE)
        return self._runs[key]

    def para_format(self, align: str = "l", keep: bool = False, indent: int = 0) -> str:
        """A paragraph property: alignment, keep with the next paragraph, left indent in steps."""
        key = (align, keep, indent)
        if key not in self._formats:
            header = self.doc._root.headers[0]
            self._formats[key] = header.ensure_paragraph_format(
                alignment=ALIGN[align],
                margins={"left": int(indent * 5 * UNIT_PER_MM)} if indent else None,
                break_setting={"keep_with_next": keep},
            )
        return self._formats[key]

    def paragraph(
        self, text: str, size: float = 10, bold: bool = False, *, align: str = "l", keep: bool = False, indent: int = 0
    ) -> Any:
        attrs = {"pageBreak": "1"} if self.break_pending else {}
        self.break_pending = False
        return self.doc.add_paragraph(
            protect(text),
            style_id_ref=BODY_STYLE_ID,
            para_pr_id_ref=self.para_format(align, keep, indent),
            char_pr_id_ref=self.run_style(size, bold),
            inherit_style=False,
            **attrs,
        )

    def render(self) -> bytes:
        for block in self.document.blocks:
            match block:
                case Cover():
                    self.cover(block)
                case Contents():
                    self.paragraph("목　차", 18, bold=True, align="c")
                    for h in self.document.contents():
                        self.paragraph(h.text, 12 if h.level == 1 else 10.5, h.level == 1, indent=h.level - 1)
                    self.break_pending = True
                case Heading():
                    self.paragraph(block.text, HEADING_SIZES[block.level], bold=True, keep=True)
                case Paragraph():
                    for line in block.text.split("\n"):
                        size = 8.5 if block.small else 10
                        self.paragraph(line, size, block.bold or block.boxed, keep=block.bold, indent=block.level)
                case Table():
                    self.table(block)
                case Chart():
                    data = images.png(block.figure, block.width_px, block.height_px)
                    if self.break_pending:
                        self.paragraph("")
                    width = self.usable_mm
                    self.doc.add_picture(
                        data, "png", width_mm=width, height_mm=width * block.height_px / block.width_px
                    )
                case PageBreak():
                    if block.landscape is not None and block.landscape != self.landscape:
                        self.landscape = block.landscape
                        section = self.doc.add_section()
                        self._page_setup(section, self.landscape)
                        self.break_pending = False
                    else:
                        self.break_pending = True
                case _:
                    assert_never(block)
        return self.doc.to_bytes()  # python-hwpx's validator runs in the tests (about 1 s here)

    def cover(self, block: Cover) -> None:
        for _ in range(8):
            self.paragraph("")
        self.paragraph(block.title, 30, bold=True, align="c")
        if block.subtitle:
            self.paragraph(block.subtitle, 14, align="c")
        for _ in range(3):
            self.paragraph("")
        self.paragraph(block.date_label, 16, align="c")
        for _ in range(8):
            self.paragraph("")
        self.paragraph(block.org, 18, bold=True, align="c")
        self.break_pending = True

    def align(self, letter: str) -> str:
        """The paragraph property id of a left, centred or right-aligned cell paragraph."""
        if letter not in self._aligns:
            header = self.doc._root.headers[0]
            self._aligns[letter] = header.ensure_paragraph_alignment(ALIGN[letter])
        return self._aligns[letter]

    def table(self, block: Table) -> None:
        if block.unit or self.break_pending:
            self.paragraph(block.unit or "", 8.5, align="r", keep=True)
        n_head = block.header_rows
        n_rows, n_cols = n_head + len(block.rows), len(block.columns)
        usable_pt = self.usable_mm * 72 / 25.4
        col_units = [int(w * UNIT_PER_PT) for w in widths(block, usable_pt)]
        table = self.doc.add_table(n_rows, n_cols, width=sum(col_units))
        # python-hwpx looks every cell up through a rebuilt grid (quadratic): fill the XML directly
        tbl = table.element
        tbl.set("repeatHeader", "1")
        rows = [list(tr.iter(f"{HP}tc")) for tr in tbl.findall(f"{HP}tr")]
        dense = block.font_size < 8  # the month-by-month timeline: one landscape page, as in the PDF
        line_units = block.font_size * (1.35 if dense else 1.6) * UNIT_PER_PT
        pad_units = (DENSE_CELL_PAD_PT if dense else CELL_PAD_PT) * UNIT_PER_PT
        lines = [1] * n_rows
        texts: dict[tuple[int, int], tuple[str, str, bool]] = {}
        for row, col, _rs, _cs, text in block.header_cells():
            texts[row, col] = (text, "c", True)
        merged = {(n_head + r, c): n for r, c, n in block.body_spans()}
        covered = {(r + k, c) for (r, c), n in merged.items() for k in range(1, n)}
        for i, values in enumerate(block.rows):
            for c, value in enumerate(values):
                if (n_head + i, c) not in covered:
                    texts[n_head + i, c] = (value, block.columns[c].align, i in block.total_rows)
        for (r, _c), (text, _a, _b) in texts.items():
            lines[r] = max(lines[r], text.count("\n") + 1)
        heights = [int(n * line_units + pad_units) for n in lines]
        # a table that keeps together and fits a page is never split (it moves to the next page
        # whole: "NONE"); a longer one splits between rows ("CELL"), its header repeated
        fits = sum(heights) <= self.body_height_units * 0.9
        tbl.set("pageBreak", "NONE" if block.keeps_together and fits else "CELL")
        spans = {(r, c): (rs, cs) for r, c, rs, cs, _t in block.header_cells()}
        spans.update({key: (n, 1) for key, n in merged.items()})
        for r, cells in enumerate(rows):
            for c, tc in enumerate(cells):
                if r < n_head:
                    tc.set("header", "1")
                row_span, col_span = spans.get((r, c), (1, 1))
                tc.find(f"{HP}cellSpan").attrib.update({"colSpan": str(col_span), "rowSpan": str(row_span)})
                tc.find(f"{HP}cellSz").attrib.update(
                    {"width": str(sum(col_units[c : c + col_span])), "height": str(sum(heights[r : r + row_span]))}
                )
                # 3 pt left and right, as the PDF pads its cells (the template's 1.8 mm wraps figures)
                tc.find(f"{HP}cellMargin").attrib.update({"left": CELL_SIDE, "right": CELL_SIDE})
                tc.set("hasMargin", "1")
                text, align, bold = texts.get((r, c), ("", "l", False))
                self._cell_text(tc, protect(text), self.align(align), self.run_style(block.font_size, bold))
        # covered cells of a merge leave the row (HWPX keeps only the anchor)
        for r, cells in enumerate(rows):
            for c, tc in enumerate(cells):
                inside = any(
                    (r, c) != (ar, ac) and ar <= r < ar + rs and ac <= c < ac + cs
                    for (ar, ac), (rs, cs) in spans.items()
                )
                if inside:
                    tc.getparent().remove(tc)
        tbl.find(f"{HP}sz").set("height", str(sum(heights)))
        tbl.find(f"{HP}inMargin").attrib.update({"left": CELL_SIDE, "right": CELL_SIDE})
        table.mark_dirty()

    @staticmethod
    def _cell_text(tc: Any, text: str, para_pr: str, char_pr: str) -> None:
        sub = tc.find(f"{HP}subList")
        template = sub.find(f"{HP}p")
        for p in sub.findall(f"{HP}p"):
            sub.remove(p)
        for line in text.split("\n"):
            p = deepcopy(template)
            p.set("paraPrIDRef", para_pr)
            p.set("id", str(next(_IDS)))
            run = p.find(f"{HP}run")
            run.set("charPrIDRef", char_pr)
            run.find(f"{HP}t").text = line
            sub.append(p)


def render_hwpx(document: Document) -> bytes:
    return _Writer(document).render()
