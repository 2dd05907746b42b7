"""The follow-up workflow as pure rules (no database): which status may follow which, when a
written reason is required, what an auditor may sign off, and when an item is flagged.

::

    검토중 ──▶ 추진중 ──▶ 완료
      │  ◀──(reason)─┘ │   │
      │                │   └──(reason)──▶ 추진중   reopened: the action was not enough
      └──(reason)──▶ 미반영 ◀──(reason)──┘
                       └──(reason)──▶ 검토중      reconsidered

- Forward: 검토중 → 추진중 → 완료. 미반영 (not reflected) may follow 검토중 or 추진중 and always
  needs a written reason.
- Back: 추진중 → 검토중 is allowed (a planned action can need review again, e.g. when its budget
  is cut), and so are reopening 완료 → 추진중 and reconsidering 미반영 → 검토중. Every step back
  needs a written reason.
- Not allowed: skipping 추진중 (검토중 → 완료), 완료 → 검토중/미반영, 미반영 → 추진중/완료 and
  "changing" to the same status.
- An auditor signs off a closed item (완료 or 미반영): the sign-off confirms that status as it
  stands after the item's latest status change, and is void once the status changes again.
- 보완 요구 (returned for rework): instead of signing off, the auditor sends a closed item back to
  its department with a written reason; the item moves back by the step back its status has
  (완료 → 추진중, 미반영 → 검토중: ``REWORK``), recorded as a status change marked ``returned``,
  and stays 보완 요구 until the department closes it again. No separate state: the 총괄 table
  counts the four statuses of the document, and a returned item is open work like any other.
- Before a sign-off the item should have evidence: without any, the auditor confirms signing
  without it (``signoff_needs_confirmation``); the sign-off records that it was so given.
- Open items (검토중, 추진중) are flagged as overdue after their due date and as stale when they
  had no update (status change, progress note or evidence) for more than ``STALE_AFTER_DAYS``.
"""

from __future__ import annotations

from datetime import date

REVIEW, ACTIVE, DONE, NOT_REFLECTED = "검토중", "추진중", "완료", "미반영"

TRANSITIONS: dict[str, tuple[str, ...]] = {
    REVIEW: (ACTIVE, NOT_REFLECTED),
    ACTIVE: (DONE, NOT_REFLECTED, REVIEW),
    DONE: (ACTIVE,),
    NOT_REFLECTED: (REVIEW,),
}
BACKWARD: frozenset[tuple[str, str]] = frozenset({(ACTIVE, REVIEW), (DONE, ACTIVE), (NOT_REFLECTED, REVIEW)})
OPEN_STATUSES: tuple[str, ...] = (REVIEW, ACTIVE)
SIGNABLE_STATUSES: tuple[str, ...] = (DONE, NOT_REFLECTED)

# 보완 요구: the status a closed item returns to when the auditor sends it back.
REWORK: dict[str, str] = {DONE: ACTIVE, NOT_REFLECTED: REVIEW}

# What the item list shows in its 표시 column, and the filters over it.
OVERDUE, STALE, AWAITING, RETURNED, UNSIGNED = "기한 경과", "장기 미갱신", "확인 대기", "보완 요구", "미확인"
MARKS: tuple[str, ...] = (OVERDUE, STALE, AWAITING, RETURNED)
LIST_FILTERS: tuple[str, ...] = (UNSIGNED, OVERDUE, STALE, AWAITING, RETURNED)

# An open item without any update for more than this many days (before the chosen date) is stale.
STALE_AFTER_DAYS = 90


def next_statuses(status: str) -> tuple[str, ...]:
    """The statuses an item may move to from ``status``."""
    return TRANSITIONS.get(status, ())


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in next_statuses(from_status)


def reason_required(from_status: str, to_status: str) -> bool:
    """미반영 and every step back need a written reason."""
    return to_status == NOT_REFLECTED or (from_status, to_status) in BACKWARD


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def is_overdue(status: str, due_date: date | None, on: date) -> bool:
    """An open item whose due date lies before ``on``."""
    return is_open(status) and due_date is not None and due_date < on


def days_since(last_update: date | None, on: date) -> int | None:
    return None if last_update is None else (on - last_update).days


def is_stale(status: str, last_update: date | None, on: date) -> bool:
    """An open item whose latest update lies more than ``STALE_AFTER_DAYS`` days before ``on``."""
    days = days_since(last_update, on)
    return is_open(status) and days is not None and days > STALE_AFTER_DAYS


def signoff_holds(
    signed_status: str, signed_change_seq: int | None, status: str, latest_change_seq: int | None
) -> bool:
    """A sign-off holds while the item still has the status it confirmed and no later change."""
    return signed_status == status and signed_change_seq == latest_change_seq


def may_return(status: str) -> bool:
    """보완 요구 applies to a closed item (완료 or 미반영), signed off or not."""
    return status in REWORK


def returned_to(status: str) -> str | None:
    """The status a closed item goes back to when the auditor asks for rework."""
    return REWORK.get(status)


def is_rework(from_status: str, to_status: str) -> bool:
    return REWORK.get(from_status) == to_status


def is_returned(status: str, latest_change_returned: bool) -> bool:
    """An item sent back for rework whose department has not closed it again."""
    return is_open(status) and latest_change_returned


def awaits_signoff(status: str, signed_off: bool) -> bool:
    """A closed item without a sign-off that holds: the auditor's turn."""
    return status in SIGNABLE_STATUSES and not signed_off


def signoff_needs_confirmation(evidence_count: int) -> bool:
    """Signing off an item without any evidence file needs the auditor's explicit confirmation."""
    return evidence_count == 0


def marks(*, overdue: bool, stale: bool, awaiting: bool, returned: bool) -> list[str]:
    """The item list's 표시 column, in ``MARKS`` order."""
    on = {OVERDUE: overdue, STALE: stale, AWAITING: awaiting, RETURNED: returned}
    return [mark for mark in MARKS if on[mark]]


def passes(wanted: frozenset[str] | tuple[str, ...], item_marks: list[str], signed_off: bool) -> bool:
    """Whether an item with ``item_marks`` passes every chosen list filter (``LIST_FILTERS``):
    미확인 keeps the items without a sign-off that holds, each mark the items carrying it."""
    return all((not signed_off) if f == UNSIGNED else f in item_marks for f in wanted)
