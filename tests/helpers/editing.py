"""The stored dataset as export writes it, and the rows of budget_amount.csv tests edit."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.engine import Engine

from governance_app import editing, store
from governance_app.core.db import session
from tests.helpers import PLANNER


def exported(engine: Engine) -> dict[str, bytes]:
    """The stored dataset as export writes it: file name -> bytes."""
    with session(engine) as s:
        dataset = store.from_db(s)
    with tempfile.TemporaryDirectory() as folder:
        return {path.name: path.read_bytes() for path in store.write_dir(dataset, Path(folder))}


EXP_1_1_1_2025 = 13  # 0-based row of budget_amount.csv's exp.1.1.1,2025,1630926 (line 15)


def edit_amount(engine: Engine, amount: str) -> None:
    with session(engine) as s:
        _, rows = editing.table_rows(s, "budget_amount")
    rows[EXP_1_1_1_2025]["amount"] = amount
    with session(engine) as s:
        editing.apply_edit(session=s, actor=PLANNER, table_name="budget_amount", edited=rows)
