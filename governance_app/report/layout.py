"""Layout rules every renderer shares: text that must not break inside, and column widths
from content.

``protect`` writes dates in the one style the source uses ('25. 6. 10. in short form,
2025. 9. 12. in long form) and joins a date, a term "'24. 11. 11. ~ '27. 11. 10." and a
figure with its unit with non-breaking spaces (U+00A0), which reportlab, Word, LibreOffice
and 한글 all keep on one line. ``widths`` gives no-wrap columns (numbers, rates, dates,
marks) the width of their longest line and shares the rest among text columns, measured
with the embedded NanumGothic metrics so every format gets the same grid.

``printable`` (called by ``protect``, so by every renderer) drops what no document format can
hold: control characters (a vertical tab or NUL typed into a form made python-docx refuse the
whole document), lone surrogates and the non-characters U+FFFE/U+FFFF; CR and CRLF become LF.
The input boundary refuses these on entry; this keeps a document buildable from text stored
before it, or by a path that bypassed it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from governance_app.report.fonts import FONT_NAME, font_file
from governance_app.report.tree import Table

NBSP = "\u00a0"
BOLD = f"{FONT_NAME}Bold"
# a table split over pages keeps at least this many body rows on each side of the break (every renderer)
MIN_SPLIT_ROWS = 3
CELL_PADDING_PT = 9.0  # left + right padding of a cell (3 pt each), plus air for other layout engines

# '25.6.10. / '25. 6. 10. / ‘25. 6. 10. (the source mixes ′ ' ’)
_SHORT_DATE = re.compile(r"['′’‘](\d{2})\.\s*(\d{1,2})\.(?:\s*(\d{1,2})\.)?")
# 2025. 9. 12. / 2025.9. (a four-digit year 19xx or 20xx, a month 1-12)
_LONG_DATE = re.compile(r"(?<![\d.,])((?:19|20)\d{2})\.\s*(1[0-2]|0?[1-9])\.(?:\s*([12]\d|3[01]|0?[1-9])\.)?(?!\d)")
_TERM = re.compile(r"(\d\.)\s*~\s*(['′’‘]|\d|재임시)")
# a figure and its unit: 10 명, 423명, 74,831 천원, 98.2 %, 3 년, 제 8 조
_FIGURE_UNIT = re.compile(
    r"(\d[\d,.]*)\s+(명|건|천원|백만원|원|%p?|개|년|월|일|조|호|부|실|본부|회|시간|분|인|세)(?![가-힣])"
)
_ARTICLE = re.compile(r"제\s+(\d+)\s*(조|항|호)")


def _short(m: re.Match[str]) -> str:
    yy, month, day = m.group(1), m.group(2), m.group(3)
    return f"'{yy}.{NBSP}{int(month)}." + (f"{NBSP}{int(day)}." if day else "")


def _long(m: re.Match[str]) -> str:
    year, month, day = m.group(1), m.group(2), m.group(3)
    return f"{year}.{NBSP}{int(month)}." + (f"{NBSP}{int(day)}." if day else "")


_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` without the characters XML 1.0 (DOCX, HWPX) and PDF text cannot hold."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE.sub("", text)


@lru_cache(maxsize=8192)
def protect(text: str) -> str:
    """The text with dates in the document style and no break inside a date, term or figure,
    and nothing a document format cannot hold (``printable``)."""
    text = _SHORT_DATE.sub(_short, printable(text))
    text = _LONG_DATE.sub(_long, text)
    text = _TERM.sub(lambda m: f"{m.group(1)}{NBSP}~{NBSP}{m.group(2)}", text)
    text = _ARTICLE.sub(lambda m: f"제{m.group(1)}{m.group(2)}", text)
    return _FIGURE_UNIT.sub(lambda m: f"{m.group(1)}{NBSP}{m.group(2)}", text)


_registered = False


def register_fonts() -> None:
    """NanumGothic regular and bold with reportlab (its metrics measure every format)."""
    global _registered
    if _registered:
        return
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_file())))
    pdfmetrics.registerFont(TTFont(BOLD, str(font_file(bold=True))))
    pdfmetrics.registerFontFamily(FONT_NAME, normal=FONT_NAME, bold=BOLD, italic=FONT_NAME, boldItalic=BOLD)
    _registered = True


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of the longest line of ``text``."""
    register_fonts()
    font = BOLD if bold else FONT_NAME
    return max((pdfmetrics.stringWidth(line, font, size) for line in protect(text).split("\n")), default=0.0)


def _longest_word(text: str, size: float, bold: bool = False) -> float:
    words = [w for line in protect(text).split("\n") for w in line.split(" ")]
    register_fonts()
    font = BOLD if bold else FONT_NAME
    return max((pdfmetrics.stringWidth(w, font, size) for w in words), default=0.0)


def widths(table: Table, available: float) -> list[float]:
    """Column widths in points that add up to ``available``."""
    size = table.font_size
    need: list[float] = []
    for c, col in enumerate(table.columns):
        cells = [row[c] for row in table.rows]
        header = _longest_word(col.label, size, bold=True)
        if col.no_wrap:
            body = max((text_width(v, size, bold=True) for v in cells), default=0.0)
            need.append(max(body, header) + CELL_PADDING_PT)
        else:
            body = max((_longest_word(v, size) for v in cells), default=0.0)
            need.append(max(body, header) + CELL_PADDING_PT)
    fixed = sum(n for n, col in zip(need, table.columns, strict=True) if col.no_wrap)
    text_cols = [c for c, col in enumerate(table.columns) if not col.no_wrap]
    if not text_cols or fixed >= available:
        # only no-wrap columns (or too many): share the width in proportion to the need
        total = sum(need) or 1.0
        if total <= available and text_cols == []:
            spare = available - total
            weights = [col.width for col in table.columns]
            return [n + spare * w / sum(weights) for n, w in zip(need, weights, strict=True)]
        return [available * n / total for n in need]
    full = [
        max((text_width(row[c], size) for row in table.rows), default=0.0) + CELL_PADDING_PT
        if not table.columns[c].no_wrap
        else need[c]
        for c in range(len(table.columns))
    ]
    if sum(full) <= available:
        # everything fits on one line: spare width goes to every column alike
        spare = (available - sum(full)) / len(full)
        return [w + spare for w in full]
    out = list(need)
    left = available - fixed
    weights = {c: table.columns[c].width for c in text_cols}
    # give each text column its share; one whose longest word needs more keeps that, the rest re-share
    pending = set(text_cols)
    while pending:
        share = left / sum(weights[c] for c in pending)
        short = {c for c in pending if need[c] > share * weights[c]}
        if not short:
            for c in pending:
                out[c] = share * weights[c]
            break
        for c in short:
            out[c] = need[c]
            left -= need[c]
        pending -= short
        if left <= 0:
            break
    scale = available / sum(out)
    return [w * scale for w in out]
