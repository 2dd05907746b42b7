"""Sign-in throttling (issue 13): five wrong passwords for one name, or twenty from one client,
make sign-in wait 30 s, doubling to at most 15 min; the sign-in page says until when (in the
foundation's time zone); an unknown name is answered and timed alike; `user list` shows the wait
and `user unlock` ends it (logged)."""

from __future__ import annotations

import json
import secrets
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.engine import Engine

from governance_app import accounts, throttle
from governance_app.accounts import AccountError
from governance_app.cli import main
from governance_app.core.auth import Actor, PermissionDeniedError, cli_actor
from governance_app.core.changelog import ChangeLogEntry
from governance_app.core.db import session
from governance_app.core.models import SignInFailure
from governance_app.core.settings import get_settings
from governance_app.ui import AUTH_KEY
from tests.helpers import PLANNER
from tests.helpers.signin import Clock, app, errors, ran, submit, title

SECRET = secrets.token_urlsafe(12)
WRONG = secrets.token_urlsafe(12)
# 14:31:00 in Seoul (UTC+9): a wait of 30 s from here ends at 14:31:30, shown as 14:32
START = datetime(2026, 3, 2, 5, 31, tzinfo=UTC)
REFUSED = "아이디 또는 비밀번호가 올바르지 않습니다."


def locked(at: str) -> str:
    return f"로그인 시도가 여러 번 실패해 {at}까지 로그인할 수 없습니다."


def add(engine: Engine, username: str, role: str = "finance") -> None:
    with session(engine) as s:
        accounts.add_user(s, PLANNER, username, role, SECRET)


def attempt(engine: Engine, username: str, password: str, client: str = "10.0.0.7") -> accounts.SignIn:
    with session(engine) as s:
        return accounts.sign_in(s, username, password, client)


def streak(engine: Engine, username: str) -> tuple[int, datetime | None] | None:
    with session(engine) as s:
        row = throttle.streak(s, username)
        return (row.failures, row.locked_until) if row else None


class CountingHasher(PasswordHasher):
    """argon2-cffi's hasher, counting the hashes it computes (each verification is one)."""

    def __init__(self) -> None:
        super().__init__()
        self.counted = {"verify": 0, "hash": 0}
        self.lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        with self.lock:
            self.counted["verify"] += 1
        return super().verify(hash, password)

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        with self.lock:
            self.counted["hash"] += 1
        return super().hash(password, salt=salt)


# --- the page -------------------------------------------------------------------------------


