"""The review as the rest of the package sees it: tidy tables of the coded cases, plus the
codebook, the bibliography, the screening log, the second readings and the release history.

:func:`tabulate` turns validated case documents into one table per kind of row (cases,
roles, factors, outcomes, sources). Pure: :mod:`analysis.dataset.load` reads the files.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .codebook import Codebook
from .countries import country_name, region, subregion
from .second_reading import reading_status, removals

CASE_COLUMNS = ["id", "title", "summary", "country", "country_name", "region", "subregion",
                "place", "year_documented", "year_started", "sectors", "main_sector",
                "lead_organisations", "participants", "coproduction_levels",
                "citizen_participation", "tu2022_reference", "author_role",
                "independent_source", "evaluation_design", "coverage", "no_outcome_reported",
                "coder", "coded_on", "file"]
ROLE_COLUMNS = ["case_id", "code", "basis", "note", "url", "section"]
FACTOR_COLUMNS = ["case_id", "code", "side", "direction", "basis", "note", "url", "section"]
OUTCOME_COLUMNS = ["case_id", "code", "group", "kind", "evidence", "counted", "basis", "note",
                   "url", "section"]
SOURCE_COLUMNS = ["case_id", "url", "title", "publisher", "author", "year", "kind", "read_on",
                  "archived_url"]
SECTOR_COLUMNS = ["case_id", "code", "main"]
READING_COLUMNS = ["case_id", "value", "kind", "code", "fingerprint", "status", "reader", "date"]


@dataclass
class Snapshot:
    """The case documents and codebook as they were at one release, in today's format.

    ``not_compared`` names fields an older data format did not hold; ``unavailable`` says
    why the release's data could not be read (then ``documents`` is empty).
    """

    label: str
    date: str | None
    documents: dict[str, dict]
    codebook: Codebook | None
    not_compared: tuple[str, ...] = ()
    unavailable: str | None = None


@dataclass
class History:
    """This build's place among the releases, read from ``data/releases.yml`` and git."""

    releases: list[dict]
    state: dict
    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    added_dates: dict[str, str] = field(default_factory=dict)


@dataclass
class Review:
    """The coded dataset as tidy tables, and everything read with it."""

    cases: pd.DataFrame
    roles: pd.DataFrame
    factors: pd.DataFrame
    outcomes: pd.DataFrame
    sources: pd.DataFrame
    sectors: pd.DataFrame
    codebook: Codebook
    references: object = None
    documents: dict = field(default_factory=dict)
    second_codings: dict = field(default_factory=dict)
    second_readings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=READING_COLUMNS))
    removed_values: pd.DataFrame = field(default_factory=pd.DataFrame)
    searches: pd.DataFrame = field(default_factory=pd.DataFrame)
    candidates: pd.DataFrame = field(default_factory=pd.DataFrame)
    project: dict = field(default_factory=dict)
    status: dict = field(default_factory=dict)
    history: History | None = None
    fingerprint: str = ""


def _coded_row(case_id: str, value: dict, **extra) -> dict:
    return {"case_id": case_id, "code": value["code"], **extra, "basis": value["basis"],
            "note": value["note"], "url": value["locator"]["url"],
            "section": value["locator"]["section"]}


