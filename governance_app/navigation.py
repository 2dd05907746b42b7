"""Which pages each role is shown: a page whose every use needs a permission the role lacks is
left out of its navigation (the services still check every action). The home page comes first."""

from __future__ import annotations

from governance_app import domains
from governance_app.core.auth import Actor, may

HOME = "home"
# section -> page names: governance_app/pages/<name>.py, titled i18n.PAGE_TITLES[name], at /<name>;
# the home page above the sections, the domains' pages from their registry (governance_app.domains)
SECTIONS = {"": [HOME], **domains.navigation()}
# page -> the permissions of which a role needs one to be shown the page
NEEDS = {
    "history": ("log.read",),
    "reports": ("report.generate", "report.board"),  # every role: the board's document at least
    "edit": ("data.edit",),  # finance records execution on the 예산 page; the table editor is planning's
}


def shown(actor: Actor, name: str) -> bool:
    return any(may(actor, p) for p in NEEDS[name]) if name in NEEDS else True


def sections_for(actor: Actor) -> dict[str, list[str]]:
    """The navigation of ``actor``: every section with the pages it may use, empty sections left out."""
    out = {section: [n for n in names if shown(actor, n)] for section, names in SECTIONS.items()}
    return {section: names for section, names in out.items() if names}


def every_page() -> list[str]:
    return [name for names in SECTIONS.values() for name in names]
