"""Scripts and styles: only what a page needs, all from this site (no CDN), and contributed
text kept inert where the theme or Sphinx would otherwise treat it as markup.

- Vega, Vega-Lite and Vega-Embed (vendored) load only on pages that draw a chart; the world
  atlas only on the page with the map; jQuery and DataTables only on the case browser.
- Scripts naming a CDN (sphinx-thebe's unused loader) are dropped.
- sphinx-book-theme writes the page title unescaped into its print header: it is escaped.
- Sphinx 7.4's search page writes result titles as HTML (fixed upstream in Sphinx 8.2,
  sphinx-doc/sphinx#13356): the built ``searchtools.js`` is patched to write them as text,
  and the build fails if the patch no longer applies.
"""
from __future__ import annotations

import html
from pathlib import Path

from sphinx.errors import ExtensionError

VENDOR = Path("book") / "_static" / "vendor"
NEEDS = {
    "review-chart-canvas": ("vega@", "vega-lite@", "vega-embed@"),
    'data-needs="world-atlas"': ("world-atlas@",),
    "review-case-browser": ("jquery@", "datatables.net@", "datatables.net-dt@"),
}
OWN_SCRIPTS = {"review-case-browser": "case-browser.js", 'data-needs="gap-map': "gap-map.js",
               "review-chart-canvas": "review-charts.js"}
DATA_SCRIPTS = {"review-case-browser": "data/case-browser-data.js",
                'data-needs="gap-map': "data/gap-map-data.js"}
CDN_HOSTS = ("unpkg.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com")
SEARCH_PATCHES = (
    ("linkEl.innerHTML = title;", "linkEl.textContent = title;"),
    ('listItem.appendChild(document.createElement("span")).innerHTML =',
     'listItem.appendChild(document.createElement("span")).textContent ='),
)


def add_page_scripts(app, pagename, templatename, context, doctree) -> None:
    """Load the vendored libraries, the review's data files and scripts a page needs."""
    body = context.get("body", "")
    folder = Path(app.srcdir) / VENDOR
    for marker, prefixes in NEEDS.items():
        if marker in body:
            for prefix in prefixes:
                for script in sorted(folder.glob(f"{prefix}*.js")):
                    app.add_js_file(f"vendor/{script.name}")
                for style in sorted(folder.glob(f"{prefix}*.css")):
                    app.add_css_file(f"vendor/{style.name}")
    for marker, data in DATA_SCRIPTS.items():
        if marker in body:
            app.add_js_file(data)
    for marker, script in OWN_SCRIPTS.items():
        if marker in body:
            app.add_js_file(script)


def drop_cdn_scripts(app, pagename, templatename, context, doctree) -> None:
    """Remove scripts that name a CDN: the site works offline."""
    def offline(script) -> bool:
        text = f"{getattr(script, 'filename', script)} {getattr(script, 'attributes', {}).get('body', '')}"
        return not any(host in text for host in CDN_HOSTS)
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if offline(s)]


def escape_print_title(app, pagename, templatename, context, doctree) -> None:
    """Escape the page title that sphinx-book-theme writes raw into its print header."""
    if isinstance(context.get("pagetitle"), str):
        context["pagetitle"] = html.escape(context["pagetitle"])


def patch_search(app, exception) -> None:
    """Make the search page write result titles as text, not HTML."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "searchtools.js"
    if not target.exists():
        return
    text = target.read_text(encoding="utf-8")
    for old, new in SEARCH_PATCHES:
        if old in text:
            text = text.replace(old, new)
        elif new not in text:
            raise ExtensionError(f"searchtools.js no longer contains {old!r}: check that search "
                                 "results still show titles as text, then update assets.py")
    target.write_text(text, encoding="utf-8")
