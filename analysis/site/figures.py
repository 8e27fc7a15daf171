"""Every chart of the book: the chart, the finding it shows in words (its text alternative
and caption), the table it draws (labels in words) and the population it counts.

One function per figure; a chapter cell calls one of them.
"""
from __future__ import annotations

import altair as alt
import pandas as pd
import pycountry

from ..dataset.review import Review
from ..synthesis import charts, gap_map, model, tables
from ..synthesis.formatting import count, percent, share_text
from ..synthesis.populations import population
from .render import Figure, figure


def _top_bottom(table: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    ordered = table.sort_values(["cases", "label"], ascending=[False, True])
    return ordered.iloc[0], ordered.iloc[-1]


INTERVAL_KEY = (" Each thin line is a 95 % interval: how precisely the share is known within this "
                "collection of cases, not evidence about coproduction at large.")


def _share_rows(table: pd.DataFrame, first: str) -> pd.DataFrame:
    return pd.DataFrame({first: table["label"], "Cases": table["cases"], "Of n": table["n"],
                         "Share": [percent(s) for s in table["share"]]})


def country_map(review: Review) -> Figure:
    """Cases by country on a world map (drawn from the vendored world atlas), with a table."""
    counts = tables.cases_by(review, "country")
    counts["numeric"] = [getattr(pycountry.countries.get(alpha_2=c), "numeric", "") for c in counts["code"]]
    world = alt.Chart(alt.NamedData(name="world-atlas", format=alt.DataFormat(
        type="topojson", feature="countries")))
    base = world.mark_geoshape(fill="#e5e7eb", stroke="white", strokeWidth=0.4)
    cases = world.mark_geoshape(stroke="white", strokeWidth=0.4).encode(
        color=alt.Color("cases:Q", title="Cases", scale=alt.Scale(scheme="blues", domainMin=0),
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        tooltip=[alt.Tooltip("label:N", title="Country"), alt.Tooltip("cases:Q", title="Cases")]
    ).transform_lookup(lookup="id", from_=alt.LookupData(counts, "numeric", ["cases", "label"])) \
        .transform_filter("isValid(datum.cases)")
    chart = charts._fit(alt.layer(base, cases).project("equalEarth")
                        .properties(title="Where the cases come from"), 300)
    top = counts.iloc[0]
    regions = review.cases["region"].value_counts()
    finding = (f"The {len(review.cases)} cases come from {len(counts)} countries in "
               f"{len(regions)} world regions; most from {top['label']} ({top['cases']}), and "
               + ", ".join(f"{n} from {r}" for r, n in regions.items()) + ".")
    table = pd.DataFrame({"Country": counts["label"], "Region": counts["region"],
                          "Cases": counts["cases"]})
    return figure(chart, finding, table, population(review, "all").label(), needs="world-atlas")


def cases_by_sector(review: Review) -> Figure:
    by_sector = tables.cases_by(review, "sector")
    top = by_sector.iloc[0]
    finding = (f"The cases span {len(by_sector)} public-service sectors; the most common is "
               f"{top['label'].lower()}, in {share_text(top['cases'], top['n'])}. A case counts "
               "under each of its sectors.")
    return figure(charts.share_bars(by_sector, "Cases by public-service sector", interval=False, item="Sector"),
                  finding, _share_rows(by_sector, "Sector"), population(review, "all").label())


def roles(review: Review) -> Figure:
    table = tables.role_distribution(review)
    top, bottom = _top_bottom(table)
    finding = (f"{top['label']} is the most common citizen role ({share_text(top['cases'], top['n'], 'citizen cases')}); "
               f"{bottom['label'].lower()} the least common ({share_text(bottom['cases'], bottom['n'], 'citizen cases')}).")
    chart = charts.share_bars(table, "Citizen cases in which citizens take each role",
                              order=list(table["label"]), item="Role")
    return figure(chart, finding + INTERVAL_KEY, _share_rows(table, "Role"), population(review).label())


def _heatmap(review: Review, table: pd.DataFrame, x: str, y: str, title: str, finding: str,
             columns: dict[str, str], y_order: list[str] | None = None) -> Figure:
    role_order = list(review.codebook.labels("role").values())
    chart = charts.count_heatmap(table, x, y, "cases", title, x_order=role_order, y_order=y_order,
                                 names={x: columns[x], y: columns[y]})
    data = table[list(columns)].rename(columns=columns)
    return figure(chart, finding, data, population(review).label())


def _strongest_cell(table: pd.DataFrame, x: str, y: str, of: str = "") -> str:
    """The most frequent pairing, or every pairing tied with it."""
    top = table["cases"].max()
    tied = table[table["cases"] == top].sort_values([y, x])
    pairs = [f"{row[y]} with {row[x].lower()}" for _, row in tied.iterrows()]
    if len(pairs) == 1:
        return f"pairing{of} is {pairs[0]} ({top} citizen cases)"
    return f"pairings{of} are {', '.join(pairs[:-1])} and {pairs[-1]} ({top} citizen cases each)"


def roles_by_sector(review: Review) -> Figure:
    table = tables.roles_by(review, "sector")
    return _heatmap(review, table, "role", "group_label", "Roles by sector",
                    f"The most frequent {_strongest_cell(table, 'role', 'group_label', ' of sector and role')}.",
                    {"group_label": "Sector", "role": "Role", "cases": "Cases", "n": "Cases in sector"})


def roles_by_region(review: Review) -> Figure:
    table = tables.roles_by(review, "region")
    return _heatmap(review, table, "role", "group_label", "Roles by world region",
                    f"The most frequent {_strongest_cell(table, 'role', 'group_label', ' of region and role')}.",
                    {"group_label": "Region", "role": "Role", "cases": "Cases", "n": "Cases in region"})


def levels_by_role(review: Review) -> Figure:
    table = tables.levels_by_role(review)
    levels = list(review.codebook.labels("coproduction_level").values())
    return _heatmap(review, table, "role_label", "level_label", "Level of coproduction by role",
                    f"The most frequent {_strongest_cell(table, 'role_label', 'level_label', ' of level and role')}.",
                    {"level_label": "Level", "role_label": "Role", "cases": "Cases"}, y_order=levels)


def participants_by_role(review: Review) -> Figure:
    table = tables.participants_by_role(review)
    groups = tables.participant_groups(review)
    missing = groups.loc[groups["cases"] == 0, "label"].tolist()
    rare = groups.sort_values(["cases", "label"]).iloc[0]
    finding = (f"The most frequent {_strongest_cell(table, 'role_label', 'group_label')}; "
               + (f"no citizen case involves {', '.join(m.lower() for m in missing)}."
                  if missing else f"the group seen least is {rare['label'].lower()} "
                                  f"({rare['cases']} citizen cases)."))
    return _heatmap(review, table, "role_label", "group_label", "Who takes part, by role", finding,
                    {"group_label": "Participant group", "role_label": "Role", "cases": "Cases"})


def basis(review: Review) -> Figure:
    table = tables.basis_summary(review, population(review, "all"))
    table["basis_label"] = table["basis"].map(review.codebook.labels("basis"))
    table["kind_label"] = table["kind"].map({"roles": "Roles", "factors": "Factors", "outcomes": "Outcomes"})
    inferred = table[table["basis"] == "inferred"]
    finding = "Share of coded values inferred by the coder rather than stated in the source: " + \
        "; ".join(f"{r.kind_label.lower()} {percent(r.share)} ({r.values} of {r.n})" for r in inferred.itertuples()) + "."
    chart = charts.stacked_counts(table, "kind_label", "basis_label", "values",
                                  "Stated and inferred coded values", scale=charts.BASIS,
                                  colour_title="Basis", item="Kind of coded value")
    data = table[["kind_label", "basis_label", "values", "n"]].rename(
        columns={"kind_label": "Kind", "basis_label": "Basis", "values": "Values", "n": "Of"})
    elsewhere = tables.outcomes_observed_elsewhere(review)
    return figure(chart, finding, data, population(review, "all").label()
                  + (f"; {count(elsewhere, 'outcome')} observed elsewhere not counted" if elsewhere else ""))


def factors(review: Review) -> Figure:
    table = tables.factor_frequency_by_direction(review)
    n = population(review).n
    enabler = table[table["direction"] == "enabler"].sort_values(["cases", "label"], ascending=[False, True])
    barrier = table[table["direction"] == "barrier"].sort_values(["cases", "label"], ascending=[False, True])
    finding = "Most often named enabler: " + (
        f"{enabler.iloc[0]['label'].lower()} ({share_text(enabler.iloc[0]['cases'], n, 'citizen cases')})"
        if len(enabler) else "none") + "; most often named barrier: " + (
        f"{barrier.iloc[0]['label'].lower()} ({share_text(barrier.iloc[0]['cases'], n, 'citizen cases')})."
        if len(barrier) else "none.")
    data = table[["label", "direction_label", "cases", "n"]].rename(
        columns={"label": "Factor", "direction_label": "Direction", "cases": "Cases", "n": "Of n"})
    return figure(charts.diverging_factors(table, "Enablers and barriers"), finding, data,
                  population(review).label())


def factors_by_side(review: Review) -> Figure:
    table = tables.factors_by_side(review)
    sums = table.groupby("side_label")["values"].sum().sort_values(ascending=False)
    finding = "Coded factors by side: " + "; ".join(f"{s.lower()} {v}" for s, v in sums.items()) + "."
    chart = charts.stacked_counts(table, "side_label", "direction_label", "values", "Factors by side",
                                  scale=charts.DIRECTION, colour_title="Direction", item="Side")
    data = table[["side_label", "direction_label", "values", "cases"]].rename(
        columns={"side_label": "Side", "direction_label": "Direction", "values": "Values",
                 "cases": "Cases"})
    return figure(chart, finding, data, population(review).label())


def factors_by_role(review: Review) -> Figure:
    table = tables.by_role(review, "factors")
    order = list(tables.factor_frequency(review)["label"])
    return _heatmap(review, table, "role_label", "label", "Factors by citizen role",
                    f"The most frequent {_strongest_cell(table, 'role_label', 'label', ' of factor and role')}.",
                    {"label": "Factor", "role_label": "Role", "cases": "Cases", "n": "Cases with role"},
                    y_order=order)


def outcomes(review: Review) -> Figure:
    table = tables.outcome_distribution(review)
    top, _ = _top_bottom(table)
    negative = table.set_index("code").loc["negative_outcome"]
    finding = (f"{top['label']} is the outcome reported most often ({share_text(top['cases'], top['n'], 'citizen cases')}); "
               f"a negative or unintended outcome is reported in {share_text(negative['cases'], negative['n'], 'citizen cases')}.")
    chart = charts.share_bars(table, "Citizen cases reporting each outcome", colour="group_label",
                              colour_title="Outcome group", scale=charts.GROUP,
                              order=list(table["label"]), item="Outcome")
    # The group column is named as the chart's colour legend, so the table says in words what
    # the bars' colour says.
    data = _share_rows(table, "Outcome").assign(**{"Outcome group": table["group_label"].values})
    return figure(chart, finding + INTERVAL_KEY, data, population(review).label())


def negative_kinds(review: Review) -> Figure:
    table = tables.negative_outcomes_by_kind(review)
    seen = table[table["cases"] > 0]
    finding = ("Kinds of negative outcome reported: " + "; ".join(
        f"{r.label.lower()} in {r.cases}" for r in seen.itertuples()) + "."
        if len(seen) else "No negative outcome is reported in the citizen cases.")
    chart = charts.share_bars(table, "Citizen cases reporting each kind of negative outcome",
                              order=list(table["label"]), interval=False, item="Kind of negative outcome")
    return figure(chart, finding, _share_rows(table, "Kind (Steen et al. 2018)"), population(review).label())


def evidence(review: Review) -> Figure:
    table = tables.evidence_by_outcome(review)
    summary = tables.evidence_summary(review)
    measured = summary.set_index("code").loc["measured_change"]
    finding = (f"Of {int(summary['values'].sum())} outcome codings, {measured['values']} "
               f"({percent(measured['share'])}) rest on a measured change; the rest on counts of "
               "activity, participants' experience, claims without data, or evidence from elsewhere.")
    chart = charts.stacked_counts(table, "label", "evidence_label", "values",
                                  "How each outcome is evidenced", scale=charts.EVIDENCE,
                                  colour_title="Evidence type", item="Outcome",
                                  order=list(review.codebook.labels("outcome").values()))
    data = table[["label", "evidence_label", "values"]].rename(
        columns={"label": "Outcome", "evidence_label": "Evidence type", "values": "Codings"})
    return figure(chart, finding, data, population(review).label())


def outcomes_by_role(review: Review) -> Figure:
    table = tables.by_role(review, "outcomes")
    order = list(review.codebook.labels("outcome").values())
    return _heatmap(review, table, "role_label", "label", "Outcomes by citizen role",
                    f"The most frequent {_strongest_cell(table, 'role_label', 'label', ' of outcome and role')}.",
                    {"label": "Outcome", "role_label": "Role", "cases": "Cases", "n": "Cases with role"},
                    y_order=order)


def coproduction_model(review: Review, stated_only: bool = False) -> Figure:
    nodes = model.model_nodes(review, stated_only)
    links = model.model_links(review, stated_only)
    shown = links[links["cases"] >= model.MIN_CASES]
    strongest = shown.sort_values(["cases", "lift"], ascending=[False, False]).head(1)
    finding = (f"{len(shown)} links are seen in at least {model.MIN_CASES} citizen cases"
               + (f"; the most frequent joins {strongest.iloc[0]['source_label'].lower()} to "
                  f"{strongest.iloc[0]['target_label'].lower()} ({strongest.iloc[0]['cases']} cases, "
                  f"lift {strongest.iloc[0]['lift']:.2f})" if len(strongest) else "") + ".")
    title = "Coproduction model" + (" (stated evidence only)" if stated_only else "")
    # The link's kind is a column too, named as in the legend: colour is not its only carrier.
    data = shown.assign(kind=[model.link_kind(d) for d in shown["direction"]])[
        ["source_label", "target_label", "kind", "cases", "source_cases", "target_cases", "lift"]] \
        .rename(columns={"source_label": "From", "target_label": "To", "kind": "Link",
                         "cases": "Cases with both", "source_cases": "Cases with 'from'",
                         "target_cases": "Cases with 'to'", "lift": "Lift"})
    return figure(model.model_chart(nodes, links, title=title), finding, data,
                  population(review).label() + (", stated evidence only" if stated_only else "")
                  + f"; links seen in at least {model.MIN_CASES} cases")


def evidence_map(review: Review, rows: str) -> Figure:
    """A bubble map of roles (or factors) × outcomes; selecting a bubble lists its cases.

    The chart carries only the cells that hold cases (empty cells are the gaps, drawn as the
    grid); the table under it is the whole matrix, all evidence with stated-only in brackets."""
    table = pd.concat([gap_map.gap_map_table(review, rows, stated) for stated in (False, True)],
                      ignore_index=True)
    label = {"roles": "Citizen role", "factors": "Factor"}[rows]
    row_order = list(review.codebook.labels({"roles": "role", "factors": "factor"}[rows]).values())
    outcome_order = list(review.codebook.labels("outcome").values())
    switch = alt.param(name=f"evidence_{rows}", value="All evidence",
                       bind=alt.binding_radio(options=["All evidence", "Stated only"],
                                              name="Evidence shown: "))
    select = alt.selection_point(name=f"cell_{rows}", fields=["row_label", "outcome_label", "evidence"],
                                 on="click", clear="dblclick")
    cells = table.loc[table["cases"] > 0, ["row_label", "outcome_label", "cases", "evidence"]]
    chart = alt.Chart(cells).transform_filter(f"datum.evidence == evidence_{rows}").mark_circle(
        color=charts.BLUE).encode(
        # Upright column labels: slanted ones ran off the chart's right edge at every width.
        x=alt.X("outcome_label:N", title=None, scale=alt.Scale(domain=outcome_order),
                axis=alt.Axis(labelAngle=-90, labelAlign="left", labelBaseline="middle",
                              labelLimit=200, orient="top", grid=True)),
        y=alt.Y("row_label:N", title=None, scale=alt.Scale(domain=row_order), axis=alt.Axis(grid=True)),
        # The largest bubble fits its cell (a column's width, at most a row's 26 px), so
        # bubbles do not overlap at 390 px: area = pi / 4 x (0.95 x cell)^2 = 0.7 x cell^2.
        size=alt.Size("cases:Q", title="Citizen cases",
                      scale=alt.Scale(range=[12, alt.ExprRef(
                          expr=f"0.7 * pow(min(width / {len(outcome_order)}, 26), 2)")]),
                      legend=alt.Legend(orient="bottom", direction="horizontal", columns=3)),
        opacity=alt.condition(select, alt.value(0.9), alt.value(0.35)),
        tooltip=[alt.Tooltip("row_label:N", title=label), alt.Tooltip("outcome_label:N", title="Outcome"),
                 alt.Tooltip("cases:Q", title="Citizen cases")]).add_params(select, switch)
    chart = charts._fit(chart.properties(title=f"Evidence map: {label.lower()}s × outcomes"),
                        26 * len(row_order) + 40)
    everything = table[table["evidence"] == "All evidence"].set_index(["row_label", "outcome_label"])["cases"]
    stated = table[table["evidence"] == "Stated only"].set_index(["row_label", "outcome_label"])["cases"]
    matrix = pd.DataFrame({label: row_order})
    for outcome in outcome_order:
        matrix[outcome] = [f"{everything[(r, outcome)]} ({stated[(r, outcome)]})" if everything[(r, outcome)]
                           else "0" for r in row_order]
    empty = int((everything == 0).sum())
    best = everything.sort_values(ascending=False).index[0]
    finding = (f"The thickest evidence joins {best[0].lower()} to {best[1].lower()} "
               f"({everything[best]} citizen cases); {empty} of {len(everything)} cells have no case. "
               "Select a bubble, or a count in the table, to list its cases.")
    return figure(chart, finding, matrix, population(review).label() + "; in brackets: stated only",
                  needs=f"gap-map:{rows}")
