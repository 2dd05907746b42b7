"""Board queries: the roster on a date and the composition.

The roster holds personal data (birth dates): ``roster`` takes the actor and blanks them unless
``auth.may_see_personal_data(actor)``, so a board member's dashboard never receives one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from board.models import BoardPerson, BoardPersonLine, BoardRule, BoardSeat, BoardTerm, BoardTermRule
from board.terms import CompositionCheck, composition_on, held_over, holding_seats, serving_on, term_status
from governance_app.core.auth import Actor, may_see_personal_data
from governance_app.core.queries import fetch


@dataclass(frozen=True)
class RosterEntry:
    seat_code: str
    group: str
    title: str
    appointment: str
    name: str
    birth_date: date | None  # personal data: None unless the actor may see it
    start_date: date
    end_date: date | None
    status: str
    serving: bool
    education: list[str]
    career: list[str]

    @property
    def section(self) -> str:
        """The roster's row group as the document prints it: 상임, 당연직 비상임, 위촉직 비상임, 노동이사, 감사."""
        if self.group == "감사":
            return "감사"
        if self.appointment in ("상임", "노동이사"):
            return self.appointment
        return f"{self.appointment} 비상임"


def holding(session: Session, org_id: int) -> set[str]:
    """The seats whose officers serve until a successor is appointed (board_term_rule)."""
    return holding_seats(
        [r.model_dump() for r in fetch(session, BoardTermRule, org_id)],
        [s.model_dump() for s in fetch(session, BoardSeat, org_id)],
    )


def roster(session: Session, org_id: int, on: date, *, actor: Actor) -> list[RosterEntry]:
    """Each seat's term that is current on ``on`` (within its dates, or held over until a successor
    where the rule says so), else its latest term begun by then, in roster order; birth dates only
    when ``actor`` may see personal data (else None)."""
    personal = may_see_personal_data(actor)
    holds = holding(session, org_id)
    seats = sorted(fetch(session, BoardSeat, org_id), key=lambda s: s.seq)
    people = {p.code: p for p in fetch(session, BoardPerson, org_id)}
    lines: dict[str, list[BoardPersonLine]] = defaultdict(list)
    for line in sorted(fetch(session, BoardPersonLine, org_id), key=lambda x: x.seq):
        lines[line.person_code].append(line)
    terms: dict[str, list[BoardTerm]] = defaultdict(list)
    every = fetch(session, BoardTerm, org_id)
    for term in every:
        terms[term.seat_code].append(term)
    every_row = [t.model_dump() for t in every]
    out = []
    for seat in seats:
        held = sorted(terms.get(seat.code, []), key=lambda t: t.start_date)
        if not held:
            continue
        current = next((t for t in held if serving_on(t.model_dump(), on)), None)
        term = current or max((t for t in held if t.start_date <= on), key=lambda t: t.start_date, default=held[0])
        over = current is None and held_over(term.model_dump(), every_row, on, holds)
        person = people[term.person_code]
        own = lines[person.code]
        out.append(
            RosterEntry(
                seat.code,
                seat.group,
                seat.title,
                seat.appointment,
                person.name,
                person.birth_date if personal else None,
                term.start_date,
                term.end_date,
                term_status(term.model_dump(), on, held=over),
                current is not None or over,
                [("現 " if x.is_current else "") + x.text for x in own if x.kind == "학력"],
                [("現 " if x.is_current else "") + x.text for x in own if x.kind == "경력"],
            )
        )
    return out


def composition(session: Session, org_id: int, on: date) -> list[CompositionCheck]:
    """Serving holders per seat class on ``on`` (held-over officers counted where the rule says
    they serve until a successor) against the statutory rule."""
    return composition_on(
        [r.model_dump() for r in fetch(session, BoardRule, org_id)],
        [s.model_dump() for s in fetch(session, BoardSeat, org_id)],
        [t.model_dump() for t in fetch(session, BoardTerm, org_id)],
        on,
        holding(session, org_id),
    )


def headcount(session: Session, org_id: int, on: date) -> dict[str, int]:
    """이사 (이사장 + 비상임이사) and 감사 serving on ``on``."""
    counts = {c.seat_class: c.count for c in composition(session, org_id, on)}
    return {"directors": counts.get("이사장", 0) + counts.get("비상임이사", 0), "auditors": counts.get("감사", 0)}
