"""Streamlit glue shared by the pages, in four parts re-exported here (pages write ``ui.X``):

- ``cache``: one engine per process, the data revision, cached reads (``cached``, ``frozen``,
  ``derived``)
- ``session``: who is signed in (``sign_in``, ``signed_in_actor``, ``actor``, the sidebar);
- ``markdown``: stored text shown literally in markdown;
- ``widgets``: charts and tables built once per shared value, the one file uploader;
- ``round_choice``: the round chosen in the sidebar (``current``), read-only when submitted.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from governance_app.ui import cache, markdown, round_choice, session, widgets
from governance_app.ui.cache import (
    CACHE_MAX_ENTRIES,
    CACHE_TTL_SECONDS,
    DERIVED_MAX_ENTRIES,
    cached,
    db,
    derived,
    engine,
    frozen,
    invalidate,
    revision,
    sync_revision,
)
from governance_app.ui.markdown import markdown_cell, markdown_lines, markdown_text, plain
from governance_app.ui.round_choice import ROUND_KEY, current, read_only, read_only_notice, round_sidebar, rounds
from governance_app.ui.session import (
    AUTH_KEY,
    AUTH_NOTICE_KEY,
    account_sidebar,
    actor,
    personal_data_allowed,
    sign_in,
    sign_out,
    signed_in_actor,
)
from governance_app.ui.widgets import (
    FIGURE_MAX_ENTRIES,
    ROW_PX,
    _table_parts,
    chart,
    figure,
    file_upload,
    findings_table,
    korean_uploader,
    table,
    upload_rules,
)

__all__ = [
    "AUTH_KEY",
    "AUTH_NOTICE_KEY",
    "CACHE_MAX_ENTRIES",
    "CACHE_TTL_SECONDS",
    "DERIVED_MAX_ENTRIES",
    "FIGURE_MAX_ENTRIES",
    "ROUND_KEY",
    "ROW_PX",
    "_table_parts",
    "account_sidebar",
    "actor",
    "cache",
    "cached",
    "chart",
    "current",
    "db",
    "derived",
    "engine",
    "figure",
    "file_upload",
    "findings_table",
    "frozen",
    "invalidate",
    "korean_uploader",
    "markdown",
    "markdown_cell",
    "markdown_lines",
    "markdown_text",
    "personal_data_allowed",
    "plain",
    "read_only",
    "read_only_notice",
    "revision",
    "round_choice",
    "round_sidebar",
    "rounds",
    "session",
    "sign_in",
    "sign_out",
    "signed_in_actor",
    "sync_revision",
    "table",
    "upload_rules",
    "widgets",
]

_PARTS = (cache, session, markdown, widgets, round_choice)


class _Package(types.ModuleType):
    """Setting ``ui.X`` (a test's monkeypatch) sets X in the part that defines it too, where the
    other functions look it up."""

    def __setattr__(self, name: str, value: Any) -> None:
        for part in _PARTS:
            if name in vars(part):
                setattr(part, name, value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
