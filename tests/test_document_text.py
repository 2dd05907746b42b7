"""Documents never fail on stored text (issue 13, 3.): a vertical tab or NUL that reached the
database (typed before the input boundary existed, or written around it) no longer stops the
DOCX, and so the 보고서 page, from offering any document."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from governance_app.report.build import RENDERERS, build, render
from governance_app.report.layout import printable
from tests.helpers import PLANNER

STORED = "1차 조치\x0b완료\x00 (보고)\r\n후속\x1f 점검\ufffe"


def test_printable_keeps_text_and_drops_what_no_format_holds() -> None:
    assert printable(STORED) == "1차 조치완료 (보고)\n후속 점검"
    assert printable("가\t나\n다") == "가\t나\n다"


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_every_format_renders_stored_control_characters(engine: Engine, fmt: str) -> None:
    stored = STORED if engine.dialect.name == "sqlite" else STORED.replace("\x00", "")  # PostgreSQL refuses NUL
    with engine.begin() as connection:  # around the ORM, as old data or a database tool would
        connection.execute(
            text("UPDATE audit_item SET actions = :a WHERE code = (SELECT MIN(code) FROM audit_item)"), {"a": stored}
        )
    data = render(build(engine, "audit", actor=PLANNER), fmt)
    assert len(data) > 1000
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            body = archive.read("word/document.xml").decode()
        assert "1차 조치완료 (보고)" in body and "\x0b" not in body
