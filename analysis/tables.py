"""Tables of the review: pure functions from a :class:`~analysis.load.Review` to DataFrames.

Shares always come with their n and a 95 % Wilson interval, so a reader sees how
little a few dozen cases can say.
"""
from __future__ import annotations

import math

import pandas as pd
import pycountry

from .load import Review

Z95 = 1.959963984540054


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for k successes out of n (95 % by default)."""
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def labels(review: Review, vocabulary: str) -> dict[str, str]:
    """Code → label for one codebook vocabulary."""
    return {c["code"]: c["label"] for c in review.codebook[vocabulary]["codes"]}


def codebook_table(review: Review, vocabulary: str) -> pd.DataFrame:
    """One vocabulary of the codebook as a table: code, label, definition, framework."""
    rows = review.codebook[vocabulary]["codes"]
    extra = [c for c in ("side", "group", "citizen") if any(c in r for r in rows)]
    columns = ["code", "label", *extra, "definition", "source"]
    return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)


def country_name(code: str) -> str:
    """The common English name of an ISO 3166-1 alpha-2 code."""
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name


def citizen_cases(review: Review) -> pd.DataFrame:
    """Cases in which citizens take part (not only public-sector staff)."""
    return review.cases[review.cases["citizen_participation"]]


def with_shares(counts: pd.DataFrame, n: int, count_column: str = "cases") -> pd.DataFrame:
    """Add n, share and the 95 % Wilson interval to a table of case counts."""
    out = counts.copy()
    out["n"] = n
    out["share"] = out[count_column] / n if n else math.nan
    bounds = [wilson_interval(int(k), n) for k in out[count_column]]
    out["ci_low"] = [b[0] for b in bounds]
    out["ci_high"] = [b[1] for b in bounds]
    return out


def _case_counts(values: pd.DataFrame, review: Review, vocabulary: str,
                 case_ids: pd.Index) -> pd.DataFrame:
    """Number of the given cases coded with each code of a vocabulary (zeros kept)."""
    names = labels(review, vocabulary)
    subset = values[values["case_id"].isin(case_ids)]
    counts = subset.groupby("code")["case_id"].nunique()
    table = pd.DataFrame({"code": list(names), "label": list(names.values())})
    table["cases"] = table["code"].map(counts).fillna(0).astype(int)
    return with_shares(table, len(case_ids))


def overview(review: Review) -> dict[str, object]:
    """The headline figures of the review, as shown on the introduction."""
    cases = review.cases
    return {
        "cases": len(cases),
        "countries": cases["country"].nunique(),
        "sectors": cases["sector"].nunique(),
        "citizen_cases": int(cases["citizen_participation"].sum()),
        "staff_only_cases": int((~cases["citizen_participation"]).sum()),
        "tu_cited_cases": int(cases["tu2022_reference"].notna().sum()),
        "coded_values": len(review.roles) + len(review.factors) + len(review.outcomes),
        "roles_coded": len(review.roles),
        "factors_coded": len(review.factors),
        "outcomes_coded": len(review.outcomes),
        "data_date": cases["coded_on"].max() if len(cases) else "",
        "first_year": int(cases["year_documented"].min()) if len(cases) else None,
        "last_year": int(cases["year_documented"].max()) if len(cases) else None,
    }


def cases_from_publisher(review: Review, publisher: str) -> int:
    """How many cases cite at least one source whose ``howpublished`` names the publisher."""
    from .references import entries_by_key, field_value
    bib = entries_by_key(review.references)
    keys = {key for key, entry in bib.items()
            if publisher.lower() in (field_value(entry, "howpublished") or "").lower()}
    return int(review.sources[review.sources["citekey"].isin(keys)]["case_id"].nunique())


def cases_by(review: Review, column: str) -> pd.DataFrame:
    """Number of cases per country or sector, most frequent first, with labels."""
    counts = review.cases[column].value_counts().rename_axis(column).reset_index(name="cases")
    if column == "country":
        counts["label"] = counts["country"].map(country_name)
    elif column == "sector":
        counts["label"] = counts["sector"].map(labels(review, "sector"))
    return with_shares(counts.sort_values(["cases", "label"], ascending=[False, True])
                       .reset_index(drop=True), len(review.cases))


def role_distribution(review: Review) -> pd.DataFrame:
    """Cases (with citizen participants) coded with each of the four Co's."""
    return _case_counts(review.roles, review, "role", citizen_cases(review)["id"])


