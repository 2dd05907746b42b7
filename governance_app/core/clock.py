"""The one clock of the suite: "now" and "today" in the foundation's time zone (settings.timezone,
Asia/Seoul by default), never the server's. A server runs on UTC: a sign-off at 00:50 in Seoul on
12. 2. is still 12. 1. there, so every date a user sees or a row stores as "today" comes from here.

Tests fix the clock with ``frozen(...)`` (or by setting ``clock.utcnow``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from governance_app.core.settings import get_settings


def _system_utcnow() -> datetime:
    return datetime.now(UTC)


# replaced by tests (frozen): the current instant, timezone-aware UTC
utcnow: Callable[[], datetime] = _system_utcnow


@lru_cache(maxsize=8)
def _zone(name: str) -> tzinfo:
    return ZoneInfo(name)


def zone() -> tzinfo:
    return _zone(get_settings().timezone)


def now() -> datetime:
    """The current instant in the foundation's time zone (aware)."""
    return utcnow().astimezone(zone())


def now_utc() -> datetime:
    """The current instant in UTC (aware), for what is stored (the change log keeps UTC)."""
    return utcnow().astimezone(UTC)


def today() -> date:
    """Today's date where the foundation is, not where the server is."""
    return now().date()


def local(at: datetime) -> datetime:
    """A stored instant in the foundation's time zone; a naive value is UTC (as the log stores it)."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(zone())


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Run with the clock stopped at ``at`` (aware; a naive value is taken as UTC)."""
    global utcnow
    fixed = at if at.tzinfo else at.replace(tzinfo=UTC)
    saved = utcnow
    utcnow = lambda: fixed  # noqa: E731
    try:
        yield
    finally:
        utcnow = saved
