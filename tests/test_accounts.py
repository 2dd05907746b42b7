"""Local accounts (argon2id), the `user` command, the change log of account changes, the sign-in
page and expiring sessions (AppTest through streamlit_app.py), and the demo accounts."""

from __future__ import annotations

import io
import json
import os
import secrets
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type, extract_parameters
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from audit_followup import service as audit
from governance_app import accounts, bootstrap, store
from governance_app.accounts import AccountError
from governance_app.cli import main
from governance_app.core.auth import Actor, PermissionDeniedError, cli_actor
from governance_app.core.changelog import REDACTED_VALUE, ChangeLogEntry
from governance_app.core.context import current
from governance_app.core.db import session
from governance_app.core.models import UserAccount
from governance_app.core.settings import ROOT, get_settings
from governance_app.ui import AUTH_KEY
from major_work import todo as work_todo
from tests.helpers import PLANNER, acting, sign_in
from tests.helpers.pages import page_text

SECRET = secrets.token_urlsafe(12)  # 16 characters, made at run time: no password is in the repository
OTHER = secrets.token_urlsafe(12)
FINANCE = Actor("test-finance", "finance")


def add(engine: Engine, username: str, role: str = "planning", **kwargs: object) -> accounts.Account:
    with session(engine) as s:
        return accounts.add_user(s, PLANNER, username, role, kwargs.pop("password", SECRET), **kwargs)  # type: ignore[arg-type]


def log_entries(engine: Engine, username: str) -> list[ChangeLogEntry]:
    with session(engine) as s:
        query = (
            select(ChangeLogEntry)
            .where(ChangeLogEntry.table_name == "user_account", ChangeLogEntry.record_key == username)
            .order_by(ChangeLogEntry.seq)
        )
        return list(s.execute(query).scalars())


def log_size(engine: Engine) -> int:
    with session(engine) as s:
        return int(s.execute(select(func.count()).select_from(ChangeLogEntry)).scalar_one())


def stored_hash(engine: Engine, username: str) -> str:
    with session(engine) as s:
        return s.execute(select(UserAccount.password_hash).where(UserAccount.username == username)).scalar_one()


# --- passwords and the account service ------------------------------------------------------


def test_the_hash_is_argon2id_and_not_the_password() -> None:
    hashed = accounts.hash_password(SECRET)
    assert extract_parameters(hashed).type is Type.ID
    assert SECRET not in hashed
    assert accounts.hash_password(SECRET) != hashed  # salted
    assert accounts.HASHER.verify(hashed, SECRET)


def test_the_right_password_signs_in_and_a_wrong_one_does_not(engine: Engine) -> None:
    add(engine, "acc-right", "department", department="스마트전산부", display_name="김정민")
    assert extract_parameters(stored_hash(engine, "acc-right")).type is Type.ID
    with session(engine) as s:
        assert accounts.authenticate(s, "acc-right", SECRET) == Actor("acc-right", "department", "스마트전산부")
        assert accounts.authenticate(s, "acc-right", OTHER) is None
        assert accounts.authenticate(s, "acc-right", SECRET.upper()) is None
        assert accounts.authenticate(s, "nobody-here", SECRET) is None
        assert accounts.authenticate(s, "", SECRET) is None


def test_a_disabled_account_is_refused(engine: Engine) -> None:
    add(engine, "acc-disabled")
    with session(engine) as s:
        account = accounts.disable_user(s, PLANNER, "acc-disabled")
        assert not account.active
        assert accounts.authenticate(s, "acc-disabled", SECRET) is None


def test_a_short_password_is_refused_and_nothing_is_written(engine: Engine) -> None:
    before = log_size(engine)
    with pytest.raises(AccountError) as refused:
        add(engine, "acc-short", password="x" * 9)
    assert refused.value.field == "password"
    assert str(refused.value) == "비밀번호(password): 비밀번호는 10자 이상이어야 합니다 (입력한 길이 9자)"
    add(engine, "acc-long-enough", password="x" * 10)
    with session(engine) as s:
        assert accounts.find(s, "acc-short") is None
        with pytest.raises(AccountError, match="10자 이상"):
            accounts.set_password(s, PLANNER, "acc-long-enough", "too-short")
    assert log_size(engine) == before + 1  # only the account made with a long enough password


