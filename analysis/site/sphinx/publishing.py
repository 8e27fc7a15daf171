"""What a build publishes besides its pages: the downloads of this version, the version line
(read by every page from one small script, so pages need not be rewritten when only the
version changes), and the data files the case browser and the evidence map load."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ...dataset import load
from .. import downloads, releases
from ..case_browser import browser_data, gap_map_data

STAGED = "review_extra"


def _write(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_bytes() != content:
        target.write_bytes(content)


def _script(variable: str, data: object) -> bytes:
    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")
    return f"window.{variable} = {payload};\n".encode("ascii")


def publish(app, config) -> None:
    """Stage the downloads, the version script and the data files into the built site."""
    review = app.review
    history = review.history
    history.state.setdefault("today", dt.date.today().isoformat())
    release = releases.current_release(history)
    line = releases.version_line(history, len(review.cases))
    staged = Path(app.outdir).parent / STAGED
    texts = load.source_texts()
    files = downloads.package_files(review, texts["codebook"], texts["references"],
                                    release["label"], release["date"], history.added_dates)
    for name, content in files.items():
        _write(staged / "downloads" / name, content)
    _write(staged / "_static" / "review-version.js", _script("reviewVersion", line))
    _write(staged / "_static" / "data" / "case-browser-data.js",
           _script("reviewCases", browser_data(review)))
    _write(staged / "_static" / "data" / "gap-map-data.js",
           _script("reviewGapMap", gap_map_data(review)))
    config.html_extra_path = [*config.html_extra_path, str(staged)]
    licence = review.project.get("data_licence") or "CC-BY-4.0"
    code = review.project.get("code_licence") or "MIT"
    config.html_theme_options["extra_footer"] = (
        '<p class="review-version" id="review-version">This review is versioned: the '
        "introduction names the version.</p>"
        f'<p class="review-licence">Data and text: {licence}; code: {code}. '
        "See the protocol for authorship, funding and use of AI assistance.</p>")
