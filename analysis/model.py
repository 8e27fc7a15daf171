"""The coproduction model drawn from the data: factors → citizen roles → outcomes.

A link's weight is the number of cases coded with both ends. Links are
associations within case studies, not effects.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from .load import Review
from .tables import citizen_cases, labels

STAGES = ("factor", "role", "outcome")


def model_links(review: Review, direction: str = "enabler") -> pd.DataFrame:
    """Links factor→role and role→outcome, weighted by the number of citizen cases with both.

    Only factors coded in ``direction`` (enablers by default) enter the model.
    Columns: source_stage, source, source_label, target_stage, target, target_label, cases.
    """
    ids = set(citizen_cases(review)["id"])
    roles = review.roles[review.roles["case_id"].isin(ids)][["case_id", "code"]]
    factors = review.factors[(review.factors["direction"] == direction)
                             & review.factors["case_id"].isin(ids)][["case_id", "code"]]
    outcomes = review.outcomes[review.outcomes["case_id"].isin(ids)][["case_id", "code"]]
    frames = []
    for stage_a, a, stage_b, b in (("factor", factors, "role", roles),
                                   ("role", roles, "outcome", outcomes)):
        pairs = a.drop_duplicates().merge(b.drop_duplicates(), on="case_id", suffixes=("_a", "_b"))
        counted = pairs.groupby(["code_a", "code_b"])["case_id"].nunique().reset_index(name="cases")
        counted = counted.rename(columns={"code_a": "source", "code_b": "target"})
        counted["source_stage"], counted["target_stage"] = stage_a, stage_b
        counted["source_label"] = counted["source"].map(labels(review, stage_a))
        counted["target_label"] = counted["target"].map(labels(review, stage_b))
        frames.append(counted)
    columns = ["source_stage", "source", "source_label", "target_stage", "target",
               "target_label", "cases"]
    links = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    return links.sort_values(["cases", "source_stage", "source", "target"],
                             ascending=[False, True, True, True]).reset_index(drop=True)


def model_nodes(review: Review, direction: str = "enabler") -> pd.DataFrame:
    """Nodes of the model with the number of citizen cases coded with each, per stage."""
    ids = set(citizen_cases(review)["id"])
    rows = []
    sources = {"factor": review.factors[review.factors["direction"] == direction],
               "role": review.roles, "outcome": review.outcomes}
    for stage in STAGES:
        frame = sources[stage]
        counts = frame[frame["case_id"].isin(ids)].groupby("code")["case_id"].nunique()
        for code, label in labels(review, stage).items():
            if counts.get(code, 0):
                rows.append({"stage": stage, "code": code, "label": label,
                             "cases": int(counts[code])})
    nodes = pd.DataFrame(rows, columns=["stage", "code", "label", "cases"])
    nodes["rank"] = nodes.groupby("stage")["cases"].rank(method="first", ascending=False)
    nodes["n"] = len(ids)
    return nodes


def strongest_links(links: pd.DataFrame, stage: str, top: int = 3) -> pd.DataFrame:
    """The ``top`` heaviest links leaving one stage (ties broken by name)."""
    return links[links["source_stage"] == stage].head(top).reset_index(drop=True)


def model_chart(nodes: pd.DataFrame, links: pd.DataFrame, min_cases: int = 2,
                title: str = "Coproduction model: enablers → citizen roles → outcomes") -> alt.LayerChart:
    """A three-column node-link diagram; link width is the number of cases with both ends.

    Links seen in fewer than ``min_cases`` cases are left out to keep the picture legible.
    """
    x_of = {stage: i for i, stage in enumerate(STAGES)}
    spread = nodes.groupby("stage")["rank"].transform("max")
    placed = nodes.assign(x=nodes["stage"].map(x_of),
                          y=(nodes["rank"] - 0.5) / spread)
    where = placed.set_index(["stage", "code"])[["x", "y"]]
    shown = links[links["cases"] >= min_cases].reset_index(drop=True)
    segments = []
    for i, link in shown.iterrows():
        for end in ("source", "target"):
            x, y = where.loc[(link[f"{end}_stage"], link[end])]
            segments.append({"link": i, "x": x, "y": y, "cases": link["cases"],
                             "from": link["source_label"], "to": link["target_label"],
                             "order": 0 if end == "source" else 1})
    segments = pd.DataFrame(segments, columns=["link", "x", "y", "cases", "from", "to", "order"])
    x_axis = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.05, 3.15]))
    y_axis = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[1.03, -0.03]))
    lines = alt.Chart(segments).mark_line(opacity=0.35, color="#1b6ca8").encode(
        x=x_axis, y=y_axis, detail="link:N", order="order:Q",
        strokeWidth=alt.StrokeWidth("cases:Q", title="Link",
                                    scale=alt.Scale(range=[0.5, 10])),
        tooltip=[alt.Tooltip("from:N", title="From"), alt.Tooltip("to:N", title="To"),
                 alt.Tooltip("cases:Q", title="Cases with both")])
    points = alt.Chart(placed).mark_circle(color="#0b3d62", opacity=0.9).encode(
        x=x_axis, y=y_axis, size=alt.Size("cases:Q", title="Node", scale=alt.Scale(range=[30, 400])),
        tooltip=[alt.Tooltip("label:N", title="Code"), "stage:N", alt.Tooltip("cases:Q", title="Cases")])
    names = alt.Chart(placed).mark_text(align="left", dx=8, fontSize=11).encode(
        x=x_axis, y=y_axis, text=alt.Text("label:N"))
    headers = alt.Chart(pd.DataFrame({"x": [0, 1, 2], "y": [-0.03] * 3,
                                      "text": ["Enablers", "Citizen roles", "Outcomes"]})) \
        .mark_text(fontWeight="bold", align="left", dy=-8).encode(x=x_axis, y=y_axis, text="text:N")
    height = max(260, 22 * int(nodes.groupby("stage").size().max()))
    return (lines + points + names + headers).properties(title=title, width=620, height=height)
