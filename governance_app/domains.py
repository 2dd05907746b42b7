"""The registry of domain packages, in load order (each domain after those it refers to).

Each package declares itself once in its ``__init__.py`` (``DOMAIN``, a ``core.domain.Domain``):
its tables, schemas and reconciliation, its pages. The dataset, validation, the navigation and
the backup iterate over ``DOMAINS``; adding a domain is a new package and one line here.
"""

from __future__ import annotations

import audit_followup
import board
import budget
import calls
import esg
import institution
import major_work
import staffing
import timeline
from governance_app.core.domain import Domain

DOMAINS: tuple[Domain, ...] = (
    institution.DOMAIN,
    calls.DOMAIN,
    staffing.DOMAIN,
    board.DOMAIN,
    budget.DOMAIN,
    major_work.DOMAIN,
    timeline.DOMAIN,
    esg.DOMAIN,
    audit_followup.DOMAIN,
)

# The navigation: sections in order, each with the application's own pages around the domains'
# pages (governance_app/pages/<name>.py).
SECTIONS = ("현황", "예산·사업", "감사·검증")
PAGES_BEFORE = {"현황": ("overview",)}
PAGES_AFTER = {"감사·검증": ("quality", "history", "rounds", "reports", "edit")}


def navigation() -> dict[str, list[str]]:
    """Section -> page names, as the sidebar lists them."""
    return {
        section: [
            *PAGES_BEFORE.get(section, ()),
            *(page for domain in DOMAINS if domain.section == section for page in domain.pages),
            *PAGES_AFTER.get(section, ()),
        ]
        for section in SECTIONS
    }
