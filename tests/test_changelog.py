"""The change log (governance_app.core.changelog) on SQLite and PostgreSQL: one entry per created,
updated or deleted record with who, what and field-level old/new values; nothing without an
actor and nothing from a rolled-back transaction; append-only in the database; and a hash chain
that ``verify-log`` checks, naming the entry that was altered, removed or moved."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from budget.models import BudgetAmount
from budget.recording import record_execution
from governance_app import editing, store
from governance_app.core import changelog
from governance_app.core.auth import Actor, PermissionDeniedError
from governance_app.core.changelog import ChangeLogEntry, LogHead
from governance_app.core.db import session
from governance_app.core.models import UserAccount
from tests.helpers import DATA, PLANNER, acting
from tests.helpers.audit import PDF, upload
from tests.helpers.budget import AMOUNTS_1031, TODAY
from tests.helpers.log import LOG, altered, content, head, tamper, verify_log

FINANCE = Actor("test-finance", "finance")
BOARD = Actor("test-board", "board")
EXP_1_1_1_2025 = 13  # the row of budget_amount.csv holding exp.1.1.1, 2025, 1630926


def entries_after(engine: Engine, seq: int) -> list[ChangeLogEntry]:
    with session(engine) as s:
        query = select(ChangeLogEntry).where(ChangeLogEntry.seq > seq).order_by(ChangeLogEntry.seq)  # type: ignore[arg-type]
        return list(s.exec(query).scalars())  # type: ignore[call-overload]


def described(entry: ChangeLogEntry) -> tuple[str, str, str, str, str, dict[str, list[Any]]]:
    return (entry.actor, entry.role, entry.action, entry.table_name, entry.record_key, json.loads(entry.changes))


def verified(engine: Engine) -> changelog.Verification:
    with session(engine) as s:
        return changelog.verify(s)


def table_rows(engine: Engine, name: str) -> list[dict[str, str]]:
    with session(engine) as s:
        return editing.table_rows(s, name)[1]


def save(engine: Engine, name: str, rows: list[dict[str, str]], actor: Actor = PLANNER) -> None:
    with session(engine) as s:
        editing.apply_edit(session=s, actor=actor, table_name=name, edited=rows)


def amount_of(engine: Engine, line: str, year: int) -> int:
    with session(engine) as s:
        row = s.exec(
            select(BudgetAmount).where(BudgetAmount.line_code == line, BudgetAmount.fiscal_year == year)  # type: ignore[arg-type]
        ).scalar_one()  # type: ignore[call-overload]
        return int(row.amount)


def test_created_updated_and_deleted_records_write_one_entry_each(engine: Engine) -> None:
    start = head(engine)
    rows = table_rows(engine, "history_event")
    new = {"seq": "26", "year": "2025", "month": "10", "day": "", "text": "변경 이력 시험", "is_award": "false"}
    save(engine, "history_event", [*rows, new])
    [created] = entries_after(engine, start)
    assert described(created) == (
        "test-planner",
        "planning",
        "create",
        "history_event",
        "26",
        {
            "seq": [None, 26],
            "year": [None, 2025],
            "month": [None, 10],
            "text": [None, "변경 이력 시험"],
            "is_award": [None, False],
        },  # the empty day is not a change; id, org_id and version are the database's own
    )
    assert isinstance(created.record_id, int)
    assert created.at.tzinfo is not None and abs(datetime.now(UTC) - created.at).total_seconds() < 60

    save(engine, "history_event", [*rows, {**new, "text": "변경 이력 시험 (수정)", "day": "3"}])
    [updated] = entries_after(engine, start + 1)
    assert described(updated)[2:] == (
        "update",
        "history_event",
        "26",
        {"day": [None, 3], "text": ["변경 이력 시험", "변경 이력 시험 (수정)"]},
    )
    assert updated.record_id == created.record_id

    save(engine, "history_event", rows)
    [deleted] = entries_after(engine, start + 2)
    assert described(deleted)[2:] == (
        "delete",
        "history_event",
        "26",
        {
            "seq": [26, None],
            "year": [2025, None],
            "month": [10, None],
            "day": [3, None],
            "text": ["변경 이력 시험 (수정)", None],
            "is_award": [False, None],
        },
    )
    assert head(engine) == start + 3 and verified(engine).intact
    with session(engine) as s:
        assert [(c.seq, c.action) for c in changelog.history(s, PLANNER, "history_event", "26")] == [
            (start + 1, "create"),
            (start + 2, "update"),
            (start + 3, "delete"),
        ]


def test_a_recorded_execution_figure_is_logged_with_its_old_and_new_value(engine: Engine) -> None:
    start = head(engine)
    with session(engine) as s:
        record_execution(session=s, actor=FINANCE, as_of=date(2025, 10, 31), amounts=AMOUNTS_1031, today=TODAY)
    created = entries_after(engine, start)
    assert len(created) == 11  # ten lines and the total
    assert {(e.actor, e.role, e.action, e.table_name) for e in created} == {
        ("test-finance", "finance", "create", "execution_snapshot")
    }
    assert "ex.1.2.2/2025-10-31" in {e.record_key for e in created}

    corrected = {**AMOUNTS_1031, "ex.1.2.2": (304857, 231000)}  # was 230,000
    with session(engine) as s:
        record_execution(session=s, actor=FINANCE, as_of=date(2025, 10, 31), amounts=corrected, today=TODAY)
    logged = {e.record_key: described(e) for e in entries_after(engine, start + 11)}
    assert logged == {
        "ex.1.2.2/2025-10-31": (
            "test-finance",
            "finance",
            "update",
            "execution_snapshot",
            "ex.1.2.2/2025-10-31",
            {"executed_amount": [230000, 231000]},
        ),
        "total/2025-10-31": (
            "test-finance",
            "finance",
            "update",
            "execution_snapshot",
            "total/2025-10-31",
            {"executed_amount": [24512800, 24513800]},  # the total is the sum of the lines
        ),
    }
    with session(engine) as s:
        [*_, last] = changelog.history(s, PLANNER, "execution_snapshot", "ex.1.2.2/2025-10-31")
    assert (last.actor, last.role, last.action, last.fields) == (
        "test-finance",
        "finance",
        "update",
        {"executed_amount": (230000, 231000)},
    )


def test_a_rolled_back_transaction_leaves_no_entry(engine: Engine) -> None:
    start = head(engine)
    with acting(engine) as s:
        row = s.exec(
            select(BudgetAmount).where(BudgetAmount.line_code == "exp.1.1.1", BudgetAmount.fiscal_year == 2025)  # type: ignore[arg-type]
        ).scalar_one()  # type: ignore[call-overload]
        row.amount = 1
        s.flush()  # the entry is written in the same transaction ...
        assert s.get(LogHead, changelog.HEAD_ID).seq == start + 1  # type: ignore[union-attr]
        s.rollback()  # ... and goes with it
    assert head(engine) == start and entries_after(engine, start) == []
    assert amount_of(engine, "exp.1.1.1", 2025) == 1630926
    assert verified(engine).intact


def test_an_unattributed_write_is_refused_and_writes_nothing(engine: Engine) -> None:
    start = head(engine)
    with session(engine) as s:  # no changelog.attribute
        row = s.exec(
            select(BudgetAmount).where(BudgetAmount.line_code == "exp.1.1.1", BudgetAmount.fiscal_year == 2025)  # type: ignore[arg-type]
        ).scalar_one()  # type: ignore[call-overload]
        row.amount = 1630927
        with pytest.raises(changelog.UnattributedChangeError, match="budget_amount without an actor"):
            s.commit()
    assert amount_of(engine, "exp.1.1.1", 2025) == 1630926
    assert head(engine) == start and entries_after(engine, start) == []


def test_the_database_refuses_to_update_or_delete_log_entries(engine: Engine) -> None:
    start = head(engine)
    before = [described(e) for e in entries_after(engine, 0)]
    statements: list[Any] = [
        update(LOG).where(LOG.c.seq == start).values(actor="someone-else"),
        update(LOG).values(changes="{}"),
        delete(LOG).where(LOG.c.seq == start),
        delete(LOG),
    ]
    if engine.dialect.name == "postgresql":
        statements.append(text("TRUNCATE change_log"))
    for statement in statements:
        with pytest.raises(DBAPIError, match="change_log is append-only"), engine.begin() as connection:
            connection.execute(statement)
    with session(engine) as s, pytest.raises(DBAPIError, match="change_log is append-only"):  # the ORM too
        entry = s.get(ChangeLogEntry, start)
        assert entry is not None
        entry.actor = "someone-else"
        s.commit()
    assert [described(e) for e in entries_after(engine, 0)] == before and verified(engine).intact


def test_attachments_are_logged_by_checksum_and_passwords_not_at_all(engine: Engine) -> None:
    start = head(engine)
    upload(engine, "R-01", "결과.pdf", PDF)
    [entry] = entries_after(engine, start)
    changes = json.loads(entry.changes)
    digest = hashlib.sha256(PDF).hexdigest()
    assert changes["content"] == [None, f"sha256:{digest}"]  # the file's checksum, not its 10 kB
    assert changes["sha256"] == [None, digest] and len(entry.changes) < 1000

    secret = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$c2VjcmV0"
    now = datetime.now(UTC)
    account = UserAccount(
        username="log-test-choi",
        display_name="최",
        role="finance",
        password_hash=secret,
        created_at=now,
        password_changed_at=now,
    )
    try:
        with acting(engine) as s:
            s.add(account)
            s.commit()
            account.password_hash = secret + "2"
            s.commit()
        created, changed = entries_after(engine, start + 1)
        assert (created.action, created.record_key) == ("create", "log-test-choi")
        assert json.loads(created.changes)["password_hash"] == [None, changelog.REDACTED_VALUE]
        assert json.loads(changed.changes) == {"password_hash": [changelog.REDACTED_VALUE, changelog.REDACTED_VALUE]}
        assert secret not in created.changes + changed.changes
    finally:
        with acting(engine) as s:
            s.delete(s.get(UserAccount, account.id))
            s.commit()


def test_reading_the_log_needs_permission_and_filters_by_table_and_key(engine: Engine) -> None:
    rows = table_rows(engine, "budget_amount")
    assert (rows[EXP_1_1_1_2025]["line_code"], rows[EXP_1_1_1_2025]["amount"]) == ("exp.1.1.1", "1630926")
    rows[EXP_1_1_1_2025]["amount"] = "1630927"
    save(engine, "budget_amount", rows)
    with session(engine) as s:
        for actor in (PLANNER, FINANCE, Actor("test-auditor", "auditor"), Actor("test-dept", "department", "기획부")):
            [newest] = changelog.recent(s, actor, 1)
            assert (newest.table_name, newest.record_key, newest.fields) == (
                "budget_amount",
                "exp.1.1.1/2025/0",
                {"amount": (1630926, 1630927)},
            )
        for read in (
            lambda: changelog.recent(s, BOARD),
            lambda: changelog.history(s, BOARD, "budget_amount", "exp.1.1.1/2025/0"),
        ):
            with pytest.raises(PermissionDeniedError, match=r"log\.read"):
                read()
        found = changelog.recent(s, PLANNER, 50, table_name="budget_amount", key="exp.1.1.1/")
        assert found and {(c.table_name, c.record_key.startswith("exp.1.1.1/")) for c in found} == {
            ("budget_amount", True)
        }
        assert [c.seq for c in found] == sorted((c.seq for c in found), reverse=True)  # newest first
        assert changelog.recent(s, PLANNER, 50, key="%") == []  # the text is matched literally


def test_reimporting_unchanged_data_writes_nothing_and_one_changed_cell_one_entry(
    engine: Engine, tmp_path: Path
) -> None:
    start = head(engine)
    dataset, _ = store.read_dir(DATA)
    with session(engine) as s:
        store.replace_in_db(session=s, actor=PLANNER, dataset=dataset)
    assert head(engine) == start

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    amounts = data / "budget_amount.csv"
    content = amounts.read_text(encoding="utf-8")
    assert content.count("exp.1.1.1,2025,1630926,0\n") == 1
    amounts.write_text(content.replace("exp.1.1.1,2025,1630926,0\n", "exp.1.1.1,2025,1630000,0\n"), encoding="utf-8")
    dataset, _ = store.read_dir(data)
    with session(engine) as s:
        store.replace_in_db(session=s, actor=PLANNER, dataset=dataset)
    [entry] = entries_after(engine, start)
    assert described(entry) == (
        "test-planner",
        "planning",
        "update",
        "budget_amount",
        "exp.1.1.1/2025/0",
        {"amount": [1630926, 1630000]},
    )


# --- verify-log ------------------------------------------------------------------------------


def test_verify_log_passes_on_an_untouched_log(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    last = head(engine)
    code, lines = verify_log(capsys)
    assert code == 0
    assert lines == [f"변경 이력: {last}건, 연결 정상; 마지막 {last}번 {verified(engine).head_hash[:16]}"]


def _swapped(engine: Engine, k: int) -> list[Any]:
    first, second = content(engine, k), content(engine, k + 1)
    return [
        update(LOG).where(LOG.c.seq == k).values(**second),
        update(LOG).where(LOG.c.seq == k + 1).values(**first),
    ]


@pytest.mark.parametrize("how", ["altered", "deleted", "swapped", "tail removed"])
def test_verify_log_names_the_entry_that_was_tampered_with(
    engine: Engine, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = engine
    last = head(engine)
    k = last // 2
    expected = {
        "altered": [f"[MAC(키)] {k}번 항목의 내용이 MAC(키)와 맞지 않습니다: 변경되었거나 위조되었습니다"],
        "deleted": [
            f"[순번] {k}번 항목이 없습니다 (다음은 {k + 1}번): 삭제되었습니다",
            f"[연결] {k + 1}번 항목이 앞 항목과 이어지지 않습니다: 삭제되었거나 순서가 바뀌었습니다",
        ],
        "swapped": [
            f"[연결] {k}번 항목이 앞 항목과 이어지지 않습니다: 삭제되었거나 순서가 바뀌었습니다",
            f"[MAC(키)] {k}번 항목의 내용이 MAC(키)와 맞지 않습니다: 변경되었거나 위조되었습니다",
            f"[연결] {k + 1}번 항목이 앞 항목과 이어지지 않습니다: 삭제되었거나 순서가 바뀌었습니다",
            f"[MAC(키)] {k + 1}번 항목의 내용이 MAC(키)와 맞지 않습니다: 변경되었거나 위조되었습니다",
            f"[연결] {k + 2}번 항목이 앞 항목과 이어지지 않습니다: 삭제되었거나 순서가 바뀌었습니다",
        ],
        "tail removed": [
            f"[머리] 마지막 항목이 기록({last}번)과 다릅니다 (현재 {last - 1}번): 끝부분이 삭제되었거나 바뀌었습니다",
            f"[기준점] 기준점 파일에는 {last}번 항목까지 기록되어 있는데 로그는 {last - 1}번에서 끝납니다: "
            "끝부분이 잘렸습니다",
        ],
    }[how]
    statements = {
        "altered": lambda: altered(engine, k),
        "deleted": lambda: [delete(LOG).where(LOG.c.seq == k)],
        "swapped": lambda: _swapped(engine, k),
        "tail removed": lambda: [delete(LOG).where(LOG.c.seq == last)],
    }[how]()
    tamper(engine, *statements)

    code, lines = verify_log(capsys)
    assert code == 1
    assert lines[:-1] == [f"오류  {problem}" for problem in expected]
    entries = last - (how in ("deleted", "tail removed"))
    assert lines[-1].startswith(f"변경 이력: {entries}건, 연결 손상 (문제 {len(expected)}건); 마지막 {last}번")
    # the triggers are back: the log stays append-only after the tampering
    with pytest.raises(DBAPIError, match="change_log is append-only"), engine.begin() as connection:
        connection.execute(delete(LOG))
