"""Source surveillance: list the case pages that the searched collections now show and the
screening log does not hold yet. Run weekly by .github/workflows/weekly.yml, which puts the
report into one GitHub issue.

  .venv/bin/python tools/surveillance.py [--output report.md] [--fixtures DIR]

--fixtures DIR reads each listing page from a saved copy named in DIR/index.yml instead of
the web (the tests use it). Listing pages are data/surveillance.yml.
"""
from __future__ import annotations

import argparse
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.dataset import load, surveillance  # noqa: E402


def fetch(url: str, fixtures: Path | None) -> str:
    if fixtures is not None:
        index = load.read_data_file(fixtures / "index.yml").data or {}
        if url not in index:
            raise FileNotFoundError("no saved copy")
        return (fixtures / index[url]).read_text(encoding="utf-8")
    request = urllib.request.Request(url, headers={"User-Agent": "coproduction-living-review-surveillance"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (http(s) only, from our config)
        return response.read(5_000_000).decode("utf-8", errors="replace")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path)
    parser.add_argument("--fixtures", type=Path)
    args = parser.parse_args()
    checked = load.check()
    listings = (checked.parts.get("surveillance") or {}).get("listings", [])
    searches = checked.parts.get("screening", [])
    found: dict[str, list] = {}
    unreadable: dict[str, str] = {}
    for listing in listings:
        try:
            html = fetch(listing["url"], args.fixtures)
        except Exception as error:  # network or server trouble: reported, not fatal
            unreadable[listing["url"]] = f"{type(error).__name__}: {error}"[:200]
            continue
        found.setdefault(listing["collection"], []).extend(
            surveillance.unscreened(listing, html, searches))
    text = surveillance.report(found, unreadable)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
