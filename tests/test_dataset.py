"""The coded dataset: it validates, its mistakes are caught with the file and field named,
and it reads back as tables that hold exactly what the files say."""
from __future__ import annotations

import copy
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from analysis import open_review
from analysis.dataset import load, policies, strict_yaml
from analysis.dataset.codebook import Codebook
from analysis.dataset.countries import region, subregion
from analysis.dataset.migration import to_current
from analysis.dataset.review import tabulate
from analysis.dataset.screening import screening_problems
from analysis.dataset.second_reading import fingerprint, reading_status
from analysis.dataset.validation import CaseChecker, template_placeholders

from .conftest import FIXTURES, ROOT

VALID = FIXTURES / "valid" / "fixture-valid-case.yml"


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def review():
    return open_review(use_snapshot=False)


@pytest.fixture(scope="module")
def checker() -> CaseChecker:
    codebook = load.read_data_file(load.CODEBOOK_PATH).data
    return CaseChecker(Codebook(codebook["vocabularies"], codebook["format"]),
                       dt.date(2026, 11, 30), template_placeholders(
                           load.TEMPLATE_PATH.read_text(encoding="utf-8")))


def valid_case() -> dict:
    return strict_yaml.parse_yaml(VALID.read_text(encoding="utf-8"))[0]


def test_shipped_data_validates_and_holds_the_cases():
    checked = load.check()
    assert [str(p) for p in checked.problems] == []
    assert len(checked.cases) == len(list((ROOT / "data" / "cases").glob("*.yml"))) >= 20


def test_validate_command_summarises_counts_from_the_data(review):
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    cases = review.cases
    assert f"OK: {len(cases)} cases from {cases['country'].nunique()} countries " \
           f"({int((cases['region'] != 'Europe').sum())} of the cases outside Europe)" in result.stdout
    checked = int(review.second_readings["status"].isin(["confirmed", "corrected"]).sum())
    assert f"{checked} of {len(review.second_readings)} values checked by a second reader" in result.stdout


def test_validation_fails_when_it_sees_no_files(tmp_path):
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 1
    assert "no case files" in result.stdout


def test_tables_hold_one_row_per_coded_value_and_case(review):
    for kind in ("roles", "factors", "outcomes"):
        expected = sum(len(d.get(kind) or []) for d in review.documents.values())
        assert len(getattr(review, kind)) == expected, kind
        frame = getattr(review, kind)
        for column in ("basis", "note", "url", "section"):
            assert frame[column].notna().all() and (frame[column].str.strip() != "").all()
    assert review.cases["id"].is_unique and len(review.cases) == len(review.documents)
    assert len(review.sectors) == sum(len(d["sectors"]) for d in review.documents.values())


def test_staff_only_case_is_flagged_not_citizen(review):
    hessen = review.cases.set_index("id").loc["hessen-caf-staff-self-assessment"]
    assert hessen["participants"] == "staff" and not hessen["citizen_participation"]


def test_every_case_has_an_appraisal_and_sources_described_in_its_file(review):
    assert review.cases["author_role"].notna().all()
    assert review.cases["evaluation_design"].notna().all()
    assert set(review.cases["coverage"]) <= {"full", "partial"}
    assert review.sources[["url", "title", "publisher", "kind", "read_on"]].notna().all().all()


def test_a_valid_case_passes(checker):
    result = checker.check("x/fixture-valid-case.yml", "fixture-valid-case", VALID.read_text())
    assert result.problems == [] and result.valid


def test_a_case_with_no_reported_outcome_validates_and_is_counted(checker):
    case = valid_case()
    case["outcomes"] = []
    case["factors"] = []
    result = checker.check("x/fixture-valid-case.yml", "fixture-valid-case", yaml.safe_dump(case))
    assert result.problems == []
    codebook = checker.codebook
    tables = tabulate([case], codebook)
    assert bool(tables["cases"]["no_outcome_reported"].iloc[0])


def _mutated(mutate) -> str:
    case = valid_case()
    mutate(case)
    return yaml.safe_dump(case, allow_unicode=True, sort_keys=False)


