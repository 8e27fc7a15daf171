"""Agreement between two independent coders of the same cases.

For each double-coded case and each code of a vocabulary, both coders either coded it or
not. Over these case × code decisions this module reports Cohen's kappa (agreement beyond
chance), and beside it **positive agreement** — of the codes either coder used, how far they
agree (2 × both ÷ (2 × both + one only)) — because kappa over many codes that both coders
left blank looks better than the agreement on the codes actually used.
"""
from __future__ import annotations

import math

import pandas as pd

from ..dataset.review import Review

KINDS = (("Citizen roles", "role"), ("Outcomes", "outcome"), ("Critical factors", "factor"))


def _first(review: Review, case_id: str, vocabulary: str) -> set:
    document = review.documents[case_id]
    if vocabulary == "factor":
        return {(f["code"], f["direction"]) for f in document.get("factors") or []}
    return {value["code"] for value in document.get(vocabulary + "s") or []
            if value.get("evidence") != "observed_elsewhere"}


def _second(coding: dict, vocabulary: str) -> set:
    if vocabulary == "factor":
        return {(f["code"], f["direction"]) for f in coding["factors"]}
    return set(coding[vocabulary + "s"])


def cohens_kappa(both: int, first_only: int, second_only: int, neither: int) -> float:
    """Cohen's kappa for two coders' yes/no decisions, from the four cells of their 2×2 table."""
    total = both + first_only + second_only + neither
    if total == 0:
        return math.nan
    observed = (both + neither) / total
    first_yes, second_yes = (both + first_only) / total, (both + second_only) / total
    expected = first_yes * second_yes + (1 - first_yes) * (1 - second_yes)
    return math.nan if expected == 1 else (observed - expected) / (1 - expected)


def positive_agreement(both: int, first_only: int, second_only: int) -> float:
    """Agreement on the codes used: 2 × both ÷ (2 × both + first only + second only)."""
    used = 2 * both + first_only + second_only
    return 2 * both / used if used else math.nan


def decision_table(review: Review) -> pd.DataFrame:
    """One row per double-coded case, vocabulary and code: did each coder code it?"""
    rows = []
    for case_id, coding in sorted(review.second_codings.items()):
        if case_id not in review.documents:
            continue
        for kind, vocabulary in KINDS:
            codes = review.codebook.codes(vocabulary)
            universe = [(c, d) for c in codes for d in ("enabler", "barrier")] \
                if vocabulary == "factor" else codes
            first, second = _first(review, case_id, vocabulary), _second(coding, vocabulary)
            for code in universe:
                rows.append({"case_id": case_id, "kind": kind, "code": code,
                             "first": code in first, "second": code in second})
    return pd.DataFrame(rows, columns=["case_id", "kind", "code", "first", "second"])


def agreement_summary(review: Review) -> pd.DataFrame:
    """Per kind of code: cases double-coded, the 2×2 counts, positive agreement and kappa."""
    decisions = decision_table(review)
    rows = []
    for kind, _ in KINDS:
        part = decisions[decisions["kind"] == kind]
        both = int((part["first"] & part["second"]).sum())
        first_only = int((part["first"] & ~part["second"]).sum())
        second_only = int((~part["first"] & part["second"]).sum())
        neither = int((~part["first"] & ~part["second"]).sum())
        rows.append({"kind": kind, "cases": part["case_id"].nunique(), "both": both,
                     "first_only": first_only, "second_only": second_only, "neither": neither,
                     "positive_agreement": positive_agreement(both, first_only, second_only),
                     "kappa": cohens_kappa(both, first_only, second_only, neither)})
    return pd.DataFrame(rows)
