"""Benchmark: how long does the test suite take, and where does the time go?

The suite's aim is 100 s on a 2-core machine. It is measured here, never asserted in a test.
In one run, on the repository as it is:
  build     one clean build of the book in a scratch copy (the baseline the ratio uses);
  suite     the whole test suite (`pytest`), with each test file's share from pytest's
            JUnit report (a test's time includes the fixtures it sets up, such as a build).
Writes benchmarks/suite.md with the machine and date.

  .venv/bin/python tools/benchmark_suite.py
"""
from __future__ import annotations

import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
AIM_SECONDS = 100
IGNORED = shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", ".pytest_cache")


def clean_build() -> float:
    with tempfile.TemporaryDirectory() as scratch:
        repo = Path(scratch) / "repo"
        shutil.copytree(ROOT, repo, ignore=IGNORED)
        start = time.perf_counter()
        subprocess.run([str(BIN / "jupyter-book"), "build", str(repo), "-W", "-n", "--keep-going"],
                       cwd=repo, check=True, capture_output=True)
        return time.perf_counter() - start


def suite() -> tuple[float, dict[str, float], dict[str, int], str]:
    """Wall time, seconds and tests per test file, and pytest's last line."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "junit.xml"
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               f"--junitxml={report}", "-o", "junit_duration_report=total"],
                              cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - start
        seconds: dict[str, float] = defaultdict(float)
        tests: dict[str, int] = defaultdict(int)
        for case in ElementTree.parse(report).getroot().iter("testcase"):
            module = case.get("classname", "").split(".")[1] if "." in case.get("classname", "") else "?"
            seconds[module] += float(case.get("time", 0))
            tests[module] += 1
    last = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
    return wall, dict(seconds), dict(tests), last


def main() -> None:
    build = clean_build()
    wall, seconds, tests, last = suite()
    rows = "\n".join(f"| {module} | {tests[module]} | {seconds[module]:.0f} s | {round(100 * seconds[module] / wall)} % |"
                     for module in sorted(seconds, key=seconds.get, reverse=True))
    verdict = ("met" if wall <= AIM_SECONDS else
               f"missed by {wall - AIM_SECONDS:.0f} s ({wall / AIM_SECONDS:.1f} × the aim)")
    text = f"""# Test-suite benchmark

Measured on {datetime.date.today().isoformat()} by `make benchmark-suite` ({platform.node() or 'machine'}: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}). One run; the suite is measured, never asserted.

- Whole suite: **{wall:.0f} s** wall ({last}); aim ≤ {AIM_SECONDS} s — {verdict}.
- One clean build of the book in the same run: {build:.0f} s, so the suite costs {wall / build:.1f} clean builds.

Where the time goes (a test file's time includes the fixtures its tests set up, such as the
builds and the browser; the hostile corpus runs each input in its own process):

| test file | tests | time | share of wall time |
|---|---|---|---|
{rows}
"""
    (ROOT / "benchmarks" / "suite.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
