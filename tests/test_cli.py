"""The command line as an operator uses it: init-db, validate, import, export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from governance_app.cli import main
from tests.helpers import DATA


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _replace_cell(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_validate_seed_reports_the_documents_own_inconsistencies(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DATA), "--json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    assert all(set(f) == {"table", "row", "field", "reported", "expected", "severity", "message"} for f in findings)
    assert {f["severity"] for f in findings} == {"warning"}
    by_row = {(f["table"], f["row"]): f for f in findings}
    # The 총괄 table says 건의사항 완료 6 and 계 완료 23, but all 7 건의사항 items are 완료 (8+7+8 = 23).
    recommend = by_row[("audit_summary_reported", "2024-admin/건의사항/완료")]
    assert (recommend["reported"], recommend["expected"]) == ("6", "7")
    total = by_row[("audit_summary_reported", "2024-admin/계/완료")]
    assert (total["reported"], total["expected"]) == ("23", "22")
    # 일평균 totals were summed from rounded parts: 3,743,551 / 212 days = 17,658.3, printed 17,659.
    daily = by_row[("daily_average", "2025-07/total")]
    assert (daily["reported"], daily["expected"]) == ("17659", "17658")
    assert len(findings) == 5


def test_validate_names_row_and_field_of_a_broken_total(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _copy_data(tmp_path)
    _replace_cell(data / "budget_amount.csv", "exp.1.1,2025,1699724", "exp.1.1,2025,1699725")
    assert main(["validate", str(data), "--json"]) == 0  # a total that does not add up is a warning
    findings = json.loads(capsys.readouterr().out)
    broken = [f for f in findings if f["table"] == "budget_amount" and f["row"] == "exp.1.1/2025/0"]
    assert broken and broken[0]["field"] == "amount"
    assert (broken[0]["reported"], broken[0]["expected"]) == ("1699725", "1699724")


def test_validate_catches_wrong_rate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _copy_data(tmp_path)
    _replace_cell(data / "phone_performance.csv", "1955969,96.5", "1955969,96.4")
    main(["validate", str(data), "--json"])
    findings = json.loads(capsys.readouterr().out)
    wrong = [f for f in findings if f["table"] == "phone_performance"]
    assert [(w["row"], w["field"], w["reported"], w["expected"]) for w in wrong] == [
        ("2025-07", "answer_rate_reported", "96.4", "96.5")
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "row", "field"),
    [
        (
            "board_term.csv",
            "labour,park-gyeongeun,2024-11-11",
            "labour,park-gyeongeun,2024-11-31",
            "10행",
            "start_date",
        ),
        ("board_term.csv", "2024-11-11,2027-11-10", "2024-11-11,2023-11-10", "labour/2024-11-11", "end_date"),
        (
            "audit_item.csv",
            "R-01,2024-admin,시정·처리요구사항,1,",
            "R-01,2024-admin,,1,",
            "2024-admin/R-01",
            "category",
        ),
        ("channel_count.csv", "2019,sms,965328", "2019,sms,96x328", "2019/sms", "count"),
        ("work_budget_link.csv", "2-1,exp.1.2.1", "2-1,exp.9.9.9", "2025/2-1/exp.9.9.9", "budget_line_code"),
    ],
    ids=["impossible-date", "term-ends-before-start", "missing-required", "not-a-number", "unknown-reference"],
)
def test_validate_errors_name_row_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], file: str, old: str, new: str, row: str, field: str
) -> None:
    data = _copy_data(tmp_path)
    _replace_cell(data / file, old, new)
    assert main(["validate", str(data), "--json"]) == 1
    errors = [f for f in json.loads(capsys.readouterr().out) if f["severity"] == "error"]
    assert [(e["table"], e["row"], e["field"]) for e in errors] == [(file.removesuffix(".csv"), row, field)]
