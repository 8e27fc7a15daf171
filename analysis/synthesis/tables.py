"""Tables of the review: pure functions from a :class:`~analysis.dataset.review.Review` to
DataFrames. Counts are numbers of cases; every table carries its population's n.

Shares carry a 95 % Wilson interval in columns ``ci_low``/``ci_high``; the chapters explain
it as precision within this collection of cases, not as evidence about coproduction at
large (the cases are a curated collection of good practice, not a sample).
"""
from __future__ import annotations

import math

import pandas as pd

from ..dataset.review import Review
from .formatting import wilson_interval
from .populations import Population, population, values

ROLE_ORDER = ("co_commissioning", "co_design", "co_delivery", "co_assessment")


def with_shares(counts: pd.DataFrame, n: int, count_column: str = "cases") -> pd.DataFrame:
    """Add n, share and the 95 % Wilson interval to a table of counts."""
    out = counts.copy()
    out["n"] = n
    out["share"] = out[count_column] / n if n else math.nan
    bounds = [wilson_interval(int(k), n) for k in out[count_column]]
    out["ci_low"] = [b[0] for b in bounds]
    out["ci_high"] = [b[1] for b in bounds]
    return out


def code_counts(review: Review, coded: pd.DataFrame, vocabulary: str,
                within: Population) -> pd.DataFrame:
    """Cases of a population coded with each code of a vocabulary (zeros kept, codebook order)."""
    names = review.codebook.labels(vocabulary)
    counts = coded[coded["case_id"].isin(within.case_ids)].groupby("code")["case_id"].nunique()
    table = pd.DataFrame({"code": list(names), "label": list(names.values())})
    table["cases"] = table["code"].map(counts).fillna(0).astype(int)
    return with_shares(table, within.n)


def codebook_table(review: Review, vocabulary: str) -> pd.DataFrame:
    """One vocabulary of the codebook as a table: code, label, attributes, definition, source."""
    rows = review.codebook.entries(vocabulary)
    extra = [c for c in ("side", "group", "citizen", "independent", "rank")
             if any(c in r for r in rows)]
    columns = ["code", "label", *extra, "definition", "source"]
    return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)


def overview(review: Review) -> dict[str, object]:
    """The headline figures of the review."""
    cases = review.cases
    citizen = population(review, "citizen")
    years = cases["year_documented"].dropna()
    return {
        "cases": len(cases), "countries": int(cases["country"].nunique()),
        "regions": int(cases["region"].nunique()),
        "outside_europe": int((cases["region"] != "Europe").sum()),
        "sectors": int(review.sectors["code"].nunique()),
        "citizen_cases": citizen.n, "staff_only_cases": len(cases) - citizen.n,
        "tu_cited_cases": int(cases["tu2022_reference"].notna().sum()),
        "not_tu_cases": int(cases["tu2022_reference"].isna().sum()),
        "coded_values": len(review.roles) + len(review.factors) + len(review.outcomes),
        "roles_coded": len(review.roles), "factors_coded": len(review.factors),
        "outcomes_coded": len(review.outcomes),
        "no_outcome_cases": int(cases["no_outcome_reported"].sum()),
        "partial_sources": int((cases["coverage"] == "partial").sum()),
        "data_date": cases["coded_on"].max() if len(cases) else "",
        "first_year": int(years.min()) if len(years) else None,
        "last_year": int(years.max()) if len(years) else None,
    }


def cases_by(review: Review, column: str) -> pd.DataFrame:
    """Cases per country, region or sector (a case counts under each of its sectors)."""
    n = len(review.cases)
    if column == "sector":
        counts = review.sectors.groupby("code")["case_id"].nunique().rename("cases").reset_index()
        counts["label"] = counts["code"].map(review.codebook.labels("sector"))
    elif column == "country":
        counts = review.cases.groupby(["country", "country_name", "region"]).size() \
            .rename("cases").reset_index().rename(columns={"country": "code",
                                                           "country_name": "label"})
    else:
        counts = review.cases.groupby(column).size().rename("cases").reset_index() \
            .rename(columns={column: "code"})
        counts["label"] = counts["code"]
    counts = counts.sort_values(["cases", "label"], ascending=[False, True]).reset_index(drop=True)
    return with_shares(counts, n)


