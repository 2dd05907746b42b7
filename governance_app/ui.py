"""Streamlit glue shared by the pages: one engine per process, cached reads, charts and tables.

Cached reads
------------
``cached(fn, *args)`` calls a service function ``fn(session, *args)`` in a short session of its
own and keeps the result, keyed by the function, its arguments, the database URL and the data
revision. A rerun (any widget change) therefore runs no query that an earlier run already ran,
and each caller gets its own copy of the result, made the cheapest faithful way: an immutable
result (atoms, tuples and frozen dataclasses of them) is not copied at all, lists and dicts of
immutable values are copied container by container, anything else (ORM rows) through pickle.

``frozen(fn, *args)`` reads the same way but makes the result read-only once and hands every
caller that same object: lists become tuples, dicts read-only mappings (``MappingProxyType``),
sets frozensets, stored rows (SQLModel tables) read-only records with the row's column attributes
(a frozen dataclass: no relationships, no methods), frozen dataclasses keep their class with
their fields made read-only. Pages that only read what they show use it: unpickling stored rows
on every run cost more than the rest of most pages. A result that cannot be made read-only
(another kind of object) is handed out as ``cached`` hands it out.

``derived(fn, *args)`` computes ``fn(*args)`` from such shared values once per distinct
arguments, keyed by their identity (no hashing of their contents), and shares the read-only
result; ``table`` and ``figure`` key shared arguments the same way, so a rerun builds no table
and no figure an earlier run built. The functions must depend on their arguments alone.

Both caches are plain dictionaries of this module (not ``st.cache_data``, which hashes its
arguments and unpickles its result on every call): at most ``CACHE_MAX_ENTRIES`` reads, the
least recently used dropped first.

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
argument value (figures are kept by a digest of the arguments' ``repr``, or by identity for
shared values, since building a plotly figure takes tens of milliseconds); its plain form and
its JSON text are computed once too. ``table`` hands Streamlit an Arrow table, which it
serialises several times faster than a pandas frame, made once per shared row set.
"""

from __future__ import annotations

import copy as copy_module
import dataclasses
import datetime as dt
import functools
import hashlib
import pickle
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from types import MappingProxyType
from typing import Any, Concatenate, ParamSpec, TypeVar

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st
from sqlalchemy import bindparam, event, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, SQLModel
from streamlit.runtime.scriptrunner import get_script_run_ctx

from governance_app.bootstrap import ensure_database
from governance_app.core import context
from governance_app.core.auth import Actor, may_see_personal_data
from governance_app.core.db import get_engine, session
from governance_app.core.findings import Finding
from governance_app.core.i18n import FINDING_COLUMNS, ROLE_LABELS, SEVERITY
from governance_app.core.models import UserAccount
from governance_app.core.settings import get_settings

P = ParamSpec("P")
T = TypeVar("T")

CACHE_TTL_SECONDS = 60  # fallback for writes made by other processes (CLI import, a second server)
CACHE_MAX_ENTRIES = 2000  # reads kept; board dates and filters make new keys
FIGURE_MAX_ENTRIES = 256


def engine() -> Engine:
    url = get_settings().database_url
    prepared = _engines.get(url)
    if prepared is None:  # the first call per URL: migrate and seed, behind a spinner
        prepared = _engines[url] = _prepared_engine(url)
    return prepared


_engines: dict[str, Engine] = {}  # url -> _prepared_engine(url), without st.cache_resource's hashing


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


class _Lru:
    """A bounded map for several threads: the least recently used entry goes first."""

    def __init__(self, max_entries: int, dropped: Callable[[Any], None] | None = None) -> None:
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries
        self._dropped = dropped or (lambda _value: None)

    def get(self, key: Any) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            if (old := self._items.pop(key, None)) is not None:
                self._dropped(old)
            self._items[key] = value
            while len(self._items) > self._max:
                self._dropped(self._items.popitem(last=False)[1])

    def drop_where(self, stale: Callable[[Any], bool]) -> None:
        with self._lock:
            for key in [k for k, v in self._items.items() if stale(v)]:
                self._dropped(self._items.pop(key))


# id -> value, for every read-only value the caches below now share: ``frozen`` results and
# ``derived`` values. Each stays alive while listed (so its id is not reused meanwhile);
# ``derived``, ``figure`` and ``table`` key such arguments by identity instead of by content.
_shared: dict[int, Any] = {}


