"""The downloadable data of a version: flat CSVs, nested JSON, codebook, bibliography and a
Frictionless ``datapackage.json`` describing them. Pure: returns file contents, writes nothing.
"""
from __future__ import annotations

import json

import pandas as pd

from . import tables
from .load import Review

DATA_LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/"}
FIELD_TYPES = {"int64": "integer", "Int64": "integer", "bool": "boolean", "float64": "number"}


def cases_flat(review: Review, added: dict[str, str]) -> pd.DataFrame:
    """One row per case with its codes joined by ``; `` (for spreadsheets)."""
    def joined(frame: pd.DataFrame, where=None) -> pd.Series:
        if where is not None:
            frame = frame[where]
        return frame.groupby("case_id")["code"].agg(lambda s: "; ".join(dict.fromkeys(s)))
    cases = review.cases.drop(columns=["file"]).copy()
    cases.insert(4, "country_name", cases["country"].map(tables.country_name))
    cases["roles"] = cases["id"].map(joined(review.roles)).fillna("")
    cases["enablers"] = cases["id"].map(joined(review.factors, review.factors["direction"] == "enabler")).fillna("")
    cases["barriers"] = cases["id"].map(joined(review.factors, review.factors["direction"] == "barrier")).fillna("")
    cases["outcomes"] = cases["id"].map(joined(review.outcomes)).fillna("")
    cases["date_added"] = cases["id"].map(added).fillna("")
    return cases


def _schema(frame: pd.DataFrame, primary: str | None = None, foreign: str | None = None) -> dict:
    fields = [{"name": name, "type": FIELD_TYPES.get(str(dtype), "string")}
              for name, dtype in frame.dtypes.items()]
    schema: dict = {"fields": fields}
    if primary:
        schema["primaryKey"] = [primary]
    if foreign:
        schema["foreignKeys"] = [{"fields": [foreign],
                                  "reference": {"resource": "cases", "fields": ["id"]}}]
    return schema


def package_files(review: Review, codebook_text: str, bibliography_text: str, version: str,
                  date: str, added: dict[str, str]) -> dict[str, bytes]:
    """Every download of this version, by file name."""
    tables_out = {
        "cases": (cases_flat(review, added), "id", None),
        "roles": (review.roles, None, "case_id"),
        "factors": (review.factors, None, "case_id"),
        "outcomes": (review.outcomes, None, "case_id"),
    }
    files: dict[str, bytes] = {}
    resources = []
    for name, (frame, primary, foreign) in tables_out.items():
        files[f"{name}.csv"] = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
        resources.append({"name": name, "path": f"{name}.csv", "type": "table", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8",
                          "schema": _schema(frame, primary, foreign)})
    nested = {"version": version, "date": date,
              "cases": [{**doc, "date_added": added.get(doc["id"], "")}
                        for doc in sorted(review.documents.values(), key=lambda d: d["id"])]}
    nested["cases"] = [{k: v for k, v in case.items() if k != "_file"} for case in nested["cases"]]
    files["cases.json"] = json.dumps(nested, ensure_ascii=False, indent=2).encode("utf-8")
    files["codebook.yml"] = codebook_text.encode("utf-8")
    files["references.bib"] = bibliography_text.encode("utf-8")
    resources += [
        {"name": "cases-nested", "path": "cases.json", "type": "json", "format": "json",
         "mediatype": "application/json", "description": "Every case's full coding, nested."},
        {"name": "codebook", "path": "codebook.yml", "type": "file", "format": "yaml",
         "mediatype": "application/yaml", "description": "Controlled vocabularies with definitions."},
        {"name": "references", "path": "references.bib", "type": "file", "format": "bib",
         "mediatype": "application/x-bibtex", "description": "Bibliography (BibTeX)."},
    ]
    package = {
        "name": "coproduction-living-review", "title": "Coproduction Living Review: coded cases",
        "description": "Practice cases of citizen coproduction of public services, coded for "
                       "citizen roles, critical factors and outcomes, each with basis, evidence "
                       "note and locator.",
        "version": version, "created": f"{date}T00:00:00Z", "licenses": [DATA_LICENSE],
        "resources": resources,
    }
    files["datapackage.json"] = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
    return files
