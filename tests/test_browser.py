"""A real browser (Debian's headless Chromium) signs in through the form, as a user would, with
the demo account `serve` prints, and loads every page of the served app."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from governance_app import throttle
from tests.helpers.browser import CHROMIUM, FLAGS, Server, served

# One server and one browser for the module: under pytest-xdist (make test) its tests share a worker.
pytestmark = pytest.mark.xdist_group("browser")
# url path -> (heading, a figure or phrase the page must show outside a data grid: the grid
# draws its cells on a canvas, which AppTest tests cover)
PAGES = {
    "": ("오늘 할 일", "추진 상황을 보고하지 않은 추진계획"),
    "overview": ("주요업무보고", "32,048,210천원"),
    "institution": ("기관 연혁 및 비전", "시민중심 소통행정 구현"),
    "calls": ("상담 현황", "10개 채널 운영"),
    "staffing": ("조직 및 인력", "정원 423명 (현원 406명)"),
    "board": ("이사회 현황", "임기가 끝난 임원 3명"),
    "budget": ("2025년 예산 현황", "정책 > 단위 > 세부사업"),  # the first tab; the others run when opened
    "major_work": ("주요업무 추진 실적", "시민만족 상담 서비스 제공"),
    "timeline": ("사업별 추진 현황", "추진계획에서 도출"),
    "esg": ("ESG 경영 및 감정노동 보호", "388명"),
    "audit": ("2024 행정사무감사 처리결과", "건의사항·완료 보고 6 / 항목 7"),
    "quality": ("자료 검증·정정 이력", "원문 복원 기록"),
    "reports": ("보고서 생성", "자료로 지금 만들어집니다"),
    "edit": ("자료 편집", "행정사무감사 화면에서만 바꿉니다"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with served(tmp_path_factory.mktemp("browser")) as running:
        printed = running.log.read_text()
        assert "데모 계정" in printed and running.password in printed  # serve shows the demo accounts at start
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def sign_in_and_open(page: Page, server: Server, path: str = "") -> None:
    """Open ``path`` as a bookmark would, meet the sign-in form there, sign in as demo-planning
    and land on the page asked for."""
    page.goto(f"{server.base}/{path}")
    page.locator("h1").filter(has_text="로그인").first.wait_for(timeout=60_000)
    assert page.locator("[role='dialog']").count() == 0  # no "page not found" before sign-in
    page.get_by_label("아이디").fill("demo-planning")
    page.get_by_label("비밀번호").fill(server.password)
    page.get_by_role("button", name="로그인").click()
    page.locator("[data-testid='stSidebarNav']").wait_for(timeout=60_000)
    assert "기획조정실 (데모)" in page.locator("[data-testid='stSidebar']").inner_text()
    assert page.url.rstrip("/") == f"{server.base}/{path}".rstrip("/")


def test_the_sign_in_form_refuses_a_wrong_password_and_guards_every_page(server: Server, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{server.base}/budget")  # not signed in: the sign-in page, not the budget
        page.locator("h1").filter(has_text="로그인").first.wait_for(timeout=60_000)
        assert page.locator("[role='dialog']").count() == 0
        page.get_by_label("아이디").fill("demo-planning")
        page.get_by_label("비밀번호").fill(server.password + "x")
        page.get_by_role("button", name="로그인").click()
        page.get_by_text("아이디 또는 비밀번호가 올바르지 않습니다.").wait_for(timeout=30_000)
        assert page.get_by_text("연중 경과율").count() == 0
        assert page.locator("[data-testid='stSidebarNav']").count() == 0
    finally:
        page.close()


# role -> what its home page lists first (오늘 할 일)
HOMES = {
    "planning": "집행이 부진한 세부사업",
    "finance": "집행이 부진한 세부사업",
    "auditor": "감사 확인을 기다리는 항목",
    "department": "추진 상황을 보고하지 않은 추진계획",
    "board": "안에 끝나는 임기",
}


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_signs_in_and_lands_on_its_home_page(server: Server, browser: Browser, role: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(server.base)
        page.locator("h1").filter(has_text="로그인").first.wait_for(timeout=60_000)
        page.get_by_label("아이디").fill(f"demo-{role}")
        page.get_by_label("비밀번호").fill(server.passwords[f"demo-{role}"])
        page.get_by_role("button", name="로그인").click()
        page.locator("h1").filter(has_text="오늘 할 일").first.wait_for(timeout=60_000)
        page.get_by_text(HOMES[role], exact=False).first.wait_for(timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "보고서" in nav  # every role may take a document home (the board its board-safe one)
        assert ("자료 편집" in nav) == (role == "planning")  # hidden where unusable
    finally:
        page.close()


@pytest.mark.parametrize("path", list(PAGES), ids=[p or "home" for p in PAGES])
def test_page_renders_in_chromium(server: Server, browser: Browser, path: str, tmp_path: Path) -> None:
    heading, figure = PAGES[path]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        sign_in_and_open(page, server, path)
        page.locator("h1").filter(has_text=heading).first.wait_for(timeout=60_000)
        page.get_by_text(figure, exact=False).first.wait_for(timeout=30_000)
        assert heading in page.locator("h1").first.inner_text()
        assert page.locator("[data-testid='stException']").count() == 0
        assert "Page not found" not in page.content()
        page.screenshot(path=str(tmp_path / f"{path or 'home'}.png"), full_page=True)
    finally:
        page.close()


# url path -> (the lazy tab to open first or None, number of plotly charts, a text drawn inside one)
CHARTS = {
    "calls": (None, 1, "빗금: 2025년(7월)은 1~7월 누계"),  # one chart per lazy tab: the first tab's
    "board": ("임기 차트", 1, "기준일"),
    "staffing": (None, 1, "직급별 정원·현원"),
}


@pytest.mark.parametrize("path", list(CHARTS))
def test_dashboard_charts_draw_in_chromium(server: Server, browser: Browser, path: str) -> None:
    tab, count, text = CHARTS[path]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        sign_in_and_open(page, server, path)
        page.wait_for_selector("h1", timeout=60_000)
        if tab:
            page.get_by_role("tab", name=tab, exact=True).click()
        # every chart drawn (a drawn chart holds several .main-svg layers, so count the charts)
        page.wait_for_function(
            "[...document.querySelectorAll('.js-plotly-plot')].filter(p => p.querySelector('.main-svg')).length"
            f" >= {count}",
            timeout=30_000,
        )
        assert page.locator(".js-plotly-plot").count() == count
        page.locator(".js-plotly-plot").get_by_text(text, exact=False).first.wait_for(timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        page.close()


def test_a_tab_runs_when_opened_in_chromium(server: Server, browser: Browser) -> None:
    """The budget page's tabs are lazy: the execution tab's content arrives when it is opened."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        sign_in_and_open(page, server, "budget")
        page.get_by_text("정책 > 단위 > 세부사업", exact=False).first.wait_for(timeout=60_000)
        assert page.get_by_text("연중 경과율 58.1%", exact=False).count() == 0
        page.get_by_role("tab", name="집행 현황", exact=True).click()
        page.get_by_text("연중 경과율 58.1%", exact=False).first.wait_for(timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        page.close()


def test_the_home_address_before_sign_in_shows_the_sign_in_form(server: Server, browser: Browser) -> None:
    """/overview (the former home address) used to say "Page not found" before sign-in."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        sign_in_and_open(page, server, "overview")
        page.locator("h1").filter(has_text=PAGES["overview"][0]).first.wait_for(timeout=60_000)
        assert "Page not found" not in page.content()
    finally:
        page.close()


def test_wrong_passwords_end_in_the_wait_message_with_its_time(server: Server, browser: Browser) -> None:
    """Five wrong passwords for one name (an unknown one, answered like an account: no demo
    account of the other tests waits) make sign-in wait; the form says until when, in Seoul time."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{server.base}/overview")  # a bookmarked page: the sign-in form, not "Page not found"
        page.locator("h1").filter(has_text="로그인").first.wait_for(timeout=60_000)
        assert page.locator("[role='dialog']").count() == 0 and "Page not found" not in page.content()
        for number in range(1, 6):
            page.get_by_label("아이디").fill("browser-nobody")
            page.get_by_label("비밀번호").fill(f"wrong-password-{number}")
            before = datetime.now(UTC)
            page.get_by_role("button", name="로그인").click()
            expect(page.get_by_label("비밀번호")).to_have_value("", timeout=30_000)  # the answer came back
            after = datetime.now(UTC)
            if number < 5:
                page.get_by_text("아이디 또는 비밀번호가 올바르지 않습니다.").wait_for(timeout=30_000)
        message = page.get_by_text("로그인 시도가 여러 번 실패해").first
        message.wait_for(timeout=30_000)
        ends = {throttle.locked_message(t + timedelta(seconds=30)) for t in (before, after)}
        assert message.inner_text().strip() in ends, (message.inner_text(), ends)
        assert page.get_by_text("아이디 또는 비밀번호가 올바르지 않습니다.").count() == 0
        assert page.locator("[data-testid='stSidebarNav']").count() == 0
    finally:
        page.close()


