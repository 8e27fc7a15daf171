"""The JSON Schemas of the review's data files, generated from the codebook.

The codebook is the single source of the allowed codes; this module turns it into JSON
Schemas (draft 2020-12) for case files, second codings, second readings, screening-log
files, the release record and the project facts. Patterns end in ``(?![\\s\\S])`` rather
than ``$``, which would let a trailing line break through. Every address carries
``"format": "public-url"``: the validators check it with the address policy
(:func:`analysis.dataset.policies.url_problem`), so one policy covers every file.
"""
from __future__ import annotations

import datetime as dt

from .codebook import Codebook

END = r"(?![\s\S])"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*" + END
SLUG_MAX = 80
EARLIEST_YEAR = 1950
HTTP_URL = r"^https?://\S+" + END
DATE = r"^\d{4}-\d{2}-\d{2}" + END
DRAFT = "https://json-schema.org/draft/2020-12/schema"
URL_FORMAT = "public-url"


def text(description: str, min_length: int = 1, max_length: int = 2000) -> dict:
    return {"type": "string", "minLength": min_length, "maxLength": max_length,
            "pattern": r"\S", "description": description}


def _nullable(schema: dict, description: str) -> dict:
    return {"anyOf": [schema, {"type": "null"}], "description": description}


def _enum(codebook: Codebook, vocabulary: str) -> dict:
    return {"enum": codebook.codes(vocabulary),
            "description": f"a code from the codebook's '{vocabulary}' list"}


def _code_list(codebook: Codebook, vocabulary: str, min_items: int = 1) -> dict:
    return {"type": "array", "minItems": min_items, "uniqueItems": True,
            "items": _enum(codebook, vocabulary),
            "description": f"a list of codes from the codebook's '{vocabulary}' list"}


def _slug(description: str) -> dict:
    return {"type": "string", "pattern": SLUG, "maxLength": SLUG_MAX,
            "description": f"{description}: a slug of lowercase letters, digits and single "
                           f"hyphens, at most {SLUG_MAX} characters"}


def _url(description: str = "the http(s) address of the page read") -> dict:
    return {"type": "string", "pattern": HTTP_URL, "maxLength": 2000, "format": URL_FORMAT,
            "description": description}


def _date(description: str = "a date written YYYY-MM-DD") -> dict:
    return {"type": "string", "format": "date", "pattern": DATE, "description": description}


def _year(today: dt.date) -> dict:
    return {"type": "integer", "minimum": EARLIEST_YEAR, "maximum": today.year,
            "description": f"a year from {EARLIEST_YEAR} to {today.year}"}


def _object(properties: dict, required: list[str] | None = None, **extra) -> dict:
    return {"type": "object", "additionalProperties": False,
            "required": list(properties) if required is None else required,
            "properties": properties, **extra}


def _coded_value(codebook: Codebook, vocabulary: str, **extra: dict) -> dict:
    properties = {
        "code": _enum(codebook, vocabulary),
        **extra,
        "basis": _enum(codebook, "basis"),
        "note": text("a one-line note in your own words (10 to 300 characters)", 10, 300),
        "locator": _object({
            "url": _url(),
            "section": text("the section heading on that page (2 to 200 characters; "
                            "'whole page' for a page without headings)", 2, 200),
        }, description="where in the source: the page url and the section heading"),
    }
    return _object(properties, [k for k in properties if k != "kind"])


def _outcome(codebook: Codebook) -> dict:
    schema = _coded_value(codebook, "outcome", evidence=_enum(codebook, "evidence_type"),
                          kind=_enum(codebook, "negative_outcome_kind"))
    schema["if"] = {"properties": {"code": {"const": "negative_outcome"}}, "required": ["code"]}
    schema["then"] = {"required": ["kind"],
                      "properties": {"kind": _enum(codebook, "negative_outcome_kind")}}
    schema["else"] = {"not": {"required": ["kind"]},
                      "description": "no 'kind': only a negative_outcome takes a kind"}
    return schema


