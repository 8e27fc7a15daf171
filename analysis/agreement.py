"""Agreement between two independent coders of the same cases.

For each double-coded case and each code of a vocabulary, both coders either coded it or
not; agreement is counted over these case × code decisions, as percent agreement and
Cohen's kappa (which discounts the agreement expected by chance).
"""
from __future__ import annotations

import pandas as pd

from .load import Review
from .tables import labels

KINDS = (("Citizen roles", "role"), ("Outcomes", "outcome"), ("Critical factors", "factor"))


def _first(review: Review, case_id: str, vocabulary: str) -> set:
    document = review.documents[case_id]
    if vocabulary == "factor":
        return {(f["code"], f["direction"]) for f in document["factors"]}
    return {value["code"] for value in document[vocabulary + "s"]}


def _second(coding: dict, vocabulary: str) -> set:
    if vocabulary == "factor":
        return {(f["code"], f["direction"]) for f in coding["factors"]}
    return set(coding[vocabulary + "s"])


def cohens_kappa(both: int, first_only: int, second_only: int, neither: int) -> float:
    """Cohen's kappa for two coders' yes/no decisions, from the four cells of their 2×2 table."""
    total = both + first_only + second_only + neither
    if total == 0:
        return float("nan")
    observed = (both + neither) / total
    first_yes, second_yes = (both + first_only) / total, (both + second_only) / total
    expected = first_yes * second_yes + (1 - first_yes) * (1 - second_yes)
    return float("nan") if expected == 1 else (observed - expected) / (1 - expected)


def decision_table(review: Review) -> pd.DataFrame:
    """One row per double-coded case, vocabulary and code: did each coder code it?"""
    rows = []
    for case_id, coding in sorted(review.second_codings.items()):
        for kind, vocabulary in KINDS:
            codes = list(labels(review, vocabulary))
            universe = [(c, d) for c in codes for d in ("enabler", "barrier")] \
                if vocabulary == "factor" else codes
            first, second = _first(review, case_id, vocabulary), _second(coding, vocabulary)
            for code in universe:
                rows.append({"case_id": case_id, "kind": kind, "code": code,
                             "first": code in first, "second": code in second})
    return pd.DataFrame(rows, columns=["case_id", "kind", "code", "first", "second"])


def agreement_summary(review: Review) -> pd.DataFrame:
    """Per kind of code: cases double-coded, codes either coder used, agreement and kappa."""
    decisions = decision_table(review)
    rows = []
    for kind, _ in KINDS:
        part = decisions[decisions["kind"] == kind]
        both = int((part["first"] & part["second"]).sum())
        first_only = int((part["first"] & ~part["second"]).sum())
        second_only = int((~part["first"] & part["second"]).sum())
        neither = int((~part["first"] & ~part["second"]).sum())
        used = both + first_only + second_only
        rows.append({"kind": kind, "cases": part["case_id"].nunique(),
                     "coded by both": both, "first coder only": first_only,
                     "second coder only": second_only,
                     "agreement on codes used": both / used if used else float("nan"),
                     "kappa": cohens_kappa(both, first_only, second_only, neither)})
    return pd.DataFrame(rows)
