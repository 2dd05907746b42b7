"""Streamlit glue shared by the pages: one engine per process, cached reads, charts and tables.

Cached reads
------------
``cached(fn, *args)`` calls a service function ``fn(session, *args)`` in a short session of its
own and keeps the result in ``st.cache_data``, keyed by the function, its arguments, the
database URL and the data revision. A rerun (any widget change) therefore runs no query that
an earlier run already ran, and each caller gets its own copy of the result.

The data revision is a process-wide counter:

- ``invalidate()`` bumps it; a save path may call it after its commit (explicit and harmless);
- every commit made in this process bumps it too (SQLAlchemy ``commit`` events on every engine
  and ``after_commit`` on every session), so a save through any service, page or test fixture
  is seen on the next rerun even when its author forgot ``invalidate()``;
- writes from another process (``python -m governance_app import`` while the app runs, or a
  second app process on the same PostgreSQL database) cannot bump this process's counter:
  entries also expire after ``CACHE_TTL_SECONDS``, so such a write shows within that time.

A counter was preferred over a revision read from the database on every run: the schema has no
change log to read cheaply, and one query per run would cost as much as the reads it guards.

Charts and tables
-----------------
``chart(key, build, *args)`` shows a plotly figure whose builder ran once per distinct
argument value (figures are kept in ``st.cache_resource`` by a digest of the arguments, since
building a plotly figure takes tens of milliseconds). ``table`` hands Streamlit an Arrow table,
which it serialises several times faster than a pandas frame.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Concatenate, ParamSpec, TypeVar

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from governance_app import context
from governance_app.auth import Actor, may_see_personal_data
from governance_app.bootstrap import ensure_database
from governance_app.db import get_engine, session
from governance_app.findings import Finding
from governance_app.i18n import FINDING_COLUMNS, SEVERITY
from governance_app.settings import get_settings

P = ParamSpec("P")
T = TypeVar("T")

CACHE_TTL_SECONDS = 60  # fallback for writes made by other processes (CLI import, a second server)
CACHE_MAX_ENTRIES = 2000  # per cached function; board dates and filters make new keys
FIGURE_MAX_ENTRIES = 256


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


# --- data revision --------------------------------------------------------------------------

_revision = 0
_revision_lock = threading.Lock()


def revision() -> int:
    """The data revision cached reads are keyed by."""
    return _revision


def invalidate() -> None:
    """Make every cached read of this process stale: the next call queries the database again."""
    global _revision
    with _revision_lock:
        _revision += 1


@event.listens_for(Engine, "commit")
def _engine_committed(_connection: Connection) -> None:
    invalidate()  # before the database commit: Core writes (import, migrations, fixtures)


@event.listens_for(OrmSession, "after_commit")
def _session_committed(_session: OrmSession) -> None:
    invalidate()  # after the commit, so a read that raced the write is not kept as current


# --- cached reads ---------------------------------------------------------------------------


def _identity(fn: Callable[..., Any]) -> str:
    """Module, name and source position: pages all run as ``__main__``, so the name alone is not unique."""
    code = getattr(fn, "__code__", None)
    where = f"{code.co_filename}:{code.co_firstlineno}" if code else ""
    return f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', repr(fn))}@{where}"


def cached(fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(session, *args, **kwargs)`` read once per data revision (see the module docstring).

    Arguments are keyed by their ``repr`` (ids, codes, dates, flags: exact and cheaper than
    Streamlit's hashing); an argument without a faithful ``repr`` would only cause misses.
    """
    key = repr((_identity(fn), get_settings().database_url, revision(), args, sorted(kwargs.items())))
    return _read(key, (fn, args, kwargs))


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _read(key: str, _call: tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]) -> Any:
    """Two parameters: Streamlit inspects the signature once per parameter on every call."""
    fn, args, kwargs = _call
    with db() as s:
        return fn(s, *args, **kwargs)


def current() -> context.Context:
    return cached(context.current)


# st.session_state[AUTH_KEY]: the signed-in account, {"username", "role", "department",
# "signed_in_at", "last_seen"} (epoch seconds). Set by the sign-in page (issue 5).
AUTH_KEY = "auth"


def actor() -> Actor:
    signed_in = st.session_state.get(AUTH_KEY)
    if signed_in:
        return Actor(signed_in["username"], signed_in["role"], signed_in.get("department"))
    return Actor(username="local", role=get_settings().default_role)


def personal_data_allowed() -> bool:
    return may_see_personal_data(actor())


# --- charts ---------------------------------------------------------------------------------


class _FrozenFigure(go.Figure):
    """A cached figure: never changed after it is built, so its plain form is computed once.

    ``st.plotly_chart`` calls ``to_dict()`` (a deep copy and base64 packing of every array) on
    every run, which costs more than the rest of a page.
    """

    _frozen: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self._frozen


def figure(build: Callable[P, go.Figure], *args: P.args, **kwargs: P.kwargs) -> go.Figure:
    """``build(*args, **kwargs)``, built once per distinct argument value and shared: do not change it."""
    digest = hashlib.blake2b(repr((args, sorted(kwargs.items()))).encode(), digest_size=16).hexdigest()
    return _figure(f"{_identity(build)}#{digest}", (build, args, kwargs))


@st.cache_resource(max_entries=FIGURE_MAX_ENTRIES, show_spinner=False)
def _figure(key: str, _call: tuple[Callable[..., go.Figure], tuple[Any, ...], dict[str, Any]]) -> go.Figure:
    build, args, kwargs = _call
    fig = build(*args, **kwargs)
    frozen = fig.to_dict()
    fig.__class__ = _FrozenFigure  # same layout as go.Figure; only to_dict differs
    fig._frozen = frozen
    return fig


def chart(key: str, build: Callable[P, go.Figure], *args: P.args, **kwargs: P.kwargs) -> None:
    """Show ``build(*args, **kwargs)`` (cached as by ``figure``) under the stable element key ``key``."""
    st.plotly_chart(figure(build, *args, **kwargs), key=key, width="stretch")


# --- tables ---------------------------------------------------------------------------------

_FIGURE = re.compile(r"^([△-]?[\d,]+(\.\d+)?[%명건]?|-|미도입)$")
ROW_PX = 35  # Streamlit's data grid row height


def _arrow(rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Columns in first-seen order; a column mixing types is shown as text, as Streamlit would."""
    columns = list(dict.fromkeys(k for r in rows for k in r))
    data = {c: [r.get(c) for r in rows] for c in columns}
    for c, values in data.items():
        if len({type(v) for v in values if v is not None}) > 1:
            data[c] = [None if v is None else str(v) for v in values]
    try:
        return pa.table(data)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.table({c: [None if v is None else str(v) for v in values] for c, values in data.items()})


def table(rows: Sequence[dict[str, Any]] | pd.DataFrame, *, key: str | None = None, height: int | None = None) -> None:
    """A read-only table whose dict keys are the (Korean) column headings.

    Columns that hold only figures are right-aligned as in the printed tables, and the
    table is tall enough to show every row without an inner scrollbar.
    """
    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)
    frame = _arrow(records)
    config = {
        column: st.column_config.TextColumn(alignment="right")
        for column in frame.column_names
        if records and all(_FIGURE.match(str(r.get(column))) for r in records)
    }
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key=key,
        column_config=config,
        height=height or min(ROW_PX * (len(records) + 1) + 3, 1600),
    )


def findings_table(findings: Sequence[Finding], *, key: str | None = None) -> None:
    rows = [
        {FINDING_COLUMNS[k]: (SEVERITY[v] if k == "severity" else v) for k, v in f.as_dict().items()} for f in findings
    ]
    table(rows, key=key)
