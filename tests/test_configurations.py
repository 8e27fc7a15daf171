"""Configurational analysis (crisp-set QCA): a published textbook example, a small review
whose solution is known by hand, and the rule that chooses the conditions."""
from __future__ import annotations

import itertools
import random
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.dataset.codebook import Codebook
from analysis.dataset.review import build_review
from analysis.synthesis import configurations as qca

FIXTURES = Path(__file__).parent / "fixtures" / "qca"
ROOT = Path(__file__).resolve().parent.parent
LIPSET = ["DEV", "URB", "LIT", "IND", "STB"]


# ---- (a) The published example: Lipset's crisp data ----
#
# Data: dataset LC of the R package QCA (Dusa), Lipset (1959) as calibrated by Rihoux & De
# Meur (2009); see tests/fixtures/qca/README.md. Published solution: the examples of QCA's
# minimize() documentation, "conservative solution (Rihoux & De Meur 2009, p.57)",
# https://github.com/dusadrian/QCA/blob/1f9f6070c69dd24d2299329181aac17e29276355/inst/staticdocs/minimize.html
#   M1: DEV*~URB*LIT*STB + DEV*LIT*IND*STB <=> SURV
#       DEV*~URB*LIT*STB  inclS 1.000  covS 0.500  covU 0.250  cases FI,IE; FR,SE
#       DEV*LIT*IND*STB   inclS 1.000  covS 0.750  covU 0.500  cases FR,SE; BE,CZ,NL,UK
#       M1                inclS 1.000  covS 1.000
# and for the negated outcome: M1: ~DEV*~URB*~IND + DEV*LIT*IND*~STB <=> ~SURV
# The published truth table has 9 observed configurations: 3 positive (4, 2 and 2 cases).

@pytest.fixture(scope="module")
def lipset() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "lipset_lc.csv", index_col="case")


def test_lipset_truth_table_matches_the_published_one(lipset):
    solution = qca.crisp_qca(lipset, "SURV", LIPSET, consistency_cutoff=1.0)
    table = solution.truth_table
    assert len(table) == 9 and table["cases"].sum() == 18
    positive = table[table["status"] == "positive"]
    assert sorted(positive["cases"]) == [2, 2, 4]
    assert sorted(map(tuple, positive["case_ids"])) == [("BE", "CZ", "NL", "UK"), ("FI", "IE"),
                                                         ("FR", "SE")]
    assert set(table.loc[table["status"] == "negative", "consistency"]) == {0.0}


@pytest.mark.parametrize("cutoff", [1.0, 0.8])
def test_lipset_conservative_solution_reproduces_the_published_one(lipset, cutoff):
    solution = qca.crisp_qca(lipset, "SURV", LIPSET, consistency_cutoff=cutoff)
    assert len(solution.models) == 1 and solution.note is None
    terms = solution.terms.set_index("expression")
    assert set(terms.index) == {"DEV*~URB*LIT*STB", "DEV*LIT*IND*STB"}
    assert terms.loc["DEV*~URB*LIT*STB", "consistency"] == pytest.approx(1.0)
    assert terms.loc["DEV*~URB*LIT*STB", "raw_coverage"] == pytest.approx(0.5)
    assert terms.loc["DEV*~URB*LIT*STB", "unique_coverage"] == pytest.approx(0.25)
    assert terms.loc["DEV*LIT*IND*STB", "consistency"] == pytest.approx(1.0)
    assert terms.loc["DEV*LIT*IND*STB", "raw_coverage"] == pytest.approx(0.75)
    assert terms.loc["DEV*LIT*IND*STB", "unique_coverage"] == pytest.approx(0.5)
    assert terms.loc["DEV*~URB*LIT*STB", "case_ids"] == ["FI", "FR", "IE", "SE"]
    assert terms.loc["DEV*LIT*IND*STB", "case_ids"] == ["BE", "CZ", "FR", "NL", "SE", "UK"]
    assert solution.consistency == pytest.approx(1.0)
    assert solution.coverage == pytest.approx(1.0)


def test_lipset_negated_outcome_reproduces_the_published_solution(lipset):
    data = lipset.assign(NOT_SURV=1 - lipset["SURV"]).drop(columns="SURV")
    solution = qca.crisp_qca(data, "NOT_SURV", LIPSET)
    assert set(solution.terms["expression"]) == {"~DEV*~URB*~IND", "DEV*LIT*IND*~STB"}


def test_terms_read_in_words_present_conditions_first(lipset):
    labels = {"DEV": "Developed", "URB": "Urban", "LIT": "Literate", "IND": "Industrial",
              "STB": "Stable"}
    solution = qca.crisp_qca(lipset, "SURV", LIPSET, labels)
    assert set(solution.terms["term"]) == {"Developed AND Literate AND Stable AND NOT Urban",
                                           "Developed AND Literate AND Industrial AND Stable"}
    assert solution.expressions() == [
        "(Developed AND Literate AND Industrial AND Stable) OR "
        "(Developed AND Literate AND Stable AND NOT Urban)"]


