"""Cached reads of the pages: one engine per process, the data revision, ``cached``, ``frozen`` and
``derived``.

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
  second app process on the same PostgreSQL database) cannot bump this process's counter, but
  every such write moves the change log's head (``log_head.seq``: every ORM flush that changes a
  record appends to the log in the same transaction). ``sync_revision()`` reads the head, one
  primary-key read of a one-row table, and bumps the counter when it moved; the sign-in check
  (``ui.signed_in_actor``) calls it first on every script run, so another process's save shows
  at the next rerun. Entries also expire after ``CACHE_TTL_SECONDS``, for writes that bypass the
  log (a database administrator's SQL).
"""

from __future__ import annotations

import copy as copy_module
import dataclasses
import datetime as dt
import functools
import hashlib
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from types import MappingProxyType
from typing import Any, Concatenate, ParamSpec, TypeVar

import streamlit as st
from sqlalchemy import event, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, SQLModel

from governance_app.bootstrap import ensure_database
from governance_app.core.changelog import COMMITTED_HEAD, HEAD_ID, LogHead
from governance_app.core.db import get_engine, session
from governance_app.core.settings import get_settings

P = ParamSpec("P")
T = TypeVar("T")

CACHE_TTL_SECONDS = 60  # fallback for writes that bypass the change log (another process's are seen by its head)
CACHE_MAX_ENTRIES = 2000  # reads kept; board dates and filters make new keys


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


# The change log's head: one row, read by its primary key.
_HEAD = select(LogHead.seq).where(LogHead.id == HEAD_ID)
_heads: dict[str, int] = {}  # database URL -> the head seq this process last read


def sync_revision() -> int:
    """Read the change log's head (one primary-key read) and, when it moved since this process
    last saw it (a save in another process), bump the data revision; returns the head's seq.
    Called once per script run, before the run's first cached read. A commit of this process
    bumps the revision itself and records the head it wrote (``_session_committed``), so its own
    saves are not counted twice; the first read of a database only records the head."""
    url = get_settings().database_url
    with engine().connect() as connection:
        seq = int(connection.execute(_HEAD).scalar() or 0)
    seen = _heads.get(url)
    _heads[url] = seq
    if seen is not None and seen != seq:
        invalidate()
    return seq


def invalidate() -> None:
    """Make every cached read of this process stale: the next call queries the database again."""
    global _revision
    with _revision_lock:
        _revision += 1


@event.listens_for(Engine, "commit")
def _engine_committed(_connection: Connection) -> None:
    invalidate()  # before the database commit: Core writes (import, migrations, fixtures)


@event.listens_for(OrmSession, "after_commit")
def _session_committed(session: OrmSession) -> None:
    invalidate()  # after the commit, so a read that raced the write is not kept as current
    head = session.info.pop(COMMITTED_HEAD, None)
    if head is not None:
        # every write committed before ours is read again after this invalidate: the head we
        # wrote is the one this process has seen (another process's later save moves it on)
        url = session.get_bind().url.render_as_string(hide_password=False)
        if url in _heads:
            _heads[url] = max(_heads[url], head)


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
    engine()  # a first read prepares the database (its migration commits) before the revision is read
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
