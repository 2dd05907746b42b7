"""Import, export and init-db against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from budget.models import BudgetAmount
from governance_app import store
from governance_app.cli import init_db, main
from governance_app.core.db import session
from governance_app.core.errors import ConflictError
from governance_app.dataset import ALL_TABLES
from tests.helpers import DATA, wipe


def _counts(engine: Engine) -> dict[str, int]:
    with session(engine) as s:
        return {spec.name: s.exec(select(func.count()).select_from(spec.model)).scalar() for spec in ALL_TABLES}  # type: ignore[call-overload]


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_export_import_export_gives_identical_files(engine: Engine, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    # `engine` was loaded from data/, so its export must equal the seed files byte for byte.
    assert main(["export", str(first)]) == 0
    _, different, missing = filecmp.cmpfiles(DATA, first, [s.file_name for s in ALL_TABLES], shallow=False)
    assert (different, missing) == ([], [])
    wipe(engine)
    assert main(["import", str(first)]) == 0
    assert main(["export", str(second)]) == 0
    _, different, missing = filecmp.cmpfiles(first, second, [s.file_name for s in ALL_TABLES], shallow=False)
    assert (different, missing) == ([], [])


def test_import_into_an_empty_database(empty_engine: Engine, tmp_path: Path) -> None:
    assert main(["import", str(DATA)]) == 0
    counts = _counts(empty_engine)
    assert counts["audit_item"] == 23 and counts["timeline_task"] == 28 and counts["board_term"] == 10


def test_bad_import_changes_nothing(engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _counts(engine)
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "audit_item.csv").write_text("code,session_code\nX,2024-admin\n", encoding="utf-8")
    text = (data / "budget_amount.csv").read_text(encoding="utf-8")
    (data / "budget_amount.csv").write_text(text.replace("exp,2025,32048210", "exp,2025,1"), encoding="utf-8")
    assert main(["import", str(data)]) == 1
    out = capsys.readouterr().out
    assert "audit_item | header | category" in out
    assert _counts(engine) == before
    with session(engine) as s:
        total = s.exec(
            select(BudgetAmount.amount).where(BudgetAmount.line_code == "exp", BudgetAmount.fiscal_year == 2025)
        ).scalar()
    assert total == 32048210


def test_failure_midway_rolls_back(engine: Engine) -> None:
    """A database error after the old rows were deleted must leave them in place."""
    dataset, _ = store.read_dir(DATA)
    dataset["audit_item"].rows.append(dict(dataset["audit_item"].rows[0]))  # duplicate key -> IntegrityError
    before = _counts(engine)
    with session(engine) as s, pytest.raises(ConflictError, match="처리요구사항」 자료를 먼저 저장했습니다") as raised:
        from tests.helpers import PLANNER

        store.replace_in_db(session=s, actor=PLANNER, dataset=dataset)
    # the application's session tells a unique violation as someone else's save (core.conflicts)
    assert isinstance(raised.value.__cause__, IntegrityError)
    assert re.search(r"(?i)unique|duplicate", str(raised.value.__cause__))
    assert _counts(engine) == before


def test_init_db_refuses_to_overwrite_without_reset(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init-db"]) == 1
    assert "--reset" in capsys.readouterr().err
    assert init_db(DATA, reset=True) == sum(_counts(engine).values())


def test_only_the_planning_office_replaces_the_dataset(engine: Engine) -> None:
    from governance_app.core.auth import Actor, PermissionDeniedError

    dataset, _ = store.read_dir(DATA)
    with session(engine) as s, pytest.raises(PermissionDeniedError):
        store.replace_in_db(session=s, actor=Actor("board-member", "board"), dataset=dataset)