def test_the_file_uploader_speaks_korean_in_chromium(server: Server, browser: Browser) -> None:
    """Streamlit draws its uploader in English; the shared uploader (ui.file_upload) replaces its words."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        sign_in_and_open(page, server, "budget")
        page.get_by_role("tab", name="집행 현황 기록", exact=True).click()
        page.get_by_role("tab", name="회계시스템 파일 올리기", exact=True).click()
        zone = page.locator(".st-key-execution_upload [data-testid='stFileUploaderDropzone']")
        zone.wait_for(timeout=30_000)
        word = zone.locator("button [data-testid='stMarkdownContainer'] p")
        assert word.evaluate("p => getComputedStyle(p, '::after').content") == '"파일 선택"'
        # Streamlit's own words are there but take no room: nothing English can be read
        assert word.inner_text() == "Upload" and word.evaluate("p => getComputedStyle(p).fontSize") == "0px"
        icon = zone.locator("button [data-testid='stIconMaterial']")
        assert icon.evaluate("i => getComputedStyle(i).fontSize") != "0px"  # the icon stays
        rules_span = zone.locator("[data-testid='stFileUploaderDropzoneInstructions'] span").first
        assert "per file" in rules_span.inner_text()
        assert rules_span.evaluate("s => getComputedStyle(s).fontSize") == "0px"
        rules = zone.locator("[data-testid='stFileUploaderDropzoneInstructions'] span").first.evaluate(
            "s => getComputedStyle(s, '::after').content"
        )
        assert rules == '"CSV·XLSX 파일, 2MB까지"', rules
    finally:
        page.close()
