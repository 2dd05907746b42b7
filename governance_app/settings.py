"""One typed settings object, read from the environment (prefix-free ``DATABASE_URL``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "var" / "governance.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{DEFAULT_SQLITE}"
    data_dir: Path = ROOT / "data"
    exports_dir: Path = ROOT / "exports"
    # Until sign-in lands (roles issue), everyone using the app acts with this role.
    default_role: str = "planning"

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
