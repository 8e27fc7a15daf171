"""Check case files against the codebook's JSON Schema and the cross-checks a schema cannot express.

Every problem names the file, the field, what was found and what is allowed, in the
form ``data/cases/x.yml: roles[1].basis: found 'maybe'; allowed: stated, inferred``.
Validation only reads; it never writes or changes a file.
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pycountry

from . import load
from .references import bibliography_problems, entries_by_key, field_value, tu_reference_keys
from .schema import case_schema, codes, second_coding_schema


@dataclass(frozen=True)
class Problem:
    """One thing to fix: where it is and what to do."""

    file: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}" if self.field else \
            f"{self.file}: {self.message}"

    def github_annotation(self) -> str:
        """The problem as a GitHub Actions ``::error`` annotation on the pull request's diff."""
        line = f",line={self.line}" if self.line else ""
        text = (f"{self.field}: {self.message}" if self.field else self.message)
        return f"::error file={self.file}{line}::{text.replace('%', '%25').replace(chr(10), ' ')}"


def _shown(value: object) -> str:
    if isinstance(value, str):
        text = repr(value)
        return text if len(text) <= 70 else text[:67] + "...'"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (null)"
    return repr(value)


def _path(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _hint(found: object, allowed: list[str]) -> str:
    if not isinstance(found, str):
        return ""
    close = difflib.get_close_matches(found.replace("-", "_").lower(), allowed, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _schema_problems(doc: load.CaseDocument, validator: jsonschema.Validator) -> list[Problem]:
    problems = []
    for error in sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.path))):
        field = _path(error.absolute_path)
        schema = error.schema if isinstance(error.schema, dict) else {}
        kind = error.validator
        if kind == "required":
            missing = [k for k in error.validator_value if k not in error.instance]
            for key in missing:
                wanted = schema["properties"][key].get("description", "a value")
                if "enum" in schema["properties"][key]:
                    wanted += ": " + ", ".join(map(str, schema["properties"][key]["enum"]))
                where = f"{field}.{key}" if field else key
                problems.append(Problem(doc.display_path, where,
                                        f"missing; expected {wanted}", doc.lines.get(field)))
            continue
        if kind == "additionalProperties":
            allowed = list(schema.get("properties", {}))
            for key in [k for k in error.instance if k not in allowed]:
                where = f"{field}.{key}" if field else str(key)
                problems.append(Problem(doc.display_path, where,
                                        f"unknown field{_hint(str(key), allowed)}; allowed: "
                                        + ", ".join(allowed), doc.lines.get(where)))
            continue
        line = doc.lines.get(field)
        if kind == "enum":
            allowed = [str(v) for v in error.validator_value]
            message = (f"found {_shown(error.instance)}{_hint(error.instance, allowed)}; "
                       f"allowed: {', '.join(allowed)}")
        elif kind == "uniqueItems":
            message = "found an entry listed twice; list each once"
        elif kind == "minItems":
            message = f"found {_shown(error.instance)}; expected {schema.get('description', 'at least one item')} with at least {error.validator_value} item(s)"
        else:
            message = f"found {_shown(error.instance)}; expected {schema.get('description') or error.message}"
        problems.append(Problem(doc.display_path, field or "(file)", message, line))
    return problems


def _norm_url(url: str) -> str:
    return url.strip().replace("http://", "https://", 1).rstrip("/").lower()


def _country_problem(code: str) -> str | None:
    if pycountry.countries.get(alpha_2=code):
        return None
    hint = ""
    try:
        match = pycountry.countries.lookup({"UK": "GB", "EL": "GR"}.get(code, code))
        hint = f" (did you mean '{match.alpha_2}' for {match.name}?)"
    except LookupError:
        pass
    return f"found {_shown(code)}; expected an ISO 3166-1 alpha-2 country code{hint}"


