"""Bibliography helpers: checks on ``references.bib`` and plain-text citations.

Parsing is done by bibtexparser v2 (in :mod:`analysis.load`); this module only
inspects the parsed library.
"""
from __future__ import annotations

import re

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock

REQUIRED_FIELDS = {
    "article": ["author", "title", "journal", "year"],
    "book": ["title", "publisher", "year"],
    "incollection": ["author", "title", "booktitle", "publisher", "year"],
    "inproceedings": ["author", "title", "booktitle", "year"],
    "techreport": ["author", "title", "institution", "year"],
    "misc": ["title", "year"],
    "online": ["title", "year", "url"],
}
TU_REFERENCE = re.compile(r"Tu \(2022\) reference (\d+)")


def entries_by_key(library: bibtexparser.Library) -> dict[str, bibtexparser.model.Entry]:
    """Entries keyed by citekey."""
    return {entry.key: entry for entry in library.entries}


def field_value(entry: bibtexparser.model.Entry, name: str) -> str | None:
    """A field's value with outer braces removed, or None when the entry lacks it."""
    found = entry.fields_dict.get(name)
    if found is None:
        return None
    return str(found.value).strip().removeprefix("{").removesuffix("}").strip()


def bibliography_problems(library: bibtexparser.Library) -> list[tuple[str, str]]:
    """Problems in the bibliography as ``(citekey or block, message)`` pairs.

    Reports blocks bibtexparser could not parse, duplicate keys, unknown entry
    types, and required fields missing for the entry's type.
    """
    problems = []
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            problems.append((block.key, f"citekey '{block.key}' is defined twice "
                                        f"(line {block.start_line + 1}); keep one"))
        else:
            problems.append((f"line {block.start_line + 1}",
                             f"cannot parse this BibTeX block: {block.error}"))
    for entry in library.entries:
        kind = entry.entry_type.lower()
        if kind not in REQUIRED_FIELDS:
            problems.append((entry.key, f"entry type '@{kind}' is not used here; allowed: "
                                        + ", ".join("@" + k for k in REQUIRED_FIELDS)))
            continue
        if kind == "book" and not ({"author", "editor"} & set(entry.fields_dict)):
            problems.append((entry.key, "@book needs an author or an editor"))
        for name in REQUIRED_FIELDS[kind]:
            if not field_value(entry, name):
                problems.append((entry.key, f"@{kind} needs the field '{name}'"))
    return problems


def tu_reference_keys(library: bibtexparser.Library) -> dict[int, str]:
    """Map Tu (2022)'s reference numbers to citekeys, read from each entry's note."""
    found = {}
    for entry in library.entries:
        match = TU_REFERENCE.search(field_value(entry, "note") or "")
        if match:
            found[int(match.group(1))] = entry.key
    return found


def plain_citation(entry: bibtexparser.model.Entry) -> str:
    """A short plain-text citation: authors (year). Title. Where. URL or DOI."""
    author = (field_value(entry, "author") or field_value(entry, "editor") or "Anonymous")
    author = re.sub(r"[{}]", "", author).replace(" and ", "; ")
    title = re.sub(r"[{}]", "", field_value(entry, "title") or "")
    where = next((field_value(entry, f) for f in ("journal", "booktitle", "howpublished",
                                                   "publisher", "institution")
                  if field_value(entry, f)), "")
    parts = [f"{author} ({field_value(entry, 'year') or 'n.d.'}). {title}."]
    if where:
        parts.append(f"{re.sub(r'[{}]', '', where)}.")
    if field_value(entry, "doi"):
        parts.append(f"https://doi.org/{field_value(entry, 'doi')}")
    elif field_value(entry, "url"):
        parts.append(field_value(entry, "url"))
    return " ".join(parts)