def test_five_wrong_passwords_make_the_account_wait_then_it_signs_in(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(engine, "wait-kim")
    now = Clock(monkeypatch, START)
    at = ran(app())
    for _ in range(4):
        assert errors(submit(at, "wait-kim", WRONG)) == [REFUSED]
    assert errors(submit(at, "wait-kim", WRONG)) == [locked("14:32")]  # the fifth starts a 30 s wait
    assert streak(engine, "wait-kim") == (5, START + timedelta(seconds=30))
    now.advance(seconds=20)
    assert errors(submit(at, "wait-kim", SECRET)) == [locked("14:32")]  # the right password waits too
    assert title(at) == "로그인" and AUTH_KEY not in at.session_state
    now.advance(seconds=11)  # 14:31:31, after the wait
    submit(at, "wait-kim", SECRET)
    assert title(at) == "오늘 할 일" and at.session_state[AUTH_KEY]["username"] == "wait-kim"
    assert streak(engine, "wait-kim") is None  # the success cleared the streak


def test_an_unknown_name_gets_the_same_answers_after_as_many_hashes(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(engine, "real-lee")
    Clock(monkeypatch, START)
    accounts._dummy_hash()  # made once per process, before the first unknown name
    answers: dict[str, list[list[str]]] = {}
    counts: dict[str, dict[str, int]] = {}
    for name in ("real-lee", "ghost-lee"):
        hasher = CountingHasher()
        monkeypatch.setattr(accounts, "HASHER", hasher)
        at = ran(app())
        answers[name] = [errors(submit(at, name, WRONG)) for _ in range(5)]
        answers[name].append(errors(submit(at, name, SECRET)))  # the account's own password
        counts[name] = dict(hasher.counted)
    assert answers["real-lee"] == answers["ghost-lee"] == [[REFUSED]] * 4 + [[locked("14:32")]] * 2
    # five checked passwords each (the waiting sixth is checked against nothing), no hash made
    assert counts["real-lee"] == counts["ghost-lee"] == {"verify": 5, "hash": 0}
    assert streak(engine, "ghost-lee") == streak(engine, "real-lee") == (5, START + timedelta(seconds=30))


def test_twenty_wrong_attempts_from_one_client_make_it_wait(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    names = ["spray-a", "spray-b", "spray-c", "nobody-d", "nobody-e"]
    for name in [*names[:3], "spray-ok"]:
        add(engine, name)
    now = Clock(monkeypatch, START)
    at = ran(app())
    shown = [errors(submit(at, name, WRONG)) for _ in range(4) for name in names]  # 4 per name: no name waits
    assert shown[:19] == [[REFUSED]] * 19 and shown[19] == [locked("14:32")]
    assert all(streak(engine, name) == (4, None) for name in names)
    assert errors(submit(at, "spray-ok", SECRET)) == [locked("14:32")]  # an untouched account, same client
    assert streak(engine, "spray-ok") is None  # refused before anything was counted for it
    now.advance(seconds=31)
    assert errors(submit(at, "spray-a", WRONG)) == [locked("14:33")]  # the 21st failure: 60 s from 14:31:31
    now.advance(seconds=61)
    submit(at, "spray-ok", SECRET)
    assert title(at) == "오늘 할 일"


# --- the rules ------------------------------------------------------------------------------


def test_the_wait_doubles_from_30_seconds_up_to_15_minutes() -> None:
    rules = throttle.policy()
    assert (rules.account_failures, rules.client_failures) == (5, 20)
    waits = [rules.wait(n, 5) for n in range(1, 12)]
    assert waits[:4] == [None] * 4
    assert [w.total_seconds() for w in waits[4:] if w] == [30, 60, 120, 240, 480, 900, 900]
    assert rules.wait(10_000, 5) == timedelta(minutes=15)


def test_each_failure_after_a_wait_doubles_it_and_a_success_starts_afresh(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(engine, "double-park")
    now = Clock(monkeypatch, START)
    for _ in range(5):
        answer = attempt(engine, "double-park", WRONG)
    assert answer.locked_until == START + timedelta(seconds=30)
    now.advance(seconds=30)  # the wait ends at its instant
    assert attempt(engine, "double-park", WRONG).locked_until == now.at + timedelta(seconds=60)
    assert attempt(engine, "double-park", SECRET) == accounts.SignIn(None, now.at + timedelta(seconds=60))
    now.advance(seconds=60)
    assert attempt(engine, "double-park", SECRET).actor == Actor("double-park", "finance")
    for _ in range(4):  # a new streak: four wrong passwords do not make it wait
        assert attempt(engine, "double-park", WRONG) == accounts.SignIn(None, None)
    assert streak(engine, "double-park") == (4, None)


def test_a_streak_is_forgotten_after_a_day_without_failures(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    now = Clock(monkeypatch, START)
    for _ in range(4):
        attempt(engine, "quiet-choi", WRONG, client="10.0.0.8")
    now.advance(hours=24, seconds=1)
    assert attempt(engine, "quiet-choi", WRONG, client="10.0.0.8") == accounts.SignIn(None, None)
    assert streak(engine, "quiet-choi") == (1, None)


def test_the_thresholds_and_waits_are_settings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNIN_ACCOUNT_FAILURES", "2")
    monkeypatch.setenv("SIGNIN_FIRST_WAIT_SECONDS", "600")
    monkeypatch.setenv("SIGNIN_MAX_WAIT_MINUTES", "12")
    get_settings.cache_clear()
    Clock(monkeypatch, START)
    assert attempt(engine, "set-jung", WRONG).locked_until is None
    assert attempt(engine, "set-jung", WRONG).locked_until == START + timedelta(minutes=10)
    assert throttle.policy().wait(3, 2) == timedelta(minutes=12)


def test_a_name_no_account_can_have_is_not_stored_but_counts_for_the_client(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNIN_CLIENT_FAILURES", "3")  # 3 rather than 20 argon2 verifications' time
    get_settings.cache_clear()
    Clock(monkeypatch, START)
    for _ in range(2):
        assert attempt(engine, "no such name!", WRONG, client="10.0.0.9") == accounts.SignIn(None, None)
    assert attempt(engine, "no such name!", WRONG, client="10.0.0.9").locked_until == START + timedelta(seconds=30)
    with session(engine) as s:
        assert s.execute(select(SignInFailure)).scalars().all() == []
    assert attempt(engine, "no such name!", WRONG, client="10.0.0.10") == accounts.SignIn(None, None)  # another client


def test_the_client_is_the_connection_or_the_proxys_header() -> None:
    assert throttle.client_address(None) == "localhost"
    assert throttle.client_address("203.0.113.5", {"X-Forwarded-For": "198.51.100.1"}) == "203.0.113.5"
    forwarded = {"X-Forwarded-For": "198.51.100.1, 192.0.2.44"}  # the proxy appended the last one
    assert throttle.client_address("10.0.0.1", forwarded, "X-Forwarded-For") == "192.0.2.44"
    assert throttle.client_address("10.0.0.1", {}, "X-Forwarded-For") == "10.0.0.1"


def test_the_message_names_the_date_when_the_wait_ends_on_another_day(monkeypatch: pytest.MonkeyPatch) -> None:
    Clock(monkeypatch, datetime(2026, 3, 2, 14, 55, tzinfo=UTC))  # 23:55 in Seoul
    assert throttle.locked_message(datetime(2026, 3, 2, 15, 5, 10, tzinfo=UTC)) == locked("'26. 3. 3. 00:06")
    assert throttle.locked_message(datetime(2026, 3, 2, 14, 58, tzinfo=UTC)) == locked("23:58")


# --- the command line -----------------------------------------------------------------------


def listed_row(capsys: pytest.CaptureFixture[str], username: str) -> str:
    assert main(["user", "list"]) == 0
    out = capsys.readouterr().out
    assert "잠김 (Asia/Seoul)" in out.splitlines()[0]
    return next(line for line in out.splitlines() if line.startswith(f"{username} "))


def test_user_list_shows_the_wait_and_user_unlock_ends_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add(engine, "cli-lock")
    add(engine, "cli-free")
    Clock(monkeypatch, START)
    for _ in range(5):
        attempt(engine, "cli-lock", WRONG)
    assert listed_row(capsys, "cli-lock").endswith("2026-03-02 14:32까지")
    assert "까지" not in listed_row(capsys, "cli-free")
    assert attempt(engine, "cli-lock", SECRET).actor is None

    assert main(["user", "unlock", "cli-lock"]) == 0
    assert capsys.readouterr().out == "cli-lock: 잠금을 풀었습니다 (2026-03-02 14:32까지 잠겨 있었음)\n"
    assert "까지" not in listed_row(capsys, "cli-lock")
    [entry] = [
        e
        for e in log_entries(engine)
        if e.table_name == "signin_failure" and e.record_key == "cli-lock" and e.action == "delete"
    ]
    assert (entry.actor, entry.role) == (cli_actor().username, "planning")
    assert json.loads(entry.changes)["failures"] == [5, None]
    assert attempt(engine, "cli-lock", SECRET, client="10.0.0.11").actor == Actor("cli-lock", "finance")

    assert main(["user", "unlock", "cli-free"]) == 0
    assert capsys.readouterr().out == "cli-free: 잠겨 있지 않습니다\n"
    assert main(["user", "unlock", "cli-nobody"]) == 1
    err = capsys.readouterr().err
    assert "아이디(username): 'cli-nobody' 계정이 없습니다" in err and "아무것도 저장하지 않았습니다." in err


def log_entries(engine: Engine) -> list[ChangeLogEntry]:
    with session(engine) as s:
        return list(s.execute(select(ChangeLogEntry).order_by(ChangeLogEntry.seq)).scalars())


def test_failed_sign_ins_are_not_logged_and_only_planning_unlocks(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(engine, "perm-han")
    Clock(monkeypatch, START)
    before = len(log_entries(engine))
    for _ in range(5):
        attempt(engine, "perm-han", WRONG)
    assert len(log_entries(engine)) == before  # a failed sign-in is not a change anyone made
    finance: Any = Actor("test-finance", "finance")
    with session(engine) as s:
        with pytest.raises(PermissionDeniedError, match=r"may not user\.manage"):
            accounts.unlock_user(s, finance, "perm-han")
        with pytest.raises(PermissionDeniedError):
            accounts.locked_accounts(s, finance)
        with pytest.raises(AccountError, match="계정이 없습니다"):
            accounts.unlock_user(s, PLANNER, "perm-nobody")
        assert accounts.locked_accounts(s, PLANNER) == {"perm-han": START + timedelta(seconds=30)}


def test_attempts_sent_together_cannot_pass_the_threshold_together(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight wrong attempts for one name at once (eight sessions, as eight browser tabs would
    send them): the name's count is taken before any password is checked, so five are checked
    and three wait."""
    add(engine, "burst-yoon")
    Clock(monkeypatch, START)
    hasher = CountingHasher()
    monkeypatch.setattr(accounts, "HASHER", hasher)
    start = threading.Barrier(8)
    answers: list[accounts.SignIn] = []

    def guess(number: int) -> None:
        start.wait()
        answers.append(attempt(engine, "burst-yoon", f"{WRONG}-{number}", client=f"10.1.0.{number}"))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 8 and all(a.actor is None for a in answers)
    assert hasher.counted["verify"] == 5
    assert sum(a.locked_until == START + timedelta(seconds=30) for a in answers) == 4  # the fifth and three waiting
    assert streak(engine, "burst-yoon") == (5, START + timedelta(seconds=30))
