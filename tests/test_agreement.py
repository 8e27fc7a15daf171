"""Agreement between coders: kappa is computed right, and second codings are validated."""
from __future__ import annotations

import math


from analysis import agreement, load
from analysis.validate import checked_review, second_coding_problems


def test_cohens_kappa_textbook_example():
    # 2x2 table [[20, 5], [10, 15]]: observed 0.70, expected 0.50, kappa 0.40
    assert math.isclose(agreement.cohens_kappa(20, 5, 10, 15), 0.4)
    assert agreement.cohens_kappa(10, 0, 0, 10) == 1.0
    assert math.isnan(agreement.cohens_kappa(0, 0, 0, 0))


def test_decisions_cover_every_code_of_every_double_coded_case():
    review = checked_review()
    assert len(review.second_codings) >= 1, "data/reliability holds the second codings"
    decisions = agreement.decision_table(review)
    codebook = review.codebook
    per_case = len(codebook["role"]["codes"]) + len(codebook["outcome"]["codes"]) \
        + 2 * len(codebook["factor"]["codes"])
    assert len(decisions) == per_case * len(review.second_codings)
    for case_id, coding in review.second_codings.items():
        roles = decisions[(decisions["case_id"] == case_id) & (decisions["kind"] == "Citizen roles")]
        assert set(roles.loc[roles["second"], "code"]) == set(coding["roles"])
        first = {r["code"] for r in review.documents[case_id]["roles"]}
        assert set(roles.loc[roles["first"], "code"]) == first


def _second(tmp_path, name, text):
    path = tmp_path / f"{name}.yml"
    path.write_text(text, encoding="utf-8")
    return load.read_case_documents([path])


GOOD = ("id: {id}\ncoder: second\ndate: 2026-11-29\npages_read: [https://example.org/a]\n"
        "roles: [co_delivery]\nfactors:\n  - {{code: leadership, direction: enabler}}\n"
        "outcomes: [efficiency]\n")


def test_a_valid_second_coding_passes_and_mistakes_name_the_field(tmp_path):
    codebook = load.read_codebook()
    assert second_coding_problems(_second(tmp_path, "case-a", GOOD.format(id="case-a")),
                                  codebook, {"case-a"}) == []
    bad = GOOD.format(id="case-b").replace("co_delivery", "co-delivery")
    problems = second_coding_problems(_second(tmp_path, "case-b", bad), codebook, {"case-b"})
    assert [p.field for p in problems] == ["roles[0]"] and "did you mean 'co_delivery'" in problems[0].message
    unknown = second_coding_problems(_second(tmp_path, "case-c", GOOD.format(id="case-c")),
                                     codebook, {"case-a"})
    assert [p.field for p in unknown] == ["id"] and "a case in data/cases" in unknown[0].message
