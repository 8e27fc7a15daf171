"""The built site in a real browser (Chromium via Playwright), served on 127.0.0.1 only."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from analysis import tables
from analysis.validate import checked_review

from .conftest import browser_required

pytestmark = [pytest.mark.browser, pytest.mark.build]
CHROMIUM = Path("/usr/bin/chromium")
CHAPTERS = ["intro", "method", "roles", "factors", "outcomes", "model", "cases", "references"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(built_book):
    root = built_book / "_build" / "html"
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not installed (apt-get install chromium)"
        if browser_required():
            pytest.fail(message + "; CI requires the browser tests")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    tab.errors, tab.outside, tab.failed = [], [], []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("request", lambda request: tab.outside.append(request.url)
           if not request.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    tab.on("response", lambda response: tab.failed.append(response.url)
           if response.status >= 400 else None)
    yield tab
    context.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_opens_offline_and_draws_every_chart(site, page, chapter):
    page.goto(f"{site}/book/{chapter}.html")
    page.wait_for_load_state("networkidle")
    charts = page.locator(".review-chart-canvas")
    for i in range(charts.count()):
        charts.nth(i).locator("svg, canvas").first.wait_for(state="attached", timeout=15000)
    assert page.locator(".vega-embed svg, .vega-embed canvas").count() == charts.count()
    assert page.errors == []
    assert page.outside == []
    assert page.failed == []
    assert page.locator("h1").first.inner_text().strip()


def test_chapters_with_figures_have_charts(site, page):
    for chapter in ("intro", "roles", "factors", "outcomes", "model"):
        page.goto(f"{site}/book/{chapter}.html")
        page.wait_for_load_state("networkidle")
        assert page.locator(".vega-embed svg").count() >= 1, chapter


def test_case_table_filters_by_country_and_opens_a_case_page(site, page):
    review = checked_review()
    swedish = review.cases[review.cases["country"] == "SE"]
    page.goto(f"{site}/book/cases.html")
    rows = page.locator("table.dataTable tbody tr:visible")
    rows.first.wait_for(timeout=15000)
    assert rows.count() == len(review.cases)
    country_filter = page.locator('input[placeholder="Country"]:visible').first
    country_filter.press_sequentially(tables.country_name("SE"))
    page.wait_for_timeout(300)
    assert rows.count() == len(swedish)
    assert all(tables.country_name("SE") in rows.nth(i).inner_text() for i in range(rows.count()))
    link = rows.first.locator("a")
    title = link.inner_text()
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text().strip().rstrip("#").strip() == title
    assert page.locator("table.case-coding").count() >= 4
    assert page.errors == [] and page.outside == []
