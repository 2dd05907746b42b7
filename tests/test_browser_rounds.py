"""In a real browser, the planning officer switches between two reporting rounds in the sidebar:
the 2025 round (submitted, so read-only) and the 2026 round opened from it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.helpers.browser import CHROMIUM, FLAGS, Server, served, sign_in

pytestmark = pytest.mark.xdist_group("browser-rounds")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    before = [
        ["round", "freeze", "2025-09"],
        [
            "round", "new", "2026-09", "--fiscal-year", "2026",
            "--report-date", "2026-09-01", "--execution-as-of", "2026-07-31", "--from", "2025-09",
        ],
    ]  # fmt: skip
    with served(tmp_path_factory.mktemp("rounds"), before) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def shown_round(page: Page) -> str:
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']")
    return str(box.evaluate("e => e.innerText + ' ' + (e.querySelector('input')?.value ?? '')"))


def choose_round(page: Page, label: str) -> None:
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']")
    options = page.locator("[role='option']")
    for _ in range(10):  # a click while the page still reruns may land on a box about to be redrawn
        box.click()
        try:
            options.first.wait_for(timeout=3_000)
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    options.first.wait_for(timeout=3_000)
    assert label in options.all_inner_texts(), options.all_inner_texts()
    options.filter(has_text=label).first.click()


def test_switching_rounds_in_the_sidebar_changes_every_page_and_the_submitted_one_is_read_only(
    server: Server, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        sign_in(page, server, "planning", "budget")
        sidebar = page.locator("[data-testid='stSidebar']")
        # the new round is current: the 2026 budget, not yet filled in, and no read-only notice
        page.locator("h1").filter(has_text="2026년 예산 현황").first.wait_for(timeout=60_000)
        assert "2026. 9. 보고 · 작성중 · 현재" in shown_round(page)
        assert "제출된 회차입니다" not in sidebar.inner_text()

        choose_round(page, "2025. 9. 보고 · 제출")
        page.locator("h1").filter(has_text="2025년 예산 현황").first.wait_for(timeout=60_000)
        page.get_by_text("제출된 회차입니다", exact=False).first.wait_for(timeout=30_000)
        # the choice holds while moving to another page in the same session
        page.get_by_role("link", name="개요", exact=True).click()
        page.get_by_text("32,048,210천원", exact=False).first.wait_for(timeout=60_000)
        assert "2025. 9. 보고 · 제출" in shown_round(page)

        choose_round(page, "2026. 9. 보고 · 작성중 · 현재")
        page.get_by_text("2026년", exact=False).first.wait_for(timeout=60_000)
        page.wait_for_function("!document.body.innerText.includes('제출된 회차입니다')", timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0
        # the box shows its whole label: nothing cut off in the sidebar's width
        box = sidebar.locator("[data-testid='stSelectbox'] input").first
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the round's label is cut off"
    finally:
        page.close()
