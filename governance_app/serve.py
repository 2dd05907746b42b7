"""`python -m governance_app serve`: prepare the database, then run Streamlit."""

from __future__ import annotations

import os
import sys

from governance_app.bootstrap import ensure_database
from governance_app.db import get_engine
from governance_app.settings import ROOT


def serve(port: int = 8501) -> None:
    engine = get_engine()
    if ensure_database(engine):
        print(f"created the database from data/ at {engine.url.render_as_string(hide_password=True)}")
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
    os.execvp(args[0], args)
