"""Figures quoted in the chapters' prose, computed from the data and put in words.

Each ``*_figures`` function returns ``{name: text}``; a chapter glues them
(:func:`analysis.site.render.glue`) and cites them as ``{glue:text}`name```. Every share is
written count first (``9 of 21 citizen cases (43 %)``) from the same tables the charts draw.
"""
from __future__ import annotations

import pandas as pd

from ..dataset.review import Review
from . import agreement, model, tables
from .formatting import count, percent, ratio, share_text
from .populations import population


def _top(table: pd.DataFrame) -> pd.Series:
    return table.sort_values(["cases", "label"], ascending=[False, True]).iloc[0]


def introduction_figures(review: Review) -> dict[str, str]:
    """Headline counts for the introduction."""
    o = tables.overview(review)
    return {
        "cases": str(o["cases"]), "countries": str(o["countries"]), "sectors": str(o["sectors"]),
        "regions": str(o["regions"]), "outside_europe": str(o["outside_europe"]),
        "citizen_cases": str(o["citizen_cases"]), "staff_only_cases": str(o["staff_only_cases"]),
        "tu_cited_cases": str(o["tu_cited_cases"]), "not_tu_cases": str(o["not_tu_cases"]),
        "coded_values": str(o["coded_values"]), "data_date": o["data_date"],
        "no_outcome_cases": str(o["no_outcome_cases"]),
        "partial_sources": str(o["partial_sources"]),
        "year_span": f"{o['first_year']}–{o['last_year']}" if o["first_year"] else "n/a",
    }


def population_figures(review: Review) -> dict[str, str]:
    """The population rule in numbers: what every citizen chapter states."""
    citizen = population(review)
    return {"n": str(citizen.n), "population": citizen.label(),
            "staff_only_cases": str(len(review.cases) - citizen.n)}


def roles_figures(review: Review) -> dict[str, str]:
    """The role distribution in words."""
    roles = tables.role_distribution(review)
    n = int(roles["n"].iloc[0])
    top, bottom = _top(roles), roles.sort_values(["cases", "label"]).iloc[0]
    per_case = tables.roles_per_case(review)
    several = int(per_case.loc[per_case["roles"] > 1, "cases"].sum())
    figures = {"top_role": top["label"], "top_role_share": share_text(top["cases"], n, "citizen cases"),
               "rare_role": bottom["label"], "rare_role_share": share_text(bottom["cases"], n, "citizen cases"),
               "multi_role_share": share_text(several, n, "citizen cases")}
    for row in roles.itertuples():
        figures[f"{row.code}_share"] = share_text(row.cases, n, "citizen cases")
    return population_figures(review) | figures


def factors_figures(review: Review) -> dict[str, str]:
    """Most frequent enabler and barrier, and counts by side, among citizen cases."""
    n = population(review).n
    enablers = tables.factor_frequency(review, "enabler")
    barriers = tables.factor_frequency(review, "barrier")
    by_direction = tables.factor_frequency_by_direction(review)
    with_barrier = tables.factor_frequency(review, "barrier")
    sides = tables.factors_by_side(review).groupby("side")["values"].sum()
    values = int(sides.sum())
    from .populations import values as coded
    factors = coded(review, "factors", population(review))
    return population_figures(review) | {
        "factors_coded": str(values),
        "top_enabler": _top(enablers)["label"],
        "top_enabler_share": share_text(int(_top(enablers)["cases"]), n, "citizen cases"),
        "top_barrier": _top(barriers)["label"],
        "top_barrier_share": share_text(int(_top(barriers)["cases"]), n, "citizen cases"),
        "barrier_cases": share_text(factors.loc[factors["direction"] == "barrier", "case_id"].nunique(),
                                    n, "citizen cases"),
        "enabler_cases": share_text(factors.loc[factors["direction"] == "enabler", "case_id"].nunique(),
                                    n, "citizen cases"),
        "organisational_values": str(int(sides.get("organisational", 0))),
        "citizen_values": str(int(sides.get("citizen", 0))),
        "process_values": str(int(sides.get("process", 0))),
        "distinct_factors": str(int(by_direction["code"].nunique())),
        "barrier_kinds": str(int((with_barrier["cases"] > 0).sum())),
    }


