"""Shared fixtures: the repository root, a built copy of the book, and a browser."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
IGNORED = shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", ".pytest_cache",
                                 "book/cases/*.md")


def copy_repository(target: Path) -> Path:
    """Copy the working tree (data, book, analysis, config) without builds or the venv."""
    shutil.copytree(ROOT, target, ignore=IGNORED)
    for stub in (target / "book" / "cases").glob("*.md"):
        stub.unlink()
    return target


def build_book(repo: Path) -> subprocess.CompletedProcess:
    """Run the strict Jupyter Book build in ``repo``; fail the test with the log if it fails."""
    result = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(repo), "-W", "-n", "--keep-going"],
        cwd=repo, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        pytest.fail(f"book build failed in {repo}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """A copy of the repository with the book built into its ``_build/html``."""
    repo = copy_repository(tmp_path_factory.mktemp("built") / "repo")
    build_book(repo)
    return repo


def browser_required() -> bool:
    """In CI (CI=true) a missing browser fails the browser tests instead of skipping them."""
    return os.environ.get("CI", "").lower() == "true"
