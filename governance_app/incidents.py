"""Unexpected errors: the user gets a short Korean message with an incident id, the server log
gets the id with the traceback. No traceback, source path or SQL reaches a user.

``record`` writes the traceback to ``INCIDENT_LOG`` (default ``var/incidents.log``, mode 600) and,
in the app server (``echo=True``), to the process's stderr, which is the Streamlit server's log;
the CLI keeps it out of the user's terminal.
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import traceback

from governance_app.core import clock
from governance_app.core.settings import get_settings

LOGGER = logging.getLogger("governance_app.incident")


def message(incident: str) -> str:
    return f"예기치 않은 오류가 발생했습니다 (사건 번호 {incident}). 관리자에게 이 번호를 알려 주세요."


def _file_handler() -> logging.Handler | None:
    path = get_settings().incident_log
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.close(fd)
        return logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None  # a read-only deployment: stderr still has it


def _logger() -> logging.Logger:
    if not LOGGER.handlers:
        LOGGER.addHandler(_file_handler() or logging.StreamHandler())
        LOGGER.setLevel(logging.ERROR)
        LOGGER.propagate = False
    return LOGGER


def record(exc: BaseException, where: str = "", *, echo: bool = False) -> str:
    """Log ``exc`` with its traceback under a new incident id (also to stderr with ``echo``);
    returns the id."""
    incident = clock.now_utc().strftime("%Y%m%d") + "-" + secrets.token_hex(3).upper()
    trace = "".join(traceback.format_exception(exc)).rstrip()
    text = f"incident {incident}{f' ({where})' if where else ''}\n{trace}"
    _logger().error("%s", text)
    if echo:
        print(text, file=sys.stderr, flush=True)
    return incident
