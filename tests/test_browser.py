"""A real browser (Debian's headless Chromium) loads every page of the served app."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from governance_app.settings import ROOT

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# url path -> (heading, a figure or phrase the page must show outside a data grid: the grid
# draws its cells on a canvas, which AppTest tests cover)
PAGES = {
    "": ("주요업무보고", "32,048,210천원"),
    "institution": ("기관 연혁 및 비전", "시민중심 소통행정 구현"),
    "calls": ("상담 현황", "10개 채널 운영"),
    "staffing": ("조직 및 인력", "정원 423명 (현원 406명)"),
    "board": ("이사회 현황", "임기가 끝난 임원 3명"),
    "budget": ("2025년 예산 현황", "연중 경과율 58.1%"),
    "major_work": ("주요업무 추진 실적", "시민만족 상담 서비스 제공"),
    "timeline": ("사업별 추진 현황", "추진계획에서 도출"),
    "esg": ("ESG 경영 및 감정노동 보호", "388명"),
    "audit": ("2024 행정사무감사 처리결과", "건의사항·완료 보고 6 / 항목 7"),
    "quality": ("자료 검증·정정 이력", "원문 복원 기록"),
    "reports": ("보고서 생성", "현재 자료로 만들어집니다"),
    "edit": ("자료 편집", "행정사무감사 화면에서만 바꿉니다"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('browser') / 'app.sqlite3'}"}
    log = tmp_path_factory.mktemp("log") / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "governance_app", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://localhost:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"the app did not start: {Path(log).read_text()}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("path", list(PAGES), ids=[p or "overview" for p in PAGES])
def test_page_renders_in_chromium(server: str, browser: Browser, path: str, tmp_path: Path) -> None:
    heading, figure = PAGES[path]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{server}/{path}")
        page.wait_for_selector("h1", timeout=60_000)
        page.get_by_text(figure, exact=False).first.wait_for(timeout=30_000)
        assert heading in page.locator("h1").first.inner_text()
        assert page.locator("[data-testid='stException']").count() == 0
        assert "Page not found" not in page.content()
        page.screenshot(path=str(tmp_path / f"{path or 'overview'}.png"), full_page=True)
    finally:
        page.close()


# url path -> (number of plotly charts, a text drawn inside one of them)
CHARTS = {
    "calls": (3, "빗금: 2025년(7월)은 1~7월 누계"),
    "board": (1, "기준일"),
    "staffing": (1, "직급별 정원·현원"),
}


@pytest.mark.parametrize("path", list(CHARTS))
def test_dashboard_charts_draw_in_chromium(server: str, browser: Browser, path: str) -> None:
    count, text = CHARTS[path]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{server}/{path}")
        page.wait_for_selector("h1", timeout=60_000)
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {count}", timeout=30_000
        )
        assert page.locator(".js-plotly-plot").count() == count
        page.locator(".js-plotly-plot").get_by_text(text, exact=False).first.wait_for(timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        page.close()