def outcomes_figures(review: Review) -> dict[str, str]:
    """Most frequent outcome, negative outcomes and how outcomes are evidenced."""
    outcomes = tables.outcome_distribution(review)
    n = int(outcomes["n"].iloc[0])
    top = _top(outcomes)
    negative = outcomes.set_index("code").loc["negative_outcome"]
    evidence = tables.evidence_summary(review).set_index("code")
    citizen = population(review)
    no_outcome = review.cases[review.cases["id"].isin(citizen.case_ids)]["no_outcome_reported"].sum()
    figures = population_figures(review) | {
        "outcome_values": str(int(evidence["values"].sum())),
        "top_outcome": top["label"], "top_outcome_share": share_text(top["cases"], n, "citizen cases"),
        "negative_share": share_text(int(negative["cases"]), n, "citizen cases"),
        "no_outcome_share": share_text(int(no_outcome), n, "citizen cases")}
    for code, row in evidence.iterrows():
        figures[f"{code}_values"] = share_text(int(row["values"]), int(row["n"]), "outcome codings")
    return figures


def model_figures(review: Review) -> dict[str, str]:
    """The strongest links of the model, in words, with their counts and lift."""
    links = model.model_links(review)
    n = population(review).n
    figures = population_figures(review) | {"links": str(len(links)),
                                            "top_role": _top(tables.role_distribution(review))["label"]}
    for stage in ("factor", "role"):
        strongest = model.strongest_links(links, stage, top=3)
        figures[f"{stage}_links"] = "; ".join(
            f"{r.source_label} → {r.target_label} ({r.cases} of {n} citizen cases, lift {ratio(r.lift)})"
            for r in strongest.itertuples()) or "none yet"
    stated = model.model_links(review, stated_only=True)
    figures["stated_links"] = str(int((stated["cases"] >= model.MIN_CASES).sum()))
    figures["all_links"] = str(int((links["cases"] >= model.MIN_CASES).sum()))
    return figures


def agreement_figures(review: Review) -> dict[str, str]:
    """How many cases were coded twice blind, and agreement per kind of code."""
    summary = agreement.agreement_summary(review).set_index("kind")
    figures = {"double_coded": str(len(review.second_codings)),
               "double_coded_share": percent(len(review.second_codings) / len(review.cases))
               if len(review.cases) else "n/a"}
    for kind, key in (("Citizen roles", "roles"), ("Outcomes", "outcomes"),
                      ("Critical factors", "factors")):
        figures[f"kappa_{key}"] = ratio(summary.loc[kind, "kappa"])
        figures[f"positive_{key}"] = percent(summary.loc[kind, "positive_agreement"])
    return figures


def reading_figures(review: Review) -> dict[str, str]:
    """Totals of the second reading of every coded value."""
    status = review.second_readings["status"].value_counts()
    total = int(len(review.second_readings))
    checked = int(status.get("confirmed", 0) + status.get("corrected", 0))
    return {"values_total": str(total), "values_checked": str(checked),
            "values_confirmed": str(int(status.get("confirmed", 0))),
            "values_corrected": str(int(status.get("corrected", 0))),
            "values_removed": str(len(review.removed_values)),
            "values_unchecked": str(int(status.get("not yet checked", 0))),
            "values_stale": str(int(status.get("stale", 0))),
            "checked_share": percent(checked / total) if total else "n/a",
            "readers": str(review.second_readings.loc[review.second_readings["reader"] != "",
                                                      "reader"].nunique())}


def method_figures(review: Review) -> dict[str, str]:
    """Counts about the coding itself: codebook size, coders, stated versus inferred."""
    basis = tables.basis_summary(review, population(review, "all"))
    total = int(basis["values"].sum())
    inferred = int(basis.loc[basis["basis"] == "inferred", "values"].sum())
    return {
        "vocabularies": str(len(review.codebook.names())),
        "codebook_codes": str(sum(len(review.codebook.codes(v)) for v in review.codebook.names())),
        "coded_values": str(total), "inferred_values": str(inferred),
        "elsewhere_values": count(tables.outcomes_observed_elsewhere(review), "outcome"),
        "inferred_share": percent(inferred / total) if total else "n/a",
        "coders": count(int(review.cases["coder"].nunique()), "coder"),
        "coder_names": ", ".join(sorted(review.cases["coder"].unique())),
    }
