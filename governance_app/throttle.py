"""Sign-in throttling: wrong passwords make the next sign-in wait, per sign-in name and per client.

- **Per sign-in name** (table ``signin_failure``, so every app process and a restart see it): after
  SIGNIN_ACCOUNT_FAILURES (5) wrong attempts in a row, no attempt for that name is checked until
  the wait ends, not even with the right password. An unknown name is counted exactly like an
  account's (the row is keyed by the name typed, not by an account), so neither the answer nor the
  time it takes tells whether an account exists. A name that cannot be an account
  (``accounts.USERNAME``) is not stored: no account can be revealed by it, and the table holds only
  names that could be one.
- **Per client address** (this process's memory, keyed by database and address): after
  SIGNIN_CLIENT_FAILURES (20) wrong attempts from one address, whichever names they tried, that
  address waits. The counter lives in the app process: a restart forgets it, and several app
  processes count separately.

The wait is SIGNIN_FIRST_WAIT_SECONDS (30 s) at the threshold and doubles with each further
failure, up to SIGNIN_MAX_WAIT_MINUTES (15 min). A streak without a failure for
SIGNIN_FORGET_HOURS (24 h) is forgotten. A successful sign-in clears the name's streak (not the
client's: one valid account must not buy an address fresh guesses at others).

The name's attempt is counted *before* its password is checked (and the count committed), so
attempts made in parallel cannot pass the threshold together: the sixth of six simultaneous
attempts already waits. A success then removes the streak.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from governance_app.core import clock
from governance_app.core.formatting import date_short
from governance_app.core.models import SignInFailure
from governance_app.core.settings import get_settings

FAILURES: Table = SignInFailure.__table__  # type: ignore[attr-defined]
LOCAL_CLIENT = "localhost"  # Streamlit gives no address for a connection from this machine


@dataclass(frozen=True)
class Policy:
    account_failures: int
    client_failures: int
    first_wait: timedelta
    max_wait: timedelta
    forget: timedelta

    def wait(self, failures: int, threshold: int) -> timedelta | None:
        """The wait after ``failures`` in a row: none below ``threshold``, then the first wait,
        doubled at each further failure, capped."""
        if failures < threshold:
            return None
        doublings = min(failures - threshold, 32)  # 2**32 × 30 s is far past any cap
        return min(self.first_wait * 2**doublings, self.max_wait)


def policy() -> Policy:
    s = get_settings()
    return Policy(
        s.signin_account_failures,
        s.signin_client_failures,
        timedelta(seconds=s.signin_first_wait_seconds),
        timedelta(minutes=s.signin_max_wait_minutes),
        timedelta(hours=s.signin_forget_hours),
    )


def shown_end(until: datetime) -> datetime:
    """The end of a wait as shown: in the foundation's time zone, rounded up to the minute (a user
    trying again at the minute shown is never refused)."""
    local = clock.local(until)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return local


def locked_message(until: datetime) -> str:
    """'로그인 시도가 여러 번 실패해 14:33까지 로그인할 수 없습니다.': the end of the wait
    (``shown_end``), with the date when it is not today."""
    local = shown_end(until)
    when = f"{local:%H:%M}" if local.date() == clock.today() else f"{date_short(local.date())} {local:%H:%M}"
    return f"로그인 시도가 여러 번 실패해 {when}까지 로그인할 수 없습니다."


# --- per sign-in name (database) -----------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """A counted attempt for a name: ``locked_until`` is the wait this attempt starts (at the
    threshold and beyond), or the wait it was refused by (``refused``)."""

    refused: bool
    failures: int
    locked_until: datetime | None


def _count(session: Session, username: str, now: datetime) -> Any:
    """One statement: a new name's row with one failure, or one more failure for a name that is
    not waiting (a waiting name's row is left as it is). It returns the row as it now stands; on
    PostgreSQL a concurrent attempt for the same name waits for this one's transaction and then
    sees its count and wait, on SQLite the database has one writer at a time."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    waiting = FAILURES.c.locked_until > now
    statement = insert(FAILURES).values(username=username, failures=1, last_failure_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[FAILURES.c.username],
        set_={
            "failures": case((waiting, FAILURES.c.failures), else_=FAILURES.c.failures + 1),
            "last_failure_at": case((waiting, FAILURES.c.last_failure_at), else_=statement.excluded.last_failure_at),
        },
    ).returning(FAILURES.c.failures, FAILURES.c.locked_until)
    return session.execute(statement).one()


def begin_attempt(session: Session, username: str, now: datetime) -> Attempt:
    """Count an attempt for ``username`` before its password is checked, and commit, unless the
    name is waiting (then nothing is counted and no password may be checked)."""
    rules = policy()
    session.execute(delete(FAILURES).where(FAILURES.c.last_failure_at < now - rules.forget))
    row = _count(session, username, now)
    if row.locked_until is not None and row.locked_until > now:
        session.commit()
        return Attempt(True, int(row.failures), row.locked_until)
    failures = int(row.failures)
    wait = rules.wait(failures, rules.account_failures)
    until = now + wait if wait else None
    session.execute(update(FAILURES).where(FAILURES.c.username == username).values(locked_until=until))
    session.commit()
    return Attempt(False, failures, until)


def succeeded(session: Session, username: str) -> None:
    """The name's password was right: its streak ends (not logged: nobody changed anything)."""
    session.execute(delete(FAILURES).where(FAILURES.c.username == username))
    session.commit()


def locks(session: Session, now: datetime) -> dict[str, datetime]:
    """Names waiting at ``now`` -> the end of their wait."""
    query = select(FAILURES.c.username, FAILURES.c.locked_until).where(FAILURES.c.locked_until > now)
    return {r.username: r.locked_until for r in session.execute(query)}


def streak(session: Session, username: str) -> SignInFailure | None:
    """The name's row (for ``user unlock``, which deletes it through the ORM so it is logged)."""
    query = select(SignInFailure).where(SignInFailure.username == username)  # type: ignore[arg-type]
    return session.execute(query).scalars().first()


# --- per client address (this process) -----------------------------------------------------


def client_address(ip_address: object, headers: Mapping[str, Any] | None = None, header: str = "") -> str:
    """Who a sign-in comes from: the address in ``header`` (the last one of a list, which the
    nearest proxy appended) when the deployment names one and the request carries it, else the
    connection's (Streamlit gives none for this machine, and AppTest a stand-in object)."""
    if header and headers is not None:
        values = headers.get_all(header) if hasattr(headers, "get_all") else [headers.get(header) or ""]
        found = [v.strip() for value in values for v in str(value).split(",") if v.strip()]
        if found:
            return found[-1]
    return ip_address if isinstance(ip_address, str) and ip_address else LOCAL_CLIENT


@dataclass
class _Client:
    failures: int
    last_failure_at: datetime
    locked_until: datetime | None


class ClientCounter:
    """Wrong attempts per (database, client address) in this process's memory; bounded by the
    forget window and by ``limit`` entries (the oldest go first)."""

    def __init__(self, limit: int = 10_000) -> None:
        self._clients: dict[tuple[str, str], _Client] = {}
        self._lock = threading.Lock()
        self.limit = limit

    def locked_until(self, key: tuple[str, str], now: datetime) -> datetime | None:
        with self._lock:
            found = self._clients.get(key)
            return found.locked_until if found and found.locked_until and found.locked_until > now else None

    def failed(self, key: tuple[str, str], now: datetime) -> datetime | None:
        """Count a wrong attempt from the client; the end of the wait it starts, if any."""
        rules = policy()
        with self._lock:
            stale = [k for k, c in self._clients.items() if c.last_failure_at < now - rules.forget]
            for k in stale:
                del self._clients[k]
            found = self._clients.get(key)
            failures = found.failures + 1 if found else 1
            wait = rules.wait(failures, rules.client_failures)
            self._clients[key] = _Client(failures, now, now + wait if wait else None)
            while len(self._clients) > self.limit:
                oldest = min(self._clients, key=lambda k: self._clients[k].last_failure_at)
                del self._clients[oldest]
            return self._clients[key].locked_until

    def clear(self) -> None:
        with self._lock:
            self._clients.clear()


CLIENTS = ClientCounter()
