"""The downloadable data of a version: flat CSVs, nested JSON, the codebook, the bibliography,
a BibTeX file of every case's source pages, and a Frictionless ``datapackage.json``.

CSV cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) are prefixed with ``'``, as OWASP advises; the JSON keeps
every value as written. Pure: returns file contents, writes nothing.
"""
from __future__ import annotations

import json
import re

import pandas as pd

from ..dataset.review import Review

DATA_LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/"}
FIELD_TYPES = {"int64": "integer", "Int64": "integer", "bool": "boolean", "float64": "number"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DOWNLOADS = (("cases.csv", "one row per case (spreadsheet)"),
             ("roles.csv", "one row per coded role"), ("factors.csv", "one row per coded factor"),
             ("outcomes.csv", "one row per coded outcome"),
             ("sources.csv", "one row per source page read"),
             ("screening.csv", "one row per record screened"),
             ("cases.json", "every case's full coding, nested"),
             ("codebook.yml", "the codebook"), ("references.bib", "the literature cited"),
             ("case-sources.bib", "every case's source pages, as BibTeX"),
             ("datapackage.json", "Frictionless Data Package describing these files"))


def neutralised(value: object) -> object:
    """A CSV cell that cannot start a spreadsheet formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(frame: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV with every text cell neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or str(safe[column].dtype).startswith("str"):
            safe[column] = safe[column].map(neutralised)
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8")


def cases_flat(review: Review, added: dict[str, str]) -> pd.DataFrame:
    """One row per case with its codes joined by ``; `` (for spreadsheets)."""
    def joined(frame: pd.DataFrame, where=None) -> pd.Series:
        frame = frame[where] if where is not None else frame
        return frame.groupby("case_id")["code"].agg(lambda s: "; ".join(dict.fromkeys(s)))
    cases = review.cases.drop(columns=["file"]).copy()
    factors, outcomes = review.factors, review.outcomes
    cases["roles"] = cases["id"].map(joined(review.roles)).fillna("")
    cases["enablers"] = cases["id"].map(joined(factors, factors["direction"] == "enabler")).fillna("")
    cases["barriers"] = cases["id"].map(joined(factors, factors["direction"] == "barrier")).fillna("")
    cases["outcomes"] = cases["id"].map(joined(outcomes, outcomes["counted"])).fillna("")
    cases["date_added"] = [added.get(case_id, "") for case_id in cases["id"]]
    return cases


def _bibtex_value(text: object) -> str:
    return re.sub(r"[{}\\]", "", str(text)).replace("\n", " ")


def case_sources_bibtex(review: Review) -> str:
    """Every case's source pages as @misc entries, keyed ``<case-id>-<n>``."""
    entries = []
    for case_id, group in review.sources.groupby("case_id", sort=True):
        for i, source in enumerate(group.itertuples(), start=1):
            fields = {"title": source.title, "author": source.author,
                      "howpublished": source.publisher, "year": source.year, "url": source.url,
                      "urldate": source.read_on, "note": f"Source of case {case_id}"}
            body = ",\n".join(f"  {name} = {{{_bibtex_value(value)}}}"
                              for name, value in fields.items()
                              if value is not None and value == value)
            entries.append(f"@misc{{{case_id}-{i},\n{body}\n}}")
    return "\n\n".join(entries) + "\n"


def _schema(frame: pd.DataFrame, primary: str | None = None, foreign: str | None = None) -> dict:
    fields = [{"name": name, "type": FIELD_TYPES.get(str(dtype), "string")}
              for name, dtype in frame.dtypes.items()]
    schema: dict = {"fields": fields}
    if primary:
        schema["primaryKey"] = primary
    if foreign:
        schema["foreignKeys"] = [{"fields": foreign, "reference": {"resource": "cases", "fields": "id"}}]
    return schema


def package_files(review: Review, codebook_text: str, bibliography_text: str, version: str,
                  date: str, added: dict[str, str]) -> dict[str, bytes]:
    """Every download of this version, by file name."""
    tables_out = {
        "cases": (cases_flat(review, added), "id", None),
        "roles": (review.roles, None, "case_id"),
        "factors": (review.factors, None, "case_id"),
        "outcomes": (review.outcomes, None, "case_id"),
        "sources": (review.sources, None, "case_id"),
        "screening": (review.candidates, None, None),
    }
    files: dict[str, bytes] = {}
    resources = []
    for name, (frame, primary, foreign) in tables_out.items():
        files[f"{name}.csv"] = csv_text(frame)
        resources.append({"name": name, "path": f"{name}.csv", "type": "table", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8",
                          "schema": _schema(frame, primary, foreign)})
    cases = [{**{k: v for k, v in doc.items() if k != "_file"}, "date_added": added.get(case_id, "")}
             for case_id, doc in sorted(review.documents.items())]
    files["cases.json"] = json.dumps({"version": version, "date": date, "cases": cases},
                                     ensure_ascii=False, indent=2).encode("utf-8")
    files["codebook.yml"] = codebook_text.encode("utf-8")
    files["references.bib"] = bibliography_text.encode("utf-8")
    files["case-sources.bib"] = case_sources_bibtex(review).encode("utf-8")
    resources += [
        {"name": "cases-nested", "path": "cases.json", "type": "json", "format": "json",
         "mediatype": "application/json", "description": "Every case's full coding, nested."},
        {"name": "codebook", "path": "codebook.yml", "type": "file", "format": "yaml",
         "mediatype": "application/yaml", "description": "Controlled vocabularies with definitions."},
        {"name": "references", "path": "references.bib", "type": "file", "format": "bib",
         "mediatype": "application/x-bibtex", "description": "The literature cited (BibTeX)."},
        {"name": "case-sources", "path": "case-sources.bib", "type": "file", "format": "bib",
         "mediatype": "application/x-bibtex", "description": "Every case's source pages (BibTeX)."},
    ]
    package = {
        "name": "coproduction-living-review", "title": "Coproduction Living Review: coded cases",
        "description": "Practice cases of citizen coproduction of public services, coded for "
                       "citizen roles, critical factors and outcomes, each with basis, evidence "
                       "note and locator, with the screening log behind them.",
        "version": version, "created": f"{date}T00:00:00Z", "licenses": [DATA_LICENSE],
        "resources": resources,
    }
    files["datapackage.json"] = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
    return files
