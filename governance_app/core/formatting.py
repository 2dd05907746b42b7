"""Korean public-document formatting, used by the app and the documents alike.

천원 amounts with thousands separators and △ for decreases; rates with one decimal;
dates as 2025. 8. 2. (or '25. 8. 2. in tables); ① ② section marks.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def amount(value: int | None) -> str:
    """31973379 -> '31,973,379'; -14063 -> '△14,063'; None -> '-'."""
    if value is None:
        return "-"
    return f"△{-value:,}" if value < 0 else f"{value:,}"


def count(value: int | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:,}{unit}"


def percent(value: Decimal | None, places: int = 1) -> str:
    return "-" if value is None else f"{value:.{places}f}"


def points(value: Decimal | None, places: int = 1) -> str:
    """Signed percentage points: -13.1 -> '△13.1'."""
    if value is None:
        return "-"
    return f"△{-value:.{places}f}" if value < 0 else f"{value:.{places}f}"


def date_ko(value: date | None) -> str:
    """2025-08-02 -> '2025. 8. 2.'"""
    return "" if value is None else f"{value.year}. {value.month}. {value.day}."


def unbroken(text: str) -> str:
    """``text`` with no-break spaces, so a narrow column never breaks it inside (a date on screen)."""
    return text.replace(" ", "\u00a0")


def date_short(value: date | None, *, month_only: bool = False) -> str:
    """2025-08-02 -> "'25. 8. 2." as the roster and audit tables print dates ("'25. 1." by month)."""
    if value is None:
        return ""
    head = f"'{value.year % 100:02d}. {value.month}."
    return head if month_only else f"{head} {value.day}."


def month_ko(value: date) -> str:
    """2025-09-01 -> '2025. 9.' (the report's month)."""
    return f"{value.year}. {value.month}."


def circled(number: int) -> str:
    return CIRCLED[number - 1] if 1 <= number <= len(CIRCLED) else f"({number})"


def head_range(low: int, high: int) -> str:
    """A required number of people: '1명' when both ends are equal, else '2~9명'."""
    return f"{low}명" if low == high else f"{low}~{high}명"


# the end of an ex officio term on screens: it runs while its holder is in office
WHILE_IN_OFFICE = "재임 기간 동안"
PRINTED_WHILE_IN_OFFICE = "재임시"  # as the report's roster prints it (documents keep its wording)


def term_range(start: date, end: date | None, *, open_end: str = WHILE_IN_OFFICE) -> str:
    return f"{date_short(start)} ~ {date_short(end) if end else open_end}"