def _source(codebook: Codebook, today: dt.date) -> dict:
    return _object({
        "url": _url(),
        "title": text("the page's title (2 to 300 characters)", 2, 300),
        "publisher": text("who published the page (2 to 200 characters)", 2, 200),
        "author": _nullable(text("the author(s) as the page names them", 2, 300),
                            "the author(s) as the page names them, or null"),
        "year": _nullable(_year(today), "the year the page was written, or null if undated"),
        "kind": _enum(codebook, "source_kind"),
        "read_on": _date("the date the page was read, written YYYY-MM-DD"),
        "archived_url": _nullable(_url("an archived copy's address"),
                                  "an archived copy's address, or null"),
    }, description="a page read: url, title, publisher, author, year, kind, read_on, archived_url")


def _appraisal(codebook: Codebook) -> dict:
    schema = _object({
        "author_role": _enum(codebook, "author_role"),
        "evaluation_design": _enum(codebook, "evaluation_design"),
        "coverage": _enum(codebook, "source_coverage"),
        "coverage_note": _nullable(text("what could not be read (10 to 300 characters)", 10, 300),
                                   "what could not be read, or null when read in full"),
        "note": text("one line a reader should weigh (10 to 300 characters)", 10, 300),
    }, description="the appraisal of the sources: author_role, evaluation_design, coverage, "
                   "coverage_note, note")
    schema["if"] = {"properties": {"coverage": {"const": "partial"}}, "required": ["coverage"]}
    schema["then"] = {"properties": {"coverage_note": {
        "type": "string", "description": "a note on what could not be read (coverage is partial)"}}}
    return schema


def case_schema(codebook: Codebook, today: dt.date | None = None) -> dict:
    """The JSON Schema every ``data/cases/<id>.yml`` must satisfy."""
    today = today or dt.date.today()
    year = _year(today)
    properties = {
        "id": _slug("the case id, equal to the file name"),
        "title": text("a short title (5 to 200 characters)", 5, 200),
        "summary": text("a summary in your own words (40 to 1500 characters)", 40, 1500),
        "country": {"type": "string", "pattern": r"^[A-Z]{2}" + END, "maxLength": 2,
                    "description": "an ISO 3166-1 alpha-2 country code such as GB or SE"},
        "place": text("the town or region (2 to 200 characters)", 2, 200),
        "year_documented": _nullable(year, f"a year from {EARLIEST_YEAR} to {today.year}, or "
                                           "null when the source is undated"),
        "year_started": _nullable(year, f"a year from {EARLIEST_YEAR} to {today.year}, or null"),
        "sectors": _code_list(codebook, "sector"),
        "lead_organisations": {"type": "array", "minItems": 1, "maxItems": 20,
                               "items": text("an organisation's name", 2, 300),
                               "description": "a list of organisation names"},
        "participants": _code_list(codebook, "participant_group"),
        "coproduction_levels": _code_list(codebook, "coproduction_level"),
        "sources": {"type": "array", "minItems": 1, "maxItems": 50,
                    "items": _source(codebook, today),
                    "description": "a list of the pages read"},
        "tu2022_reference": _nullable({"type": "integer", "minimum": 1, "maximum": 58},
                                      "Tu (2022)'s reference number (1 to 58), or null"),
        "appraisal": _appraisal(codebook),
        "roles": {"type": "array", "minItems": 1, "maxItems": 50,
                  "description": "a list of coded citizen roles (at least one)",
                  "items": _coded_value(codebook, "role")},
        "factors": {"type": "array", "maxItems": 200,
                    "description": "a list of coded critical factors ([] when none is reported)",
                    "items": _coded_value(codebook, "factor",
                                          direction=_enum(codebook, "factor_direction"))},
        "outcomes": {"type": "array", "maxItems": 200,
                     "description": "a list of coded outcomes ([] when none is reported)",
                     "items": _outcome(codebook)},
        "coding": _object({"coder": text("the coder's name or handle", 2, 100), "date": _date()},
                          description="who coded the case and when"),
    }
    return {"$schema": DRAFT, "title": "A coded coproduction case", **_object(properties)}


