"""The input boundary (issue 13, 1.): every failure found by fuzzing the import, as a fixed case.

Each case changes one cell, header or file of a copy of data/, runs ``import`` through the CLI
and asserts: exit 1, a message naming the file, row and field, and the database unchanged (the
change log's head, which every write moves, is where it was).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from calls.models import CallPeriod
from governance_app.cli import main
from governance_app.core.boundary import InputRefusedError
from governance_app.core.db import session
from governance_app.core.i18n import josa
from governance_app.core.parsing import clean_text
from governance_app.dataset import read_csv, write_csv
from tests.helpers import DATA, acting
from tests.helpers.log import head_entry


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def set_cell(directory: Path, table: str, row: int, column: str, value: str) -> None:
    header, rows = read_csv(directory / f"{table}.csv")
    rows[row][header.index(column)] = value
    write_csv(directory / f"{table}.csv", header, rows)


def refused(engine: Engine, directory: Path, capsys: pytest.CaptureFixture[str], *needles: str) -> str:
    before = head_entry(engine)
    assert main(["import", str(directory)]) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    for needle in needles:
        assert needle in text, (needle, text[-2000:])
    assert "Traceback" not in text
    assert head_entry(engine) == before
    return text


CELL_CASES: list[tuple[str, str, int, str, str, str]] = [
    # (case, table, row, column, value, words the message must hold)
    ("int beyond 64 bits", "call_period", 0, "total_reported", str(2**63), "저장할 수 있는 범위"),
    ("int beyond 32 bits", "daily_average", 0, "average", "3000000000", "저장할 수 있는 범위"),
    ("numeric(5,1) overflow", "daily_average", 0, "share_reported", "123456.7", "저장할 수 있는 범위"),
    ("numeric(5,1) places", "daily_average", 0, "share_reported", "55.45", "소수 1자리"),
    ("mathematical digit", "call_period", 0, "seq", "𝟗", "정수가 아닙니다"),
    ("arabic-indic digits", "call_period", 0, "total_reported", "١٢٣", "정수가 아닙니다"),
    ("fullwidth digits", "budget_amount", 0, "amount", "１２", "정수가 아닙니다"),
    ("unicode digits in a date", "call_period", 0, "start_date", "２０１９-01-01", "YYYY-MM-DD"),
    ("NUL in text", "channel", 0, "name", "전\x00화", "U+0000"),
    ("vertical tab in multi-line text", "audit_item", 0, "actions", "가\x0b나", "U+000B"),
    ("zero width space in a key", "channel", 0, "code", "ph\u200bone", "U+200B"),
    ("BOM in a key", "department", 0, "code", "a\ufeffb", "U+FEFF"),
    ("word joiner in a key", "budget_line", 0, "code", "exp\u2060x", "U+2060"),
    ("combining accent in a key", "call_period", 0, "code", "2019\u0301", "결합 문자"),
    ("newline in a one-line field", "channel", 0, "name", "전\n화", "U+000A"),
    ("100,000-character key", "channel", 0, "code", "k" * 100_000, "64자"),
    ("long one-line text", "channel", 0, "name", "가" * 2_001, "2,000자"),
    ("negative count", "channel_count", 0, "count", "-5", "허용 범위"),
    ("negative quota without a domain rule", "staffing_snapshot", 0, "quota_total_reported", "-3", "음수"),
    ("negative figure", "reported_figure", 0, "value", "-1", "음수"),
]


@pytest.mark.parametrize(
    ("case", "table", "row", "column", "value", "words"), CELL_CASES, ids=[c[0] for c in CELL_CASES]
)
def test_a_bad_cell_is_refused_naming_file_row_and_field(
    engine: Engine,
    data: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    table: str,
    row: int,
    column: str,
    value: str,
    words: str,
) -> None:
    set_cell(data, table, row, column, value)
    text = refused(engine, data, capsys, f"{table}.csv", f"{row + 2}행", column, words)
    assert value[:200] not in text or value.isprintable(), case  # an invisible character is shown as U+XXXX


def test_a_duplicated_header_column_is_refused(engine: Engine, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header, rows = read_csv(data / "channel.csv")
    write_csv(data / "channel.csv", [*header, "name"], [[*r, r[header.index("name")]] for r in rows])
    refused(engine, data, capsys, "channel.csv 1행", "'name' 열이 두 번 이상")


def test_an_unknown_header_column_is_refused(engine: Engine, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header, rows = read_csv(data / "channel.csv")
    write_csv(data / "channel.csv", [*header, "colour"], [[*r, "red"] for r in rows])
    refused(engine, data, capsys, "channel.csv 1행", "알 수 없는 열 'colour'")


def test_two_current_rounds_are_refused(engine: Engine, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header, rows = read_csv(data / "report.csv")
    second = list(rows[0])
    second[header.index("code")] = "2025-10"
    write_csv(data / "report.csv", header, [*rows, second])
    refused(engine, data, capsys, "report.csv is_current", "하나여야", "2행, 3행")


def test_a_round_naming_a_missing_period_is_refused(
    engine: Engine, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_cell(data, "report", 0, "call_period_code", "2031-01")
    refused(engine, data, capsys, "report.csv 2행 call_period_code", "2031-01", "call_period.csv에 없습니다")


def test_a_directory_named_like_a_table_file_is_refused(
    engine: Engine, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (data / "budget_line.csv").unlink()
    (data / "budget_line.csv").mkdir()
    refused(engine, data, capsys, f"{josa('budget_line.csv', '은')} 일반 파일이 아닙니다")


def test_a_fifo_named_like_a_table_file_is_refused_without_waiting(
    engine: Engine, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (data / "channel.csv").unlink()
    os.mkfifo(data / "channel.csv")  # nobody writes: opening it for reading used to block for ever
    refused(engine, data, capsys, f"{josa('channel.csv', '은')} 일반 파일이 아닙니다")


def test_a_cell_over_the_limit_is_refused(engine: Engine, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header, rows = read_csv(data / "history_event.csv")
    rows[1][header.index("text")] = "x" * (32 * 1024 * 1024 + 1)
    write_csv(data / "history_event.csv", header, rows)
    refused(engine, data, capsys, "history_event.csv 3행", "최대 33,554,432자")


def test_text_is_stored_in_nfc(engine: Engine, data: Path) -> None:
    decomposed = "\u1112\u1161\u11ab"  # 한 as three jamo
    set_cell(data, "call_period", 0, "label", f"{decomposed} 기간")
    assert main(["import", str(data)]) == 0
    with session(engine) as s:
        labels = s.exec(select(CallPeriod.label)).scalars().all()  # type: ignore[call-overload]
    assert "한 기간" in labels


WRITES: list[tuple[str, Callable[[CallPeriod], None], str]] = [
    ("3,000,000,000 calls fit the widened column", lambda p: setattr(p, "total_reported", 3_000_000_000), ""),
    ("2^63 does not", lambda p: setattr(p, "total_reported", 2**63), "저장할 수 있는 범위"),
    ("NUL through a service", lambda p: setattr(p, "label", "a\x00b"), r"U\+0000"),
    ("a 100,000-character code", lambda p: setattr(p, "code", "k" * 100_000), "64자"),
]


@pytest.mark.parametrize(("case", "change", "words"), WRITES, ids=[w[0] for w in WRITES])
def test_every_orm_write_passes_the_boundary(
    engine: Engine, case: str, change: Callable[[CallPeriod], None], words: str
) -> None:
    """A value no form check knew about is refused at the flush, on both databases alike."""
    before = head_entry(engine)
    s: Session
    with acting(engine) as s:
        period = s.exec(select(CallPeriod).order_by(CallPeriod.id)).scalars().first()  # type: ignore[call-overload]
        change(period)
        if not words:
            s.commit()
            assert head_entry(engine)[0] == before[0] + 1
            return
        with pytest.raises(InputRefusedError, match=words) as exc:
            s.commit()
        assert "call_period" in str(exc.value)
    assert head_entry(engine) == before


def test_clean_text_allows_tab_and_newline_only_where_multi_line() -> None:
    assert clean_text("가\t나\n다", multiline=True) == "가\t나\n다"
    with pytest.raises(ValueError, match=r"U\+0009"):
        clean_text("가\t나")
    with pytest.raises(ValueError, match="CR"):
        clean_text("가\r\n나", multiline=True)
    assert clean_text("e\u0301") == "\u00e9"  # NFC