# ---- The analysis itself, on small tables solved by hand ----

def test_a_cyclic_chart_gives_every_equally_short_model():
    # Positive rows 000, 001, 010, 101, 110, 111; negative 011 and 100: the textbook cyclic
    # prime implicant chart, with two minimal covers of three terms each.
    rows = ["000", "001", "010", "101", "110", "111", "011", "100"]
    data = pd.DataFrame([[int(v) for v in r] + [int(i < 6)] for i, r in enumerate(rows)],
                        columns=["A", "B", "C", "Y"], index=[f"c{i}" for i in range(8)])
    solution = qca.crisp_qca(data, "Y", ["A", "B", "C"])
    models = {m: set(g["expression"]) for m, g in solution.terms.groupby("model")}
    assert sorted(map(sorted, models.values())) == sorted(map(sorted, [
        {"~A*~B", "B*~C", "A*C"}, {"~A*~C", "~B*C", "A*B"}]))
    assert "2 equally short models" in solution.note
    assert list(solution.models["terms"]) == [3, 3]


def _models_by_brute_force(data: pd.DataFrame, conditions: list[str], outcome: str) -> set:
    """The conservative models found the slow way: every pattern over {0, 1, don't care}
    that covers only positive rows is an implicant; the prime ones are those no other
    implicant contains; the models are the smallest sets of primes covering every positive
    row (all positive rows here have consistency 1 or 0)."""
    rows = data.groupby(conditions)[outcome].mean()
    positive = {key for key, share in rows.items() if share >= 0.8}
    space = list(itertools.product((0, 1), repeat=len(conditions)))

    def covered(pattern):
        return frozenset(m for m in space if all(p is None or p == v for p, v in zip(pattern, m)))

    implicants = {pattern: covered(pattern)
                  for pattern in itertools.product((0, 1, None), repeat=len(conditions))}
    implicants = {p: c for p, c in implicants.items() if c and c <= positive}
    primes = [p for p, c in implicants.items()
              if not any(c < other for other in implicants.values())]
    for size in range(1, len(primes) + 1):
        models = {frozenset(combo) for combo in itertools.combinations(primes, size)
                  if frozenset().union(*(implicants[p] for p in combo)) >= positive}
        if models:
            return {frozenset("*".join(c if v else f"~{c}" for c, v in zip(conditions, p)
                                       if v is not None) for p in model) for model in models}
    return set()


@pytest.mark.parametrize("seed", range(40))
def test_conservative_models_match_a_brute_force_search(seed):
    generator = random.Random(seed)
    conditions = ["A", "B", "C", "D"]
    data = pd.DataFrame([[generator.randint(0, 1) for _ in range(5)] for _ in range(12)],
                        columns=[*conditions, "Y"], index=[f"c{i}" for i in range(12)])
    # One outcome value per configuration, so that every row is fully consistent or not.
    data["Y"] = data.groupby(conditions)["Y"].transform("max")
    if data["Y"].nunique() < 2:
        pytest.skip("constant outcome")
    solution = qca.crisp_qca(data, "Y", conditions, consistency_cutoff=1.0)
    found = {frozenset(group["expression"]) for _, group in solution.terms.groupby("model")}
    assert found == _models_by_brute_force(data, conditions, "Y")


def test_consistency_and_frequency_cutoffs():
    # Configuration A=1 has five cases, four with the outcome (consistency 0.8); A=0 has one
    # case, with the outcome.
    data = pd.DataFrame({"A": [1, 1, 1, 1, 1, 0], "Y": [1, 1, 1, 1, 0, 1]},
                        index=list("abcdef"))
    at_08 = qca.crisp_qca(data, "Y", ["A"], consistency_cutoff=0.8)
    assert list(at_08.terms["expression"]) == ["1"]  # both rows positive: any configuration
    assert at_08.terms["term"].iloc[0] == "any configuration"
    above = qca.crisp_qca(data, "Y", ["A"], consistency_cutoff=0.81)
    assert list(above.terms["expression"]) == ["~A"]
    assert above.coverage == pytest.approx(0.2) and above.consistency == pytest.approx(1.0)
    two_cases = qca.crisp_qca(data, "Y", ["A"], consistency_cutoff=0.8, frequency_cutoff=2)
    assert list(two_cases.terms["expression"]) == ["A"]
    assert two_cases.consistency == pytest.approx(0.8)
    status = two_cases.truth_table.set_index("A")["status"]
    assert status[1] == "positive" and status[0] == "too_few_cases"
    none = qca.crisp_qca(data, "Y", ["A"], consistency_cutoff=0.9, frequency_cutoff=2)
    assert not none.solved and "reaches consistency 0.9" in none.note


