"""The living review's records: releases that any clone can read, dates from git, citation,
status, licences and the project's facts."""
from __future__ import annotations

import datetime as dt

import yaml

from analysis.dataset import load
from analysis.site import releases

from .conftest import ROOT, copy_repository, git


def test_release_1_0_is_the_first_22_cases_as_session_1_left_them():
    record = load.read_data_file(load.DATA / "releases.yml").data["releases"]
    first = record[0]
    assert first["version"] == "1.0" and first["date"] == "2026-11-29"
    assert first["commit"].startswith("d97c5ea")
    snapshot = load.read_release_snapshot(first)
    assert snapshot.unavailable is None and len(snapshot.documents) == 22
    assert snapshot.not_compared == ("appraisal", "sources")  # format 1, read through the migration
    assert all("sectors" in d for d in snapshot.documents.values())
    versions = [r["version"] for r in record]
    assert versions == sorted(versions, key=lambda v: tuple(map(int, v.split("."))))


def test_case_added_dates_come_from_git_history(tmp_path):
    repo = copy_repository(tmp_path / "repo")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    dates = load.case_added_dates(repo)
    assert set(dates) == {p.stem for p in (repo / "data" / "cases").glob("*.yml")}
    assert set(dates.values()) == {git(repo, "log", "-1", "--format=%cs").strip()}
    assert load.case_added_dates(tmp_path) == {} and not load.has_history(tmp_path)


def test_a_shallow_clone_fetches_the_release_it_compares_with(tmp_path):
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{ROOT}", str(clone))
    assert (git(clone, "rev-parse", "--is-shallow-repository").strip()) == "true"
    first = load.read_data_file(load.DATA / "releases.yml").data["releases"][0]
    snapshot = load.read_release_snapshot(first, clone)
    assert snapshot.unavailable is None and len(snapshot.documents) == 22


def test_without_history_the_release_is_named_and_the_reason_given(tmp_path):
    history = load.read_history(load.read_data_file(load.DATA / "releases.yml").data["releases"],
                                tmp_path)
    release = releases.current_release(history)
    assert release["label"].endswith("(archive)")
    assert "no git history" in release["why_not"]


def test_citation_file_describes_a_dataset():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"].startswith("1.2") and citation["type"] == "dataset"
    assert citation["license"] == "CC-BY-4.0"
    assert citation["references"][0]["authors"][0]["family-names"] == "Tu"


def test_licences_of_code_and_data_are_in_the_repository():
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    data = (ROOT / "LICENSE-DATA").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International" in data and len(data) > 10_000
    project = load.read_data_file(load.DATA / "project.yml").data
    assert (project["code_licence"], project["data_licence"]) == ("MIT", "CC-BY-4.0")


def test_status_and_screening_dates_are_not_in_the_future():
    status = load.read_data_file(load.DATA / "status.yml").data
    assert status["status"] in {"living", "paused", "ended"}
    today = dt.date.today().isoformat()
    for path in (ROOT / "data" / "screening").glob("*.yml"):
        search = load.read_data_file(path).data["search"]
        assert search["date"] <= today, path.name


def test_what_changed_lists_the_cases_each_release_added_even_after_later_changes():
    """At 2.0+N, What changed compares with 2.0; the cases added since 1.0 stay listed
    under the release history."""
    from analysis import open_review
    from analysis.site import markup, sections
    review = open_review(use_snapshot=False)
    page = sections.version_history(review).body
    versions = [r["version"] for r in review.history.releases]
    first, second = (review.history.snapshots[v] for v in versions[:2])
    added = set(second.documents) - set(first.documents)
    assert added
    listed = page.split(f"release {versions[1]}</summary>", 1)[1].split("</details>", 1)[0]
    for case_id in added:
        assert f'added: <a href="cases/{case_id}.html">' in listed or \
            f"added: {markup.text(second.documents[case_id]['title'])}" in listed, case_id
