"""Board upkeep by task: appoint a person to a seat, reappoint (연임), end a term early, and change
the holder of an ex officio seat when the post changes hands.

Each is one service call: checked first, then written in one transaction under the caller's name
(the change log), or refused with a ``BoardRefusedError`` in Korean and nothing written. A term's
length comes from the seat kind's rule (``BoardTermRule``: 임기 and 연임 in months, with its legal
basis), never from the caller. A new person comes with their 학력·경력 lines (a line beginning
"現 " is a current post) and birth date (personal data, so only roles that may see it appoint).

Concurrent upkeep of one seat: every write bumps the seat's version first, so of two saves on the
same seat the second finds the seat changed and gets a ``ConflictError`` (nothing of it is written).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session

from board.models import BoardPerson, BoardPersonLine, BoardSeat, BoardTerm, BoardTermRule
from board.terms import serving_on
from governance_app.core import changelog, conflicts
from governance_app.core.auth import Actor, require
from governance_app.core.errors import ConflictError, RefusedError
from governance_app.core.formatting import WHILE_IN_OFFICE, date_ko
from governance_app.core.i18n import josa
from governance_app.core.queries import fetch

APPOINT = "board.appoint"
EX_OFFICIO = "당연직"
CURRENT_MARK = "現"
FIELD_LABELS = {
    "seat": "임원 자리",
    "start_date": "임기 시작일",
    "end_date": "종료일",
    "reason": "종료 사유",
    "person": "임원",
    "name": "성명",
    "birth_date": "생년월일",
    "education": "학력",
    "career": "경력",
    "rule": "임기 규칙",
}


# A refused change (nothing written): the kernel's refusal, naming the field; callers catch it by this name.
BoardRefusedError = RefusedError


def _refused(field: str, message: str) -> RefusedError:
    return RefusedError(None, field, message, label=FIELD_LABELS.get(field, field))


@dataclass(frozen=True)
class NewPerson:
    """A person not yet in the roster. ``education`` and ``career``: one line each, in order; a
    line beginning "現 " is a post held now."""

    name: str
    birth_date: date | None
    education: Sequence[str] = field(default_factory=tuple)
    career: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class TermRecord:
    """A term as stored (no personal data)."""

    seat_code: str
    title: str
    name: str
    start_date: date
    end_date: date | None
    reappointment: bool
    end_reason: str | None


@dataclass(frozen=True)
class SeatState:
    """A seat for the upkeep forms: its kind's rule and its latest term (no personal data)."""

    code: str
    title: str
    appointment: str
    term_months: int | None
    reappoint_months: int | None
    serves_until_successor: bool
    legal_basis: str
    latest: TermRecord | None

    @property
    def ex_officio(self) -> bool:
        return self.appointment == EX_OFFICIO


@dataclass(frozen=True)
class PersonChoice:
    code: str  # the form keeps it, the user is shown the name
    name: str
    posts: str  # the current posts (現) or the latest career line, to tell namesakes apart


# --- reads ---------------------------------------------------------------------------------


def seats(session: Session, org_id: int) -> list[SeatState]:
    """Every seat in roster order with its rule and its latest term."""
    rules = {r.title: r for r in fetch(session, BoardTermRule, org_id)}
    names = {p.code: p.name for p in fetch(session, BoardPerson, org_id)}
    terms = fetch(session, BoardTerm, org_id)
    out = []
    for seat in sorted(fetch(session, BoardSeat, org_id), key=lambda s: s.seq):
        held = [t for t in terms if t.seat_code == seat.code]
        latest = max(held, key=lambda t: t.start_date, default=None)
        rule = rules.get(seat.title)
        out.append(
            SeatState(
                seat.code,
                seat.title,
                seat.appointment,
                rule.term_months if rule else None,
                rule.reappoint_months if rule else None,
                bool(rule and rule.serves_until_successor),
                rule.legal_basis if rule else "",
                _record(latest, seat, names) if latest else None,
            )
        )
    return out


def people(session: Session, org_id: int) -> list[PersonChoice]:
    """Everyone in the roster's records, by name (birth dates withheld: not needed to choose)."""
    lines: dict[str, list[BoardPersonLine]] = {}
    for line in sorted(fetch(session, BoardPersonLine, org_id), key=lambda x: x.seq):
        lines.setdefault(line.person_code, []).append(line)
    out = []
    for p in sorted(fetch(session, BoardPerson, org_id), key=lambda p: p.seq):
        career = [x for x in lines.get(p.code, []) if x.kind == "경력"]
        now = [x.text for x in career if x.is_current]
        out.append(PersonChoice(p.code, p.name, " · ".join(now) or (career[-1].text if career else "")))
    return out


