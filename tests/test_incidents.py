"""An unexpected error reaches the user as a short Korean message with an incident id; the
traceback goes to the server log under that id (issue 13)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from governance_app import store
from governance_app.cli import main
from governance_app.core.settings import ROOT, get_settings
from tests.helpers import sign_in

INCIDENT = re.compile(r"사건 번호 (\d{8}-[0-9A-F]{6})")


def test_an_unexpected_cli_error_prints_an_incident_id_not_a_traceback(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "incidents.log"
    monkeypatch.setenv("INCIDENT_LOG", str(log))
    get_settings.cache_clear()
    monkeypatch.setattr("governance_app.incidents.LOGGER.handlers", [])

    def broken(**_kwargs: object) -> list[Path]:
        raise RuntimeError("disk on fire at /srv/secret/path.py")

    monkeypatch.setattr(store, "export_dir", broken)
    assert main(["export", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    found = INCIDENT.search(err)
    assert found and "예기치 않은 오류" in err
    assert "Traceback" not in err and "disk on fire" not in err and "/srv/secret" not in err
    text = log.read_text(encoding="utf-8")
    assert f"incident {found[1]}" in text and "Traceback" in text and "disk on fire" in text
    assert log.stat().st_mode & 0o777 == 0o600


def test_an_unexpected_page_error_shows_the_incident_message(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOV_RAISE_UNEXPECTED", raising=False)
    monkeypatch.setenv("INCIDENT_LOG", str(tmp_path / "incidents.log"))
    get_settings.cache_clear()
    monkeypatch.setattr("governance_app.incidents.LOGGER.handlers", [])
    monkeypatch.setattr("governance_app.ui.account_sidebar", lambda: 1 / 0)
    at = sign_in(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60))
    at.run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    found = INCIDENT.search(shown)
    assert found and "ZeroDivisionError" not in shown
    assert f"incident {found[1]}" in (tmp_path / "incidents.log").read_text(encoding="utf-8")
