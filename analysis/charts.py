"""Altair charts of the review: pure functions from aggregated tables to charts.

Every chart receives a table already aggregated in pandas (counts, shares,
intervals), never raw case rows, so pages stay small as the dataset grows and no
contributed text reaches a chart.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

WIDTH = 470
PERCENT = alt.Axis(format="%", title="Share of cases")
BASIS_COLOURS = alt.Scale(domain=["stated", "inferred"], range=["#1b6ca8", "#a6c8e0"])
DIRECTION_COLOURS = alt.Scale(domain=["enabler", "barrier"], range=["#2a7f62", "#c05640"])


def share_bars(table: pd.DataFrame, title: str, colour: str | None = None,
               sort: bool = True) -> alt.Chart:
    """Horizontal bars of the share of cases with 95 % Wilson intervals as whiskers.

    ``table`` has columns label, cases, n, share, ci_low, ci_high (see
    :func:`analysis.tables.with_shares`); ``colour`` names an optional column.
    """
    order = list(table.sort_values("share", ascending=False)["label"]) if sort \
        else list(table["label"])
    base = alt.Chart(table).encode(y=alt.Y("label:N", sort=order, title=None))
    bar_colour = alt.Color(f"{colour}:N", title=colour.replace("_", " ").capitalize()) \
        if colour else alt.value("#1b6ca8")
    bars = base.mark_bar().encode(
        x=alt.X("share:Q", axis=PERCENT, scale=alt.Scale(domain=[0, 1])),
        color=bar_colour,
        tooltip=[alt.Tooltip("label:N", title="Code"), alt.Tooltip("cases:Q", title="Cases"),
                 alt.Tooltip("n:Q", title="of n"), alt.Tooltip("share:Q", format=".0%"),
                 alt.Tooltip("ci_low:Q", format=".0%", title="95% CI from"),
                 alt.Tooltip("ci_high:Q", format=".0%", title="95% CI to")])
    whiskers = base.mark_rule(color="#333").encode(x="ci_low:Q", x2="ci_high:Q")
    height = max(80, 24 * len(table))
    return (bars + whiskers).properties(title=title, width=WIDTH, height=height)


def count_heatmap(table: pd.DataFrame, x: str, y: str, value: str, title: str,
                  x_title: str | None = None, y_title: str | None = None) -> alt.Chart:
    """A grid of counts (e.g. roles by sector), darker where more cases."""
    base = alt.Chart(table).encode(
        x=alt.X(f"{x}:N", title=x_title, axis=alt.Axis(labelAngle=-30)),
        y=alt.Y(f"{y}:N", title=y_title))
    cells = base.mark_rect().encode(
        color=alt.Color(f"{value}:Q", title="Cases", scale=alt.Scale(scheme="blues")),
        tooltip=[f"{x}:N", f"{y}:N", alt.Tooltip(f"{value}:Q", title="Cases")])
    text = base.mark_text(fontSize=11).encode(
        text=f"{value}:Q",
        color=alt.condition(f"datum.{value} > 3", alt.value("white"), alt.value("black")))
    rows = table[y].nunique()
    return (cells + text).properties(title=title, width=WIDTH * 0.7, height=max(80, 26 * rows))


def stacked_counts(table: pd.DataFrame, y: str, colour: str, value: str, title: str,
                   scale: alt.Scale | None = None, colour_title: str | None = None) -> alt.Chart:
    """Horizontal stacked bars of counts, e.g. evidence types per outcome."""
    return alt.Chart(table).mark_bar().encode(
        y=alt.Y(f"{y}:N", title=None),
        x=alt.X(f"{value}:Q", title="Coded values", stack="zero"),
        color=alt.Color(f"{colour}:N", scale=scale or alt.Undefined,
                        title=colour_title or colour.replace("_", " ").capitalize()),
        tooltip=[f"{y}:N", f"{colour}:N", alt.Tooltip(f"{value}:Q", title="Values")],
    ).properties(title=title, width=WIDTH, height=max(80, 26 * table[y].nunique()))


def diverging_factors(table: pd.DataFrame, title: str) -> alt.Chart:
    """Enablers to the right, barriers to the left, one row per factor, coloured by direction."""
    data = table.assign(signed=table["cases"].where(table["direction"] == "enabler",
                                                    -table["cases"]))
    order = list(data.groupby("label")["cases"].sum().sort_values(ascending=False).index)
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", sort=order, title=None),
        x=alt.X("signed:Q", title="Cases naming it (barriers left, enablers right)"),
        color=alt.Color("direction:N", scale=DIRECTION_COLOURS, title="Direction"),
        tooltip=[alt.Tooltip("label:N", title="Factor"), "side:N", "direction:N",
                 alt.Tooltip("cases:Q", title="Cases")],
    ).properties(title=title, width=WIDTH, height=max(80, 20 * len(order)))
