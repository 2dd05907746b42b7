"""Status of a planned task on a date: 완료 after its last month, 예정 before its first."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

STATUSES = ("완료", "추진", "예정")


def status_on(task: Mapping[str, Any], on: date) -> str:
    year = task["fiscal_year"]
    if (on.year, on.month) > (year, task["end_month"]):
        return "완료"
    if (on.year, on.month) < (year, task["start_month"]):
        return "예정"
    return "추진"


def month_statuses(task: Mapping[str, Any], on: date) -> dict[int, str]:
    """Each planned month's own status on ``on``: past months 완료, this month 추진, later 예정."""
    year = task["fiscal_year"]
    out = {}
    for month in range(task["start_month"], task["end_month"] + 1):
        if (year, month) < (on.year, on.month):
            out[month] = "완료"
        elif (year, month) == (on.year, on.month):
            out[month] = "추진"
        else:
            out[month] = "예정"
    return out
