"""Check the review's data: every problem names the file, the field, what was found and what
is allowed, e.g. ``data/cases/x.yml: roles[1].basis: found 'maybe'; allowed: stated, inferred``.

Order matters: a file is parsed (bounded, strict YAML), then checked against its JSON Schema
(the type pass), and only a file that passes the schema goes on to the cross-checks, so no
cross-check ever sees an unexpected type. Pure: texts come from :mod:`analysis.dataset.load`,
and nothing is written.
"""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import fastjsonschema
import jsonschema

from . import schema as schemas
from .bibliography import bibliography_problems, entries_by_key, tu_reference_keys
from .codebook import Codebook
from .countries import is_country, suggestion
from .policies import normalise_url, printable, text_problem, url_lies_under, url_problem
from .second_reading import CHECKED, coded_values, fingerprint
from .strict_yaml import YamlError, parse_yaml

PARALLEL_FROM = 600  # files to check before a second process pays for itself
CHECKS_VERSION = "3"  # bump when a per-file check changes, so cached results are not reused


@dataclass(frozen=True)
class Problem:
    """One thing to fix: where it is and what to do.

    Every problem names a field (``(file)`` when it concerns the file as a whole), and is
    shown on one line: file names, keys and values are contributed text, so line breaks,
    control and bidirectional characters in them are written as escapes
    (:func:`~analysis.dataset.policies.printable`).
    """

    file: str
    field: str
    message: str
    line: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "field", self.field or "(file)")

    def __str__(self) -> str:
        return f"{printable(self.file)}: {printable(self.field)}: {printable(self.message)}"

    def github_annotation(self) -> str:
        """The problem as a GitHub Actions ``::error`` annotation, every part escaped."""
        def data(text: str) -> str:  # GitHub's escapes for line breaks, then printable()
            return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))

        def prop(text: str) -> str:
            return data(text).replace(":", "%3A").replace(",", "%2C")
        line = f",line={self.line}" if self.line else ""
        return f"::error file={prop(self.file)}{line}::{data(f'{self.field}: {self.message}')}"


@dataclass
class CaseResult:
    """One case file after checking: its data when readable, and its problems."""

    file: str
    data: object = None
    lines: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems and isinstance(self.data, dict)


def yaml_problem(file: str, error: YamlError) -> Problem:
    """A file that cannot be read as plain data: the line when known, else the file."""
    return Problem(file, f"line {error.line}" if error.line else "(file)", str(error), error.line)


def same_person(one: object, other: object) -> bool:
    """Whether two names or handles name the same person: compared ignoring case, character
    width (NFKC), invisible and control characters, and spacing."""
    def key(name: object) -> str:
        text = unicodedata.normalize("NFKC", str(name)).casefold()
        return " ".join("".join(c for c in text if unicodedata.category(c)[0] != "C").split())
    return key(one) == key(other)


def shown(value: object) -> str:
    """A found value as a message shows it: short, quoted, one line."""
    if isinstance(value, str):
        text = repr(value)
        return text if len(text) <= 70 else text[:67] + "...'"
    if isinstance(value, bool):
        return "true" if value else "false"
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


def _is_public_url(value: object) -> bool:
    return not isinstance(value, str) or url_problem(value) is None


FAST_FORMATS = {"date": lambda text: _is_date(text), schemas.URL_FORMAT: _is_public_url}
FORMAT_CHECKER = jsonschema.FormatChecker()
FORMAT_CHECKER.checks(schemas.URL_FORMAT)(_is_public_url)


class SchemaCheck:
    """One JSON Schema, compiled once: a fast yes/no, and the errors in words when no."""

    def __init__(self, schema: dict):
        self.schema = schema
        self.fast = fastjsonschema.compile(schema, formats=FAST_FORMATS)
        self.full = jsonschema.Draft202012Validator(schema, format_checker=FORMAT_CHECKER)

    def problems(self, file: str, data: object, lines: dict) -> list[Problem]:
        try:
            self.fast(data)
            return []
        except Exception:  # noqa: BLE001 - the fast check is only a shortcut; the full one decides
            pass
        return schema_problems(file, data, lines, self.full) or [
            Problem(file, "(file)", f"does not match the schema '{self.schema.get('title')}'")]


