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
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session
from streamlit.runtime.scriptrunner import get_script_run_ctx

from governance_app import accounts, context
from governance_app.auth import Actor, may_see_personal_data
from governance_app.bootstrap import ensure_database
from governance_app.db import get_engine, session
from governance_app.findings import Finding
from governance_app.i18n import FINDING_COLUMNS, ROLE_LABELS, SEVERITY
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
    Bytes (an uploaded file) are keyed by their digest, not their (long) ``repr``.
    """
    keyed = tuple(_keyed(a) for a in args)
    named = sorted((k, _keyed(v)) for k, v in kwargs.items())
    key = repr((_identity(fn), get_settings().database_url, revision(), keyed, named))
    return _read(key, (fn, args, kwargs))


def _keyed(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return f"bytes:{len(value)}:{hashlib.blake2b(value, digest_size=32).hexdigest()}"
    return value


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _read(key: str, _call: tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]) -> Any:
    """Two parameters: Streamlit inspects the signature once per parameter on every call."""
    fn, args, kwargs = _call
    with db() as s:
        return fn(s, *args, **kwargs)


def current() -> context.Context:
    return cached(context.current)


# --- who is signed in ----------------------------------------------------------------------

# st.session_state[AUTH_KEY]: the signed-in account, {"username", "role", "department",
# "signed_in_at", "last_seen"} (epoch seconds), set by the sign-in page (pages/signin.py).
AUTH_KEY = "auth"
# st.session_state[AUTH_NOTICE_KEY]: why a session just ended, shown once on the sign-in page.
AUTH_NOTICE_KEY = "auth_notice"


@dataclass(frozen=True)
class _RunCheck:
    session_id: str | None
    actor: Actor
    display_name: str


# The check of the current script run: streamlit_app.py runs signed_in_actor() first on every
# run, and pages then ask actor() without a second query. Streamlit runs a session's script in
# a thread of its own; the session id guards against a thread serving another session.
_this_run = threading.local()


def _session_id() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else None


def sign_in(who: Actor) -> None:
    """Start a session for ``who`` (the sign-in page, after accounts.authenticate)."""
    now = time.time()
    st.session_state[AUTH_KEY] = {
        "username": who.username,
        "role": who.role,
        "department": who.department,
        "signed_in_at": now,
        "last_seen": now,
    }
    st.session_state.pop(AUTH_NOTICE_KEY, None)
    _this_run.check = None


def sign_out(notice: str | None = None) -> None:
    st.session_state.pop(AUTH_KEY, None)
    if notice:
        st.session_state[AUTH_NOTICE_KEY] = notice
    _this_run.check = None


def signed_in_actor() -> Actor | None:
    """The signed-in person, checked afresh: None when nobody is signed in. A session idle for
    longer than SESSION_IDLE_MINUTES, or older than SESSION_MAX_HOURS, ends here; so does one
    whose account was disabled or removed. The account is read again (one query on the unique
    username) on every call, so a changed role or department applies from the next page run."""
    _this_run.check = None
    entry = st.session_state.get(AUTH_KEY)
    if not entry:
        return None
    settings = get_settings()
    now = time.time()
    if now - float(entry["last_seen"]) > settings.session_idle_minutes * 60:
        sign_out(f"{settings.session_idle_minutes:g}분 동안 사용하지 않아 로그아웃되었습니다. 다시 로그인하세요.")
        return None
    if now - float(entry["signed_in_at"]) > settings.session_max_hours * 3600:
        sign_out(f"로그인한 지 {settings.session_max_hours:g}시간이 지나 로그아웃되었습니다. 다시 로그인하세요.")
        return None
    with db() as s:
        account = accounts.find(s, entry["username"])
    if account is None or not account.active:
        sign_out("계정을 더 이상 사용할 수 없어 로그아웃되었습니다. 기획조정실에 문의하세요.")
        return None
    st.session_state[AUTH_KEY] = {**entry, "role": account.role, "department": account.department, "last_seen": now}
    _this_run.check = _RunCheck(_session_id(), account.actor, account.display_name)
    return account.actor


def _checked() -> _RunCheck | None:
    check: _RunCheck | None = getattr(_this_run, "check", None)
    if check is not None and check.session_id == _session_id():
        return check
    if signed_in_actor() is None:  # a page run on its own (tests, benchmarks): check it here
        return None
    return getattr(_this_run, "check", None)


def actor() -> Actor:
    """The signed-in person, for pages: pages run only when someone is signed in, so a page
    reached otherwise stops here."""
    check = _checked()
    if check is None:
        st.warning("로그인이 필요합니다.")
        st.stop()
    return check.actor


def personal_data_allowed() -> bool:
    return may_see_personal_data(actor())


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~|$])")


def account_sidebar() -> None:
    """'이름 (역할)' and the sign-out button in the sidebar."""
    check = _checked()
    if check is None:
        return
    who = check.actor
    role = ROLE_LABELS.get(who.role, who.role)
    if who.department:
        role = f"{role} · {who.department}"
    name = _MARKDOWN_SPECIAL.sub(r"\\\1", check.display_name)  # a name is text, never markup
    st.sidebar.markdown(f"**{name}** ({role})")
    st.sidebar.button("로그아웃", key="sign_out", on_click=sign_out, args=("로그아웃했습니다.",))


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
