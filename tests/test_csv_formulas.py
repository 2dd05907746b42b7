"""Exports a spreadsheet opens as text (issue 13, 4.): a text cell starting with = + - @, tab or
CR is written after an apostrophe, and import reads back exactly the stored value."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from calls.models import CallPeriod
from governance_app.cli import main
from governance_app.core.db import session
from governance_app.core.parsing import from_text_cell, text_cell
from tests.helpers import acting

VALUES = [
    '=HYPERLINK("http://example.invalid/x","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "'=already quoted",
    "''=twice",
    "'25. 6. 10. stays",
    "plain 텍스트",
]


@pytest.mark.parametrize("value", VALUES)
def test_text_cell_round_trips(value: str) -> None:
    written = text_cell(value)
    assert from_text_cell(written) == value
    assert written[0] not in "=+-@\t\r"


def test_an_exported_formula_is_text_and_imports_back_the_same(engine: Engine, tmp_path: Path) -> None:
    with acting(engine) as s:
        periods = s.exec(select(CallPeriod).order_by(CallPeriod.id)).scalars().all()  # type: ignore[call-overload]
        for period, value in zip(periods, VALUES, strict=False):
            period.label = value
        s.commit()
    first, second = tmp_path / "first", tmp_path / "second"
    assert main(["export", str(first)]) == 0
    with (first / "call_period.csv").open(encoding="utf-8", newline="") as handle:
        labels = [row["label"] for row in csv.DictReader(handle)]
    assert labels[0] == "'" + VALUES[0] and all(label[0] not in "=+-@" for label in labels)
    assert main(["import", str(first)]) == 0
    with session(engine) as s:
        stored = s.exec(select(CallPeriod.label).order_by(CallPeriod.id)).scalars().all()  # type: ignore[call-overload]
    assert stored[: len(VALUES)] == VALUES[: len(stored)]
    assert main(["export", str(second)]) == 0
    assert (first / "call_period.csv").read_bytes() == (second / "call_period.csv").read_bytes()
