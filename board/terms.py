"""Term status and the statutory composition on a date: pure functions over plain rows,
shared by reconciliation (CSV rows) and the board service (database rows)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

Row = Mapping[str, Any]
WARNING_DAYS = (30, 60, 90)


def serving_on(term: Row, on: date) -> bool:
    end = term["end_date"]
    return term["start_date"] <= on and (end is None or on <= end)


def term_status(term: Row, on: date) -> str:
    """재임시 (ex officio), 임기 전, 재임, N일 이내 만료, 임기 만료."""
    if term["start_date"] > on:
        return "임기 전"
    if term["end_date"] is None:
        return "재임시"
    if on > term["end_date"]:
        return "임기 만료"
    left = (term["end_date"] - on).days
    for days in WARNING_DAYS:
        if left <= days:
            return f"{days}일 이내 만료"
    return "재임"


@dataclass(frozen=True)
class CompositionCheck:
    seat_class: str
    count: int
    min_count: int
    max_count: int
    legal_basis: str

    @property
    def ok(self) -> bool:
        return self.min_count <= self.count <= self.max_count


def composition_on(
    rules: Iterable[Row], seats: Iterable[Row], terms: Iterable[Row], on: date
) -> list[CompositionCheck]:
    """Count serving holders per seat class and hold them against the rules."""
    seat_class = {s["code"]: s["seat_class"] for s in seats}
    counts: dict[str, int] = {}
    for term in terms:
        if serving_on(term, on):
            cls = seat_class[term["seat_code"]]
            counts[cls] = counts.get(cls, 0) + 1
    return [
        CompositionCheck(
            r["seat_class"], counts.get(r["seat_class"], 0), r["min_count"], r["max_count"], r["legal_basis"]
        )
        for r in sorted(rules, key=lambda r: r["seq"])
    ]
