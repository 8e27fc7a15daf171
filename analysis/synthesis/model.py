"""The coproduction model drawn from the data: factors → citizen roles → outcomes.

A link joins two codes found in the same citizen case. Its weight is the number of such
cases; its **lift** is how much more often the two occur together than if they were
independent within this collection (cases with both × n ÷ (cases with one × cases with the
other)): 1 is what chance alone gives, above 1 they go together more often. Links are
associations within published case studies, not effects. Enablers and barriers both enter
the model, told apart; links can be drawn from stated evidence only.
"""
from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from ..dataset.review import Review
from .charts import BLUE, INK, ORANGE, _fit
from .populations import population, values

STAGES = ("factor", "role", "outcome")
MIN_CASES = 2
NAME_LINE = 17  # characters of a line of a node's name (10 px text, a third of a 340 px chart)


def link_kind(direction: str) -> str:
    """The kind of a link in words, as the chart's legend and its data table name it."""
    return "Barrier link" if direction == "barrier" else "Enabler or role link"


def _stage_values(review: Review, stated_only: bool) -> dict[str, pd.DataFrame]:
    within = population(review)
    factors = values(review, "factors", within, stated_only)
    factors = factors.assign(code=factors["code"] + ":" + factors["direction"])
    return {"factor": factors[["case_id", "code"]].drop_duplicates(),
            "role": values(review, "roles", within, stated_only)[["case_id", "code"]].drop_duplicates(),
            "outcome": values(review, "outcomes", within, stated_only)[["case_id", "code"]]
            .drop_duplicates()}


def _label(review: Review, stage: str, code: str) -> str:
    if stage == "factor":
        factor, direction = code.split(":")
        return f"{review.codebook.label('factor', factor)} ({direction})"
    return review.codebook.label(stage, code)


def model_links(review: Review, stated_only: bool = False) -> pd.DataFrame:
    """Links factor→role and role→outcome among citizen cases, with counts and lift.

    Columns: source_stage, source, source_label, target_stage, target, target_label,
    direction (of a factor link, else ''), cases, source_cases, target_cases, n, lift.
    """
    n = population(review).n
    stage = _stage_values(review, stated_only)
    frames = []
    for a, b in (("factor", "role"), ("role", "outcome")):
        pairs = stage[a].merge(stage[b], on="case_id", suffixes=("_a", "_b"))
        counted = pairs.groupby(["code_a", "code_b"])["case_id"].nunique().reset_index(name="cases")
        counted = counted.rename(columns={"code_a": "source", "code_b": "target"})
        counted["source_stage"], counted["target_stage"] = a, b
        counted["source_cases"] = counted["source"].map(stage[a].groupby("code")["case_id"].nunique())
        counted["target_cases"] = counted["target"].map(stage[b].groupby("code")["case_id"].nunique())
        frames.append(counted)
    columns = ["source_stage", "source", "source_label", "target_stage", "target", "target_label",
               "direction", "cases", "source_cases", "target_cases", "n", "lift"]
    if not frames or n == 0:
        return pd.DataFrame(columns=columns)
    links = pd.concat(frames, ignore_index=True)
    links["source_label"] = [_label(review, s, c) for s, c in zip(links["source_stage"], links["source"])]
    links["target_label"] = [_label(review, s, c) for s, c in zip(links["target_stage"], links["target"])]
    links["direction"] = [c.split(":")[1] if s == "factor" else "" for s, c in
                          zip(links["source_stage"], links["source"])]
    links["n"] = n
    links["lift"] = links["cases"] * n / (links["source_cases"] * links["target_cases"])
    return links[columns].sort_values(["cases", "lift", "source", "target"],
                                      ascending=[False, False, True, True]).reset_index(drop=True)


def model_nodes(review: Review, stated_only: bool = False) -> pd.DataFrame:
    """Nodes of the model: each code with the number of citizen cases coded with it."""
    n = population(review).n
    rows = []
    for stage, frame in _stage_values(review, stated_only).items():
        counts = frame.groupby("code")["case_id"].nunique()
        codes = counts.index if stage == "factor" else \
            [c for c in review.codebook.codes(stage) if c in counts.index]
        for code in codes:
            rows.append({"stage": stage, "code": code, "label": _label(review, stage, code),
                         "cases": int(counts[code]),
                         "direction": code.split(":")[1] if stage == "factor" else ""})
    nodes = pd.DataFrame(rows, columns=["stage", "code", "label", "cases", "direction"])
    nodes["rank"] = nodes.groupby("stage")["cases"].rank(method="first", ascending=False)
    roles = nodes["stage"] == "role"  # roles keep the service cycle's order
    nodes.loc[roles, "rank"] = nodes.loc[roles, "code"].map(
        {code: i + 1 for i, code in enumerate(review.codebook.codes("role"))})
    nodes["n"] = n
    return nodes


