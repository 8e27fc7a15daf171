"""Sphinx extension that keeps the book in step with ``data/`` and ``references.bib``.

- **Never stale.** jupyter-cache keys only on code cells (MyST-NB#299), so a new
  case file would leave old numbers in a cached build. Every page with code cells
  is made to depend on the data files (Sphinx re-reads it when they change), and a
  fingerprint of the data is written into its first code cell as a comment (so
  the execution cache misses exactly when the data changed).
- **One page per case**, generated from ``data/cases``: a stub ``book/cases/<id>.md``
  holding a ``case-page`` directive, which renders the case's coding as plain
  docutils text: contributed titles, summaries and notes are never parsed as
  HTML or MyST.
- **Offline tables.** The itables DataTables bundle is shipped once, as a static file.
"""
from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.errors import ExtensionError

from . import load, tables
from .references import entries_by_key, plain_citation
from .validate import InvalidData, checked_review

STUB_MARK = "<!-- generated from data/cases by analysis.sphinx_ext; do not edit -->"
CASE_PAGES = Path("book") / "cases"
WATCHED = ("data", "references.bib", "analysis")
_CACHE: dict = {}


def watched_files(root: Path) -> list[Path]:
    """Every file whose change must re-execute the chapters: data, bibliography, analysis code."""
    found = []
    for name in WATCHED:
        path = root / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(p for p in sorted(path.rglob("*"))
                         if p.is_file() and "__pycache__" not in p.parts)
    return found


def data_fingerprint(root: Path) -> str:
    """A short hash of every watched file and of the release history (tags, HEAD, dirty)."""
    digest = hashlib.sha256()
    digest.update(repr((load.build_state(root), load.release_tags(root))).encode())
    for path in watched_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_fingerprint() -> str:
    """The data fingerprint of this build, computed once per Sphinx process.

    Each ``jupyter-book build`` (and each rebuild of ``make serve``) is a new process, so the
    data cannot change under a cached value.
    """
    if "fingerprint" not in _CACHE:
        _CACHE["fingerprint"] = data_fingerprint(load.ROOT)
    return _CACHE["fingerprint"]


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


def review() -> load.Review:
    """The validated review for this build, read once per fingerprint."""
    key = build_fingerprint()
    if key not in _CACHE:
        try:
            _CACHE[key] = checked_review()
        except InvalidData as err:
            raise ExtensionError(f"{err}\nRun: python -m analysis validate") from None
    return _CACHE[key]


def added_dates() -> dict[str, str]:
    """The date each case was first committed, read from git once per data fingerprint."""
    key = ("added", build_fingerprint())
    if key not in _CACHE:
        _CACHE[key] = load.case_added_dates()
    return _CACHE[key]


def write_case_pages(app, config) -> None:
    """Write one stub page per case; remove stubs of cases that no longer exist."""
    folder = Path(app.srcdir) / CASE_PAGES
    folder.mkdir(parents=True, exist_ok=True)
    ids = {path.stem for path in load.case_paths()}
    for stale in folder.glob("*.md"):
        if stale.stem not in ids and stale.read_text(encoding="utf-8").startswith(STUB_MARK):
            stale.unlink()
    for case_id in sorted(ids):
        stub = folder / f"{case_id}.md"
        text = f"{STUB_MARK}\n\n```{{case-page}} {case_id}\n```\n"
        if not stub.exists() or stub.read_text(encoding="utf-8") != text:
            stub.write_text(text, encoding="utf-8")


def stage_static_files(app, config) -> None:
    """Ship the itables DataTables bundle once, under ``_static/itables/``."""
    import itables
    staged = Path(app.srcdir) / "_build" / "review_static"
    target = staged / "itables"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("dt_bundle.js", "dt_bundle.css"):
        shutil.copyfile(Path(itables.__file__).parent / "html" / name, target / name)
    config.html_static_path = [*config.html_static_path, str(staged)]


def make_kernels_import_analysis(app, config) -> None:
    """Let notebook kernels import this repository's ``analysis`` package."""
    paths = [str(Path(app.srcdir).resolve()), *filter(None, [os.environ.get("PYTHONPATH")])]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))


