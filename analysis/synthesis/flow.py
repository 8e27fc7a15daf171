"""The flow of records through the review (PRISMA 2020), computed from the screening log,
one column per release as livingPRISMAflow draws it.

A record belongs to the release whose window holds the date of its decision: after the
previous release's date, up to and including its own. A decision revisited later (a case
withdrawn on second reading, say) moves the record to the update that revisited it.
Records decided after the last release form a column of their own. Pure.
"""
from __future__ import annotations

import pandas as pd

from ..dataset.review import Review

STAGES = ("identified", "duplicates", "screened", "excluded", "awaiting", "included_records",
          "included_cases")


def windows(releases: list[dict]) -> list[tuple[str, str | None, str | None]]:
    """(column label, first date excluded, last date included) for each release, and one for
    the time since the last release."""
    out, previous = [], None
    for release in releases:
        out.append((f"Release {release['version']}", previous, str(release["date"])))
        previous = str(release["date"])
    out.append((f"Since release {releases[-1]['version']}" if releases else "This build",
                previous, None))
    return out


def _within(dates: pd.Series, after: str | None, until: str | None) -> pd.Series:
    """Which dates fall in a release window (after the previous release, up to this one)."""
    inside = pd.Series(True, index=dates.index)
    if after:
        inside &= dates > after
    if until:
        inside &= dates <= until
    return inside


def flow_counts(review: Review) -> pd.DataFrame:
    """One row per column (release window) with the count at each PRISMA stage and the
    exclusions by reason; the last row totals every column."""
    records = review.candidates
    reasons = review.codebook.codes("exclusion_reason")
    releases = review.history.releases if review.history else []
    rows = []
    seen_cases: set[str] = set()
    for label, after, until in windows(releases):
        part = records[_within(records["date"], after, until)]
        included = part[part["decision"] == "included"]
        new_cases = set(included["case"]) - seen_cases
        seen_cases |= set(included["case"])
        # A search counts in the release in which it was run (its records may be decided later).
        row = {"column": label, "searches": int(_within(review.searches["date"], after, until).sum()),
               "identified": len(part),
               "duplicates": int((part["decision"] == "duplicate").sum()),
               "excluded": int((part["decision"] == "excluded").sum()),
               "awaiting": int((part["decision"] == "awaiting_coding").sum()),
               "included_records": len(included), "included_cases": len(new_cases)}
        row["screened"] = row["identified"] - row["duplicates"]
        for reason in reasons:
            row[f"excluded_{reason}"] = int(((part["decision"] == "excluded") &
                                             (part["reason"] == reason)).sum())
        rows.append(row)
    table = pd.DataFrame(rows)
    if len(table) and table.iloc[-1][["searches", "identified", "included_cases"]].sum() == 0 and len(table) > 1:
        table = table.iloc[:-1]  # nothing found since the last release
    total = {"column": "All releases" if len(table) > 1 else "Total",
             **table.drop(columns="column").sum(numeric_only=True).astype(int).to_dict()}
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def flow_table(review: Review) -> pd.DataFrame:
    """The flow as a table for reading: stages as rows, one column per release."""
    counts = flow_counts(review).set_index("column")
    labels = review.codebook.labels("exclusion_reason")
    rows = [("Searches run", "searches"), ("Records identified", "identified"),
            ("Duplicates removed", "duplicates"), ("Records screened", "screened"),
            ("Records excluded", "excluded")]
    rows += [(f"… {labels[code].lower()}", f"excluded_{code}") for code in labels]
    rows += [("Eligible, awaiting coding", "awaiting"), ("Records included (sources of cases)",
                                                         "included_records"),
             ("Cases newly included", "included_cases")]
    return pd.DataFrame({"Stage": [r[0] for r in rows],
                         **{column: [int(counts.loc[column, key]) for _, key in rows]
                            for column in counts.index}})


def flow_summary(review: Review) -> str:
    """The flow in one sentence (the diagram's text alternative)."""
    total = flow_counts(review).iloc[-1]
    return (f"{int(total['searches'])} searches identified {int(total['identified'])} records; "
            f"{int(total['duplicates'])} duplicates were removed and {int(total['screened'])} "
            f"records screened, of which {int(total['excluded'])} were excluded, "
            f"{int(total['awaiting'])} are eligible and awaiting coding, and "
            f"{int(total['included_records'])} are sources of the {int(total['included_cases'])} "
            "cases included.")
