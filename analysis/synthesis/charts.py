"""Altair charts of the review: pure functions from aggregated tables to charts.

Every chart receives a table already aggregated in pandas, never raw case rows, so pages
stay small as the dataset grows. Charts fill their text column (``width="container"``) and
put legends below the plot, so nothing is clipped at 1280 px or at a phone's 390 px. Labels
are words from the codebook, never raw codes; colours are colour-blind safe (Okabe–Ito and
single-hue ramps) and the strongest evidence is the darkest.
"""
from __future__ import annotations

import json
import textwrap

import altair as alt
import pandas as pd

LABEL_LIMIT = 170
BAR_STEP = 22
WRAPPED_STEP = 30  # px a bar takes when its label is set on two lines
WRAP_AT = 26  # characters of a label line (12 px text in LABEL_LIMIT)
# A long category label is set on lines of at most WRAP_AT characters rather than cut off.
WRAP_LABEL = (f"length(datum.label) > {WRAP_AT} ? split(trim(replace(datum.label, "
              f"/(.{{1,{WRAP_AT}}})(\\s+|$)/g, '$1\\n')), '\\n') : datum.label")
INK = "#1f2937"
BLUE = "#0072B2"      # Okabe–Ito blue
ORANGE = "#D55E00"    # Okabe–Ito vermillion
SKY = "#56B4E9"
GREY = "#9ca3af"
DIRECTION = alt.Scale(domain=["Enabler", "Barrier"], range=[BLUE, ORANGE])
BASIS = alt.Scale(domain=["Stated", "Inferred"], range=[BLUE, SKY])
# Strongest evidence darkest; evidence from elsewhere grey (it is not counted).
EVIDENCE = alt.Scale(domain=["Measured change", "Count of activity (output)",
                             "Participants' experience", "Claim without data",
                             "Observed elsewhere"],
                     range=["#08306b", "#2171b5", "#6baed6", "#c6dbef", GREY])
GROUP = alt.Scale(domain=["Tu's five outcomes", "Added outcomes", "Negative outcomes"],
                  range=[BLUE, "#009E73", ORANGE])
PERCENT = alt.Axis(format="%", title="Share of cases", grid=True)


def _legend(title: str) -> alt.Legend:
    # One entry a line: two columns ran past the edge of a chart drawn 340 px wide.
    return alt.Legend(title=title, orient="bottom", direction="horizontal", columns=1,
                      labelLimit=260, titleLimit=300)


NARROW = 480  # px: below this container width a long title is set on two lines
TITLE_LINE = 34  # characters of a title line on a narrow chart (14 px bold in 340 px)


def _wrapped_title(chart):
    """A long title set on two lines when the chart is narrow (a phone, or 400 % zoom), so it
    is never cut off at the chart's edge; on one line otherwise."""
    title = chart.title if isinstance(chart.title, str) else None
    if not title or len(title) <= TITLE_LINE:
        return chart
    lines = textwrap.wrap(title, TITLE_LINE)
    expr = f"containerSize()[0] < {NARROW} ? {json.dumps(lines)} : {json.dumps(title)}"
    return chart.properties(title=alt.TitleParams(text=alt.ExprRef(expr=expr)))


def _fit(chart, height: int):
    return _wrapped_title(chart).properties(width="container", height=height) \
        .configure_view(stroke=None) \
        .configure_axis(labelLimit=LABEL_LIMIT, labelFontSize=12, titleFontSize=12) \
        .configure_axisY(labelExpr=WRAP_LABEL, labelLineHeight=13) \
        .configure_title(fontSize=14, anchor="start", limit=0)


def _step(labels) -> int:
    """The height of one bar: more when a label is long enough to take two lines."""
    return WRAPPED_STEP if any(len(str(label)) > WRAP_AT for label in labels) else BAR_STEP


def share_bars(table: pd.DataFrame, title: str, colour: str | None = None,
               colour_title: str = "", scale: alt.Scale | None = None,
               order: list[str] | None = None, interval: bool = True, item: str = "Category"):
    """Horizontal bars of a share of cases, optionally with the 95 % interval as a thin rule.

    ``table`` has label, cases, n, share (and ci_low, ci_high); ``order`` fixes the row order
    (default: largest first); ``colour`` names a column of words to colour by; ``item`` names
    what a bar stands for in its tooltip (a role, a sector).
    """
    order = order or list(table.sort_values(["share", "label"], ascending=[False, True])["label"])
    base = alt.Chart(table).encode(y=alt.Y("label:N", sort=order, title=None))
    bar_colour = alt.Color(f"{colour}:N", scale=scale or alt.Undefined,
                           legend=_legend(colour_title)) if colour else alt.value(BLUE)
    tooltip = [alt.Tooltip("label:N", title=item), alt.Tooltip("cases:Q", title="Cases"),
               alt.Tooltip("n:Q", title="of n"), alt.Tooltip("share:Q", format=".0%", title="Share")]
    bars = base.mark_bar().encode(x=alt.X("share:Q", axis=PERCENT, scale=alt.Scale(domain=[0, 1])),
                                  color=bar_colour, tooltip=tooltip)
    layers = [bars]
    if interval and "ci_low" in table:
        layers.append(base.mark_rule(color=INK, strokeWidth=1.5).encode(x="ci_low:Q", x2="ci_high:Q"))
    end = "ci_high:Q" if interval and "ci_high" in table else "share:Q"
    layers.append(base.mark_text(align="left", dx=4, fontSize=11, color=INK).encode(
        x=end, text=alt.Text("cases:Q")))
    return _fit(alt.layer(*layers).properties(title=title), max(80, _step(table["label"]) * len(table) + 20))


