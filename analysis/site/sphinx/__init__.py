"""The Sphinx extension that builds the review from its data.

- :mod:`.freshness`: read the data once per build, hand the chapters its snapshot, and
  never serve stale numbers from the execution cache;
- :mod:`.case_pages`: one page per case, outside the table of contents;
- :mod:`.assets`: the scripts a page needs, offline; contributed text kept inert; the
  bibliography's ARIA roles made valid;
- :mod:`.publishing`: downloads, the version line and the data files of listing pages.

Loaded from ``_config.yml`` (``sphinx: local_extensions``).
"""
from __future__ import annotations

from . import assets, case_pages, freshness, publishing


def setup(app):
    app.connect("config-inited", freshness.open_review_once, priority=100)
    app.connect("config-inited", publishing.publish, priority=600)
    app.connect("source-read", freshness.depend_on_data)
    app.connect("html-collect-pages", case_pages.collect_case_pages)
    app.connect("html-page-context", assets.drop_cdn_scripts)
    app.connect("html-page-context", assets.escape_print_title, priority=900)
    app.connect("html-page-context", assets.add_page_scripts, priority=400)
    app.connect("html-page-context", assets.bibliography_as_list)
    app.connect("build-finished", assets.patch_search)
    app.add_js_file("review-version.js")
    app.add_js_file("review.js")
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