# --- writes --------------------------------------------------------------------------------


def appoint(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    seat_code: str,
    start_date: date,
    person_code: str | None = None,
    new_person: NewPerson | None = None,
) -> TermRecord:
    """Appoint ``person_code`` (or ``new_person``, added with their lines) to a seat from
    ``start_date`` for the seat kind's term (``BoardTermRule.term_months``). Refused for an ex
    officio seat (``change_ex_officio_holder``), while the seat's current term runs, and for the
    person who held the seat just before (that is a reappointment)."""

    def check(seat: BoardSeat, rule: BoardTermRule | None, terms: list[BoardTerm]) -> _Plan:
        if seat.appointment == EX_OFFICIO:
            raise _refused(
                "seat", f"{josa(seat.title, '은')} 당연직 자리입니다: '당연직 교체'로 새 재직자를 기록합니다"
            )
        if rule is None or rule.term_months is None:
            raise _refused("rule", f"{seat.title}의 임기 규칙(임기 개월 수)이 없습니다")
        _free_from(seat, terms, start_date)
        latest = _latest(terms)
        if person_code is not None and latest is not None and latest.person_code == person_code:
            raise _refused(
                "person", "직전 임기와 같은 사람입니다: 같은 자리에 다시 선임하는 것은 '연임'으로 기록합니다"
            )
        end = _add_months(start_date, rule.term_months) - timedelta(days=1)
        return _Plan(start_date, end, while_in_office=False, reappointment=False)

    return _write(
        session,
        actor,
        org_id,
        seat_code,
        check,
        person_code=person_code,
        new_person=new_person,
        start=start_date,
        needs_start=True,
    )


def reappoint(*, session: Session, actor: Actor, org_id: int, seat_code: str) -> TermRecord:
    """연임: the seat's latest holder again, from the day after their term ends, for the seat
    kind's reappointment term (``BoardTermRule.reappoint_months``)."""

    def check(seat: BoardSeat, rule: BoardTermRule | None, terms: list[BoardTerm]) -> _Plan:
        if seat.appointment == EX_OFFICIO:
            raise _refused("seat", f"{josa(seat.title, '은')} 당연직 자리로 임기가 없어 연임하지 않습니다")
        if rule is None or rule.reappoint_months is None:
            raise _refused("rule", f"{seat.title}의 임기 규칙에 연임 기간이 없습니다")
        latest = _latest(terms)
        if latest is None or latest.end_date is None:
            raise _refused("seat", f"{seat.title}에 연임할 임기가 없습니다")
        if latest.end_reason:
            raise _refused(
                "seat",
                f"직전 임기는 {date_ko(latest.end_date)}에 중도 종료({latest.end_reason})되어 연임할 수 없습니다",
            )
        start = latest.end_date + timedelta(days=1)
        end = _add_months(start, rule.reappoint_months) - timedelta(days=1)
        return _Plan(start, end, while_in_office=False, reappointment=True, person_code=latest.person_code)

    return _write(session, actor, org_id, seat_code, check)


def end_term_early(
    *, session: Session, actor: Actor, org_id: int, seat_code: str, end_date: date, reason: str
) -> TermRecord:
    """End the seat's term running on ``end_date`` on that day, with its reason (사임, 해임, ...). A
    term ended early does not hold over until a successor."""
    why = (reason or "").strip()

    def check(seat: BoardSeat, _rule: BoardTermRule | None, terms: list[BoardTerm]) -> _Plan:
        if not why:
            raise _refused("reason", "종료 사유를 적어 주십시오")
        if end_date is None:
            raise _refused("end_date", "퇴임일(마지막 재임일)을 적어 주십시오")
        if not isinstance(end_date, date):
            raise _refused("end_date", "종료일이 날짜가 아닙니다")
        term = next((t for t in terms if serving_on(t.model_dump(), end_date)), None)
        if term is None:
            raise _refused("end_date", f"{date_ko(end_date)}에 {seat.title}의 재임 중인 임기가 없습니다")
        if term.end_date == end_date:
            raise _refused("end_date", f"임기가 원래 {date_ko(end_date)}에 끝납니다: 중도 종료가 아닙니다")
        return _Plan(term.start_date, end_date, ends=term, reason=why)

    return _write(session, actor, org_id, seat_code, check)


