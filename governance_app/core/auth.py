"""Who is acting. Every service that changes data takes an Actor, so permissions and the
change log attach in one place. Sign-in and the full role matrix come with the roles issue;
for now the permission table below is the single point of enforcement.
"""

from __future__ import annotations

from dataclasses import dataclass

from governance_app.core.errors import PermissionDeniedError as PermissionDeniedError  # raised by require

ROLES = ("planning", "finance", "auditor", "department", "board")

# action -> roles allowed: every service that changes data or reveals personal data requires one.
# Reading the dashboards (figures without personal data) is open to every role.
PERMISSIONS: dict[str, frozenset[str]] = {
    "dataset.replace": frozenset({"planning"}),
    "user.manage": frozenset({"planning"}),  # sign-in accounts: add, set a password, disable, list
    # audit follow-ups: status changes, progress notes and evidence (a department: own items only)
    "audit.update": frozenset({"planning", "department"}),
    "audit.signoff": frozenset({"auditor"}),
    "audit.due_date": frozenset({"planning"}),
    # a new administrative audit session and its items, as the council sends them (template intake):
    # the planning office, which receives the council's letter; auditors sign off, they do not file items
    "audit.intake": frozenset({"planning"}),
    "execution.record": frozenset({"planning", "finance"}),
    # the 자료 편집 table editor itself: the expert's tool, the planning office only (issue 11); every
    # frequent job has its own form on its page. Each table also needs its action in editing.EDITABLE.
    "table.edit": frozenset({"planning"}),
    # editing a dataset table in the app (governance_app.editing.EDITABLE says which table needs which)
    "data.edit": frozenset({"planning"}),
    "budget.edit": frozenset({"planning", "finance"}),
    # the change log: old values may be personal data
    "log.read": frozenset({"planning", "finance", "auditor", "department"}),
    # personal data (birth dates, names with extensions: record.personal fields): staff, never board members
    "personal.read": frozenset({"planning", "finance", "auditor", "department"}),
    # generated documents (PDF/DOCX) print birth dates and extensions: the planning office writes the
    # report, finance exports its documents, auditors read everything; departments only update their
    # own items, board members only read dashboards
    "report.generate": frozenset({"planning", "finance", "auditor"}),
    # the board's document (이사회 현황 자료): the dashboards' figures without personal data, for every role
    "report.board": frozenset(ROLES),
    # the dataset as CSV files (holds personal data): the same roles as the documents
    "dataset.export": frozenset({"planning", "finance", "auditor"}),
    # the board: appointments, 연임, early ends and ex officio changes (they carry birth dates)
    "board.appoint": frozenset({"planning"}),
    # major work: the actions and progress of a work item (a department: its own department's items)
    "work.update": frozenset({"planning", "department"}),
    # reporting rounds: open the next year's, submit (freeze), reopen, make one current
    "round.manage": frozenset({"planning"}),
    # major work and ESG of the year: items, plans and their order; activities, programmes, figures
    "work.edit": frozenset({"planning"}),
    "esg.edit": frozenset({"planning"}),
}


@dataclass(frozen=True)
class Actor:
    username: str
    role: str
    department: str | None = None


def require(actor: Actor, action: str) -> None:
    """Raise PermissionDeniedError unless ``may(actor, action)``."""
    if not may(actor, action):
        raise PermissionDeniedError(f"{actor.username} ({actor.role}) may not {action}")


PERSONAL_DATA_ROLES = PERMISSIONS["personal.read"]


def may(actor: Actor, action: str) -> bool:
    """Whether ``require(actor, action)`` would pass (pages: offer a control or not)."""
    return actor.role in PERMISSIONS.get(action, frozenset())


def may_see_personal_data(actor: Actor) -> bool:
    """Birth dates, names with extensions: never for board members' dashboards. Read services
    that return personal fields take the actor and blank them (None) unless this holds."""
    return may(actor, "personal.read")


def cli_actor() -> Actor:
    """The operator at the command line acts with the planning office's rights."""
    import getpass

    return Actor(username=f"cli:{getpass.getuser()}", role="planning")