def role_distribution(review: Review, within: Population | None = None,
                      stated_only: bool = False) -> pd.DataFrame:
    """Citizen cases coded with each of the four Co's, in service-cycle order."""
    within = within or population(review)
    return code_counts(review, values(review, "roles", within, stated_only), "role", within)


def role_combinations(review: Review) -> pd.DataFrame:
    """How many citizen cases show each combination of roles, most frequent first."""
    within = population(review)
    names = review.codebook.labels("role")
    combos = (values(review, "roles", within).groupby("case_id")["code"]
              .agg(lambda s: " + ".join(names[c] for c in names if c in set(s))))
    table = combos.value_counts().rename_axis("combination").reset_index(name="cases")
    table["roles"] = table["combination"].str.count(r"\+") + 1
    table = table.sort_values(["cases", "roles", "combination"], ascending=[False, True, True])
    return with_shares(table.reset_index(drop=True), within.n)


def roles_per_case(review: Review) -> pd.DataFrame:
    """How many citizen cases show one, two, three or four roles."""
    within = population(review)
    per_case = values(review, "roles", within).groupby("case_id")["code"].nunique()
    table = per_case.value_counts().sort_index().rename_axis("roles").reset_index(name="cases")
    return with_shares(table, within.n)


def roles_by(review: Review, column: str) -> pd.DataFrame:
    """Long table: for each sector (or region) and role, the number of citizen cases."""
    within = population(review)
    roles = values(review, "roles", within)[["case_id", "code"]].drop_duplicates()
    if column == "sector":
        groups = review.sectors[["case_id", "code"]].rename(columns={"code": "group"})
        labels = review.codebook.labels("sector")
    else:
        groups = review.cases[["id", column]].rename(columns={"id": "case_id", column: "group"})
        labels = {}
    groups = groups[groups["case_id"].isin(within.case_ids)]
    merged = roles.merge(groups, on="case_id")
    counts = merged.groupby(["group", "code"])["case_id"].nunique().reset_index(name="cases")
    totals = groups.groupby("group")["case_id"].nunique()
    counts["n"] = counts["group"].map(totals)
    counts["role"] = counts["code"].map(review.codebook.labels("role"))
    counts["group_label"] = counts["group"].map(lambda g: labels.get(g, g))
    return counts


def outcomes_observed_elsewhere(review: Review) -> int:
    """Outcome codings resting on evidence from elsewhere: coded, but never counted."""
    return int((~review.outcomes["counted"]).sum())


def basis_summary(review: Review, within: Population | None = None) -> pd.DataFrame:
    """For roles, factors and outcomes: how many coded values are stated or inferred."""
    within = within or population(review)
    rows = []
    for kind in ("roles", "factors", "outcomes"):
        frame = values(review, kind, within)
        for basis in ("stated", "inferred"):
            rows.append({"kind": kind, "basis": basis,
                         "values": int((frame["basis"] == basis).sum())})
    table = pd.DataFrame(rows)
    table["n"] = table.groupby("kind")["values"].transform("sum")
    table["share"] = table["values"] / table["n"].where(table["n"] > 0)
    return table


def factor_frequency(review: Review, direction: str | None = None,
                     within: Population | None = None, stated_only: bool = False) -> pd.DataFrame:
    """Citizen cases naming each factor (optionally only as enabler or barrier), with its side."""
    within = within or population(review)
    factors = values(review, "factors", within, stated_only)
    if direction is not None:
        factors = factors[factors["direction"] == direction]
    table = code_counts(review, factors, "factor", within)
    table.insert(2, "side", table["code"].map(review.codebook.attribute("factor", "side")))
    table["side_label"] = table["side"].map(review.codebook.labels("factor_side"))
    return table.sort_values(["cases", "label"], ascending=[False, True]).reset_index(drop=True)


def factor_frequency_by_direction(review: Review) -> pd.DataFrame:
    """Long table: citizen cases naming each factor as an enabler and as a barrier."""
    within = population(review)
    factors = values(review, "factors", within)
    table = factors.groupby(["code", "direction"])["case_id"].nunique().reset_index(name="cases")
    table["label"] = table["code"].map(review.codebook.labels("factor"))
    table["side"] = table["code"].map(review.codebook.attribute("factor", "side"))
    table["direction_label"] = table["direction"].map(review.codebook.labels("factor_direction"))
    table["n"] = within.n
    return table


