"""The pages' read cache (governance_app.ui, both databases): ``cached`` hands every caller its own
copy, ``frozen`` one read-only object shared by all, ``derived``, ``table`` and ``figure`` build
once per shared value, a commit makes all of it fresh, and a cached chart is sent exactly as
Streamlit would send a freshly built one."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import uuid
from pathlib import Path
from types import MappingProxyType
from typing import Any

import plotly.io
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from calls import service as calls
from calls.charts import channel_mix_chart
from esg import service as esg
from esg.models import EsgFigure
from governance_app import ui
from governance_app.core import context
from governance_app.core.db import session
from governance_app.core.settings import ROOT
from tests.helpers import PLANNER, acting, sign_in


def org_id(engine: Engine) -> int:
    """The organisation's id, with the app's engine prepared (its first use per database migrates:
    a commit, so a new data revision)."""
    ui.engine()
    with session(engine) as s:
        return context.current(s).org_id


def test_frozen_reads_are_shared_and_read_only(engine: Engine) -> None:
    org = org_id(engine)
    first = ui.frozen(esg.figures, org)
    assert ui.frozen(esg.figures, org) is first  # no copy, no unpickling
    assert isinstance(first, tuple) and first
    with session(engine) as s:
        stored = esg.figures(s, org)
    assert [(f.code, f.fiscal_year, f.value, f.label) for f in first] == [
        (f.code, f.fiscal_year, f.value, f.label) for f in stored
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first[0].value = -1
    with pytest.raises((AttributeError, TypeError)):  # slots: no other attribute either
        first[0].other = 1

    counts = ui.frozen(calls.channel_table, org)  # frozen dataclasses holding dicts
    assert isinstance(counts[0].counts, MappingProxyType)
    with pytest.raises(TypeError):
        counts[0].counts["x"] = 1  # type: ignore[index]


def test_cached_reads_are_each_callers_own_copy(engine: Engine) -> None:
    org = org_id(engine)
    rows = ui.cached(esg.figures, org)  # stored rows: copied through pickle
    value = rows[0].value
    rows[0].value = -1
    rows.append(rows[0])
    again = ui.cached(esg.figures, org)
    assert again[0].value == value and len(again) == len(rows) - 1

    phone = ui.cached(calls.phone_performance, org)  # frozen dataclasses: a new list, shared rows
    assert ui.cached(calls.phone_performance, org) == phone
    assert ui.cached(calls.phone_performance, org) is not phone

    counts = ui.cached(calls.channel_table, org)  # a dict inside a frozen dataclass: copied too
    code = next(iter(counts[0].counts))
    counts[0].counts[code] = -1
    assert ui.cached(calls.channel_table, org)[0].counts[code] != -1

    assert ui.cached(context.current) is ui.cached(context.current)  # immutable: never copied


def test_a_commit_makes_frozen_and_derived_values_fresh(engine: Engine) -> None:
    org = org_id(engine)
    made: list[tuple] = []

    def values(figures: tuple) -> list[int]:
        made.append(figures)
        return [f.value for f in figures]

    before = ui.frozen(esg.figures, org)
    shown = ui.derived(values, before)
    assert ui.derived(values, ui.frozen(esg.figures, org)) is shown and len(made) == 1
    with acting(engine, PLANNER) as s:
        row = s.execute(select(EsgFigure).where(EsgFigure.code == "mental_health_check")).scalars().first()
        assert row is not None
        row.value += 1
        s.commit()
    after = ui.frozen(esg.figures, org)
    assert after is not before
    assert ui.derived(values, after) != shown and len(made) == 2

    as_list = list(after)  # not a shared value: computed on every call
    ui.derived(values, as_list)
    ui.derived(values, as_list)
    assert len(made) == 4


TABLE_PAGE = """
from esg import service as esg
from governance_app import ui


def rows(figures):
    return [{"값": f.value} for f in figures]


