"""WCAG 2.1 AA on every page type, checked in Chromium (Playwright) with the vendored axe-core,
in light and dark mode, at 1280 px and at 320 px (reflow), and by keyboard alone.

A failure lists, for each serious or critical violation, the rule, its impact and the element.
"""
from __future__ import annotations

import pytest

from .conftest import ROOT
from .conftest import new_page, wait_for_charts
from .test_browser import CHART_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.build]
AXE = ROOT / "tests" / "vendor" / "axe-core@4.14.1.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
CHAPTERS = ["changes", "protocol", "method", "roles", "factors", "outcomes", "model",
            "configurations", "evidence-map", "findings"]  # "changes" is What changed
PAGES = {"introduction": "book/intro.html", **{c: f"book/{c}.html" for c in CHAPTERS},
         "case browser": "book/cases.html", "case page": "book/cases/{case}.html",
         "references": "book/references.html", "search results": "search.html?q=budget"}
DARK = "localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');"


@pytest.fixture(scope="module")
def case_id(built_book) -> str:
    return sorted((built_book / "_build" / "html" / "book" / "cases").glob("*.html"))[0].stem


def open_page(browser, site, path: str, width: int = 1280, height: int = 900, dark: bool = False):
    """A page of the site, loaded and drawn: charts, case rows or search results."""
    tab = new_page(browser, width)
    tab.set_viewport_size({"width": width, "height": height})
    if dark:
        tab.context.add_init_script(DARK)
    tab.goto(f"{site}/{path}")
    tab.wait_for_load_state("networkidle")
    if path.startswith("search.html"):
        tab.locator("#search-results li").first.wait_for(timeout=20000)
        tab.wait_for_function("(document.querySelector('#search-results .search-summary') || "
                              "{}).textContent?.includes('finished')", timeout=20000)
    if path == "book/cases.html":
        tab.locator("#case-browser tbody tr a").first.wait_for(timeout=15000)
    wait_for_charts(tab)
    if dark:
        tab.evaluate("document.documentElement.dataset.theme = 'dark'")
        background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background in ("rgb(18, 18, 18)", "rgb(20, 24, 30)"), f"dark mode not applied: {background}"
    return tab


def axe(tab, rules: list[str] | None = None) -> list[dict]:
    """Run the vendored axe-core on the page: the WCAG 2.1 A/AA rules (or only ``rules``)."""
    tab.add_script_tag(path=str(AXE))
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": TAGS}
    return tab.evaluate("""async (only) => {
        const result = await axe.run(document, {runOnly: only, resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact,
            targets: v.nodes.map(n => n.target.join(' '))}));
    }""", only)


def blocking(violations: list[dict]) -> list[str]:
    """One line per element of each serious or critical violation: rule id, impact, target."""
    return [f"{v['id']} ({v['impact']}): {target}" for v in violations
            if v["impact"] in BLOCKING for target in v["targets"]]


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_serious_or_critical_axe_violation(site, browser, case_id, kind, mode):
    path = PAGES[kind].format(case=case_id)
    tab = open_page(browser, site, path, dark=mode == "dark")
    found = blocking(axe(tab))
    tab.context.close()
    assert not found, f"{path} in {mode} mode:\n" + "\n".join(found)


REFLOW = """() => {
    const width = window.innerWidth, out = [];
    const own = '.table-wrapper, .review-chart-frame';  // regions that scroll on their own
    document.querySelectorAll('body *').forEach(e => {
        const box = e.getBoundingClientRect(), style = getComputedStyle(e);
        if (!box.width || !box.height || style.visibility === 'hidden' || e.closest(own)) return;
        if (box.right > width + 1 || box.left < -1) out.push(`${e.tagName}.${e.getAttribute("class") || ""} ${Math.round(box.left)}..${Math.round(box.right)}`);
    });
    const regions = [...document.querySelectorAll(own)].filter(r => r.scrollWidth > r.clientWidth + 1)
        .filter(r => !(r.tabIndex >= 0 && (r.getAttribute('aria-label') || r.getAttribute('aria-labelledby'))) && !r.querySelector('a, button, input, select'))
        .map(r => r.getAttribute('class'));
    const clipped = [...document.querySelectorAll('.review-chart-canvas svg')].flatMap(svg => {
        const box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('text')].filter(t => { const r = t.getBoundingClientRect();
            return r.width && (r.right > box.right + 1 || r.left < box.left - 1); }).map(t => t.textContent);
    });
    const charts = [...document.querySelectorAll('.review-chart-frame')]
        .filter(f => f.scrollWidth > f.clientWidth + 1).map(f => f.querySelector('[aria-labelledby]')?.getAttribute('aria-labelledby'));
    return {scroll: document.documentElement.scrollWidth - width, outside: out.slice(0, 10),
            unreachable: regions, clipped: clipped, scrolling_charts: charts};
}"""


