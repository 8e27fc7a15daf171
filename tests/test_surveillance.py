"""Source surveillance: the weekly job lists exactly the case pages that the collections'
listing pages show and the screening log does not hold yet (against saved listing pages)."""
from __future__ import annotations

import subprocess
import sys

from analysis.dataset import load, surveillance
from analysis.dataset.policies import normalise_url

from .conftest import FIXTURES, ROOT

SAVED = FIXTURES / "surveillance"


def test_surveillance_lists_exactly_the_unscreened_pages():
    result = subprocess.run([sys.executable, "tools/surveillance.py", "--fixtures", str(SAVED)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    listed = {line.split(" — ")[0].removeprefix("- ") for line in result.stdout.splitlines()
              if line.startswith("- https://") and " — " in line}
    assert listed == {
        "https://www.govint.org/our-resources/case-studies/case-study/a-fixture-case-nobody-has-screened",
        "https://www.govint.org/our-resources/case-studies/case-study/another-unscreened-fixture-case",
        "https://oecd-opsi.org/innovations/fixture-unscreened-innovation/",
    }
    assert "**3 unscreened candidate(s).**" in result.stdout
    assert "Listings that could not be read" in result.stdout  # listings without a saved copy


def test_pages_already_in_the_log_are_not_listed_again():
    searches = load.check().parts["screening"]
    listing = {"collection": "GI", "url": "https://www.govint.org/our-resources/case-studies/",
               "links": r"^https://(www\.)?govint\.org/our-resources/case-studies/case-study/[a-z0-9-]+/?$"}
    html = (SAVED / "govint-case-studies.html").read_text(encoding="utf-8")
    pages = surveillance.listed_pages(html, listing["url"], listing["links"])
    assert len(pages) == 4  # the same page twice and a javascript: link are dropped
    new = surveillance.unscreened(listing, html, searches)
    assert [c.url for c in new] == [url for url, _ in pages[2:]]
    assert all(surveillance.screened_keys(searches) & {normalise_url(u)}
               for u, _ in pages[:2])