def factors_by_side(review: Review) -> pd.DataFrame:
    """Coded factors of citizen cases by side (organisational, citizen, process) and direction."""
    within = population(review)
    factors = values(review, "factors", within)
    sides = review.codebook.labels("factor_side")
    table = factors.groupby(["side", "direction"])["case_id"].agg(values="size", cases="nunique") \
        .reset_index()
    full = pd.MultiIndex.from_product([list(sides), ["enabler", "barrier"]],
                                      names=["side", "direction"])
    table = table.set_index(["side", "direction"]).reindex(full, fill_value=0).reset_index()
    table["side_label"] = table["side"].map(sides)
    table["direction_label"] = table["direction"].map(review.codebook.labels("factor_direction"))
    return with_shares(table, within.n)


def by_role(review: Review, kind: str) -> pd.DataFrame:
    """Long table: for each role and each factor (or outcome), the citizen cases coded with both."""
    within = population(review)
    vocabulary = {"factors": "factor", "outcomes": "outcome"}[kind]
    roles = values(review, "roles", within)[["case_id", "code"]].drop_duplicates() \
        .rename(columns={"code": "role"})
    coded = values(review, kind, within)[["case_id", "code"]].drop_duplicates()
    pairs = roles.merge(coded, on="case_id")
    table = pairs.groupby(["role", "code"])["case_id"].nunique().reset_index(name="cases")
    table["n"] = table["role"].map(roles.groupby("role")["case_id"].nunique())
    table["share"] = table["cases"] / table["n"]
    table["role_label"] = table["role"].map(review.codebook.labels("role"))
    table["label"] = table["code"].map(review.codebook.labels(vocabulary))
    return table


def outcome_distribution(review: Review, within: Population | None = None,
                         stated_only: bool = False, measured_only: bool = False) -> pd.DataFrame:
    """Citizen cases reporting each outcome (observed in the case), with its group."""
    within = within or population(review)
    outcomes = values(review, "outcomes", within, stated_only, measured_only)
    table = code_counts(review, outcomes, "outcome", within)
    table.insert(2, "group", table["code"].map(review.codebook.attribute("outcome", "group")))
    table["group_label"] = table["group"].map(review.codebook.labels("outcome_group"))
    return table


def evidence_by_outcome(review: Review) -> pd.DataFrame:
    """Long table: how each outcome of the citizen cases is evidenced (all evidence types)."""
    within = population(review)
    outcomes = review.outcomes[review.outcomes["case_id"].isin(within.case_ids)]
    table = outcomes.groupby(["code", "evidence"]).size().reset_index(name="values")
    table["label"] = table["code"].map(review.codebook.labels("outcome"))
    table["evidence_label"] = table["evidence"].map(review.codebook.labels("evidence_type"))
    return table


def evidence_summary(review: Review) -> pd.DataFrame:
    """How many outcome codings of the citizen cases rest on each evidence type."""
    within = population(review)
    outcomes = review.outcomes[review.outcomes["case_id"].isin(within.case_ids)]
    names = review.codebook.labels("evidence_type")
    counts = outcomes["evidence"].value_counts()
    table = pd.DataFrame({"code": list(names), "label": list(names.values())})
    table["values"] = table["code"].map(counts).fillna(0).astype(int)
    return with_shares(table, len(outcomes), "values")


def negative_outcomes_by_kind(review: Review) -> pd.DataFrame:
    """Citizen cases reporting each kind of negative outcome (Steen et al. 2018)."""
    within = population(review)
    negative = values(review, "outcomes", within)
    negative = negative[negative["code"] == "negative_outcome"].rename(columns={"code": "outcome"}) \
        .rename(columns={"kind": "code"})
    return code_counts(review, negative, "negative_outcome_kind", within)


def basis_by_code(review: Review, kind: str) -> pd.DataFrame:
    """For each code of roles, factors or outcomes in the citizen cases: stated vs inferred."""
    vocabulary = {"roles": "role", "factors": "factor", "outcomes": "outcome"}[kind]
    frame = values(review, kind, population(review))
    table = frame.groupby(["code", "basis"]).size().reset_index(name="values")
    table["label"] = table["code"].map(review.codebook.labels(vocabulary))
    table["basis_label"] = table["basis"].map(review.codebook.labels("basis"))
    return table


