"""Rates and rounding: computed here and nowhere else.

The document rounds half-up to one decimal (e.g. 1,955,969 / 2,027,352 = 96.479..% -> 96.5).
Decimal arithmetic avoids binary float surprises at the .x5 boundary.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: Decimal, places: int = 1) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def rate(numerator: int, denominator: int, places: int = 1) -> Decimal | None:
    """numerator / denominator in percent, half-up; None when the denominator is 0."""
    if denominator == 0:
        return None
    return round_half_up(Decimal(numerator) * 100 / Decimal(denominator), places)


def divide_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded half-up (daily averages, 천원 -> 백만원)."""
    return int(round_half_up(Decimal(numerator) / Decimal(denominator), 0))
