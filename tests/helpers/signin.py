"""The sign-in page through the app's entry point (AppTest), and a clock tests move by hand."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from governance_app.core import clock
from governance_app.core.settings import ROOT

APP = str(ROOT / "streamlit_app.py")


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def ran(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def title(at: AppTest) -> str:
    return str(at.title[0].value)


def submit(at: AppTest, username: str, password: str) -> AppTest:
    """Type ``username`` and ``password`` into the sign-in form and press 로그인."""
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    at.button(key="signin_submit").click()
    return ran(at)


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


class Clock:
    """The suite's clock (core.clock) stopped at ``start`` and moved on by ``advance``; the app's
    script threads read the same clock."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, start: datetime) -> None:
        self.at = start
        monkeypatch.setattr(clock, "utcnow", lambda: self.at)

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)
