"""Build a document of a kind and render it in the asked formats.

Generating a document needs the ``report.generate`` permission (the documents print personal
data: birth dates, names with extensions); ``build`` and ``write`` check it before reading.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from governance_app.core.auth import Actor, require
from governance_app.core.db import session
from governance_app.report.audit import build_audit_report
from governance_app.report.budget_report import build_budget_report
from governance_app.report.business import build_business_report
from governance_app.report.docx import render_docx
from governance_app.report.pdf import render_pdf
from governance_app.report.tree import Document

GENERATE = "report.generate"
# kind -> builder(session, actor, as_of); the actor decides what personal data the document may
# print, as_of the execution snapshot it shows (None: the latest recorded)
KINDS: dict[str, Callable[[Session, Actor, date | None], Document]] = {
    "business": build_business_report,
    "audit": lambda s, _actor, _as_of: build_audit_report(s),
    "budget": lambda s, actor, as_of: build_budget_report(s, as_of, actor=actor),
}
RENDERERS: dict[str, Callable[[Document], bytes]] = {"pdf": render_pdf, "docx": render_docx}
FILE_STEMS = {"business": "주요업무보고", "audit": "행정사무감사_처리결과", "budget": "예산집행현황"}


def build(engine: Engine, kind: str, *, actor: Actor, as_of: date | None = None) -> Document:
    """The document of ``kind`` from the database; PermissionDeniedError unless ``actor`` may generate it.
    Budget execution as of ``as_of`` (a recorded snapshot date; budget.UnknownAsOfError otherwise),
    the latest recorded snapshot by default."""
    require(actor, GENERATE)
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}; choose from {', '.join(KINDS)}")
    with session(engine) as s:
        return KINDS[kind](s, actor, as_of)


def render(document: Document, fmt: str) -> bytes:
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(RENDERERS)}")
    return RENDERERS[fmt](document)


def file_name(kind: str, fmt: str, label: str) -> str:
    return f"{FILE_STEMS[kind]}_{label}.{fmt}"


def write(
    engine: Engine, kind: str, formats: list[str], out: Path, label: str, *, actor: Actor, as_of: date | None = None
) -> list[Path]:
    document = build(engine, kind, actor=actor, as_of=as_of)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = out / file_name(kind, fmt, label)
        path.write_bytes(render(document, fmt))
        written.append(path)
    return written
