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
