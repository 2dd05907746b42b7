"""Work done in separate processes (multiprocessing, spawn) that meet at a barrier, so two saves
really overlap on one PostgreSQL database; each reports its outcome through a queue.

A child that flushes first holds its transaction open for ``hold`` seconds after its flush (its
rows locked, nothing committed), so the other, started at the same barrier, meets those locks:
the overlap does not depend on how fast either process happens to run.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

CONTEXT = multiprocessing.get_context("spawn")
TIMEOUT = 60  # seconds a child waits at a barrier, and the parent for a child


def _child(target: str, url: str, barrier: Any, results: Any, name: str, kwargs: dict[str, Any]) -> None:
    os.environ["DATABASE_URL"] = url
    started = time.monotonic()
    try:
        outcome = TARGETS[target](url, barrier, **kwargs)
        results.put((name, "ok", outcome, time.monotonic() - started))
    except Exception as exc:
        from governance_app.core.errors import ConflictError

        kind = "conflict" if isinstance(exc, ConflictError) else "error"
        cause = type(exc.__cause__).__name__ if exc.__cause__ else None
        results.put((name, kind, (type(exc).__name__, str(exc), cause), time.monotonic() - started))


def run_processes(url: str, *work: tuple[str, str, dict[str, Any]], parties: int | None = None) -> dict[str, Any]:
    """Run each (name, target function of this module, keyword arguments) in a process of its
    own; returns name -> (kind: "ok" | "conflict" | "error", outcome or (type, message, cause),
    seconds taken). ``parties``: the barrier's size (default: one per process)."""
    barrier = CONTEXT.Barrier(parties or len(work))
    results = CONTEXT.Queue()
    processes = [
        CONTEXT.Process(target=_child, args=(target, url, barrier, results, name, kwargs), daemon=True)
        for name, target, kwargs in work
    ]
    with _bare_main():
        for process in processes:
            process.start()
    found = {}
    try:
        for _ in processes:
            name, kind, outcome, seconds = results.get(timeout=TIMEOUT)
            found[name] = (kind, outcome, seconds)
    finally:
        for process in processes:
            process.join(timeout=TIMEOUT)
            if process.is_alive():
                process.kill()
    return found


@contextmanager
def _bare_main() -> Iterator[None]:
    """A spawned child runs the parent's ``__main__`` file first; after an AppTest that is the
    last page script it ran (a page, which stops outside a Streamlit run). Children start from
    an empty ``__main__`` instead."""
    saved = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = saved


def _engine(url: str) -> Any:
    from governance_app.core.db import get_engine

    return get_engine(url)


def _held(session: Any, hold: float) -> None:
    from sqlalchemy import event

    if hold:
        event.listen(session, "after_flush_postexec", lambda *_: time.sleep(hold))


def save_execution(
    url: str,
    barrier: Any,
    *,
    username: str,
    as_of: date,
    amounts: dict[str, tuple[int, int]],
    today: date,
    hold: float,
) -> int:
    """``record_execution`` as ``username`` (finance), started at the barrier."""
    from budget import recording
    from governance_app.core.auth import Actor
    from governance_app.core.db import session

    with session(_engine(url)) as s:
        _held(s, hold)
        barrier.wait(timeout=TIMEOUT)
        return recording.record_execution(
            session=s, actor=Actor(username, "finance"), as_of=as_of, amounts=amounts, today=today
        )


def add_note(url: str, barrier: Any, *, username: str, item_code: str, text: str, as_of: date, hold: float) -> int:
    """``audit_followup.service.add_note`` as ``username`` (planning), started at the barrier; the
    note's seq."""
    from audit_followup import service as audit
    from governance_app.core.auth import Actor
    from governance_app.core.context import current
    from governance_app.core.db import session

    with session(_engine(url)) as s:
        ctx = current(s)
        s.rollback()  # nothing held open before the barrier
        _held(s, hold)
        barrier.wait(timeout=TIMEOUT)
        note = audit.add_note(
            session=s,
            actor=Actor(username, "planning"),
            org_id=ctx.org_id,
            session_code=ctx.audit_session_code,
            item_code=item_code,
            as_of=as_of,
            text=text,
        )
        return note.seq


def read_dates_across_a_save(url: str, barrier: Any, *, fiscal_year: int) -> tuple[Any, ...]:
    """An app process: the execution dates through the pages' cache (``ui.frozen``) at one run,
    then, once the writer saved (the second barrier), the same read before and after the next
    run's revision read (``ui.sync_revision``, which every run starts with)."""
    from budget import execution
    from governance_app import ui
    from governance_app.core.context import current
    from governance_app.core.db import session

    ui.cache.CACHE_TTL_SECONDS = 3600  # nothing expires: only the head read can show the save
    with session(_engine(url)) as s:
        org_id = current(s).org_id
    ui.sync_revision()  # the first run
    before = tuple(ui.frozen(execution.execution_dates, org_id, fiscal_year))
    barrier.wait(timeout=TIMEOUT)  # ready: the writer saves now
    barrier.wait(timeout=TIMEOUT)  # the writer committed
    same_run = tuple(ui.frozen(execution.execution_dates, org_id, fiscal_year))
    head = ui.sync_revision()  # the next run
    next_run = tuple(ui.frozen(execution.execution_dates, org_id, fiscal_year))
    return before, same_run, next_run, head


def save_after_reader(
    url: str, barrier: Any, *, username: str, as_of: date, amounts: dict[str, tuple[int, int]], today: date
) -> int:
    """The writer of ``read_dates_across_a_save``: saves once the reader has read, then tells it."""
    barrier.wait(timeout=TIMEOUT)
    try:
        return save_execution(url, _NoBarrier(), username=username, as_of=as_of, amounts=amounts, today=today, hold=0)
    finally:
        barrier.wait(timeout=TIMEOUT)


class _NoBarrier:
    def wait(self, timeout: float | None = None) -> None:
        return None


TARGETS: dict[str, Callable[..., Any]] = {
    "save_execution": save_execution,
    "add_note": add_note,
    "read_dates_across_a_save": read_dates_across_a_save,
    "save_after_reader": save_after_reader,
}
