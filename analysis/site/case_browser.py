"""The data files that pages listing cases load (the case browser and the evidence map's
drill-down), so those pages' HTML does not grow with the number of cases. Pure.

Each file is a script that sets one global, so the pages work when the site is opened from
the file system, where a browser refuses to ``fetch`` a local file.
"""
from __future__ import annotations

from ..dataset.review import Review
from ..synthesis import gap_map, tables

BROWSER_COLUMNS = ["id", "title", "country", "region", "place", "sectors", "year", "roles",
                   "outcomes", "citizen"]


def browser_data(review: Review) -> dict:
    """Every case as a row of plain text for the case browser (the page escapes it)."""
    index = tables.case_index(review)
    index = index.assign(year=[str(year) if str(year).strip() else "undated" for year in index["year"]])
    rows = [[None if v != v else (v if isinstance(v, (int, bool)) else str(v)) for v in row]
            for row in index[BROWSER_COLUMNS].itertuples(index=False)]
    return {"columns": BROWSER_COLUMNS, "rows": rows}


def gap_map_data(review: Review) -> dict:
    """For each cell of the evidence maps, the ids of the cases behind it, and each case's title."""
    labels = {rows: {label: code for code, label in review.codebook.labels(vocabulary).items()}
              for rows, (_kind, vocabulary) in gap_map.MAPS.items()}
    labels["outcomes"] = {label: code for code, label in review.codebook.labels("outcome").items()}
    return {"titles": dict(zip(review.cases["id"], review.cases["title"])),
            "cells": gap_map.cell_cases(review), "codes": labels}
