"""The board: seat rules, officers and their terms."""

from board import schemas
from board.models import BoardPerson, BoardPersonLine, BoardRule, BoardSeat, BoardTerm, BoardTermRule
from governance_app.core.domain import Domain

DOMAIN = Domain(
    name="board",
    tables=(
        BoardRule,
        BoardTermRule,
        BoardSeat,
        BoardPerson,
        BoardPersonLine,
        BoardTerm,
    ),
    schemas=schemas.SCHEMAS,
    reconcile=schemas.reconcile,
    pages=("board",),
    section="현황",
)
