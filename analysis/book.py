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
from .load import Review, read_status
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
        table = _html_table(self.data, "chart-data", float_format=lambda v: f"{v:.2f}")
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

    The table renders cells as HTML (for the links), so every text cell is escaped here.
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
            + _html_table(table, "review-table codebook")
            + "</section>")
    return HTML("\n".join(parts))


def not_coded_table():
    """Tu-cited cases that could not be coded, and why (from ``data/status.yml``)."""
    rows = read_status().get("not_coded", [])
    return pd.DataFrame([{"Tu (2022) reference": r["tu2022_reference"], "Citekey": r["citekey"],
                          "Why not coded": " ".join(r["reason"].split())} for r in rows])


# ---- The living review: version, what changed, status, downloads ----

@functools.lru_cache(maxsize=1)
def release_record() -> dict:
    """This build's place in the release history (read from git once per kernel)."""
    import datetime as dt

    from .history import release_record as record
    from .load import build_state, release_tags
    return record(build_state(), release_tags(), dt.date.today().isoformat())


def version_line(review: Review) -> str:
    """'Version v1.2, 2026-11-29, 22 cases': shown on the introduction and every page."""
    from .history import version_line as line
    return line(release_record(), len(review.cases))


def citation_text(review: Review) -> str:
    """How to cite this version, as plain text."""
    record = release_record()
    return (f"Coproduction Living Review contributors ({record['date'][:4]}). Coproduction "
            f"Living Review: a living systematic review of citizen coproduction of public "
            f"services, version {record['label']} ({record['date']}; {len(review.cases)} cases). "
            "Data and code: CITATION.cff in the repository.")


def status_statement():
    """The PRISMA-LSR status statement from ``data/status.yml`` as HTML."""
    from IPython.display import HTML
    status = read_status()
    searches = pd.DataFrame([{"Source": s["source"], "Last searched": s["last_searched"],
                              "How": s["method"]} for s in status["searches"]])
    text = (f"<p><strong>Status:</strong> {html.escape(status['status'])}. "
            f"{html.escape(' '.join(status['update_schedule'].split()))}</p>"
            + _html_table(searches)
            + f"<p><strong>Propose a case:</strong> {html.escape(' '.join(status['how_to_propose'].split()))}</p>")
    return HTML(text)


DOWNLOADS = (("cases.csv", "one row per case (spreadsheet)"),
             ("roles.csv", "one row per coded role"), ("factors.csv", "one row per coded factor"),
             ("outcomes.csv", "one row per coded outcome"),
             ("cases.json", "every case's full coding, nested"),
             ("codebook.yml", "the codebook"), ("references.bib", "the bibliography"),
             ("datapackage.json", "Frictionless Data Package describing these files"))


def downloads_list():
    """Links to this version's downloads (written into the site by the build)."""
    from IPython.display import HTML
    items = "".join(f'<li><a href="../downloads/{name}" download>{name}</a>: {html.escape(what)}</li>'
                    for name, what in DOWNLOADS)
    return HTML(f"<ul class='review-downloads'>{items}</ul>")


def what_changed(review: Review) -> dict:
    """Changes since the previous release: cases, codebook and key shares, ready to show."""
    from . import history
    from .load import case_added_dates, current_snapshot, read_snapshot
    record = release_record()
    previous = read_snapshot(record["previous"]) if record["previous"] else None
    now = current_snapshot(review, record["label"])
    if previous is None:
        return {"previous": None, "record": record}
    cases = history.case_changes(previous, now)
    added = case_added_dates()
    cases["date_added"] = cases["id"].map(added).fillna("not yet committed")
    cases.loc[cases["change"] != "added", "date_added"] = ""
    shifts = history.share_shifts(history.snapshot_review(previous), review)
    return {"previous": previous, "record": record, "cases": cases,
            "codebook": history.codebook_changes(previous, now),
            "shifts": history.shifts_for_reading(shifts)}


def case_changes_table(changes: pd.DataFrame):
    """The changed cases, each linked to its page (removed cases have no page)."""
    from IPython.display import HTML
    rows = "".join(
        f"<tr><td>{c.change}</td><td>"
        + (f'<a href="cases/{c.id}.html">{html.escape(c.title)}</a>' if c.change != "removed"
           else html.escape(c.title))
        + f"</td><td>{html.escape(c.fields)}</td><td>{html.escape(c.date_added)}</td></tr>"
        for c in changes.itertuples())
    return HTML("<table class='what-changed'><thead><tr><th>Change</th><th>Case</th>"
                "<th>Fields changed</th><th>Date added</th></tr></thead><tbody>"
                f"{rows or '<tr><td colspan=4>No case changed.</td></tr>'}</tbody></table>")


def version_history_table():
    """One row per release: date, cases, added, removed, recoded."""
    from . import history
    from .load import read_snapshot
    snapshots = [s for s in (read_snapshot(tag) for tag, _ in release_record()["tags"]) if s]
    return history.version_history(snapshots)


def no_previous_release_note(changes: dict):
    """A clear note, instead of a comparison, when there is no earlier release to compare with."""
    from IPython.display import HTML
    state = changes["record"]["state"]
    if changes["previous"] is not None:
        return None
    if not state["history"]:
        why = ("This copy has no git history (an unpacked archive?), so releases cannot be "
               "compared. Clone the repository to see what changed.")
    elif state["shallow"] and not changes["record"]["tags"]:
        why = ("This is a shallow clone without release tags; fetch the full history "
               "(git fetch --unshallow --tags) to see what changed.")
    else:
        why = "There is no earlier release to compare with yet: every case is new."
    return HTML(f'<div class="admonition note"><p>{html.escape(why)}</p></div>')


def agreement_table(review: Review) -> pd.DataFrame:
    """Agreement between first and second coders, per kind of code, for reading."""
    from .agreement import agreement_summary
    table = agreement_summary(review)
    table["agreement on codes used"] = [f"{v:.0%}" if v == v else "n/a"
                                        for v in table["agreement on codes used"]]
    table["kappa"] = [f"{v:.2f}" if v == v else "n/a" for v in table["kappa"]]
    return table


def _html_table(table: pd.DataFrame, classes: str = "review-table", float_format=None) -> str:
    """A DataFrame as an HTML table: no index, every cell escaped as plain text."""
    return table.to_html(index=False, escape=True, border=0, na_rep="", classes=classes,
                         float_format=float_format)


def show_table(table: pd.DataFrame):
    """A table for reading: no index column, every cell escaped as plain text."""
    from IPython.display import HTML
    return HTML(_html_table(table))
