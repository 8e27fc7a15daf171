"""The built book: its numbers come from the data, it is offline, and it never goes stale."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from analysis import tables
from analysis.sphinx_ext import with_fingerprint
from analysis.validate import checked_review

from .conftest import ROOT, build_book, copy_repository

pytestmark = pytest.mark.build
CDN = re.compile(r"cdn\.jsdelivr|unpkg\.com|cdnjs\.|cdn\.datatables|googleapis\.com")
NEW_CASE = ROOT / "tests" / "fixtures" / "new_case" / "fixture-new-case.yml"


def pasted(html: str, before: str, after: str) -> str:
    """The glued value between two pieces of the surrounding prose."""
    match = re.search(re.escape(before) + r'\s*(?:<[^>]+>\s*)*<span class="pasted-text">([^<]+)</span>'
                      r'(?:\s*</?[^>]+>)*\s*' + re.escape(after), html)
    assert match, f"no figure between {before!r} and {after!r}"
    return match.group(1)


def page(repo: Path, name: str) -> str:
    return (repo / "_build" / "html" / "book" / f"{name}.html").read_text(encoding="utf-8")


def test_figures_in_the_html_equal_what_analysis_computes(built_book):
    review = checked_review()
    overview = tables.overview(review)
    intro = page(built_book, "intro")
    assert pasted(intro, "The dataset holds", "cases") == str(overview["cases"])
    assert pasted(intro, "cases</strong> from", "countries") == str(overview["countries"])
    assert pasted(intro, "countries</strong>\nin", "public-service sectors") == str(overview["sectors"])
    assert pasted(intro, "carry", "coded values") == str(overview["coded_values"])
    roles = tables.role_distribution(review)
    top = roles.sort_values(["cases", "label"], ascending=[False, True]).iloc[0]
    roles_page = page(built_book, "roles")
    assert pasted(roles_page, "The most frequent role is", ", in") == top["label"]
    assert f"{top['cases']} of {top['n']} cases" in roles_page
    outcomes = page(built_book, "outcomes")
    assert pasted(outcomes, "Across the", "cases,") == str(len(review.cases))


def test_every_case_has_its_own_page_with_its_title(built_book):
    review = checked_review()
    for case in review.cases.itertuples():
        html = (built_book / "_build" / "html" / "book" / "cases" / f"{case.id}.html").read_text(
            encoding="utf-8")
        assert f"<h1>{_escaped(case.title)}" in html, case.id


def _escaped(text: str) -> str:
    import html
    return html.escape(text, quote=False)


def test_the_site_names_no_cdn(built_book):
    offenders = [p.relative_to(built_book).as_posix()
                 for p in (built_book / "_build" / "html").rglob("*")
                 if p.suffix in {".html", ".js", ".css"} and CDN.search(p.read_text(errors="ignore"))]
    assert offenders == []


def test_only_pages_with_charts_load_vega(built_book):
    html = built_book / "_build" / "html" / "book"
    assert "vendor/vega-embed@" in (html / "roles.html").read_text(encoding="utf-8")
    for plain in ("references.html", "cases/wiltshire-community-speedwatch.html"):
        assert "vendor/vega" not in (html / plain).read_text(encoding="utf-8"), plain


def test_vendored_vega_matches_the_installed_altair():
    import altair
    vendor = ROOT / "book" / "_static" / "vendor"
    assert (vendor / f"vega-lite@{altair.VEGALITE_VERSION}.min.js").is_file()
    assert list(vendor.glob(f"vega@{altair.VEGA_VERSION}.*.min.js"))
    assert list(vendor.glob(f"vega-embed@{altair.VEGAEMBED_VERSION}.*.min.js"))


def test_contributed_text_is_shown_as_text_not_markup(tmp_path):
    repo = copy_repository(tmp_path / "repo")
    hostile = NEW_CASE.read_text(encoding="utf-8").replace(
        'title: "Fixture: parents run a toy library with the council"',
        'title: "<script>alert(1)</script> **bold** {cite}`tu2022`"')
    (repo / "data" / "cases" / "fixture-new-case.yml").write_text(hostile, encoding="utf-8")
    build_book(repo)
    html = (repo / "_build" / "html" / "book" / "cases" / "fixture-new-case.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold** {cite}`tu2022`" in html
    table = page(repo, "cases")
    assert "<script>alert(1)</script>" not in table


def test_fingerprint_goes_into_the_first_code_cell_after_its_options():
    source = "# T\n\n```{code-cell} ipython3\n:tags: [remove-cell]\nx = 1\n```\n\n```{code-cell}\ny\n```\n"
    marked = with_fingerprint(source, "abc123")
    assert marked.count("# review data: abc123") == 1
    assert ":tags: [remove-cell]\n# review data: abc123\nx = 1" in marked
    yaml_options = "```{code-cell} ipython3\n---\ntags: [x]\n---\nz = 2\n```\n"
    assert "---\n# review data: f\nz = 2" in with_fingerprint(yaml_options, "f")


def test_adding_a_case_changes_the_published_counts_and_nothing_else_reruns(tmp_path):
    repo = copy_repository(tmp_path / "repo")
    build_book(repo)
    before = int(pasted(page(repo, "intro"), "The dataset holds", "cases"))
    citizen_before = int(pasted(page(repo, "roles"), "This chapter counts the", "cases whose"))
    unchanged = build_book(repo)
    assert "Executing notebook" not in unchanged.stdout + unchanged.stderr
    shutil.copy(NEW_CASE, repo / "data" / "cases" / NEW_CASE.name)
    changed = build_book(repo)
    assert "Executing notebook" in changed.stdout + changed.stderr
    assert int(pasted(page(repo, "intro"), "The dataset holds", "cases")) == before + 1
    assert int(pasted(page(repo, "roles"), "This chapter counts the", "cases whose")) == citizen_before + 1
    assert (repo / "_build" / "html" / "book" / "cases" / "fixture-new-case.html").is_file()
