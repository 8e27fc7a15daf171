"""The built site in a real browser (Chromium via Playwright), served on 127.0.0.1 only, and
opened from the file system as the README promises."""
from __future__ import annotations

import pickle

import pytest

from analysis.synthesis import gap_map

from .conftest import new_page, serve, wait_for_charts

pytestmark = [pytest.mark.browser, pytest.mark.build]
CHAPTERS = ["intro", "changes", "protocol", "method", "roles", "factors", "outcomes", "model",
            "configurations", "evidence-map", "findings", "cases", "references"]
CHART_PAGES = ["intro", "method", "roles", "factors", "outcomes", "model", "evidence-map"]


@pytest.fixture
def page(browser):
    tab = new_page(browser)
    yield tab
    tab.context.close()


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
def test_charts_and_legends_fit_their_column_uncut(site, browser, chapter, width):
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
        const cut = [...document.querySelectorAll('.review-chart-canvas svg text')]
            .map(text => text.textContent).filter(text => text.includes('\u2026'));
        return {charts: out, scroll: document.documentElement.scrollWidth - window.innerWidth, cut};
    }""")
    tab.context.close()
    assert overflow["charts"] == []
    assert overflow["cut"] == [], "labels cut off with an ellipsis"
    assert overflow["scroll"] <= 0


def test_charts_follow_the_window_when_it_is_resized(site, browser):
    """A phone turned or a window widened: each chart ends up as wide as its column, and at
    320 px it is shown whole, scaled to the column."""
    tab = new_page(browser, 390)
    tab.goto(f"{site}/book/factors.html")
    wait_for_charts(tab)
    widths = []
    for width in (1280, 320, 1280):
        tab.set_viewport_size({"width": width, "height": 900})
        tab.wait_for_timeout(800)
        widths.append(tab.evaluate("""() => [...document.querySelectorAll('.review-chart-frame')].map(frame =>
            [Math.round(frame.querySelector('svg').getBoundingClientRect().width), frame.clientWidth, frame.scrollWidth])"""))
    tab.context.close()
    for width, charts in zip((1280, 320, 1280), widths):
        assert all(abs(drawn - column) <= 1 and scrolled <= column + 1 for drawn, column, scrolled in charts), (width, charts)


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
