"""The 변경 이력 page in AppTest: a change made through a service shows with its old and new value,
the filters, the hash-chain check (intact and tampered), and the refusal of a board session."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel
from streamlit.testing.v1 import AppTest

from governance_app.core import changelog
from governance_app.core.auth import Actor
from governance_app.core.db import session
from governance_app.core.i18n import TABLE_LABELS, table_label
from governance_app.core.settings import ROOT
from tests.helpers import PLANNER, sign_in, wipe
from tests.helpers.editing import edit_amount
from tests.helpers.log import altered, head, tamper
from tests.helpers.pages import shown

PAGE = str(ROOT / "governance_app" / "pages" / "history.py")
AUDITOR = Actor("test-auditor", "auditor")
COLUMNS = ["번호", "일시", "사용자", "역할", "작업", "표", "자료", "바뀐 내용 (이전 → 이후)"]
LINE_2025 = "상담정보시스템 운영 · 2025년 · 본예산"  # exp.1.1.1/2025/0 in words


def run(actor: Actor) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    sign_in(at, actor)
    at.run()
    assert not at.exception, at.exception
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def tables(at: AppTest) -> list[pd.DataFrame]:
    """The page's tables in order: the record's history (when one record is chosen), then the recent changes."""
    frames = [f.value for f in at.dataframe]
    assert all(list(frame.columns) == COLUMNS for frame in frames)
    return frames


def test_an_edit_shows_who_changed_what_from_what_to_what(engine: Engine) -> None:
    edit_amount(engine, "1630927")
    with session(engine) as s:
        [newest] = changelog.recent(s, PLANNER, 1)
    at = run(AUDITOR)
    assert at.title[0].value == "변경 이력"
    [recent] = tables(at)
    first = recent[recent["자료"] == LINE_2025].iloc[0].to_dict()
    local = newest.at + timedelta(hours=9)  # KST
    assert first == {
        "번호": newest.seq,
        "일시": f"'{local:%y}. {local.month}. {local.day}. {local:%H:%M}",
        "사용자": "test-planner",
        "역할": "기획조정실",
        "작업": "수정",
        "표": "연도별 예산액",
        "자료": LINE_2025,
        "바뀐 내용 (이전 → 이후)": "금액: 1630926 → 1630927",
    }
    assert re.fullmatch(r"'\d\d\. \d{1,2}\. \d{1,2}\. \d\d:\d\d", first["일시"])
    assert recent["번호"].tolist() == sorted(recent["번호"].tolist(), reverse=True)  # newest first
    assert len(recent) == 100  # the default: the newest 100 of the seed's import and the edit


def test_filters_by_table_and_record_and_shows_the_record_history(engine: Engine) -> None:
    edit_amount(engine, "1630927")
    edit_amount(engine, "1630928")
    at = run(PLANNER)
    at.selectbox(key="history_table").set_value("budget_amount")
    at.text_input(key="history_key").set_value("상담정보시스템 운영 · 2025")  # the record by its name
    rerun(at)
    record, recent = tables(at)
    assert set(recent["표"]) == {"연도별 예산액"} and set(recent["자료"]) == {LINE_2025}
    assert recent["바뀐 내용 (이전 → 이후)"].tolist()[:2] == ["금액: 1630927 → 1630928", "금액: 1630926 → 1630927"]
    # the record's whole history, oldest first
    assert (
        record["작업"].tolist()[0] == "생성"
        and record["바뀐 내용 (이전 → 이후)"].tolist()[-1] == "금액: 1630927 → 1630928"
    )
    assert any(f"연도별 예산액 · {LINE_2025}: 전체 이력" in h.value for h in at.subheader)
    assert "exp.1.1.1" not in " ".join(str(v) for f in (record, recent) for v in f.to_numpy().ravel())

    at.text_input(key="history_key").set_value("no-such-record")
    rerun(at)
    assert [i.value for i in at.info] == ["조건에 맞는 변경 이력이 없습니다."]


def test_the_hash_chain_check_passes_on_an_untouched_log(engine: Engine) -> None:
    at = run(Actor("test-finance", "finance"))
    at.button(key="history_verify").click()
    rerun(at)
    [success] = at.success
    assert success.value.startswith(f"해시 체인이 온전합니다: 항목 {head(engine):,}건, 마지막 {head(engine)}번")
    assert not at.error


@pytest.fixture
def tamperable(engine: Engine) -> Iterator[Engine]:
    yield engine
    wipe(engine)  # the tampered log must not reach the next test


def test_the_hash_chain_check_names_an_altered_entry(tamperable: Engine) -> None:
    k = head(tamperable) // 2
    tamper(tamperable, *altered(tamperable, k))
    at = run(PLANNER)
    at.button(key="history_verify").click()
    rerun(at)
    [error] = at.error
    assert error.value.startswith("변경 이력이 훼손되었습니다: 문제 1건")
    assert f"- [MAC(키)] {k}번 항목의 내용이 MAC(키)와 맞지 않습니다: 변경되었거나 위조되었습니다" in shown(error.value)


def test_a_board_session_is_refused(engine: Engine) -> None:
    at = run(Actor("test-board", "board"))
    [error] = at.error
    assert "변경 이력을 볼 권한이 없습니다" in error.value
    assert not at.dataframe and not at.button and not at.selectbox


def test_every_logged_table_has_a_korean_name() -> None:
    logged = set(SQLModel.metadata.tables) - set(changelog.LOG_TABLES)
    assert logged - set(TABLE_LABELS) == set()
    assert table_label("budget_amount") == "연도별 예산액 (budget_amount)"  # the 자료 편집 list names the file too
