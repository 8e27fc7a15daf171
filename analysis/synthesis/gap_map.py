"""Evidence-gap maps: where the evidence is thick and where it is missing.

Two maps, as Campbell and EPPI-Mapper draw them: citizen roles × outcomes and factors ×
outcomes. A cell's size is the number of citizen cases coded with both; a switch keeps
stated evidence only. Pure.
"""
from __future__ import annotations

import pandas as pd

from ..dataset.review import Review
from .populations import population, values

MAPS = {"roles": ("roles", "role"), "factors": ("factors", "factor")}


def _pairs(review: Review, rows: str, stated_only: bool) -> pd.DataFrame:
    within = population(review)
    left = values(review, rows, within, stated_only)[["case_id", "code"]].drop_duplicates()
    right = values(review, "outcomes", within, stated_only)[["case_id", "code"]].drop_duplicates()
    return left.merge(right, on="case_id", suffixes=("_row", "_outcome"))


def gap_map_table(review: Review, rows: str, stated_only: bool = False) -> pd.DataFrame:
    """Every row code × outcome code (zeros kept: the gaps), with the number of citizen cases."""
    kind, vocabulary = MAPS[rows]
    pairs = _pairs(review, kind, stated_only)
    counts = pairs.groupby(["code_row", "code_outcome"])["case_id"].nunique()
    row_labels, outcome_labels = review.codebook.labels(vocabulary), review.codebook.labels("outcome")
    table = pd.DataFrame([(r, o) for r in row_labels for o in outcome_labels],
                         columns=["row", "outcome"])
    table["cases"] = [int(counts.get((r, o), 0)) for r, o in zip(table["row"], table["outcome"])]
    table["row_label"] = table["row"].map(row_labels)
    table["outcome_label"] = table["outcome"].map(outcome_labels)
    table["evidence"] = "Stated only" if stated_only else "All evidence"
    table["key"] = rows + "|" + table["row"] + "|" + table["outcome"] + "|" + \
        ("stated" if stated_only else "all")
    table["n"] = population(review).n
    return table


def cell_cases(review: Review) -> dict[str, list[str]]:
    """Cell key ``<map>|<row code>|<outcome code>|<all|stated>`` → ids of the cases behind it."""
    cells: dict[str, list[str]] = {}
    for rows, (kind, _vocabulary) in MAPS.items():
        for stated_only in (False, True):
            pairs = _pairs(review, kind, stated_only)
            suffix = "stated" if stated_only else "all"
            for (row, outcome), group in pairs.groupby(["code_row", "code_outcome"]):
                cells[f"{rows}|{row}|{outcome}|{suffix}"] = sorted(set(group["case_id"]))
    return cells
