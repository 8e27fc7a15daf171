"""One HTML page per case, written by the builder from :mod:`analysis.site.case_pages`.

Case pages are not Sphinx source documents: they are not in the table of contents (so no
page's navigation grows with the number of cases), are never parsed as MyST (so contributed
text cannot become markup), and a page is written again only when its own content changed.
Each is fed to the search index by its title and summary.
"""
from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import new_document

from ..case_pages import case_page_html

FOLDER = "book/cases"
STATE = "case-pages.json"


def _state_path(app) -> Path:
    return Path(app.outdir).parent / ".cache" / STATE


def _layout_key(app) -> str:
    """What every case page's frame depends on: the theme configuration and the table of contents."""
    parts = [getattr(app.builder, "config_hash", ""), Path(app.srcdir, "_toc.yml").read_text(
        encoding="utf-8"), json.dumps(app.config.html_theme_options, sort_keys=True, default=str)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _search_doctree(app, title: str, summary: str) -> nodes.document:
    document = new_document("case", app.env.settings if hasattr(app.env, "settings") else None)
    section = nodes.section(ids=["case"])
    section += nodes.title(text=title)
    section += nodes.paragraph(text=summary)
    document += section
    return document


def collect_case_pages(app):
    """Yield the case pages whose content changed; feed every case to the search index."""
    review = app.review
    project = review.project or {}
    repository = project.get("repository_url")
    report = f"{repository.rstrip('/')}/issues/new?template=report-a-coding-error.yml" \
        if repository else None
    added = review.history.added_dates if review.history else {}
    state_path = _state_path(app)
    try:
        previous = json.loads(state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = {}
    layout = _layout_key(app)
    current: dict[str, str] = {}
    indexer = getattr(app.builder, "indexer", None)
    for case_id, case in sorted(review.documents.items()):
        pagename = f"{FOLDER}/{case_id}"
        body = case_page_html(review, case_id, added.get(case_id, ""), report)
        digest = hashlib.sha256((layout + body).encode()).hexdigest()
        current[pagename] = digest
        if indexer is not None:
            indexer.feed(pagename, f"{pagename}.html", case["title"],
                         _search_doctree(app, case["title"], case["summary"]))
        target = Path(app.outdir) / f"{pagename}.html"
        if previous.get(pagename) == digest and target.exists():
            continue
        yield pagename, {"title": html.escape(case["title"]), "pagetitle": case["title"],
                         "body": body,
                         "display_toc": False, "toc": "", "sourcename": "", "meta": {},
                         "parents": [{"link": "../cases.html", "title": "Cases"}]}, "page.html"
    if indexer is not None:
        _keep_in_search_index(indexer, set(current))
    for stale in set(previous) - set(current):
        (Path(app.outdir) / f"{stale}.html").unlink(missing_ok=True)
    state_path.parent.mkdir(parents=True, exist_ok=True)
    state_path.write_text(json.dumps(current), encoding="utf-8")


def _keep_in_search_index(indexer, pagenames: set[str]) -> None:
    """Sphinx prunes the search index to the documents it read before dumping it; case pages
    are not among them, so keep them too (this build's indexer only)."""
    prune = indexer.prune
    indexer.prune = lambda docnames: prune(set(docnames) | pagenames)
