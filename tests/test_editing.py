"""Editing one table in the app (governance_app.editing) on SQLite and PostgreSQL: the same checks
as an import, one transaction, refusal with row and field, conflicts, permissions."""

from __future__ import annotations

import filecmp
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from budget.models import BudgetLine
from governance_app import editing
from governance_app.cli import main
from governance_app.core import auth
from governance_app.core.auth import Actor, PermissionDeniedError
from governance_app.core.context import current
from governance_app.core.db import session
from governance_app.core.findings import Finding
from governance_app.dataset import ALL_TABLES, TABLES, read_csv
from tests.helpers import DATA, PLANNER, acting, wipe
from tests.helpers.editing import exported

FINANCE = Actor("test-finance", "finance")
OTHER_PLANNER = Actor("test-other-planner", "planning")
BOARD = Actor("test-board", "board")
Rows = list[dict[str, str]]


def load(engine: Engine, table: str) -> Rows:
    with session(engine) as s:
        return editing.table_rows(s, table)[1]


def save(engine: Engine, table: str, rows: Rows, *, actor: Actor = PLANNER, expected: Rows | None = None):
    with session(engine) as s:
        return editing.apply_edit(session=s, actor=actor, table_name=table, edited=rows, expected=expected)


def changed(row: dict[str, str], **cells: str) -> dict[str, str]:
    return {**row, **cells}


def amount_row(rows: Rows, line: str, year: str) -> int:
    return next(i for i, r in enumerate(rows) if r["line_code"] == line and r["fiscal_year"] == year)


def located(findings: list[Finding]) -> set[tuple[str, str, str]]:
    return {(f.table, f.row, f.field) for f in findings if f.severity == "error"}


def test_every_table_is_either_editable_or_changed_by_the_audit_workflow() -> None:
    names = [spec.name for spec in TABLES]
    assert set(editing.EDITABLE) | set(editing.WORKFLOW_TABLES) == set(names)
    assert not set(editing.EDITABLE) & set(editing.WORKFLOW_TABLES)
    assert set(editing.EDITABLE.values()) <= set(auth.PERMISSIONS)
    assert {n for n, action in editing.EDITABLE.items() if action == "budget.edit"} == {
        "budget_line",
        "budget_amount",
        "budget_revision",
        "budget_change",
        "execution_line",
        "execution_snapshot",
    }
    with pytest.raises(ValueError, match="organisation"):
        editing.spec_of("organisation")


def test_table_rows_are_the_cells_of_the_csv_files(engine: Engine) -> None:
    with session(engine) as s:
        for spec in TABLES:
            columns, rows = editing.table_rows(s, spec.name)
            header, lines = read_csv(DATA / spec.file_name)
            assert columns == header, spec.name
            assert [[r[c] for c in columns] for r in rows] == lines, spec.name


def test_saving_every_editable_table_unchanged_changes_nothing(engine: Engine) -> None:
    before = exported(engine)
    for name in editing.EDITABLE:
        rows = load(engine, name)
        result = save(engine, name, rows, expected=rows)
        assert (result.updated, result.inserted, result.deleted) == (0, 0, 0), name
        assert result.new_warnings == [], name
        assert len(result.warnings) == 5, name  # the source document's own inconsistencies
    assert exported(engine) == before


def test_an_amount_is_saved_and_its_total_no_longer_adds_up(engine: Engine) -> None:
    before = exported(engine)
    rows = load(engine, "budget_amount")
    i = amount_row(rows, "exp.1.1.1", "2025")
    assert rows[i]["amount"] == "1630926"
    edited = [dict(r) for r in rows]
    edited[i]["amount"] = "1,630,927"  # as a spreadsheet shows it; stored as 1630927
    result = save(engine, "budget_amount", edited, expected=rows)
    assert (result.updated, result.inserted, result.deleted) == (1, 0, 0)
    after = load(engine, "budget_amount")
    assert after[i] == {"line_code": "exp.1.1.1", "fiscal_year": "2025", "amount": "1630927", "revision": "0"}
    assert [r for j, r in enumerate(after) if j != i] == [r for j, r in enumerate(rows) if j != i]
    # a reconciliation warning, not an error: saved, and reported
    new = {(f.table, f.row, f.field, f.reported, f.expected) for f in result.new_warnings}
    assert ("budget_amount", "exp.1.1/2025/0", "amount", "1699724", "1699725") in new
    assert ("budget_change", "exp.1.1.1/2024/2025", "change_reported", "157291", "157292") in new
    assert all(f.severity == "warning" for f in result.warnings)
    assert set(result.new_warnings) < set(result.warnings) and len(result.warnings) == 5 + len(new)
    now = exported(engine)
    assert [name for name in before if before[name] != now[name]] == ["budget_amount.csv"]