def depend_on_data(app, docname: str, source: list[str]) -> None:
    """Make pages with code cells depend on the data and fold its fingerprint into their code."""
    if not _CODE_CELL.search(source[0]):
        return
    root = Path(app.srcdir)
    for name in WATCHED:
        app.env.note_dependency(str(root / name))
    for path in watched_files(root):
        app.env.note_dependency(str(path))
    app.env.note_dependency(str(root / "data" / "cases"))
    source[0] = with_fingerprint(source[0], build_fingerprint())


def _table(header: list[str], rows: list[list[nodes.Node | str]], widths=None) -> nodes.table:
    """A docutils table; plain strings become text nodes (never parsed as markup)."""
    table = nodes.table(classes=["case-coding"])
    group = nodes.tgroup(cols=len(header))
    table += group
    for width in widths or [1] * len(header):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += nodes.row("", *[nodes.entry("", nodes.paragraph(text=h)) for h in header])
    body = nodes.tbody()
    group += body
    for row in rows:
        cells = []
        for cell in row:
            content = cell if isinstance(cell, nodes.Node) else nodes.paragraph(text=str(cell))
            cells.append(nodes.entry("", content))
        body += nodes.row("", *cells)
    return table


def _link(url: str, text: str) -> nodes.paragraph:
    return nodes.paragraph("", "", nodes.reference("", text, refuri=url))


def _section(title: str, ident: str, *children: nodes.Node) -> nodes.section:
    section = nodes.section(ids=[ident])
    section += nodes.title(text=title)
    section.extend(children)
    return section


class CasePage(Directive):
    """``case-page <id>``: the full coding of one case, rendered from its YAML file."""

    required_arguments = 1
    has_content = False
    option_spec: dict = {"noindex": directives.flag}

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        current = review()
        case_id = self.arguments[0]
        if case_id not in current.documents:
            raise self.error(f"case '{case_id}' is not in data/cases")
        case = current.documents[case_id]
        for name in (f"data/cases/{case_id}.yml", "data/codebook.yml", "references.bib"):
            env.note_dependency(str(load.ROOT / name))
        names = {v: tables.labels(current, v) for v in current.codebook}
        side = {c["code"]: c["side"] for c in current.codebook["factor"]["codes"]}
        citizen = {c["code"]: c["citizen"] for c in current.codebook["participant_group"]["codes"]}
        participants = ", ".join(names["participant_group"][p]
                                 + ("" if citizen[p] else " (not citizens)")
                                 for p in case["participants"])
        facts = [
            ["Country", tables.country_name(case["country"])],
            ["Place", case["place"]],
            ["Sector", names["sector"][case["sector"]]],
            ["Year documented", case["year_documented"]],
            ["Year started", case.get("year_started") or "not stated"],
            ["Lead organisations", "; ".join(case["lead_organisations"])],
            ["Participants", participants],
            ["Level of coproduction", ", ".join(names["coproduction_level"][x]
                                                for x in case["coproduction_levels"])],
            ["Cited by Tu (2022)", f"reference {case['tu2022_reference']}"
             if case.get("tu2022_reference") else "no"],
            ["Coded by", f"{case['coding']['coder']} on {case['coding']['date']}"],
            ["Added to the review", added_dates().get(case_id, "not yet committed")],
        ]
        page = nodes.section(ids=[f"case-{case_id}"])
        page += nodes.title(text=case["title"])
        page += nodes.paragraph(text=case["summary"].strip(), classes=["case-summary"])
        if not any(citizen[p] for p in case["participants"]):
            page += nodes.paragraph(
                text="The participants in this case are public-sector staff, not citizens: "
                     "the chapters count it among the cases but leave it out of citizen roles "
                     "and the model.", classes=["case-caveat"])
        page += _table(["Field", "Value"], facts, [1, 3])

        def where(value: dict) -> nodes.Node:
            return _link(value["locator"]["url"], value["locator"]["section"])

        page += _section("Citizen roles", f"roles-{case_id}", _table(
            ["Role", "Basis", "Evidence note", "Where"],
            [[names["role"][v["code"]], v["basis"], v["note"], where(v)] for v in case["roles"]],
            [2, 1, 5, 2]))
        page += _section("Critical factors", f"factors-{case_id}", _table(
            ["Factor", "Side", "Direction", "Basis", "Evidence note", "Where"],
            [[names["factor"][v["code"]],
              names["factor_side"][side[v["code"]]],
              v["direction"], v["basis"], v["note"], where(v)] for v in case["factors"]],
            [2, 1, 1, 1, 5, 2]))
        page += _section("Outcomes", f"outcomes-{case_id}", _table(
            ["Outcome", "Evidence type", "Basis", "Evidence note", "Where"],
            [[names["outcome"][v["code"]], names["evidence_type"][v["evidence"]], v["basis"],
              v["note"], where(v)] for v in case["outcomes"]],
            [2, 1, 1, 5, 2]))
        bib = entries_by_key(current.references)
        sources = nodes.bullet_list()
        for source in case["sources"]:
            sources += nodes.list_item("", nodes.paragraph(text=plain_citation(bib[source["citekey"]])))
        page += _section("Sources", f"sources-{case_id}", sources)
        page += _section("How to cite this case", f"cite-{case_id}", nodes.paragraph(
            text=f"Coproduction Living Review contributors. Case '{case_id}': {case['title']}. "
                 f"Coded by {case['coding']['coder']} on {case['coding']['date']}. "
                 f"Data file data/cases/{case_id}.yml."))
        return [page]


