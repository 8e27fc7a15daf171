"""Check the links of the built site.

  python tools/check_links.py internal _build/html
      every relative link and #anchor in every page resolves; exit 1 listing each broken one.
  python tools/check_links.py external _build/linkcheck/output.json
      summarise Sphinx's linkcheck result for external links as Markdown (for an issue);
      always exit 0: an external site being down must not fail the build.
  python tools/check_links.py sources
      request every case's source page and list, as Markdown, the ones that went away (with
      the case, the date it was read and its archived copy, if any); always exit 0.
"""
from __future__ import annotations

import json
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and tag in {"a", "link", "script", "img"}:
                self.links.append(attrs[key])


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def broken_internal_links(site: Path) -> list[str]:
    """Relative links (and their #anchors) that point at nothing, as 'page: link' lines."""
    pages = {path: parse(path) for path in site.rglob("*.html")
             if not {"_static", "_sources"} & set(path.relative_to(site).parts)}
    broken = []
    for page, parsed in sorted(pages.items()):
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {link} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                ids = pages.get(target, parse(target)).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {link} (no such anchor)")
    return broken


def external_report(output_json: Path) -> tuple[int, str]:
    """Broken external links from Sphinx linkcheck's output.json, as a count and Markdown."""
    rows = [json.loads(line) for line in output_json.read_text(encoding="utf-8").splitlines() if line.strip()]
    bad = [r for r in rows if r.get("status") in {"broken", "timeout"}]
    lines = [f"- `{r['uri']}` in `{r['filename']}`: {r['status']} {r.get('info', '')}".rstrip()
             for r in bad]
    return len(bad), "\n".join(lines) or "All external links answered."


def gone_sources(timeout: int = 20) -> list[str]:
    """Case source pages that no longer answer, as Markdown lines naming the case."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from analysis.dataset import load
    sources = [(case.data["id"], source) for case in load.check().cases
               for source in case.data["sources"]]

    def status(url: str) -> str | None:
        request = urllib.request.Request(url, headers={"User-Agent": "coproduction-living-review-links"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return None if response.status < 400 else f"HTTP {response.status}"
        except Exception as error:  # every failure is reported, none is fatal
            return f"{type(error).__name__}: {error}"[:120]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda item: status(item[1]["url"]), sources))
    return [f"- `{source['url']}` (case `{case_id}`, read {source['read_on']}"
            + (f", archived copy: {source['archived_url']}" if source.get("archived_url") else
               ", no archived copy recorded") + f"): {why}"
            for (case_id, source), why in zip(sources, results) if why]


def main(argv: list[str]) -> int:
    if argv == ["sources"]:
        lines = gone_sources()
        print("\n".join(lines) or "Every case source answered.")
        return 0
    if len(argv) != 2 or argv[0] not in {"internal", "external"}:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "internal":
        broken = broken_internal_links(Path(argv[1]))
        for line in broken:
            print(line)
        print(f"{len(broken)} broken internal link(s)")
        return 1 if broken else 0
    count, text = external_report(Path(argv[1]))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
