"""The built site in a real browser (Chromium via Playwright), served on 127.0.0.1 only, and
opened from the file system as the README promises."""
from __future__ import annotations

import functools
import http.server
import pickle
import threading
from pathlib import Path

import pytest

from analysis.synthesis import gap_map

from .conftest import browser_required

pytestmark = [pytest.mark.browser, pytest.mark.build]
CHROMIUM = Path("/usr/bin/chromium")
CHAPTERS = ["intro", "changes", "protocol", "method", "roles", "factors", "outcomes", "model",
            "configurations", "evidence-map", "findings", "cases", "references"]
CHART_PAGES = ["intro", "method", "roles", "factors", "outcomes", "model", "evidence-map"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root: Path):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def site(built_book):
    server, url = serve(built_book / "_build" / "html")
    yield url
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


def new_page(browser, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    tab.errors, tab.outside, tab.failed = [], [], []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("request", lambda request: tab.outside.append(request.url)
           if not request.url.startswith(("http://127.0.0.1", "data:", "blob:", "file:")) else None)
    tab.on("response", lambda response: tab.failed.append(response.url)
           if response.status >= 400 else None)
    return tab


@pytest.fixture
def page(browser):
    tab = new_page(browser)
    yield tab
    tab.context.close()


def wait_for_charts(tab) -> int:
    charts = tab.locator(".review-chart-canvas")
    for i in range(charts.count()):
        charts.nth(i).locator("svg").first.wait_for(state="attached", timeout=20000)
    return charts.count()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_opens_offline_and_draws_every_chart(site, page, chapter):
    page.goto(f"{site}/book/{chapter}.html")
    page.wait_for_load_state("networkidle")
    count = wait_for_charts(page)
    assert page.locator(".vega-embed svg").count() == count
    assert page.errors == [] and page.outside == [] and page.failed == []
    assert page.locator("article h1").first.inner_text().strip()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("chapter", CHART_PAGES)
def test_charts_and_legends_fit_their_column(site, browser, chapter, width):
    tab = new_page(browser, width)
    tab.goto(f"{site}/book/{chapter}.html")
    tab.wait_for_load_state("networkidle")
    wait_for_charts(tab)
    overflow = tab.evaluate("""() => {
        const out = [];
        document.querySelectorAll('.review-chart-canvas').forEach((canvas, i) => {
            const column = canvas.closest('article, main').getBoundingClientRect();
            const svg = canvas.querySelector('svg').getBoundingClientRect();
            if (svg.right > column.right + 1 || svg.left < column.left - 1) out.push([i, svg.left, svg.right, column.left, column.right]);
        });
        return {charts: out, scroll: document.documentElement.scrollWidth - window.innerWidth};
    }""")
    tab.context.close()
    assert overflow["charts"] == []
    assert overflow["scroll"] <= 0


def test_case_browser_filters_by_keyboard_and_opens_a_case(site, page, built_book):
    review = pickle.loads(sorted((built_book / "_build" / ".cache").glob("review-????????????????.pickle"))[-1].read_bytes())
    page.goto(f"{site}/book/cases.html")
    rows = page.locator("#case-browser tbody tr")
    rows.first.wait_for(timeout=15000)
    count = page.locator(".case-count")
    assert count.inner_text().startswith(f"{len(review.cases)} of {len(review.cases)}")
    region = page.locator('select[data-column="region"]')
    region.focus()
    page.keyboard.press("ArrowDown")  # the first region after "All", in alphabetical order
    first_region = sorted(review.cases["region"].unique())[0]
    expected = int((review.cases["region"] == first_region).sum())
    page.wait_for_function(f"document.querySelector('.case-count').textContent.startsWith('{expected} of')")
    assert region.input_value() == first_region
    link = rows.first.locator("a")
    title = link.inner_text()
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.locator("article h1").first.inner_text().strip() == title
    assert page.errors == [] and page.outside == []


def test_evidence_map_cell_lists_exactly_its_cases(site, page, built_book):
    review = pickle.loads(sorted((built_book / "_build" / ".cache").glob("review-????????????????.pickle"))[-1].read_bytes())
    cells = gap_map.cell_cases(review)
    page.goto(f"{site}/book/evidence-map.html")
    wait_for_charts(page)
    bubble = page.locator(".review-chart-canvas").first.locator("g.mark-symbol path").first
    bubble.click()
    box = page.locator(".gap-map-cases").first
    box.wait_for(timeout=10000)
    key = box.get_attribute("data-key")
    listed = [href.split("/")[-1].removesuffix(".html")
              for href in box.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")]
    assert key in cells and listed == cells[key]
    page.locator("figure details summary").first.click()
    page.locator(".gap-map-button").first.click()
    key = box.get_attribute("data-key")
    listed = [a.split("/")[-1].removesuffix(".html") for a in box.locator("a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")]
    assert listed == cells[key]


def test_the_map_and_the_case_browser_work_from_the_file_system(browser, built_book):
    tab = new_page(browser)
    root = built_book / "_build" / "html" / "book"
    tab.goto((root / "intro.html").as_uri())
    wait_for_charts(tab)
    assert tab.locator(".review-chart-canvas").first.locator("path").count() > 100  # countries
    tab.goto((root / "cases.html").as_uri())
    tab.locator("#case-browser tbody tr a").first.wait_for(timeout=15000)
    assert tab.outside == [] and tab.errors == []
    tab.context.close()


def test_hostile_titles_run_no_script_in_search_or_references(browser, hostile_book):
    server, url = serve(hostile_book["repo"] / "_build" / "html")
    try:
        tab = new_page(browser)
        tab.goto(f"{url}/search.html?q=Fixture+repair+cafe")
        tab.locator("#search-results li").first.wait_for(timeout=20000)
        assert "onerror" in tab.locator("#search-results").inner_text()  # shown as text
        assert tab.evaluate("window.hacked") is None
        tab.goto(f"{url}/book/references.html")
        tab.wait_for_load_state("networkidle")
        assert tab.evaluate("window.hacked") is None
        assert tab.locator("a[href^='javascript']").count() == 0
        tab.goto(f"{url}/book/cases/fixture-new-case.html")
        assert tab.evaluate("window.hacked") is None
        tab.context.close()
    finally:
        server.shutdown()