MUTATIONS = {
    "role code unknown": (lambda c: c["roles"][0].update(code="co-desing"), "roles[0].code", "did you mean 'co_design'"),
    "basis not allowed": (lambda c: c["roles"][0].update(basis="maybe"), "roles[0].basis", "allowed: stated, inferred"),
    "no roles": (lambda c: c.update(roles=[]), "roles", "at least 1"),
    "negative outcome without kind": (lambda c: c["outcomes"][1].pop("kind"), "outcomes[1].kind", "negative_outcome_kind"),
    "kind on a positive outcome": (lambda c: c["outcomes"][0].update(kind="implicit_demands"), "outcomes[0]", "only a negative_outcome"),
    "old single sector": (lambda c: c.update(sector="health"), "sector", "unknown field"),
    "country not ISO": (lambda c: c.update(country="UK"), "country", "'GB' for United Kingdom"),
    "country with newline": (lambda c: c.update(country="NO\n"), "country", "ISO 3166-1"),
    "id not file name": (lambda c: c.update(id="another-id"), "id", "the file name"),
    "year as text": (lambda c: c.update(year_documented="2013.0"), "year_documented", "a year from"),
    "started after documented": (lambda c: c.update(year_started=2021), "year_started", "no later than"),
    "coding date in future": (lambda c: c["coding"].update(date="2027-01-01"), "coding.date", "no later than today"),
    "locator outside sources": (lambda c: c["roles"][0]["locator"].update(url="https://example.org/fixture-valid-caseX/"), "roles[0].locator.url", "under one of this case's sources"),
    "javascript source": (lambda c: c["sources"][0].update(url="javascript:alert(1)"), "sources[0].url", "http"),
    "loopback source": (lambda c: c["sources"][0].update(url="http://127.0.0.1/x"), "sources[0].url", "IP address"),
    "partial coverage without note": (lambda c: c["appraisal"].update(coverage="partial"), "appraisal.coverage_note", "could not be read"),
    "bidi override in title": (lambda c: c.update(title="Toy library \u202eyrarbil"), "title", "reverses"),
    "title of zero-width spaces": (lambda c: c.update(title="\u200b" * 8), "title", "blank"),
    "same finding twice": (lambda c: c["roles"].append(copy.deepcopy(c["roles"][0])), "roles[2].code", "same locator"),
    "section one character": (lambda c: c["roles"][0]["locator"].update(section="A"), "roles[0].locator.section", "2 to 200"),
    "roles not a list": (lambda c: c.update(roles=5), "roles", "a list of coded citizen roles"),
    "code given as list": (lambda c: c["roles"][0].update(code=["co_design"]), "roles[0].code", "allowed"),
    "null source url": (lambda c: c["sources"][0].update(url=None), "sources[0].url", "http(s)"),
    "placeholder left": (lambda c: c.update(place="Town or region"), "place", "placeholder"),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_each_mistake_is_named_with_its_field(checker, name):
    mutate, field, words = MUTATIONS[name]
    result = checker.check("data/cases/fixture-valid-case.yml", "fixture-valid-case", _mutated(mutate))
    messages = [str(p) for p in result.problems]
    assert messages, f"{name} passed validation"
    assert any(f"data/cases/fixture-valid-case.yml: {field}" in m and words in m for m in messages), messages


@pytest.mark.parametrize("text, line, words", [
    ("a: &x [1]\nb: *x\n", 1, "anchors"),
    ("[" * 5000 + "]" * 5000, 1, "nested more than"),
    ("a: 1\na: 2\n", 2, "appears twice"),
    ("? [1, 2]\n: x\n", 1, "plain text"),
    ("a: !!python/object/apply:os.system [ls]\n", 1, "tags"),
    ("a: b\x00\n", 1, "U+0000"),
])
def test_yaml_that_is_not_plain_data_is_refused_with_its_line(text, line, words):
    with pytest.raises(strict_yaml.YamlError) as error:
        strict_yaml.parse_yaml(text)
    assert words in str(error.value) and error.value.line == line


def test_yaml_keeps_norway_dates_and_decimal_years_as_text():
    data, lines = strict_yaml.parse_yaml("country: NO\ndate: 2026-11-29\nyear: 2013.0\nok: true\n")
    assert data == {"country": "NO", "date": "2026-11-29", "year": "2013.0", "ok": True}
    assert lines == {"country": 1, "date": 2, "year": 3, "ok": 4}


def test_url_policy_and_normalisation():
    assert policies.url_problem("https://www.govint.org/x/") is None
    for bad in ("javascript:alert(1)", "http://localhost/x", "http://10.1.2.3/", "ftp://x.org/",
                "https://user:pw@x.org/", "https://intranet.local/"):
        assert policies.url_problem(bad), bad
    assert policies.normalise_url("http://www.GovInt.org/a/b/") == policies.normalise_url("https://govint.org/a/b")
    assert policies.url_lies_under("https://x.org/case/outcomes/", "https://www.x.org/case/")
    assert not policies.url_lies_under("https://x.org/case-two/", "https://x.org/case")


def test_regions_follow_un_m49():
    assert (region("TR"), subregion("TR")) == ("Asia", "Western Asia")
    assert region("GB") == "Europe" and region("BR") == "Americas" and region("NA") == "Africa"


def test_a_second_reading_goes_stale_when_the_value_changes():
    case = valid_case()
    value = case["roles"][0]
    reading = {"checks": [{"value": "roles[0]", "code": value["code"], "fingerprint": fingerprint(value),
                           "verdict": "confirmed", "reason": "ok", "reader": "r", "date": "2026-11-30"}]}
    status = {row["value"]: row["status"] for row in reading_status(case, reading)}
    assert status == {"roles[0]": "confirmed", "roles[1]": "not yet checked",
                      "factors[0]": "not yet checked", "outcomes[0]": "not yet checked",
                      "outcomes[1]": "not yet checked"}
    value["note"] = "Parents staff the library on a rota they agree with the council."
    assert reading_status(case, reading)[0]["status"] == "stale"


def _search(search_id: str, records: list[dict], found: int | None = None) -> tuple:
    data = {"search": {"id": search_id, "collection": "c", "method": "query", "query": "q",
                       "date": "2026-11-30", "searcher": "s",
                       "records_found": len(records) if found is None else found},
            "candidates": [{"title": "t", "screener": "s", "date": "2026-11-30", "case": None,
                            "reason": None, "duplicate_of": None, **r} for r in records]}
    return (f"data/screening/{search_id}.yml", search_id, data, {})


def test_screening_log_cross_checks():
    case = valid_case()
    cases = {case["id"]: case}
    page = {"url": "https://example.org/fixture-valid-case/", "decision": "included",
            "case": "fixture-valid-case"}
    good = [_search("first", [page]),
            _search("second", [{"url": "http://www.example.org/fixture-valid-case", "decision": "duplicate",
                                "duplicate_of": "first"}])]
    assert screening_problems(good, cases, set()) == []
    twice = [_search("first", [page]), _search("second", [{**page, "url": "https://example.org/fixture-valid-case"}])]
    assert any("screened more than once" in p.message for p in screening_problems(twice, cases, set()))
    miscount = [_search("first", [page], found=3)]
    assert any(p.field == "search.records_found" for p in screening_problems(miscount, cases, set()))
    no_record = screening_problems([_search("first", [{"url": "https://x.org/", "decision": "excluded",
                                                       "reason": "not_a_case"}])], cases, set())
    assert [p.file for p in no_record] == ["data/cases/fixture-valid-case.yml"]


def test_a_format_1_case_reads_in_the_current_format():
    old = {"id": "a", "sector": "health", "sources": [{"citekey": "x", "url": "https://x.org/"}],
           "roles": []}
    current, skipped = to_current(old, 1)
    assert current["sectors"] == ["health"] and current["sources"] == [{"url": "https://x.org/"}]
    assert skipped == ("appraisal", "sources")
    assert to_current(old, 2) == (old, ())


def test_new_case_writes_a_template_and_refuses_bad_ids(tmp_path):
    where = ("--directory", str(tmp_path / "cases"), "--screening", str(tmp_path / "screening"))
    result = run_cli("new-case", "bristol-energy-coop", *where)
    assert result.returncode == 0
    assert (tmp_path / "cases" / "bristol-energy-coop.yml").is_file()
    assert (tmp_path / "screening" / "bristol-energy-coop.yml").is_file()
    again = run_cli("new-case", "bristol-energy-coop", *where)
    assert again.returncode == 1 and "already exists" in again.stderr
    for bad in ("Bad_Id", "ok-id\n", "x" * 300, "../escape"):
        refused = run_cli("new-case", bad, *where)
        assert refused.returncode == 1 and "new-case: id:" in refused.stderr, bad
        assert "Traceback" not in refused.stderr
    assert sorted(p.name for p in tmp_path.rglob("*.yml")) == ["bristol-energy-coop.yml"] * 2


def test_template_fails_until_filled_in(tmp_path):
    run_cli("new-case", "bristol-energy-coop", "--directory", str(tmp_path), "--screening", str(tmp_path))
    result = run_cli("validate", str(tmp_path / "bristol-energy-coop.yml"))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr


def test_second_reading_template_lists_every_value_with_its_fingerprint(review):
    result = run_cli("second-reading", "wiltshire-community-speedwatch", "--reader", "someone")
    assert result.returncode == 0
    data = yaml.safe_load(result.stdout)
    document = review.documents["wiltshire-community-speedwatch"]
    values = [v for kind in ("roles", "factors", "outcomes") for v in document[kind]]
    assert [c["fingerprint"] for c in data["checks"]] == [fingerprint(
        {k: v for k, v in value.items()}) for value in values]


def test_github_annotations_keep_one_line_per_problem():
    from analysis.dataset.validation import Problem
    line = Problem("data/cases/a,b:c.yml\n::error::x", "title", "found '\n'; 100%").github_annotation()
    assert "\n" not in line and line.startswith("::error file=data/cases/a%2Cb%3Ac.yml%0A%3A%3Aerror")
