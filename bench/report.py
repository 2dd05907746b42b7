"""Benchmark: document generation, cold and warm, against LibreOffice's DOCX -> PDF conversion.

    .venv/bin/python bench/report.py [--repeat 5]

Uses a fresh SQLite database loaded from data/. "Cold" is the first build in the process
(chart server start, font registration, empty image cache); "warm" is the median of the
following runs. Each document is timed in two stages: build (database -> document tree, with
the chart figures) and render (tree -> PDF, DOCX or HWPX). LibreOffice converts the generated DOCX
with a profile of its own, created by an uncounted first run; it is compared both with our
PDF rendering (the same step: a finished document to PDF) and with build + render (data to PDF).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-report-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    from governance_app.cli import init_db
    from governance_app.core.auth import cli_actor
    from governance_app.core.db import get_engine
    from governance_app.core.settings import get_settings
    from governance_app.report.build import build, render

    init_db(get_settings().data_dir)
    engine = get_engine()
    print(f"{'document':9} {'stage':7} {'cold s':>7} {'warm s':>7}")
    warm: dict[str, float] = {}
    docx_files: dict[str, bytes] = {}
    for kind in ("business", "audit", "budget"):
        runs: dict[str, list[float]] = {"build": [], "pdf": [], "docx": [], "hwpx": [], "xlsx": []}
        for _ in range(args.repeat + 1):
            document, t = timed(lambda k: build(engine, k, actor=cli_actor()), kind)
            runs["build"].append(t)
            _, t = timed(render, document, "pdf")
            runs["pdf"].append(t)
            docx_files[kind], t = timed(render, document, "docx")
            runs["docx"].append(t)
            for fmt in ("hwpx", "xlsx"):
                _, t = timed(render, document, fmt)
                runs[fmt].append(t)
        for stage, times in runs.items():
            warm[f"{kind}/{stage}"] = statistics.median(times[1:])
            print(f"{kind:9} {stage:7} {times[0]:7.2f} {warm[f'{kind}/{stage}']:7.2f}")
    whole = sum(warm[f"business/{stage}"] for stage in ("build", "pdf", "docx", "hwpx"))
    print(
        f"\nbusiness report, data -> PDF, DOCX and HWPX (one build, three renderings), warm: {whole:.2f} s"
        " (target <= 2 s)"
    )

    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        print("LibreOffice not installed (Debian libreoffice-writer-nogui): no conversion comparison")
        return
    print(f"\n{'document':9} {'LO s':>6} {'ours render s':>14} {'ratio':>6} {'ours build+render s':>20} {'ratio':>6}")
    for kind in ("business", "audit", "budget"):
        source = work / f"{kind}.docx"
        source.write_bytes(docx_files[kind])
        profile = work / f"lo-profile-{kind}"
        times = []
        for _ in range(4):
            command = [
                office,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work / "lo"),
                str(source),
            ]
            _, t = timed(lambda c: subprocess.run(c, check=True, capture_output=True), command)
            times.append(t)
        lo = statistics.median(times[1:])
        render_s = warm[f"{kind}/pdf"]
        end_to_end = warm[f"{kind}/build"] + render_s
        print(f"{kind:9} {lo:6.2f} {render_s:14.2f} {lo / render_s:5.1f}x {end_to_end:20.2f} {lo / end_to_end:5.1f}x")
    print("target: our PDF at least 5x faster than LibreOffice's conversion")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