def _text_leaves(value: object, path: str = ""):
    """Every (field path, text) pair in a parsed YAML document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _text_leaves(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _text_leaves(item, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


def template_placeholders() -> set[str]:
    """The free texts of the ``new-case`` template, which a finished case must not keep."""
    template, _ = load.parse_yaml(load.read_case_template("new-case"))
    return {" ".join(text.split()) for field, text in _text_leaves(template)
            if field not in ("id", "sources[0].citekey")}


def _case_problems(doc: load.CaseDocument, bib: dict, today: dt.date,
                   placeholders: set[str] = frozenset()) -> list[Problem]:
    """Cross-checks within one case that the schema cannot express."""
    data, file, out = doc.data, doc.display_path, []

    def add(field: str, message: str) -> None:
        out.append(Problem(file, field, message, doc.lines.get(field)))

    for field, text in _text_leaves(data):
        if " ".join(text.split()) in placeholders:
            add(field, f"found the template's placeholder {_shown(text)}; replace it "
                       "(the comment beside it in the template says what goes there)")

    stem = doc.path.stem
    if isinstance(data.get("id"), str) and data["id"] != stem:
        add("id", f"found {_shown(data['id'])}; expected '{stem}', the file name without .yml "
                  "(rename the file or change the id)")
    if isinstance(data.get("country"), str) and len(data["country"]) == 2:
        problem = _country_problem(data["country"])
        if problem:
            add("country", problem)
    started, documented = data.get("year_started"), data.get("year_documented")
    if isinstance(started, int) and isinstance(documented, int) and started > documented:
        add("year_started", f"found {started}; expected a year no later than year_documented "
                            f"({documented})")
    coded_on = (data.get("coding") or {}).get("date") if isinstance(data.get("coding"), dict) else None
    try:
        coded = dt.date.fromisoformat(coded_on) if isinstance(coded_on, str) else None
    except ValueError:
        coded = None
    if coded and coded > today:
        add("coding.date", f"found '{coded_on}'; expected a date no later than today ({today})")
    if coded and isinstance(documented, int) and coded.year < documented:
        add("coding.date", f"found '{coded_on}'; expected a date in or after year_documented "
                           f"({documented})")
    source_urls = []
    for i, source in enumerate(data.get("sources") or []):
        if not isinstance(source, dict):
            continue
        key, url = source.get("citekey"), source.get("url")
        if isinstance(url, str):
            source_urls.append(_norm_url(url))
        if isinstance(key, str) and key not in bib:
            close = difflib.get_close_matches(key, list(bib), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            add(f"sources[{i}].citekey", f"found {_shown(key)}; expected a citekey defined in "
                                         f"references.bib{hint}; add a @misc entry for the page")
        elif isinstance(key, str) and isinstance(url, str):
            bib_url = field_value(bib[key], "url")
            if bib_url and _norm_url(bib_url) != _norm_url(url):
                add(f"sources[{i}].url", f"found {_shown(url)}; expected the url that "
                                         f"references.bib gives for '{key}': '{bib_url}'")
    for group in ("roles", "factors", "outcomes"):
        seen: dict[tuple, int] = {}
        for i, value in enumerate(data.get(group) or []):
            if not isinstance(value, dict):
                continue
            identity = (value.get("code"), value.get("direction"))
            if identity in seen and isinstance(identity[0], str):
                add(f"{group}[{i}].code", f"found '{identity[0]}' again (also {group}[{seen[identity]}]); "
                                          "code each value once per case")
            seen.setdefault(identity, i)
            locator = value.get("locator")
            url = locator.get("url") if isinstance(locator, dict) else None
            if isinstance(url, str) and source_urls and not any(
                    _norm_url(url).startswith(s) for s in source_urls):
                add(f"{group}[{i}].locator.url",
                    f"found {_shown(url)}; expected a page under one of this case's sources: "
                    + ", ".join(s["url"] for s in data["sources"] if isinstance(s, dict) and "url" in s))
    return out


def _dataset_problems(docs: list[load.CaseDocument]) -> list[Problem]:
    """Cross-checks between cases: unique ids, one case per source page, one case per Tu reference."""
    out: list[Problem] = []
    ids: dict[str, str] = {}
    urls: dict[str, str] = {}
    tu: dict[int, str] = {}
    for doc in docs:
        data, file = doc.data, doc.display_path
        case_id = data.get("id")
        if isinstance(case_id, str):
            if case_id in ids:
                out.append(Problem(file, "id", f"found '{case_id}'; already used by {ids[case_id]}; "
                                               "choose another id", doc.lines.get("id")))
            ids.setdefault(case_id, file)
        for i, source in enumerate(data.get("sources") or []):
            url = source.get("url") if isinstance(source, dict) else None
            if isinstance(url, str):
                key = _norm_url(url)
                if key in urls and urls[key] != file:
                    out.append(Problem(file, f"sources[{i}].url",
                                       f"found {_shown(url)}; already the source of {urls[key]}; "
                                       "a source page may be coded as one case only",
                                       doc.lines.get(f"sources[{i}].url")))
                urls.setdefault(key, file)
        ref = data.get("tu2022_reference")
        if isinstance(ref, int) and not isinstance(ref, bool):
            if ref in tu:
                out.append(Problem(file, "tu2022_reference",
                                   f"found {ref}; already the Tu (2022) reference of {tu[ref]}",
                                   doc.lines.get("tu2022_reference")))
            tu.setdefault(ref, file)
    return out


def codebook_problems(codebook: dict, bib: dict) -> list[str]:
    """Problems in the codebook itself: missing parts, duplicate codes, unknown sources or sides."""
    out = []
    sides = set(codes(codebook, "factor_side")) if "factor_side" in codebook else set()
    for name, vocabulary in codebook.items():
        seen = set()
        for entry in vocabulary.get("codes", []):
            code = entry.get("code")
            for part in ("code", "label", "definition", "source"):
                if not entry.get(part):
                    out.append(f"{name}.{code}: missing '{part}'")
            if code in seen:
                out.append(f"{name}.{code}: code defined twice")
            seen.add(code)
            if entry.get("source") and entry["source"] not in bib:
                out.append(f"{name}.{code}: source '{entry['source']}' is not in references.bib")
            if name == "factor" and entry.get("side") not in sides:
                out.append(f"{name}.{code}: side '{entry.get('side')}' is not a factor_side code")
    return out


def validate_documents(docs: list[load.CaseDocument], codebook: dict, library,
                       today: dt.date | None = None) -> list[Problem]:
    """Every problem in the given case documents, the codebook and the bibliography."""
    today = today or dt.date.today()
    bib = entries_by_key(library)
    problems = [Problem("references.bib", key, message)
                for key, message in bibliography_problems(library)]
    problems += [Problem("data/codebook.yml", "", message)
                 for message in codebook_problems(codebook, bib)]
    validator = jsonschema.Draft202012Validator(
        case_schema(codebook, today), format_checker=jsonschema.FormatChecker())
    readable = []
    placeholders = template_placeholders()
    for doc in docs:
        if doc.error is not None:
            problems.append(Problem(doc.display_path, f"line {doc.error.line}" if doc.error.line
                                    else "", str(doc.error), doc.error.line))
        elif not isinstance(doc.data, dict):
            problems.append(Problem(doc.display_path, "(file)",
                                    f"found {_shown(doc.data)}; expected a mapping of fields "
                                    "(start from: python -m analysis new-case <id>)"))
        else:
            problems += _schema_problems(doc, validator)
            problems += _case_problems(doc, bib, today, placeholders)
            readable.append(doc)
    problems += _dataset_problems(readable)
    tu_keys = tu_reference_keys(library)
    for doc in readable:
        ref = doc.data.get("tu2022_reference")
        if isinstance(ref, int) and not isinstance(ref, bool) and 1 <= ref <= 58 and ref not in tu_keys:
            problems.append(Problem(doc.display_path, "tu2022_reference",
                                    f"found {ref}; no entry in references.bib has the note "
                                    f"'Tu (2022) reference {ref}'", doc.lines.get("tu2022_reference")))
    return list(dict.fromkeys(problems))


def second_coding_problems(docs: list[load.CaseDocument], codebook: dict,
                           case_ids: set[str]) -> list[Problem]:
    """Problems in the second codings: schema, file name, and that the case exists."""
    validator = jsonschema.Draft202012Validator(second_coding_schema(codebook),
                                                format_checker=jsonschema.FormatChecker())
    problems = []
    for doc in docs:
        if doc.error is not None or not isinstance(doc.data, dict):
            problems.append(Problem(doc.display_path, "(file)", str(doc.error or "expected a mapping")))
            continue
        problems += _schema_problems(doc, validator)
        case_id = doc.data.get("id")
        if isinstance(case_id, str) and case_id != doc.path.stem:
            problems.append(Problem(doc.display_path, "id", f"found '{case_id}'; expected "
                                    f"'{doc.path.stem}', the file name without .yml"))
        elif isinstance(case_id, str) and case_id not in case_ids:
            problems.append(Problem(doc.display_path, "id", f"found '{case_id}'; expected the id "
                                    "of a case in data/cases"))
    return problems


def validate_paths(paths: list[Path] | None = None) -> tuple[list[load.CaseDocument], list[Problem]]:
    """Read and check case files (default: all of ``data/cases`` and ``data/reliability``).

    Writes nothing.
    """
    docs = load.read_case_documents(paths)
    codebook = load.read_codebook()
    problems = validate_documents(docs, codebook, load.read_references())
    if not paths:
        ids = {d.data.get("id") for d in docs if isinstance(d.data, dict)}
        problems += second_coding_problems(load.read_second_codings(), codebook, ids)
    if not docs:
        problems.append(Problem(" ".join(map(str, paths or [load.CASES_DIR])), "",
                                "no case files (*.yml) found; nothing was validated"))
    return docs, problems


class InvalidData(ValueError):
    """Raised when the book is built from data that does not validate."""


def checked_review(paths: list[Path] | None = None) -> load.Review:
    """The review built from validated data; raises :class:`InvalidData` listing every problem."""
    docs, problems = validate_paths(paths)
    if problems:
        raise InvalidData("the data does not validate:\n" + "\n".join(map(str, problems)))
    return load.build_review(docs, load.read_codebook(), load.read_references(),
                             load.read_second_codings())
