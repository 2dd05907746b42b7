"""로그인: the only page before sign-in. A wrong username, a wrong password and a disabled
account get the same answer, so the page never tells which part was wrong; after repeated wrong
attempts (for one name or from one address) it says until when sign-in waits (governance_app.throttle)."""

import streamlit as st

from governance_app import accounts, throttle, ui
from governance_app.core.settings import ROOT, get_settings

REFUSED = "아이디 또는 비밀번호가 올바르지 않습니다."
USERNAME_KEY, PASSWORD_KEY = "signin_username", "signin_password"


def _submit() -> None:
    """Runs before the script (the form's callback), so the navigation of this very run already
    holds the signed-in pages; the password never stays in the session state."""
    username = st.session_state.get(USERNAME_KEY, "").strip()
    password = st.session_state.get(PASSWORD_KEY, "")
    st.session_state[PASSWORD_KEY] = ""
    if not username or not password:
        st.session_state["signin_error"] = "아이디와 비밀번호를 입력하세요."
        return
    client = throttle.client_address(st.context.ip_address, st.context.headers, get_settings().signin_client_header)
    with ui.db() as s:
        answer = accounts.sign_in(s, username, password, client)
    if answer.actor is None:
        waiting = answer.locked_until
        st.session_state["signin_error"] = throttle.locked_message(waiting) if waiting else REFUSED
        return
    ui.sign_in(answer.actor)


st.title("로그인")
st.caption("120다산콜재단 업무보고 · 예산 · 감사 관리")
notice = st.session_state.pop(ui.AUTH_NOTICE_KEY, None)
if notice:
    st.info(notice)
refused = st.session_state.pop("signin_error", None)
if refused:
    st.error(refused)

with st.form("signin"):
    st.text_input("아이디", key=USERNAME_KEY, autocomplete="username")
    st.text_input("비밀번호", type="password", key=PASSWORD_KEY, autocomplete="current-password")
    st.form_submit_button("로그인", key="signin_submit", type="primary", on_click=_submit)

settings = get_settings()
st.caption(
    f"계정은 기획조정실이 만듭니다 (`python -m governance_app user add`). {settings.session_idle_minutes:g}분 동안 "
    f"사용하지 않거나 로그인한 지 {settings.session_max_hours:g}시간이 지나면 자동으로 로그아웃됩니다."
)
if ui.cached(accounts.active_demo_usernames):
    kept = settings.demo_users_file
    kept = kept.relative_to(ROOT) if kept.is_relative_to(ROOT) else kept
    st.caption(
        f"시험용 데모 계정(demo-planning 등)의 비밀번호는 서버를 시작한 터미널 화면과 `{kept}` 파일에 "
        "있습니다. 실제 자료를 다루는 서버에서는 데모 계정을 사용 중지하세요."
    )