ui.table(ui.derived(rows, ui.frozen(esg.figures, ORG)), key="t")
"""


def test_tables_and_figures_are_built_once_per_shared_value(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    org = org_id(engine)
    built: list[str] = []
    parts = ui._table_parts

    def counted_parts(rows: Any) -> Any:
        built.append("table")
        return parts(rows)

    def chart(counts: tuple, channels: tuple, title: str) -> Any:
        built.append("figure")
        return channel_mix_chart(counts, channels).update_layout(title_text=title)

    # figures are kept by their arguments' value across databases too: a title of this run only
    x, y = uuid.uuid4().hex, uuid.uuid4().hex
    counts, channels = ui.frozen(calls.channel_table, org), ui.frozen(calls.channels, org)
    first = ui.figure(chart, counts, channels, x)
    assert ui.figure(chart, ui.frozen(calls.channel_table, org), ui.frozen(calls.channels, org), x) is first
    assert ui.figure(chart, counts, channels, y) is not first
    assert built == ["figure", "figure"]

    monkeypatch.setattr(ui, "_table_parts", counted_parts)
    script = tmp_path / "table_page.py"
    script.write_text(TABLE_PAGE.replace("ORG", str(org)), encoding="utf-8")
    figures = ui.frozen(esg.figures, org)
    built.clear()
    for _ in range(2):  # two sessions, each compiling the page: one Arrow table
        at = AppTest.from_file(str(script), default_timeout=30)
        at.run()
        at.run()
        assert not at.exception, at.exception
        assert at.dataframe[0].value["값"].tolist() == [f.value for f in figures]
    assert built == ["table"]


def test_a_cached_chart_is_sent_as_streamlit_sends_a_fresh_one(engine: Engine) -> None:
    org = org_id(engine)
    at = sign_in(AppTest.from_file(str(ROOT / "governance_app" / "pages" / "calls.py"), default_timeout=30), PLANNER)
    at.run()
    at.run()  # the second run sends the figure built by the first
    assert not at.exception, at.exception
    sent = at.get("plotly_chart")[0].proto.spec
    with session(engine) as s:
        fresh = channel_mix_chart(calls.channel_table(s, org), calls.channels(s, org))
    assert sent == plotly.io.to_json(fresh.to_dict(), validate=False)
    assert json.loads(sent)["layout"]["title"]["text"] == "상담채널별 상담건 수"


def test_stored_text_is_shown_literally_in_markdown() -> None:
    # a block start keeps its text: the punctuation is escaped (a backslash before a digit would show)
    assert ui.markdown_lines("2025. 8. 1. 개정\n- 휴가 처리\n  + 세부\n1) 항목") == (
        "2025\\. 8. 1. 개정  \n\\- 휴가 처리  \n\u00a0\u00a0\\+ 세부  \n1\\) 항목"
    )
    assert ui.markdown_lines("- 첫 줄\n- 둘째 줄", after_label=True) == "- 첫 줄  \n\\- 둘째 줄"
    assert ui.markdown_lines("120다산콜 | *굵게*") == "120다산콜 \\| \\*굵게\\*"
    assert ui.markdown_cell("  설문 |\n [보완] ") == "설문 \\| \\[보완\\]"
    assert ui.markdown_cell(None) == ""


def test_stored_text_makes_no_link_icon_emoji_or_entity() -> None:
    """Issue 13, 5.: URLs, e-mail addresses, shortcodes and entities in stored text stay text."""
    shown = ui.markdown_text(":smile: :material/warning: http://x.invalid/a www.x.invalid a@b.invalid &lt;b&gt;")
    assert shown == (
        "\\:smile\\: \\:material/warning\\: http\\://x.invalid/a www\\.x.invalid a\\@b.invalid \\&lt;b\\&gt;"
    )
    assert ui.markdown_cell('<img src=x onerror="1">.pdf') == '\\<img src=x onerror="1"\\>.pdf'


# The other process: an attributed ORM write, as every service makes (it appends to the change log).
OTHER_PROCESS = """
import sys
from sqlalchemy import select
from governance_app import domains  # every model, for the foreign keys
from esg.models import EsgFigure
from governance_app.core import changelog
from governance_app.core.auth import Actor
from governance_app.core.db import get_engine, session
with session(get_engine(sys.argv[1])) as s:
    changelog.attribute(s, Actor("other-process", "planning"))
    found = select(EsgFigure).where(EsgFigure.code == "mental_health_check", EsgFigure.fiscal_year == 2025)
    row = s.exec(found).scalar_one()
    row.value = 400
    s.commit()
"""


def test_a_save_in_another_process_shows_at_the_next_run(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two app processes on one database: a save in the other moves the change log's head, which
    every run reads (ui.sync_revision), so the next rerun reads afresh; nothing waits for the
    cache's expiry (made an hour here)."""
    monkeypatch.setattr(ui.cache, "CACHE_TTL_SECONDS", 3600)
    at = sign_in(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60))  # the app: every run
    at.run()
    at.switch_page("governance_app/pages/esg.py")
    at.run()
    assert next(m.value for m in at.metric if m.label == "마음건강검진") == "388명"
    head, revision = ui.sync_revision(), ui.revision()
    at.run()
    assert ui.revision() == revision  # a rerun with nothing saved: the same revision, no re-read
    url = engine.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", OTHER_PROCESS, url], cwd=ROOT, check=True, timeout=120)
    assert ui.revision() == revision  # no commit event reached this process
    at.run()
    assert not at.exception
    assert next(m.value for m in at.metric if m.label == "마음건강검진") == "400명"
    assert ui.revision() > revision and ui.sync_revision() == head + 1  # one change-log entry
