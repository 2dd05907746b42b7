"""Streamlit glue shared by the pages: one engine per process, one short session per read."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from governance_app import context
from governance_app.auth import Actor, may_see_personal_data
from governance_app.bootstrap import ensure_database
from governance_app.db import get_engine, session
from governance_app.findings import Finding
from governance_app.i18n import FINDING_COLUMNS, SEVERITY
from governance_app.settings import get_settings


def engine() -> Engine:
    return _prepared_engine(get_settings().database_url)


@st.cache_resource(show_spinner="데이터베이스 준비 중…")
def _prepared_engine(url: str) -> Engine:
    """Migrate and seed once per process and database URL."""
    engine = get_engine(url)
    ensure_database(engine)
    return engine


@contextmanager
def db() -> Iterator[Session]:
    with session(engine()) as s:
        yield s


def current() -> context.Context:
    with db() as s:
        return context.current(s)


def actor() -> Actor:
    return Actor(username="local", role=get_settings().default_role)


def personal_data_allowed() -> bool:
    return may_see_personal_data(actor())


_FIGURE = re.compile(r"^([△-]?[\d,]+(\.\d+)?[%명건]?|-|미도입)$")
ROW_PX = 35  # Streamlit's data grid row height


def table(rows: Sequence[dict[str, Any]], *, key: str | None = None, height: int | None = None) -> None:
    """A read-only table whose dict keys are the (Korean) column headings.

    Columns that hold only figures are right-aligned as in the printed tables, and the
    table is tall enough to show every row without an inner scrollbar.
    """
    frame = pd.DataFrame(list(rows))
    config = {
        column: st.column_config.TextColumn(alignment="right")
        for column in frame.columns
        if len(frame) and frame[column].map(lambda v: bool(_FIGURE.match(str(v)))).all()
    }
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key=key,
        column_config=config,
        height=height or min(ROW_PX * (len(frame) + 1) + 3, 1600),
    )


def findings_table(findings: Sequence[Finding], *, key: str | None = None) -> None:
    rows = [
        {FINDING_COLUMNS[k]: (SEVERITY[v] if k == "severity" else v) for k, v in f.as_dict().items()} for f in findings
    ]
    table(rows, key=key)
