"""The synthesis: every table counts the population it names, the figures can be recounted
by hand from the case files, and the methods match their definitions."""
from __future__ import annotations

import math

import pytest

from analysis import open_review
from analysis.dataset.review import build_review
from analysis.synthesis import (agreement, certainty, flow, gap_map, model, narrative,
                                tables, then_and_now)
from analysis.synthesis.formatting import percent, share_text, wilson_interval
from analysis.synthesis.populations import population, values


@pytest.fixture(scope="module")
def review():
    return open_review(use_snapshot=False)


def citizen_ids(review) -> set[str]:
    """Recounted from the case files: cases with at least one citizen participant group."""
    citizen = review.codebook.attribute("participant_group", "citizen")
    return {case_id for case_id, doc in review.documents.items()
            if any(citizen[p] for p in doc["participants"])}


def test_the_population_rule_is_the_citizen_cases(review):
    assert set(population(review).case_ids) == citizen_ids(review)
    assert "hessen-caf-staff-self-assessment" not in population(review).case_ids
    assert population(review, "all").n == len(review.documents)


@pytest.mark.parametrize("table", [
    lambda r: tables.role_distribution(r), lambda r: tables.factor_frequency(r),
    lambda r: tables.outcome_distribution(r), lambda r: tables.negative_outcomes_by_kind(r),
    lambda r: tables.factors_by_side(r), lambda r: tables.role_combinations(r),
    lambda r: tables.roles_per_case(r), lambda r: tables.participant_groups(r),
])
def test_every_citizen_table_states_n_equal_to_the_citizen_cases(review, table):
    assert set(table(review)["n"]) == {len(citizen_ids(review))}


def test_no_citizen_table_counts_the_staff_only_case(review):
    staff = set(review.cases.loc[~review.cases["citizen_participation"], "id"])
    within = population(review)
    assert staff, "the dataset holds a staff-only case"
    for kind in ("roles", "factors", "outcomes"):
        assert not set(values(review, kind, within)["case_id"]) & staff
    role_cases = set(values(review, "roles", within)["case_id"])
    assert set(tables.by_role(review, "outcomes")["n"]) <= {
        values(review, "roles", within).groupby("code")["case_id"].nunique().get(c)
        for c in review.codebook.codes("role")}
    assert not role_cases & staff


def test_role_counts_recount_from_the_case_files(review):
    ids = citizen_ids(review)
    for row in tables.role_distribution(review).itertuples():
        by_hand = sum(1 for case_id in ids
                      if any(v["code"] == row.code for v in review.documents[case_id]["roles"]))
        assert row.cases == by_hand, row.code


def test_outcome_counts_leave_out_evidence_from_elsewhere(review):
    ids = citizen_ids(review)
    for row in tables.outcome_distribution(review).itertuples():
        by_hand = sum(1 for case_id in ids if any(
            v["code"] == row.code and v["evidence"] != "observed_elsewhere"
            for v in review.documents[case_id]["outcomes"]))
        assert row.cases == by_hand, row.code


def test_chapter_prose_states_the_same_n_as_its_tables(review):
    n = str(len(citizen_ids(review)))
    for figures in (narrative.roles_figures(review), narrative.factors_figures(review),
                    narrative.outcomes_figures(review), narrative.model_figures(review)):
        assert figures["n"] == n


def test_shares_are_written_count_first():
    assert share_text(9, 21, "citizen cases") == "9 of 21 citizen cases (43 %)"
    assert percent(float("nan")) == "n/a"
    assert (percent(737 / 738), percent(1.0), percent(1 / 738), percent(0.0)) == (">99 %", "100 %", "<1 %", "0 %")
    low, high = wilson_interval(0, 10)
    assert low == 0 and 0.25 < high < 0.35


def _tiny_review():
    """Four citizen cases whose links can be counted by hand."""
    def case(case_id, roles, factors, outcomes):
        locator = {"url": "https://example.org/x/", "section": "x"}
        return {"id": case_id, "title": case_id, "summary": "s" * 40, "country": "NO",
                "place": "p", "year_documented": 2020, "year_started": None,
                "sectors": ["health"], "lead_organisations": ["o"], "participants": ["residents"],
                "coproduction_levels": ["group"], "tu2022_reference": None,
                "sources": [{"url": "https://example.org/x/", "title": "t", "publisher": "p",
                             "author": None, "year": 2020, "kind": "case_study",
                             "read_on": "2026-11-30", "archived_url": None}],
                "appraisal": {"author_role": "implementing_organisation", "evaluation_design": "none",
                              "coverage": "full", "coverage_note": None, "note": "n" * 10},
                "roles": [{"code": r, "basis": "stated", "note": "n" * 10, "locator": locator} for r in roles],
                "factors": [{"code": f, "direction": d, "basis": "stated", "note": "n" * 10,
                             "locator": locator} for f, d in factors],
                "outcomes": [{"code": o, "evidence": "claim_without_data", "basis": "stated",
                              "note": "n" * 10, "locator": locator} for o in outcomes],
                "coding": {"coder": "c", "date": "2026-11-30"}}
    from analysis.dataset import load
    from analysis.dataset.codebook import Codebook
    data = load.read_data_file(load.CODEBOOK_PATH).data
    codebook = Codebook(data["vocabularies"], data["format"])
    docs = [case("a", ["co_delivery"], [("leadership", "enabler")], ["service_effectiveness"]),
            case("b", ["co_delivery"], [("leadership", "enabler")], ["service_effectiveness"]),
            case("c", ["co_design"], [("leadership", "barrier")], ["citizen_engagement"]),
            case("d", ["co_delivery", "co_design"], [], [])]
    return build_review(docs, codebook)


