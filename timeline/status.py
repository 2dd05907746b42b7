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
