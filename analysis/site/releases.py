"""Versions and what changed: pure functions of the release history that
:func:`analysis.dataset.load.read_history` reads (``data/releases.yml`` plus git).

A release is a line in ``data/releases.yml`` (version, date, commit, who approved it, one
line); git tags may mirror it. The build is *at* a release when its coded data equals the
data of that release's commit; otherwise it is that release plus the number of commits that
changed the data since (``2.0+3``), ``+dev`` when uncommitted. What changed compares the
build with the release before it, through the migration of older data formats, and says
which fields or comparisons it cannot make.
"""
from __future__ import annotations

import pandas as pd

from ..dataset.migration import comparable
from ..dataset.review import History, Review, Snapshot, tabulate
from ..synthesis import tables
from ..synthesis.formatting import points, share_cell
from ..synthesis.populations import population

NO_HISTORY = ("this copy has no git history (an unpacked archive?), so the data of earlier "
              "releases cannot be read and changes made after the last release cannot be told "
              "apart; clone the repository to compare releases")


def current_release(history: History) -> dict:
    """This build's place among the releases: label, date, whether it is a release, the
    release it is compared with, and why a comparison cannot be made (or None)."""
    releases, state = history.releases, history.state
    today = state.get("today")
    if not releases:
        return {"label": "unreleased", "date": today, "at_release": False, "base": None,
                "previous": None, "why_not": "there is no earlier release yet"}
    if not state.get("history"):
        latest = releases[-1]
        return {"label": f"{latest['version']} (archive)", "date": latest["date"],
                "at_release": False, "base": latest, "previous": None, "why_not": NO_HISTORY}
    reachable = [r for r in releases if r.get("data_changes_since") is not None]
    base = reachable[-1] if reachable else releases[-1]
    same = base.get("data_hash") is not None and base.get("data_hash") == state.get("data_hash")
    if same:
        index = releases.index(base)
        previous = releases[index - 1] if index > 0 else None
        return {"label": base["version"], "date": base["date"], "at_release": True, "base": base,
                "previous": previous,
                "why_not": None if previous else "this is the first release: there is no earlier "
                                                  "release to compare with"}
    since = base.get("data_changes_since")
    label = f"{base['version']}+{since if since is not None else '?'}"
    if state.get("dirty"):
        label += "+dev"
    return {"label": label, "date": today, "at_release": False, "base": base, "previous": base,
            "why_not": None, "changes_since": since}


def version_line(history: History, cases: int) -> str:
    """'Version 2.0, 2026-11-30, 64 cases': on the introduction and in every page's footer."""
    release = current_release(history)
    since = release.get("changes_since")
    meaning = (f" (release {release['base']['version']} and {since} later "
               f"{'commit' if since == 1 else 'commits'} changing the data, not yet released)"
               if since else "")
    return f"Version {release['label']}{meaning}, {release['date']}, {cases} cases"


def comparison_base(history: History) -> tuple[Snapshot | None, str | None]:
    """The snapshot this build is compared with, or None and the reason in words."""
    release = current_release(history)
    if release["previous"] is None:
        return None, release["why_not"]
    snapshot = history.snapshots.get(release["previous"]["version"])
    if snapshot is None or snapshot.unavailable:
        why = snapshot.unavailable if snapshot else "its data was not read"
        return None, f"release {release['previous']['version']} cannot be read: {why}"
    return snapshot, None


def case_changes(old: Snapshot, documents: dict[str, dict]) -> pd.DataFrame:
    """Cases added, removed or recoded since ``old``: columns change, id, title, fields.
    Fields an older data format did not hold are not compared."""
    skipped = old.not_compared
    rows = []
    for case_id in sorted(set(documents) - set(old.documents)):
        rows.append({"change": "added", "id": case_id, "title": documents[case_id]["title"]})
    for case_id in sorted(set(old.documents) - set(documents)):
        rows.append({"change": "removed", "id": case_id, "title": old.documents[case_id]["title"]})
    for case_id in sorted(set(old.documents) & set(documents)):
        before = comparable(old.documents[case_id], skipped)
        after = comparable({k: v for k, v in documents[case_id].items() if k != "_file"}, skipped)
        if before != after:
            fields = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            rows.append({"change": "recoded", "id": case_id, "title": documents[case_id]["title"],
                         "fields": ", ".join(field.replace("_", " ") for field in fields)})
    return pd.DataFrame([{"fields": "", **row} for row in rows], columns=["change", "id", "title", "fields"])


