"""Benchmark: warm rerun time of every page against a bare one-line Streamlit page.

    .venv/bin/python bench/pages.py [--reruns 10] [--compile-each-run] [PAGE ...]

Uses a fresh SQLite database loaded from data/ (DATABASE_URL points at a temporary file and
``governance_app.cli.init_db`` loads it). Every page file in governance_app/pages/ runs in
Streamlit's AppTest in this process: one cold run, then ``--reruns`` reruns of the same session;
"warm" is the median rerun. The bare page (a temporary file holding ``st.write("x")``) is rerun
alternately with each page, so both see the same machine load; the ratio divides the page's
median by the bare median taken beside it. Target: every page within 2x the bare page.

Each page runs signed in as a planning-office user (``ui.AUTH_KEY`` in the session state, as the
sign-in page sets it, for an account created through ``governance_app.accounts.add_user``), the
role that sees every section and form.

The server compiles a page once per process (its ``ScriptCache`` lives in the runtime), while
AppTest creates a new cache, and so parses, rewrites for "magic" and compiles the page again, on
every run: 2-14 ms for the larger pages, more than the whole bare page. The bench therefore
shares one ``ScriptCache`` across runs, as the server does; ``--compile-each-run`` measures
AppTest's default instead.

Each keyed lazy tab group (``st.tabs(..., key=..., on_change="rerun")``: only the open tab runs)
is measured too, one line per tab other than the first, named "page › tab", with the group's
other tabs left on their first; ``VIEWS`` adds views a page opens through a widget (the edit page
with a table chosen). The target is for the page as it opens; the other views are printed with
their ratio so that what a user waits for after a click is on record too.

"elements" counts what the page sends (Streamlit and AppTest spend time per element, whatever
the page computes). A page that raises is reported and makes the exit status 1; missing the
target does not, this is a measurement, not a gate.

AppTest waits for a run by polling every millisecond (``time.sleep(0.001)``), so a warm time is
the page's run rounded up to the next poll, give or take: a page that saves a few hundred
microseconds may show the same figure. "script ms" is therefore printed beside it: the median
time of the run itself in the script thread (Streamlit's ``ScriptRunner._run_script``, which
executes the page and sends its elements), for the page and, in the last line, for the bare page.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET = 2.0
BARE = 'import streamlit as st\n\nst.write("x")\n'
BENCH_USER = "bench-planner"


def timed(at: Any) -> float:
    start = time.perf_counter()
    at.run()
    return (time.perf_counter() - start) * 1000


def elements(node: Any) -> int:
    children = getattr(node, "children", None)
    return 1 if children is None else sum(elements(c) for c in children.values())


class ScriptTimes:
    """Times every script run (``ScriptRunner._run_script``) in milliseconds, newest last."""

    def __init__(self) -> None:
        from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

        self.times: list[float] = []
        run_script = ScriptRunner._run_script

        def timed_run(runner: Any, *args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return run_script(runner, *args, **kwargs)
            finally:
                self.times.append((time.perf_counter() - start) * 1000)

        ScriptRunner._run_script = timed_run  # type: ignore[method-assign]

    def last(self) -> float:
        return self.times[-1]


def share_script_cache() -> None:
    """Compile each page once, as the server does (see the module docstring)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import local_script_runner

    shared = ScriptCache()
    local_script_runner.ScriptCache = lambda: shared  # type: ignore[misc]


# Views opened through a widget rather than a tab: page -> [(name, session-state values)].
VIEWS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "edit": [("table budget_line", {"edit_table": "budget_line"})],
    "major_work": [("› 추진 실적 수정 (expander)", {"work_edit": True})],
    "audit": [
        (f"› 항목 상세 › {tab}", {"audit_view": "항목 상세", "audit_form_tab": tab})
        for tab in ("추진상황 변경", "내용 수정", "진행 메모 추가", "증빙 첨부", "기한", "감사 확인")
    ],
}


def lazy_tabs(node: Any) -> dict[str, list[str]]:
    """The keyed tab groups sent by the page: key -> tab labels (as tests/test_pages.py finds them)."""
    from streamlit.elements.lib.utils import user_key_from_element_id

    found: dict[str, list[str]] = {}
    if getattr(node, "type", None) == "tab_container":
        key = user_key_from_element_id(node.proto.id)
        if key:
            found[key] = [tab.label for tab in node.children.values()]
    for child in getattr(node, "children", {}).values():
        found.update(lazy_tabs(child))
    return found


def quiet_streamlit_logs() -> None:
    """Only errors: outside a script run Streamlit warns "missing ScriptRunContext" on every session
    state access. Its loggers each carry their own level, set from this global one when created."""
    from streamlit import logger

    logger.set_log_level(logging.ERROR)


