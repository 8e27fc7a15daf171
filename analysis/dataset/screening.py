"""Cross-checks of the search and screening log (``data/screening/<search-id>.yml``).

Every case has an included record and every included record a case; reasons come from the
codebook (the schema sees to that); no page is screened twice (addresses compared after
normalising scheme, ``www.`` and a trailing slash), a later sighting being a duplicate that
names the search where it was first screened; and each search's count of records found
equals the records it lists. Pure.
"""
from __future__ import annotations

from .policies import normalise_url, url_lies_under
from .validation import Problem, shown

NOT_ALLOWED = {"included": ("reason", "duplicate_of"), "excluded": ("case", "duplicate_of"),
               "awaiting_coding": ("case", "reason", "duplicate_of"),
               "duplicate": ("case", "reason")}


def search_order(files: list[tuple[str, str, dict, dict]]) -> list[tuple[str, str, dict, dict]]:
    """Search files in the order they were run: by date, then by id."""
    return sorted(files, key=lambda f: (f[2]["search"]["date"], f[2]["search"]["id"]))


def record_key(record: dict) -> str | None:
    """What identifies a screened record: its normalised address, or its reference's citekey
    (None for a record returned without either)."""
    if record.get("url"):
        return normalise_url(record["url"])
    return f"reference:{record['reference']}" if record.get("reference") else None


def _screened(files: list[tuple[str, str, dict, dict]]) -> dict[str, list[str]]:
    """Each record's key → the searches in which it was screened (not marked a duplicate),
    in the order the searches were run, so the first is the one that keeps its decision."""
    found: dict[str, list[str]] = {}
    for _file, _stem, data, _lines in search_order(files):
        for record in data["candidates"]:
            key = record_key(record)
            if key and record["decision"] != "duplicate":
                found.setdefault(key, []).append(data["search"]["id"])
    return found


def screening_problems(files: list[tuple[str, str, dict, dict]], cases: dict[str, dict],
                       citekeys: set[str]) -> list[Problem]:
    """Problems in the log, given valid search files as (file, stem, data, lines), the cases
    and the citekeys of the bibliography."""
    out: list[Problem] = []
    screened = _screened(files)
    included: set[str] = set()
    searches = {data["search"]["id"] for _f, _s, data, _l in files}
    for file, stem, data, lines in search_order(files):
        search = data["search"]
        if search["id"] != stem:
            out.append(Problem(file, "search.id", f"found '{search['id']}'; expected '{stem}', "
                                                  "the file name without .yml", lines.get("search.id")))
        listed = len(data["candidates"])
        if listed != search["records_found"]:
            out.append(Problem(file, "search.records_found", f"found {search['records_found']}; "
                               f"the file lists {listed} record(s); every record a search "
                               "returned is listed", lines.get("search.records_found")))
        for i, record in enumerate(data["candidates"]):
            where = f"candidates[{i}]"

            def add(part: str, message: str) -> None:
                out.append(Problem(file, f"{where}.{part}", message, lines.get(f"{where}.{part}")))
            decision = record["decision"]
            for name in NOT_ALLOWED[decision]:
                if record.get(name) is not None:
                    add(name, f"found {shown(record[name])}; a record decided '{decision}' "
                              f"has no {name} (set it to null)")
            if record.get("url") is None and record.get("reference") is not None \
                    and record["reference"] not in citekeys:
                add("reference", f"found {shown(record['reference'])}; expected a citekey in "
                                 "references.bib")
                continue
            key = record_key(record)
            if key is None:
                if decision != "excluded":
                    add("url", f"missing; a record decided '{decision}' needs the address "
                               "(or the reference) it was found at")
                continue
            if decision == "duplicate":
                earlier = record["duplicate_of"]
                if earlier not in searches:
                    add("duplicate_of", f"found {shown(earlier)}; expected the id of a search "
                                        "in data/screening")
                elif earlier not in screened.get(key, []):
                    add("duplicate_of", f"found '{earlier}', but that search did not screen "
                                        f"{record.get('url') or record.get('reference')}")
            elif len(screened.get(key, [])) > 1:
                first, *_ = screened[key]
                if search["id"] != first or screened[key].count(first) > 1:
                    others = ", ".join(s for s in screened[key])
                    add("decision", f"found '{decision}' for a page screened more than once "
                                    f"(in {others}); keep one decision and mark the others "
                                    f"duplicate (duplicate_of: {first})")
            if decision == "included":
                case = cases.get(record["case"])
                if case is None:
                    add("case", f"found {shown(record['case'])}; expected the id of a case in "
                                "data/cases")
                    continue
                included.add(record["case"])
                if not record.get("url") or not any(url_lies_under(record["url"], s["url"]) or
                                                    url_lies_under(s["url"], record["url"])
                                                    for s in case["sources"]):
                    add("url", f"found {shown(record.get('url'))}; an included record is one of "
                               f"the sources of '{record['case']}'; add the page to its sources")
    for case_id in sorted(set(cases) - included):
        out.append(Problem(f"data/cases/{case_id}.yml", "", "no included record in the "
                           "screening log (data/screening/); log the search that found this "
                           "case, with decision: included and case: " + case_id))
    return out
