"""What the board's terms ask of the planning office: terms that end within WITHIN_DAYS, and the
seat classes below their statutory count, each with whether a successor is already recorded (a
term of the same seat that begins after the ending one), so a real gap is told apart from an
appointment that was made but not yet entered."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from board.models import BoardPerson, BoardSeat, BoardTerm
from board.service import composition
from governance_app.core.queries import fetch

WITHIN_DAYS = 90


@dataclass(frozen=True)
class EndingTerm:
    seat_title: str
    seat_class: str
    name: str
    end_date: date
    days_left: int
    successor: str | None  # the recorded successor's name, None when none is recorded


@dataclass(frozen=True)
class CompositionGap:
    seat_class: str
    count: int
    min_count: int
    max_count: int
    vacant_titles: tuple[str, ...]  # seats of the class whose last recorded term has ended
    successors_recorded: bool  # every vacant seat has a later term recorded (a future start)


def _successor(term: BoardTerm, seat_terms: list[BoardTerm]) -> BoardTerm | None:
    later = [t for t in seat_terms if t.start_date > term.start_date]
    return min(later, key=lambda t: t.start_date, default=None)


def ending_terms(session: Session, org_id: int, on: date, within: int = WITHIN_DAYS) -> list[EndingTerm]:
    """Terms serving on ``on`` that end within ``within`` days, soonest first."""
    seats = {s.code: s for s in fetch(session, BoardSeat, org_id)}
    people = {p.code: p.name for p in fetch(session, BoardPerson, org_id)}
    by_seat: dict[str, list[BoardTerm]] = defaultdict(list)
    for t in fetch(session, BoardTerm, org_id):
        by_seat[t.seat_code].append(t)
    out = []
    for code, terms in by_seat.items():
        for t in terms:
            if t.end_date is None or not (t.start_date <= on <= t.end_date <= on + timedelta(days=within)):
                continue
            after = _successor(t, terms)
            seat = seats[code]
            out.append(
                EndingTerm(
                    seat.title,
                    seat.seat_class,
                    people.get(t.person_code, ""),
                    t.end_date,
                    (t.end_date - on).days,
                    people.get(after.person_code) if after else None,
                )
            )
    return sorted(out, key=lambda e: (e.end_date, e.seat_title))


def composition_gaps(session: Session, org_id: int, on: date) -> list[CompositionGap]:
    """The seat classes outside their statutory range on ``on``, with the seats left vacant."""
    seats = fetch(session, BoardSeat, org_id)
    by_seat: dict[str, list[BoardTerm]] = defaultdict(list)
    for t in fetch(session, BoardTerm, org_id):
        by_seat[t.seat_code].append(t)
    out = []
    for check in composition(session, org_id, on):
        if check.ok:
            continue
        vacant, recorded = [], True
        for seat in sorted((s for s in seats if s.seat_class == check.seat_class), key=lambda s: s.seq):
            terms = by_seat.get(seat.code, [])
            begun = [t for t in terms if t.start_date <= on]
            latest = max(begun, key=lambda t: t.start_date, default=None)
            if latest is None or (latest.end_date is not None and latest.end_date < on):
                vacant.append(seat.title)
                recorded = recorded and any(t.start_date > on for t in terms)
        out.append(
            CompositionGap(
                check.seat_class,
                check.count,
                check.min_count,
                check.max_count,
                tuple(vacant),
                bool(vacant) and recorded,
            )
        )
    return out
