"""Which budget is in force on a date: the 본예산 (revision 0) from 1 January, each 추경 from
the date it takes effect. Pure: rows in, amounts out, shared by the service and reconciliation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

BASE_LABEL = "본예산"


def supplement_label(revision: int) -> str:
    return f"제{revision}회 추경"


def revision_in_force(effective: dict[int, date], on: date | None) -> int:
    """The revision in force on ``on`` (the latest when ``on`` is None) among the year's 추경s
    (revision -> effective date); 0, the 본예산, before the first one."""
    started = [r for r, day in effective.items() if on is None or day <= on]
    return max(started, default=0)


def amounts_in_force(
    amounts: Iterable[tuple[str, int, int, int]],
    revisions: Iterable[tuple[int, int, date]],
    on: date | None = None,
    years: Iterable[int] | None = None,
) -> dict[tuple[str, int], int]:
    """(line, year) -> amount of the budget in force: ``amounts`` are (line, year, revision,
    amount), ``revisions`` (year, revision, effective_on). ``on`` picks the revision in force on
    that date for its own year (other years: their latest); None: every year's latest. A line
    the revision in force does not name keeps its amount of the latest earlier revision."""
    effective: dict[int, dict[int, date]] = defaultdict(dict)
    for year, revision, day in revisions:
        effective[year][revision] = day
    by_year: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for line, year, revision, amount in amounts:
        by_year[year][revision][line] = amount
    wanted = set(years) if years is not None else None
    out: dict[tuple[str, int], int] = {}
    for year, per_revision in by_year.items():
        if wanted is not None and year not in wanted:
            continue
        chosen = revision_in_force(effective[year], on if on is not None and on.year == year else None)
        for revision in sorted(r for r in per_revision if r <= chosen):
            for line, amount in per_revision[revision].items():
                out[(line, year)] = amount
    return out
