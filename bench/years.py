"""Benchmark: ten reporting rounds (2025 to 2034) against one.

    .venv/bin/python bench/years.py [--reruns 5] [--repeat 3] [PAGE ...]

Uses a fresh SQLite database loaded from data/ (the 2025-09 round). It measures, with that one
round, every page's warm rerun against a bare page (bench/pages.py's machinery: a shared script
cache, the bare page rerun beside each page, the median of ``--reruns``) and the business
report's build and render times (median of ``--repeat`` after a cold run). It then builds the
rounds 2026-09 … 2034-09 through the services (``rounds.new_round`` from the current round, timed
each, and an execution snapshot on each round's as-of date through ``budget.recording``, with the
2025 figures), and measures the same with the 2034 round current and nine rounds of history.

Targets: ``round new`` under 2 s; with ten rounds every page within 2x a bare page and the business
report within 2 s warm: cost grows with the round shown, not with the history kept.
Not built here (other parts of issue 11, not on this branch): a budget through the spreadsheet
template (so the later years' budget tables hold no amounts), board appointments, audit sessions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pages as bench_pages  # noqa: E402 - bench/pages.py, beside this file


def page_ratios(paths: list[Path], reruns: int) -> dict[str, tuple[float, float, float, float, float]]:
    """page -> (warm ms, bare ms, ratio, page script ms, bare script ms), each page as it opens.
    The script times (the run itself in the script thread) are steadier than the warm times on a
    loaded machine: AppTest polls for the end of a run."""
    from streamlit.testing.v1 import AppTest

    scripts = bench_pages.ScriptTimes()
    bare_file = Path(tempfile.mkdtemp(prefix="bench-years-")) / "bare.py"
    bare_file.write_text(bench_pages.BARE, encoding="utf-8")
    bare = AppTest.from_file(str(bare_file), default_timeout=120)
    for _ in range(3):
        bare.run()
    bench_pages.quiet_streamlit_logs()
    out = {}
    for path in paths:
        at = bench_pages.signed_in(AppTest.from_file(str(path), default_timeout=120))
        at.run()
        if at.exception:
            print(f"{path.stem}: error {at.exception[0].message}")
            continue
        warm, beside, (script, bare_script) = bench_pages.measure(at, bare, scripts, reruns)
        page_ms, bare_ms = statistics.median(warm), statistics.median(beside)
        out[path.stem] = (
            page_ms,
            bare_ms,
            page_ms / bare_ms,
            statistics.median(script),
            statistics.median(bare_script),
        )
    return out


def report_times(repeat: int) -> tuple[float, float, float]:
    """(build s, PDF s, DOCX s) of the current round's business report, warm medians."""
    from governance_app.core.auth import cli_actor
    from governance_app.core.db import get_engine
    from governance_app.report.build import build, render

    engine = get_engine()
    runs: dict[str, list[float]] = {"build": [], "pdf": [], "docx": []}
    for _ in range(repeat + 1):
        start = time.perf_counter()
        document = build(engine, "business", actor=cli_actor())
        runs["build"].append(time.perf_counter() - start)
        for fmt in ("pdf", "docx"):
            start = time.perf_counter()
            render(document, fmt)
            runs[fmt].append(time.perf_counter() - start)
    return tuple(statistics.median(t[1:]) for t in runs.values())  # type: ignore[return-value]


def build_rounds(last_year: int) -> list[tuple[str, float]]:
    """Rounds 2026-09 … {last_year}-09 through the services: (code, round new seconds)."""
    from budget import recording
    from budget.models import ExecutionLine, ExecutionSnapshot
    from governance_app import rounds
    from governance_app.core import context
    from governance_app.core.auth import cli_actor
    from governance_app.core.db import get_engine, session
    from governance_app.core.queries import fetch

    engine = get_engine()
    actor = cli_actor()
    with session(engine) as s:
        ctx = context.current(s)
        snaps = fetch(s, ExecutionSnapshot, ctx.org_id, ExecutionSnapshot.as_of == ctx.execution_as_of)
        totals = {x.code for x in fetch(s, ExecutionLine, ctx.org_id) if x.is_total}  # computed, not typed
        amounts = {x.line_code: (x.budget_amount, x.executed_amount) for x in snaps if x.line_code not in totals}
    made = []
    for year in range(ctx.fiscal_year + 1, last_year + 1):
        with session(engine) as s:
            start = time.perf_counter()
            new = rounds.new_round(
                session=s,
                actor=actor,
                code=f"{year}-09",
                fiscal_year=year,
                report_date=date(year, 9, 1),
                execution_as_of=date(year, 7, 31),
            )
            made.append((new.report_code, time.perf_counter() - start))
        with session(engine) as s:
            recording.record_execution(
                session=s,
                actor=actor,
                as_of=new.execution_as_of,
                amounts=amounts,
                org_id=new.org_id,
                fiscal_year=year,
                today=date(year, 8, 1),
            )
    return made


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("pages", nargs="*", help="page names (file stems); default: every page")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-years-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    from governance_app.cli import init_db
    from governance_app.core.settings import get_settings

    bench_pages.quiet_streamlit_logs()
    get_settings.cache_clear()
    init_db(get_settings().data_dir)
    bench_pages.create_account()
    bench_pages.share_script_cache()
    paths = sorted(
        p
        for p in (ROOT / "governance_app" / "pages").glob("*.py")
        if p.stem != "signin" and (not args.pages or p.stem in args.pages)
    )
    one: dict[str, Any] = {"pages": page_ratios(paths, args.reruns), "report": report_times(args.repeat)}
    made = build_rounds(2034)
    for code, seconds in made:
        print(f"round new {code}: {seconds:.2f} s")
    worst = max(s for _, s in made)
    print(f"round new: median {statistics.median(s for _, s in made):.2f} s, worst {worst:.2f} s (target < 2 s)\n")
    ten: dict[str, Any] = {"pages": page_ratios(paths, args.reruns), "report": report_times(args.repeat)}

    target = f"target {bench_pages.TARGET:.0f}x"
    print(
        f"{'page':14} {'1 round ms':>10} {'ratio':>6} {'script ms':>9} {'10 rounds ms':>12} {'ratio':>6} "
        f"{'script ms':>9}  {target}"
    )
    for name in one["pages"]:
        a, b = one["pages"][name], ten["pages"].get(name, (float("nan"),) * 5)
        verdict = "ok" if b[2] <= bench_pages.TARGET else "missed"
        print(f"{name:14} {a[0]:10.1f} {a[2]:6.2f} {a[3]:9.2f} {b[0]:12.1f} {b[2]:6.2f} {b[3]:9.2f}  {verdict}")
    bare_scripts = [v[4] for run in (one, ten) for v in run["pages"].values()]
    print(f"bare page script ms (median): {statistics.median(bare_scripts):.2f}")
    print(f"\n{'business report':16} {'build s':>8} {'PDF s':>7} {'DOCX s':>7} {'total s':>8}")
    for label, (build_s, pdf_s, docx_s) in (("1 round", one["report"]), ("10 rounds", ten["report"])):
        print(f"{label:16} {build_s:8.2f} {pdf_s:7.2f} {docx_s:7.2f} {build_s + pdf_s + docx_s:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
