"""Source surveillance: which case pages listed by the searched collections are not yet in the
screening log. Pure: the listing pages' HTML is fetched by ``tools/surveillance.py`` (or read
from test fixtures), the log and the listings are read by :mod:`analysis.dataset.load`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from .policies import normalise_url, url_problem
from .screening import record_key


@dataclass(frozen=True)
class Candidate:
    """A case page a collection lists that the screening log does not hold yet."""

    collection: str
    url: str
    text: str


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[list[str]] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            self._open = [href, ""] if href else None
            if self._open:
                self.links.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None


def listed_pages(html: str, base_url: str, pattern: str) -> list[tuple[str, str]]:
    """The (address, link text) of every case page a listing page links to, in page order."""
    parser = _Links()
    parser.feed(html)
    matcher = re.compile(pattern)
    seen, out = set(), []
    for href, text in parser.links:
        url = urljoin(base_url, href.strip())
        if url_problem(url) or not matcher.match(url):
            continue
        key = normalise_url(url)
        if key not in seen:
            seen.add(key)
            out.append((url, " ".join(text.split())))
    return out


def screened_keys(searches: list[dict]) -> set[str]:
    """Every record the log holds, compared as normalised addresses."""
    return {key for search in searches for record in search.get("candidates", [])
            if (key := record_key(record))}


def unscreened(listing: dict, html: str, searches: list[dict]) -> list[Candidate]:
    """The pages a listing links to that no search in the log has screened."""
    known = screened_keys(searches)
    return [Candidate(listing["collection"], url, text)
            for url, text in listed_pages(html, listing["url"], listing["links"])
            if normalise_url(url) not in known]


def report(found: dict[str, list[Candidate]], unreadable: dict[str, str]) -> str:
    """The issue text: unscreened candidates per collection, and listings that could not be read."""
    lines = ["Pages listed by the searched collections that the screening log does not hold yet.",
             "Log each one in data/screening/ (a new search file, method: listing) with a decision.", ""]
    total = sum(len(v) for v in found.values())
    lines.append(f"**{total} unscreened candidate(s).**")
    for collection, candidates in found.items():
        if candidates:
            lines += ["", f"### {collection}", ""]
            lines += [f"- {c.url} — {c.text or 'no link text'}" for c in candidates]
    if unreadable:
        lines += ["", "### Listings that could not be read", ""]
        lines += [f"- {url}: {why}" for url, why in unreadable.items()]
    return "\n".join(lines) + "\n"
