"""Build a document of a kind and render it in the asked formats.

Generating a document needs the ``report.generate`` permission (the documents print personal
data: birth dates, names with extensions); the board's document (``board``, no personal data)
needs ``report.board``, which every role has. ``build`` and ``write`` check it before reading.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from governance_app.core.auth import Actor, may, require
from governance_app.core.db import session
from governance_app.report.audit import build_audit_report
from governance_app.report.board_pack import build_board_report
from governance_app.report.budget_report import build_budget_report
from governance_app.report.business import build_business_report
from governance_app.report.docx import render_docx
from governance_app.report.hwpx import render_hwpx
from governance_app.report.pdf import render_pdf
from governance_app.report.tree import Document
from governance_app.report.xlsx import render_xlsx

GENERATE = "report.generate"
BOARD = "report.board"
# kind -> builder(session, actor, round code or None for the current round, as_of or None for the
# round's default 기준일); the actor decides what personal data the document may print
KINDS: dict[str, Callable[[Session, Actor, str | None, date | None], Document]] = {
    "business": build_business_report,
    "audit": lambda s, _actor, code, _as_of: build_audit_report(s, code),
    "budget": lambda s, actor, code, as_of: build_budget_report(s, as_of, actor=actor, round_code=code),
    "board": build_board_report,
}
# the permission each kind needs (GENERATE unless listed)
PERMISSION = {"board": BOARD}
RENDERERS: dict[str, Callable[[Document], bytes]] = {
    "pdf": render_pdf,
    "docx": render_docx,
    "hwpx": render_hwpx,
    "xlsx": render_xlsx,
}
# the documents a submitted round keeps: what goes to the council (the workbook is made from them)
SUBMITTED_FORMATS = ("pdf", "docx", "hwpx")
MIME_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "hwpx": "application/hwp+zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FILE_STEMS = {
    "business": "주요업무보고",
    "audit": "행정사무감사_처리결과",
    "budget": "예산집행현황",
    "board": "이사회_현황자료",
}


def permission(kind: str) -> str:
    """The action an actor needs to make (or fetch the stored) document of ``kind``."""
    return PERMISSION.get(kind, GENERATE)


def kinds_for(actor: Actor) -> list[str]:
    """The document kinds ``actor`` may make, in KINDS order."""
    return [kind for kind in KINDS if may(actor, permission(kind))]


def build(
    engine: Engine, kind: str, *, actor: Actor, round_code: str | None = None, as_of: date | None = None
) -> Document:
    """The document of ``kind`` from the database; PermissionDeniedError unless ``actor`` may generate it.
    Budget execution as of ``as_of`` (a recorded snapshot date; budget.UnknownAsOfError otherwise),
    by default the latest recorded snapshot of the round's year."""
    with session(engine) as s:
        return build_in(s, kind, actor=actor, round_code=round_code, as_of=as_of)


def build_in(
    s: Session, kind: str, *, actor: Actor, round_code: str | None = None, as_of: date | None = None
) -> Document:
    """``build`` in the caller's session (freezing a round builds its documents in its own transaction)."""
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}; choose from {', '.join(KINDS)}")
    require(actor, permission(kind))
    return KINDS[kind](s, actor, round_code, as_of)


def render(document: Document, fmt: str) -> bytes:
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(RENDERERS)}")
    return RENDERERS[fmt](document)


def file_name(kind: str, fmt: str, label: str) -> str:
    return f"{FILE_STEMS[kind]}_{label}.{fmt}"


def write(
    engine: Engine,
    kind: str,
    formats: list[str],
    out: Path,
    label: str,
    *,
    actor: Actor,
    round_code: str | None = None,
    as_of: date | None = None,
) -> list[Path]:
    document = build(engine, kind, actor=actor, round_code=round_code, as_of=as_of)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = out / file_name(kind, fmt, label)
        path.write_bytes(render(document, fmt))
        written.append(path)
    return written