def change_ex_officio_holder(
    *,
    session: Session,
    actor: Actor,
    org_id: int,
    seat_code: str,
    start_date: date,
    person_code: str | None = None,
    new_person: NewPerson | None = None,
) -> TermRecord:
    """The post behind an ex officio seat changed hands on ``start_date``: the previous holder's
    term ends the day before and the new holder's runs while in office (재임시)."""

    def check(seat: BoardSeat, _rule: BoardTermRule | None, terms: list[BoardTerm]) -> _Plan:
        if seat.appointment != EX_OFFICIO:
            raise _refused("seat", f"{josa(seat.title, '은')} 당연직 자리가 아닙니다: '선임'으로 기록합니다")
        latest = _latest(terms)
        if latest is not None and latest.start_date >= start_date:
            raise _refused(
                "start_date", f"현 재직자의 임기가 {date_ko(latest.start_date)}에 시작했습니다: 그 뒤의 날짜여야 합니다"
            )
        if person_code is not None and latest is not None and latest.person_code == person_code:
            raise _refused("person", "지금 재직 중인 사람과 같습니다")
        ends = latest if latest is not None and latest.end_date is None else None
        return _Plan(start_date, None, while_in_office=True, reappointment=False, ends_before=ends)

    return _write(
        session,
        actor,
        org_id,
        seat_code,
        check,
        person_code=person_code,
        new_person=new_person,
        start=start_date,
        needs_start=True,
    )


# --- the shared write path -----------------------------------------------------------------


@dataclass
class _Plan:
    start: date
    end: date | None
    while_in_office: bool = False
    reappointment: bool = False
    person_code: str | None = None  # set by the check (reappointment), else the caller's
    ends: BoardTerm | None = None  # end this term early (end_term_early) instead of adding one
    reason: str | None = None
    ends_before: BoardTerm | None = None  # close this open term the day before ``start``


def _write(
    session: Session,
    actor: Actor,
    org_id: int,
    seat_code: str,
    check: Callable[[BoardSeat, BoardTermRule | None, list[BoardTerm]], _Plan],
    *,
    person_code: str | None = None,
    new_person: NewPerson | None = None,
    start: date | None = None,
    needs_start: bool = False,
) -> TermRecord:
    require(actor, APPOINT)
    changelog.attribute(session, actor)
    try:
        seat = next(iter(fetch(session, BoardSeat, org_id, BoardSeat.code == seat_code)), None)
        if seat is None:
            raise _refused("seat", "임원 자리를 찾을 수 없습니다")
        if needs_start and start is None:
            raise _refused("start_date", "임기 시작일을 적어 주십시오")
        if needs_start and not isinstance(start, date):
            raise _refused("start_date", "임기 시작일이 날짜가 아닙니다")
        rule = next(iter(fetch(session, BoardTermRule, org_id, BoardTermRule.title == seat.title)), None)
        terms = fetch(session, BoardTerm, org_id, BoardTerm.seat_code == seat_code)
        plan = check(seat, rule, terms)
        person: BoardPerson | None = None
        lines: list[BoardPersonLine] = []
        if plan.ends is None:
            who = plan.person_code or person_code
            if who is None:
                person, lines = _new_person(session, org_id, new_person, plan.start)
                who = person.code
            elif new_person is not None:
                raise _refused("person", "기존 임원과 새 임원을 함께 고를 수 없습니다")
            elif not fetch(session, BoardPerson, org_id, BoardPerson.code == who):
                raise _refused("person", "고른 임원을 찾을 수 없습니다")
            _not_serving_elsewhere(session, org_id, who, seat, plan)
            plan.person_code = who

        # the seat's version guards its terms: bumped first, so a rival save on the seat fails
        seat.version = seat.version + 1
        session.flush()
        if plan.ends is not None:
            plan.ends.end_date, plan.ends.end_reason = plan.end, plan.reason
            written = plan.ends
        else:
            if plan.ends_before is not None:
                plan.ends_before.end_date = plan.start - timedelta(days=1)
            if person is not None:
                session.add(person)
                session.flush()
                session.add_all(lines)
            assert plan.person_code is not None  # set above: the seat gets a holder
            written = BoardTerm(
                org_id=org_id,
                seat_code=seat.code,
                person_code=plan.person_code,
                start_date=plan.start,
                end_date=plan.end,
                while_in_office=plan.while_in_office,
                reappointment=plan.reappointment,
            )
            session.add(written)
        session.flush()
        names = {p.code: p.name for p in fetch(session, BoardPerson, org_id, BoardPerson.code == written.person_code)}
        record = _record(written, seat, names)
        session.commit()
    except conflicts.RACES as exc:
        session.rollback()
        message = "다른 사용자가 이 자리를 먼저 바꿨습니다. 화면을 새로 고친 뒤 다시 하십시오"
        raise ConflictError(None, "seat", message, label=FIELD_LABELS["seat"]) from exc
    except Exception:
        session.rollback()
        raise
    return record


