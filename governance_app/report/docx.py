"""DOCX renderer (python-docx): the same tree as the PDF, laid out so that Word, LibreOffice
and 한글 agree with it. NanumGothic declared for East Asian text, language ko-KR, Asian/Latin
autospacing off (it would print "2019 년"), real file properties, an unnumbered cover, a
running header, contents with page-number fields, rows that never split, repeated and merged header rows, and
page breaks carried by the next paragraph (an empty paragraph after a full page is a blank page).
"""

from __future__ import annotations

import io
from typing import Any, assert_never

import docx as python_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from governance_app.core import clock
from governance_app.report import images
from governance_app.report.fonts import FONT_NAME
from governance_app.report.layout import MIN_SPLIT_ROWS, printable, protect, widths
from governance_app.report.tree import Chart, Contents, Cover, Document, Heading, PageBreak, Paragraph, Table

ALIGN = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}
HEADING_SIZES = {1: 17, 2: 14, 3: 12, 4: 10.5}
MARGIN_MM = 18
LANGUAGE = "ko-KR"
# NanumGothic's own line is about 1.15 em: 1.25 of it is near the PDF's leading of 1.35 em
LINE_SPACING = 1.25
CELL_MARGIN_TWIPS = 60  # 3 pt left and right, as the PDF pads its cells


def _set_font(style_or_run: Any, size: float | None = None, bold: bool | None = None) -> None:
    font = style_or_run.font
    font.name = FONT_NAME
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT_NAME)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)  # theme fonts would override the Hangul font


def _child(parent: Any, tag: str, **attrs: str) -> Any:
    """The existing ``tag`` child of ``parent`` or a new one, with ``attrs`` set."""
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        parent.append(element)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _defaults(doc: Any) -> None:
    """Document-wide defaults: the Hangul font, ko-KR, no automatic Asian/Latin spacing."""
    styles = doc.styles.element
    defaults = _child(styles, "w:docDefaults")
    rpr = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
    fonts = _child(rpr, "w:rFonts", ascii=FONT_NAME, hAnsi=FONT_NAME, eastAsia=FONT_NAME, cs=FONT_NAME)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    _child(rpr, "w:lang", val=LANGUAGE, eastAsia=LANGUAGE, bidi="ar-SA")
    _no_autospace(_child(_child(defaults, "w:pPrDefault"), "w:pPr"))
    _no_autospace(doc.styles["Normal"].element.get_or_add_pPr())  # LibreOffice reads the style, not the default
    settings = doc.settings.element
    _child(settings, "w:themeFontLang", val=LANGUAGE, eastAsia=LANGUAGE)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")  # Word recomputes the contents' page fields on opening
    settings.find(qn("w:compat")).addprevious(update)


# w:pPr children that come after w:autoSpaceDN in the schema's sequence
_AFTER_AUTOSPACE = [
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]


def _no_autospace(ppr: Any) -> None:
    """No automatic space between Hangul and Latin text or digits ("2019 년", "10 명")."""
    later = next((child for child in ppr if child.tag in {qn(f"w:{t}") for t in _AFTER_AUTOSPACE}), None)
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "0")
        if later is None:
            ppr.append(element)
        else:
            later.addprevious(element)


