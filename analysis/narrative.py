"""Figures quoted in the chapters' prose, computed from the data and formatted for reading.

Each ``*_figures`` function returns ``{name: text}``; a chapter glues them with
:func:`analysis.book.glue_figures` and cites them as ``{glue:text}`name```.
"""
from __future__ import annotations

import pandas as pd

from . import model, tables
from .load import Review


def percent(share: float) -> str:
    """A share as a whole percentage, e.g. ``41 %``."""
    return "n/a" if pd.isna(share) else f"{share:.0%}".replace("%", " %")


def share_text(cases: int, n: int) -> str:
    """``9 of 22 cases (41 %; 95 % CI 23–61 %)``: a share with its n and Wilson interval."""
    low, high = tables.wilson_interval(cases, n)
    share = cases / n if n else float("nan")
    return (f"{cases} of {n} cases ({percent(share)}; 95 % CI "
            f"{percent(low).replace(' %', '')}–{percent(high)})")


def _top(table: pd.DataFrame) -> pd.Series:
    return table.sort_values(["cases", "label"], ascending=[False, True]).iloc[0]


def introduction_figures(review: Review) -> dict[str, str]:
    """Headline counts for the introduction."""
    o = tables.overview(review)
    return {
        "cases": str(o["cases"]), "countries": str(o["countries"]), "sectors": str(o["sectors"]),
        "citizen_cases": str(o["citizen_cases"]), "staff_only_cases": str(o["staff_only_cases"]),
        "tu_cited_cases": str(o["tu_cited_cases"]), "coded_values": str(o["coded_values"]),
        "data_date": o["data_date"],
        "year_span": f"{o['first_year']}–{o['last_year']}" if o["cases"] else "n/a",
    }


def method_figures(review: Review) -> dict[str, str]:
    """Counts about the coding itself: codebook size, stated versus inferred."""
    basis = tables.basis_summary(review)
    total = basis["values"].sum()
    inferred = int(basis.loc[basis["basis"] == "inferred", "values"].sum())
    codebook_codes = sum(len(v["codes"]) for v in review.codebook.values())
    return {
        "vocabularies": str(len(review.codebook)), "codebook_codes": str(codebook_codes),
        "coded_values": str(int(total)), "inferred_values": str(inferred),
        "inferred_share": percent(inferred / total if total else float("nan")),
        "coders": str(review.cases["coder"].nunique()),
        "publisher_cases": str(tables.cases_from_publisher(review, "Governance International")),
    }


def agreement_figures(review: Review) -> dict[str, str]:
    """How many cases were coded twice, and Cohen's kappa per kind of code."""
    from .agreement import agreement_summary
    summary = agreement_summary(review).set_index("kind")
    figures = {"double_coded": str(len(review.second_codings))}
    for kind, key in (("Citizen roles", "roles"), ("Outcomes", "outcomes"),
                      ("Critical factors", "factors")):
        kappa = summary.loc[kind, "kappa"] if len(review.second_codings) else float("nan")
        figures[f"kappa_{key}"] = "n/a" if pd.isna(kappa) else f"{kappa:.2f}"
    return figures


def roles_figures(review: Review) -> dict[str, str]:
    """The role distribution in words: most and least frequent role, role counts per case."""
    roles = tables.role_distribution(review)
    n = int(roles["n"].iloc[0])
    top = _top(roles)
    bottom = roles.sort_values(["cases", "label"]).iloc[0]
    per_case = tables.roles_per_case(review)
    several = int(per_case.loc[per_case["roles"] > 1, "cases"].sum())
    figures = {"n": str(n), "top_role": top["label"], "top_role_share": share_text(top["cases"], n),
               "rare_role": bottom["label"], "rare_role_share": share_text(bottom["cases"], n),
               "multi_role_share": share_text(several, n),
               "staff_only_cases": str(tables.overview(review)["staff_only_cases"])}
    for row in roles.itertuples():
        figures[f"{row.code}_share"] = share_text(row.cases, n)
    return figures


def factors_figures(review: Review) -> dict[str, str]:
    """Most frequent enabler and barrier, and counts by side."""
    n = len(review.cases)
    enablers = tables.factor_frequency(review, "enabler")
    barriers = tables.factor_frequency(review, "barrier")
    with_barrier = review.factors.loc[review.factors["direction"] == "barrier", "case_id"].nunique()
    with_enabler = review.factors.loc[review.factors["direction"] == "enabler", "case_id"].nunique()
    by_side = tables.factors_by_side(review).groupby("side")["values"].sum()
    return {
        "n": str(n), "factors_coded": str(len(review.factors)),
        "top_enabler": _top(enablers)["label"],
        "top_enabler_share": share_text(int(_top(enablers)["cases"]), n),
        "top_barrier": _top(barriers)["label"],
        "top_barrier_share": share_text(int(_top(barriers)["cases"]), n),
        "barrier_cases": share_text(with_barrier, n),
        "enabler_cases": share_text(with_enabler, n),
        "organisational_values": str(int(by_side.get("organisational", 0))),
        "citizen_values": str(int(by_side.get("citizen", 0))),
        "process_values": str(int(by_side.get("process", 0))),
    }


def outcomes_figures(review: Review) -> dict[str, str]:
    """Most frequent outcome, negative outcomes, and how outcomes are evidenced."""
    outcomes = tables.outcome_distribution(review)
    n = int(outcomes["n"].iloc[0])
    top = _top(outcomes)
    negative = outcomes.set_index("code").loc["negative_outcome"]
    evidence = tables.evidence_summary(review).set_index("code")
    figures = {"n": str(n), "outcomes_coded": str(len(review.outcomes)),
               "top_outcome": top["label"], "top_outcome_share": share_text(top["cases"], n),
               "negative_share": share_text(int(negative["cases"]), n)}
    for code, row in evidence.iterrows():
        figures[f"{code}_values"] = f"{row['values']} of {row['n']} ({percent(row['share'])})"
    return figures


def model_figures(review: Review) -> dict[str, str]:
    """The strongest links of the model, in words, with their case counts."""
    links = model.model_links(review)
    n = len(tables.citizen_cases(review))
    roles = tables.role_distribution(review)
    figures = {"n": str(n), "links": str(len(links)), "top_role": _top(roles)["label"]}
    for stage in ("factor", "role"):
        strongest = model.strongest_links(links, stage, top=3)
        figures[f"{stage}_links"] = "; ".join(
            f"{r.source_label} → {r.target_label} ({r.cases} of {n} cases)"
            for r in strongest.itertuples()) or "none yet"
    return figures
