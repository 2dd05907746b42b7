"""One typed settings object, read from the environment (prefix-free ``DATABASE_URL``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE = ROOT / "var" / "governance.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{DEFAULT_SQLITE}"
    data_dir: Path = ROOT / "data"
    exports_dir: Path = ROOT / "exports"
    # A signed-in session ends after this long without a page run (idle) or this long after the
    # sign-in (absolute), whichever comes first (governance_app.ui.signed_in_actor).
    session_idle_minutes: float = Field(default=30, gt=0)
    session_max_hours: float = Field(default=8, gt=0)
    # The account behind a session is read again when this many seconds passed since the last read
    # or when anything was saved in this process (0: on every page run); a burst of widget reruns
    # then costs no query, and an account disabled from the CLI is out within these seconds.
    session_recheck_seconds: float = Field(default=5, ge=0)
    # Sign-in throttling (governance_app.throttle): after this many wrong passwords in a row for one
    # sign-in name (stored in the database), or from one client address (this process's memory),
    # sign-in waits SIGNIN_FIRST_WAIT_SECONDS, doubled at each further failure up to
    # SIGNIN_MAX_WAIT_MINUTES; a streak without a failure for SIGNIN_FORGET_HOURS is forgotten.
    signin_account_failures: int = Field(default=5, ge=1)
    signin_client_failures: int = Field(default=20, ge=1)
    signin_first_wait_seconds: float = Field(default=30, gt=0)
    signin_max_wait_minutes: float = Field(default=15, gt=0)
    signin_forget_hours: float = Field(default=24, gt=0)
    # Behind a reverse proxy every connection comes from the proxy: name the header it sets
    # (X-Forwarded-For: its last address; X-Real-IP) so clients are told apart. Empty: the
    # connection's own address. Only set it when the app is reachable through the proxy alone.
    signin_client_header: str = ""
    # `serve` (make run) creates one demo account per role on first start and keeps their random
    # passwords in demo_users_file (mode 600); false creates none (governance_app.bootstrap).
    demo_users: bool = True
    demo_users_file: Path = ROOT / "var" / "demo-users.txt"
    # Unexpected errors: the traceback goes here (and to the server's stderr) under an incident
    # id; the user sees only a short Korean message with the id (governance_app.incidents).
    incident_log: Path = ROOT / "var" / "incidents.log"
    # The change log's HMAC key (governance_app.core.logkey): LOG_KEY, else a file created at first
    # start (mode 600); and the local anchor of the log's head.
    log_key: str | None = None
    log_key_file: Path = ROOT / "var" / "log.key"
    log_anchor_file: Path = ROOT / "var" / "log-anchor.json"
    # Every "today" and every time shown is in this zone (governance_app.core.clock), not the
    # server's: a server on UTC would date a sign-off at 00:50 in Seoul the day before.
    timezone: str = "Asia/Seoul"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {name!r} (an IANA name such as Asia/Seoul)") from exc
        return name

    @field_validator("database_url")
    @classmethod
    def _normalise_url(cls, url: str) -> str:
        # Accept the libpq-style scheme and pick the psycopg 3 driver we ship.
        if url.startswith("postgres://"):
            url = "postgresql://" + url.removeprefix("postgres://")
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url


@lru_cache
def get_settings() -> Settings:
    return Settings()