def _text_in_amount(tables: dict[str, Rows]) -> None:
    rows = tables["budget_amount"]
    rows[amount_row(rows, "exp.1.1.1", "2025")]["amount"] = "163만"


def _negative_amount(tables: dict[str, Rows]) -> None:
    rows = tables["budget_amount"]
    rows[amount_row(rows, "exp.1.1.2", "2024")]["amount"] = "-5"


def _empty_amount(tables: dict[str, Rows]) -> None:
    rows = tables["budget_amount"]
    rows[amount_row(rows, "exp.1.1.2", "2024")]["amount"] = " "


def _impossible_end_date(tables: dict[str, Rows]) -> None:
    rows = tables["board_term"]
    rows[0]["end_date"] = "2026-02-30"


def _impossible_start_date(tables: dict[str, Rows]) -> None:
    tables["board_term"][0]["start_date"] = "2025-08-32"


def _end_before_start(tables: dict[str, Rows]) -> None:
    tables["board_term"][0]["end_date"] = "2025-08-01"


def _unknown_budget_line(tables: dict[str, Rows]) -> None:
    tables["work_budget_link"][0]["budget_line_code"] = "exp.9.9.9"


def _delete_a_referenced_budget_line(tables: dict[str, Rows]) -> None:
    tables["budget_line"][:] = [r for r in tables["budget_line"] if r["code"] != "exp.1.1.1"]


def _duplicate_key(tables: dict[str, Rows]) -> None:
    rows = tables["budget_amount"]
    rows.append(changed(rows[0], amount="1"))


def _unknown_word(tables: dict[str, Rows]) -> None:
    tables["budget_line"][0]["side"] = "수입"


INVALID: list[tuple[str, Callable[[dict[str, Rows]], None], str, set[tuple[str, str, str]], str]] = [
    (
        "budget_amount",
        _text_in_amount,
        "text",
        {("budget_amount", "exp.1.1.1/2025/0", "amount")},
        "15행 amount: 정수가",
    ),
    ("budget_amount", _negative_amount, "negative", {("budget_amount", "exp.1.1.2/2024/0", "amount")}, "허용 범위"),
    ("budget_amount", _empty_amount, "empty", {("budget_amount", "exp.1.1.2/2024/0", "amount")}, "필수 값이 비어"),
    ("board_term", _impossible_end_date, "end", {("board_term", "chair/2025-08-02", "end_date")}, "존재하지 않는 날짜"),
    ("board_term", _impossible_start_date, "start", {("board_term", "2행", "start_date")}, "존재하지 않는 날짜"),
    ("board_term", _end_before_start, "order", {("board_term", "chair/2025-08-02", "end_date")}, "시작일보다 앞섭니다"),
    (
        "work_budget_link",
        _unknown_budget_line,
        "link",
        {("work_budget_link", "2025/1-2/exp.9.9.9", "budget_line_code")},
        "exp.9.9.9가 budget_line.csv에 없습니다",
    ),
    (
        "budget_line",
        _delete_a_referenced_budget_line,
        "referenced",
        {
            ("budget_amount", "exp.1.1.1/2024/0", "line_code"),
            ("budget_amount", "exp.1.1.1/2025/0", "line_code"),
            ("budget_change", "exp.1.1.1/2024/2025", "line_code"),
            ("execution_line", "ex.1.1.1", "budget_line_code"),
        },
        "exp.1.1.1이 budget_line.csv에 없습니다",
    ),
    (
        "budget_amount",
        _duplicate_key,
        "duplicate",
        {("budget_amount", "rev/2024/0", "line_code,fiscal_year,revision")},
        "키가 2행과 중복됩니다",
    ),
    ("budget_line", _unknown_word, "word", {("budget_line", "rev", "side")}, "허용 범위"),
]


