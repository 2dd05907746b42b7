"""Board of directors: the composition rule, seats, people and their terms.

Seats are kept apart from the people who hold them so that a reappointment or a vacancy is
a new term row, not an edit of history.
"""

from __future__ import annotations

from datetime import date

from governance_app.core.record import OrgRecord, natural_key, personal, refers


class BoardRule(OrgRecord, table=True):
    """Statutory composition, e.g. 비상임이사 4..9, with its legal basis."""

    __table_args__ = (natural_key("seat_class"),)
    seat_class: str  # 이사장 | 비상임이사 | 감사
    min_count: int
    max_count: int
    legal_basis: str
    seq: int


class BoardTermRule(OrgRecord, table=True):
    """How long a seat kind's term runs, and whether an officer whose term ended serves on until a
    successor is appointed: both come from the 정관 (they vary between bodies), so they are data.

    ``title`` is the seat kind (BoardSeat.title). ``term_months`` is empty for an ex officio seat
    (held while in office, 재임시)."""

    __table_args__ = (natural_key("title"),)
    title: str
    term_months: int | None = None  # 임기 on first appointment
    reappoint_months: int | None = None  # 연임 (reappointment) term
    serves_until_successor: bool  # 후임자 임명 시까지 직무 수행
    legal_basis: str
    seq: int


class BoardSeat(OrgRecord, table=True):
    __table_args__ = (natural_key("code"), refers("seat_class", "board_rule", "seat_class"))
    code: str
    group: str  # 상임이사 | 비상임이사 | 감사 (the document's row groups)
    title: str  # 이사장, 당연직 비상임이사, 위촉직 비상임이사, 노동이사, 위촉직 비상임감사
    appointment: str  # 상임 | 당연직 | 위촉직 | 노동이사
    seat_class: str
    seq: int


class BoardPerson(OrgRecord, table=True):
    __table_args__ = (natural_key("code"),)
    code: str
    name: str
    birth_date: date = personal()
    seq: int


class BoardPersonLine(OrgRecord, table=True):
    """학력 and 경력 lines as the roster prints them (現 = current post)."""

    __table_args__ = (natural_key("person_code", "seq"), refers("person_code", "board_person"))
    person_code: str
    seq: int
    kind: str  # 학력 | 경력
    text: str
    is_current: bool


class BoardTerm(OrgRecord, table=True):
    __table_args__ = (
        natural_key("seat_code", "start_date"),
        refers("seat_code", "board_seat"),
        refers("person_code", "board_person"),
    )
    seat_code: str
    person_code: str
    start_date: date
    end_date: date | None = None  # empty for ex officio seats held "while in office" (until the post changes hands)
    while_in_office: bool  # 재임시
    reappointment: bool = False  # 연임: the same person again in the same seat
    end_reason: str | None = None  # set when the term was ended early (사임, 해임, ...): no holding over