def test_edge_cases_are_said_not_raised():
    data = pd.DataFrame({"A": [1, 0, 1], "Y": [0, 0, 0]}, index=list("abc"))
    assert "no case shows" in qca.crisp_qca(data, "Y", ["A"]).note
    assert "every case shows" in qca.crisp_qca(data.assign(Y=1), "Y", ["A"]).note
    assert "no condition qualifies" in qca.crisp_qca(data, "Y", []).note
    assert "no cases" in qca.crisp_qca(data.iloc[:0], "Y", ["A"]).note
    for note in ("no case shows", "every case shows"):
        result = qca.crisp_qca(data if note == "no case shows" else data.assign(Y=1), "Y", ["A"])
        assert not result.solved and result.consistency is None and len(result.truth_table) == 2


# ---- (b) A small review whose solution is known by hand ----

@pytest.fixture(scope="module")
def codebook() -> Codebook:
    data = yaml.safe_load((ROOT / "data" / "codebook.yml").read_text(encoding="utf-8"))
    return Codebook(data["vocabularies"], data.get("format", 1))


def _value(code: str, **extra) -> dict:
    return {"code": code, "basis": "stated", "note": "",
            "locator": {"url": "https://example.org/case", "section": None}, **extra}


def case(case_id: str, roles=(), factors=(), outcomes=(), participants=("service_users",)) -> dict:
    """A minimal case document, as tabulate reads it."""
    return {"id": case_id, "title": case_id, "summary": "A test case.", "country": "GB",
            "place": "Testtown", "lead_organisations": ["Council"],
            "participants": list(participants), "coproduction_levels": ["group"],
            "coding": {"coder": "tester", "date": "2026-01-01"}, "sources": [],
            "roles": [_value(code) for code in roles],
            "factors": [_value(code, direction=d) for code, d in factors],
            "outcomes": [_value(code, evidence=e) for code, e in outcomes]}


@pytest.fixture(scope="module")
def small_review(codebook):
    documents = [
        case("c1", ["co_design", "co_delivery"], [("leadership", "enabler")],
             [("service_effectiveness", "measured_change"),
              ("citizen_satisfaction", "participant_experience")]),
        case("c2", ["co_delivery"], [("leadership", "enabler")],
             [("service_effectiveness", "claim_without_data"),
              ("citizen_satisfaction", "participant_experience")]),
        case("c3", ["co_design"], [("leadership", "enabler")],
             [("citizen_satisfaction", "participant_experience")]),
        # Observed elsewhere: does not count as this case's outcome.
        case("c4", ["co_delivery"], [("funding_and_resources", "barrier")],
             [("service_effectiveness", "observed_elsewhere"),
              ("citizen_satisfaction", "participant_experience")]),
        case("c5", ["co_design", "co_delivery"], [("funding_and_resources", "barrier")],
             [("citizen_satisfaction", "participant_experience")]),
        case("c6", ["co_assessment"], [("dialogue", "enabler")],
             [("citizen_satisfaction", "measured_change")]),
        # Staff only: never in the citizen counts, though it shows the outcome.
        case("s1", ["co_delivery"], [("leadership", "enabler")],
             [("service_effectiveness", "measured_change")], participants=("staff",)),
    ]
    return build_review(documents, codebook)


def test_small_review_conditions_and_memberships(small_review):
    assert qca.choose_conditions(small_review) == [
        "co_design", "co_delivery", "co_assessment", "leadership", "funding_and_resources"]
    data = qca.memberships(small_review, qca.choose_conditions(small_review),
                           "service_effectiveness")
    assert list(data.index) == ["c1", "c2", "c3", "c4", "c5", "c6"]
    assert data["service_effectiveness"].to_dict() == {"c1": 1, "c2": 1, "c3": 0, "c4": 0,
                                                       "c5": 0, "c6": 0}
    assert data["funding_and_resources"].to_dict() == {"c1": 0, "c2": 0, "c3": 0, "c4": 1,
                                                       "c5": 1, "c6": 0}


def test_small_review_solution_known_by_hand(small_review):
    # c1 = 11010 and c2 = 01010 are the positive rows (co_design, co_delivery, co_assessment,
    # leadership, funding); they differ in co_design only, so it drops out.
    solution = qca.configurations(small_review, "service_effectiveness")
    assert solution.expressions() == [
        "Co-delivery AND Facilitative leadership AND NOT Co-assessment "
        "AND NOT Funding and resources"]
    assert list(solution.terms["expression"]) == [
        "co_delivery*~co_assessment*leadership*~funding_and_resources"]
    assert solution.terms["case_ids"].iloc[0] == ["c1", "c2"]
    assert solution.consistency == pytest.approx(1.0) and solution.coverage == pytest.approx(1.0)
    assert solution.n == 6 and solution.cases_with_outcome == 2
    assert solution.population == "citizen cases, n = 6"
    assert solution.direction_rule == "either"
    table = solution.truth_table
    assert len(table) == 6 and list(table["status"]).count("positive") == 2


