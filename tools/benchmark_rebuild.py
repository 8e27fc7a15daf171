"""Benchmark: how much faster is a rebuild than a full build?

Runs, in a scratch copy of the repository, REPEAT times each:
  full      a build from nothing (no _build, no execution cache): the baseline;
  no-change a rebuild with nothing changed;
  new-case  a rebuild after adding one valid case file (chapters must re-execute).
Prints each run's seconds and the median ratio of each kind to the full build measured in
the same run, so the figures compare across machines.

  .venv/bin/python tools/benchmark_rebuild.py [REPEAT]
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEW_CASE = ROOT / "tests" / "fixtures" / "new_case" / "fixture-new-case.yml"
NEW_CASE_SEARCH = ROOT / "tests" / "fixtures" / "new_case" / "fixture-new-case.screening.yml"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"


def build(repo: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(JUPYTER_BOOK), "build", str(repo), "-W", "-n", "--keep-going"],
                   cwd=repo, check=True, capture_output=True)
    return time.perf_counter() - start


def main(repeat: int) -> None:
    times: dict[str, list[float]] = {"full": [], "no-change": [], "new-case": []}
    for run in range(repeat):
        with tempfile.TemporaryDirectory() as scratch:
            repo = Path(scratch) / "repo"
            shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(
                ".venv", "_build", ".git", "__pycache__", ".pytest_cache"))
            times["full"].append(build(repo))
            times["no-change"].append(build(repo))
            shutil.copy(NEW_CASE, repo / "data" / "cases" / NEW_CASE.name)
            shutil.copy(NEW_CASE_SEARCH, repo / "data" / "screening" / "fixture-new-case.yml")
            times["new-case"].append(build(repo))
        print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in times.items()))
    full = statistics.median(times["full"])
    for kind, values in times.items():
        ratios = [v / f for v, f in zip(values, times["full"])]
        print(f"{kind:>9}: median {statistics.median(values):6.1f} s, "
              f"ratio to full build {statistics.median(ratios):.2f}")
    print(f"(median full build {full:.1f} s over {repeat} runs)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