def _by_role(review: Review, column: str, vocabulary: str, citizens_only: bool = False) -> pd.DataFrame:
    """Citizen cases by each code of a case-level ``column`` (codes of ``vocabulary``) and role."""
    within = population(review)
    cases = review.cases[review.cases["id"].isin(within.case_ids)][["id", column]]
    cases = cases.assign(group=cases[column].str.split("; ")).explode("group")
    roles = values(review, "roles", within)[["case_id", "code"]].drop_duplicates()
    pairs = roles.merge(cases.rename(columns={"id": "case_id"}), on="case_id")
    if citizens_only:
        pairs = pairs[pairs["group"].map(review.codebook.attribute(vocabulary, "citizen")).astype(bool)]
    table = pairs.groupby(["group", "code"])["case_id"].nunique().reset_index(name="cases")
    table["group_label"] = table["group"].map(review.codebook.labels(vocabulary))
    table["role_label"] = table["code"].map(review.codebook.labels("role"))
    table["n"] = within.n
    return table


def levels_by_role(review: Review) -> pd.DataFrame:
    """Citizen cases by level of coproduction (individual, group, collective) and role."""
    return _by_role(review, "coproduction_levels", "coproduction_level") \
        .rename(columns={"group": "level", "group_label": "level_label"})


def participants_by_role(review: Review) -> pd.DataFrame:
    """Citizen cases by participant group and role: who is present, who is missing (citizens'
    roles, not staff's)."""
    return _by_role(review, "participants", "participant_group", citizens_only=True)


def participant_groups(review: Review) -> pd.DataFrame:
    """Citizen cases in which each participant group takes part (zeros kept: who is missing)."""
    within = population(review)
    groups = review.cases[review.cases["id"].isin(within.case_ids)][["id", "participants"]]
    groups = groups.assign(code=groups["participants"].str.split("; ")).explode("code") \
        .rename(columns={"id": "case_id"})
    table = code_counts(review, groups, "participant_group", within)
    citizen = review.codebook.attribute("participant_group", "citizen")
    return table[table["code"].map(citizen).astype(bool)].reset_index(drop=True)


def appraisal_summary(review: Review, within: Population | None = None) -> pd.DataFrame:
    """How the sources of a population's cases were appraised: author, design, coverage."""
    within = within or population(review, "all")
    cases = review.cases[review.cases["id"].isin(within.case_ids)]
    rows = []
    for item, column, vocabulary in (("Who wrote the source", "author_role", "author_role"),
                                     ("Evaluation design", "evaluation_design", "evaluation_design"),
                                     ("How much was read", "coverage", "source_coverage")):
        counts = cases[column].value_counts()
        for code, label in review.codebook.labels(vocabulary).items():
            rows.append({"item": item, "code": code, "label": label,
                         "cases": int(counts.get(code, 0))})
    return with_shares(pd.DataFrame(rows), within.n)


def case_index(review: Review) -> pd.DataFrame:
    """One row per case for the case browser: plain text, labels, no markup."""
    names = {v: review.codebook.labels(v) for v in ("role", "outcome", "sector")}

    def joined(frame: pd.DataFrame, vocabulary: str) -> pd.Series:
        labels = names[vocabulary]
        return frame.groupby("case_id")["code"].agg(
            lambda s: "; ".join(labels[c] for c in labels if c in set(s)))
    cases = review.cases
    counted = review.outcomes[review.outcomes["counted"]]
    return pd.DataFrame({
        "id": cases["id"], "title": cases["title"], "country": cases["country_name"],
        "region": cases["region"], "place": cases["place"],
        "sectors": cases["id"].map(joined(review.sectors, "sector")).fillna(""),
        "year": cases["year_documented"].astype("object").where(cases["year_documented"].notna(), ""),
        "roles": cases["id"].map(joined(review.roles, "role")).fillna(""),
        "outcomes": cases["id"].map(joined(counted, "outcome")).fillna("none reported"),
        "citizen": cases["citizen_participation"],
    })


def tu_practice_case_references(review: Review) -> dict[int, str]:
    """Tu (2022)'s references that are practice cases (Governance International case studies)."""
    from ..dataset.bibliography import entries_by_key, field_value, tu_reference_keys
    bib = entries_by_key(review.references)
    return {number: key for number, key in tu_reference_keys(review.references).items()
            if "case study" in (field_value(bib[key], "howpublished") or "").lower()}
