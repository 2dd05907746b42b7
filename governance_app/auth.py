"""Who is acting. Every service that changes data takes an Actor, so permissions and the
change log attach in one place. Sign-in and the full role matrix come with the roles issue;
for now the permission table below is the single point of enforcement.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("planning", "finance", "auditor", "department", "board")

# action -> roles allowed. Read access is open to every role until personal-data rules land.
PERMISSIONS: dict[str, frozenset[str]] = {
    "dataset.replace": frozenset({"planning"}),
    # audit follow-ups: status changes, progress notes and evidence (a department: own items only)
    "audit.update": frozenset({"planning", "department"}),
    "audit.signoff": frozenset({"auditor"}),
    "audit.due_date": frozenset({"planning"}),
    "execution.record": frozenset({"planning", "finance"}),
    # editing a dataset table in the app (governance_app.editing.EDITABLE says which table needs which)
    "data.edit": frozenset({"planning"}),
    "budget.edit": frozenset({"planning", "finance"}),
    # the change log: old values may be personal data
    "log.read": frozenset({"planning", "finance", "auditor", "department"}),
}


@dataclass(frozen=True)
class Actor:
    username: str
    role: str
    department: str | None = None


class PermissionDeniedError(Exception):
    pass


def require(actor: Actor, action: str) -> None:
    if actor.role not in PERMISSIONS.get(action, frozenset()):
        raise PermissionDeniedError(f"{actor.username} ({actor.role}) may not {action}")


PERSONAL_DATA_ROLES = frozenset({"planning", "auditor", "finance", "department"})


def may_see_personal_data(actor: Actor) -> bool:
    """Birth dates, names with extensions: never for board members' dashboards."""
    return actor.role in PERSONAL_DATA_ROLES


def cli_actor() -> Actor:
    """The operator at the command line acts with the planning office's rights."""
    import getpass

    return Actor(username=f"cli:{getpass.getuser()}", role="planning")
