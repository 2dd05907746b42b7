"""Every page of every role, each lazy tab opened, rendered through the entry point: no table name,
no column name, no internal code (exp.1.1.1, ex.1.1.1, 2024-admin/…) and no particle placeholder (a
particle written with its alternative in parentheses) reaches the screen.

No Latin word either, apart from file formats, units and the abbreviations and names the
foundation's own documents write in Latin letters (``ALLOWED_LATIN``), and no wording the screens
gave up ("최소제곱", "재임시", "요건 1~1명", "N일").

Left out, on purpose: the 자료 편집 page's editor grid, which edits a table's CSV columns by their
file names; a data editor's hidden key column (column_config None: in the data, not drawn); and the
raw cells of the planning office's 원문 복원 기록 on 자료 검증 (추출값, 복원값: the values as the
extraction garbled them and as restored). Its reasons, which the seed writes in English, are shown
in Korean (governance_app.correction_reasons) and are checked."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, select
from streamlit.testing.v1 import AppTest

from governance_app import navigation
from governance_app.core.auth import Actor
from governance_app.core.changelog import ChangeLogEntry
from governance_app.core.db import session
from governance_app.core.models import UserAccount
from governance_app.core.settings import ROOT
from tests.helpers import sign_in
from tests.helpers.pages import TEXT_ELEMENTS, lazy_tabs

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
WIDGETS = ("button", "selectbox", "text_input", "date_input", "radio")
HIDDEN_KEY_COLUMNS = {"코드"}  # data editors keep the line code to match rows; column_config hides it
RAW_CELLS = {"추출값", "복원값"}  # the 원문 복원 기록's raw cells, as extracted and as restored
# A Latin word on a Korean screen is English left over, unless it is a file format, a unit, or an
# abbreviation or name the foundation's documents (and so the seed) write in Latin letters.
LATIN_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z](?:[A-Za-z-]*[A-Za-z])?(?![A-Za-z])")
ALLOWED_LATIN = {
    # file formats and units
    *("PDF", "DOCX", "HWPX", "XLSX", "CSV", "UTF", "CP", "MB", "KB", "SHA", "ID", "p"),  # p: %p
    # abbreviations of the foundation's documents (as the report prints them)
    *("ESG", "E", "S", "G", "ARS", "KPI", "AI", "STT", "SNS", "API", "OPEN", "CI", "EAP", "RPA", "ISP"),
    *("KSQI", "MZ", "VOC", "CPD", "DB"),
}
# spelled out in Latin letters in the council's requests, as the report prints them
ALLOWED_PHRASES = ("Call Per Day", "Voice Of Citizen")
# a phrase's head in a shortened cell: "VOC(Voice Of …" (the audit list's 요구사항)
SHORTENED_PHRASE = re.compile(
    "|".join(re.escape(p[:k].rstrip()) + r"\s?…" for p in ALLOWED_PHRASES for k in range(2, len(p)))
)
PAGE_LATIN = {"edit": {"true", "false"}}  # the editor's cells are CSV text: 참·거짓 are written true·false
AUDIT_ITEM = re.compile(r"(?<![A-Za-z])[A-Z]-\d{2}(?!\d)")  # R-01, O-04, S-07: the council's item numbers
MARKDOWN_DIRECTIVE = re.compile(r":[a-z]+(?:-[a-z]+)*\[")  # Streamlit's :gray[...] and :red-badge[...]
# wording the screens gave up: 최소제곱 (추세선), 재임시 (당연직, 재임 기간 동안), a range with equal
# ends ("요건 1~1명": 1명), a count left as N ("N일 이내 만료")
GIVEN_UP = re.compile(r"최소제곱|재임시|(?<!\d)(\d+)~\1명|(?<![A-Za-z])N일")


def shown_text(at: AppTest, page: str) -> str:
    parts = [str(e.value) for kind in TEXT_ELEMENTS for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.proto.help}" for m in at.metric]
    parts += [
        w.label for kind in ("button", "selectbox", "text_input", "date_input", "radio") for w in getattr(at, kind)
    ]
    parts += [o for s in at.selectbox for o in s.options] + [o for r in at.radio for o in r.options]
    parts += [p.proto.label for p in at.get("page_link")]
    if page != "edit":  # the editor grid names a table's CSV columns (see the module docstring)
        for frame in at.dataframe:
            hidden = HIDDEN_KEY_COLUMNS | (RAW_CELLS if page == "quality" and "사유" in frame.value.columns else set())
            value = frame.value.drop(columns=[c for c in frame.value.columns if c in hidden])
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


def usernames(engine: Engine) -> set[str]:
    """Every account and change-log author: user names are identifiers, shown as they are."""
    with session(engine) as s:
        return {a.username for a in s.exec(select(UserAccount))} | {e.actor for e in s.exec(select(ChangeLogEntry))}


@pytest.mark.parametrize("role", list(ROLES))
def test_no_english_word_or_given_up_wording_on_any_page(engine: Engine, role: str) -> None:
    actor = ROLES[role]
    names = sorted(usernames(engine) | {actor.username}, key=len, reverse=True)
    found: dict[str, list[str]] = {}
    for section in navigation.sections_for(actor).values():
        for page in section:
            at = sign_in(AppTest.from_file(APP, default_timeout=60), actor)
            at.run()
            at.switch_page(f"governance_app/pages/{page}.py").run()
            assert not at.exception, (page, at.exception)
            text = MARKDOWN_DIRECTIVE.sub("[", every_view(at, page))
            # a shortened cell ("… Voice Of…", the audit list's 요구사항) keeps only the phrase's head
            for name in (*names, *ALLOWED_PHRASES):
                text = text.replace(name, " ")
            text = SHORTENED_PHRASE.sub(" ", text)
            text = AUDIT_ITEM.sub(" ", text)
            words = {m.group(0) for m in LATIN_WORD.finditer(text)} - ALLOWED_LATIN - PAGE_LATIN.get(page, set())
            words |= {m.group(0) for m in GIVEN_UP.finditer(text)}
            if words:
                found[page] = sorted(words)
    assert found == {}