def _address_refused(error) -> bool:
    """An error that is the address policy refusing a text (directly, or as the text branch of
    a nullable address)."""
    if error.validator == "format":
        return error.validator_value == schemas.URL_FORMAT
    return error.validator == "anyOf" and isinstance(error.instance, str) and any(
        e.validator == "format" and e.validator_value == schemas.URL_FORMAT
        for e in error.context or [])


def schema_problems(file: str, data: object, lines: dict, validator) -> list[Problem]:
    """The JSON Schema errors of a document, in words."""
    problems = []
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        where = _path(error.absolute_path)
        schema = error.schema if isinstance(error.schema, dict) else {}
        kind = error.validator
        if kind == "required":
            properties = schema.get("properties") or {}
            for key in [k for k in error.validator_value if k not in error.instance]:
                wanted = properties.get(key, {}).get("description", "a value")
                if "enum" in properties.get(key, {}):
                    wanted += ": " + ", ".join(map(str, properties[key]["enum"]))
                place = f"{where}.{key}" if where else key
                problems.append(Problem(file, place, f"missing; expected {wanted}",
                                        lines.get(where)))
            continue
        if kind == "additionalProperties":
            allowed = list(schema.get("properties", {}))
            for key in [k for k in error.instance if k not in allowed]:
                place = f"{where}.{key}" if where else str(key)
                problems.append(Problem(file, place, f"unknown field{_hint(str(key), allowed)}; "
                                        "allowed: " + ", ".join(allowed), lines.get(place)))
            continue
        if kind == "enum":
            allowed = [str(v) for v in error.validator_value]
            message = (f"found {shown(error.instance)}{_hint(error.instance, allowed)}; "
                       f"allowed: {', '.join(allowed)}")
        elif kind == "uniqueItems":
            message = "found an entry listed twice; list each once"
        elif kind == "minItems":
            message = (f"found {shown(error.instance)}; expected "
                       f"{schema.get('description', 'a list')} with at least "
                       f"{error.validator_value} item(s)")
        elif kind == "maxItems":
            message = f"found {len(error.instance)} items; at most {error.validator_value} allowed"
        elif kind == "not":
            message = f"expected {schema.get('description') or 'another value'}"
        elif _address_refused(error):
            message = f"found {shown(error.instance)}; {url_problem(error.instance)}"
        else:
            message = (f"found {shown(error.instance)}; expected "
                       f"{schema.get('description') or error.message}")
        problems.append(Problem(file, where or "(file)", message, lines.get(where)))
    return problems


def _text_leaves(value: object, path: str = ""):
    """Every (field path, text) pair in a parsed document."""
    stack = [(value, path)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, dict):
            stack.extend((item, f"{where}.{key}" if where else str(key))
                         for key, item in current.items())
        elif isinstance(current, list):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(current))
        elif isinstance(current, str):
            yield where, current


def _texts(value: object) -> list[str]:
    """Every text in a parsed document, without its path."""
    out, stack = [], [value]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            out.append(current)
        elif isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return out