def test_model_links_and_lift_by_hand():
    review = _tiny_review()
    links = model.model_links(review).set_index(["source", "target"])
    # co_delivery in a, b, d (3 of 4); service_effectiveness in a, b (2 of 4); both in a, b.
    link = links.loc[("co_delivery", "service_effectiveness")]
    assert link["cases"] == 2 and math.isclose(link["lift"], 2 * 4 / (3 * 2))
    # barriers enter the model too, told apart from enablers
    assert links.loc[("leadership:barrier", "co_design"), "direction"] == "barrier"
    assert links.loc[("leadership:enabler", "co_delivery"), "cases"] == 2


def test_agreement_by_hand():
    assert math.isclose(agreement.cohens_kappa(both=2, first_only=1, second_only=1, neither=6),
                        (0.8 - (0.3 * 0.3 + 0.7 * 0.7)) / (1 - (0.3 * 0.3 + 0.7 * 0.7)))
    assert agreement.positive_agreement(2, 1, 1) == pytest.approx(2 * 2 / (2 * 2 + 2))
    assert math.isnan(agreement.positive_agreement(0, 0, 0))


def test_agreement_summary_counts_every_double_coded_case(review):
    summary = agreement.agreement_summary(review)
    assert set(summary["cases"]) == {len(review.second_codings)}


def test_flow_numbers_equal_a_recount_of_the_log(review):
    counts = flow.flow_counts(review)
    total = counts.iloc[-1]
    records = review.candidates
    assert total["identified"] == len(records)
    assert total["searches"] == len(review.searches)  # each search counted once, in one release
    assert total["duplicates"] == (records["decision"] == "duplicate").sum()
    assert total["excluded"] == (records["decision"] == "excluded").sum()
    assert total["included_cases"] == records.loc[records["decision"] == "included", "case"].nunique() \
        == len(review.cases)
    reasons = [c for c in counts.columns if c.startswith("excluded_")]
    assert counts[reasons].sum(axis=1).tolist() == counts["excluded"].tolist()
    assert counts.iloc[:-1]["identified"].sum() == total["identified"]
    assert counts.iloc[0]["column"] == "Release 1.0"


def test_gap_map_cells_list_exactly_their_cases(review):
    cells = gap_map.cell_cases(review)
    within = population(review)
    roles = values(review, "roles", within)
    outcomes = values(review, "outcomes", within)
    for key, ids in list(cells.items())[:40]:
        rows, row, outcome, evidence = key.split("|")
        if rows != "roles" or evidence != "all":
            continue
        by_hand = sorted(set(roles.loc[roles["code"] == row, "case_id"])
                         & set(outcomes.loc[outcomes["code"] == outcome, "case_id"]))
        assert ids == by_hand, key
    table = gap_map.gap_map_table(review, "roles")
    assert (table["cases"] == [len(cells.get(k, [])) for k in table["key"]]).all()


def test_summary_of_findings_recomputes_from_the_data(review):
    sof = certainty.summary_of_findings(review)
    roles = tables.role_distribution(review).set_index("label")
    for row in sof[sof["Area"] == "Citizen roles"].itertuples():
        label = next(l for l in roles.index if l.lower() in row.Finding)
        assert row.Cases == roles.loc[label, "cases"]
        assert f"{roles.loc[label, 'cases']} of {roles.loc[label, 'n']}" in row.Finding
    assert set(sof["Confidence"]) <= set(certainty.LEVELS)


def test_certainty_rules_downgrade_thin_self_reported_evidence():
    review = _tiny_review()
    finding = [f for f in certainty.findings(review) if "co-delivery" in f.statement][0]
    rating = certainty.assess(review, finding)
    assert rating["Methodological limitations"] == "serious concerns"  # no independent source
    assert rating["Adequacy"] == "serious concerns"  # 3 cases
    assert rating["Relevance"] == "serious concerns"  # all from Europe
    assert rating["Confidence"] == "very low"


def test_key_messages_quote_the_summary_of_findings(review):
    messages = certainty.key_messages(review)
    sof = certainty.summary_of_findings(review)
    assert any(row.Finding in " ".join(messages) for row in sof.itertuples())
    assert all("Confidence" in m for m in messages[:3])


def test_key_messages_say_how_many_cases_were_read_only_in_part(review):
    citizen = review.cases[review.cases["citizen_participation"]]
    partial = int((citizen["coverage"] == "partial").sum())
    floor = [m for m in certainty.key_messages(review) if m.startswith("Every share is a floor")]
    if partial:
        assert len(floor) == 1 and f"{partial} of {len(citizen)} citizen cases" in floor[0]
    else:
        assert floor == []


def test_then_and_now_compares_tu_outcomes_for_cases_tu_did_not_cite(review):
    table = then_and_now.comparison(review)
    new = tables.outcome_distribution(review, population(review, "not_tu")).set_index("label")
    for row in table[table["Finding"].str.startswith("Outcome: ")].itertuples():
        label = row.Finding.removeprefix("Outcome: ")
        assert row[4] == f"{percent(new.loc[label, 'share'])} ({new.loc[label, 'cases']} of {new.loc[label, 'n']})"