def _latest(terms: list[BoardTerm]) -> BoardTerm | None:
    return max(terms, key=lambda t: t.start_date, default=None)


def _free_from(seat: BoardSeat, terms: list[BoardTerm], start: date) -> None:
    """A new term from ``start`` must follow every term of the seat."""
    later = [t for t in terms if t.start_date >= start]
    if later:
        first = min(later, key=lambda t: t.start_date)
        raise _refused("start_date", f"{seat.title}에는 {date_ko(first.start_date)}부터의 임기가 이미 있습니다")
    running = [t for t in terms if t.end_date is None or t.end_date >= start]
    if running:
        t = running[0]
        raise _refused(
            "start_date",
            f"{seat.title}의 현 임기({date_ko(t.start_date)}~{date_ko(t.end_date) or WHILE_IN_OFFICE})가 "
            f"{date_ko(start)}에 아직 끝나지 않았습니다: 먼저 임기를 중도 종료하십시오",
        )


def _not_serving_elsewhere(session: Session, org_id: int, person_code: str, seat: BoardSeat, plan: _Plan) -> None:
    titles = {s.code: s.title for s in fetch(session, BoardSeat, org_id)}
    for t in fetch(session, BoardTerm, org_id, BoardTerm.person_code == person_code):
        if t.seat_code != seat.code and serving_on(t.model_dump(), plan.start):
            raise _refused(
                "person",
                f"{date_ko(plan.start)}에 이미 {josa(titles.get(t.seat_code, '다른 자리'), '으로')} 재임 중입니다",
            )


def _lines(kind: str, texts: Sequence[str]) -> list[tuple[str, str, bool]]:
    out = []
    for n, raw in enumerate(texts, 1):
        text = " ".join((raw or "").split())
        current = text.startswith(CURRENT_MARK)
        text = text.removeprefix(CURRENT_MARK).strip() if current else text
        if not text:
            raise _refused("education" if kind == "학력" else "career", f"{kind} {n}번째 줄이 비어 있습니다")
        out.append((kind, text, current))
    return out


def _new_person(
    session: Session, org_id: int, wanted: NewPerson | None, start: date
) -> tuple[BoardPerson, list[BoardPersonLine]]:
    if wanted is None:
        raise _refused("person", "임원을 고르거나 새 임원의 인적사항을 적어 주십시오")
    name = " ".join((wanted.name or "").split())
    if not name:
        raise _refused("name", "새 임원의 성명이 비어 있습니다")
    if not isinstance(wanted.birth_date, date):
        raise _refused("birth_date", "새 임원의 생년월일이 없습니다")
    if wanted.birth_date >= start:
        raise _refused("birth_date", "생년월일이 임기 시작일보다 앞서야 합니다")
    lines = _lines("학력", wanted.education) + _lines("경력", wanted.career)
    existing = fetch(session, BoardPerson, org_id)
    seq = max((p.seq for p in existing), default=0) + 1
    taken = {p.code for p in existing}
    code = f"person-{seq}"
    while code in taken:  # codes are never shown; they only have to be unique
        seq += 1
        code = f"person-{seq}"
    person = BoardPerson(org_id=org_id, code=code, name=name, birth_date=wanted.birth_date, seq=seq)
    rows = [
        BoardPersonLine(org_id=org_id, person_code=code, seq=n, kind=kind, text=text, is_current=current)
        for n, (kind, text, current) in enumerate(lines, 1)
    ]
    return person, rows


def _add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _record(term: BoardTerm, seat: BoardSeat, names: dict[str, str]) -> TermRecord:
    return TermRecord(
        seat.code,
        seat.title,
        names.get(term.person_code, ""),
        term.start_date,
        term.end_date,
        term.reappointment,
        term.end_reason,
    )
