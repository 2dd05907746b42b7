"""Benchmark: what the change log costs a write, and how long verify-log takes.

    .venv/bin/python bench/changelog.py [--repeat 5] [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]

On a fresh database (SQLite file by default; --url for another empty database), times with the
change-log flush hook on and, for the ratio, removed:
- loading data/ into an empty database (every row created: one entry per row);
- recording one execution snapshot date again (11 rows updated: 11 entries);
and then the verify of the whole chain (entries per second).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402
from sqlalchemy.orm import Session as OrmSession  # noqa: E402

from budget import execution as budget_execution  # noqa: E402
from budget import recording as budget_recording  # noqa: E402
from governance_app import store  # noqa: E402
from governance_app.core import changelog  # noqa: E402
from governance_app.core.auth import Actor  # noqa: E402
from governance_app.core.db import get_engine, migrate, session  # noqa: E402

ACTOR = Actor("bench", "planning")


def _wipe(engine) -> None:
    from sqlalchemy import insert
    from sqlmodel import SQLModel

    with engine.begin() as connection:
        for statement in changelog.DROP_APPEND_ONLY[engine.dialect.name]:
            connection.exec_driver_sql(statement)
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(table.delete())
        connection.execute(insert(changelog.LogHead).values(id=1, seq=0, hash=changelog.GENESIS))
        for statement in changelog.APPEND_ONLY[engine.dialect.name]:
            connection.exec_driver_sql(statement)


def _load(engine) -> float:
    _wipe(engine)
    dataset, _ = store.read_dir(ROOT / "data")
    start = time.perf_counter()
    with session(engine) as s:
        store.replace_in_db(session=s, actor=ACTOR, dataset=dataset)
    return time.perf_counter() - start


def _record(engine, step: int) -> float:
    with session(engine) as s:
        lines = [line for line in budget_execution.execution_lines(s, 1) if not line.is_total]
        amounts = {line.code: (1_000_000, 100_000 + step) for line in lines}
        start = time.perf_counter()
        budget_recording.record_execution(
            session=s,
            actor=ACTOR,
            as_of=date(2025, 7, 31),
            amounts=amounts,
            org_id=1,
            fiscal_year=2025,
            today=date(2025, 9, 1),
        )
    return time.perf_counter() - start


def _median(fn, repeat: int, *args) -> float:
    return statistics.median(fn(*args) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-log-')) / 'bench.sqlite3'}"
    engine = get_engine(url)
    migrate(engine)
    print(f"database: {engine.dialect.name}; median of {args.repeat}")

    load_on = _median(_load, args.repeat, engine)
    steps = iter(range(10_000))
    record_on = statistics.median(_record(engine, next(steps)) for _ in range(args.repeat))
    event.remove(OrmSession, "after_flush", changelog._log_flush)
    try:
        load_off = _median(_load, args.repeat, engine)
        record_off = statistics.median(_record(engine, next(steps)) for _ in range(args.repeat))
    finally:
        event.listen(OrmSession, "after_flush", changelog._log_flush)

    _load(engine)
    for _ in range(20):
        _record(engine, next(steps))
    with session(engine) as s:
        start = time.perf_counter()
        result = changelog.verify(s)
        verify_s = time.perf_counter() - start
    assert result.intact, result.problems

    print(
        f"load data/ (762 rows created)   log on {load_on * 1000:7.1f} ms   off {load_off * 1000:7.1f} ms   "
        f"ratio {load_on / load_off:4.2f}x"
    )
    print(
        f"record one date (11 rows)       log on {record_on * 1000:7.1f} ms   off {record_off * 1000:7.1f} ms   "
        f"ratio {record_on / record_off:4.2f}x"
    )
    print(
        f"verify-log {result.entries} entries          {verify_s * 1000:7.1f} ms   "
        f"({result.entries / verify_s:,.0f} entries/s)"
    )


if __name__ == "__main__":
    main()
