"""The built book: its numbers come from the data, it is offline, it never goes stale, a
rebuild writes only what changed, and a fresh clone or an archive knows its release."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.dataset import load
from analysis.site import releases
from analysis.synthesis import tables
from analysis.synthesis.populations import population

from .conftest import built_page, citizen_n, load_escape, pasted

pytestmark = pytest.mark.build
CDN = re.compile(r"cdn\.jsdelivr|unpkg\.com|cdnjs\.|cdn\.datatables|googleapis\.com")


def review_of(repo: Path):
    """The review as the build in ``repo`` saw it (its snapshot)."""
    import pickle
    snapshot = sorted((repo / "_build" / ".cache").glob("review-????????????????.pickle"))[-1]
    return pickle.loads(snapshot.read_bytes())


def test_figures_in_the_html_equal_what_analysis_computes(built_book):
    review = review_of(built_book)
    overview = tables.overview(review)
    intro = built_page(built_book, "intro")
    assert pasted(intro, "The dataset holds", "cases") == str(overview["cases"])
    assert pasted(intro, "cases</strong> from", "countries") == str(overview["countries"])
    roles = tables.role_distribution(review)
    top = roles.sort_values(["cases", "label"], ascending=[False, True]).iloc[0]
    assert pasted(built_page(built_book, "roles"), "The most frequent role is", ", in") == top["label"]


@pytest.mark.parametrize("chapter", ["roles", "factors", "outcomes", "model", "configurations",
                                     "evidence-map", "findings"])
def test_each_citizen_chapter_states_the_number_of_citizen_cases(built_book, chapter):
    review = review_of(built_book)
    n = population(review).n
    html = built_page(built_book, chapter)
    assert f"This chapter counts the <strong>{n} citizen cases</strong>" in html
    assert f"citizen cases, n = {n}" in html or chapter in ("configurations", "findings")


def test_every_case_has_its_own_page_and_none_is_in_the_navigation(built_book):
    review = review_of(built_book)
    folder = built_book / "_build" / "html" / "book" / "cases"
    assert sorted(p.stem for p in folder.glob("*.html")) == sorted(review.cases["id"])
    for case in review.cases.itertuples():
        html = (folder / f"{case.id}.html").read_text(encoding="utf-8")
        assert f"<h1>{load_escape(case.title)}</h1>" in html, case.id
    intro = built_page(built_book, "intro")
    assert "cases/wiltshire-community-speedwatch.html" not in intro


def test_the_site_names_no_cdn(built_book):
    offenders = [p.relative_to(built_book).as_posix()
                 for p in (built_book / "_build" / "html").rglob("*")
                 if p.suffix in {".html", ".js", ".css"} and CDN.search(p.read_text(errors="ignore"))]
    assert offenders == []


def test_only_pages_that_need_them_load_the_libraries(built_book):
    html = built_book / "_build" / "html" / "book"
    assert "vendor/vega-embed@" in (html / "roles.html").read_text(encoding="utf-8")
    assert "vendor/world-atlas@" in (html / "intro.html").read_text(encoding="utf-8")
    assert "vendor/datatables.net@" in (html / "cases.html").read_text(encoding="utf-8")
    for plain in ("references.html", "cases/wiltshire-community-speedwatch.html"):
        text = (html / plain).read_text(encoding="utf-8")
        assert "vendor/vega" not in text and "datatables" not in text, plain


def test_a_fresh_clone_knows_release_1_0_and_compares_with_it(built_book):
    review = review_of(built_book)
    release = releases.current_release(review.history)
    assert review.history.releases[0]["version"] == "1.0"
    changes = built_page(built_book, "changes")
    if release["at_release"]:
        assert f"Compared with release {release['previous']['version']}" in changes
    else:
        assert "Compared with release " + release["base"]["version"] in changes
        added = re.findall(r"<td>added</td><td><a href=\"cases/([a-z0-9-]+)\.html\">", changes)
        base = review.history.snapshots[release["base"]["version"]]
        assert sorted(added) == sorted(set(review.documents) - set(base.documents))
    assert "<td>1.0</td>" in changes


def test_downloads_exist_for_every_listed_file(built_book):
    from analysis.site.downloads import DOWNLOADS
    folder = built_book / "_build" / "html" / "downloads"
    assert sorted(p.name for p in folder.iterdir()) == sorted(name for name, _ in DOWNLOADS)


def test_a_rebuild_with_nothing_changed_executes_and_writes_nothing(hostile_book):
    log = hostile_book["unchanged"].stdout + hostile_book["unchanged"].stderr
    assert "Executing notebook" not in log
    assert hostile_book["after_nothing"] == hostile_book["before"]


def test_adding_a_case_updates_the_counts_and_writes_only_its_own_case_page(hostile_book):
    repo = hostile_book["repo"]
    log = hostile_book["changed"].stdout + hostile_book["changed"].stderr
    assert "Executing notebook" in log
    assert int(pasted(built_page(repo, "intro"), "The dataset holds", "cases")) == hostile_book["counts"]["cases"] + 1
    assert citizen_n(built_page(repo, "roles")) == hostile_book["counts"]["citizen"] + 1
    before, after = hostile_book["before"], hostile_book["after_case"]
    rewritten = sorted(name for name in after if before.get(name) != after[name])
    assert rewritten == ["fixture-new-case.html"]


def test_hostile_titles_and_references_are_published_as_text(hostile_book):
    repo = hostile_book["repo"]
    html = (repo / "_build" / "html" / "book" / "cases" / "fixture-new-case.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
    references = built_page(repo, "references")
    assert "<img src=x" not in references and "&lt;img src=x" in references
    data = (repo / "_build" / "html" / "_static" / "data" / "case-browser-data.js").read_text(encoding="utf-8")
    assert "<img" in data and "</" not in data  # kept as data, never as markup
    assert "textContent = title" in (repo / "_build" / "html" / "_static" / "searchtools.js").read_text()


def test_an_archive_names_its_release_and_says_why_it_cannot_compare(hostile_book):
    repo = hostile_book["repo"]
    intro, changes = built_page(repo, "intro"), built_page(repo, "changes")
    latest = load.read_data_file(load.DATA / "releases.yml").data["releases"][-1]["version"]
    assert f"Version {latest} (archive)" in intro
    assert "no git history" in changes and "Nothing to compare" in changes
