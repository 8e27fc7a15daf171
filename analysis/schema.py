"""The JSON Schema of a case file, generated from the codebook.

The codebook is the single source of the allowed codes; this module turns it into
a JSON Schema (draft 2020-12) that :mod:`analysis.validate` checks with jsonschema.
"""
from __future__ import annotations

import datetime as dt

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
EARLIEST_YEAR = 1950
HTTP_URL = r"^https?://[^\s]+$"


def codes(codebook: dict, vocabulary: str) -> list[str]:
    """The allowed codes of one vocabulary, in codebook order."""
    return [entry["code"] for entry in codebook[vocabulary]["codes"]]


def _text(description: str, min_length: int = 1, max_length: int = 2000) -> dict:
    return {"type": "string", "minLength": min_length, "maxLength": max_length,
            "pattern": r"\S", "description": description}


def _enum(codebook: dict, vocabulary: str) -> dict:
    return {"enum": codes(codebook, vocabulary),
            "description": f"a code from the codebook's '{vocabulary}' list"}


def _code_list(codebook: dict, vocabulary: str) -> dict:
    return {"type": "array", "minItems": 1, "uniqueItems": True,
            "items": _enum(codebook, vocabulary),
            "description": f"a list of codes from the codebook's '{vocabulary}' list"}


def _coded_value(codebook: dict, vocabulary: str, **extra: dict) -> dict:
    properties = {
        "code": _enum(codebook, vocabulary),
        **extra,
        "basis": _enum(codebook, "basis"),
        "note": _text("a one-line note in your own words (10 to 300 characters)", 10, 300),
        "locator": {
            "type": "object", "additionalProperties": False, "required": ["url", "section"],
            "description": "where in the source: the page url and the section heading",
            "properties": {
                "url": {"type": "string", "pattern": HTTP_URL,
                        "description": "the http(s) address of the page read"},
                "section": _text("the section heading on that page", 2, 200),
            },
        },
    }
    return {"type": "object", "additionalProperties": False,
            "required": list(properties), "properties": properties}


def case_schema(codebook: dict, today: dt.date | None = None) -> dict:
    """The JSON Schema every ``data/cases/<id>.yml`` must satisfy."""
    this_year = (today or dt.date.today()).year
    year = {"type": "integer", "minimum": EARLIEST_YEAR, "maximum": this_year,
            "description": f"a year from {EARLIEST_YEAR} to {this_year}"}
    properties = {
        "id": {"type": "string", "pattern": SLUG,
               "description": "a slug of lowercase letters, digits and single hyphens, "
                              "equal to the file name"},
        "title": _text("a short title (5 to 200 characters)", 5, 200),
        "summary": _text("a summary in your own words (40 to 1500 characters)", 40, 1500),
        "country": {"type": "string", "pattern": r"^[A-Z]{2}$",
                    "description": "an ISO 3166-1 alpha-2 country code such as GB or SE"},
        "place": _text("the town or region", 2, 200),
        "year_documented": year,
        "year_started": {"anyOf": [year, {"type": "null"}],
                         "description": f"a year from {EARLIEST_YEAR} to {this_year}, or null"},
        "sector": _enum(codebook, "sector"),
        "lead_organisations": {"type": "array", "minItems": 1,
                               "items": _text("an organisation's name", 2, 300),
                               "description": "a list of organisation names"},
        "participants": _code_list(codebook, "participant_group"),
        "coproduction_levels": _code_list(codebook, "coproduction_level"),
        "sources": {
            "type": "array", "minItems": 1,
            "description": "a list of the pages read, each with citekey and url",
            "items": {"type": "object", "additionalProperties": False,
                      "required": ["citekey", "url"],
                      "properties": {
                          "citekey": {"type": "string", "pattern": r"^[A-Za-z0-9_:.-]+$",
                                      "description": "a citekey in references.bib"},
                          "url": {"type": "string", "pattern": HTTP_URL,
                                  "description": "the http(s) address of the page read"}}},
        },
        "tu2022_reference": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 58},
                                       {"type": "null"}],
                             "description": "Tu (2022)'s reference number (1 to 58), or null"},
        "roles": {"type": "array", "minItems": 1,
                  "description": "a list of coded citizen roles",
                  "items": _coded_value(codebook, "role")},
        "factors": {"type": "array", "minItems": 1,
                    "description": "a list of coded critical factors",
                    "items": _coded_value(codebook, "factor",
                                          direction=_enum(codebook, "factor_direction"))},
        "outcomes": {"type": "array", "minItems": 1,
                     "description": "a list of coded outcomes",
                     "items": _coded_value(codebook, "outcome",
                                           evidence=_enum(codebook, "evidence_type"))},
        "coding": {"type": "object", "additionalProperties": False,
                   "required": ["coder", "date"],
                   "description": "who coded the case and when",
                   "properties": {
                       "coder": _text("the coder's name or handle", 2, 100),
                       "date": {"type": "string", "format": "date",
                                "pattern": r"^\d{4}-\d{2}-\d{2}$",
                                "description": "a date written YYYY-MM-DD"}}},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "A coded coproduction case",
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def second_coding_schema(codebook: dict, today: dt.date | None = None) -> dict:
    """The JSON Schema of ``data/reliability/<id>.yml``: an independent second coding of a case.

    Only the codes are recorded (no notes): the file exists to measure agreement between coders.
    """
    properties = {
        "id": {"type": "string", "pattern": SLUG,
               "description": "the id of a coded case, equal to the file name"},
        "coder": _text("the second coder's name or handle", 2, 100),
        "date": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$",
                 "description": "a date written YYYY-MM-DD"},
        "pages_read": {"type": "array", "minItems": 1,
                       "items": {"type": "string", "pattern": HTTP_URL,
                                 "description": "the http(s) address of a page read"},
                       "description": "a list of the pages the second coder read"},
        "roles": _code_list(codebook, "role") | {"minItems": 0},
        "factors": {"type": "array", "description": "a list of factors with their direction",
                    "items": {"type": "object", "additionalProperties": False,
                              "required": ["code", "direction"],
                              "properties": {"code": _enum(codebook, "factor"),
                                             "direction": _enum(codebook, "factor_direction")}}},
        "outcomes": _code_list(codebook, "outcome") | {"minItems": 0},
    }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "An independent second coding of a case", "type": "object",
            "additionalProperties": False, "required": list(properties),
            "properties": properties}
