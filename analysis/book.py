"""What the chapters call: open the review, glue figures, show charts and the case table.

Chapter cells stay one-liners; everything here is plumbing between :mod:`analysis`
and the notebook page.
"""
from __future__ import annotations

import functools
import html
import json
import uuid

import altair as alt
import pandas as pd

from . import tables
from .load import Review
from .validate import checked_review


@functools.lru_cache(maxsize=1)
def open_review() -> Review:
    """The validated review, read once per kernel."""
    alt.data_transformers.disable_max_rows()
    return checked_review()


def glue_figures(figures: dict[str, object]) -> None:
    """Glue every figure under its name for ``{glue:text}`name``` in the prose."""
    from myst_nb import glue
    for name, value in figures.items():
        glue(name, value, display=False)


class Figure:
    """A chart with its text alternative and its data table, rendered offline by vega-embed."""

    def __init__(self, chart: alt.TopLevelMixin, description: str, data: pd.DataFrame):
        self.chart, self.description, self.data = chart, description, data

    def _repr_html_(self) -> str:
        spec = self.chart.to_dict()
        spec.setdefault("description", self.description)
        target = f"chart-{uuid.uuid4().hex[:12]}"
        payload = json.dumps(spec, ensure_ascii=True).replace("</", "<\\/")
        table = self.data.to_html(index=False, escape=True, border=0, classes="chart-data",
                                  float_format=lambda v: f"{v:.2f}", na_rep="")
        alt_text = html.escape(self.description)
        return (
            f'<figure class="review-chart">'
            f'<div id="{target}" class="review-chart-canvas" role="img" aria-label="{alt_text}"></div>'
            f'<script>(function () {{ var draw = function () {{ vegaEmbed("#{target}", {payload}, '
            f'{{"actions": false, "renderer": "svg"}}).catch(console.error); }};'
            f' if (window.vegaEmbed) {{ draw(); }} else {{ window.addEventListener("load", draw); }}'
            f' }})();</script>'
            f'<figcaption>{alt_text}</figcaption>'
            f'<details><summary>Data behind this chart</summary>{table}</details></figure>')


def show(chart: alt.TopLevelMixin, description: str, data: pd.DataFrame) -> Figure:
    """Display a chart with a one-sentence text alternative and the table it draws."""
    return Figure(chart, description, data)


def share_table(table: pd.DataFrame, first: str = "label", title: str = "Code") -> pd.DataFrame:
    """A readable table of shares: label, cases, n, share and interval as percentages."""
    out = table[[first, "cases", "n"]].rename(columns={first: title, "cases": "Cases"})
    out["Share"] = [f"{v:.0%}" for v in table["share"]]
    out["95 % CI"] = [f"{lo:.0%}–{hi:.0%}" for lo, hi in zip(table["ci_low"], table["ci_high"])]
    return out.reset_index(drop=True)


ITABLES_BUNDLE = "../_static/itables/dt_bundle.js"


def case_table(review: Review):
    """The filterable table of cases; each title links to the case's own page.

    Contributed titles are escaped here; every other cell is escaped by the table itself.
    """
    import itables
    from IPython.display import HTML
    index = tables.case_index(review)
    index["Case"] = [f'<a href="cases/{case_id}.html">{html.escape(title)}</a>'
                     for case_id, title in zip(index["id"], index["Case"])]
    for column in ("Country", "Place", "Sector", "Roles", "Outcomes"):
        index[column] = index[column].map(lambda text: html.escape(str(text)))
    index = index.drop(columns="id")
    return HTML(itables.to_html_datatable(
        index, connected=True, dt_url=ITABLES_BUNDLE, allow_html=True,
        column_filters="header", display_logo_when_loading=False, showIndex=False,
        classes="display compact", layout={"topStart": "search", "topEnd": None},
        paging=False, scrollX=True))


def codebook_tables(review: Review):
    """Every codebook vocabulary as a captioned table (code, label, definition, framework)."""
    from IPython.display import HTML
    parts = []
    for name, vocabulary in review.codebook.items():
        table = tables.codebook_table(review, name)
        parts.append(
            f'<section class="codebook-vocabulary"><p><strong>{html.escape(vocabulary["label"])}'
            f'</strong> (<code>{html.escape(name)}</code>): {html.escape(vocabulary["definition"])}</p>'
            + table.to_html(index=False, escape=True, border=0, na_rep="", classes="codebook")
            + "</section>")
    return HTML("\n".join(parts))


def not_coded_table():
    """Tu-cited cases that could not be coded, and why (from ``data/status.yml``)."""
    from .load import read_status
    rows = read_status().get("not_coded", [])
    return pd.DataFrame([{"Tu (2022) reference": r["tu2022_reference"], "Citekey": r["citekey"],
                          "Why not coded": " ".join(r["reason"].split())} for r in rows])
