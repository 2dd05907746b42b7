"""DOCX renderer (python-docx): the same tree as the PDF, NanumGothic as the East Asian font,
page numbers in the footer, header rows repeated, landscape sections where asked."""

from __future__ import annotations

import io

import docx as python_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from governance_app.report import images
from governance_app.report.fonts import FONT_NAME
from governance_app.report.tree import Chart, Contents, Cover, Document, Heading, PageBreak, Paragraph, Table

ALIGN = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}
HEADING_SIZES = {1: 17, 2: 14, 3: 12, 4: 10.5}
MARGIN_MM = 18


def _set_font(style_or_run, size: float | None = None, bold: bool | None = None) -> None:  # type: ignore[no-untyped-def]
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


def _page_number(paragraph) -> None:  # type: ignore[no-untyped-def]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("- ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    paragraph.add_run(" -")


def _orient(section, landscape: bool) -> None:  # type: ignore[no-untyped-def]
    width, height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))


def render_docx(document: Document) -> bytes:
    doc = python_docx.Document()
    _set_font(doc.styles["Normal"], 10)
    doc.styles["Normal"].paragraph_format.space_after = Pt(3)
    for level, size in HEADING_SIZES.items():
        style = doc.styles[f"Heading {level}"]
        _set_font(style, size, bold=True)
        style.font.italic = False
        style.font.color.rgb = RGBColor(0x1F, 0x2D, 0x3D)
    _set_font(doc.styles["Title"], 30, bold=True)
    doc.core_properties.title = document.title
    doc.core_properties.author = "서울특별시 120다산콜재단"
    section = doc.sections[0]
    _orient(section, landscape=False)
    _page_number(section.footer.paragraphs[0])
    landscape = False

    for block in document.blocks:
        if isinstance(block, Cover):
            for _ in range(8):
                doc.add_paragraph()
            _centered(doc, block.title, 30, bold=True)
            if block.subtitle:
                _centered(doc, block.subtitle, 14)
            for _ in range(3):
                doc.add_paragraph()
            _centered(doc, block.date_label, 16)
            for _ in range(8):
                doc.add_paragraph()
            _centered(doc, block.org, 18, bold=True)
            doc.add_page_break()
        elif isinstance(block, Contents):
            _centered(doc, "목　차", 18, bold=True)
            for h in document.contents():
                p = doc.add_paragraph()
                p.paragraph_format.left_indent = Mm((h.level - 1) * 8)
                run = p.add_run(h.text)
                _set_font(run, 12 if h.level == 1 else 10.5, bold=h.level == 1)
            doc.add_page_break()
        elif isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            if block.boxed:
                table = doc.add_table(rows=1, cols=1)
                table.style = "Table Grid"
                cell = table.rows[0].cells[0]
                table.columns[0].width = cell.width = Mm((297 if landscape else 210) - 2 * MARGIN_MM)
                _shade(cell, "EEF3F8")
                run = cell.paragraphs[0].add_run(block.text)
                _set_font(run, 10, bold=block.bold)
                doc.add_paragraph()
                continue
            p = doc.add_paragraph()
            p.paragraph_format.left_indent = Mm(block.level * 5)
            _lines(p, block.text, 8.5 if block.small else 10, block.bold)
        elif isinstance(block, Table):
            _table(doc, block, landscape)
        elif isinstance(block, Chart):
            data = images.png(block.figure, block.width_px, block.height_px)
            usable = (297 if landscape else 210) - 2 * MARGIN_MM
            doc.add_picture(io.BytesIO(data), width=Mm(usable))
        elif isinstance(block, PageBreak):
            if block.landscape is not None and block.landscape != landscape:
                landscape = block.landscape
                _orient(doc.add_section(WD_SECTION.NEW_PAGE), landscape)
            else:
                doc.add_page_break()
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _centered(doc, text: str, size: float, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(p.add_run(text), size, bold=bold)


def _lines(paragraph, text: str, size: float | None, bold: bool) -> None:  # type: ignore[no-untyped-def]
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


def _shade(cell, fill: str) -> None:  # type: ignore[no-untyped-def]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _cell_style(doc, size: float):  # type: ignore[no-untyped-def]
    """One paragraph style per table font size: cheaper than sizing every run."""
    name = f"Table text {size:g}pt"
    if name not in [s.name for s in doc.styles]:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(size)
        style.paragraph_format.space_after = Pt(0)
    return doc.styles[name]


def _table(doc, block: Table, landscape: bool) -> None:  # type: ignore[no-untyped-def]
    if block.unit:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _set_font(p.add_run(block.unit), 8.5)
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    usable = (297 if landscape else 210) - 2 * MARGIN_MM
    total = sum(block.widths)
    widths = [Mm(usable * w / total) for w in block.widths]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice and Word lay the table out by
    header = table.rows[0]
    header_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_pr.append(repeat)
    style_id = _cell_style(doc, block.font_size).style_id
    for row_index, (row, values) in enumerate(zip(table.rows, [block.columns, *block.rows], strict=True)):
        cells = row.cells  # python-docx rebuilds this list on every access
        is_header = row_index == 0
        bold = is_header or (row_index - 1) in block.total_rows
        for col, value in enumerate(values):
            cell = cells[col]
            cell.width = widths[col]
            paragraph = cell.paragraphs[0]
            paragraph._p.get_or_add_pPr().style = style_id  # setting .style looks the id up per cell
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if is_header else ALIGN[block.align[col]]
            _lines(paragraph, value, None, bold)
            if is_header:
                _shade(cell, "DFE6EE")
            elif bold:
                _shade(cell, "F3F5F8")
    doc.add_paragraph()