def strongest_links(links: pd.DataFrame, stage: str, top: int = 3) -> pd.DataFrame:
    """The ``top`` links leaving one stage seen in the most cases (ties: higher lift first)."""
    return links[(links["source_stage"] == stage) & (links["cases"] >= MIN_CASES)] \
        .head(top).reset_index(drop=True)


def model_chart(nodes: pd.DataFrame, links: pd.DataFrame, min_cases: int = MIN_CASES,
                max_factors: int = 12, title: str = "Coproduction model: factors → citizen "
                                                  "roles → outcomes"):
    """A three-column node-link diagram. Link width: cases with both ends; enabler links blue,
    barrier links orange and dashed. Only the ``max_factors`` most frequent factors and links
    seen in at least ``min_cases`` cases are drawn (the data table under the chart has all)."""
    factors = nodes[nodes["stage"] == "factor"].nsmallest(max_factors, "rank")
    nodes = pd.concat([factors, nodes[nodes["stage"] != "factor"]], ignore_index=True)
    nodes["rank"] = nodes.groupby("stage")["rank"].rank(method="first")
    x_of = {stage: i for i, stage in enumerate(STAGES)}
    spread = nodes.groupby("stage")["rank"].transform("max")
    placed = nodes.assign(x=nodes["stage"].map(x_of), y=((nodes["rank"] - 0.5) / spread).round(4))
    where = placed.set_index(["stage", "code"])[["x", "y"]]
    shown = links[(links["cases"] >= min_cases)].reset_index(drop=True)
    segments = []
    for i, link in shown.iterrows():
        ends = [(link["source_stage"], link["source"]), (link["target_stage"], link["target"])]
        if not all(end in where.index for end in ends):
            continue
        for order, end in enumerate(ends):
            x, y = where.loc[end]
            segments.append({"link": i, "x": x, "y": y, "cases": link["cases"],
                             "lift": round(float(link["lift"]), 2),
                             "kind": link_kind(link["direction"]),
                             "from": link["source_label"], "to": link["target_label"], "order": order})
    segments = pd.DataFrame(segments, columns=["link", "x", "y", "cases", "lift", "kind", "from",
                                               "to", "order"])
    x_axis = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.05, 2.95]))
    y_axis = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[1.03, -0.06]))
    lines = alt.Chart(segments).mark_line(opacity=0.4).encode(
        x=x_axis, y=y_axis, detail="link:N", order="order:Q",
        color=alt.Color("kind:N", scale=alt.Scale(domain=["Enabler or role link", "Barrier link"],
                                                  range=[BLUE, ORANGE]),
                        legend=alt.Legend(title="Link", orient="bottom")),
        strokeDash=alt.StrokeDash("kind:N", scale=alt.Scale(domain=["Enabler or role link", "Barrier link"],
                                                            range=[[1, 0], [5, 3]]), legend=None),
        strokeWidth=alt.StrokeWidth("cases:Q", title="Cases with both",
                                    scale=alt.Scale(range=[0.5, 9]),
                                    legend=alt.Legend(orient="bottom", columns=2)),
        tooltip=[alt.Tooltip("from:N", title="From"), alt.Tooltip("to:N", title="To"),
                 alt.Tooltip("cases:Q", title="Cases with both"), alt.Tooltip("lift:Q", title="Lift")])
    # One slim dataset for the nodes, their names and halos (the page carries only what is
    # drawn). A name is set on short lines, so it fits its column uncut at 390 px (and is never
    # wider than the column; full names are also in the table and the tooltips).
    named = placed[["x", "y", "cases", "label"]].assign(
        name=placed["label"].map(lambda text: "\n".join(textwrap.wrap(text, NAME_LINE))))
    points = alt.Chart(named).mark_circle(color=INK, opacity=0.85).encode(
        x=x_axis, y=y_axis, size=alt.Size("cases:Q", legend=None, scale=alt.Scale(range=[30, 300])),
        tooltip=[alt.Tooltip("label:N", title="Factor, role or outcome"), alt.Tooltip("cases:Q", title="Cases")])
    text = dict(align="left", dx=7, fontSize=10, lineBreak="\n", lineHeight=11,
                limit=alt.ExprRef(expr="min(150, width / 3 - 10)"))
    placed_names = alt.Chart(named).encode(x=x_axis, y=y_axis, text=alt.Text("name:N"))
    names = placed_names.mark_text(**text)
    # A white halo under each name keeps it readable where links pass beneath it.
    halo = placed_names.mark_text(**text, stroke="white", strokeWidth=3, strokeJoin="round")
    headers = alt.Chart(pd.DataFrame({"x": [0, 1, 2], "y": [-0.05] * 3,
                                      "text": ["Factors", "Citizen roles", "Outcomes"]})) \
        .mark_text(fontWeight="bold", align="left", fontSize=12).encode(x=x_axis, y=y_axis, text="text:N")
    height = max(300, 46 * int(nodes.groupby("stage").size().max()))
    return _fit(alt.layer(lines, points, halo, names, headers).properties(title=title), height)
