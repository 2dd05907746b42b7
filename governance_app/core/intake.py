"""What a yearly template upload becomes before anything is saved: a draft.

A domain's ``template.py`` reads the upload and returns a ``Draft``: every finding (naming the
sheet, row and column), the rows it would write per table (``TableRows``) and a preview. The
application (``governance_app.intake``) validates the whole dataset with those rows in place
and writes them in one transaction, or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from governance_app.core.errors import RefusalError
from governance_app.core.findings import Finding


@dataclass(frozen=True)
class TableRows:
    """Rows (every column, typed) to store in one table. Stored rows with the same natural key
    are updated; stored rows for which ``scope`` holds and whose key is not among ``rows`` are
    deleted (the rows the template replaces as a whole, e.g. one year's budget)."""

    table: str
    rows: list[dict[str, Any]]
    scope: Callable[[dict[str, Any]], bool] | None = None


@dataclass
class Draft:
    kind: str
    source: str
    permission: str  # the auth action saving it needs
    findings: list[Finding] = field(default_factory=list)
    changes: list[TableRows] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # what saving would do, in Korean
    preview: list[dict[str, Any]] = field(default_factory=list)  # rows to show before saving

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.changes)


class IntakeRefusedError(RefusalError):
    """A template with errors; nothing was saved. Carries every finding."""

    def __init__(self, draft: Draft):
        self.draft = draft
        errors = draft.errors
        super().__init__(f"{draft.source}: {len(errors)} error(s); first: {errors[0] if errors else '-'}")
