"""Every page of every role, each lazy tab opened, rendered through the entry point: no table name,
no column name, no internal code (exp.1.1.1, ex.1.1.1, 2024-admin/…) and no particle placeholder (a
particle written with its alternative in parentheses) reaches the screen.

Left out, on purpose: the 자료 편집 page's editor grid, which edits a table's CSV columns by their
file names; a data editor's hidden key column (column_config None: in the data, not drawn); and the
planning office's 원문 복원 기록 on 자료 검증, whose values are the raw cells restored and whose
reasons the seed still writes in English (not yet translated)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel
from streamlit.testing.v1 import AppTest

from governance_app import navigation
from governance_app.core.auth import Actor
from governance_app.core.settings import ROOT
from tests.helpers import sign_in
from tests.helpers.pages import lazy_tabs

APP = str(ROOT / "streamlit_app.py")
ROLES = {
    "planning": Actor("walk-planning", "planning"),
    "finance": Actor("walk-finance", "finance"),
    "auditor": Actor("walk-auditor", "auditor"),
    "department": Actor("walk-dept", "department", "스마트전산부"),
    "board": Actor("walk-board", "board"),
}
CODE = re.compile(r"\bexp?\.\d+(\.\d+)*|\b20\d\d-admin/")
PLACEHOLDER = re.compile(r"\(으\)로|을\(를\)|이\(가\)|은\(는\)|와\(과\)|과\(와\)")
TABLES = {t for t in SQLModel.metadata.tables}
COLUMNS = {c.name for t in SQLModel.metadata.tables.values() for c in t.columns if "_" in c.name}
IDENTIFIERS = re.compile(r"\b(" + "|".join(sorted(TABLES | COLUMNS, key=len, reverse=True)) + r")\b")
TEXT_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "text", "success", "error", "warning", "info")
WIDGETS = ("button", "selectbox", "text_input", "date_input", "radio")
HIDDEN_KEY_COLUMNS = {"코드"}  # data editors keep the line code to match rows; column_config hides it
# A Latin word on a Korean screen is English left over, unless it is a proper name, a file format, a
# unit or an abbreviation Korean public documents write in Latin letters.
LATIN_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z][A-Za-z\-]*[A-Za-z]|(?<![A-Za-z0-9])[A-Za-z](?![A-Za-z])")
MARKDOWN_DIRECTIVE = re.compile(r":[a-z]+(-[a-z]+)*\[")  # Streamlit's :gray[...] and :red-badge[...]
ALLOWED_LATIN = {
    # file formats
    "PDF",
    "DOCX",
    "HWPX",
    "XLSX",
    "CSV",
    "UTF",
    "CP",
    "xlsx",
    "csv",
    "docx",
    "hwpx",
    "pdf",
    # abbreviations the foundation's documents use
    "ESG",
    "ARS",
    "ID",
    "KPI",
    "IT",
    "AI",
    "STT",
    "SMS",
    "FAQ",
    "VOC",
    "CS",
    "QA",
    "ICT",
    "ISO",
    "IoT",
    "HRD",
    "SHA",
    "E",
    "S",
    "G",
    "N",
    "CEO",
    "MOU",
    "TF",
    "OJT",
    "PC",
    "DB",
    "URL",
    "e",
    "ppt",
    # units
    "MB",
    "KB",
    "p",
}


def shown_text(at: AppTest, page: str) -> str:
    parts = [
        str(e.value)
        for kind in (
            "title",
            "header",
            "subheader",
            "markdown",
            "caption",
            "text",
            "success",
            "error",
            "warning",
            "info",
        )
        for e in getattr(at, kind)
    ]
    parts += [f"{m.label} {m.value} {m.proto.help}" for m in at.metric]
    parts += [
        w.label for kind in ("button", "selectbox", "text_input", "date_input", "radio") for w in getattr(at, kind)
    ]
    parts += [o for s in at.selectbox for o in s.options] + [o for r in at.radio for o in r.options]
    parts += [p.proto.label for p in at.get("page_link")]
    if page != "edit":  # the editor grid names a table's CSV columns (see the module docstring)
        for frame in at.dataframe:
            if page == "quality" and "사유" in frame.value.columns:
                continue  # the register of the seed's restoration (see the module docstring)
            value = frame.value.drop(columns=[c for c in frame.value.columns if c in HIDDEN_KEY_COLUMNS])
            parts.append(value.to_csv(index=False))
    return "\n".join(parts)


def every_view(at: AppTest, page: str) -> str:
    texts = [shown_text(at, page)]
    for key, labels in lazy_tabs(at).items():
        for label in labels[1:]:
            at.session_state[key] = label
            at.run()
            assert not at.exception, (page, label, at.exception)
            texts.append(shown_text(at, page))
    return "\n".join(texts)


@pytest.mark.parametrize("role", list(ROLES))
def test_no_internal_name_or_placeholder_on_any_page(engine: Engine, role: str) -> None:
    actor = ROLES[role]
    found: dict[str, list[str]] = {}
    for names in navigation.sections_for(actor).values():
        for page in names:
            at = sign_in(AppTest.from_file(APP, default_timeout=60), actor)
            at.run()
            at.switch_page(f"governance_app/pages/{page}.py").run()
            assert not at.exception, (page, at.exception)
            text = every_view(at, page)
            hits = {m.group(0) for m in CODE.finditer(text)}
            hits |= set(PLACEHOLDER.findall(text))
            hits |= {m.group(0) for m in IDENTIFIERS.finditer(text)}
            if hits:
                found[page] = sorted(hits)
    assert found == {}


@pytest.mark.parametrize("role", list(ROLES))
def test_no_english_word_on_any_page(engine: Engine, role: str) -> None:
    actor = ROLES[role]
    found: dict[str, list[str]] = {}
    for names in navigation.sections_for(actor).values():
        for page in names:
            at = sign_in(AppTest.from_file(APP, default_timeout=60), actor)
            at.run()
            at.switch_page(f"governance_app/pages/{page}.py").run()
            assert not at.exception, (page, at.exception)
            text = MARKDOWN_DIRECTIVE.sub("[", every_view(at, page)).replace(actor.username, "")
            words = {m.group(0) for m in LATIN_WORD.finditer(text)} - ALLOWED_LATIN
            if words:
                found[page] = sorted(words)
                print("ENGLISH", role, page, sorted(words))
                for w in sorted(words):
                    for m in re.finditer(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text):
                        print("   ", w, "::", text[max(0, m.start() - 60) : m.end() + 40].replace("\n", " "))
                        break
    assert found == {}