def role_combinations(review: Review) -> pd.DataFrame:
    """How many citizen cases show each combination of roles, most frequent first."""
    order = list(labels(review, "role"))
    names = labels(review, "role")
    ids = citizen_cases(review)["id"]
    combos = (review.roles[review.roles["case_id"].isin(ids)]
              .groupby("case_id")["code"]
              .agg(lambda s: " + ".join(names[c] for c in order if c in set(s))))
    table = combos.value_counts().rename_axis("combination").reset_index(name="cases")
    table["roles"] = table["combination"].str.count(r"\+") + 1
    table = table.sort_values(["cases", "roles", "combination"], ascending=[False, True, True])
    return with_shares(table.reset_index(drop=True), len(ids))


def roles_per_case(review: Review) -> pd.DataFrame:
    """How many citizen cases show one, two, three or four roles."""
    ids = citizen_cases(review)["id"]
    per_case = review.roles[review.roles["case_id"].isin(ids)].groupby("case_id")["code"].nunique()
    table = per_case.value_counts().sort_index().rename_axis("roles").reset_index(name="cases")
    return with_shares(table, len(ids))


def roles_by(review: Review, column: str) -> pd.DataFrame:
    """Long table: for each value of a case column (sector, country) and role, the case count."""
    cases = citizen_cases(review)[["id", column]]
    merged = review.roles.merge(cases, left_on="case_id", right_on="id")
    counts = merged.groupby([column, "code"])["case_id"].nunique().reset_index(name="cases")
    totals = cases[column].value_counts()
    counts["n"] = counts[column].map(totals)
    counts["role"] = counts["code"].map(labels(review, "role"))
    if column == "sector":
        counts["sector_label"] = counts["sector"].map(labels(review, "sector"))
    if column == "country":
        counts["country_label"] = counts["country"].map(country_name)
    return counts


def basis_summary(review: Review) -> pd.DataFrame:
    """For roles, factors and outcomes: how many coded values are stated vs inferred."""
    rows = []
    for kind in ("roles", "factors", "outcomes"):
        frame = getattr(review, kind)
        for basis in ("stated", "inferred"):
            rows.append({"kind": kind, "basis": basis, "values": int((frame["basis"] == basis).sum())})
    table = pd.DataFrame(rows)
    table["n"] = table.groupby("kind")["values"].transform("sum")
    table["share"] = table["values"] / table["n"].where(table["n"] > 0)
    return table


def factor_frequency(review: Review, direction: str | None = None) -> pd.DataFrame:
    """Cases naming each critical factor (optionally only enablers or barriers), with side."""
    factors = review.factors if direction is None else \
        review.factors[review.factors["direction"] == direction]
    table = _case_counts(factors, review, "factor", review.cases["id"])
    side = {c["code"]: c["side"] for c in review.codebook["factor"]["codes"]}
    table.insert(2, "side", table["code"].map(side))
    return table.sort_values(["cases", "label"], ascending=[False, True]).reset_index(drop=True)


def factors_by_side(review: Review) -> pd.DataFrame:
    """Coded factors by side (organisational, citizen, process) and direction."""
    sides = labels(review, "factor_side")
    table = (review.factors.groupby(["side", "direction"])["case_id"]
             .agg(values="size", cases="nunique").reset_index())
    full = pd.MultiIndex.from_product([list(sides), ["enabler", "barrier"]],
                                      names=["side", "direction"])
    table = table.set_index(["side", "direction"]).reindex(full, fill_value=0).reset_index()
    table["side_label"] = table["side"].map(sides)
    return with_shares(table, len(review.cases))


def _by_role(values: pd.DataFrame, review: Review, vocabulary: str) -> pd.DataFrame:
    """Long table: for each role and each code of ``vocabulary``, cases coded with both."""
    pairs = review.roles[["case_id", "code"]].rename(columns={"code": "role"}).merge(
        values[["case_id", "code"]].drop_duplicates(), on="case_id")
    table = pairs.groupby(["role", "code"])["case_id"].nunique().reset_index(name="cases")
    role_cases = review.roles.groupby("code")["case_id"].nunique()
    table["n"] = table["role"].map(role_cases)
    table["share"] = table["cases"] / table["n"]
    table["role_label"] = table["role"].map(labels(review, "role"))
    table["label"] = table["code"].map(labels(review, vocabulary))
    return table


def factors_by_role(review: Review) -> pd.DataFrame:
    """For each role, how many of its cases name each factor (either direction)."""
    return _by_role(review.factors, review, "factor")


