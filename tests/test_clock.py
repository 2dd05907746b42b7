"""The time zone (settings.timezone, Asia/Seoul by default): "today" and every time shown are the
foundation's, not the server's. At 2026-12-01T15:30Z it is already 12. 2. 00:30 in Seoul."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from governance_app.core import changelog, clock
from governance_app.core.auth import Actor
from governance_app.core.db import session
from governance_app.core.settings import ROOT, Settings, get_settings
from tests.helpers import PLANNER, sign_in
from tests.helpers.audit import sign
from tests.helpers.editing import edit_amount

LATE_EVENING_UTC = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)
AUDITOR = Actor("test-auditor", "auditor")
PAGES = ROOT / "governance_app" / "pages"


def run(page: str, actor: Actor) -> AppTest:
    at = sign_in(AppTest.from_file(str(PAGES / page), default_timeout=60), actor)
    at.run()
    assert not at.exception, at.exception
    return at


def test_today_is_the_foundations_date_not_the_servers() -> None:
    with clock.frozen(LATE_EVENING_UTC):
        assert clock.today() == date(2026, 12, 2)
        assert clock.now().strftime("%H:%M") == "00:30"
        assert clock.now_utc() == LATE_EVENING_UTC


def test_the_zone_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMEZONE", "UTC")
    get_settings.cache_clear()
    try:
        with clock.frozen(LATE_EVENING_UTC):
            assert clock.today() == date(2026, 12, 1)
    finally:
        get_settings.cache_clear()
    with pytest.raises(ValidationError, match="unknown time zone"):
        Settings(timezone="Seoul")


def test_a_late_evening_utc_shows_the_next_day_on_screen_and_in_the_log(engine: Engine) -> None:
    with clock.frozen(LATE_EVENING_UTC):
        edit_amount(engine, "1630927")  # logged at 15:30 UTC
        with session(engine) as s:
            [newest] = changelog.recent(s, PLANNER, 1)
        assert newest.at.astimezone(UTC) == LATE_EVENING_UTC
        audit_page = run("audit.py", AUDITOR)
        audit_page.session_state["audit_view"] = "처리요구사항"
        audit_page.run()
        assert audit_page.date_input(key="audit_on").value == date(2026, 12, 2)
        assert any("기준일(2026. 12. 2.)" in m.value for m in audit_page.markdown)
        history = run("history.py", AUDITOR)
    [recent] = [f.value for f in history.dataframe]
    first = recent[recent["번호"] == newest.seq].iloc[0]
    assert first["일시"] == "'26. 12. 2. 00:30"


def test_a_sign_off_at_half_past_midnight_in_seoul_is_dated_that_day(engine: Engine) -> None:
    with clock.frozen(LATE_EVENING_UTC):
        signed = sign(engine, "R-05", "완료", AUDITOR)  # R-05 is 완료 in the seed
    assert signed.signed_on == date(2026, 12, 2)