def count_heatmap(table: pd.DataFrame, x: str, y: str, value: str, title: str,
                  x_order: list[str] | None = None, y_order: list[str] | None = None,
                  x_title: str | None = None, y_title: str | None = None,
                  names: dict[str, str] | None = None):
    """A grid of counts (e.g. roles by sector): darker where more cases, the count written in
    each cell in a colour that keeps its contrast. ``names`` gives the x and y columns their
    names in words for the tooltips."""
    names = names or {}
    top = float(table[value].max() or 1)
    base = alt.Chart(table).encode(
        # Column labels stand upright when the plot is narrow, so none overlaps or runs off.
        x=alt.X(f"{x}:N", sort=x_order, title=x_title,
                axis=alt.Axis(labelAngle=alt.ExprRef(expr=f"width < {NARROW - 80} ? -90 : 0"),
                              labelAlign=alt.ExprRef(expr=f"width < {NARROW - 80} ? 'left' : 'center'"),
                              labelBaseline=alt.ExprRef(expr=f"width < {NARROW - 80} ? 'middle' : 'bottom'"),
                              orient="top", labelLimit=110)),
        y=alt.Y(f"{y}:N", sort=y_order, title=y_title))
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color(f"{value}:Q", title="Cases", scale=alt.Scale(scheme="blues", domain=[0, top]),
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        tooltip=[alt.Tooltip(f"{x}:N", title=names.get(x, x_title or "Column")),
                 alt.Tooltip(f"{y}:N", title=names.get(y, y_title or "Row")),
                 alt.Tooltip(f"{value}:Q", title="Cases")])
    text = base.mark_text(fontSize=12, fontWeight="bold").encode(
        text=f"{value}:Q",
        color=alt.condition(f"datum.{value} > {top * 0.55:.3f}", alt.value("white"), alt.value(INK)))
    return _fit((cells + text).properties(title=title),
                max(90, max(26, _step(table[y].unique())) * table[y].nunique() + 30))


def stacked_counts(table: pd.DataFrame, y: str, colour: str, value: str, title: str,
                   scale: alt.Scale | None = None, colour_title: str = "",
                   x_title: str = "Coded values", order: list[str] | None = None,
                   item: str = "Category"):
    """Horizontal stacked bars of counts, e.g. evidence types per outcome; ``item`` names what
    a bar stands for in its tooltip."""
    colour_order = list(scale.domain) if scale is not None and scale.domain is not alt.Undefined \
        else None
    chart = alt.Chart(table).mark_bar().encode(
        y=alt.Y(f"{y}:N", title=None, sort=order),
        x=alt.X(f"{value}:Q", title=x_title, stack="zero"),
        color=alt.Color(f"{colour}:N", scale=scale or alt.Undefined, sort=colour_order,
                        legend=_legend(colour_title)),
        order=alt.Order("stack_order:Q") if "stack_order" in table else alt.Undefined,
        tooltip=[alt.Tooltip(f"{y}:N", title=item), alt.Tooltip(f"{colour}:N", title=colour_title or "Group"),
                 alt.Tooltip(f"{value}:Q", title="Count")])
    return _fit(chart.properties(title=title), max(80, _step(table[y].unique()) * table[y].nunique() + 20))


def diverging_factors(table: pd.DataFrame, title: str):
    """Enablers to the right, barriers to the left (counts written as positive numbers)."""
    data = table.assign(signed=table["cases"].where(table["direction"] == "enabler",
                                                    -table["cases"]))
    order = list(data.groupby("label")["cases"].sum().sort_values(ascending=False).index)
    top = int(data["cases"].max() or 1)
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", sort=order, title=None),
        x=alt.X("signed:Q", title=["Citizen cases naming it", "(barriers left, enablers right)"],
                scale=alt.Scale(domain=[-top, top]),
                axis=alt.Axis(labelExpr="abs(datum.value)", tickMinStep=1)),
        color=alt.Color("direction_label:N", scale=DIRECTION, legend=_legend("Direction")),
        tooltip=[alt.Tooltip("label:N", title="Factor"), alt.Tooltip("direction_label:N", title="Direction"),
                 alt.Tooltip("cases:Q", title="Cases")])
    return _fit(chart.properties(title=title), max(80, _step(order) * len(order) + 20))
