"""Audit follow-up calls as tests make them: status changes, notes, sign-offs and evidence
attachments of the 2024 행정사무감사 items, and the follow-up tables' rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.engine import Engine

from audit_followup import service as audit
from governance_app import store
from governance_app.core.auth import Actor
from governance_app.core.context import current
from governance_app.core.db import session

SESSION = "2024-admin"
PLANNER = Actor("planner-park", "planning")
AUDITOR = Actor("auditor-kim", "auditor")
AUDIT_TABLES = ("audit_item", "audit_status_change", "audit_progress_note", "audit_evidence", "audit_signoff")


def org_id(engine: Engine) -> int:
    with session(engine) as s:
        return current(s).org_id


def snapshot(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    with session(engine) as s:
        dataset = store.from_db(s)
    return {name: dataset[name].rows for name in AUDIT_TABLES}


def change(
    engine: Engine,
    code: str,
    expected: str,
    to: str,
    on: date,
    reason: str | None = None,
    actor: Actor = PLANNER,
) -> Any:
    with session(engine) as s:
        return audit.change_status(
            session=s,
            actor=actor,
            org_id=org_id(engine),
            session_code=SESSION,
            item_code=code,
            expected_status=expected,
            to_status=to,
            changed_on=on,
            reason=reason,
        )


def sign(
    engine: Engine,
    code: str,
    expected: str,
    actor: Actor = AUDITOR,
    *,
    comment: str | None = None,
    without_evidence: bool = True,
) -> Any:
    """A sign-off; the seed items have no evidence, so by default the auditor confirms signing
    without it."""
    with session(engine) as s:
        return audit.sign_off(
            session=s,
            actor=actor,
            org_id=org_id(engine),
            session_code=SESSION,
            item_code=code,
            expected_status=expected,
            comment=comment,
            without_evidence=without_evidence,
        )


def send_back(engine: Engine, code: str, expected: str, reason: str, actor: Actor = AUDITOR) -> Any:
    """보완 요구: the auditor sends a closed item back to its department."""
    with session(engine) as s:
        return audit.request_rework(
            session=s,
            actor=actor,
            org_id=org_id(engine),
            session_code=SESSION,
            item_code=code,
            expected_status=expected,
            reason=reason,
        )


def note(engine: Engine, code: str, as_of: date, text: str, actor: Actor = PLANNER) -> Any:
    with session(engine) as s:
        return audit.add_note(
            session=s, actor=actor, org_id=org_id(engine), session_code=SESSION, item_code=code, as_of=as_of, text=text
        )


def detail(engine: Engine, code: str, on: date = date(2025, 9, 1)) -> audit.ItemDetail:
    with session(engine) as s:
        found = audit.item_detail(s, org_id(engine), SESSION, code, on)
    assert found is not None
    return found


PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x01" * 64


def upload(engine: Engine, code: str, file_name: str, data: bytes, actor: Actor = PLANNER) -> audit.EvidenceInfo:
    with session(engine) as s:
        return audit.add_evidence(
            session=s,
            actor=actor,
            org_id=org_id(engine),
            session_code=SESSION,
            item_code=code,
            file_name=file_name,
            data=data,
        )


def download(engine: Engine, code: str, seq: int) -> audit.EvidenceFile:
    with session(engine) as s:
        return audit.evidence_file(s, org_id(engine), SESSION, code, seq)


def real_png(width: int = 40, height: int = 20) -> bytes:
    """A PNG image Pillow can read (the PNG above is only its signature)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def real_pdf(text: str = "evidence page 1", pages: int = 2) -> bytes:
    """A PDF of ``pages`` pages that poppler can draw (reportlab)."""
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    drawing = canvas.Canvas(out)
    for n in range(pages):
        drawing.drawString(100, 700, f"{text} ({n + 1})")
        drawing.showPage()
    drawing.save()
    return out.getvalue()
