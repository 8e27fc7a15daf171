"""Never stale, parse once: every page with code cells depends on the data, carries the
data's fingerprint in its first code cell (so the execution cache misses exactly when the
data changed, MyST-NB#299), and its kernel loads the review snapshot this build wrote."""
from __future__ import annotations

import os
import re
from pathlib import Path

from ...dataset import load

_CODE_CELL = re.compile(r"^(```+|~~~+)\{code-cell\}[^\n]*\n", re.M)


def with_fingerprint(source: str, fingerprint: str) -> str:
    """Insert ``# review data: <fingerprint>`` as the first line of the first code cell."""
    match = _CODE_CELL.search(source)
    if not match:
        return source
    position = match.end()
    rest = source[position:]
    if rest.startswith("---\n"):
        close = rest.find("\n---\n", 3)
        position += close + 5 if close >= 0 else 0
    else:
        while source[position:].startswith(":"):
            position = source.index("\n", position) + 1
    return f"{source[:position]}# review data: {fingerprint}\n{source[position:]}"


def open_review_once(app, config) -> None:
    """Read and check the data once for the whole build; kernels load the snapshot."""
    from sphinx.errors import ExtensionError
    try:
        review = load.open_review(use_snapshot=False)
    except load.InvalidData as err:
        raise ExtensionError(str(err)) from None
    app.review = review
    marker = fingerprint_file(app)
    marker.parent.mkdir(parents=True, exist_ok=True)
    if not marker.exists() or marker.read_text() != review.fingerprint:
        marker.write_text(review.fingerprint)  # its new mtime marks every chapter outdated
    path = load.write_snapshot(review)
    if path is not None:
        os.environ[load.SNAPSHOT_VARIABLE] = str(path)
    paths = [str(Path(app.srcdir).resolve()), *filter(None, [os.environ.get("PYTHONPATH")])]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))


def fingerprint_file(app) -> Path:
    """A file holding the data's fingerprint, rewritten only when the data changed."""
    return Path(app.outdir).parent / ".cache" / "data-fingerprint.txt"


def depend_on_data(app, docname: str, source: list[str]) -> None:
    """Make pages with code cells depend on the data (through one fingerprint file, so the
    cost does not grow with the number of cases) and fold the fingerprint into their code."""
    if not _CODE_CELL.search(source[0]):
        return
    app.env.note_dependency(str(fingerprint_file(app)))
    source[0] = with_fingerprint(source[0], app.review.fingerprint)
