"""The bibliography (``references.bib``): the literature the review cites.

Parsed with bibtexparser v2 for its fields, and checked with pybtex too, because the
References page is rendered by sphinxcontrib-bibtex through pybtex: an entry one parser
accepts and the other refuses is reported here rather than breaking the build, naming the
entry and the field pybtex stopped at. Every field passes the text policy, ``url`` the
address policy; only known fields are allowed; a year is a year; citekeys are unique
ignoring case (as pybtex and LaTeX compare them); ``@preamble`` blocks, which would carry
LaTeX into every document built from the file, are not allowed.
Pure: the text is read by :mod:`analysis.dataset.load`.
"""
from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock

from .policies import text_problem, url_problem

REQUIRED_FIELDS = {
    "article": ["author", "title", "journal", "year"],
    "book": ["title", "publisher", "year"],
    "incollection": ["author", "title", "booktitle", "publisher", "year"],
    "inproceedings": ["author", "title", "booktitle", "year"],
    "techreport": ["author", "title", "institution", "year"],
    "misc": ["title", "year"],
    "online": ["title", "year", "url"],
}
KNOWN_FIELDS = {"author", "editor", "title", "booktitle", "journal", "year", "month", "volume",
                "number", "pages", "publisher", "address", "institution", "organization",
                "school", "type", "series", "edition", "chapter", "howpublished", "note", "url",
                "urldate", "doi", "isbn", "issn"}
CITEKEY = re.compile(r"[A-Za-z0-9_:.-]{1,80}")  # used with fullmatch, as DOI and YEAR
DOI = re.compile(r"10\.\d{4,9}/[^\s{}\\]+")
YEAR = re.compile(r"1[0-9]{3}[a-z]?|20[0-9]{2}[a-z]?")
LINK_COMMANDS = re.compile(r"\\(?:href|url|input|include|write|immediate)\b")
TU_REFERENCE = re.compile(r"Tu \(2022\) reference (\d+)")

Library = bibtexparser.Library


def parse(text: str) -> Library:
    """``references.bib`` parsed with bibtexparser v2 (fields and keys as written). Blocks it
    cannot parse are reported by :func:`bibliography_problems`, so its own log stays quiet."""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return bibtexparser.parse_string(text)
    finally:
        logger.setLevel(level)


def entries_by_key(library: Library) -> dict[str, bibtexparser.model.Entry]:
    """Entries keyed by citekey."""
    return {entry.key: entry for entry in library.entries}


def field_value(entry: bibtexparser.model.Entry, name: str) -> str | None:
    """A field's value with outer braces removed, or None when the entry lacks it."""
    found = entry.fields_dict.get(name)
    if found is None:
        return None
    return str(found.value).strip().removeprefix("{").removesuffix("}").strip()


class _Refused(Exception):
    """pybtex refused an entry: where (citekey and field, when known) and why."""

    def __init__(self, key: str | None, field: str | None, message: str):
        super().__init__(message)
        self.key, self.field = key, field


def _pybtex_problem(text: str) -> tuple[str, str] | None:
    """The first complaint of pybtex (the parser the build uses), as (where, message): the
    citekey where pybtex stopped, the field named at the start of the message."""
    from pybtex.bibtex.utils import split_name_list
    from pybtex.database import Person
    from pybtex.database.input.bibtex import Parser
    from pybtex.exceptions import PybtexError
    from pybtex.textutils import normalize_whitespace

    class LocatingParser(Parser):
        def process_entry(self, entry_type, key, fields):
            for name, values in fields:
                if name in self.person_fields:
                    value = normalize_whitespace(self.flatten_value_list(values))
                    for person in split_name_list(value):
                        try:
                            Person(person)
                        except PybtexError as err:
                            raise _Refused(key, name, str(err)) from None
            try:
                super().process_entry(entry_type, key, fields)
            except PybtexError as err:
                raise _Refused(key, None, str(err)) from None

    try:
        LocatingParser().parse_string(text)
        return None
    except _Refused as err:
        key, field, message = err.key, err.field, str(err)
    except Exception as err:  # noqa: BLE001 - pybtex raises several unrelated types
        parser = getattr(err, "parser", None)
        key = getattr(parser, "current_entry_key", None)
        field = getattr(parser, "current_field_name", None)
        message = str(err)
    message = " ".join(message.split())[:300]
    said = f"the build's BibTeX parser (pybtex) cannot read it: {message}"
    if key:
        return key, f"{field}: {said}" if field else said
    line = re.search(r"line (\d+)", message)
    return (f"line {line.group(1)}" if line else "(file)", said)


