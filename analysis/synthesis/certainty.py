"""How much confidence each main finding deserves, in the manner of GRADE-CERQual.

Each finding (a role, a critical factor, an outcome) is rated on CERQual's four components,
each as no or minor / moderate / serious concerns, by rules computed from the coding and the
appraisal of the contributing cases. The rules are the review's judgement, written down
here so that they apply the same way to every finding and every update:

- **Methodological limitations** — from the appraisal of the contributing cases' sources:
  serious when fewer than a quarter are independent of the initiative; for outcomes, also
  serious when fewer than a quarter rest on a measured change; moderate when fewer than half.
- **Coherence** — from the coding: concerns when many contributing values are the coder's
  inference rather than stated (moderate over a third, serious over a half), or, for a
  factor, when the opposite direction is coded in at least half as many cases.
- **Adequacy** — from the number of contributing cases: serious under 5, moderate under 10.
- **Relevance** — from where the cases come from: serious when all come from one world
  region, moderate when more than two thirds do.

Confidence starts at high and falls one level for each moderate concern and two for each
serious one, down to very low. Pure.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..dataset.review import Review
from . import tables
from .formatting import share_text
from .populations import citizen_cases, population, values

LEVELS = ("high", "moderate", "low", "very low")
CONCERN_COST = {"no or minor concerns": 0, "moderate concerns": 1, "serious concerns": 2}


@dataclass(frozen=True)
class Finding:
    """A finding of the review and the cases and coded values behind it."""

    area: str
    statement: str
    case_ids: frozenset[str]
    coded: pd.DataFrame
    is_outcome: bool = False
    opposite_cases: int = 0


def _concern(serious: bool, moderate: bool) -> str:
    return "serious concerns" if serious else ("moderate concerns" if moderate else "no or minor concerns")


def assess(review: Review, finding: Finding) -> dict[str, str]:
    """The four CERQual components and the overall confidence for one finding, with reasons."""
    cases = review.cases[review.cases["id"].isin(finding.case_ids)]
    k = len(cases)
    if k == 0:
        return {"Methodological limitations": "not assessable", "Coherence": "not assessable",
                "Adequacy": "serious concerns (no case)", "Relevance": "not assessable",
                "Confidence": "very low", "Why": "no case supports the finding"}
    independent = cases["independent_source"].mean()
    limitation = _concern(independent < 0.25, independent < 0.5)
    why = [f"{cases['independent_source'].sum()} of {k} cases have an independent source"]
    if finding.is_outcome:
        measured = finding.coded.groupby("case_id")["evidence"].apply(
            lambda s: (s == "measured_change").any()).mean()
        limitation = max(limitation, _concern(measured < 0.25, measured < 0.5), key=CONCERN_COST.get)
        why.append(f"{round(measured * k)} of {k} rest on a measured change")
    inferred = (finding.coded["basis"] == "inferred").mean() if len(finding.coded) else 0.0
    coherence = _concern(inferred > 0.5, inferred > 1 / 3 or finding.opposite_cases * 2 >= k > 0
                         and finding.opposite_cases > 0)
    why.append(f"{round(inferred * 100)} % of its codings inferred")
    if finding.opposite_cases:
        why.append(f"coded in the opposite direction in {finding.opposite_cases} cases")
    adequacy = _concern(k < 5, k < 10)
    region_share = cases["region"].value_counts(normalize=True).iloc[0]
    relevance = _concern(region_share == 1.0 and k > 1, region_share > 2 / 3)
    why.append(f"{round(region_share * 100)} % from {cases['region'].value_counts().index[0]}")
    components = {"Methodological limitations": limitation, "Coherence": coherence,
                  "Adequacy": adequacy, "Relevance": relevance}
    drop = sum(CONCERN_COST[c] for c in components.values())
    return {**components, "Confidence": LEVELS[min(drop, len(LEVELS) - 1)], "Why": "; ".join(why)}


def findings(review: Review) -> list[Finding]:
    """The review's main findings: each citizen role, the most frequent enablers and barriers,
    and each outcome reported in at least one citizen case."""
    within = population(review)
    n = within.n
    out: list[Finding] = []
    roles = values(review, "roles", within)
    for row in tables.role_distribution(review).itertuples():
        ids = frozenset(roles.loc[roles["code"] == row.code, "case_id"])
        out.append(Finding("Citizen roles", f"Citizens take part in {row.label.lower()} "
                           f"in {share_text(row.cases, n, 'citizen cases')}.", ids,
                           roles[roles["code"] == row.code]))
    factors = values(review, "factors", within)
    for direction, top in (("enabler", 3), ("barrier", 2)):
        table = tables.factor_frequency(review, direction)
        for row in table[table["cases"] > 0].head(top).itertuples():
            coded = factors[(factors["code"] == row.code) & (factors["direction"] == direction)]
            opposite = factors[(factors["code"] == row.code) & (factors["direction"] != direction)]
            out.append(Finding("Critical factors", f"{row.label} is named as {'an' if direction == 'enabler' else 'a'} "
                               f"{direction} in {share_text(row.cases, n, 'citizen cases')}.",
                               frozenset(coded["case_id"]), coded,
                               opposite_cases=opposite["case_id"].nunique()))
    outcomes = values(review, "outcomes", within)
    for row in tables.outcome_distribution(review).itertuples():
        if row.cases == 0:
            continue
        coded = outcomes[outcomes["code"] == row.code]
        out.append(Finding("Outcomes", f"{row.label} is reported in "
                           f"{share_text(row.cases, n, 'citizen cases')}.",
                           frozenset(coded["case_id"]), coded, is_outcome=True))
    return out


def summary_of_findings(review: Review) -> pd.DataFrame:
    """The summary-of-findings table: each finding, its cases and its confidence."""
    rows = []
    for finding in findings(review):
        rating = assess(review, finding)
        rows.append({"Area": finding.area, "Finding": finding.statement,
                     "Cases": len(finding.case_ids), **rating})
    return pd.DataFrame(rows, columns=["Area", "Finding", "Cases", "Methodological limitations",
                                       "Coherence", "Adequacy", "Relevance", "Confidence", "Why"])


def key_messages(review: Review) -> list[str]:
    """Plain-language key messages, each computed from the data with its confidence."""
    table = summary_of_findings(review)
    n = population(review).n
    messages = []
    roles = table[table["Area"] == "Citizen roles"].sort_values("Cases", ascending=False)
    if len(roles):
        top = roles.iloc[0]
        messages.append(f"The role citizens take most often: {top['Finding']} "
                        f"Confidence: {top['Confidence']}.")
    enablers = table[(table["Area"] == "Critical factors") & table["Finding"].str.contains("enabler")]
    if len(enablers):
        top = enablers.sort_values("Cases", ascending=False).iloc[0]
        messages.append(f"The enabler named most often: {top['Finding']} Confidence: {top['Confidence']}.")
    outcomes = table[table["Area"] == "Outcomes"].sort_values("Cases", ascending=False)
    if len(outcomes):
        top = outcomes.iloc[0]
        messages.append(f"The outcome reported most often: {top['Finding']} Confidence: {top['Confidence']}.")
    negative = outcomes[outcomes["Finding"].str.startswith("Negative")]
    cases_negative = int(negative["Cases"].iloc[0]) if len(negative) else 0
    messages.append(f"Harms are seldom reported: a negative or unintended outcome appears in "
                    f"{share_text(cases_negative, n, 'citizen cases')}; the sources are mostly "
                    "written by those who ran the initiatives, so harms are likely under-reported.")
    citizen = citizen_cases(review)
    measured = int((citizen["evaluation_design"] != "none").sum())
    messages.append(f"The evidence is thin: {share_text(measured, n, 'citizen cases')} report any "
                    "before-and-after or comparison figure, and none a controlled evaluation"
                    if not (review.cases["evaluation_design"] == "controlled").any() else
                    f"The evidence is thin: {share_text(measured, n, 'citizen cases')} report an "
                    "evaluation figure of any design")
    messages[-1] += "."
    partial = int((citizen["coverage"] == "partial").sum())
    if partial:
        messages.append(f"Every share is a floor: the sources of {share_text(partial, n, 'citizen cases')} "
                        "could be read only in part, so a role, factor or outcome not coded may "
                        "simply not have been read.")
    return messages