@pytest.mark.parametrize(
    ("role", "department", "field", "message"),
    [
        ("department", None, "department", "부서(department) 역할에는 부서명이 필요합니다"),
        ("department", "없는부서", "department", "'없는부서'는 등록된 부서가 아닙니다"),
        ("board", "기획조정실", "department", "부서명은 부서(department) 역할에만 지정합니다"),
        ("admin", None, "role", "'admin'은 없는 역할입니다. 다음 중 하나를 쓰세요: planning(기획조정실)"),
    ],
)
def test_role_and_department_are_checked_before_anything_is_written(
    engine: Engine, role: str, department: str | None, field: str, message: str
) -> None:
    before = log_size(engine)
    with pytest.raises(AccountError) as refused:
        add(engine, "acc-refused", role, department=department)
    assert refused.value.field == field and message in str(refused.value)
    with session(engine) as s:
        assert accounts.find(s, "acc-refused") is None
    assert log_size(engine) == before


def test_a_duplicate_username_is_refused(engine: Engine) -> None:
    add(engine, "acc-twice", display_name="처음")
    with pytest.raises(AccountError) as refused:
        add(engine, "acc-twice", "board", display_name="두번째")
    assert str(refused.value) == "아이디(username): 'acc-twice' 계정이 이미 있습니다"
    with session(engine) as s:
        assert accounts.find(s, "acc-twice").display_name == "처음"  # type: ignore[union-attr]


def test_only_the_planning_office_manages_accounts(engine: Engine) -> None:
    add(engine, "acc-managed")
    with session(engine) as s:
        with pytest.raises(PermissionDeniedError, match=r"may not user\.manage"):
            accounts.add_user(s, FINANCE, "acc-by-finance", "finance", SECRET)
        with pytest.raises(PermissionDeniedError):
            accounts.set_password(s, FINANCE, "acc-managed", OTHER)
        with pytest.raises(PermissionDeniedError):
            accounts.disable_user(s, FINANCE, "acc-managed")
        with pytest.raises(PermissionDeniedError):
            accounts.list_users(s, FINANCE)
        assert accounts.find(s, "acc-by-finance") is None
        assert accounts.authenticate(s, "acc-managed", SECRET) is not None


def test_a_hash_with_old_parameters_is_replaced_at_sign_in(engine: Engine) -> None:
    add(engine, "acc-rehash")
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(SECRET)
    with acting(engine) as s:
        s.execute(select(UserAccount).where(UserAccount.username == "acc-rehash")).scalar_one().password_hash = weak
        s.commit()
    with session(engine) as s:
        assert accounts.authenticate(s, "acc-rehash", SECRET) == Actor("acc-rehash", "planning")
    renewed = stored_hash(engine, "acc-rehash")
    assert renewed != weak and not accounts.HASHER.check_needs_rehash(renewed)
    last = log_entries(engine, "acc-rehash")[-1]
    assert (last.actor, last.action) == ("acc-rehash", "update")  # the holder's own sign-in re-keyed it
    assert json.loads(last.changes) == {"password_hash": [REDACTED_VALUE, REDACTED_VALUE]}


# --- the command line -----------------------------------------------------------------------


def typed(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text + "\n"))


