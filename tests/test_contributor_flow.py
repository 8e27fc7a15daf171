"""What contributors and CI rely on: workflows, templates, link checks, make targets."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
sys.path.insert(0, str(ROOT / "tools"))
import check_links  # noqa: E402


def workflow(name: str) -> dict:
    data = yaml.load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"),
                     Loader=yaml.BaseLoader)  # BaseLoader: keeps the key 'on' as text
    return data


def test_actionlint_passes_on_every_workflow():
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    assert actionlint, "actionlint is installed with requirements.txt"
    result = subprocess.run([actionlint, *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(WORKFLOWS) == 3


def test_triggers_of_each_workflow():
    assert set(workflow("pull-request.yml")["on"]) == {"pull_request"}
    publish = workflow("publish.yml")["on"]
    assert publish["push"]["branches"] == ["main"] and "workflow_dispatch" in publish
    weekly = workflow("weekly.yml")["on"]
    assert weekly["schedule"][0]["cron"] and "workflow_dispatch" in weekly
    for path in WORKFLOWS:
        assert "pull_request_target" not in path.read_text(encoding="utf-8"), path.name


def test_permissions_are_least_privilege():
    for path in WORKFLOWS:
        data = workflow(path.name)
        assert data["permissions"] == {"contents": "read"}, path.name
        for name, job in data["jobs"].items():
            extra = {k: v for k, v in job.get("permissions", {}).items() if v == "write"}
            allowed = {"publish.yml": {"pages", "id-token"}, "weekly.yml": {"issues"}}.get(path.name, set())
            assert set(extra) <= allowed, (path.name, name, extra)
    deploy = workflow("publish.yml")["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow("publish.yml")["concurrency"]["group"] == "pages"


def test_every_shell_step_runs_with_errexit_and_pipefail():
    for path in WORKFLOWS:
        for name, job in workflow(path.name)["jobs"].items():
            for step in job.get("steps", []):
                if "run" in step:
                    assert step["run"].lstrip().startswith("set -euo pipefail"), (path.name, step.get("name"))


def test_pull_request_check_validates_tests_builds_and_uploads_a_preview():
    steps = workflow("pull-request.yml")["jobs"]["check"]["steps"]
    text = "\n".join(s.get("run", "") + s.get("uses", "") for s in steps)
    assert "analysis validate --format github" in text
    assert "make test" in text and "make book" in text
    assert "actions/upload-artifact" in text and "actions/cache" in text
    publish = workflow("publish.yml")["jobs"]
    assert any("upload-pages-artifact" in s.get("uses", "") for s in publish["build"]["steps"])
    assert any("deploy-pages" in s.get("uses", "") for s in publish["deploy"]["steps"])


def test_case_proposal_form_requires_title_source_and_roles():
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "propose-a-case.yml").read_text())
    required = {item["id"] for item in form["body"]
                if item.get("validations", {}).get("required")}
    assert {"title", "source", "country", "roles", "why"} <= required
    template = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert template.count("- [ ]") >= 5 and "python -m analysis validate" in template
    owners = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert re.search(r"^/data/\s+@", owners, re.M) and "codebook.yml" in owners


def test_contributing_recipe_names_the_real_commands():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    steps = re.findall(r"^(\d)\. \*\*", text, re.M)
    assert steps == [str(i) for i in range(1, 8)]
    for command in ("make book", "python -m analysis new-case", "python -m analysis validate"):
        assert command in text
    assert "## Scope: what counts" in text


def test_internal_link_checker_finds_a_broken_link_and_anchor(tmp_path):
    (tmp_path / "a.html").write_text('<a href="b.html#here">b</a><a href="c.html">c</a>'
                                     '<a href="b.html#nowhere">x</a><a href="https://x.org">e</a>')
    (tmp_path / "b.html").write_text('<h1 id="here">B</h1>')
    assert check_links.broken_internal_links(tmp_path) == [
        "a.html: c.html (no such file)", "a.html: b.html#nowhere (no such anchor)"]


@pytest.mark.build
def test_built_site_has_no_broken_internal_links(built_book):
    assert check_links.broken_internal_links(built_book / "_build" / "html") == []


def test_make_help_lists_every_target():
    result = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z-]+):.*## ", makefile, re.M)
    assert {"book", "test", "validate", "serve", "help"} <= set(targets)
    for target in targets:
        assert f"make {target}" in result.stdout
