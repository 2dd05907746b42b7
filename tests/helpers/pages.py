"""AppTest helpers: the pages, their text, their lazy tab groups, a page run as an actor."""

from __future__ import annotations

import re

from streamlit.runtime.state.common import user_key_from_element_id
from streamlit.testing.v1 import AppTest

from governance_app.core.auth import Actor
from governance_app.core.settings import ROOT
from tests.helpers import sign_in

PAGES = [
    "overview",
    "institution",
    "calls",
    "staffing",
    "board",
    "budget",
    "major_work",
    "timeline",
    "esg",
    "audit",
    "quality",
    "edit",
    "rounds",
    "reports",
]


# CommonMark shows a backslash-escaped ASCII punctuation mark as the mark itself: the text a user reads
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


# the AppTest element kinds that hold text a page shows
TEXT_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "text", "success", "error", "warning", "info")


def shown(value: object) -> str:
    """An element's markdown as the page shows it: backslash escapes (ui.markdown_text) removed."""
    return _ESCAPED.sub(r"\1", str(value))


def page_text(at: AppTest) -> str:
    parts = [shown(e.value) for kind in TEXT_ELEMENTS for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    return "\n".join(str(p) for p in parts)


def lazy_tabs(at: AppTest) -> dict[str, list[str]]:
    """The page's keyed tab groups (st.tabs with on_change: only the open tab runs): key -> labels."""
    found: dict[str, list[str]] = {}

    def walk(node: object) -> None:
        if getattr(node, "type", None) == "tab_container":
            key = user_key_from_element_id(node.proto.id)  # type: ignore[attr-defined]
            if key:
                found[key] = [tab.label for tab in node.children.values()]  # type: ignore[attr-defined]
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return found


def open_tab(at: AppTest, key: str, label_start: str) -> AppTest:
    """``at`` rerun with the tab of the lazy tab group ``key`` whose label starts with ``label_start`` open."""
    labels = lazy_tabs(at)[key]
    at.session_state[key] = next(label for label in labels if label.startswith(label_start))
    at.run()
    assert not at.exception, at.exception
    return at


def page(name: str, actor: Actor) -> AppTest:
    at = sign_in(AppTest.from_file(str(ROOT / "governance_app" / "pages" / f"{name}.py"), default_timeout=60), actor)
    at.run()
    assert not at.exception, at.exception
    return at


def open_work_editor(at: AppTest) -> AppTest:
    """The 주요업무 page rerun with its 추진 실적 수정 expander open (lazy: its form runs only then)."""
    # the planning office also has 항목·추진계획 편집 (tests/test_work_upkeep.py)
    labels = [e.label for e in at.expander]
    assert labels in (["추진 실적 수정"], ["추진 실적 수정", "항목·추진계획 편집"])
    at.session_state["work_edit"] = True
    at.run()
    assert not at.exception, at.exception
    return at