def _block_problem(block) -> tuple[str, str]:
    """A block bibtexparser could not parse, as (line, message with the reason)."""
    error = block.error
    reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
    start = " ".join(str(getattr(block, "raw", "") or "").split())[:60]
    return (f"line {block.start_line + 1}",
            f"cannot parse this BibTeX block ({start!r}): {' '.join(reason.split())}")


def bibliography_problems(text: str, library: Library) -> list[tuple[str, str]]:
    """Problems in the bibliography as ``(citekey or line, message)`` pairs."""
    problems = []
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            problems.append((block.key, f"citekey '{block.key}' is defined twice "
                                        f"(line {block.start_line + 1}); keep one"))
        else:
            problems.append(_block_problem(block))
    for preamble in library.preambles:
        problems.append((f"line {preamble.start_line + 1}", "a @preamble block is not allowed: "
                         "it would put LaTeX into every document built from this file; "
                         "remove it"))
    first: dict[str, str] = {}
    for entry in library.entries:
        folded = entry.key.casefold()
        if folded in first and first[folded] != entry.key:
            problems.append((entry.key, f"citekey '{entry.key}' differs only in case from "
                                        f"'{first[folded]}', and the build treats them as one; "
                                        "keep one or choose another key"))
        first.setdefault(folded, entry.key)
        problems += [(entry.key, message) for message in _entry_problems(entry)]
    if not problems:
        found = _pybtex_problem(text)
        if found:
            problems.append(found)
    return problems


def _entry_problems(entry: bibtexparser.model.Entry) -> list[str]:
    kind = entry.entry_type.lower()
    out = []
    if not CITEKEY.fullmatch(entry.key):
        out.append(f"citekey {entry.key[:80]!r}: use letters, digits and _ : . - only")
    if kind not in REQUIRED_FIELDS:
        return out + [f"entry type '@{kind}' is not used here; allowed: "
                      + ", ".join("@" + k for k in REQUIRED_FIELDS)]
    if kind == "book" and not ({"author", "editor"} & set(entry.fields_dict)):
        out.append("@book needs an author or an editor")
    for name in REQUIRED_FIELDS[kind]:
        if not field_value(entry, name):
            out.append(f"@{kind} needs the field '{name}'")
    for name in entry.fields_dict:
        value = field_value(entry, name) or ""
        if name.lower() not in KNOWN_FIELDS:
            out.append(f"{name}: unknown field; allowed: {', '.join(sorted(KNOWN_FIELDS))}")
            continue
        problem = text_problem(value)
        if problem:
            out.append(f"{name}: {problem}")
        if LINK_COMMANDS.search(value):
            out.append(f"{name}: LaTeX commands such as \\href or \\url are not allowed; "
                       "give an address in the url field")
    url = field_value(entry, "url")
    if url is not None and url_problem(url):
        out.append(f"url: found {url[:80]!r}; {url_problem(url)}")
    year = field_value(entry, "year")
    if year is not None and not YEAR.fullmatch(year):
        out.append(f"year: found {year[:80]!r}; expected a year such as 2014")
    doi = field_value(entry, "doi")
    if doi is not None and not DOI.fullmatch(doi):
        out.append(f"doi: found {doi[:80]!r}; expected a DOI such as 10.1111/puar.12765")
    return out


def tu_reference_keys(library: Library) -> dict[int, str]:
    """Map Tu (2022)'s reference numbers to citekeys, read from each entry's note."""
    found = {}
    for entry in library.entries:
        match = TU_REFERENCE.search(field_value(entry, "note") or "")
        if match:
            found[int(match.group(1))] = entry.key
    return found


def _plain(value: str | None) -> str:
    return re.sub(r"[{}]", "", value or "").replace("``", "\u201c").replace("''", "\u201d") \
        .replace("`", "\u2018").replace("--", "\u2013")


def plain_citation(entry: bibtexparser.model.Entry) -> str:
    """A short plain-text citation: authors (year). Title. Where. URL or DOI."""
    author = _plain(field_value(entry, "author") or field_value(entry, "editor") or "Anonymous")
    parts = [f"{author.replace(' and ', '; ')} ({field_value(entry, 'year') or 'n.d.'}). "
             f"{_plain(field_value(entry, 'title'))}."]
    where = next((field_value(entry, f) for f in ("journal", "booktitle", "howpublished",
                                                   "publisher", "institution")
                  if field_value(entry, f)), "")
    if where:
        parts.append(f"{_plain(where)}.")
    if field_value(entry, "doi"):
        parts.append(f"https://doi.org/{field_value(entry, 'doi')}")
    elif field_value(entry, "url"):
        parts.append(field_value(entry, "url"))
    return " ".join(parts)
