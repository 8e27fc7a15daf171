"""The living review: versions, what changed, dates from git, downloads, citation, status."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from analysis import history, load
from analysis.load import Snapshot

from .conftest import ROOT, build_book, copy_repository

NEW_CASE = ROOT / "tests" / "fixtures" / "new_case" / "fixture-new-case.yml"
GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True, env=GIT_ENV).stdout


def snapshot(cases: dict[str, dict], codebook: dict | None = None) -> Snapshot:
    return Snapshot("test", None, cases, codebook or load.read_codebook())


def test_case_changes_lists_added_removed_and_recoded_cases():
    old = snapshot({"a": {"id": "a", "title": "A", "x": 1}, "b": {"id": "b", "title": "B"}})
    new = snapshot({"a": {"id": "a", "title": "A", "x": 2}, "c": {"id": "c", "title": "C"}})
    changes = history.case_changes(old, new)
    assert list(zip(changes["change"], changes["id"])) == [("added", "c"), ("removed", "b"),
                                                           ("recoded", "a")]
    assert changes.loc[changes["id"] == "a", "fields"].item() == "x"


def test_codebook_changes_name_the_vocabulary_and_code():
    codebook = load.read_codebook()
    changed = yaml.safe_load(yaml.safe_dump(codebook))
    changed["role"]["codes"][0]["definition"] = "Changed."
    changed["outcome"]["codes"].append({"code": "wellbeing", "label": "Wellbeing",
                                        "definition": "d", "group": "additional", "source": "tu2022"})
    table = history.codebook_changes(snapshot({}, codebook), snapshot({}, changed))
    assert set(map(tuple, table.values.tolist())) == {("outcome", "wellbeing", "added"),
                                                      ("role", "co_commissioning", "redefined")}


@pytest.mark.parametrize("state, label", [
    ({"history": False}, "unversioned (no git history)"),
    ({"history": True, "tag": "v1.2", "latest": "v1.2", "commits_since": 0, "dirty": False}, "v1.2"),
    ({"history": True, "tag": None, "latest": "v1.2", "commits_since": 3, "dirty": False}, "v1.2+3"),
    ({"history": True, "tag": None, "latest": "v1.2", "commits_since": 0, "dirty": True}, "v1.2+0+dev"),
    ({"history": True, "tag": None, "latest": None, "commits_since": None, "dirty": False}, "unreleased"),
])
def test_version_label(state, label):
    assert history.version_label(state) == label


def test_previous_release_is_the_tag_before_head_or_the_latest():
    tags = [("v1.0", "2026-01-01"), ("v1.1", "2026-02-01")]
    assert history.previous_release({"tag": "v1.1", "latest": "v1.1"}, tags) == "v1.0"
    assert history.previous_release({"tag": "v1.0", "latest": "v1.0"}, tags) is None
    assert history.previous_release({"tag": None, "latest": "v1.1"}, tags) == "v1.1"


def test_release_record_dates_a_release_by_its_tag_and_a_build_by_today():
    tags = [("v1.0", "2026-01-01"), ("v1.1", "2026-02-01")]
    at_tag = {"history": True, "tag": "v1.1", "latest": "v1.1", "commits_since": 0, "dirty": False}
    record = history.release_record(at_tag, tags, "2026-03-03")
    assert (record["label"], record["date"], record["previous"]) == ("v1.1", "2026-02-01", "v1.0")
    later = {**at_tag, "tag": None, "commits_since": 2}
    record = history.release_record(later, tags, "2026-03-03")
    assert (record["label"], record["date"], record["previous"]) == ("v1.1+2", "2026-03-03", "v1.1")
    assert history.version_line(record, 22) == "Version v1.1+2, 2026-03-03, 22 cases"


def test_case_added_dates_come_from_git_history(tmp_path):
    repo = copy_repository(tmp_path / "repo")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first", "--date", "2026-01-02T12:00:00")
    dates = load.case_added_dates(repo)
    assert set(dates) == {p.stem for p in (repo / "data" / "cases").glob("*.yml")}
    assert set(dates.values()) == {git(repo, "log", "-1", "--format=%cs").strip()}
    assert load.case_added_dates(tmp_path) == {} and not load.has_history(tmp_path)


def _add_case(repo: Path, name: str, citekey: str) -> None:
    text = NEW_CASE.read_text(encoding="utf-8").replace("fixture-new-case", name) \
        .replace("citekey: pestoff2006", f"citekey: {citekey}") \
        .replace("https://example.org/fixture-new-case/", f"https://example.org/{name}/")
    (repo / "data" / "cases" / f"{name}.yml").write_text(text, encoding="utf-8")


@pytest.mark.build
def test_after_a_release_what_changed_lists_exactly_the_changed_cases(tmp_path):
    repo = copy_repository(tmp_path / "repo")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "data for v1.0")
    git(repo, "tag", "-a", "v1.0", "-m", "release v1.0")
    before = len(list((repo / "data" / "cases").glob("*.yml")))
    _add_case(repo, "fixture-first-added", "pestoff2006")
    _add_case(repo, "fixture-second-added", "boyte2008")
    recoded = repo / "data" / "cases" / "wiltshire-community-speedwatch.yml"
    recoded.write_text(recoded.read_text(encoding="utf-8").replace(
        "  - code: co_commissioning\n    basis: inferred", "  - code: co_commissioning\n    basis: stated", 1),
        encoding="utf-8")
    build_book(repo)
    html_dir = repo / "_build" / "html" / "book"
    changes = (html_dir / "changes.html").read_text(encoding="utf-8")
    table = changes.split("what-changed", 1)[1].split("</table>", 1)[0]
    listed = re.findall(r"<tr><td>(added|removed|recoded)</td><td><a href=\"cases/([a-z0-9-]+)\.html\">", table)
    assert sorted(listed) == [("added", "fixture-first-added"), ("added", "fixture-second-added"),
                              ("recoded", "wiltshire-community-speedwatch")]
    assert "not yet committed" in table
    assert "v1.0" in changes and "Co-delivery" in changes and "Change (points)" in changes
    intro = (html_dir / "intro.html").read_text(encoding="utf-8")
    assert "Version v1.0+0+dev, " in intro and f"{before + 2} cases" in intro
    assert re.search(r'The dataset holds\s*<strong><span class="pasted-text">' + str(before + 2), intro)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "two cases, one recoded")
    git(repo, "tag", "-a", "v1.1", "-m", "release v1.1")
    build_book(repo)
    changes = (html_dir / "changes.html").read_text(encoding="utf-8")
    assert "Version v1.1, " in (html_dir / "intro.html").read_text(encoding="utf-8")
    history_rows = re.findall(r"<td>(v1\.\d)</td>\s*<td>[\d-]+</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>"
                              r"\s*<td>(\d+)</td>\s*<td>(\d+)</td>", changes)
    assert history_rows == [("v1.0", str(before), str(before), "0", "0"),
                            ("v1.1", str(before + 2), "2", "0", "1")]
    added_page = (html_dir / "cases" / "fixture-first-added.html").read_text(encoding="utf-8")
    assert git(repo, "log", "-1", "--format=%cs").strip() in added_page


@pytest.mark.build
def test_without_git_history_the_book_says_so_instead_of_crashing(built_book):
    changes = (built_book / "_build" / "html" / "book" / "changes.html").read_text(encoding="utf-8")
    assert "no git history" in changes
    assert "Version unversioned (no git history)" in changes


@pytest.mark.build
def test_downloads_open_and_the_data_package_validates(built_book):
    from frictionless import validate
    folder = built_book / "_build" / "html" / "downloads"
    review = load.build_review(load.read_case_documents(), load.read_codebook(), load.read_references())
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    import pandas as pd
    cases = pd.read_csv(folder / "cases.csv")
    assert sorted(cases["id"]) == sorted(review.cases["id"])
    assert any("Çanakkale" in p for p in cases["place"])
    nested = json.loads((folder / "cases.json").read_text(encoding="utf-8"))
    assert {c["id"] for c in nested["cases"]} == set(review.cases["id"])
    assert len(pd.read_csv(folder / "roles.csv")) == len(review.roles)
    assert (folder / "references.bib").read_text(encoding="utf-8") == load.REFERENCES_PATH.read_text(encoding="utf-8")
    intro = (built_book / "_build" / "html" / "book" / "intro.html").read_text(encoding="utf-8")
    for name in ("cases.csv", "cases.json", "codebook.yml", "references.bib", "datapackage.json"):
        assert f'href="../downloads/{name}"' in intro


def test_citation_file_describes_a_dataset():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"].startswith("1.2")
    assert citation["type"] == "dataset"
    assert citation["title"] and citation["message"] and citation["authors"]
    assert citation["license"] == "CC-BY-4.0"
    tu = citation["references"][0]
    assert tu["authors"][0]["family-names"] == "Tu" and tu["year"] == 2022


def test_status_statement_has_search_dates_schedule_and_how_to_propose():
    import datetime as dt
    status = load.read_status()
    assert status["status"] in {"living", "paused"}
    assert status["update_schedule"].strip() and status["how_to_propose"].strip()
    for search in status["searches"]:
        assert dt.date.fromisoformat(search["last_searched"]) <= dt.date.today()