class CaseChecker:
    """Checks one case file at a time against the codebook, the schema and the case rules."""

    def __init__(self, codebook: Codebook, today: dt.date, placeholders: frozenset[str]):
        self.codebook, self.today, self.placeholders = codebook, today, placeholders
        self.schema = schemas.case_schema(codebook, today)
        self.validator = SchemaCheck(self.schema)

    def key(self) -> str:
        """What a cached result depends on besides the file's own text."""
        payload = json.dumps([CHECKS_VERSION, self.today.isoformat(), sorted(self.placeholders),
                              self.codebook.vocabularies], sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def check(self, file: str, stem: str, text: str) -> CaseResult:
        """Check one case file. Lines are worked out only for a file with problems."""
        result = self._check(file, stem, text, with_lines=False)
        if result.problems:
            result = self._check(file, stem, text, with_lines=True)
        return result

    def _check(self, file: str, stem: str, text: str, with_lines: bool) -> CaseResult:
        try:
            data, lines = parse_yaml(text, with_lines)
        except YamlError as err:
            return CaseResult(file, problems=[yaml_problem(file, err)])
        result = CaseResult(file, data, lines)
        if not isinstance(data, dict):
            result.problems.append(Problem(file, "(file)", f"found {shown(data)}; expected a "
                                           "mapping of fields (start from: python -m analysis "
                                           "new-case <id>)"))
            return result
        result.problems = self.validator.problems(file, data, lines)
        if result.problems:
            return result
        result.problems = self._case_rules(file, stem, data, lines)
        return result

    def _text_rules(self, data: dict, add) -> None:
        """The text policy and the template's placeholders, field by field (run only when some
        text fails, since building every field's path costs more than the check)."""
        for where, text in _text_leaves(data):
            problem = text_problem(text)
            if problem:
                add(where, problem)
            elif " ".join(text.split()) in self.placeholders:
                add(where, f"found the template's placeholder {shown(text)}; replace it (the "
                           "comment beside it in the template says what goes there)")

    def _case_rules(self, file: str, stem: str, data: dict, lines: dict) -> list[Problem]:
        """Cross-checks within one case that the schema cannot express (types already right)."""
        out: list[Problem] = []

        def add(where: str, message: str) -> None:
            out.append(Problem(file, where, message, lines.get(where)))

        texts = _texts(data)
        if any(text_problem(text) or " ".join(text.split()) in self.placeholders for text in texts):
            self._text_rules(data, add)
        if data["id"] != stem:
            add("id", f"found {shown(data['id'])}; expected '{stem}', the file name without "
                      ".yml (rename the file or change the id)")
        if not is_country(data["country"]):
            hint = suggestion(data["country"])
            add("country", f"found {shown(data['country'])}; expected an ISO 3166-1 alpha-2 "
                           f"country code{f' (did you mean {hint}?)' if hint else ''}")
        started, documented = data["year_started"], data["year_documented"]
        if started is not None and documented is not None and started > documented:
            add("year_started", f"found {started}; expected a year no later than "
                                f"year_documented ({documented})")
        coded = _date(data["coding"]["date"])
        if coded and coded > self.today:
            add("coding.date", f"found '{coded}'; expected a date no later than today "
                               f"({self.today})")
        if coded and documented is not None and coded.year < documented:
            add("coding.date", f"found '{coded}'; expected a date in or after year_documented "
                               f"({documented})")
        source_urls = []
        for i, source in enumerate(data["sources"]):
            read = _date(source["read_on"])
            if read and read > self.today:
                add(f"sources[{i}].read_on", f"found '{read}'; expected a date no later than "
                                             f"today ({self.today})")
            key = normalise_url(source["url"])
            if key in source_urls:
                add(f"sources[{i}].url", f"found {shown(source['url'])} again; list each page once")
            source_urls.append(key)
        appraisal = data["appraisal"]
        if appraisal["coverage"] == "full" and appraisal["coverage_note"]:
            add("appraisal.coverage_note", "found a note on what could not be read, but coverage "
                                           "is 'full'; set coverage: partial or coverage_note: null")
        for group in ("roles", "factors", "outcomes"):
            seen: dict[tuple, int] = {}
            for i, value in enumerate(data[group]):
                locator = value["locator"]
                identity = (value["code"], value.get("direction"), locator["url"],
                            " ".join(locator["section"].lower().split()))
                if identity in seen:
                    add(f"{group}[{i}].code", f"found '{value['code']}' again with the same "
                                              f"locator as {group}[{seen[identity]}]; code a "
                                              "finding once, or point each at its own place")
                seen.setdefault(identity, i)
                if not any(url_lies_under(locator["url"], s["url"]) for s in data["sources"]):
                    add(f"{group}[{i}].locator.url",
                        f"found {shown(locator['url'])}; expected a page under one of this "
                        "case's sources: " + ", ".join(s["url"] for s in data["sources"]))
        return out


def _is_date(text: str) -> bool:
    return _date(text) is not None


def _date(text: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


_WORKER: dict = {}


def _init_worker(codebook: Codebook, today: dt.date, placeholders: frozenset[str]) -> None:
    _WORKER["checker"] = CaseChecker(codebook, today, placeholders)


def _check_batch(batch: list[tuple[str, str, str]]) -> list[CaseResult]:
    checker = _WORKER["checker"]
    return [checker.check(*item) for item in batch]


def check_case_texts(items: list[tuple[str, str, str]], checker: CaseChecker, workers: int = 1,
                     alongside=None, alongside_bytes: int = 0) -> tuple[list[CaseResult], object]:
    """Check (file, stem, text) items, and run ``alongside`` (other work on about
    ``alongside_bytes`` of text) in this process; returns the results in order and what
    ``alongside`` returned. With many items and a second core, a second process checks a
    share of the items meanwhile, chosen so that both processes read about half the text."""
    if workers < 2 or len(items) < PARALLEL_FROM:
        extra = alongside() if alongside else None
        return [checker.check(*item) for item in items], extra
    budget = (sum(len(text) for _f, _s, text in items) + alongside_bytes) / 2 - alongside_bytes
    mine = 0
    while mine < len(items) - 1 and budget > 0:
        budget -= len(items[mine][2])
        mine += 1
    with ProcessPoolExecutor(1, initializer=_init_worker,
                             initargs=(checker.codebook, checker.today,
                                       checker.placeholders)) as pool:
        other = pool.submit(_check_batch, items[mine:])
        extra = alongside() if alongside else None
        results = [checker.check(*item) for item in items[:mine]]
        return results + other.result(), extra


def template_placeholders(template_text: str) -> frozenset[str]:
    """The free texts of the ``new-case`` template, which a finished case must not keep."""
    template, _ = parse_yaml(template_text.replace("{case_id}", "new-case"))
    return frozenset(" ".join(text.split()) for where, text in _text_leaves(template)
                     if where != "id" and "YYYY" not in text)


CODEBOOK_VOCABULARIES = (
    "sector", "participant_group", "coproduction_level", "role", "factor", "factor_side",
    "factor_direction", "outcome", "evidence_type", "basis", "negative_outcome_kind",
    "source_kind", "author_role", "evaluation_design", "source_coverage", "screening_decision",
    "exclusion_reason", "check_verdict")


def codebook_problems(file: str, codebook: object, lines: dict, bib: dict) -> list[Problem]:
    """Problems in the codebook itself: its types (schema), then missing vocabularies,
    duplicate codes, and sources or factor sides that do not exist."""
    problems = SchemaCheck(schemas.codebook_schema()).problems(file, codebook, lines)
    if problems:
        return problems
    out: list[Problem] = []

    def add(where: str, message: str) -> None:
        out.append(Problem(file, where, message, lines.get(where)))
    vocabularies = codebook["vocabularies"]
    for needed in CODEBOOK_VOCABULARIES:
        if needed not in vocabularies:
            add("vocabularies", f"the vocabulary '{needed}' is missing")
    sides = {c["code"] for c in vocabularies.get("factor_side", {}).get("codes", [])}
    for name, vocabulary in vocabularies.items():
        seen: set[str] = set()
        for i, entry in enumerate(vocabulary["codes"]):
            where = f"vocabularies.{name}.codes[{i}]"
            code = entry["code"]
            if code in seen:
                add(f"{where}.code", f"found '{code}' again; define each code once")
            seen.add(code)
            if entry["source"] not in bib:
                add(f"{where}.source", f"found '{entry['source']}'; expected a citekey in "
                                       "references.bib")
            if name == "factor" and entry.get("side") not in sides:
                add(f"{where}.side", f"found {shown(entry.get('side'))}; expected a "
                                     "factor_side code: " + ", ".join(sorted(sides)))
    return out


def dataset_problems(results: list[CaseResult], library) -> list[Problem]:
    """Cross-checks between valid cases: unique ids, one case per source page and per Tu
    reference, and Tu references that the bibliography knows."""
    out: list[Problem] = []
    ids: dict[str, str] = {}
    urls: dict[str, str] = {}
    tu: dict[int, str] = {}
    tu_keys = tu_reference_keys(library)
    for result in results:
        data, file, lines = result.data, result.file, result.lines
        if data["id"] in ids:
            out.append(Problem(file, "id", f"found '{data['id']}'; already used by "
                                           f"{ids[data['id']]}; choose another id", lines.get("id")))
        ids.setdefault(data["id"], file)
        for i, source in enumerate(data["sources"]):
            key = normalise_url(source["url"])
            if key in urls and urls[key] != file:
                out.append(Problem(file, f"sources[{i}].url", f"found {shown(source['url'])}; "
                                   f"already a source of {urls[key]} (addresses compared without "
                                   "scheme, www. and trailing slash); a page may be the source "
                                   "of one case only", lines.get(f"sources[{i}].url")))
            urls.setdefault(key, file)
        ref = data["tu2022_reference"]
        if ref is not None:
            if ref in tu:
                out.append(Problem(file, "tu2022_reference", f"found {ref}; already the Tu (2022) "
                                   f"reference of {tu[ref]}", lines.get("tu2022_reference")))
            tu.setdefault(ref, file)
            if ref not in tu_keys:
                out.append(Problem(file, "tu2022_reference", f"found {ref}; no entry in "
                                   f"references.bib has the note 'Tu (2022) reference {ref}'",
                                   lines.get("tu2022_reference")))
    return out


def bibliography_file_problems(text: str, library) -> list[Problem]:
    return [Problem("references.bib", where, message)
            for where, message in bibliography_problems(text, library)]


_COMPILED: dict[str, SchemaCheck] = {}


def _schema_check(schema: dict) -> SchemaCheck:
    """The SchemaCheck of a schema, compiled once per process."""
    key = json.dumps(schema, sort_keys=True)
    if key not in _COMPILED:
        _COMPILED[key] = SchemaCheck(schema)
    return _COMPILED[key]


def data_file_problems(file: str, data: object, lines: dict, error: YamlError | None,
                       schema: dict | SchemaCheck) -> list[Problem]:
    """Problems of one of the other data files (status, project, releases, a second coding,
    a second reading or a screening-log file): readable, matches its schema (addresses by
    the address policy), text policy."""
    if error is not None:
        return [yaml_problem(file, error)]
    check = schema if isinstance(schema, SchemaCheck) else _schema_check(schema)
    problems = check.problems(file, data, lines)
    if problems or not any(text_problem(text) for text in _texts(data)):
        return problems
    for where, text in _text_leaves(data):
        problem = text_problem(text)
        if problem:
            problems.append(Problem(file, where, problem, lines.get(where)))
    return problems


def _owning_case(file: str, stem: str, data: dict, lines: dict, cases: dict[str, dict],
                 field: str) -> tuple[dict | None, list[Problem]]:
    """The case a record file belongs to: its ``field`` names the file's own stem and a coded
    case."""
    if data[field] != stem:
        return None, [Problem(file, field, f"found '{data[field]}'; expected '{stem}', the file "
                                           "name without .yml", lines.get(field))]
    if data[field] not in cases:
        return None, [Problem(file, field, f"found '{data[field]}'; expected the id of a case in "
                                           "data/cases", lines.get(field))]
    return cases[data[field]], []


def second_coding_problems(file: str, stem: str, data: dict, lines: dict,
                           cases: dict[str, dict]) -> list[Problem]:
    """A valid second coding must be named for, and belong to, a coded case, and be made by
    someone other than the case's coder (it is an independent coding)."""
    case, problems = _owning_case(file, stem, data, lines, cases, "id")
    if problems:
        return problems
    if same_person(data["coder"], case["coding"]["coder"]):
        return [Problem(file, "coder", f"found {shown(data['coder'])}, who coded the case; an "
                                       "independent second coding is made by someone else",
                        lines.get("coder"))]
    return []


def second_reading_problems(file: str, stem: str, data: dict, lines: dict,
                            cases: dict[str, dict]) -> list[Problem]:
    """A second reading belongs to a case, is made by someone other than its coder, and its
    removals are really gone from the case."""
    out: list[Problem] = []
    case, problems = _owning_case(file, stem, data, lines, cases, "case")
    if problems:
        return problems
    current = {fingerprint(value) for _path, _kind, _code, value in coded_values(case)}
    for i, record in enumerate(data["checks"]):
        where = f"checks[{i}]"
        if same_person(record["reader"], case["coding"]["coder"]):
            out.append(Problem(file, f"{where}.reader", f"found {shown(record['reader'])}, who coded "
                               "the case; a second reader must be someone else",
                               lines.get(f"{where}.reader")))
        if record["verdict"] == "removed" and record["fingerprint"] in current:
            out.append(Problem(file, f"{where}.verdict", "found 'removed', but the value is still "
                               "in the case; take it out of the case file or change the verdict",
                               lines.get(f"{where}.verdict")))
    return out


def checked_fingerprints(reading: dict) -> set[str]:
    return {r["fingerprint"] for r in reading.get("checks", []) if r["verdict"] in CHECKED}


__all__ = ["Problem", "CaseResult", "CaseChecker", "SchemaCheck", "same_person", "yaml_problem", "check_case_texts", "dataset_problems",
           "codebook_problems", "data_file_problems", "bibliography_file_problems",
           "second_coding_problems", "second_reading_problems", "template_placeholders",
           "schema_problems", "shown", "entries_by_key"]