def test_small_review_enabler_only(small_review):
    solution = qca.configurations(small_review, "service_effectiveness",
                                  direction="enabler_only")
    assert solution.conditions == ("co_design", "co_delivery", "co_assessment", "leadership")
    assert solution.expressions() == [
        "Co-delivery AND Facilitative leadership AND NOT Co-assessment"]
    assert solution.direction_rule == "enabler_only"
    assert "enabler" in solution.settings["direction"]


def test_tu_outcomes_all_run_and_say_why_when_unsolved(small_review):
    results = qca.tu_configurations(small_review)
    assert list(results) == ["organisational_capacity", "individual_capacity",
                             "service_effectiveness", "citizen_engagement",
                             "citizen_satisfaction"]
    assert "no case shows" in results["citizen_engagement"].note
    assert "every case shows" in results["citizen_satisfaction"].note
    table = qca.solutions_table(results)
    assert list(table["outcome"]) == list(results)
    assert table.set_index("outcome").loc["service_effectiveness", "coverage"] == 1.0


# ---- (c) The conditions rule ----

def test_conditions_rule_a_third_at_most_six_roles_first(codebook):
    # Three citizen cases: a factor needs one case (a third). Five factors qualify; with all
    # four roles only the two most frequent fit (ties in codebook order).
    f = "enabler"
    documents = [
        case("a", ["co_commissioning", "co_design"],
             [("leadership", f), ("dialogue", f), ("incentives", f), ("small_wins", f)]),
        case("b", ["co_delivery"], [("leadership", f), ("dialogue", f), ("digital_tools", f)]),
        case("c", ["co_assessment"], [("leadership", f), ("trust_building", "barrier")]),
    ]
    review = build_review(documents, codebook)
    table = qca.condition_frequencies(review)
    assert list(table["code"][:4]) == ["co_commissioning", "co_design", "co_delivery",
                                       "co_assessment"]
    assert qca.choose_conditions(review) == ["co_commissioning", "co_design", "co_delivery",
                                             "co_assessment", "leadership", "dialogue"]
    dropped = table.set_index("code").loc["incentives"]
    assert dropped["qualifies"] and not dropped["chosen"]
    assert "more than 6" in dropped["reason"]
    assert qca.choose_conditions(review, max_conditions=5) == [
        "co_commissioning", "co_design", "co_delivery", "co_assessment", "leadership"]
    assert qca.choose_conditions(review, max_conditions=3) == [
        "co_commissioning", "co_design", "co_delivery"]


def test_conditions_rule_threshold_and_direction(codebook):
    # Six citizen cases: a third is two cases. leadership 2 (enabler once, barrier once),
    # dialogue 2 enablers, small_wins 1; a role never coded is left out.
    documents = [
        case("a", ["co_delivery"], [("leadership", "enabler"), ("dialogue", "enabler")]),
        case("b", ["co_delivery"], [("leadership", "barrier"), ("dialogue", "enabler")]),
        case("c", ["co_design"], [("small_wins", "enabler")]),
        case("d", ["co_design"]), case("e", ["co_design"]), case("f", ["co_delivery"]),
        case("s", ["co_assessment"], [("small_wins", "enabler")], participants=("staff",)),
    ]
    review = build_review(documents, codebook)
    # leadership and dialogue tie at two cases: codebook order (leadership first).
    assert qca.choose_conditions(review) == ["co_design", "co_delivery", "leadership",
                                             "dialogue"]
    assert qca.choose_conditions(review, "enabler_only") == ["co_design", "co_delivery",
                                                             "dialogue"]
    table = qca.condition_frequencies(review).set_index("code")
    assert table.loc["co_assessment", "reason"] == "role coded in no citizen case"
    assert "fewer than a third" in table.loc["small_wins", "reason"]
    with pytest.raises(ValueError):
        qca.choose_conditions(review, "barrier_only")


def test_no_condition_qualifies(codebook):
    documents = [case("a", [], [("dialogue", "enabler")],
                      [("citizen_engagement", "measured_change")]),
                 case("b"), case("c"), case("d")]
    review = build_review(documents, codebook)
    assert qca.choose_conditions(review) == []
    result = qca.configurations(review, "citizen_engagement")
    assert not result.solved and "no condition qualifies" in result.note