def tabulate(documents: list[dict], codebook: Codebook) -> dict[str, pd.DataFrame]:
    """Validated case dictionaries as tidy tables (one row per case or coded value)."""
    citizen = codebook.attribute("participant_group", "citizen")
    side = codebook.attribute("factor", "side")
    group = codebook.attribute("outcome", "group")
    independent = codebook.attribute("author_role", "independent") \
        if "author_role" in codebook else {}
    rows: dict[str, list] = {"cases": [], "roles": [], "factors": [], "outcomes": [],
                             "sources": [], "sectors": []}
    for doc in documents:
        case_id = doc["id"]
        appraisal = doc.get("appraisal") or {}
        sectors = doc.get("sectors") or []
        rows["cases"].append({
            "id": case_id, "title": doc["title"], "summary": " ".join(doc["summary"].split()),
            "country": doc["country"], "country_name": country_name(doc["country"]),
            "region": region(doc["country"]), "subregion": subregion(doc["country"]),
            "place": doc["place"], "year_documented": doc.get("year_documented"),
            "year_started": doc.get("year_started"), "sectors": "; ".join(sectors),
            "main_sector": sectors[0] if sectors else None,
            "lead_organisations": "; ".join(doc["lead_organisations"]),
            "participants": "; ".join(doc["participants"]),
            "coproduction_levels": "; ".join(doc["coproduction_levels"]),
            "citizen_participation": any(citizen.get(p) for p in doc["participants"]),
            "tu2022_reference": doc.get("tu2022_reference"),
            "author_role": appraisal.get("author_role"),
            "independent_source": bool(independent.get(appraisal.get("author_role"))),
            "evaluation_design": appraisal.get("evaluation_design"),
            "coverage": appraisal.get("coverage"),
            "no_outcome_reported": not [o for o in doc.get("outcomes") or []
                                        if o.get("evidence") != "observed_elsewhere"],
            "coder": doc["coding"]["coder"], "coded_on": str(doc["coding"]["date"]),
            "file": doc.get("_file", f"data/cases/{case_id}.yml"),
        })
        for i, code in enumerate(sectors):
            rows["sectors"].append({"case_id": case_id, "code": code, "main": i == 0})
        for value in doc["roles"]:
            rows["roles"].append(_coded_row(case_id, value))
        for value in doc.get("factors") or []:
            rows["factors"].append(_coded_row(case_id, value, side=side.get(value["code"]),
                                              direction=value["direction"]))
        for value in doc.get("outcomes") or []:
            rows["outcomes"].append(_coded_row(
                case_id, value, group=group.get(value["code"]), kind=value.get("kind"),
                evidence=value["evidence"], counted=value["evidence"] != "observed_elsewhere"))
        for source in doc["sources"]:
            rows["sources"].append({"case_id": case_id, **{c: source.get(c) for c in
                                                           SOURCE_COLUMNS[1:]}})
    columns = {"cases": CASE_COLUMNS, "roles": ROLE_COLUMNS, "factors": FACTOR_COLUMNS,
               "outcomes": OUTCOME_COLUMNS, "sources": SOURCE_COLUMNS, "sectors": SECTOR_COLUMNS}
    frames = {name: pd.DataFrame(rows[name], columns=columns[name]) for name in rows}
    frames["cases"] = frames["cases"].astype({"year_documented": "Int64", "year_started": "Int64",
                                              "tu2022_reference": "Int64"})
    return {name: frame.sort_values(frame.columns[0], kind="stable").reset_index(drop=True)
            for name, frame in frames.items()}


def second_reading_tables(documents: dict[str, dict], readings: dict[str, dict]) \
        -> tuple[pd.DataFrame, pd.DataFrame]:
    """The status of every coded value (checked or not) and the values readers removed."""
    status = [row for case_id in sorted(documents)
              for row in reading_status(documents[case_id], readings.get(case_id))]
    removed = [{"case_id": case_id, **record} for case_id in sorted(readings)
               for record in removals(readings[case_id])]
    return (pd.DataFrame(status, columns=READING_COLUMNS),
            pd.DataFrame(removed, columns=["case_id", "value", "code", "fingerprint", "verdict",
                                           "reason", "reader", "date"]))


def screening_tables(searches: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The search runs and every screened record, one row each."""
    runs, records = [], []
    for doc in searches:
        search = doc["search"]
        runs.append({k: search.get(k) for k in ("id", "collection", "method", "query", "date",
                                                "searcher", "records_found")})
        for candidate in doc.get("candidates") or []:
            records.append({"search": search["id"], "search_date": search["date"],
                            **{k: candidate.get(k) for k in ("url", "title", "decision", "case",
                                                             "reason", "duplicate_of", "note",
                                                             "screener", "date")}})
    return (pd.DataFrame(runs, columns=["id", "collection", "method", "query", "date",
                                        "searcher", "records_found"]),
            pd.DataFrame(records, columns=["search", "search_date", "url", "title", "decision",
                                           "case", "reason", "duplicate_of", "note", "screener",
                                           "date"]))


def build_review(documents: list[dict], codebook: Codebook, **parts) -> Review:
    """A :class:`Review` from validated case documents and the other validated inputs."""
    tables = tabulate(documents, codebook)
    by_id = {d["id"]: d for d in documents}
    readings = parts.pop("second_readings", {}) or {}
    status, removed = second_reading_tables(by_id, readings)
    searches, candidates = screening_tables(parts.pop("screening", []) or [])
    return Review(codebook=codebook, documents=by_id, second_readings=status,
                  removed_values=removed, searches=searches, candidates=candidates,
                  **tables, **parts)
