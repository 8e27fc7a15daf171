"""What the chapters call: the review, figures glued into the prose, charts with the finding
as their text alternative and their data as a table, and tables that name their population.

Chapter cells stay a few lines; everything here is plumbing between :mod:`analysis` and the
notebook page. Every string is escaped (:mod:`analysis.site.markup`).
"""
from __future__ import annotations

import functools
import json
import uuid

import altair as alt
import pandas as pd

from ..dataset import load
from ..dataset.review import Review
from . import markup


@functools.lru_cache(maxsize=1)
def review() -> Review:
    """The review of this build: the build's snapshot, read once per kernel."""
    alt.data_transformers.disable_max_rows()
    return load.open_review()


def glue(figures: dict[str, object]) -> None:
    """Glue every figure under its name for ``{glue:text}`name``` in the prose."""
    from myst_nb import glue as myst_glue
    for name, value in figures.items():
        myst_glue(name, value, display=False)


class HTML:
    """A piece of HTML for the page (what the notebook shows as its output)."""

    def __init__(self, body: str):
        self.body = body

    def _repr_html_(self) -> str:
        return self.body


class Figure(HTML):
    """A chart with its finding as text alternative and caption, and its data as a table,
    drawn offline by the vendored vega-embed. In a column narrower than the chart's smallest
    drawing width (at 320 px) the chart is shown scaled down to the column (review-charts.js),
    so neither the page nor the chart scrolls sideways."""

    def __init__(self, chart, finding: str, data: pd.DataFrame, population: str,
                 needs: str | None = None):
        spec = chart.to_dict()
        spec["description"] = finding
        target = f"chart-{uuid.uuid4().hex[:12]}"
        payload = json.dumps(spec, ensure_ascii=True).replace("</", "<\\/")
        hook = f' data-needs="{markup.text(needs)}"' if needs else ""
        super().__init__(
            f'<figure class="review-chart" aria-labelledby="{target}-caption">'
            f'<div class="review-chart-frame">'
            f'<div id="{target}" class="review-chart-canvas"{hook} role="img" '
            f'aria-labelledby="{target}-caption"></div></div>'
            f'<script type="application/json" class="review-chart-spec" data-target="{target}">'
            f"{payload}</script>"
            f'<figcaption id="{target}-caption">{markup.text(finding)} '
            f'<span class="population">({markup.text(population)})</span></figcaption>'
            f"<details><summary>Data behind this chart</summary>"
            f"{markup.table(data, f'Data behind the chart: {population}')}</details></figure>")


def figure(chart, finding: str, data: pd.DataFrame, population: str,
           needs: str | None = None) -> Figure:
    """A chart whose text alternative states its finding, with the table it draws."""
    return Figure(chart, finding, data, population, needs)


def table(frame: pd.DataFrame, caption: str) -> HTML:
    """A table for reading: no index, every cell escaped, a caption naming what it counts."""
    return HTML(markup.table(frame, caption))


def note(text: str) -> HTML:
    """A boxed note in plain words."""
    return HTML(f'<div class="admonition note"><p>{markup.text(text)}</p></div>')


def paragraph(text: str) -> HTML:
    return HTML(f"<p>{markup.text(text)}</p>")


def bullet_list(items: list[str]) -> HTML:
    return HTML("<ul>" + "".join(f"<li>{markup.text(i)}</li>" for i in items) + "</ul>")


def links(items: list[tuple[str, str, str]]) -> HTML:
    """A list of links (address, label, what it is) to files or pages of this site."""
    rows = "".join(f'<li><a href="{markup.text(href)}">{markup.text(label)}</a>: '
                   f"{markup.text(what)}</li>" for href, label, what in items)
    return HTML(f"<ul class='review-links'>{rows}</ul>")