def second_coding_schema(codebook: Codebook) -> dict:
    """``data/reliability/<id>.yml``: an independent (blind) second coding, codes only."""
    properties = {
        "id": _slug("the id of a coded case, equal to the file name"),
        "coder": text("the second coder's name or handle", 2, 100),
        "date": _date(),
        "pages_read": {"type": "array", "minItems": 1, "items": _url(),
                       "description": "a list of the pages the second coder read"},
        "roles": _code_list(codebook, "role", 0),
        "factors": {"type": "array", "description": "a list of factors with their direction",
                    "items": _object({"code": _enum(codebook, "factor"),
                                      "direction": _enum(codebook, "factor_direction")})},
        "outcomes": _code_list(codebook, "outcome", 0),
    }
    return {"$schema": DRAFT, "title": "An independent second coding of a case",
            **_object(properties)}


def second_reading_schema(codebook: Codebook) -> dict:
    """``data/checks/<id>.yml``: a second reader's verdict on each coded value of a case."""
    record = _object({
        "value": {"type": "string", "pattern": r"^(roles|factors|outcomes)\[\d+\]" + END,
                  "description": "where the value stood when checked, e.g. outcomes[2]"},
        "code": text("the value's code", 2, 80),
        "fingerprint": {"type": "string", "pattern": r"^[0-9a-f]{12}" + END,
                        "description": "the value's fingerprint as printed by "
                                       "python -m analysis second-reading <id>"},
        "verdict": _enum(codebook, "check_verdict"),
        "reason": text("a one-line reason (5 to 300 characters)", 5, 300),
        "reader": text("the second reader's name or handle", 2, 100),
        "date": _date(),
    })
    properties = {
        "case": _slug("the id of the case checked, equal to the file name"),
        "checks": {"type": "array", "minItems": 1, "items": record,
                   "description": "a list of checks, one per value"},
    }
    return {"$schema": DRAFT, "title": "A second reading of a case", **_object(properties)}


def screening_schema(codebook: Codebook) -> dict:
    """``data/screening/<search-id>.yml``: one search run and every record it returned."""
    candidate = _object({
        "url": _nullable(_url("the address of the record found"),
                         "the address of the record found, or null when the search returned "
                         "none (then give reference, or exclude the record)"),
        "reference": _nullable({"type": "string", "pattern": r"^[A-Za-z0-9_:.-]{1,80}" + END,
                                "description": "a citekey in references.bib"},
                               "the citekey of a reference that has no page, or null"),
        "title": text("the record's title (2 to 300 characters)", 2, 300),
        "decision": _enum(codebook, "screening_decision"),
        "case": _nullable(_slug("the id of the case this record is a source of"),
                          "the case id when included, else null"),
        "reason": _nullable(_enum(codebook, "exclusion_reason"),
                            "an exclusion reason when excluded, else null"),
        "duplicate_of": _nullable(_slug("the search id where the record was first screened"),
                                  "the first search's id when a duplicate, else null"),
        "note": _nullable(text("a one-line note (at most 300 characters)", 2, 300),
                          "a one-line note, or null"),
        "screener": text("who screened the record", 2, 100),
        "date": _date(),
    }, ["url", "title", "decision", "screener", "date"])
    rules = [("included", "case"), ("excluded", "reason"), ("duplicate", "duplicate_of")]
    candidate["allOf"] = [
        {"if": {"properties": {"decision": {"const": decision}}, "required": ["decision"]},
         "then": {"required": [field], "properties": {field: {"type": "string"}}}}
        for decision, field in rules]
    properties = {
        "search": _object({
            "id": _slug("the search id, equal to the file name"),
            "collection": text("the collection searched", 2, 200),
            "method": {"enum": ["query", "listing", "citation", "index"],
                       "description": "how: query, listing, citation or index"},
            "query": text("the query, listing page or reference list used", 2, 1000),
            "date": _date(),
            "searcher": text("who ran the search", 2, 100),
            "records_found": {"type": "integer", "minimum": 0, "maximum": 100000,
                              "description": "the number of records the search returned"},
        }, description="the search run"),
        "candidates": {"type": "array", "items": candidate,
                       "description": "every record the search returned"},
    }
    return {"$schema": DRAFT, "title": "A search run and its screening", **_object(properties)}


