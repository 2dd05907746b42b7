"""Term status and the statutory composition on a date: pure functions over plain rows,
shared by reconciliation (CSV rows) and the board service (database rows).

Holding over: where the 정관 says an officer whose term ended serves until a successor is
appointed (``board_term_rule.serves_until_successor`` for the seat's kind), a seat's latest term
that ended naturally (no ``end_reason``: not resigned or dismissed) still counts as serving until
the next term in that seat starts. Which seats hold over is passed in as ``holding_seats``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

Row = Mapping[str, Any]
WARNING_DAYS = (30, 60, 90)
EX_OFFICIO = "당연직"  # a term without an end: it runs while its holder is in office
HELD_OVER = "후임 선임 전 직무 수행"  # the term ended, the officer serves until a successor is appointed
ENDED = "임기 만료"
ENDED_EARLY = "중도 퇴임"


def serving_on(term: Row, on: date) -> bool:
    """Within the term's own dates (holding over not considered)."""
    end = term["end_date"]
    return term["start_date"] <= on and (end is None or on <= end)


def holding_seats(rules: Iterable[Row], seats: Iterable[Row]) -> set[str]:
    """The seat codes whose kind's rule says an officer serves until a successor is appointed."""
    holds = {r["title"] for r in rules if r["serves_until_successor"]}
    return {s["code"] for s in seats if s["title"] in holds}


def held_over(term: Row, terms: Iterable[Row], on: date, holding: Collection[str]) -> bool:
    """Whether ``term`` ended before ``on`` but its holder still serves: the seat holds over, the
    term ended naturally, no later term of the seat has started by ``on`` and the holder does not
    serve in another seat by then (``terms``: every seat's)."""
    end = term["end_date"]
    if term["seat_code"] not in holding or end is None or on <= end or term.get("end_reason"):
        return False
    for t in terms:
        if t["seat_code"] == term["seat_code"]:
            if term["start_date"] < t["start_date"] <= on:
                return False  # a successor (or a reappointment) took over
        elif t["person_code"] == term["person_code"] and serving_on(t, on):
            return False  # moved to another seat
    return True


def in_office(terms: Iterable[Row], on: date, holding: Collection[str] = ()) -> list[Row]:
    """The terms whose holders serve on ``on``: within their dates, or held over."""
    every = list(terms)
    return [t for t in every if serving_on(t, on) or held_over(t, every, on, holding)]


def term_status(term: Row, on: date, *, held: bool = False) -> str:
    """EX_OFFICIO (당연직: no end date), 임기 전, 재임, N일 이내 만료, 임기 만료, 중도 퇴임, or HELD_OVER."""
    if term["start_date"] > on:
        return "임기 전"
    if term["end_date"] is None:
        return EX_OFFICIO
    if on > term["end_date"]:
        if held:
            return HELD_OVER
        return ENDED_EARLY if term.get("end_reason") else ENDED
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
    rules: Iterable[Row], seats: Iterable[Row], terms: Iterable[Row], on: date, holding: Collection[str] = ()
) -> list[CompositionCheck]:
    """Count serving holders per seat class (held-over officers of ``holding`` seats included)
    and hold them against the rules."""
    seat_class = {s["code"]: s["seat_class"] for s in seats}
    counts: dict[str, int] = {}
    for term in in_office(terms, on, holding):
        cls = seat_class[term["seat_code"]]
        counts[cls] = counts.get(cls, 0) + 1
    return [
        CompositionCheck(
            r["seat_class"], counts.get(r["seat_class"], 0), r["min_count"], r["max_count"], r["legal_basis"]
        )
        for r in sorted(rules, key=lambda r: r["seq"])
    ]
