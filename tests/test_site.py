"""The site's pieces, without a build: contributed text stays text on case pages, in data
files and in downloads; versions and what changed follow the release record."""
from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import pytest
import sphinx

from analysis import open_review
from analysis.dataset.review import History, Snapshot
from analysis.site import case_browser, case_pages, downloads, markup, releases
from analysis.site.sphinx import assets
from analysis.site.sphinx.freshness import with_fingerprint

HOSTILE = '<img src=x onerror="alert(1)"> **bold** {cite}`tu2022` =1+1'


@pytest.fixture(scope="module")
def review():
    return open_review(use_snapshot=False)


@pytest.fixture
def hostile_review(review):
    """The review with one case's contributed texts made hostile."""
    hostile = copy.copy(review)
    case_id = "wiltshire-community-speedwatch"
    document = copy.deepcopy(review.documents[case_id])
    document["title"] = HOSTILE
    document["summary"] = HOSTILE + " summary text long enough"
    document["roles"][0]["note"] = HOSTILE
    document["sources"][0]["title"] = HOSTILE
    hostile.documents = {**review.documents, case_id: document}
    hostile.cases = review.cases.copy()
    hostile.cases.loc[hostile.cases["id"] == case_id, "title"] = HOSTILE
    return hostile


def test_case_page_shows_contributed_text_as_text(hostile_review):
    html = case_pages.case_page_html(hostile_review, "wiltshire-community-speedwatch")
    assert "<img" not in html and "onerror=\"" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; **bold** {cite}`tu2022` =1+1" in html


def test_case_page_holds_its_coding_and_its_second_reading(review):
    html = case_pages.case_page_html(review, "wiltshire-community-speedwatch", "2026-11-29")
    document = review.documents["wiltshire-community-speedwatch"]
    for value in document["roles"] + document["factors"] + document["outcomes"]:
        assert markup.text(value["note"]) in html
    rows = review.second_readings[review.second_readings["case_id"] == "wiltshire-community-speedwatch"]
    assert markup.text(case_pages.reading_summary(rows)) in html
    assert "AACODS" in html and "Added to the review" in html and "2026-11-29" in html


def test_links_are_made_only_from_public_http_addresses():
    assert markup.link("https://www.govint.org/x", "x") == '<a href="https://www.govint.org/x" rel="noopener">x</a>'
    for bad in ("javascript:alert(1)", "data:text/html,<b>", "http://127.0.0.1/"):
        assert "<a" not in markup.link(bad, "label")


def test_tables_escape_every_cell():
    import pandas as pd
    html = markup.table(pd.DataFrame({"a": [HOSTILE]}), caption=HOSTILE)
    assert "<img" not in html and html.count("&lt;img") == 3  # region label, caption, cell


def test_csv_cells_never_start_a_formula(hostile_review):
    frame = downloads.cases_flat(hostile_review, {})
    text = downloads.csv_text(frame).decode("utf-8")
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert downloads.neutralised("=1+1") == "'=1+1" and downloads.neutralised("-3") == "'-3"
    assert downloads.neutralised("ok") == "ok"


def test_downloads_make_a_valid_data_package(review, tmp_path):
    from frictionless import validate
    files = downloads.package_files(review, "codebook: x\n", "@misc{a, title={t}, year={2020}}\n",
                                    "2.0", "2026-11-30", {})
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    nested = json.loads(files["cases.json"])
    assert {c["id"] for c in nested["cases"]} == set(review.cases["id"])
    assert files["case-sources.bib"].decode().count("@misc{") == len(review.sources)


def test_browser_data_is_plain_json_that_cannot_close_its_script(hostile_review):
    from analysis.site.sphinx.publishing import _script
    data = case_browser.browser_data(hostile_review)
    assert HOSTILE in [row[1] for row in data["rows"]]
    script = _script("reviewCases", data).decode()
    assert "</" not in script and script.startswith("window.reviewCases = ")


def test_search_results_are_patched_to_show_titles_as_text():
    source = (Path(sphinx.__file__).parent / "themes" / "basic" / "static" / "searchtools.js").read_text()
    for old, _new in assets.SEARCH_PATCHES:
        assert old in source, "Sphinx's searchtools.js changed; update assets.SEARCH_PATCHES"