@pytest.mark.parametrize("kind", list(PAGES))
def test_reflows_at_320_px_without_losing_content(site, browser, case_id, kind):
    """At 320 x 800 (1280 px at 400 % zoom) no page scrolls sideways: only a data table
    scrolls, inside its own region that the keyboard can reach; a chart is shown whole, scaled
    to the column, and no chart text is cut off; the navigation is still there; and axe still
    finds nothing serious."""
    path = PAGES[kind].format(case=case_id)
    tab = open_page(browser, site, path, width=320, height=800)
    layout = tab.evaluate(REFLOW)
    assert tab.locator(".primary-toggle:visible").count() > 0  # the table of contents opens
    assert tab.locator("main h1:visible").count() > 0  # the page title shows
    if path == "book/cases.html":
        for control in ["select[data-column='region']", "input[type='search']", ".dt-paging-button.next",
                        "#case-browser tbody a"]:
            assert tab.locator(f".review-case-browser {control}").first.is_visible(), control
    found = blocking(axe(tab))
    tab.context.close()
    assert layout["scroll"] <= 0, f"{path} scrolls sideways by {layout['scroll']} px: {layout['outside']}"
    assert layout["outside"] == [], f"{path}: outside the screen at 320 px: {layout['outside']}"
    assert layout["unreachable"] == [], f"{path}: scroll regions the keyboard cannot reach"
    assert layout["clipped"] == [], f"{path}: chart text cut off at 320 px: {layout['clipped']}"
    assert layout["scrolling_charts"] == [], f"{path}: charts that scroll sideways at 320 px"
    assert not found, f"{path} at 320 px:\n" + "\n".join(found)


def focus_ring(tab) -> str:
    """The focused element's visible focus indicator ('' if it has none)."""
    return tab.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) return 'outline ' + s.outlineWidth;
        return s.boxShadow !== 'none' ? 'shadow' : ''; }""")


def tab_to(tab, selector: str, limit: int = 200) -> None:
    """Press Tab until the focused element matches ``selector``; fail if it never does."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => document.activeElement.matches(s)", selector):
            assert focus_ring(tab), f"{selector} has no visible focus"
            return
    pytest.fail(f"{selector} is not reached with Tab")


def test_case_browser_by_keyboard_alone(site, browser):
    """Filters, search box, paging and a case link: reached with Tab, each with visible focus,
    used with arrow keys, typing and Enter; no mouse and no script-set focus."""
    tab = open_page(browser, site, "book/cases.html")
    count = tab.locator(".case-count")
    total = int(count.inner_text().split(" of ")[1].split()[0])
    tab_to(tab, "select[data-column='region']")
    tab.keyboard.press("ArrowDown")  # the first region after "All"
    tab.wait_for_function(f"!document.querySelector('.case-count').textContent.startsWith('{total} of')")
    shown = int(count.inner_text().split(" of ")[0])
    assert 0 < shown < total
    tab.keyboard.press("ArrowUp")  # back to "All"
    tab.wait_for_function(f"document.querySelector('.case-count').textContent.startsWith('{total} of')")
    tab_to(tab, "input[type='search']")
    tab.keyboard.type("budget")
    tab.wait_for_function(f"!document.querySelector('.case-count').textContent.startsWith('{total} of')")
    assert 0 < int(count.inner_text().split(" of ")[0]) < total
    for _ in range(len("budget")):
        tab.keyboard.press("Backspace")
    tab.wait_for_function(f"document.querySelector('.case-count').textContent.startsWith('{total} of')")
    tab_to(tab, ".dt-paging-button.next")
    tab.keyboard.press("Enter")
    tab.wait_for_function("document.querySelector('.dt-info').textContent.startsWith('Cases 26 to')")
    assert tab.locator(".dt-paging-button.current").inner_text() == "2"
    tab.keyboard.press("Shift+Tab")  # back into the page's case links, from the paging
    for _ in range(40):
        if tab.evaluate("document.activeElement.matches('#case-browser tbody a')"):
            break
        tab.keyboard.press("Shift+Tab")
    assert tab.evaluate("document.activeElement.matches('#case-browser tbody a')")
    assert focus_ring(tab)
    title = tab.evaluate("document.activeElement.textContent")
    tab.keyboard.press("Enter")
    tab.wait_for_load_state("networkidle")
    assert tab.locator("article h1").first.inner_text().strip() == title
    assert tab.errors == []
    tab.context.close()