def outcome_distribution(review: Review) -> pd.DataFrame:
    """Cases reporting each outcome, with Tu's five marked apart from the added types."""
    table = _case_counts(review.outcomes, review, "outcome", review.cases["id"])
    group = {c["code"]: c["group"] for c in review.codebook["outcome"]["codes"]}
    table.insert(2, "group", table["code"].map(group))
    return table


def evidence_by_outcome(review: Review) -> pd.DataFrame:
    """Long table: how each outcome is evidenced (reported figure, experience, bare claim)."""
    table = review.outcomes.groupby(["code", "evidence"]).size().reset_index(name="values")
    table["label"] = table["code"].map(labels(review, "outcome"))
    table["evidence_label"] = table["evidence"].map(labels(review, "evidence_type"))
    return table


def evidence_summary(review: Review) -> pd.DataFrame:
    """How many outcome codings rest on each evidence type, with shares."""
    names = labels(review, "evidence_type")
    counts = review.outcomes["evidence"].value_counts()
    table = pd.DataFrame({"code": list(names), "label": list(names.values())})
    table["values"] = table["code"].map(counts).fillna(0).astype(int)
    return with_shares(table, len(review.outcomes), "values")


def outcomes_by_role(review: Review) -> pd.DataFrame:
    """For each role, how many of its cases report each outcome."""
    return _by_role(review.outcomes, review, "outcome")


def case_index(review: Review) -> pd.DataFrame:
    """One row per case for the filterable case table: plain text, labels, no markup."""
    role_names, outcome_names = labels(review, "role"), labels(review, "outcome")

    def joined(frame: pd.DataFrame, names: dict) -> pd.Series:
        return frame.groupby("case_id")["code"].agg(
            lambda s: ", ".join(names[c] for c in names if c in set(s)))

    cases = review.cases
    return pd.DataFrame({
        "id": cases["id"],
        "Case": cases["title"],
        "Country": cases["country"].map(country_name),
        "Place": cases["place"],
        "Sector": cases["sector"].map(labels(review, "sector")),
        "Year": cases["year_documented"],
        "Roles": cases["id"].map(joined(review.roles, role_names)).fillna(""),
        "Outcomes": cases["id"].map(joined(review.outcomes, outcome_names)).fillna(""),
    })


def basis_by_code(review: Review, kind: str) -> pd.DataFrame:
    """For each code of roles, factors or outcomes: how many codings are stated vs inferred."""
    vocabulary = {"roles": "role", "factors": "factor", "outcomes": "outcome"}[kind]
    frame = getattr(review, kind)
    table = frame.groupby(["code", "basis"]).size().reset_index(name="values")
    table["label"] = table["code"].map(labels(review, vocabulary))
    return table


def factor_frequency_by_direction(review: Review) -> pd.DataFrame:
    """Long table: cases naming each factor as an enabler and as a barrier."""
    side = {c["code"]: c["side"] for c in review.codebook["factor"]["codes"]}
    table = (review.factors.groupby(["code", "direction"])["case_id"].nunique()
             .reset_index(name="cases"))
    table["label"] = table["code"].map(labels(review, "factor"))
    table["side"] = table["code"].map(side)
    return table


def tu_practice_case_references(review: Review) -> dict[int, str]:
    """Tu (2022)'s references that are practice cases (Governance International case studies)."""
    from .references import field_value, tu_reference_keys
    bib = {entry.key: entry for entry in review.references.entries}
    return {number: key for number, key in tu_reference_keys(review.references).items()
            if "case study" in (field_value(bib[key], "howpublished") or "").lower()}


def case_flow(review: Review, status: dict) -> pd.DataFrame:
    """How the cases came into the review: Tu's practice cases, those coded, those not, and additions."""
    practice = tu_practice_case_references(review)
    cited = review.cases["tu2022_reference"].dropna().astype(int)
    not_coded = [row["tu2022_reference"] for row in status.get("not_coded", [])]
    rows = [
        ("Practice cases cited individually by Tu (2022)", len(practice)),
        ("… not coded (source not found or not readable; see below)", len(not_coded)),
        ("… coded", int(cited.isin(list(practice)).sum())),
        ("Cases added since, not cited by Tu (2022)", int(review.cases["tu2022_reference"].isna().sum())),
        ("Cases in the review", len(review.cases)),
    ]
    return pd.DataFrame(rows, columns=["Step", "Cases"])
