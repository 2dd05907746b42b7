"""`python -m governance_app serve`: prepare the database and the demo accounts, then run Streamlit."""

from __future__ import annotations

import os
import sys

from governance_app import accounts
from governance_app.bootstrap import demo_table, ensure_database, ensure_demo_users
from governance_app.core.db import get_engine, session
from governance_app.core.settings import ROOT, get_settings

WARM_CHARTS = "GOV_WARM_CHARTS"


def prepare_demo_users() -> None:
    """DEMO_USERS (default true): keep one demo account per role and print them with a warning;
    false creates none, and only warns about demo accounts still active."""
    settings = get_settings()
    engine = get_engine()
    if settings.demo_users:
        users = ensure_demo_users(engine, settings.demo_users_file)
        if users:
            print(demo_table(users, settings.demo_users_file))
        return
    with session(engine) as s:
        active = accounts.active_demo_usernames(s)
    if active:
        print(f"DEMO_USERS=false이지만 이 데모 계정은 아직 로그인할 수 있습니다: {', '.join(active)}")
        print("하나씩 사용 중지하십시오: .venv/bin/python -m governance_app user disable <아이디>")


def serve(port: int = 8501) -> None:
    engine = get_engine()
    if ensure_database(engine):
        print(f"data/의 자료로 데이터베이스를 만들었습니다: {engine.url.render_as_string(hide_password=True)}")
    prepare_demo_users()
    args = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "streamlit_app.py"),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "localhost",
        "--browser.gatherUsageStats",
        "false",
    ]
    os.environ[WARM_CHARTS] = "1"  # the app starts the chart browser in the background
    sys.stdout.flush()  # exec replaces the process: what was printed must be out first
    os.execvp(args[0], args)
