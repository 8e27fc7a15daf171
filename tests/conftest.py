"""Shared fixtures: the repository root, copies of it, one built book, and a browser."""
from __future__ import annotations

import functools
import http.server
import os
import re
import threading
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FIXTURES = ROOT / "tests" / "fixtures"
NEW_CASE = FIXTURES / "new_case" / "fixture-new-case.yml"
NEW_CASE_SEARCH = FIXTURES / "new_case" / "fixture-new-case.screening.yml"
IGNORED = shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", ".pytest_cache",
                                 "vendor-build")


def copy_repository(target: Path) -> Path:
    """Copy the working tree (data, book, analysis, config) without builds, git or the venv."""
    shutil.copytree(ROOT, target, ignore=IGNORED)
    return target


def add_fixture_case(repo: Path, case_id: str = "fixture-new-case") -> None:
    """Add the fixture case and the search that found it to a copy of the repository."""
    text = NEW_CASE.read_text(encoding="utf-8").replace("fixture-new-case", case_id)
    (repo / "data" / "cases" / f"{case_id}.yml").write_text(text, encoding="utf-8")
    search = NEW_CASE_SEARCH.read_text(encoding="utf-8").replace("fixture-new-case", case_id)
    (repo / "data" / "screening" / f"{case_id}.yml").write_text(search, encoding="utf-8")


def run(repo: Path, *command: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(list(command), cwd=repo, capture_output=True, text=True, timeout=timeout)


def build_book(repo: Path) -> subprocess.CompletedProcess:
    """Run the strict Jupyter Book build in ``repo``; fail the test with the log if it fails."""
    result = run(repo, str(BIN / "jupyter-book"), "build", str(repo), "-W", "-n", "--keep-going")
    if result.returncode != 0:
        pytest.fail(f"book build failed in {repo}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env=env).stdout


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """A clone of the repository (with its history) with the book built into _build/html."""
    repo = tmp_path_factory.mktemp("built") / "repo"
    clone_with_work(repo)
    build_book(repo)
    return repo


def clone_with_work(repo: Path) -> Path:
    """A clone of this repository's history, with the working tree's current files on top
    (so tests see uncommitted work too), as a reader's fresh clone would be after a commit."""
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(repo)], check=True)
    for path in repo.iterdir():
        if path.name != ".git":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    shutil.copytree(ROOT, repo, ignore=IGNORED, dirs_exist_ok=True)
    return repo


def browser_required() -> bool:
    """In CI (CI=true) a missing browser fails the browser tests instead of skipping them."""
    return os.environ.get("CI", "").lower() == "true"


HOSTILE_TITLE = '<img src=x onerror="window.hacked=1"> Fixture repair cafe'
HOSTILE_BIB = """
@misc{hostile2026,
  author = {Mallory, M.},
  title = {{<img src=x onerror="window.hacked=1"> A hostile reference}},
  howpublished = {Example},
  year = {2026},
  url = {https://example.org/hostile}
}
"""


def pasted(html: str, before: str, after: str) -> str:
    """The glued value between two pieces of the surrounding prose."""
    match = re.search(re.escape(before) + r'\s*(?:<[^>]+>\s*)*<span class="pasted-text">([^<]+)</span>'
                      r'(?:\s*</?[^>]+>)*\s*' + re.escape(after), html)
    assert match, f"no figure between {before!r} and {after!r}"
    return match.group(1)


def built_page(repo: Path, name: str) -> str:
    return (repo / "_build" / "html" / "book" / f"{name}.html").read_text(encoding="utf-8")



def citizen_n(html: str) -> int:
    """The number of citizen cases a citizen chapter states at its top."""
    match = re.search(r"This chapter counts the <strong>(\d+) citizen cases</strong>", html)
    assert match, "the chapter does not state its population"
    return int(match.group(1))


def load_escape(text: str) -> str:
    import html
    return html.escape(text, quote=True)


@pytest.fixture(scope="session")
def hostile_book(tmp_path_factory) -> dict:
    """A copy of the repository with no git history (an archive), built three times: as is,
    again with nothing changed, then with a case (hostile title) and a hostile reference."""
    repo = copy_repository(tmp_path_factory.mktemp("archive") / "repo")
    first = build_book(repo)
    folder = repo / "_build" / "html" / "book" / "cases"
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.html")}
    counts = {"cases": int(pasted(built_page(repo, "intro"), "The dataset holds", "cases")),
              "citizen": citizen_n(built_page(repo, "roles"))}
    unchanged = build_book(repo)
    after_nothing = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.html")}
    add_fixture_case(repo)
    case = repo / "data" / "cases" / "fixture-new-case.yml"
    case.write_text(case.read_text(encoding="utf-8").replace(
        'title: "Fixture: residents run a repair cafe with the council"', f"title: '{HOSTILE_TITLE}'"),
        encoding="utf-8")
    with open(repo / "references.bib", "a", encoding="utf-8") as bib:
        bib.write(HOSTILE_BIB)
    changed = build_book(repo)
    after_case = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.html")}
    return {"repo": repo, "first": first, "unchanged": unchanged, "changed": changed,
            "before": before, "after_nothing": after_nothing, "after_case": after_case,
            "counts": counts}




# ---- The built site in Chromium (Playwright), served on 127.0.0.1 only ----

CHROMIUM = Path("/usr/bin/chromium")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root: Path):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def site(built_book):
    server, url = serve(built_book / "_build" / "html")
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not installed (apt-get install chromium)"
        if browser_required():
            pytest.fail(message + "; CI requires the browser tests")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


def new_page(browser, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    tab.errors, tab.outside, tab.failed = [], [], []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("request", lambda request: tab.outside.append(request.url)
           if not request.url.startswith(("http://127.0.0.1", "data:", "blob:", "file:")) else None)
    tab.on("response", lambda response: tab.failed.append(response.url)
           if response.status >= 400 else None)
    return tab


def wait_for_charts(tab) -> int:
    charts = tab.locator(".review-chart-canvas")
    for i in range(charts.count()):
        charts.nth(i).locator("svg").first.wait_for(state="attached", timeout=20000)
    return charts.count()


