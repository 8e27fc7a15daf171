"""HTML from data, one way: every contributed string is escaped, and the only links made from
contributed text are addresses that pass the review's address policy. Pure."""
from __future__ import annotations

import html

import pandas as pd

from ..dataset.policies import url_problem


def text(value: object) -> str:
    """Any value as escaped HTML text (None and NaN become empty)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


def link(url: str, label: str, classes: str = "") -> str:
    """A link to a public http(s) address; anything else is shown as text, never linked."""
    if url_problem(url):
        return text(label)
    css = f' class="{text(classes)}"' if classes else ""
    return f'<a href="{text(url)}"{css} rel="noopener">{text(label)}</a>'


def table(frame: pd.DataFrame, caption: str | None = None, classes: str = "review-table") -> str:
    """A DataFrame as an accessible HTML table: no index, header cells with scope, every cell
    escaped, an optional caption naming the population."""
    head = "".join(f'<th scope="col">{text(c)}</th>' for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        rows.append("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in values) + "</tr>")
    cap = f"<caption>{text(caption)}</caption>" if caption else ""
    return (f'<div class="table-wrapper" tabindex="0" role="region" aria-label="'
            f'{text(caption or "table")}"><table class="{text(classes)}">{cap}<thead><tr>{head}'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def _cell(value: object) -> str:
    if isinstance(value, float) and value == value and not value.is_integer():
        return text(f"{value:.2f}")
    if isinstance(value, float) and value == value:
        return text(int(value))
    return text(value)
