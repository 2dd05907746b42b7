"""Benchmark: the yearly template intake (target: ``load budget`` under 2 s on this machine).

    .venv/bin/python bench/intake.py [--repeat 5] [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]

On a fresh database holding data/ (a SQLite file by default; --url for another, emptied first),
prints per kind the time to write the template, to check a filled one (read + validate the whole
dataset with it in place: what the page shows before saving) and to save it (check again + write
in one transaction), median of --repeat runs; the budget also as a 추경 with a change date.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import load_workbook  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

from governance_app import intake, store  # noqa: E402
from governance_app.core import changelog  # noqa: E402
from governance_app.core.auth import Actor  # noqa: E402
from governance_app.core.db import get_engine, migrate, session  # noqa: E402

ACTOR = Actor("bench", "planning")


def _fresh(engine) -> None:
    with engine.begin() as connection:
        for statement in changelog.DROP_APPEND_ONLY[engine.dialect.name]:
            connection.exec_driver_sql(statement)
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name != "alembic_version":
                connection.execute(table.delete())
        connection.execute(insert(changelog.LogHead).values(id=1, seq=0, hash=changelog.GENESIS))
        for statement in changelog.APPEND_ONLY[engine.dialect.name]:
            connection.exec_driver_sql(statement)
    dataset, _ = store.read_dir(ROOT / "data")
    with session(engine) as s:
        store.replace_in_db(session=s, actor=ACTOR, dataset=dataset)


def _filled_budget(data: bytes, bump: int) -> bytes:
    book = load_workbook(io.BytesIO(data))
    for row in book["예산"].iter_rows(min_row=3):
        if isinstance(row[3].value, int) and not (isinstance(row[4].value, str)):
            row[4].value = row[3].value + bump if row[4].value is None else row[4].value + bump
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _timed(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    engine = get_engine(url)
    migrate(engine)
    _fresh(engine)
    print(f"database: {engine.dialect.name}; median of {args.repeat} runs")

    def write(kind: str, year: int | None) -> bytes:
        with session(engine) as s:
            return intake.template(s, kind, year)

    def check(kind: str, data: bytes, **options: object) -> None:
        with session(engine) as s:
            draft = intake.check(s, kind, data, "bench.xlsx", **options)
        assert not draft.errors, draft.errors[:3]

    counter = iter(range(1, 10_000))

    def save_budget(year: int, **options: object) -> None:
        # each run a different figure, so every save writes (an unchanged file writes nothing)
        data = _filled_budget(write("budget", year), next(counter))
        with session(engine) as s:
            intake.save(session=s, actor=ACTOR, kind="budget", data=data, filename="bench.xlsx", **options)

    budget_2026 = _filled_budget(write("budget", 2026), 1000)
    print(f"template budget 2026        {_timed(lambda: write('budget', 2026), args.repeat):6.3f} s")
    print(f"check budget 2026           {_timed(lambda: check('budget', budget_2026), args.repeat):6.3f} s")
    print(f"load budget 2026 (본예산)   {_timed(lambda: save_budget(2026), args.repeat):6.3f} s  (target < 2 s)")
    supplement = {"change_date": date(2025, 9, 1)}
    took = _timed(lambda: save_budget(2025, **supplement), args.repeat)
    print(f"load budget 2025 (추경)     {took:6.3f} s  (target < 2 s)")
    for kind, year in (("calls", 2026), ("staffing", 2026), ("audit", None)):
        data = write(kind, year)
        print(f"template {kind:<18} {_timed(lambda k=kind, y=year: write(k, y), args.repeat):6.3f} s")
        if kind == "staffing":
            print(f"check {kind:<21} {_timed(lambda k=kind, d=data: check(k, d), args.repeat):6.3f} s")


if __name__ == "__main__":
    main()
