"""Benchmark: warm rerun time of every page against a bare one-line Streamlit page.

    .venv/bin/python bench/pages.py [--reruns 10]

Uses a fresh SQLite database loaded from data/ (DATABASE_URL points at a temporary file and
``governance_app.cli.init_db`` loads it). Every page file in governance_app/pages/ and a bare
page (``st.write("x")``) run in Streamlit's AppTest in the same process: one cold run, then
``--reruns`` reruns of the same session; "warm" is the median rerun. The target is every page
within 2x the bare page. A page that raises is reported as such and makes the exit status 1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET = 2.0
BARE = 'import streamlit as st\n\nst.write("x")\n'


def measure(path: Path, reruns: int) -> tuple[float, float, str | None]:
    """Cold run and median warm rerun in milliseconds, and the exception if the page raised."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(path), default_timeout=120)
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    if at.exception:
        return cold * 1000, float("nan"), str(at.exception[0].message)
    times = []
    for _ in range(reruns):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    error = str(at.exception[0].message) if at.exception else None
    return cold * 1000, statistics.median(times) * 1000, error


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reruns", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    from governance_app.cli import init_db
    from governance_app.settings import get_settings

    get_settings.cache_clear()
    init_db(get_settings().data_dir)
    bare = work / "bare.py"
    bare.write_text(BARE, encoding="utf-8")

    measure(bare, 2)  # warm up Streamlit itself, so the bare page is not charged for imports
    _, bare_warm, _ = measure(bare, args.reruns)
    pages = sorted((ROOT / "governance_app" / "pages").glob("*.py"))
    print(f"{'page':14} {'cold ms':>9} {'warm ms':>9} {'ratio':>7}  target {TARGET:.0f}x")
    print(f"{'(bare)':14} {'':>9} {bare_warm:9.1f} {1:7.2f}")
    failed = False
    for path in pages:
        cold, warm, error = measure(path, args.reruns)
        if error:
            failed = True
            print(f"{path.stem:14} {cold:9.1f} {'':>9} {'':>7}  error: {error}")
            continue
        ratio = warm / bare_warm
        verdict = "ok" if ratio <= TARGET else "MISSED"
        print(f"{path.stem:14} {cold:9.1f} {warm:9.1f} {ratio:7.2f}  {verdict}")
    _, bare_after, _ = measure(bare, args.reruns)
    print(f"\nbare page again after the pages: {bare_after:.1f} ms (drift check)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