def _field(paragraph: Any, instruction: str, result: str = "") -> None:
    _field_begin(paragraph, instruction)
    if result:
        paragraph.add_run(result)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _field_begin(paragraph: Any, instruction: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.extend([begin, text, separate])


def _bookmark(index: int) -> str:
    return f"_Toc{index + 1:06d}"


def _mark(run: Any, index: int) -> None:
    """A bookmark around ``run`` (a heading's text) for the contents' PAGEREF."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(index + 1))
    start.set(qn("w:name"), _bookmark(index))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(index + 1))
    run._r.addprevious(start)
    run._r.addnext(end)


def _page_number(paragraph: Any) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("- ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" -")


def _orient(section: Any, landscape: bool) -> None:
    width, height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    section.header_distance = section.footer_distance = Mm(8)


class _Writer:
    def __init__(self, document: Document):
        self.document = document
        self.doc = python_docx.Document()
        self.landscape = False
        self.break_pending = False
        self.bookmarks = 0
        self._setup()

    def _setup(self) -> None:
        doc, document = self.doc, self.document
        _defaults(doc)
        _set_font(doc.styles["Normal"], 10)
        doc.styles["Normal"].paragraph_format.space_after = Pt(3)
        doc.styles["Normal"].paragraph_format.line_spacing = LINE_SPACING
        for level, size in HEADING_SIZES.items():
            style = doc.styles[f"Heading {level}"]
            _set_font(style, size, bold=True)
            style.font.italic = False
            style.font.color.rgb = RGBColor(0x1F, 0x2D, 0x3D)
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.space_before = Pt(8 if level <= 2 else 5)
            style.paragraph_format.space_after = Pt(4)
        _set_font(doc.styles["Title"], 30, bold=True)
        now = clock.now_utc().replace(microsecond=0)
        props = doc.core_properties
        props.title = printable(document.title)
        props.author = props.last_modified_by = printable(document.author or document.title)
        props.created = props.modified = now
        props.revision = 1
        props.language = LANGUAGE
        props.comments = props.keywords = props.category = props.subject = ""
        section = doc.sections[0]
        _orient(section, landscape=False)
        section.different_first_page_header_footer = True  # the cover: no number, no header
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:start"), "0")  # the page after the cover is "- 1 -", as in the PDF
        section._sectPr.find(qn("w:cols")).addprevious(numbering)
        _page_number(section.footer.paragraphs[0])
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _set_font(header.add_run(protect(document.title)), 8)

    @property
    def usable_mm(self) -> float:
        return (297 if self.landscape else 210) - 2 * MARGIN_MM

    def paragraph(self, style: str | None = None) -> Any:
        """A new paragraph that carries a pending page break."""
        p = self.doc.add_paragraph(style=style)
        if self.break_pending:
            p.paragraph_format.page_break_before = True
            self.break_pending = False
        return p

    def render(self) -> bytes:
        for block in self.document.blocks:
            match block:
                case Cover():
                    self.cover(block)
                case Contents():
                    self.contents()
                case Heading():
                    p = self.paragraph(f"Heading {block.level}")
                    run = p.add_run(protect(block.text))
                    if block.level <= 2:  # the contents' page reference points here
                        _mark(run, self.bookmarks)
                        self.bookmarks += 1
                case Paragraph():
                    self.text(block)
                case Table():
                    self.table(block)
                case Chart():
                    data = images.png(block.figure, block.width_px, block.height_px)
                    p = self.paragraph()
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    p.add_run().add_picture(io.BytesIO(data), width=Mm(self.usable_mm))
                case PageBreak():
                    if block.landscape is not None and block.landscape != self.landscape:
                        self.landscape = block.landscape
                        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
                        for restart in section._sectPr.findall(qn("w:pgNumType")):
                            section._sectPr.remove(restart)  # numbering runs on across sections
                        _orient(section, self.landscape)
                        self.break_pending = False  # the new section starts its own page
                    else:
                        self.break_pending = True
                case _:
                    assert_never(block)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    def centered(self, text: str, size: float, bold: bool = False, before: float = 0) -> None:
        p = self.paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(before)
        _set_font(p.add_run(protect(text)), size, bold=bold)

    def cover(self, block: Cover) -> None:
        self.centered(block.title, 30, bold=True, before=200)
        if block.subtitle:
            self.centered(block.subtitle, 14)
        self.centered(block.date_label, 16, before=50)
        self.centered(block.org, 18, bold=True, before=140)
        self.break_pending = True

    def contents(self) -> None:
        """The contents as entries with PAGEREF fields to bookmarks on the headings: Word and
        LibreOffice both compute each page number as they lay the pages out (LibreOffice keeps a
        TOC field's stored result as it is, so a TOC field would print no numbers there)."""
        self.centered("목　차", 18, bold=True)
        headings = self.document.contents()
        for i, h in enumerate(headings):
            p = self.paragraph()
            p.paragraph_format.left_indent = Mm((h.level - 1) * 8)
            p.paragraph_format.space_before = Pt(6 if h.level == 1 else 1)
            p.paragraph_format.tab_stops.add_tab_stop(Mm(self.usable_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            _set_font(p.add_run(protect(h.text) + "\t"), 12 if h.level == 1 else 10.5, bold=h.level == 1)
            _field(p, f"PAGEREF {_bookmark(i)} \\h")
        self.break_pending = True

    def text(self, block: Paragraph) -> None:
        if block.boxed:
            table = self.doc.add_table(rows=1, cols=1)
            table.style = "Table Grid"
            cell = table.rows[0].cells[0]
            table.columns[0].width = cell.width = Mm(self.usable_mm)
            _shade(cell, "EEF3F8")
            run = cell.paragraphs[0].add_run(protect(block.text))
            _set_font(run, 10, bold=block.bold)
            if self.break_pending:  # a table cannot carry the break: an empty paragraph before it does
                self.paragraph()
            self.paragraph().paragraph_format.space_after = Pt(0)
            return
        p = self.paragraph()
        p.paragraph_format.left_indent = Mm(block.level * 5)
        p.paragraph_format.keep_with_next = block.bold  # a bold lead line stays with what it leads
        _lines(p, protect(block.text), 8.5 if block.small else 10, block.bold)

    def table(self, block: Table) -> None:
        doc = self.doc
        if block.unit or self.break_pending:
            p = self.paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.keep_with_next = True
            p.paragraph_format.space_after = Pt(1)
            if block.unit:
                _set_font(p.add_run(protect(block.unit)), 8.5)
        n_head = block.header_rows
        table = doc.add_table(rows=n_head + len(block.rows), cols=len(block.columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        margins = OxmlElement("w:tblCellMar")
        look = tbl_pr.find(qn("w:tblLook"))
        if look is None:
            tbl_pr.append(margins)
        else:
            look.addprevious(margins)  # the schema puts the margins before w:tblLook
        for side in ("left", "right"):
            _child(margins, f"w:{side}", w=str(CELL_MARGIN_TWIPS), type="dxa")
        grid = [Pt(w) for w in widths(block, Mm(self.usable_mm).pt)]
        for column, width in zip(table.columns, grid, strict=True):
            column.width = width  # the grid LibreOffice and Word lay the table out by
        style_id = _cell_style(doc, block.font_size).style_id
        rows = table.rows
        for r, row in enumerate(rows):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if r < n_head:
                tr_pr.append(OxmlElement("w:tblHeader"))
        cells = [row.cells for row in rows]  # python-docx rebuilds a row's list on every access
        for r in range(len(rows)):
            for c, cell in enumerate(cells[r]):
                cell.width = grid[c]
        for row, col, row_span, col_span, text in block.header_cells():
            cell = cells[row][col]
            self._fill(cell, text, style_id, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
            _shade(cell, "DFE6EE")
            if row_span > 1 or col_span > 1:
                cell.merge(cells[row + row_span - 1][col + col_span - 1])
        merged = {(r, c): n for r, c, n in block.body_spans()}
        covered = {(r + k, c) for (r, c), n in merged.items() for k in range(1, n)}
        for i, values in enumerate(block.rows):
            bold = i in block.total_rows
            for c, (value, column) in enumerate(zip(values, block.columns, strict=True)):
                if (i, c) in covered:
                    continue
                cell = cells[n_head + i][c]
                self._fill(cell, value, style_id, ALIGN[column.align], bold=bold)
                if bold:
                    _shade(cell, "F3F5F8")
                if column.no_wrap:  # after w:shd in the schema's order
                    _child(cell._tc.get_or_add_tcPr(), "w:noWrap")
        for (r, c), n in merged.items():
            cells[n_head + r][c].merge(cells[n_head + r + n - 1][c])
        # a short table stays on one page, as in the PDF: every row keeps with the next; a long one
        # splits only with MIN_SPLIT_ROWS body rows on each side (its header and first rows keep
        # with the next row, and so do the rows before its last one)
        last = len(rows) - 1
        for r, row in enumerate(rows):
            keep = r < last and (
                block.keeps_together or r < n_head + MIN_SPLIT_ROWS - 1 or r >= len(rows) - MIN_SPLIT_ROWS
            )
            # the row's own cells (python-docx's row.cells gives the top cell of a vertical merge)
            for tc in row._tr.tc_lst:
                _child(tc.get_or_add_tcPr(), "w:vAlign", val="center")
                if keep:
                    for p in tc.p_lst:
                        p.get_or_add_pPr().keepNext_val = True
        spacer = doc.add_paragraph()
        spacer.paragraph_format.space_after = Pt(2)

    @staticmethod
    def _fill(cell: Any, value: str, style_id: str, align: Any, bold: bool) -> None:
        paragraph = cell.paragraphs[0]
        paragraph._p.get_or_add_pPr().style = style_id  # setting .style looks the id up per cell
        paragraph.alignment = align
        _lines(paragraph, protect(value), None, bold)


def render_docx(document: Document) -> bytes:
    return _Writer(document).render()


def _lines(paragraph: Any, text: str, size: float | None, bold: bool) -> None:
    """Runs inherit the Hangul font (and, in tables, the size) from their paragraph style."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        if size is not None:
            run.font.size = Pt(size)
        if bold:
            run.font.bold = True
        if i < len(lines) - 1:
            run.add_break()


def _shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _cell_style(doc: Any, size: float) -> Any:
    """One paragraph style per table font size: cheaper than sizing every run."""
    name = f"Table text {size:g}pt"
    if name not in [s.name for s in doc.styles]:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(size)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = 1.0  # the PDF's cells lead 1.3 em
        style.paragraph_format.keep_with_next = False
    return doc.styles[name]