def releases_schema() -> dict:
    """``data/releases.yml``: every release, the source of truth for versions."""
    release = _object({
        "version": {"type": "string", "pattern": r"^\d+\.\d+" + END,
                    "description": "MAJOR.MINOR, e.g. 1.0"},
        "date": _date(),
        "commit": {"type": "string", "pattern": r"^[0-9a-f]{40}" + END,
                   "description": "the full hash of the released commit"},
        "approved_by": text("who approved the release", 2, 200),
        "summary": text("one line on what the release holds", 5, 300),
    })
    return {"$schema": DRAFT, "title": "The review's releases",
            **_object({"releases": {"type": "array", "items": release,
                                    "description": "a list of releases, oldest first"}})}


def project_schema() -> dict:
    """``data/project.yml``: facts only the maintainers can state (null: not yet stated)."""
    def fact(description: str) -> dict:
        return _nullable(text(description, 2, 2000), f"{description}, or null if not yet stated")
    return {"$schema": DRAFT, "title": "Facts about the project", **_object({
        "repository_url": _nullable(_url("the repository's public address"),
                                    "the repository's public address, or null"),
        "maintainers": _nullable({"type": "array", "items": text("a name", 2, 200)},
                                 "the maintainers' names, or null"),
        "contact": fact("how to reach the maintainers"),
        "funding": fact("who funds the review"),
        "conflicts_of_interest": fact("the maintainers' conflicts of interest"),
        "code_licence": text("the code's licence (SPDX)", 2, 50),
        "data_licence": text("the data's licence (SPDX)", 2, 50),
    })}


def status_schema() -> dict:
    """``data/status.yml``: the review's status statement."""
    return {"$schema": DRAFT, "title": "The review's status", **_object({
        "status": {"enum": ["living", "paused", "ended"],
                   "description": "living, paused or ended"},
        "update_schedule": text("how and when the review is updated", 10, 2000),
        "how_to_propose": text("how to propose a case", 10, 2000),
    })}


def codebook_schema() -> dict:
    """``data/codebook.yml``: vocabularies of codes, each code with its label, definition and
    the citekey of its source (checked for types before any cross-check reads it)."""
    code = {"type": "object", "required": ["code", "label", "definition", "source"],
            "properties": {
                "code": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*" + END, "maxLength": 80,
                         "description": "a code: lowercase letters, digits and underscores"},
                "label": text("the code's label", 2, 200),
                "definition": text("the code's definition", 2, 2000),
                "source": {"type": "string", "pattern": r"^[A-Za-z0-9_:.-]{1,80}" + END,
                           "description": "the citekey of the framework in references.bib"},
                "side": {"type": "string", "description": "a factor_side code"},
                "group": {"type": "string", "description": "an outcome_group code"},
                "citizen": {"type": "boolean", "description": "true or false"},
                "independent": {"type": "boolean", "description": "true or false"},
                "rank": {"type": "integer", "description": "a whole number"},
            }, "additionalProperties": False,
            "description": "a code with code, label, definition and source"}
    vocabulary = _object({
        "label": text("the vocabulary's label", 2, 200),
        "definition": text("the vocabulary's definition", 2, 2000),
        "codes": {"type": "array", "minItems": 1, "items": code,
                  "description": "a list of codes"},
    }, ["codes"], description="a vocabulary: label, definition and a list of codes")
    return {"$schema": DRAFT, "title": "The codebook", **_object({
        "format": {"type": "integer", "minimum": 1, "maximum": 99,
                   "description": "the case-file format version, e.g. 2"},
        "vocabularies": {"type": "object", "minProperties": 1,
                         "additionalProperties": vocabulary,
                         "propertyNames": {"pattern": r"^[a-z][a-z0-9_]*" + END},
                         "description": "a mapping of vocabularies by name"},
    }, ["vocabularies"])}


def surveillance_schema() -> dict:
    """``data/surveillance.yml``: the listing pages the weekly surveillance job reads."""
    listing = _object({
        "collection": text("the collection's name", 2, 200),
        "url": _url("the listing page's address"),
        "links": text("a regular expression matching the collection's case pages", 2, 500),
    })
    return {"$schema": DRAFT, "title": "Listing pages for source surveillance",
            **_object({"listings": {"type": "array", "minItems": 1, "items": listing,
                                    "description": "a list of listing pages"}})}
