"""Who is signed in: the sign-in session of a Streamlit session, checked on every run."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import streamlit as st
from sqlalchemy import bindparam, select
from streamlit.runtime.scriptrunner import get_script_run_ctx

from governance_app.core.auth import Actor, may_see_personal_data
from governance_app.core.i18n import ROLE_LABELS
from governance_app.core.models import UserAccount
from governance_app.core.settings import get_settings
from governance_app.ui.cache import engine, revision, sync_revision
from governance_app.ui.markdown import markdown_text

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
    process, and within those seconds after one made elsewhere (the CLI).

    It first reads the change log's head (``sync_revision``): a save made by another process
    (a second app server, the CLI) is seen by every cached read of this run."""
    _this_run.check = None
    sync_revision()
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
    UserAccount.username == bindparam("username")
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