@pytest.mark.parametrize(("table", "mutate", "case", "where", "message"), INVALID, ids=[c[2] for c in INVALID])
def test_an_invalid_edit_is_refused_with_row_and_field_and_nothing_changes(
    engine: Engine,
    table: str,
    mutate: Callable[[dict[str, Rows]], None],
    case: str,
    where: set[tuple[str, str, str]],
    message: str,
) -> None:
    before = exported(engine)
    rows = load(engine, table)
    tables = {table: [dict(r) for r in rows]}
    mutate(tables)
    with pytest.raises(editing.EditRefusedError) as refused:
        save(engine, table, tables[table], expected=rows)
    assert located(refused.value.errors) == where, case
    assert all(message in f.message for f in refused.value.errors), [f.message for f in refused.value.errors]
    assert exported(engine) == before


def test_rows_are_inserted_last_and_deleted(engine: Engine) -> None:
    before = exported(engine)
    rows = load(engine, "history_event")
    edited = [r for r in rows if r["seq"] != "3"]
    edited += [
        {"seq": "27", "year": "2025", "month": "10", "day": "1", "text": "새 연혁 하나", "is_award": "false"},
        {"seq": "26", "year": "2025", "month": "11", "day": None, "text": "새 연혁 둘", "is_award": "true"},
        {"seq": None, "year": None, "month": None, "day": float("nan"), "text": None, "is_award": None},  # blank
    ]
    result = save(engine, "history_event", edited, expected=rows)
    assert (result.updated, result.inserted, result.deleted) == (0, 2, 1)
    after = load(engine, "history_event")
    assert [r["seq"] for r in after] == [r["seq"] for r in rows if r["seq"] != "3"] + ["27", "26"]
    assert after[-1] == {
        "seq": "26",
        "year": "2025",
        "month": "11",
        "day": "",
        "text": "새 연혁 둘",
        "is_award": "true",
    }
    now = exported(engine)
    assert [name for name in before if before[name] != now[name]] == ["history_event.csv"]


def test_changing_a_key_is_a_delete_and_an_insert(engine: Engine) -> None:
    rows = load(engine, "history_event")
    edited = [dict(r) for r in rows]
    edited[0]["seq"] = "100"
    edited[1]["text"] = "야간 상담서비스 개시"
    result = save(engine, "history_event", edited, expected=rows)
    assert (result.updated, result.inserted, result.deleted) == (1, 1, 1)
    after = load(engine, "history_event")
    assert after[-1] == changed(rows[0], seq="100")  # moved to the end
    assert after[0] == changed(rows[1], text="야간 상담서비스 개시")


def test_a_key_still_referred_to_cannot_change(engine: Engine) -> None:
    before = exported(engine)
    rows = load(engine, "budget_line")
    edited = [changed(r, code="exp.1.1.9") if r["code"] == "exp.1.1.1" else dict(r) for r in rows]
    with pytest.raises(editing.EditRefusedError) as refused:
        save(engine, "budget_line", edited)
    assert ("budget_amount", "exp.1.1.1/2025/0", "line_code") in located(refused.value.errors)
    assert exported(engine) == before


def test_a_concurrent_edit_is_refused_with_the_current_rows(engine: Engine) -> None:
    loaded = load(engine, "budget_amount")
    i = amount_row(loaded, "exp.1.1.1", "2025")
    theirs = [changed(r, amount="1630000") if j == i else dict(r) for j, r in enumerate(loaded)]
    save(engine, "budget_amount", theirs, actor=OTHER_PLANNER, expected=loaded)
    mine = [changed(r, amount="1700000") if j == i else dict(r) for j, r in enumerate(loaded)]
    before = exported(engine)
    with pytest.raises(editing.EditConflictError) as conflict:
        save(engine, "budget_amount", mine, expected=loaded)
    assert conflict.value.current[i]["amount"] == "1630000"
    assert conflict.value.current == load(engine, "budget_amount")
    assert exported(engine) == before
    # without the check (or after reloading) the edit goes through
    assert save(engine, "budget_amount", mine, expected=load(engine, "budget_amount")).updated == 1