def _share(value: Any) -> None:
    if not isinstance(value, _ATOMS):
        _shared[id(value)] = value


def _unshare(value: Any) -> None:
    if _shared.get(id(value)) is value:
        _shared.pop(id(value), None)


@dataclass(frozen=True, slots=True)
class _Entry:
    expires: float  # time.monotonic()
    read: Callable[[], Any]  # what a caller gets: the shared value or a fresh copy
    shared: Any = None  # the value every caller gets (``frozen``), else None


# key -> _Entry. Not st.cache_data: Streamlit's caches hash their arguments and pickle the result
# on every call, which cost more than the rest of most pages.
_reads = _Lru(CACHE_MAX_ENTRIES, lambda entry: _unshare(entry.shared))


def _identity(fn: Callable[..., Any]) -> str:
    """Module, name and source position: pages all run as ``__main__``, so the name alone is not unique."""
    code = getattr(fn, "__code__", None)
    where = f"{code.co_filename}:{code.co_firstlineno}" if code else ""
    return f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', repr(fn))}@{where}"


def _key(kind: str, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """Arguments are keyed by their ``repr`` (ids, codes, dates, flags: exact and cheap); an
    argument without a faithful ``repr`` would only cause misses. Bytes (an uploaded file) are
    keyed by their digest, not their (long) ``repr``."""
    keyed = tuple(_keyed(a) for a in args)
    named = sorted((k, _keyed(v)) for k, v in kwargs.items())
    return repr((kind, _identity(fn), get_settings().database_url, revision(), keyed, named))


def _keyed(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return f"bytes:{len(value)}:{hashlib.blake2b(value, digest_size=32).hexdigest()}"
    return value


def cached(fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(session, *args, **kwargs)`` read once per data revision, each caller getting its own
    copy (see the module docstring)."""
    return _read(_key("copy", fn, args, kwargs), (fn, args, kwargs), _copies)


def frozen(fn: Callable[Concatenate[Session, P], Any], *args: P.args, **kwargs: P.kwargs) -> Any:
    """``fn(session, *args, **kwargs)`` read once per data revision as ``cached`` reads it, made
    read-only once and shared by every caller, with no copy (see the module docstring): for
    pages that only read the result."""
    return _read(_key("frozen", fn, args, kwargs), (fn, args, kwargs), _frozen)


def _read(
    key: str, call: tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]], make: Callable[[Any], _Entry]
) -> Any:
    now = time.monotonic()
    entry = _reads.get(key)
    if entry is None or entry.expires <= now:
        # Two sessions missing the same key at once both read it (as if one came after the
        # other); the later result is kept.
        fn, args, kwargs = call
        with db() as s:
            value = fn(s, *args, **kwargs)
        entry = make(value)
        _reads.drop_where(lambda e: e.expires <= now)
        if entry.shared is not None:
            _share(entry.shared)
        _reads.put(key, entry)
    return entry.read()


def _expiry() -> float:
    return time.monotonic() + CACHE_TTL_SECONDS


# Values immutable by themselves (Enum members are singletons).
_ATOMS = (type(None), bool, int, float, complex, str, bytes, dt.date, dt.time, dt.timedelta, Decimal, Enum)


class _NotPlainError(TypeError):
    """A value of a kind ``_copy_of`` and ``_freeze`` do not take apart (an ORM row, a DataFrame, ...)."""


def _copies(value: Any) -> _Entry:
    """Each caller's own copy, made the cheapest faithful way: an immutable value (atoms, and
    tuples, frozensets and frozen dataclasses of them) is shared; lists, dicts and sets of such
    values are copied container by container; anything else (ORM rows, DataFrames) through
    pickle, as st.cache_data does."""
    try:
        copy = _copy_of(value)
    except (_NotPlainError, RecursionError):
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        return _Entry(_expiry(), functools.partial(pickle.loads, data))
    return _Entry(_expiry(), copy or (lambda: value))


def _copy_of(value: Any) -> Callable[[], Any] | None:
    """None when ``value`` is immutable, else a function returning a fresh copy of it."""
    if isinstance(value, _ATOMS):
        return None
    kind = type(value)
    if kind in (list, tuple, set, frozenset):
        items = list(value)
        copies = [_copy_of(v) for v in items]
        if not any(copies):
            return None if kind in (tuple, frozenset) else functools.partial(kind, items)
        if kind in (set, frozenset):
            raise _NotPlainError(kind)
        return lambda: kind(v if c is None else c() for v, c in zip(items, copies, strict=True))
    if kind is dict:
        if any(_copy_of(k) for k in value):
            raise _NotPlainError(kind)
        pairs = [(k, v, _copy_of(v)) for k, v in value.items()]
        if not any(c for _, _, c in pairs):
            return value.copy  # the stored dict itself is never handed out
        return lambda: {k: v if c is None else c() for k, v, c in pairs}
    names = _frozen_fields(value)
    copies_by_name = [(name, c) for name in names if (c := _copy_of(getattr(value, name)))]
    if not copies_by_name:
        return None

    def copy() -> Any:
        new = copy_module.copy(value)
        for name, c in copies_by_name:
            object.__setattr__(new, name, c())
        return new

    return copy


def _frozen_fields(value: Any) -> list[str]:
    """The field names of a frozen dataclass instance that holds nothing but its fields."""
    kind = type(value)
    params = getattr(kind, "__dataclass_params__", None)
    if params is None or not params.frozen:
        raise _NotPlainError(kind)
    names = [f.name for f in dataclasses.fields(value)]
    if set(getattr(value, "__dict__", ())) - set(names):
        raise _NotPlainError(kind)
    return names


def _frozen(value: Any) -> _Entry:
    try:
        shared = _freeze(value)
    except (_NotPlainError, RecursionError):
        return _copies(value)
    return _Entry(_expiry(), lambda: shared, None if isinstance(shared, _ATOMS) else shared)


def _freeze(value: Any) -> Any:
    """``value`` made read-only: see ``frozen``."""
    if isinstance(value, _ATOMS):
        return value
    kind = type(value)
    if kind in (list, tuple):
        return tuple(_freeze(v) for v in value)
    if kind in (set, frozenset):
        return frozenset(_freeze(v) for v in value)
    if kind in (dict, MappingProxyType):
        return MappingProxyType({_freeze(k): _freeze(v) for k, v in value.items()})
    if isinstance(value, SQLModel) and hasattr(kind, "__table__"):
        record = _record_class(kind)
        return record(*(_freeze(getattr(value, name)) for name in record.__match_args__))
    names = _frozen_fields(value)
    fields = {name: (getattr(value, name), _freeze(getattr(value, name))) for name in names}
    if all(old is new for old, new in fields.values()):
        return value
    new = copy_module.copy(value)
    for name, (_, frozen_value) in fields.items():
        object.__setattr__(new, name, frozen_value)
    return new


@functools.cache
def _record_class(model: type[SQLModel]) -> type:
    """A frozen dataclass with the column attributes of the table ``model``: a stored row, read-only."""
    names = [a.key for a in sa_inspect(model).column_attrs]
    record = dataclasses.make_dataclass(f"{model.__name__}Record", names, frozen=True, slots=True)
    record.__module__ = __name__
    return record


# --- values derived from shared values ------------------------------------------------------

DERIVED_MAX_ENTRIES = 1000


def _quick_key(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...] | None:
    """A key telling calls apart without looking into long values: when every argument is a
    shared value (by identity) or a small immutable value (by value), else None. The function's
    code is part of it (code objects are equal when compiled from the same source), so a page
    edited while the server runs does not show what its former code made."""
    parts: list[Any] = [_identity(fn), getattr(fn, "__code__", None)]
    for name, value in [*enumerate(args), *sorted(kwargs.items())]:
        if _shared.get(id(value)) is value:
            parts.append((name, id(value)))
        elif _small(value):
            parts.append((name, type(value), value))
        else:
            return None
    return tuple(parts)


def _small(value: Any) -> bool:
    """An atom, or a tuple or frozen dataclass of atoms (an Actor): keyed by value."""
    if isinstance(value, _ATOMS):
        return True
    if type(value) is tuple:
        return all(isinstance(v, _ATOMS) for v in value)
    try:
        return all(isinstance(getattr(value, name), _ATOMS) for name in _frozen_fields(value))
    except _NotPlainError:
        return False


# quick key -> (value, the arguments: alive, so the ids in the key are not reused meanwhile)
_derived = _Lru(DERIVED_MAX_ENTRIES, lambda kept: _unshare(kept[0]))


def derived(fn: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> Any:
    """``fn(*args, **kwargs)`` (no session: a computation on values already read, which must
    depend on its arguments alone), made read-only as ``frozen`` makes its results. When every
    argument is a value ``frozen`` or ``derived`` handed out, or a small immutable value (an
    atom, a tuple or frozen dataclass of atoms), it is computed once per distinct arguments and
    shared, so ``table`` and ``chart`` reuse what they made of it on a rerun; otherwise (or when
    the value cannot be made read-only) it is computed on every call."""
    quick = _quick_key(fn, args, kwargs)
    if quick is not None and (kept := _derived.get(quick)) is not None:
        return kept[0]
    value = fn(*args, **kwargs)
    try:
        value = _freeze(value)
    except (_NotPlainError, RecursionError):
        return value
    if quick is not None:
        _share(value)
        _derived.put(quick, (value, (args, kwargs)))
    return value


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
    username) unless it was read less than SESSION_RECHECK_SECONDS ago at the current data
    revision, so a changed role or department applies from the next page run after a save in this
    process, and within those seconds after one made elsewhere (the CLI)."""
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
    account = _account(entry["username"], settings.session_recheck_seconds)
    if account is None or not account.active:
        sign_out("계정을 더 이상 사용할 수 없어 로그아웃되었습니다. 기획조정실에 문의하세요.")
        return None
    who = Actor(entry["username"], account.role, account.department)
    st.session_state[AUTH_KEY] = {**entry, "role": who.role, "department": who.department, "last_seen": now}
    _this_run.check = _RunCheck(_session_id(), who, account.display_name)
    return who


# (database URL, username) -> (data revision, monotonic time, the account's row or None)
_accounts: dict[tuple[str, str], tuple[int, float, Any]] = {}


def _account(username: str, recheck_seconds: float) -> Any:
    """The account's sign-in columns, read at most once per ``recheck_seconds`` and data revision:
    every widget change reruns the page, and the query would run on each (the issue's "never
    repeated per widget")."""
    key = (get_settings().database_url, username)
    now = time.monotonic()
    kept = _accounts.get(key)
    if kept is not None and kept[0] == revision() and now - kept[1] < recheck_seconds:
        return kept[2]
    current = revision()  # taken before the read: a save meanwhile makes the next run read again
    with engine().connect() as connection:
        account = connection.execute(_ACCOUNT, {"username": username}).first()
    _accounts[key] = (current, now, account)
    return account


# The sign-in check's query: the four columns it needs, on the unique username index, without an
# ORM session (a tenth of accounts.find's time, which every run of every page pays).
_ACCOUNT = select(UserAccount.role, UserAccount.department, UserAccount.display_name, UserAccount.active).where(
    UserAccount.username == bindparam("username")  # type: ignore[arg-type]
)


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


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~|$#])")


def markdown_text(text: str) -> str:
    """``text`` shown literally inside st.markdown: every markdown (and LaTeX ``$``) character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown_cell(text: str | None) -> str:
    """``text`` as one line shown literally inside markdown: a table cell, or after other text."""
    return markdown_text(" ".join((text or "").split()))


# A line starting so would open a block (a list "1." "1)" "-" "+", a heading underline "="); with
# its punctuation escaped it is shown as typed (a backslash before a digit would show itself).
_BLOCK_START = re.compile(r"^(\d{1,9})?([.)\-+=])")


def markdown_lines(text: str | None, *, after_label: bool = False) -> str:
    """Stored text shown literally in markdown, line by line (its leading spaces kept). After a
    label on the same line (``after_label``) its first line cannot start a block: left as it is."""
    out = []
    for n, line in enumerate((text or "").splitlines()):
        body = line.lstrip(" ")
        indent = "\u00a0" * (len(line) - len(body))  # a no-break space is kept where a space is not
        body = markdown_text(body)
        out.append(indent + (body if after_label and n == 0 else _BLOCK_START.sub(r"\1\\\2", body)))
    return "  \n".join(out)


def account_sidebar() -> None:
    """'이름 (역할)' and the sign-out button in the sidebar."""
    check = _checked()
    if check is None:
        return
    who = check.actor
    role = ROLE_LABELS.get(who.role, who.role)
    if who.department:
        role = f"{role} · {who.department}"
    name = markdown_text(check.display_name)  # a name is text, never markup
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


# "#"-digest key or quick key -> (figure, the arguments of a quick key: alive, see _quick_key)
_figures = _Lru(FIGURE_MAX_ENTRIES)


def figure(build: Callable[P, go.Figure], *args: P.args, **kwargs: P.kwargs) -> go.Figure:
    """``build(*args, **kwargs)``, built once per distinct argument value and shared: do not change it.

    Arguments are told apart by a digest of their ``repr``; when they are atoms and shared values
    (``frozen``, ``derived``), by identity first, without the ``repr`` of a long table."""
    quick = _quick_key(build, args, kwargs)
    if quick is not None and (kept := _figures.get(quick)) is not None:
        return kept[0]
    digest = hashlib.blake2b(repr((args, sorted(kwargs.items()))).encode(), digest_size=16).hexdigest()
    key = f"{_identity(build)}#{digest}"
    kept = _figures.get(key)
    if kept is None:
        fig = build(*args, **kwargs)
        spec = fig.to_dict()
        fig.__class__ = _FrozenFigure  # same layout as go.Figure; only to_dict differs
        fig._frozen = spec
        kept = (fig, None)
        _figures.put(key, kept)
    if quick is not None:
        _figures.put(quick, (kept[0], (args, kwargs)))
    return kept[0]


def chart(key: str, build: Callable[P, go.Figure], *args: P.args, **kwargs: P.kwargs) -> None:
    """Show ``build(*args, **kwargs)`` (cached as by ``figure``) under the stable element key ``key``."""
    st.plotly_chart(figure(build, *args, **kwargs), key=key, width="stretch")


# --- tables ---------------------------------------------------------------------------------

_FIGURE = re.compile(r"^([△-]?[\d,]+(\.\d+)?[%명건]?|-|미도입)$")
ROW_PX = 35  # Streamlit's data grid row height
# st.column_config.TextColumn(alignment="right") without its unset (None) entries, which
# Streamlit drops before sending: the same column, without deep-copying a dozen Nones per run.
_RIGHT = {
    k: ({kk: vv for kk, vv in v.items() if vv is not None} if isinstance(v, dict) else v)
    for k, v in st.column_config.TextColumn(alignment="right").items()
    if v is not None
}


def _arrow(rows: Sequence[Any]) -> pa.Table:
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


def _table_parts(rows: Sequence[Any]) -> tuple[pa.Table, dict[str, Any], int]:
    """The Arrow table, the column configuration (figures right-aligned) and the height."""
    frame = _arrow(rows)
    config = {
        column: _RIGHT for column in frame.column_names if rows and all(_FIGURE.match(str(r.get(column))) for r in rows)
    }
    return frame, config, min(ROW_PX * (len(rows) + 1) + 3, 1600)


# quick key -> (parts, the rows: alive)
_tables = _Lru(DERIVED_MAX_ENTRIES)


def table(rows: Sequence[Any] | pd.DataFrame, *, key: str | None = None, height: int | None = None) -> None:
    """A read-only table whose dict keys are the (Korean) column headings.

    Columns that hold only figures are right-aligned as in the printed tables, and the
    table is tall enough to show every row without an inner scrollbar. Rows that ``derived``
    handed out (a tuple of read-only mappings) are made into an Arrow table once, not per run.
    """
    if isinstance(rows, pd.DataFrame):
        rows = rows.to_dict("records")
    quick = _quick_key(table, (rows,), {})
    kept = _tables.get(quick) if quick is not None else None
    if kept is None:
        kept = (_table_parts(rows), rows)
        if quick is not None:
            _tables.put(quick, kept)
    frame, config, fitted = kept[0]
    st.dataframe(frame, hide_index=True, width="stretch", key=key, column_config=config, height=height or fitted)


def _findings_rows(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    return [
        {FINDING_COLUMNS[k]: (SEVERITY[v] if k == "severity" else v) for k, v in f.as_dict().items()} for f in findings
    ]


def findings_table(findings: Sequence[Finding], *, key: str | None = None) -> None:
    table(derived(_findings_rows, findings), key=key)
