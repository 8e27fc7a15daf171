"""The review's tables, model and prose figures agree with counts made by hand from the files."""
from __future__ import annotations

import math

import pytest

from analysis import model, narrative, tables
from analysis.validate import checked_review


@pytest.fixture(scope="module")
def review():
    return checked_review()


def test_wilson_interval_matches_published_values():
    low, high = tables.wilson_interval(0, 10)
    assert low == 0 and math.isclose(high, 0.2775, abs_tol=5e-4)
    low, high = tables.wilson_interval(5, 10)
    assert math.isclose(low, 0.2366, abs_tol=5e-4) and math.isclose(high, 0.7634, abs_tol=5e-4)
    assert all(math.isnan(v) for v in tables.wilson_interval(0, 0))


def test_share_text_shows_count_n_share_and_interval():
    assert narrative.share_text(5, 10) == "5 of 10 cases (50 %; 95 % CI 24–76 %)"


def test_role_distribution_counts_citizen_cases_by_hand(review):
    citizen_ids = {d["id"] for d in review.documents.values()
                   if any(p != "staff" for p in d["participants"])}
    by_hand = {code: sum(1 for i in citizen_ids
                         if code in {r["code"] for r in review.documents[i]["roles"]})
               for code in ("co_commissioning", "co_design", "co_delivery", "co_assessment")}
    table = tables.role_distribution(review).set_index("code")
    assert table["cases"].to_dict() == by_hand
    assert set(table["n"]) == {len(citizen_ids)}


def test_factor_frequency_by_direction_counts_by_hand(review):
    table = tables.factor_frequency_by_direction(review)
    for row in table.itertuples():
        by_hand = sum(1 for d in review.documents.values()
                      if any(f["code"] == row.code and f["direction"] == row.direction
                             for f in d["factors"]))
        assert row.cases == by_hand, (row.code, row.direction)


def test_model_links_count_cases_with_both_ends(review):
    links = model.model_links(review).set_index(["source", "target"])["cases"]
    citizen = [d for d in review.documents.values() if any(p != "staff" for p in d["participants"])]
    for (source, target), cases in links.items():
        if source in {"co_commissioning", "co_design", "co_delivery", "co_assessment"}:
            by_hand = sum(1 for d in citizen if source in {r["code"] for r in d["roles"]}
                          and target in {o["code"] for o in d["outcomes"]})
        else:
            by_hand = sum(1 for d in citizen
                          if any(f["code"] == source and f["direction"] == "enabler" for f in d["factors"])
                          and target in {r["code"] for r in d["roles"]})
        assert cases == by_hand, (source, target)


def test_cases_from_publisher_counts_cases_with_such_a_source(review):
    from analysis.references import entries_by_key, field_value
    bib = entries_by_key(review.references)
    by_hand = sum(1 for d in review.documents.values()
                  if any("Governance International" in (field_value(bib[s["citekey"]], "howpublished") or "")
                         for s in d["sources"]))
    assert tables.cases_from_publisher(review, "Governance International") == by_hand > 0
    assert tables.cases_from_publisher(review, "No Such Publisher") == 0


def test_prose_figures_name_the_top_codes(review):
    roles = tables.role_distribution(review)
    top = roles.sort_values(["cases", "label"], ascending=[False, True]).iloc[0]
    figures = narrative.roles_figures(review)
    assert figures["top_role"] == top["label"]
    assert figures["top_role_share"].startswith(f"{top['cases']} of {top['n']} cases")
    assert narrative.model_figures(review)["top_role"] == top["label"]


def test_every_tu_practice_case_is_coded_or_explained(review):
    from analysis.load import read_status
    practice = set(tables.tu_practice_case_references(review))
    coded = set(review.cases["tu2022_reference"].dropna().astype(int))
    explained = {row["tu2022_reference"] for row in read_status()["not_coded"]}
    assert len(practice) == 23
    assert practice == coded | explained and not coded & explained
    flow = tables.case_flow(review, read_status()).set_index("Step")["Cases"]
    assert flow.iloc[1] + flow.iloc[2] == flow.iloc[0]
    assert flow.iloc[2] + flow.iloc[3] == flow.iloc[4] == len(review.cases)