def test_permissions(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    before = exported(engine)
    amounts = load(engine, "budget_amount")
    events = load(engine, "history_event")
    # the table editor is the planning office's (issue 11): finance records budgets and execution
    # through the budget page's forms and uploads, not as tables
    for actor in (BOARD, Actor("auditor", "auditor"), Actor("dept", "department", "기획부"), FINANCE):
        with pytest.raises(PermissionDeniedError):
            save(engine, "budget_amount", amounts, actor=actor)
        with pytest.raises(PermissionDeniedError):
            save(engine, "history_event", events, actor=actor)
        assert editing.editable_tables(actor) == []
    assert save(engine, "budget_amount", amounts, actor=PLANNER).changed == 0
    with pytest.raises(PermissionDeniedError, match="audit workflow"):
        save(engine, "audit_item", load(engine, "audit_item"))  # not even the planning office
    assert "audit_item" not in editing.editable_tables(PLANNER)
    assert exported(engine) == before

    # a role that may edit but may not see personal data cannot edit the tables that hold it
    monkeypatch.setitem(auth.PERMISSIONS, "data.edit", frozenset({"planning", "board"}))
    monkeypatch.setitem(auth.PERMISSIONS, "table.edit", frozenset({"planning", "board"}))
    with pytest.raises(PermissionDeniedError, match="personal data"):
        save(engine, "board_person", load(engine, "board_person"), actor=BOARD)
    assert save(engine, "history_event", events, actor=BOARD).changed == 0
    allowed = editing.editable_tables(BOARD)
    assert "history_event" in allowed and not {"board_person", "work_contact"} & set(allowed)
    assert editing.withheld_tables(BOARD) == ["board_person", "work_contact"]
    assert editing.withheld_tables(PLANNER) == []


def test_export_after_an_edit_round_trips(engine: Engine, tmp_path: Path) -> None:
    rows = load(engine, "execution_snapshot")
    edited = [dict(r) for r in rows] + [
        {
            "line_code": "ex.1.1.1",
            "as_of": "2025-08-31",
            "budget_amount": "1630926",
            "executed_amount": "1600000",
            "rate_reported": "98.10",
            "remaining_reported": "",
        }
    ]
    assert save(engine, "execution_snapshot", edited, expected=rows).inserted == 1
    first, second = tmp_path / "first", tmp_path / "second"
    assert main(["export", str(first)]) == 0
    assert (
        (first / "execution_snapshot.csv")
        .read_text(encoding="utf-8")
        .endswith("ex.1.1.1,2025-08-31,1630926,1600000,98.1,\n")
    )
    wipe(engine)
    assert main(["import", str(first)]) == 0
    assert main(["export", str(second)]) == 0
    _, different, missing = filecmp.cmpfiles(first, second, [s.file_name for s in ALL_TABLES], shallow=False)
    assert (different, missing) == ([], [])


def test_errors_already_stored_elsewhere_do_not_block_an_edit(engine: Engine) -> None:
    """Stored data that a later rule finds wrong: other tables stay editable, that table must be fixed."""
    with acting(engine) as s:
        s.add(BudgetLine(org_id=current(s).org_id, code="exp.x", side="수입", level="detail", name="x", seq=99))
        s.commit()
    events = load(engine, "history_event")
    assert save(engine, "history_event", [changed(events[0], text="고침"), *events[1:]]).updated == 1
    lines = load(engine, "budget_line")
    with pytest.raises(editing.EditRefusedError) as refused:
        save(engine, "budget_line", lines)
    assert located(refused.value.errors) == {("budget_line", "exp.x", "side")}
    fixed = [changed(r, side="expenditure", parent_code="exp") if r["code"] == "exp.x" else r for r in lines]
    assert save(engine, "budget_line", fixed).updated == 1


def test_a_database_refusal_rolls_back(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The foreign keys are the second line behind validation: the save fails as a whole."""
    before = exported(engine)
    monkeypatch.setattr(editing, "validate", lambda dataset, reconcile=True: [])
    rows = load(engine, "budget_line")
    edited = [changed(r, name="바뀐 이름") if r["code"] == "rev" else r for r in rows if r["code"] != "exp.1.1.1"]
    with pytest.raises(editing.EditRefusedError) as refused:
        save(engine, "budget_line", edited)
    assert "데이터베이스가 저장을 거부했습니다" in refused.value.errors[0].message
    assert exported(engine) == before
