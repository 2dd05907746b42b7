"""Benchmark: what the input boundary costs `import` of data/.

    .venv/bin/python bench/boundary.py [--repeat 5] [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]

Times the import as the CLI runs it (read and parse data/, validate, replace the database's
rows) into an emptied database (SQLite file by default), with the boundary's flush guard
(core.boundary: every column value checked before it is written) on and, for the ratio,
removed. The parse-time rules (ASCII digits, NFC, lengths) are part of reading and cannot be
switched off; the read is timed apart so its share shows. Issue 13 asks for at most 1.20x.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402
from sqlalchemy.orm import Session as OrmSession  # noqa: E402

from bench.changelog import _wipe  # noqa: E402  - the same emptying of the database
from governance_app import store  # noqa: E402
from governance_app.core import boundary  # noqa: E402
from governance_app.core.auth import Actor  # noqa: E402
from governance_app.core.db import get_engine, migrate, session  # noqa: E402
from governance_app.validation import validate  # noqa: E402

ACTOR = Actor("bench", "planning")


def _read() -> tuple[store.Dataset, float]:
    start = time.perf_counter()
    dataset, findings = store.read_dir(ROOT / "data")
    validate(dataset)
    assert not any(f.severity == "error" for f in findings)
    return dataset, time.perf_counter() - start


def _import(engine) -> float:
    """One whole import into an emptied database (every row created and checked): read,
    validate, write, as `import data/` does on a new database."""
    _wipe(engine)
    dataset, read_s = _read()
    start = time.perf_counter()
    with session(engine) as s:
        store.replace_in_db(session=s, actor=ACTOR, dataset=dataset)
    return read_s + time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-boundary-')) / 'bench.sqlite3'}"
    engine = get_engine(url)
    migrate(engine)
    _import(engine)  # warm: imports, caches, the first load
    print(f"database: {engine.dialect.name}; median of {args.repeat}")
    read = statistics.median(_read()[1] for _ in range(args.repeat))
    on = statistics.median(_import(engine) for _ in range(args.repeat))
    event.remove(OrmSession, "before_flush", boundary._check_flush)
    try:
        off = statistics.median(_import(engine) for _ in range(args.repeat))
    finally:
        event.listen(OrmSession, "before_flush", boundary._check_flush)
    print(f"read and validate data/           {read * 1000:7.1f} ms")
    print(
        f"import data/ (read, validate, write)   guard on {on * 1000:7.1f} ms   off {off * 1000:7.1f} ms   "
        f"ratio {on / off:4.2f}x (at most 1.20x)"
    )


if __name__ == "__main__":
    main()
