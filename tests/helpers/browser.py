"""A served app and a headless Chromium for the real-browser tests: the app started as
`make run` starts it (``python -m governance_app serve``), on a database of its own."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page

from governance_app.bootstrap import read_demo_file
from governance_app.core.settings import ROOT

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Server:
    base: str
    passwords: dict[str, str]  # every demo account's, from the demo file serve wrote
    env: dict[str, str]  # the environment the app runs in (its database), for CLI calls
    log: Path  # what serve printed

    @property
    def password(self) -> str:  # demo-planning's
        return self.passwords["demo-planning"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(env: dict[str, str], *args: str) -> str:
    """Run ``python -m governance_app ARGS`` against the app's database; its output."""
    done = subprocess.run(
        [sys.executable, "-m", "governance_app", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


@contextmanager
def served(where: Path, before: Sequence[Sequence[str]] = ()) -> Iterator[Server]:
    """The app served on a free port over a new SQLite database in ``where``; the CLI commands
    ``before`` run first (the database is created from data/ before them)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{where / 'app.sqlite3'}",
        "DEMO_USERS": "true",
        "DEMO_USERS_FILE": str(where / "demo-users.txt"),
    }
    if before:
        cli(env, "init-db")
        for command in before:
            cli(env, *command)
    log = where / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "governance_app", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://localhost:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"the app did not start: {log.read_text()}")
        yield Server(base, read_demo_file(where / "demo-users.txt"), env, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded machine: Streamlit (and its chart browser) slow to stop
            process.kill()
            process.wait(timeout=30)


def sign_in(page: Page, server: Server, role: str = "planning", path: str = "") -> None:
    """Open ``path``, meet the sign-in form there and sign in as demo-``role``."""
    page.goto(f"{server.base}/{path}")
    page.locator("h1").filter(has_text="로그인").first.wait_for(timeout=60_000)
    page.get_by_label("아이디").fill(f"demo-{role}")
    page.get_by_label("비밀번호").fill(server.passwords[f"demo-{role}"])
    page.get_by_role("button", name="로그인").click()
    page.locator("[data-testid='stSidebarNav']").wait_for(timeout=60_000)
