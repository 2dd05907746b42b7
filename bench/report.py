"""Benchmark: document generation, cold and warm, against LibreOffice's DOCX -> PDF conversion.

    .venv/bin/python bench/report.py [--repeat 5]

Uses a fresh SQLite database loaded from data/. "Cold" is the first build in the process
(chart server start, font registration, empty image cache); "warm" is the median of the
following builds. LibreOffice converts the generated DOCX with a profile of its own, created by an uncounted first run.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-report-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    from governance_app.cli import init_db
    from governance_app.db import get_engine
    from governance_app.report.build import build, render
    from governance_app.settings import get_settings

    init_db(get_settings().data_dir)
    engine = get_engine()
    print(f"{'document':10} {'format':6} {'cold s':>8} {'warm s':>8}")
    totals: dict[str, float] = {}
    outputs: dict[tuple[str, str], bytes] = {}
    for kind in ("business", "audit", "budget"):
        for fmt in ("pdf", "docx"):
            times = []
            for _ in range(args.repeat + 1):
                start = time.perf_counter()
                data = render(build(engine, kind), fmt)
                times.append(time.perf_counter() - start)
            outputs[(kind, fmt)] = data
            warm = statistics.median(times[1:])
            totals[f"{kind}/{fmt}"] = warm
            print(f"{kind:10} {fmt:6} {times[0]:8.2f} {warm:8.2f}")
    combined = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        document = build(engine, "business")  # one content, two renderings
        render(document, "pdf")
        render(document, "docx")
        combined.append(time.perf_counter() - start)
    print(
        f"\nbusiness report, one build rendered as PDF and DOCX, warm median: {statistics.median(combined):.2f} s"
        " (target <= 2 s)"
    )

    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        print("LibreOffice not installed (Debian libreoffice-writer-nogui): no conversion comparison")
        return
    for kind in ("business", "audit", "budget"):
        source = work / f"{kind}.docx"
        source.write_bytes(outputs[(kind, "docx")])
        runs = []
        profile = work / f"lo-profile-{kind}"  # the first run creates it; it is not counted
        for _ in range(4):
            start = time.perf_counter()
            subprocess.run(
                [
                    office,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(work / "lo"),
                    str(source),
                ],
                check=True,
                capture_output=True,
            )
            runs.append(time.perf_counter() - start)
        lo = statistics.median(runs[1:])
        ours = totals[f"{kind}/pdf"]
        print(
            f"{kind:10} LibreOffice DOCX->PDF {lo:6.2f} s, ours (warm) {ours:6.2f} s: {lo / ours:5.1f}x faster"
            " (target >= 5x)"
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