VENDOR = ("vega@", "vega-lite@", "vega-embed@")


def add_vendored_scripts(app, pagename, templatename, context, doctree) -> None:
    """Load the vendored Vega, Vega-Lite and Vega-Embed builds, in that order, on the pages
    that draw a chart (about 0.8 MB that case pages and the references need not load)."""
    if "review-chart-canvas" not in context.get("body", ""):
        return
    folder = Path(app.srcdir) / "book" / "_static" / "vendor"
    for prefix in VENDOR:
        for script in sorted(folder.glob(f"{prefix}*.min.js")):
            app.add_js_file(f"vendor/{script.name}")


CDN_HOSTS = ("unpkg.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com")


def drop_cdn_scripts(app, pagename, templatename, context, doctree) -> None:
    """Remove scripts that name a CDN (sphinx-thebe's unused loader URL): the site is offline."""
    def offline(script) -> bool:
        text = f"{getattr(script, 'filename', script)} {getattr(script, 'attributes', {}).get('body', '')}"
        return not any(host in text for host in CDN_HOSTS)
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if offline(s)]


def escape_print_title(app, pagename, templatename, context, doctree) -> None:
    """sphinx-book-theme puts the raw page title into its print header unescaped; escape it,
    since case titles come from contributors."""
    if isinstance(context.get("pagetitle"), str):
        context["pagetitle"] = html.escape(context["pagetitle"])


def publish_version_and_downloads(app, config) -> None:
    """Put 'Version X, date, N cases' in every page's footer and write this version's downloads."""
    import datetime as dt

    from . import downloads, history
    current = review()
    record = history.release_record(load.build_state(), load.release_tags(),
                                    dt.date.today().isoformat())
    label, date = record["label"], record["date"]
    line = history.version_line(record, len(current.cases))
    config.html_theme_options["extra_footer"] = f'<p class="review-version">{html.escape(line)}</p>'
    staged = Path(app.srcdir) / "_build" / "review_extra" / "downloads"
    staged.mkdir(parents=True, exist_ok=True)
    files = downloads.package_files(
        current, load.CODEBOOK_PATH.read_text(encoding="utf-8"),
        load.REFERENCES_PATH.read_text(encoding="utf-8"), label, date, added_dates())
    for name, content in files.items():
        target = staged / name
        if not target.exists() or target.read_bytes() != content:
            target.write_bytes(content)
    config.html_extra_path = [*config.html_extra_path, str(staged.parent)]


def setup(app):
    app.connect("config-inited", publish_version_and_downloads, priority=600)
    app.connect("html-page-context", drop_cdn_scripts)
    app.connect("html-page-context", escape_print_title, priority=900)
    app.connect("html-page-context", add_vendored_scripts, priority=400)
    app.connect("config-inited", write_case_pages, priority=100)
    app.connect("config-inited", stage_static_files)
    app.connect("config-inited", make_kernels_import_analysis)
    app.connect("source-read", depend_on_data)
    app.add_directive("case-page", CasePage)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