def signed_in(at: Any) -> Any:
    """``at`` with a planning-office user signed in, as tests/conftest.py ``sign_in`` does."""
    from governance_app.ui import AUTH_KEY

    now = time.time()
    at.session_state[AUTH_KEY] = {
        "username": BENCH_USER,
        "role": "planning",
        "department": None,
        "signed_in_at": now,
        "last_seen": now,
    }
    return at


def create_account() -> None:
    """The bench user's account: sign-in checks on every run that the account exists and is active."""
    from governance_app import accounts
    from governance_app.core.auth import cli_actor
    from governance_app.core.db import get_engine, session
    from governance_app.core.settings import get_settings

    with session(get_engine(get_settings().database_url)) as s:
        accounts.add_user(s, cli_actor(), BENCH_USER, "planning", "bench-password-1")


def measure(at: Any, bare: Any, scripts: ScriptTimes, reruns: int) -> tuple[list, list, tuple[list, list]]:
    """Warm reruns of ``at``, each followed by one of the bare page: (page ms, bare ms, (page script
    ms, bare script ms))."""
    warm, beside, script, bare_script = [], [], [], []
    for _ in range(reruns):
        warm.append(timed(at))
        script.append(scripts.last())
        beside.append(timed(bare))
        bare_script.append(scripts.last())
    return warm, beside, (script, bare_script)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reruns", type=int, default=10)
    parser.add_argument(
        "--compile-each-run", action="store_true", help="AppTest's default: parse and compile the page on every run"
    )
    parser.add_argument("pages", nargs="*", help="page names (file stems); default: every page")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    from streamlit.testing.v1 import AppTest

    from governance_app.cli import init_db
    from governance_app.core.settings import get_settings

    quiet_streamlit_logs()
    get_settings.cache_clear()
    init_db(get_settings().data_dir)
    create_account()
    if not args.compile_each_run:
        share_script_cache()
    scripts = ScriptTimes()
    bare_file = work / "bare.py"
    bare_file.write_text(BARE, encoding="utf-8")
    bare = AppTest.from_file(str(bare_file), default_timeout=120)
    for _ in range(3):  # Streamlit's own first-run costs are not the bare page's
        bare.run()
    quiet_streamlit_logs()  # after Streamlit has read its configuration, which sets the level

    pages = sorted(
        p for p in (ROOT / "governance_app" / "pages").glob("*.py") if not args.pages or p.stem in args.pages
    )
    print(
        f"{'page':36} {'elements':>8} {'cold ms':>9} {'warm ms':>9} {'bare ms':>9} {'ratio':>7} {'script ms':>9}"
        f"  target {TARGET:.0f}x"
    )
    all_bare: list[float] = []
    bare_scripts: list[float] = []
    failed = False
    for path in pages:
        at = signed_in(AppTest.from_file(str(path), default_timeout=120))
        cold = timed(at)
        if at.exception:
            failed = True
            print(f"{path.stem:14} {'':>8} {cold:9.1f}  error: {at.exception[0].message}")
            continue
        groups = lazy_tabs(at._tree)
        views: list[tuple[str, dict[str, Any]]] = [
            (f"› {label}", {key: label}) for key, labels in groups.items() for label in labels[1:]
        ] + VIEWS.get(path.stem, [])
        first = {key: labels[0] for key, labels in groups.items()}
        for name, state in [("", {}), *views]:
            for key, value in {**first, **state}.items():
                at.session_state[key] = value
            cold_view = cold if not name else timed(at)
            measured = measure(at, bare, scripts, args.reruns)
            if at.exception:
                failed = True
                print(f"{path.stem:14} {name} error: {at.exception[0].message}")
                break
            warm, beside, script = measured
            all_bare.extend(beside)
            bare_scripts.extend(script[1])
            page_ms, bare_ms = statistics.median(warm), statistics.median(beside)
            ratio = page_ms / bare_ms
            label = f"{path.stem} {name}" if name else path.stem
            verdict = ("ok" if ratio <= TARGET else "missed") if not name else "(view)"
            print(
                f"{label[:36]:36} {elements(at._tree):8d} {cold_view:9.1f} {page_ms:9.1f} {bare_ms:9.1f} "
                f"{ratio:7.2f} {statistics.median(script[0]):9.2f}  {verdict}"
            )
    print(
        f"\nbare page ({elements(bare._tree)} element): median {statistics.median(all_bare):.1f} ms over the run, "
        f"script {statistics.median(bare_scripts):.2f} ms"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
