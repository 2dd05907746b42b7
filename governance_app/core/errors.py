"""The ways a change is not made, shared by every service; nothing was saved when one is raised.

Every refusal derives from ``RefusalError``: a page or the CLI that catches it shows ``str(exc)``,
a Korean message naming what was refused and why, and knows nothing was written. Its kinds:

- refused: the change breaks a rule (``RefusedError`` names the item and the field; ``FindingsError``
  carries every finding of a checked table or snapshot);
- conflict: someone saved first (``ConflictError``, with what is stored now: a value, a record or
  a table's rows);
- permission: the actor may not (``PermissionDeniedError``; ``ItemPermissionError`` when the role
  may, but not for this item). ``auth.may`` is the test, ``auth.require`` raises.

Messages are Korean and name the item and the field's label, as the user sees them.
"""

from __future__ import annotations

from typing import Any

from governance_app.core.findings import Finding


class RefusalError(ValueError):
    """A request that was refused; nothing was saved. ``str()`` is the Korean message for the user.
    The root of every service's refusal (changes, findings, input, intake, submitted rounds,
    rounds, accounts, backups), so the shell catches one class."""


class ChangeError(RefusalError):
    """A change that was not made; names the item (None: a change not of one item), the field and,
    for a plan's field, the plan. ``detail`` is the reason alone; the message is
    '<item> <label>: <reason>' ('<label>: <reason>' without an item, the reason alone without a
    label and a field)."""

    def __init__(
        self, item_code: str | None, field: str, message: str, *, label: str | None = None, plan_seq: int | None = None
    ) -> None:
        self.item_code = item_code
        self.field = field
        self.plan_seq = plan_seq
        self.detail = message
        item = f"{item_code} " if item_code else ""
        head = label or field
        super().__init__(f"{item}{head}: {message}" if head else f"{item}{message}")


class RefusedError(ChangeError):
    """The change breaks a rule (workflow, a required reason, an empty line, a file type, ...)."""


class ConflictError(ChangeError):
    """Someone changed the item since the user loaded it. ``expected`` is what the user loaded,
    ``current`` what is stored now (a value or the whole record), ``current_values`` the stored
    record's fields to show; ``expected_version`` the version loaded, when versions are compared."""

    def __init__(
        self,
        item_code: str | None,
        field: str,
        message: str,
        *,
        label: str | None = None,
        expected: Any = None,
        current: Any = None,
        current_values: dict[str, Any] | None = None,
        expected_version: int | None = None,
    ) -> None:
        self.expected = expected
        self.current = current
        self.current_values = current_values or {}
        self.expected_version = expected_version
        super().__init__(item_code, field, message, label=label)


class FindingsError(RefusalError):
    """A table or a snapshot whose checks found errors; carries every finding (errors and warnings)."""

    def __init__(self, findings: list[Finding], table: str | None = None) -> None:
        self.table = table
        self.findings = findings
        errors = self.errors
        where = f"{table}: " if table else ""
        super().__init__(f"{where}{len(errors)} error(s); first: {errors[0] if errors else '-'}")

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


class PermissionDeniedError(Exception):
    """The actor's role may not do this."""


class ItemPermissionError(PermissionDeniedError):
    """The actor's role may make the change, but not for this item (another department's)."""

    def __init__(self, item_code: str, message: str, *, label: str) -> None:
        self.item_code = item_code
        self.field = "department"
        super().__init__(f"{item_code} {label}: {message}")
