"""Tu (2022) then, this review now: each headline finding of Tu beside what the data show,
for all citizen cases and for the cases Tu did not cite.

Tu's headline findings are taken from the paper's abstract, the only part of it this review
holds: the five outcome types it found, and no single dominant role or factor. A finding
is read as *agreeing* when the cases Tu did not cite report it in at least a quarter of
them, *differing* when fewer do, and *too thin to say* while fewer than ten citizen cases
are not Tu's. Pure.
"""
from __future__ import annotations

import pandas as pd

from ..dataset.review import Review
from . import tables
from .formatting import share_cell
from .populations import population

ENOUGH = 10
AGREES_FROM = 0.25
TU_OUTCOMES_SAID = "named among the outcomes it found"
NOT_IN_ABSTRACT = "not stated in the abstract"


def _reading(cases: int, n: int) -> str:
    if n < ENOUGH:
        return f"too thin to say ({n} citizen cases not cited by Tu)"
    return "agrees" if cases / n >= AGREES_FROM else "differs: seldom reported in the new cases"


def comparison(review: Review) -> pd.DataFrame:
    """One row per headline finding: Tu (2022), now (all citizen cases), now (cases Tu did not
    cite), and how they compare."""
    everyone, new = population(review), population(review, "not_tu")
    rows = []
    outcomes_all = tables.outcome_distribution(review, everyone).set_index("code")
    outcomes_new = tables.outcome_distribution(review, new).set_index("code")
    for code, label in review.codebook.labels("outcome").items():
        if review.codebook.attribute("outcome", "group")[code] != "tu2022":
            continue
        a, b = outcomes_all.loc[code], outcomes_new.loc[code]
        rows.append({"Finding": f"Outcome: {label}", "Tu (2022)": TU_OUTCOMES_SAID,
                     "Now: all citizen cases": share_cell(a["cases"], a["n"]),
                     "Now: cases Tu did not cite": share_cell(b["cases"], b["n"]),
                     "Reading": _reading(int(b["cases"]), int(b["n"]))})
    for title, frame_all, frame_new in (
            ("Most frequent citizen role", tables.role_distribution(review, everyone),
             tables.role_distribution(review, new)),
            ("Most frequent enabler", tables.factor_frequency(review, "enabler", everyone),
             tables.factor_frequency(review, "enabler", new))):
        top_all = frame_all.sort_values(["cases", "label"], ascending=[False, True]).iloc[0]
        top_new = frame_new.sort_values(["cases", "label"], ascending=[False, True]).iloc[0]
        same = top_all["code"] == top_new["code"]
        rows.append({"Finding": title, "Tu (2022)": NOT_IN_ABSTRACT,
                     "Now: all citizen cases": f"{top_all['label']}, {share_cell(top_all['cases'], top_all['n'])}",
                     "Now: cases Tu did not cite": f"{top_new['label']}, {share_cell(top_new['cases'], top_new['n'])}"
                     if new.n else "no such case yet",
                     "Reading": ("too thin to say" if new.n < ENOUGH else
                                 "the same in the new cases" if same else "differs in the new cases")
                                + "; Tu's abstract gives no answer to compare with"})
    return pd.DataFrame(rows)


def tu_share(review: Review) -> tuple[int, int]:
    """Citizen cases that Tu cites, and all citizen cases."""
    return population(review, "tu").n, population(review).n