def test_the_user_command_adds_sets_disables_and_lists(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed(monkeypatch, SECRET)
    argv = ["user", "add", "cli-kim", "--role", "department", "--department", "스마트전산부", "--name", "김정민"]
    assert main([*argv, "--password-stdin"]) == 0
    assert "계정 cli-kim을 만들었습니다: 김정민, department(부서) 스마트전산부" in capsys.readouterr().out
    with session(engine) as s:
        assert accounts.authenticate(s, "cli-kim", SECRET) == Actor("cli-kim", "department", "스마트전산부")

    typed(monkeypatch, OTHER)
    assert main(["user", "passwd", "cli-kim", "--password-stdin"]) == 0
    assert "cli-kim: 새 비밀번호를 정했습니다" in capsys.readouterr().out
    with session(engine) as s:
        assert accounts.authenticate(s, "cli-kim", SECRET) is None
        assert accounts.authenticate(s, "cli-kim", OTHER) is not None

    assert main(["user", "list"]) == 0
    listed = capsys.readouterr().out
    row = next(line for line in listed.splitlines() if line.startswith("cli-kim "))
    assert "김정민" in row and "department(부서) 스마트전산부" in row and "사용" in row and "사용 중지" not in row
    assert SECRET not in listed and OTHER not in listed and "argon2" not in listed

    assert main(["user", "disable", "cli-kim"]) == 0
    assert capsys.readouterr().out == "cli-kim: 사용을 중지했습니다\n"
    with session(engine) as s:
        assert accounts.authenticate(s, "cli-kim", OTHER) is None
    assert main(["user", "list"]) == 0
    assert "사용 중지" in next(line for line in capsys.readouterr().out.splitlines() if line.startswith("cli-kim "))


def test_every_account_change_is_logged_with_its_actor_and_no_password(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed(monkeypatch, SECRET)
    assert main(["user", "add", "cli-logged", "--role", "auditor", "--password-stdin"]) == 0
    typed(monkeypatch, OTHER)
    assert main(["user", "passwd", "cli-logged", "--password-stdin"]) == 0
    assert main(["user", "disable", "cli-logged"]) == 0
    entries = log_entries(engine, "cli-logged")
    operator = cli_actor()
    assert [(e.action, e.actor, e.role) for e in entries] == [
        ("create", operator.username, "planning"),
        ("update", operator.username, "planning"),
        ("update", operator.username, "planning"),
    ]
    created, rekeyed, disabled = (json.loads(e.changes) for e in entries)
    assert created["username"] == [None, "cli-logged"] and created["role"] == [None, "auditor"]
    assert created["password_hash"] == [None, REDACTED_VALUE]
    assert rekeyed["password_hash"] == [REDACTED_VALUE, REDACTED_VALUE] and "password_changed_at" in rekeyed
    assert disabled == {"active": [True, False]}
    raw = " ".join(e.changes for e in entries)
    assert SECRET not in raw and OTHER not in raw and "argon2" not in raw


def test_the_user_command_refuses_with_the_field_and_changes_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = log_size(engine)
    typed(monkeypatch, SECRET)
    assert main(["user", "add", "cli-dept", "--role", "department", "--password-stdin"]) == 1
    err = capsys.readouterr().err
    assert (
        "부서(department): 부서(department) 역할에는 부서명이 필요합니다" in err
        and "아무것도 저장하지 않았습니다." in err
    )
    typed(monkeypatch, "short")
    assert main(["user", "add", "cli-short", "--role", "board", "--password-stdin"]) == 1
    assert "비밀번호(password): 비밀번호는 10자 이상이어야 합니다" in capsys.readouterr().err
    assert main(["user", "disable", "cli-nobody"]) == 1
    assert "아이디(username): 'cli-nobody' 계정이 없습니다" in capsys.readouterr().err
    # without --password-stdin the password is asked twice; two different answers are refused
    answers = iter([SECRET, OTHER])
    monkeypatch.setattr(accounts.getpass, "getpass", lambda _prompt: next(answers))
    assert main(["user", "add", "cli-asked", "--role", "board"]) == 1
    assert "두 번 입력한 비밀번호가 다릅니다" in capsys.readouterr().err
    assert log_size(engine) == before
    answers = iter([SECRET, SECRET])
    assert main(["user", "add", "cli-asked", "--role", "board"]) == 0
    with session(engine) as s:
        assert accounts.authenticate(s, "cli-asked", SECRET) == Actor("cli-asked", "board")


# --- signing in and sessions (AppTest through the entry point) ------------------------------

APP = str(ROOT / "streamlit_app.py")


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def ran(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def title(at: AppTest) -> str:
    return at.title[0].value


def sidebar_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.sidebar.markdown)


def submit(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    at.button(key="signin_submit").click()
    return ran(at)


def test_before_sign_in_only_the_sign_in_page_is_reachable(engine: Engine) -> None:
    at = ran(app())
    assert title(at) == "로그인" and AUTH_KEY not in at.session_state
    assert at.text_input(key="signin_password").proto.type == at.text_input(key="signin_password").proto.PASSWORD
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("governance_app/pages/budget.py")  # not in the navigation
    assert not at.dataframe and not at.metric and not at.sidebar.button


def test_the_sign_in_page_signs_in_with_the_right_password(engine: Engine) -> None:
    add(engine, "page-right", "finance", display_name="박재무")
    at = submit(ran(app()), "page-right", SECRET)
    assert title(at) == "오늘 할 일"  # the home page opens first
    assert not at.error
    assert "**박재무** (재무)" in sidebar_text(at)
    entry = at.session_state[AUTH_KEY]
    assert (entry["username"], entry["role"], entry["department"]) == ("page-right", "finance", None)
    assert time.time() - entry["signed_in_at"] < 60 and entry["last_seen"] >= entry["signed_in_at"]
    assert at.session_state["signin_password"] == ""  # the password is not kept
    at.switch_page("governance_app/pages/budget.py")
    assert title(ran(at)).endswith("예산 현황")


def test_a_wrong_password_is_refused_without_saying_which_part(engine: Engine) -> None:
    add(engine, "page-wrong")
    at = submit(ran(app()), "page-wrong", OTHER)
    assert title(at) == "로그인" and AUTH_KEY not in at.session_state
    assert [e.value for e in at.error] == ["아이디 또는 비밀번호가 올바르지 않습니다."]
    assert at.session_state["signin_password"] == ""
    unknown = submit(ran(app()), "page-nobody", SECRET)
    assert [e.value for e in unknown.error] == ["아이디 또는 비밀번호가 올바르지 않습니다."]
    with session(engine) as s:
        accounts.disable_user(s, PLANNER, "page-wrong")
    disabled = submit(ran(app()), "page-wrong", SECRET)
    assert [e.value for e in disabled.error] == ["아이디 또는 비밀번호가 올바르지 않습니다."]
    assert AUTH_KEY not in disabled.session_state


def test_signing_out_returns_to_the_sign_in_page(engine: Engine) -> None:
    at = ran(sign_in(app(), PLANNER))
    assert "**test-planner** (기획조정실)" in sidebar_text(at)
    at.sidebar.button(key="sign_out").click()
    ran(at)
    assert title(at) == "로그인" and AUTH_KEY not in at.session_state
    assert "로그아웃했습니다." in [i.value for i in at.info]


def aged(at: AppTest, *, idle: float = 0, signed_in: float = 0) -> AppTest:
    """The session as if its last run was ``idle`` seconds ago and its sign-in ``signed_in`` ago."""
    now = time.time()
    entry = dict(at.session_state[AUTH_KEY])
    at.session_state[AUTH_KEY] = {**entry, "last_seen": now - idle, "signed_in_at": now - signed_in}
    return at


def test_a_session_idle_too_long_expires(engine: Engine) -> None:
    at = ran(sign_in(app(), PLANNER))
    ran(aged(at, idle=29 * 60, signed_in=29 * 60))  # within 30 minutes: still signed in, and refreshed
    assert title(at) != "로그인" and time.time() - at.session_state[AUTH_KEY]["last_seen"] < 60
    ran(aged(at, idle=31 * 60, signed_in=31 * 60))
    assert title(at) == "로그인" and AUTH_KEY not in at.session_state
    assert "30분 동안 사용하지 않아 로그아웃되었습니다. 다시 로그인하세요." in [i.value for i in at.info]


def test_a_session_expires_after_its_lifetime_however_active(engine: Engine) -> None:
    at = ran(sign_in(app(), PLANNER))
    ran(aged(at, idle=60, signed_in=8 * 3600 - 120))
    assert title(at) != "로그인"
    ran(aged(at, idle=60, signed_in=8 * 3600 + 1))
    assert title(at) == "로그인" and AUTH_KEY not in at.session_state
    assert "로그인한 지 8시간이 지나 로그아웃되었습니다. 다시 로그인하세요." in [i.value for i in at.info]


def test_the_expiry_follows_the_settings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "5")
    get_settings.cache_clear()
    at = ran(aged(sign_in(app(), PLANNER), idle=6 * 60, signed_in=6 * 60))
    assert title(at) == "로그인"
    assert "5분 동안 사용하지 않아 로그아웃되었습니다. 다시 로그인하세요." in [i.value for i in at.info]


def test_a_disabled_account_is_signed_out_on_its_next_run(engine: Engine) -> None:
    who = Actor("page-disabled", "planning")
    at = ran(sign_in(app(), who))
    assert title(at) != "로그인"
    with session(engine) as s:
        accounts.disable_user(s, PLANNER, who.username)
    ran(at)
    assert title(at) == "로그인" and AUTH_KEY not in at.session_state
    assert "계정을 더 이상 사용할 수 없어 로그아웃되었습니다. 기획조정실에 문의하세요." in [i.value for i in at.info]


def test_a_changed_role_applies_on_the_next_run(engine: Engine) -> None:
    who = Actor("page-role", "planning")
    at = ran(sign_in(app(), who))
    at.switch_page("governance_app/pages/board.py")
    assert "'59. 3. 17." in page_text(ran(at))  # the planning office sees birth dates
    with acting(engine) as s:
        s.execute(select(UserAccount).where(UserAccount.username == who.username)).scalar_one().role = "board"
        s.commit()
    text = page_text(ran(at))
    assert "'59. 3. 17." not in text and "이이재" in text
    assert at.session_state[AUTH_KEY]["role"] == "board"
    assert "(이사회)" in sidebar_text(at)


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_account_is_read_once_per_recheck_interval(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESSION_RECHECK_SECONDS", "3600")  # the default 5 s, made safe from a slow machine
    get_settings.cache_clear()
    who = Actor("page-recheck", "planning")
    at = ran(sign_in(app(), who))
    at.switch_page("governance_app/pages/budget.py")  # asks for the actor and for personal-data rights
    ran(at)
    with statements(engine) as seen:
        ran(at)  # a widget's rerun within SESSION_RECHECK_SECONDS of the last read: no account query
    assert len(seen) == 1 and "FROM log_head" in seen[0]  # only the data revision (ui.sync_revision)
    # disabled behind this process's back (as the CLI does from its own process): no commit event
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("UPDATE user_account SET active = false WHERE username = 'page-recheck'")
        raw.commit()
    finally:
        raw.close()
    assert title(ran(at)) != "로그인"  # still within the interval
    monkeypatch.setenv("SESSION_RECHECK_SECONDS", "0")  # the interval has passed
    get_settings.cache_clear()
    with statements(engine) as seen:
        ran(at)
    assert "FROM log_head" in seen[0]  # the data revision first, then the account
    assert "FROM user_account" in seen[1] and "user_account.username =" in seen[1]  # then the sign-in page's
    assert title(at) == "로그인" and AUTH_KEY not in at.session_state


# --- demo accounts --------------------------------------------------------------------------


def test_demo_accounts_one_per_role_with_random_passwords_kept_private(
    empty_engine: Engine, seed: store.Dataset, tmp_path: Path
) -> None:
    engine = empty_engine  # no accounts yet; the seed dataset names the departments
    with session(engine) as s:
        store.replace_in_db(session=s, actor=PLANNER, dataset=seed)
    kept = tmp_path / "var" / "demo-users.txt"
    users = bootstrap.ensure_demo_users(engine, kept)
    assert [(u.username, u.role) for u in users] == [
        ("demo-planning", "planning"),
        ("demo-finance", "finance"),
        ("demo-auditor", "auditor"),
        ("demo-department", "department"),
        ("demo-board", "board"),
    ]
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    assert bootstrap.read_demo_file(kept) == {u.username: u.password for u in users}
    assert len({u.password for u in users}) == 5 and all(len(u.password) >= 16 for u in users)
    department = next(u for u in users if u.role == "department").department
    with session(engine) as s:
        for u in users:
            account = accounts.find(s, u.username)
            assert account is not None and account.demo and account.display_name.endswith("(데모)")
            assert accounts.authenticate(s, u.username, u.password) == Actor(u.username, u.role, u.department)
        owned = accounts.busiest_department(s)
        ctx = current(s)
        audit_owners = {i.department for i in audit.items(s, ctx.org_id, ctx.audit_session_code)}
        work_owners = set(work_todo.owning_departments(s, ctx))
    # the department demo account can try both plan progress and audit follow-up: 스마트전산부 owns
    # 4 audit items and major-work items (윤리감사실 owns more audit items but no major-work item)
    assert department == owned == "스마트전산부"
    assert department in audit_owners and department in work_owners and "윤리감사실" not in work_owners

    # a second start keeps the passwords; a lost file gets new ones, which then sign in
    assert bootstrap.ensure_demo_users(engine, kept) == users
    kept.unlink()
    again = bootstrap.ensure_demo_users(engine, kept)
    assert {u.password for u in again}.isdisjoint({u.password for u in users})
    with session(engine) as s:
        assert all(accounts.authenticate(s, u.username, u.password) for u in again)
        accounts.disable_user(s, PLANNER, "demo-board")
    # a disabled demo account stays disabled and is no longer listed
    assert [u.username for u in bootstrap.ensure_demo_users(engine, kept)] == [
        "demo-planning",
        "demo-finance",
        "demo-auditor",
        "demo-department",
    ]
    with session(engine) as s:
        assert not accounts.find(s, "demo-board").active  # type: ignore[union-attr]
    table = bootstrap.demo_table(again[:4], kept)
    assert "데모 계정" in table and "python -m governance_app user disable demo-planning" in table
    assert "DEMO_USERS=false" in table and again[0].password in table


def test_demo_users_false_creates_none(
    empty_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from governance_app.serve import prepare_demo_users

    monkeypatch.setenv("DEMO_USERS", "false")
    monkeypatch.setenv("DEMO_USERS_FILE", str(tmp_path / "demo-users.txt"))
    get_settings.cache_clear()
    prepare_demo_users()
    assert capsys.readouterr().out == ""
    assert not (tmp_path / "demo-users.txt").exists()
    with session(empty_engine) as s:
        assert s.execute(select(func.count()).select_from(UserAccount)).scalar_one() == 0
