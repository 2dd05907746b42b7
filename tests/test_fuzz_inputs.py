"""Seeded fuzzing of the import (issue 13): a few hundred bad datasets, on each database.

Every case changes one cell, one header or one file of data/ in a class the issue found
failing (numbers past the column, digits that are not ASCII, control and invisible characters,
over-long keys and text, bad decimals and dates, doubled or unknown header columns, rounds
that contradict each other, files that are not regular files, bytes that are not UTF-8) and
runs ``import`` through the CLI. For each: no exception escapes, it ends within a few seconds,
the message names the file (and the row and field where there is one), and the database is
unchanged (the change log's head, which every write moves, stays where it was). The run stops
after CASES cases or BUDGET_SECONDS, whichever comes first; the seed makes it repeatable.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from governance_app.cli import main
from governance_app.core.i18n import josa
from governance_app.core.parsing import INT64, KEY_LENGTH, column_type, model_rules
from governance_app.dataset import BY_NAME, TABLES, read_csv, write_csv
from tests.helpers import DATA
from tests.helpers.log import head_entry

SEED = 20251201
CASES = 240
BUDGET_SECONDS = 25.0
CASE_SECONDS = 10.0
REFUSED_CHARS = ["\x00", "\x0b", "\x1b", "\x7f", "\u200b", "\ufeff", "\u2060", "\u2028", "\u202e", "\ue000", "\u3164"]
DIGIT_SETS = ["𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗", "٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９", "০১২৩৪৫৬৭৮৯"]

Case = tuple[str, str, list[str]]  # (class, file name, words the message must hold)


def _cells(rng: random.Random, kinds: tuple[type, ...], *, key: bool | None = None) -> tuple[str, int, str, str]:
    """A random non-empty cell of one of ``kinds``: (table, row index, column, text)."""
    while True:
        spec = rng.choice(TABLES)
        rules = model_rules(spec.model)
        columns = [
            c
            for c in spec.columns
            if column_type(spec, c)[0] in kinds and not rules[c].binary and (key is None or rules[c].key == key)
        ]
        if not columns:
            continue
        header, rows = read_csv(DATA / spec.file_name)
        if not rows:
            continue
        index = rng.randrange(len(rows))
        column = rng.choice(columns)
        text = rows[index][header.index(column)]
        if text.strip():
            return spec.name, index, column, text


def _set(work: Path, table: str, index: int, column: str, value: str) -> None:
    header, rows = read_csv(DATA / f"{table}.csv")
    rows[index][header.index(column)] = value
    write_csv(work / f"{table}.csv", header, rows)


def _cell_case(work: Path, name: str, table: str, index: int, column: str, value: str) -> Case:
    _set(work, table, index, column, value)
    return name, f"{table}.csv", [f"{table}.csv {index + 2}행 {column}"]


def int_overflow(rng: random.Random, work: Path) -> Case:
    table, index, column, _ = _cells(rng, (int,))
    high = model_rules(BY_NAME[table].model)[column].high
    assert isinstance(high, int)
    value = rng.choice([high + 1, high + rng.randrange(1, 2**40), INT64[1] + 1, 10**30])
    value = value if rng.random() < 0.5 else -value - 1  # the low end is one further: -(2**63) fits
    return _cell_case(work, "int overflow", table, index, column, str(value))


def unicode_digits(rng: random.Random, work: Path) -> Case:
    table, index, column, text = _cells(rng, (int,))
    digits = rng.choice(DIGIT_SETS)
    at = rng.choice([i for i, c in enumerate(text) if c.isdigit()])
    value = text[:at] + digits[int(text[at])] + text[at + 1 :]
    return _cell_case(work, "unicode digit", table, index, column, value)


def refused_char(rng: random.Random, work: Path) -> Case:
    table, index, column, text = _cells(rng, (str,))
    text = text if len(text) > 1 else text + "가"
    at = rng.randrange(1, len(text))  # inside: the parser strips whitespace at the ends
    return _cell_case(
        work, "control/invisible", table, index, column, text[:at] + rng.choice(REFUSED_CHARS) + text[at:]
    )


def long_key(rng: random.Random, work: Path) -> Case:
    table, index, column, text = _cells(rng, (str,), key=True)
    value = text + "k" * rng.choice([KEY_LENGTH + 1 - len(text), 1000, 100_000])
    return _cell_case(work, "long key", table, index, column, value)


def long_text(rng: random.Random, work: Path) -> Case:
    table, index, column, text = _cells(rng, (str,), key=False)
    limit = model_rules(BY_NAME[table].model)[column].length
    assert limit is not None
    return _cell_case(work, "long text", table, index, column, text + "가" * (limit + 1))


def bad_decimal(rng: random.Random, work: Path) -> Case:
    from decimal import Decimal

    table, index, column, _ = _cells(rng, (Decimal,))
    value = rng.choice(["NaN", "inf", "1E+400", "55.45", "12345.6", "1,5", "٥٥.٤", "-", "55."])
    return _cell_case(work, "bad decimal", table, index, column, value)


def bad_date(rng: random.Random, work: Path) -> Case:
    from datetime import date

    table, index, column, text = _cells(rng, (date,))
    value = rng.choice(["2025-02-30", "２０２５-01-01", "2025-1-1", "25. 8. 2.", "9999-99-99", text + "x"])
    return _cell_case(work, "bad date", table, index, column, value)


def bad_header(rng: random.Random, work: Path) -> Case:
    spec = rng.choice(TABLES)
    header, rows = read_csv(DATA / spec.file_name)
    how = rng.choice(["doubled", "unknown", "invisible"])
    column = rng.choice(header)
    if how == "doubled":
        header, rows = [*header, column], [[*r, r[header.index(column)]] for r in rows]
    elif how == "unknown":
        header, rows = [*header, "extra"], [[*r, "x"] for r in rows]
    else:
        header = [c + "\u200b" if c == column else c for c in header]
    write_csv(work / spec.file_name, header, rows)
    return f"header {how}", spec.file_name, [f"{spec.file_name} 1행"]


def bad_round(rng: random.Random, work: Path) -> Case:
    header, rows = read_csv(DATA / "report.csv")
    if rng.random() < 0.5:
        second = list(rows[0])
        second[header.index("code")] = f"2026-{rng.randrange(1, 13):02}"
        write_csv(work / "report.csv", header, [*rows, second])
        return "two current rounds", "report.csv", ["report.csv is_current"]
    column = rng.choice(["call_period_code", "audit_session_code"])
    return _cell_case(work, "round reference", "report", 0, column, f"missing-{rng.randrange(1000)}")


def not_a_file(rng: random.Random, work: Path) -> Case:
    spec = rng.choice(TABLES)
    (work / spec.file_name).unlink()
    if rng.random() < 0.5:
        (work / spec.file_name).mkdir()
    else:
        os.mkfifo(work / spec.file_name)
    return "not a regular file", spec.file_name, [f"{josa(spec.file_name, '은')} 일반 파일이 아닙니다"]


def not_utf8(rng: random.Random, work: Path) -> Case:
    spec = rng.choice(TABLES)
    raw = (DATA / spec.file_name).read_bytes()
    at = rng.randrange(len(raw) // 2, len(raw))
    (work / spec.file_name).write_bytes(raw[:at] + rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80"]) + raw[at:])
    return "not UTF-8", spec.file_name, [f"{spec.file_name} ", "UTF-8"]


GENERATORS: list[Callable[[random.Random, Path], Case]] = [
    int_overflow,
    unicode_digits,
    refused_char,
    long_key,
    long_text,
    bad_decimal,
    bad_date,
    bad_header,
    bad_round,
    not_a_file,
    not_utf8,
]


def _restore(work: Path) -> None:
    for spec in TABLES:
        target = work / spec.file_name
        if target.is_dir() and not target.is_symlink():
            target.rmdir()
        elif not target.is_file() or target.stat().st_mtime_ns != (DATA / spec.file_name).stat().st_mtime_ns:
            target.unlink(missing_ok=True)
            shutil.copy2(DATA / spec.file_name, target)


def test_fuzzed_imports_are_refused_cleanly(engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(SEED)
    work = tmp_path / "data"
    shutil.copytree(DATA, work)
    before = head_entry(engine)
    started = time.monotonic()
    seen: dict[str, int] = {}
    failures = []
    for number in range(CASES):
        if time.monotonic() - started > BUDGET_SECONDS:
            break
        generator = GENERATORS[number % len(GENERATORS)]
        name, file_name, words = generator(rng, work)
        seen[generator.__name__] = seen.get(generator.__name__, 0) + 1
        case_start = time.monotonic()
        code = main(["import", str(work)])
        elapsed = time.monotonic() - case_start
        out = capsys.readouterr()
        text = out.out + out.err
        problems = []
        if code != 1:
            problems.append(f"exit {code}")
        if elapsed > CASE_SECONDS:
            problems.append(f"took {elapsed:.1f} s")
        problems += [f"no {w!r}" for w in words if w not in text]
        if "Traceback" in text or "사건 번호" in text:
            problems.append("unexpected error")
        if head_entry(engine) != before:
            problems.append("the database changed")
        if problems:
            failures.append((number, name, file_name, problems, text[-600:]))
        _restore(work)
    assert not failures, failures[:5]
    assert sum(seen.values()) >= 60, seen  # the budget allows a meaningful number of cases
    assert set(seen) == {g.__name__ for g in GENERATORS}, seen  # every class ran