def test_bibliography_entries_become_list_items_and_a_changed_markup_fails_the_build():
    from sphinx.errors import ExtensionError
    entry = '<div role="list" class="citation-list">\n<div class="citation" id="id1" role="doc-biblioentry">'
    context = {"body": entry}
    assets.bibliography_as_list(None, "book/references", "page.html", context, None)
    assert 'role="listitem"' in context["body"] and "doc-biblioentry" not in context["body"]
    assets.bibliography_as_list(None, "book/references", "page.html", context, None)  # already fixed
    with pytest.raises(ExtensionError):
        assets.bibliography_as_list(None, "book/references", "page.html",
                                    {"body": '<div role="list" class="citation-list"><li>'}, None)
    from docutils.writers import _html_base
    source = Path(_html_base.__file__).read_text(encoding="utf-8")
    assert 'role="doc-biblioentry"' in source and 'class="citation-list"' in source, \
        "docutils' citation markup changed; check the bibliography with axe, update assets.BIBLIOENTRY"


def test_fingerprint_goes_into_the_first_code_cell_after_its_options():
    source = "# T\n\n```{code-cell} ipython3\n:tags: [remove-cell]\nx = 1\n```\n\n```{code-cell}\ny\n```\n"
    marked = with_fingerprint(source, "abc123")
    assert marked.count("# review data: abc123") == 1
    assert ":tags: [remove-cell]\n# review data: abc123\nx = 1" in marked


RELEASES = [{"version": "1.0", "date": "2026-11-29", "commit": "a" * 40, "approved_by": "x",
             "summary": "first", "data_hash": "h1", "data_changes_since": 3},
            {"version": "2.0", "date": "2026-11-30", "commit": "b" * 40, "approved_by": "x",
             "summary": "second", "data_hash": "h2", "data_changes_since": 0}]


@pytest.mark.parametrize("state, label, previous", [
    ({"history": True, "data_hash": "h2", "dirty": False, "today": "2026-12-01"}, "2.0", "1.0"),
    ({"history": True, "data_hash": "h3", "dirty": False, "today": "2026-12-01"}, "2.0+0", "2.0"),
    ({"history": True, "data_hash": "h3", "dirty": True, "today": "2026-12-01"}, "2.0+0+dev", "2.0"),
    ({"history": False, "today": "2026-12-01"}, "2.0 (archive)", None),
])
def test_version_label_and_comparison_follow_the_release_record(state, label, previous):
    history = History(releases=RELEASES, state=state)
    release = releases.current_release(history)
    assert release["label"] == label
    assert (release["previous"] or {}).get("version") == previous
    if not state["history"]:
        assert "no git history" in release["why_not"]


def test_what_changed_reads_an_older_data_format(review):
    old_docs = {}
    for case_id in list(review.documents)[:3]:
        doc = {k: v for k, v in review.documents[case_id].items() if k not in ("appraisal", "_file")}
        doc["sources"] = [{"url": s["url"]} for s in doc["sources"]]
        old_docs[case_id] = doc
    snapshot = Snapshot("1.0", "2026-11-29", old_docs, review.codebook,
                        not_compared=("appraisal", "sources"))
    changes = releases.case_changes(snapshot, review.documents)
    assert set(changes.loc[changes["change"] == "added", "id"]) == set(review.documents) - set(old_docs)
    assert "recoded" not in set(changes["change"])
    history = releases.version_history(History(
        releases=RELEASES[:1], state={"history": True},
        snapshots={"1.0": snapshot}))
    assert history.loc[0, "Cases"] == 3 and history.loc[0, "Added"] == 3


def _every_figure(review):
    from analysis.site import figures
    for name in ["country_map", "cases_by_sector", "roles", "roles_by_sector", "roles_by_region",
                 "levels_by_role", "participants_by_role", "basis", "factors", "factors_by_side",
                 "factors_by_role", "outcomes", "negative_kinds", "evidence", "outcomes_by_role",
                 "coproduction_model"]:
        yield name, getattr(figures, name)(review)
    for rows in ("roles", "factors"):
        yield f"evidence_map {rows}", figures.evidence_map(review, rows)


def _tooltips(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "tooltip":
                yield from (value if isinstance(value, list) else [value])
            else:
                yield from _tooltips(value)
    elif isinstance(node, list):
        for item in node:
            yield from _tooltips(item)


def test_every_chart_tooltip_names_its_fields_in_words(review):
    """A reader hovering over a chart sees 'Role', never a column name such as role_label."""
    unnamed = []
    for name, figure in _every_figure(review):
        payload = figure.body.split('class="review-chart-spec"', 1)[1].split(">", 1)[1].split("</script>", 1)[0]
        for tooltip in _tooltips(json.loads(payload)):
            if isinstance(tooltip, dict) and "field" in tooltip:
                title = tooltip.get("title", "")
                if not title or "_" in title or title == tooltip["field"]:
                    unnamed.append((name, tooltip["field"], title))
    assert unnamed == []
