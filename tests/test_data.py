"""The coded dataset: it validates, its mistakes are caught, and it reads back unchanged."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from analysis import load, tables
from analysis.references import bibliography_problems, entries_by_key, tu_reference_keys
from analysis.schema import case_schema
from analysis.validate import checked_review, validate_paths

from .conftest import ROOT

INVALID = sorted((ROOT / "tests" / "fixtures" / "invalid").glob("*.yml"))
VALID_FIXTURE = ROOT / "tests" / "fixtures" / "valid" / "fixture-valid-case.yml"


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def review() -> load.Review:
    return checked_review()


def test_shipped_data_validates_and_is_not_empty():
    docs, problems = validate_paths()
    assert [str(p) for p in problems] == []
    assert len(docs) >= 20, "validation saw fewer case files than the review holds"


def test_validate_command_summarises_the_shipped_data(review):
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"OK: {len(review.cases)} cases from {review.cases['country'].nunique()} countries" \
        in result.stdout


def test_validation_fails_when_it_sees_no_files(tmp_path):
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 1
    assert "no case files" in result.stdout


def test_every_coded_value_has_basis_note_and_locator(review):
    for kind in ("roles", "factors", "outcomes"):
        frame = getattr(review, kind)
        assert len(frame) > 0
        for column in ("basis", "note", "url", "section"):
            assert frame[column].notna().all() and (frame[column].str.strip() != "").all(), (kind, column)
        assert set(frame["basis"]) <= {"stated", "inferred"}
    assert set(review.outcomes["evidence"]) <= {"reported_figure", "participant_experience",
                                                 "claim_without_data"}


def test_loader_tables_have_one_row_per_coded_value(review):
    expected = {"roles": 0, "factors": 0, "outcomes": 0}
    for document in review.documents.values():
        for kind in expected:
            expected[kind] += len(document[kind])
    assert {kind: len(getattr(review, kind)) for kind in expected} == expected
    assert list(review.cases.columns) == load.CASE_COLUMNS
    assert list(review.roles.columns) == load.ROLE_COLUMNS
    assert list(review.factors.columns) == load.FACTOR_COLUMNS
    assert list(review.outcomes.columns) == load.OUTCOME_COLUMNS
    assert review.cases["id"].is_unique and len(review.cases) == len(review.documents)


def test_hessen_participants_are_staff_not_citizens(review):
    hessen = review.cases.set_index("id").loc["hessen-caf-staff-self-assessment"]
    assert hessen["participants"] == "staff"
    assert not hessen["citizen_participation"]
    assert "hessen-caf-staff-self-assessment" not in set(tables.citizen_cases(review)["id"])


def test_tu_cited_cases_are_coded_with_their_reference_numbers(review):
    cited = review.cases.dropna(subset=["tu2022_reference"])
    assert len(cited) >= 20
    assert 26 not in set(cited["tu2022_reference"]), "Tu's reference 26 has no findable case"
    keys = tu_reference_keys(review.references)
    assert all(int(ref) in keys for ref in cited["tu2022_reference"])


def test_place_names_survive_load_table_and_csv(review, tmp_path):
    csv = tmp_path / "cases.csv"
    review.cases.to_csv(csv, index=False, encoding="utf-8")
    text = csv.read_text(encoding="utf-8")
    for name in ("Çanakkale", "Umeå", "Jönköping"):
        assert any(name in place for place in review.cases["place"]), name
        assert name in text, name


def test_fixture_place_name_survives_unchanged(tmp_path):
    docs = load.read_case_documents([VALID_FIXTURE])
    built = load.build_review(docs, load.read_codebook(), load.read_references())
    assert built.cases.loc[0, "place"] == "Umeå-on-Test, Çanakkale Road"


@pytest.mark.parametrize("fixture", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_fails_naming_file_and_field(fixture):
    expected = fixture.read_text(encoding="utf-8").splitlines()[1].removeprefix("# expect: ")
    result = run_cli("validate", str(fixture.relative_to(ROOT)))
    shown = fixture.relative_to(ROOT).as_posix()
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert any(line.startswith(f"{shown}: ") and expected in line
               for line in result.stdout.splitlines()), result.stdout


def test_there_are_at_least_25_different_invalid_fixtures():
    mistakes = {p.read_text(encoding="utf-8").splitlines()[0] for p in INVALID}
    assert len(INVALID) >= 25 and len(mistakes) == len(INVALID)


def test_the_valid_fixture_passes_so_each_invalid_one_fails_for_its_own_mistake():
    result = run_cli("validate", str(VALID_FIXTURE))
    assert result.returncode == 0, result.stdout


def test_python_tag_is_rejected_without_constructing_anything(tmp_path):
    marker = tmp_path / "constructed"
    case = tmp_path / "tagged.yml"
    case.write_text(f"id: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    docs, problems = validate_paths([case])
    assert not marker.exists()
    assert any("unsupported YAML tag" in str(p) for p in problems)


def test_duplicated_key_is_an_error_not_an_overwrite():
    with pytest.raises(load.YamlError, match="key 'title' appears twice"):
        load.parse_yaml("title: first\ntitle: second\n")


def test_yes_no_and_dates_stay_text():
    data, _ = load.parse_yaml("country: NO\nanswer: yes\ndate: 2026-01-31\nflag: true\n")
    assert data == {"country": "NO", "answer": "yes", "date": "2026-01-31", "flag": True}


def test_validate_writes_nothing():
    before = {p: p.stat().st_mtime_ns for p in ROOT.rglob("*")
              if p.is_file() and ".venv" not in p.parts and "_build" not in p.parts
              and "__pycache__" not in p.parts and ".pytest_cache" not in p.parts}
    run_cli("validate")
    run_cli("validate", *[str(p) for p in INVALID[:5]])
    after = {p: p.stat().st_mtime_ns for p in before if p.exists()}
    assert after == before


def _case_copy(tmp_path: Path, name: str, **changes: str) -> Path:
    text = VALID_FIXTURE.read_text(encoding="utf-8").replace("fixture-valid-case", name)
    for old, new in changes.items():
        text = text.replace(old, new)
    path = tmp_path / f"{name}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_two_cases_from_the_same_source_page_are_rejected(tmp_path):
    _case_copy(tmp_path, "first-case")
    _case_copy(tmp_path, "second-case")
    _, problems = validate_paths([tmp_path])
    assert any(p.file.endswith("second-case.yml") and p.field == "sources[0].url"
               and "already the source of" in p.message for p in problems), problems


def test_two_cases_with_the_same_tu_reference_are_rejected(tmp_path):
    _case_copy(tmp_path, "first-case", **{"tu2022_reference: null": "tu2022_reference: 27"})
    _case_copy(tmp_path, "second-case", **{
        "tu2022_reference: null": "tu2022_reference: 27",
        "citekey: gi-wiltshire-community-speedwatch-archive": "citekey: pestoff2006",
        "url: https://www.govint.org/good-practice/case-studies/community-speedwatch/\n":
            "url: https://example.org/another-page/\n",
        "https://www.govint.org/good-practice/case-studies/community-speedwatch/":
            "https://example.org/another-page/"})
    _, problems = validate_paths([tmp_path])
    assert [(p.field, "already the Tu (2022) reference" in p.message) for p in problems] == \
        [("tu2022_reference", True)], [str(p) for p in problems]


def test_the_schema_is_a_valid_json_schema_built_from_the_codebook():
    codebook = load.read_codebook()
    schema = case_schema(codebook)
    jsonschema.Draft202012Validator.check_schema(schema)
    roles = schema["properties"]["roles"]["items"]["properties"]["code"]["enum"]
    assert roles == [c["code"] for c in codebook["role"]["codes"]]
    printed = run_cli("schema")
    assert json.loads(printed.stdout) == json.loads(json.dumps(schema))


def test_codebook_codes_have_label_definition_and_a_framework_in_the_bibliography():
    codebook, bib = load.read_codebook(), entries_by_key(load.read_references())
    for name, vocabulary in codebook.items():
        assert vocabulary["label"] and vocabulary["definition"], name
        for code in vocabulary["codes"]:
            assert code["label"] and code["definition"], (name, code["code"])
            assert code["source"] in bib, (name, code["code"], code["source"])
    outcomes = {c["code"] for c in codebook["outcome"]["codes"] if c["group"] == "tu2022"}
    assert outcomes == {"organisational_capacity", "individual_capacity", "service_effectiveness",
                        "citizen_engagement", "citizen_satisfaction"}
    assert [c["code"] for c in codebook["role"]["codes"]] == [
        "co_commissioning", "co_design", "co_delivery", "co_assessment"]


def test_references_parse_with_every_tu_reference_and_no_duplicates(review):
    library = load.read_references()
    assert bibliography_problems(library) == []
    assert sorted(tu_reference_keys(library)) == list(range(1, 59))
    assert "tu2022" in entries_by_key(library)
    used = set(review.sources["citekey"])
    assert used <= set(entries_by_key(library))


def test_duplicate_citekeys_and_missing_fields_are_reported():
    import bibtexparser
    library = bibtexparser.parse_string(
        "@article{a2020, title={T}, journal={J}, year={2020}, author={A, B}}\n"
        "@article{a2020, title={U}, journal={J}, year={2021}, author={A, B}}\n"
        "@book{b2019, title={Book}, year={2019}}\n")
    messages = " | ".join(m for _, m in bibliography_problems(library))
    assert "citekey 'a2020' is defined twice" in messages
    assert "@book needs an author or an editor" in messages
    assert "@book needs the field 'publisher'" in messages


def test_new_case_writes_a_template_and_refuses_to_overwrite(tmp_path):
    first = run_cli("new-case", "bristol-energy-coop", "--directory", str(tmp_path))
    assert first.returncode == 0, first.stderr
    written = tmp_path / "bristol-energy-coop.yml"
    original = written.read_text(encoding="utf-8")
    assert "id: bristol-energy-coop" in original and "# " in original
    second = run_cli("new-case", "bristol-energy-coop", "--directory", str(tmp_path))
    assert second.returncode == 1 and "already exists" in second.stderr
    assert written.read_text(encoding="utf-8") == original
    bad = run_cli("new-case", "Bad Id", "--directory", str(tmp_path))
    assert bad.returncode == 2 and "expected a slug" in bad.stderr


def test_stats_prints_counts_by_role_factor_and_outcome(review):
    result = run_cli("stats")
    assert result.returncode == 0, result.stderr
    roles = tables.role_distribution(review).set_index("label")["cases"]
    for label, count in roles.items():
        assert any(line.split()[:-2] == label.split() and int(line.split()[-2]) == count
                   for line in result.stdout.splitlines()), label
    assert "Critical factors" in result.stdout and "Outcomes" in result.stdout


def test_github_format_prints_annotations_with_line_numbers():
    fixture = ROOT / "tests" / "fixtures" / "invalid" / "basis-not-allowed.yml"
    result = run_cli("validate", "--format", "github", str(fixture.relative_to(ROOT)))
    line = next(l for l in result.stdout.splitlines() if "roles[0].basis" in l)
    assert line.startswith("::error file=tests/fixtures/invalid/basis-not-allowed.yml,line=")
    number = int(line.split("line=")[1].split("::")[0])
    assert "basis: maybe" in fixture.read_text(encoding="utf-8").splitlines()[number - 1]


def test_an_unfilled_template_fails_naming_each_placeholder(tmp_path):
    run_cli("new-case", "unfilled-case", "--directory", str(tmp_path))
    result = run_cli("validate", str(tmp_path / "unfilled-case.yml"))
    assert result.returncode == 1
    for field in ("title", "place", "roles[0].note", "sources[0].url", "coding.coder"):
        assert any(f": {field}: found the template's placeholder" in line
                   for line in result.stdout.splitlines()), field
    for field in ("country", "sector", "roles[0].code", "factors[0].direction", "coding.date"):
        assert any(f": {field}: found" in line for line in result.stdout.splitlines()), field