@pytest.mark.parametrize("chapter", CHART_PAGES)
def test_charts_have_a_text_alternative_and_a_keyboard_table(site, browser, chapter):
    """Each chart is named by its caption (aria-labelledby); its SVG adds nothing a screen
    reader or the keyboard could land on; each colour legend is also a column of the chart's
    data table (colour never carries meaning alone); and each data table, inside <details>,
    is reached with Tab, opened with Enter, and then its table takes focus."""
    tab = open_page(browser, site, f"book/{chapter}.html")
    charts = tab.evaluate("""() => [...document.querySelectorAll('figure.review-chart')].map(f => {
        const canvas = f.querySelector('.review-chart-canvas'), svg = canvas.querySelector('svg');
        const caption = document.getElementById(canvas.getAttribute('aria-labelledby') || '-');
        const heads = [...f.querySelectorAll('details thead th')].map(t => t.textContent);
        const column = title => [...f.querySelectorAll('details tbody tr')].map(r => (r.children[heads.indexOf(title)] || {}).textContent);
        return {caption: caption && f.contains(caption) && caption.tagName === 'FIGCAPTION' ? caption.textContent.trim() : '',
                hidden: svg.getAttribute('aria-hidden') === 'true',
                focusable: canvas.querySelectorAll('svg a, svg [tabindex], svg [role=button]').length,
                unnamed: [...canvas.querySelectorAll('input, button, select')].filter(c => !c.labels?.length && !c.getAttribute('aria-label')).length,
                groups: [...canvas.querySelectorAll('.vega-bind-radio')].filter(g => g.getAttribute('role') !== 'radiogroup' || !document.getElementById(g.getAttribute('aria-labelledby'))).length,
                legends: [...svg.querySelectorAll('g.role-legend')].map(l => {
                    const title = [...l.querySelectorAll('.role-legend-title text')].map(t => t.textContent).join(' ');
                    const labels = [...l.querySelectorAll('.role-legend-label text')].map(t => t.textContent).filter(t => isNaN(Number(t)));
                    // A legend of numbers only (a size or colour scale) is read from the table's
                    // values when the table's caption names the quantity, as in a matrix table.
                    const caption = (f.querySelector('details caption') || {}).textContent || '';
                    const quantity = !labels.length && caption.toLowerCase().includes(title.toLowerCase());
                    return {title, missing: heads.includes(title) ? labels.filter(x => !column(title).includes(x)) : quantity ? [] : ['no column ' + title]};
                })};
    })""")
    assert charts
    for i, chart in enumerate(charts):
        assert chart["caption"], f"chart {i}: not named by its figure caption"
        assert chart["hidden"] and chart["focusable"] == 0, f"chart {i}: SVG exposed or focusable"
        assert chart["unnamed"] == 0 and chart["groups"] == 0, f"chart {i}: unnamed controls"
        for legend in chart["legends"]:
            assert legend["missing"] == [], f"chart {i}: legend {legend['title']!r} not in its table: {legend['missing']}"
    opened = 0
    for _ in range(1500):
        tab.keyboard.press("Tab")
        state = tab.evaluate("""() => { const e = document.activeElement;
            return e.matches('figure.review-chart details > summary') ? (e.parentElement.open ? 'open' : 'summary') : ''; }""")
        if state == "summary":
            assert focus_ring(tab), "a chart's summary has no visible focus"
            tab.keyboard.press("Enter")
            tab.keyboard.press("Tab")
            assert tab.evaluate("document.activeElement.matches('figure.review-chart details[open] .table-wrapper')"), \
                "the opened data table does not take focus"
            assert focus_ring(tab), "the data table has no visible focus"
            opened += 1
            if opened == len(charts):
                break
    tab.context.close()
    assert opened == len(charts), f"{opened} of {len(charts)} chart tables reached by keyboard"
