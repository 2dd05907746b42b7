"""History, founding basis and purpose, mission, vision, goals and strategy."""

from __future__ import annotations

from governance_app.core.record import OrgRecord, natural_key


class HistoryEvent(OrgRecord, table=True):
    __table_args__ = (natural_key("seq"),)
    seq: int
    year: int
    month: int
    day: int | None = None
    text: str
    is_award: bool


class Statement(OrgRecord, table=True):
    """One line of 설립근거/설립목적/미션/비전/경영목표/전략방향/핵심과제.

    ``section`` names the block; ``parent_code`` ties a core task's detail lines to it.
    """

    __table_args__ = (natural_key("fiscal_year", "code"),)  # each round's year has its own statements
    code: str
    fiscal_year: int
    section: str  # basis | purpose | mission | vision | slogan | goal | strategy | core_task | core_task_detail
    parent_code: str | None = None
    text: str
    seq: int
