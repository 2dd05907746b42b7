"""Two processes on one PostgreSQL database (issue 13): saves that really overlap.

Each case starts two processes (tests.helpers.processes: multiprocessing with spawn) that meet at
a barrier; the one that flushes first keeps its transaction open for ``HOLD`` seconds, so the
other meets its locks whatever the machine's load. Two records of one 기준일: one is saved, the
other gets the ConflictError with the budget page's message (no raw database error) and nothing
of it is written; two progress notes on one item: both are stored; a save in one process is seen
by the other's cached reads at its next run.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from audit_followup import service as audit
from audit_followup.models import AuditProgressNote
from budget import recording
from budget.models import ExecutionSnapshot
from governance_app.core import changelog
from governance_app.core.changelog import ChangeLogEntry
from governance_app.core.context import current
from governance_app.core.db import session
from tests.helpers.budget import AMOUNTS_1031, NEW_DAY, REPORT_DAY, TODAY
from tests.helpers.processes import run_processes

HOLD = 2.0  # seconds the first to flush keeps its locks
LINES = 11  # the execution lines: 10 세부사업 and the total


@pytest.fixture
def pg_url(engine: Engine) -> str:
    assert engine.dialect.name == "postgresql"
    return engine.url.render_as_string(hide_password=False)


def _head(engine: Engine) -> int:
    with session(engine) as s:
        head = s.get(changelog.LogHead, changelog.HEAD_ID)
    assert head is not None
    return head.seq


def _entries(engine: Engine, after: int) -> list[ChangeLogEntry]:
    with session(engine) as s:
        return list(s.exec(select(ChangeLogEntry).where(ChangeLogEntry.seq > after)).scalars())  # type: ignore[call-overload]


def _stored(engine: Engine, as_of: date) -> dict[str, tuple[int, int]]:
    with session(engine) as s:
        rows = s.exec(select(ExecutionSnapshot).where(ExecutionSnapshot.as_of == as_of)).scalars().all()  # type: ignore[call-overload]
    return {r.line_code: (r.budget_amount, r.executed_amount) for r in rows}


def _intact(engine: Engine) -> None:
    with session(engine) as s:
        assert changelog.verify(s).problems == []


LOWER = {**AMOUNTS_1031, "ex.3.1": (29209313, 21000000)}  # the second user's figures: 일반관리비 lower


def _two_saves(url: str, as_of: date) -> dict[str, tuple[str, object, float]]:
    work = [
        (
            name,
            "save_execution",
            {"username": name, "as_of": as_of, "amounts": amounts, "today": TODAY, "hold": HOLD},
        )
        for name, amounts in (("finance-a", AMOUNTS_1031), ("finance-b", LOWER))
    ]
    return run_processes(url, *work)


def _one_saved_one_told(engine: Engine, url: str, as_of: date, cause: str) -> None:
    head = _head(engine)
    found = _two_saves(url, as_of)
    kinds = sorted(kind for kind, _, _ in found.values())
    assert kinds == ["conflict", "ok"], found  # no raw database error reached either user
    winner = next(name for name, (kind, _, _) in found.items() if kind == "ok")
    loser = next(name for name in found if name != winner)
    assert found[winner][1] == LINES
    _, (error_type, message, raw), seconds = found[loser]
    assert error_type == "SaveConflictError" and raw == cause
    assert message == recording.RACED
    assert seconds >= HOLD * 0.9  # it met the winner's locks: the saves overlapped
    # the database holds the winner's snapshot, whole, and the log only the winner's entries
    amounts = AMOUNTS_1031 if winner == "finance-a" else LOWER
    stored = _stored(engine, as_of)
    assert {code: stored[code] for code in amounts} == amounts
    assert stored["total"] == (sum(b for b, _ in amounts.values()), sum(e for _, e in amounts.values()))
    assert len(stored) == LINES
    entries = _entries(engine, head)
    assert entries and {e.actor for e in entries} == {winner}
    assert {e.table_name for e in entries} == {"execution_snapshot"}
    _intact(engine)


@pytest.mark.postgresql
def test_two_processes_recording_a_new_date_at_once_one_is_saved_the_other_told(engine: Engine, pg_url: str) -> None:
    """A date not yet recorded: both INSERT; the second meets the first's unique key."""
    assert _stored(engine, NEW_DAY) == {}
    _one_saved_one_told(engine, pg_url, NEW_DAY, "IntegrityError")


@pytest.mark.postgresql
def test_two_processes_recording_a_recorded_date_again_one_is_saved_the_other_told(engine: Engine, pg_url: str) -> None:
    """A recorded date (the seed's 7. 31.): both UPDATE the rows they read; the second's UPDATE
    waits on the first's row locks, then matches no row of the version it read."""
    assert len(_stored(engine, REPORT_DAY)) == LINES
    _one_saved_one_told(engine, pg_url, REPORT_DAY, "StaleDataError")


@pytest.mark.postgresql
def test_two_notes_added_to_one_item_at_once_both_land(engine: Engine, pg_url: str) -> None:
    with session(engine) as s:
        ctx = current(s)
        item = audit.item(s, ctx.org_id, ctx.audit_session_code, "R-05")
        before = s.exec(select(AuditProgressNote).where(AuditProgressNote.item_code == "R-05")).scalars().all()  # type: ignore[call-overload]
    assert item is not None
    seqs = [n.seq for n in before]
    texts = {"planner-a": "1차 점검 결과를 보고함", "planner-b": "개선 계획을 부서와 협의함"}
    found = run_processes(
        pg_url,
        *(
            (
                name,
                "add_note",
                {"username": name, "item_code": "R-05", "text": text, "as_of": REPORT_DAY, "hold": HOLD},
            )
            for name, text in texts.items()
        ),
    )
    assert {kind for kind, _, _ in found.values()} == {"ok"}, found
    first = max(seqs, default=0) + 1
    assert sorted(seq for _, seq, _ in found.values()) == [first, first + 1]
    assert max(seconds for _, _, seconds in found.values()) >= HOLD * 0.9  # the second waited: they overlapped
    with session(engine) as s:
        notes = s.exec(select(AuditProgressNote).where(AuditProgressNote.item_code == "R-05")).scalars().all()  # type: ignore[call-overload]
        after = audit.item(s, ctx.org_id, ctx.audit_session_code, "R-05")
    added = {n.author: (n.seq, n.text) for n in notes if n.seq >= first}
    assert {name: text for name, (_, text) in added.items()} == texts
    assert {name: seq for name, (seq, _) in added.items()} == {name: seq for name, (_, seq, _) in found.items()}
    assert after is not None and after.version == item.version  # a note neither compares nor bumps the item
    _intact(engine)


@pytest.mark.postgresql
def test_a_save_in_one_process_is_seen_by_another_at_its_next_run(engine: Engine, pg_url: str) -> None:
    with session(engine) as s:
        year = current(s).fiscal_year
    found = run_processes(
        pg_url,
        ("reader", "read_dates_across_a_save", {"fiscal_year": year}),
        (
            "writer",
            "save_after_reader",
            {"username": "finance-a", "as_of": NEW_DAY, "amounts": AMOUNTS_1031, "today": TODAY},
        ),
    )
    assert found["writer"][:2] == ("ok", LINES), found
    kind, (before, same_run, next_run, head), _ = found["reader"]
    assert kind == "ok"
    assert NEW_DAY not in before and REPORT_DAY in before
    assert same_run == before  # within the run that read it: the cached value (no expiry here)
    assert NEW_DAY in next_run and set(next_run) - set(before) == {NEW_DAY}
    assert head == _head(engine)