def codebook_changes(old: Snapshot, review: Review) -> pd.DataFrame:
    """Codes added, removed or redefined in any vocabulary of the codebook, with their labels."""
    rows = []
    before_all = old.codebook.vocabularies if old.codebook else {}
    after_all = review.codebook.vocabularies
    for vocabulary in sorted(set(before_all) | set(after_all)):
        before = {c["code"]: c for c in before_all.get(vocabulary, {}).get("codes", [])}
        after = {c["code"]: c for c in after_all.get(vocabulary, {}).get("codes", [])}
        name = (after_all.get(vocabulary) or before_all.get(vocabulary) or {}).get("label", vocabulary)
        for code in sorted(set(before) | set(after)):
            change = ("added" if code not in before else "removed" if code not in after
                      else "redefined" if before[code] != after[code] else None)
            if change:
                rows.append({"Vocabulary": name, "Code": code,
                             "Label": (after.get(code) or before.get(code))["label"], "Change": change})
    return pd.DataFrame(rows, columns=["Vocabulary", "Code", "Label", "Change"])


def snapshot_review(snapshot: Snapshot) -> Review | None:
    """A snapshot's data as a :class:`Review` (None when it cannot be tabulated)."""
    try:
        frames = tabulate(list(snapshot.documents.values()), snapshot.codebook)
    except (KeyError, TypeError, AttributeError, ValueError):
        return None
    return Review(codebook=snapshot.codebook, documents=snapshot.documents, **frames)


def key_shares(review: Review) -> pd.DataFrame:
    """The key shares: each citizen role and each outcome, as citizen cases of n."""
    within = population(review)
    roles = tables.role_distribution(review, within).assign(measure="Citizen role")
    outcomes = tables.outcome_distribution(review, within).assign(measure="Outcome")
    both = pd.concat([roles, outcomes], ignore_index=True)
    return both[["measure", "code", "label", "cases", "n", "share"]]


def share_shifts(old: Review | None, new: Review) -> pd.DataFrame:
    """Each key share before and now, for reading: Measure, Code, Before, Now, Change (points)."""
    now = key_shares(new)
    before = key_shares(old)[["code", "cases", "n", "share"]].rename(
        columns={"cases": "cases_before", "n": "n_before", "share": "share_before"}) \
        if old is not None else pd.DataFrame(columns=["code", "cases_before", "n_before", "share_before"])
    merged = now.merge(before, on="code", how="left")
    return pd.DataFrame({
        "Measure": merged["measure"], "Code": merged["label"],
        "Before": [share_cell(k, n) if n == n and n else "not coded then"
                   for k, n in zip(merged["cases_before"], merged["n_before"])],
        "Now": [share_cell(k, n) for k, n in zip(merged["cases"], merged["n"])],
        "Change (points)": [points((s - b) * 100) if b == b else ""
                            for s, b in zip(merged["share"], merged["share_before"].astype(float))],
    })


def changes_by_release(history: History) -> dict[str, pd.DataFrame]:
    """For each release whose data and the previous release's can be read: the cases it
    added, removed and recoded (the first release adds all its cases)."""
    out, previous = {}, None
    for release in history.releases:
        snapshot = history.snapshots.get(release["version"])
        readable = snapshot is not None and not snapshot.unavailable
        if readable and previous is not None:
            out[release["version"]] = case_changes(previous, snapshot.documents)
        elif readable and release is history.releases[0]:
            out[release["version"]] = pd.DataFrame(
                [{"change": "added", "id": case_id, "title": document["title"], "fields": ""}
                 for case_id, document in sorted(snapshot.documents.items())],
                columns=["change", "id", "title", "fields"])
        previous = snapshot if readable else None
    return out


def version_history(history: History) -> pd.DataFrame:
    """One row per release: date, cases, cases added, removed and recoded since the one before,
    who approved it and what it holds."""
    by_release = changes_by_release(history)
    rows = []
    for release in history.releases:
        snapshot = history.snapshots.get(release["version"])
        readable = snapshot is not None and not snapshot.unavailable
        row = {"Version": release["version"], "Date": release["date"],
               "Cases": len(snapshot.documents) if readable else "not readable here",
               "Added": "", "Removed": "", "Recoded": "",
               "Approved by": release["approved_by"], "Summary": release["summary"]}
        if release["version"] in by_release:
            changes = by_release[release["version"]]["change"].value_counts()
            row.update({k.capitalize(): int(changes.get(k, 0)) for k in ("added", "removed", "recoded")})
        rows.append(row)
    return pd.DataFrame(rows, columns=["Version", "Date", "Cases", "Added", "Removed", "Recoded",
                                       "Approved by", "Summary"])
