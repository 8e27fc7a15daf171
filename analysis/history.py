"""What changed between versions of the review: pure functions of :class:`~analysis.load.Snapshot`.

A release is a git tag ``vMAJOR.MINOR`` (see CONTRIBUTING.md). This module compares the
data of two snapshots: cases added, removed and recoded, codebook changes, and the
shift of the key shares.
"""
from __future__ import annotations

import pandas as pd

from . import tables
from .load import Review, Snapshot, tabulate

KEY_MEASURES = (("role", "roles"), ("outcome", "outcomes"))


def case_changes(old: Snapshot, new: Snapshot) -> pd.DataFrame:
    """Cases added, removed or recoded from ``old`` to ``new``: columns change, id, title."""
    rows = []
    for case_id in sorted(set(new.documents) - set(old.documents)):
        rows.append({"change": "added", "id": case_id, "title": new.documents[case_id]["title"]})
    for case_id in sorted(set(old.documents) - set(new.documents)):
        rows.append({"change": "removed", "id": case_id, "title": old.documents[case_id]["title"]})
    for case_id in sorted(set(old.documents) & set(new.documents)):
        if old.documents[case_id] != new.documents[case_id]:
            fields = sorted(k for k in set(old.documents[case_id]) | set(new.documents[case_id])
                            if old.documents[case_id].get(k) != new.documents[case_id].get(k))
            rows.append({"change": "recoded", "id": case_id,
                         "title": new.documents[case_id]["title"], "fields": ", ".join(fields)})
    return pd.DataFrame(rows, columns=["change", "id", "title", "fields"]).fillna("")


def codebook_changes(old: Snapshot, new: Snapshot) -> pd.DataFrame:
    """Codes added, removed or redefined in any vocabulary of the codebook."""
    rows = []
    for vocabulary in sorted(set(old.codebook) | set(new.codebook)):
        before = {c["code"]: c for c in old.codebook.get(vocabulary, {}).get("codes", [])}
        after = {c["code"]: c for c in new.codebook.get(vocabulary, {}).get("codes", [])}
        for code in after.keys() - before.keys():
            rows.append({"vocabulary": vocabulary, "code": code, "change": "added"})
        for code in before.keys() - after.keys():
            rows.append({"vocabulary": vocabulary, "code": code, "change": "removed"})
        for code in before.keys() & after.keys():
            if before[code] != after[code]:
                rows.append({"vocabulary": vocabulary, "code": code, "change": "redefined"})
    return pd.DataFrame(rows, columns=["vocabulary", "code", "change"]).sort_values(
        ["vocabulary", "code"]).reset_index(drop=True)


def snapshot_review(snapshot: Snapshot) -> Review | None:
    """A snapshot's data as a :class:`Review` (None if it cannot be tabulated)."""
    try:
        frames = tabulate(list(snapshot.documents.values()), snapshot.codebook)
    except (KeyError, TypeError, AttributeError):
        return None
    return Review(codebook=snapshot.codebook, references=None, documents=snapshot.documents,
                  **frames)


def key_shares(review: Review) -> pd.DataFrame:
    """The key shares of the review: each citizen role and each outcome, as cases of n."""
    roles = tables.role_distribution(review).assign(measure="Citizen role")
    outcomes = tables.outcome_distribution(review).assign(measure="Outcome")
    both = pd.concat([roles, outcomes], ignore_index=True)
    return both[["measure", "code", "label", "cases", "n", "share"]]


def share_shifts(old: Review | None, new: Review) -> pd.DataFrame:
    """Each key share before (``old``, may be None) and now, with the change in percentage points."""
    now = key_shares(new)
    if old is None:
        before = pd.DataFrame(columns=["code", "cases_before", "n_before", "share_before"])
    else:
        before = key_shares(old)[["code", "cases", "n", "share"]].rename(
            columns={"cases": "cases_before", "n": "n_before", "share": "share_before"})
    merged = now.merge(before, on="code", how="left")
    merged["change_points"] = (merged["share"] - merged["share_before"].astype(float)) * 100
    return merged


def shifts_for_reading(shifts: pd.DataFrame) -> pd.DataFrame:
    """The share shifts as text, e.g. Before '41 % (9 of 22)', Now '45 % (10 of 22)', '+4'."""
    def share(cases, n, value) -> str:
        return "" if pd.isna(value) else f"{value:.0%} ({int(cases)} of {int(n)})"
    return pd.DataFrame({
        "Measure": shifts["measure"], "Code": shifts["label"],
        "Before": [share(*v) for v in zip(shifts["cases_before"], shifts["n_before"],
                                          shifts["share_before"])],
        "Now": [share(*v) for v in zip(shifts["cases"], shifts["n"], shifts["share"])],
        "Change (points)": ["" if pd.isna(v) else f"{v:+.0f}" for v in shifts["change_points"]],
    })


def version_history(snapshots: list[Snapshot]) -> pd.DataFrame:
    """One row per release: its date, case count, and cases added/removed/recoded since the one before."""
    rows = []
    previous = None
    for snapshot in snapshots:
        if previous is None:
            counts = {"added": len(snapshot.documents), "removed": 0, "recoded": 0}
        else:
            changes = case_changes(previous, snapshot)["change"].value_counts()
            counts = {k: int(changes.get(k, 0)) for k in ("added", "removed", "recoded")}
        codebook = 0 if previous is None else len(codebook_changes(previous, snapshot))
        rows.append({"version": snapshot.label, "date": snapshot.date or "",
                     "cases": len(snapshot.documents), **counts, "codebook changes": codebook})
        previous = snapshot
    return pd.DataFrame(rows, columns=["version", "date", "cases", "added", "removed", "recoded",
                                       "codebook changes"])


def version_label(state: dict) -> str:
    """A reader's label for this build: ``v1.2``, ``v1.2+3`` (3 commits later), ``+dev`` if uncommitted."""
    if not state["history"]:
        return "unversioned (no git history)"
    if state["tag"]:
        return state["tag"]
    base = state["latest"] or "v0"
    label = f"{base}+{state['commits_since'] or 0}" if state["latest"] else "unreleased"
    return f"{label}+dev" if state["dirty"] else label


def previous_release(state: dict, tags: list[tuple[str, str]]) -> str | None:
    """The release this build is compared with: the tag before HEAD's own tag, or the latest tag."""
    names = [name for name, _ in tags]
    if state.get("tag") in names:
        index = names.index(state["tag"])
        return names[index - 1] if index > 0 else None
    return state.get("latest")


def release_record(state: dict, tags: list[tuple[str, str]], today: str) -> dict:
    """This build's place in the release history: label, date, and the release it is compared with.

    The date is the release tag's date when the build is exactly a release, else ``today``.
    """
    return {"state": state, "tags": tags, "label": version_label(state),
            "date": dict(tags).get(state.get("tag")) or today,
            "previous": previous_release(state, tags)}


def version_line(record: dict, cases: int) -> str:
    """'Version v1.2, 2026-11-29, 22 cases': shown on the introduction and every page."""
    return f"Version {record['label']}, {record['date']}, {cases} cases"
