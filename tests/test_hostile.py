"""Hostile and careless contributions: a corpus of bad inputs, each refused cleanly.

Each entry copies the repository's ``data/``, ``analysis/`` and ``references.bib`` into a
temporary git checkout, injects ONE bad input there (a case file, a bibliography entry, a
``new-case`` id, a file-system oddity...), and runs ``python -m analysis validate`` (or
``new-case``) in that copy, in a subprocess limited to 500 MB of address space and 5 s of
processor time (measured as CPU time, so that other work on a shared machine cannot make a
fast run look slow; a wall-clock limit of 60 s catches a process that hangs without
computing, e.g. on a pipe). Every entry must:

- exit with code 1;
- name the file and the field in the output (``file: field: ...``), each problem on a line;
- print no Python traceback;
- leave every file as it was (``git status --porcelain`` and the hashes of every file
  outside ``_build/``, where the check cache may be written).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MEMORY = 500 * 2 ** 20
CPU_SECONDS = 5
WALL_SECONDS = 60
CASE = "data/cases/canakkale-participatory-budgeting.yml"
CHECKS = "data/checks/canakkale-participatory-budgeting.yml"
SECOND = "data/reliability/canakkale-participatory-budgeting.yml"
SOURCE_0 = ("https://www.govint.org/our-resources/case-studies/case-study/from-participatory-"
            "budgeting-to-community-led-services-the-co-production-journey-of-canakkale-in-turkey")
SOURCE_1 = ("https://www.govint.org/good-practice/case-studies/the-co-production-journey-of-"
            "canakkale-in-turkey/")
SCREENED = "data/screening/academic-bangalore-report-card-2026-11-30.yml"  # candidates[1] excluded
SCREENED_URL = "https://www.heritagebeku.com/single-post/karnataka-admin-reforms-karc2-you"
LINE = r"line \d+"
LOCATOR = r"(roles|factors|outcomes)\[\d+\]\.locator\.url: "  # the first value read on that page


# ---- Running the command in a copy ----

def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.org",
                           "-c", "core.quotepath=on", *args], cwd=repo, check=True,
                          capture_output=True, text=True).stdout


def run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m analysis ARGS`` in the copy, within the limits; ``cpu`` is the seconds of
    processor time it used."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "COPRODUCTION_REVIEW_SNAPSHOT")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, "-m", "analysis", *args], cwd=repo, env=env,
                            capture_output=True, timeout=WALL_SECONDS, preexec_fn=_limits)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


def tree_state(repo: Path) -> dict[str, str]:
    """Every file, link and odd entry outside .git, _build and __pycache__, by content."""
    state = {}
    for folder, dirs, files in os.walk(repo):
        dirs[:] = [d for d in dirs if d not in (".git", "_build", "__pycache__")
                   or Path(folder, d).is_symlink()]
        for name in files + [d for d in dirs if Path(folder, d).is_symlink()]:
            path = Path(folder, name)
            key = path.relative_to(repo).as_posix()
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                state[key] = "link:" + os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                state[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                state[key] = f"mode:{stat.S_IFMT(info.st_mode)}"
    return state


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Path:
    """A git checkout of data/, analysis/ and references.bib, validated once (warm caches)."""
    repo = tmp_path_factory.mktemp("hostile") / "repo"
    repo.mkdir()
    for name in ("data", "analysis"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "references.bib", repo / "references.bib")
    (repo / ".gitignore").write_text("_build/\n__pycache__/\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "copy")
    result = subprocess.run([sys.executable, "-m", "analysis", "validate"], cwd=repo,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return repo


@pytest.fixture
def repo(template, tmp_path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(template, target, symlinks=True)
    return target


# ---- Injections: each writes one bad input into the copy ----

Inject = Callable[[Path], None]


def edit(path: str, old: str, new: str) -> Inject:
    """Replace the first ``old`` in a file (which must hold it) with ``new``."""
    def inject(repo: Path) -> None:
        target = repo / path
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{path} does not hold {old!r}"
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return inject


def mutate(path: str, change: Callable[[object], object]) -> Inject:
    """Change a data file as data (parsed, changed, written back as YAML)."""
    def inject(repo: Path) -> None:
        target = repo / path
        data = yaml.safe_load(target.read_text(encoding="utf-8"))
        data = change(data) or data
        target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                                         width=10 ** 6), encoding="utf-8")
    return inject


def write(path: str, content: str | bytes) -> Inject:
    def inject(repo: Path) -> None:
        target = repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return inject


def append(path: str, text: str) -> Inject:
    def inject(repo: Path) -> None:
        with open(repo / path, "a", encoding="utf-8") as handle:
            handle.write(text)
    return inject


def copy_of_case(name: str, case_id: str | None = None) -> Inject:
    """A copy of the Çanakkale case under another file name (id changed when given)."""
    def inject(repo: Path) -> None:
        text = (repo / CASE).read_text(encoding="utf-8")
        if case_id:
            text = text.replace("id: canakkale-participatory-budgeting", f"id: {case_id}", 1)
        (repo / "data" / "cases" / name).write_text(text, encoding="utf-8")
    return inject


def symlink(path: str, target: str) -> Inject:
    def inject(repo: Path) -> None:
        os.symlink(target, repo / path)
    return inject


def moved_out(folder: str) -> Inject:
    """Replace a data folder by a symbolic link to a copy outside the repository."""
    def inject(repo: Path) -> None:
        outside = repo.parent / ("outside-" + folder.replace("/", "-"))
        shutil.move(str(repo / folder), outside)
        os.symlink(outside, repo / folder)
    return inject


def fifo(path: str) -> Inject:
    def inject(repo: Path) -> None:
        os.mkfifo(repo / path)
    return inject


def case_as_json(*replacements: tuple[str, str], prefix: str = "") -> Inject:
    """The Çanakkale case written as JSON (which is YAML), with text replacements."""
    def inject(repo: Path) -> None:
        data = yaml.load((repo / CASE).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for key in ("year_documented", "year_started", "tu2022_reference"):
            data[key] = int(data[key])
        for source in data["sources"]:
            source["year"] = int(source["year"])
            source["author"] = source["author"]
            source["archived_url"] = None
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        for old, new in replacements:
            assert old in text, old
            text = text.replace(old, new, 1)
        (repo / CASE).write_text(prefix + text, encoding="utf-8")
    return inject


def both(*injections: Inject) -> Inject:
    def inject(repo: Path) -> None:
        for injection in injections:
            injection(repo)
    return inject


def many_files(count: int) -> Inject:
    """``count`` small case files, each missing nearly everything (checked in parallel)."""
    def inject(repo: Path) -> None:
        for i in range(count):
            (repo / "data" / "cases" / f"junk-{i}.yml").write_text(f"id: junk-{i}\n",
                                                                   encoding="utf-8")
    return inject


def nested_block(depth: int) -> str:
    """A mapping nested ``depth`` levels deep in block style, one space per level."""
    return "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "v\n"


def alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def json_alias_bomb() -> str:
    """An alias bomb written JSON-style ("key":*alias), with no space before the & and *."""
    parts = ['"a":&a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        inner = ",".join(f'"k{i}":*{previous}' for i in range(9))
        parts.append(f'"{level}":&{level} {{{inner}}}')
    return "{" + ",".join(parts) + "}\n"


def with_screening_candidate(path: str, candidate: dict, count: bool = True) -> Inject:
    def change(data):
        data["candidates"].append(candidate)
        if count:
            data["search"]["records_found"] += 1
    return mutate(path, change)


def search_file(search_id: str, date: str, candidates: list[dict]) -> Inject:
    return write(f"data/screening/{search_id}.yml", yaml.safe_dump({
        "search": {"id": search_id, "collection": "A collection searched", "method": "query",
                   "query": "a query", "date": date, "searcher": "tester",
                   "records_found": len(candidates)},
        "candidates": candidates}, allow_unicode=True, sort_keys=False))


def excluded(url: str, title: str = "A page found") -> dict:
    return {"url": url, "title": title, "decision": "excluded", "case": None,
            "reason": "source_not_readable", "duplicate_of": None, "note": None,
            "screener": "tester", "date": "2026-11-30"}


BIB_ENTRY = "@misc{{hostile2026,\n  title = {{A Hostile Entry}},\n  year = {{2026}},\n{extra}}}\n"


def bib(extra: str = "", entry: str | None = None) -> Inject:
    return append("references.bib", "\n" + (entry if entry is not None
                                              else BIB_ENTRY.format(extra=extra)))


# ---- The corpus ----

@dataclass(frozen=True)
class Bad:
    id: str
    inject: Inject | None
    file: str                      # the file as the output names it
    field: str                     # a regular expression for what follows "file: "
    args: tuple[str, ...] = ("validate",)

    def pattern(self) -> re.Pattern:
        if self.args[:3] == ("validate", "--format", "github"):
            escaped = self.file.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A") \
                .replace(":", "%3A").replace(",", "%2C")
            return re.compile(r"^::error file=" + re.escape(escaped) + r"(,line=\d+)?::"
                              + self.field, re.M)
        return re.compile("^" + re.escape(self.file) + ": " + self.field, re.M)


def _set(path: list, value) -> Callable[[dict], None]:
    def change(data):
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    return change


def _delete(path: list) -> Callable[[dict], None]:
    def change(data):
        target = data
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]
    return change


SAME_PAGE_SOURCE = (f"  - url: {SOURCE_0.replace('https://www.', 'http://')}\n"
                    '    title: "The same page"\n    publisher: "Someone"\n    author: null\n'
                    "    year: 2014\n    kind: case_study\n    read_on: 2026-11-29\n"
                    "    archived_url: null\n")
LONG_NAME_INJECTION = "x.yml\n::error file=README.md::all checks passed"

CORPUS: list[Bad] = [
    # -- years, ids and codes written wrong --
    Bad("float-year", edit(CASE, "year_documented: 2014", "year_documented: 2014.0"), CASE,
        "year_documented: "),
    Bad("hex-year", edit(CASE, "year_documented: 2014", "year_documented: 0x7DE"), CASE,
        "year_documented: "),
    Bad("sexagesimal-year", edit(CASE, "year_documented: 2014", "year_documented: 33:34"), CASE,
        "year_documented: "),
    Bad("underscored-year", edit(CASE, "year_documented: 2014", "year_documented: 2_014"), CASE,
        "year_documented: "),
    Bad("octal-year", edit(CASE, "year_started: 2006", "year_started: 03726"), CASE,
        "year_started: "),
    Bad("float-year-through-json-tag",
        case_as_json(('"year_documented":2014', '"year_documented":!!float 2014')), CASE,
        f"({LINE}|year_documented): "),
    Bad("year-as-boolean", edit(CASE, "year_documented: 2014", "year_documented: true"), CASE,
        "year_documented: "),
    Bad("id-with-trailing-newline", edit(CASE, "id: canakkale-participatory-budgeting",
                                         'id: "canakkale-participatory-budgeting\\n"'), CASE, "id: "),
    Bad("country-with-trailing-newline", edit(CASE, "country: TR", 'country: "TR\\n"'), CASE,
        "country: "),
    Bad("country-as-list", edit(CASE, "country: TR", "country: [TR]"), CASE, "country: "),
    Bad("country-as-mapping", edit(CASE, "country: TR", "country: {code: TR}"), CASE,
        "country: "),
    Bad("country-not-assigned", edit(CASE, "country: TR", "country: XX"), CASE, "country: "),
    Bad("sectors-as-text", edit(CASE, "sectors:\n  - general_public_services",
                                "sectors: general_public_services"), CASE, "sectors: "),
    Bad("code-as-nested-list", edit(CASE, "  - general_public_services",
                                    "  - [general_public_services]"), CASE, r"sectors\[0\]: "),
    Bad("tu-reference-as-text", edit(CASE, "tu2022_reference: 43", 'tu2022_reference: "43"'),
        CASE, "tu2022_reference: "),
    Bad("tu-reference-as-boolean", edit(CASE, "tu2022_reference: 43", "tu2022_reference: true"),
        CASE, "tu2022_reference: "),
    # -- keys --
    Bad("mapping-as-key", append(CASE, "? {a: b}\n: c\n"), CASE, f"({LINE}|\\(file\\)): "),
    Bad("list-as-key", edit(CASE, "appraisal:\n", "appraisal:\n  [a, b]: c\n"), CASE,
        f"({LINE}: )?appraisal: "),
    Bad("duplicate-key", edit(CASE, "place: ", 'title: "Another title for it"\nplace: '), CASE,
        f"({LINE}: )?title: "),
    Bad("number-as-key", mutate(CASE, _set([1], "one")), CASE, "1: unknown field"),
    Bad("null-as-key", append(CASE, "~: nothing\n"), CASE, "None: unknown field"),
    Bad("boolean-as-key", append(CASE, "true: yes\n"), CASE, "True: unknown field"),
    Bad("homoglyph-key", edit(CASE, "place: ", "pl\u0430ce: "), CASE, "pl\u0430ce: unknown field"),
    Bad("key-injecting-a-line", append(CASE, '"oops\\n::error file=README.md::pwned": 1\n'),
        CASE, r"oops\\n::error"),
    # -- wrong types everywhere --
    Bad("title-as-number", edit(CASE, 'title: "From participatory budgeting to community-led '
                                      'services in Çanakkale"', "title: 12345"), CASE, "title: "),
    Bad("coding-as-text", edit(CASE, 'coding:\n  coder: "ai-helper-5"\n  date: 2026-11-29',
                               'coding: "ai-helper-5"'), CASE, "coding: "),
    Bad("coding-date-as-number", edit(CASE, "  date: 2026-11-29", "  date: 20261129"), CASE,
        r"coding\.date: "),
    Bad("appraisal-as-list", mutate(CASE, lambda d: _set(["appraisal"], [d["appraisal"]])(d)),
        CASE, "appraisal: "),
    Bad("sources-as-mapping", mutate(CASE, lambda d: _set(["sources"], d["sources"][0])(d)),
        CASE, "sources: "),
    Bad("source-as-text", mutate(CASE, _set(["sources", 0], SOURCE_0)), CASE, r"sources\[0\]: "),
    Bad("factors-null", mutate(CASE, _set(["factors"], None)), CASE, "factors: "),
    Bad("summary-missing", mutate(CASE, _delete(["summary"])), CASE, "summary: missing"),
    Bad("locator-url-missing", mutate(CASE, _delete(["roles", 0, "locator", "url"])), CASE,
        r"roles\[0\]\.locator\.url: missing"),
    Bad("kind-on-a-positive-outcome", mutate(CASE, _set(["outcomes", 0, "kind"], "harm")), CASE,
        r"outcomes\[0\]"),
    Bad("too-many-organisations", mutate(CASE, _set(["lead_organisations"],
                                                    [f"Organisation {i}" for i in range(25)])),
        CASE, "lead_organisations: "),
    Bad("participant-twice", mutate(CASE, _set(["participants"], ["residents", "residents"])),
        CASE, "participants: "),
    # -- addresses --
    Bad("null-source-url", edit(CASE, f"  - url: {SOURCE_0}\n", "  - url: null\n"), CASE,
        r"sources\[0\]\.url: "),
    Bad("javascript-url", edit(CASE, f"  - url: {SOURCE_0}\n", "  - url: javascript:alert(1)\n"),
        CASE, r"sources\[0\]\.url: "),
    Bad("data-url", edit(CASE, f"  - url: {SOURCE_0}\n",
                         "  - url: data:text/html;base64,PHNjcmlwdD4=\n"), CASE,
        r"sources\[0\]\.url: "),
    Bad("loopback-url", edit(CASE, "    archived_url: null", "    archived_url: http://127.0.0.1/x"),
        CASE, r"sources\[0\]\.archived_url: "),
    Bad("localhost-url", edit(CASE, "    archived_url: null",
                              "    archived_url: http://localhost/x"), CASE,
        r"sources\[0\]\.archived_url: "),
    Bad("private-ip-url", edit(CASE, "    archived_url: null",
                               "    archived_url: http://10.0.0.5/x"), CASE,
        r"sources\[0\]\.archived_url: "),
    Bad("ipv6-loopback-url", edit(CASE, "    archived_url: null",
                                  "    archived_url: http://[::1]/x"), CASE,
        r"sources\[0\]\.archived_url: "),
    Bad("decimal-ip-url", edit(CASE, "    archived_url: null",
                               "    archived_url: http://2130706433/x"), CASE,
        r"sources\[0\]\.archived_url: "),
    Bad("fullwidth-local-host", edit(CASE, "    archived_url: null",
                                     "    archived_url: https://intranet.\uff4c\uff4f\uff43\uff41\uff4c/x"),
        CASE, r"sources\[0\]\.archived_url: "),
    Bad("odd-port-url", edit(CASE, "    archived_url: null",
                             "    archived_url: https://web.archive.org:8443/x"), CASE,
        r"sources\[0\]\.archived_url: "),
    Bad("credentials-in-url", edit(CASE, f"  - url: {SOURCE_0}\n",
                                   f"  - url: {SOURCE_0.replace('https://', 'https://me:secret@')}\n"),
        CASE, r"sources\[0\]\.url: "),
    Bad("www-and-bare-host-same-page", edit(CASE, f"  - url: {SOURCE_1}\n",
                                            f"  - url: {SOURCE_0.replace('https://www.', 'http://')}/\n"),
        CASE, r"sources\[1\]\.url: "),
    Bad("same-page-in-two-cases", edit("data/cases/check-my-school-philippines.yml", "sources:\n",
                                       "sources:\n" + SAME_PAGE_SOURCE),
        "data/cases/check-my-school-philippines.yml", r"sources\[0\]\.url: .*already a source"),
    Bad("locator-prefix-without-path-boundary",
        edit(CASE, "canakkale-in-turkey/outcomes/", "canakkale-in-turkey-and-beyond/outcomes/"),
        CASE, LOCATOR),
    Bad("locator-dot-segments", edit(CASE, "canakkale-in-turkey/outcomes/",
                                     "canakkale-in-turkey/../../../../elsewhere/"),
        CASE, LOCATOR),
    Bad("locator-encoded-dot-segments", edit(CASE, "canakkale-in-turkey/outcomes/",
                                             "canakkale-in-turkey/%2e%2e/%2E%2E/elsewhere/"),
        CASE, LOCATOR),
    Bad("locator-on-look-alike-host", edit(CASE, "https://www.govint.org/good-practice/case-studies"
                                                 "/the-co-production-journey-of-canakkale-in-turkey/outcomes/",
                                           "https://www.govint.org.evil.com/good-practice/case-studies"
                                           "/the-co-production-journey-of-canakkale-in-turkey/outcomes/"),
        CASE, LOCATOR),
    # -- text --
    Bad("bidi-override-title", edit(CASE, 'title: "From', 'title: "\u202eFrom'), CASE, "title: "),
    Bad("zero-width-only-title", edit(CASE, 'title: "From participatory budgeting to community-led '
                                            'services in Çanakkale"',
                                      'title: "\u200b\u200b\u200b\u200b\u200b\u200b"'), CASE, "title: "),
    Bad("variation-selectors-only-place", edit(CASE, 'place: "Çanakkale"',
                                               'place: "\ufe0f\ufe0f\ufe0f"'), CASE, "place: "),
    Bad("combining-marks-only-title", edit(CASE, 'title: "From participatory budgeting to '
                                                 'community-led services in Çanakkale"',
                                           'title: "\u0301\u0301\u0301\u0301\u0301\u0301"'),
        CASE, "title: "),
    Bad("hangul-filler-place", edit(CASE, 'place: "Çanakkale"', 'place: "\u3164\u3164\u3164"'),
        CASE, "place: "),
    Bad("escaped-bell-in-note", edit(CASE, '  note: "Co-written', '  note: "\\aCo-written'), CASE,
        r"appraisal\.note: "),
    Bad("escaped-nul-in-title", edit(CASE, 'title: "From', 'title: "\\0From'), CASE, "title: "),
    Bad("tag-characters-in-title", edit(CASE, 'title: "From', 'title: "\U000e0069\U000e0067From'),
        CASE, "title: "),
    Bad("template-placeholder-left", edit(CASE, 'place: "Çanakkale"', 'place: "Town or region"'),
        CASE, "place: "),
    # -- the file as text --
    Bad("raw-nul-byte", edit(CASE, "place: ", "place: \x00"), CASE, f"{LINE}: "),
    Bad("not-utf-8", write("data/cases/latin-one.yml", "id: latin-one\nplace: Çanakkale\n"
                           .encode("latin-1")), "data/cases/latin-one.yml", r"\(file\): "),
    Bad("utf-16", write("data/cases/utf-sixteen.yml", "id: utf-sixteen\n".encode("utf-16")),
        "data/cases/utf-sixteen.yml", r"\(file\): "),
    Bad("huge-file", append(CASE, "#" * 100 + "\n" + ("# padding\n" * 30_000)), CASE, r"\(file\): "),
    Bad("too-many-values", append(CASE, "extra: [" + ",".join(["a"] * 60_000) + "]\n"), CASE,
        f"({LINE}|\\(file\\)): "),
    Bad("deep-flow-nesting", append(CASE, "extra: " + "[" * 50_000 + "]" * 50_000 + "\n"), CASE,
        f"({LINE}|\\(file\\)): "),
    Bad("deep-block-nesting", write("data/cases/deep.yml", nested_block(600)), "data/cases/deep.yml",
        f"({LINE}|\\(file\\)): "),
    Bad("deep-block-sequences", write("data/cases/deep-list.yml",
                                      "".join(" " * i + "-\n" for i in range(600)) + " " * 600 + "x\n"),
        "data/cases/deep-list.yml", f"({LINE}|\\(file\\)): "),
    Bad("alias-bomb", append(CASE, alias_bomb()), CASE, f"({LINE}|\\(file\\)): "),
    Bad("json-style-alias-bomb", write("data/cases/bomb.yml", json_alias_bomb()),
        "data/cases/bomb.yml", f"({LINE}|\\(file\\)): "),
    Bad("json-style-anchor", case_as_json(('"place":"Çanakkale"', '"place":&p "Çanakkale"')),
        CASE, f"({LINE}|\\(file\\)): "),
    Bad("anchor-after-byte-order-mark", case_as_json(prefix="\ufeff&a "), CASE,
        f"({LINE}|\\(file\\)): "),
    Bad("binary-tag-in-json", case_as_json(('"place":"Çanakkale"', '"place":!!binary w4dhbmFra2FsZQ==')),
        CASE, f"({LINE}|place): "),
    Bad("python-tag-in-json", case_as_json(('"place":"Çanakkale"',
                                            '"place":!!python/object/apply:os.system ["touch pwned"]')),
        CASE, f"({LINE}|place|\\(file\\)): "),
    Bad("empty-tagged-value", write("data/cases/crash.yml", '{"id":!!float }\n'),
        "data/cases/crash.yml", f"({LINE}|\\(file\\)): "),
    Bad("five-hundred-files", many_files(500), "data/cases/junk-499.yml", "title: missing"),
    Bad("empty-file", write("data/cases/empty.yml", ""), "data/cases/empty.yml", r"\(file\): "),
    Bad("comments-only", write("data/cases/comments.yml", "# nothing here\n"),
        "data/cases/comments.yml", r"\(file\): "),
    Bad("list-at-top", write("data/cases/listed.yml", "- id: listed\n"), "data/cases/listed.yml",
        r"\(file\): "),
    Bad("two-documents", append(CASE, "---\nid: second\n"), CASE, f"({LINE}|\\(file\\)): "),
    Bad("tab-indentation", edit(CASE, "  coder: ", "\tcoder: "), CASE, f"({LINE}|\\(file\\)): "),
    # -- file-system oddities in data/cases --
    Bad("yaml-extension", copy_of_case("extra-case.yaml"), "data/cases/extra-case.yaml",
        r"\(file\): "),
    Bad("symbolic-link", symlink("data/cases/linked.yml", "canakkale-participatory-budgeting.yml"),
        "data/cases/linked.yml", r"\(file\): "),
    Bad("dangling-link", symlink("data/cases/dangling.yml", "/nonexistent/case.yml"),
        "data/cases/dangling.yml", r"\(file\): "),
    Bad("folder-named-like-a-case", write("data/cases/folder.yml/inner.yml", "id: inner\n"),
        "data/cases/folder.yml", r"\(file\): "),
    Bad("name-with-space", copy_of_case("Bad Name.yml"), "data/cases/Bad Name.yml", r"\(file\): "),
    Bad("upper-case-name", copy_of_case("Canakkale.yml"), "data/cases/Canakkale.yml",
        r"\(file\): "),
    Bad("underscore-name", copy_of_case("bad_name.yml", "bad_name"), "data/cases/bad_name.yml",
        r"\(file\): "),
    Bad("hidden-file", copy_of_case(".hidden.yml"), "data/cases/.hidden.yml", r"\(file\): "),
    Bad("name-with-trailing-newline", copy_of_case("evil.yml\n", "evil"),
        "data/cases/evil.yml\\n", r"\(file\): "),
    Bad("name-injecting-a-line", copy_of_case(LONG_NAME_INJECTION),
        "data/cases/x.yml\\n::error file=README.md::all checks passed", r"\(file\): "),
    Bad("name-injecting-a-github-annotation", copy_of_case(LONG_NAME_INJECTION),
        "data/cases/" + LONG_NAME_INJECTION, r"\(file\): ",
        ("validate", "--format", "github")),
    Bad("bidi-in-file-name", copy_of_case("evil\u202elmy.yml"), "data/cases/evil\\u202elmy.yml",
        r"\(file\): "),
    Bad("fifo", fifo("data/cases/pipe.yml"), "data/cases/pipe.yml", r"\(file\): "),
    Bad("cases-folder-is-a-link", moved_out("data/cases"), "data/cases", r"\(file\): "),
    Bad("checks-folder-is-a-link", moved_out("data/checks"), "data/checks", r"\(file\): "),
    Bad("codebook-is-a-link", both(moved_out("data/codebook.yml")), "data/codebook.yml",
        r"\(file\): "),
    Bad("references-is-a-link", moved_out("references.bib"), "references.bib", r"\(file\): "),
    Bad("validate-argument-that-is-a-link",
        symlink("data/cases/linked.yml", "canakkale-participatory-budgeting.yml"),
        "data/cases/linked.yml", r"\(file\): ", ("validate", "data/cases/linked.yml")),
    Bad("second-reading-path-escape", None, "second-reading", "id: ",
        ("second-reading", "../../references", "--reader", "someone")),
    Bad("second-reading-of-a-linked-case",
        symlink("data/cases/linked.yml", "canakkale-participatory-budgeting.yml"),
        "data/cases/linked.yml", r"\(file\): ", ("second-reading", "linked", "--reader", "x")),
    Bad("validate-argument-that-is-not-a-case", None, "data/cases/../status.yml",
        "id: missing", ("validate", "data/cases/../status.yml")),
    # -- second readings and second codings --
    Bad("second-reading-by-the-coder", edit(CHECKS, 'reader: "ai-reader-1"', 'reader: "ai-helper-5"'),
        CHECKS, r"checks\[0\]\.reader: "),
    Bad("second-reading-by-the-coder-capitalised",
        edit(CHECKS, 'reader: "ai-reader-1"', 'reader: "AI-Helper-5 "'), CHECKS,
        r"checks\[0\]\.reader: "),
    Bad("second-reading-by-the-coder-with-zero-width-space",
        edit(CHECKS, 'reader: "ai-reader-1"', 'reader: "ai-helper\u200b-5"'), CHECKS,
        r"checks\[0\]\.reader: "),
    Bad("second-reading-bad-fingerprint", edit(CHECKS, "fingerprint: 8408d0b278e8",
                                               "fingerprint: 8408D0B278E8"), CHECKS,
        r"checks\[0\]\.fingerprint: "),
    Bad("second-reading-of-no-case", write("data/checks/no-such-case.yml",
                                           "case: no-such-case\nchecks:\n  - value: roles[0]\n"
                                           "    code: co_delivery\n    fingerprint: 0123456789ab\n"
                                           "    verdict: confirmed\n    reason: \"A reason given\"\n"
                                           "    reader: someone\n    date: 2026-11-30\n"),
        "data/checks/no-such-case.yml", "case: "),
    Bad("second-coding-by-the-coder", edit(SECOND, "coder: ai-helper-12", "coder: ai-helper-5"),
        SECOND, "coder: "),
    Bad("second-coding-private-address", edit(SECOND, "  - http://www.govint.org/",
                                              "  - http://192.168.0.1/"), SECOND,
        r"pages_read\[0\]: "),
    # -- screening log --
    Bad("page-screened-twice-in-one-search",
        with_screening_candidate(SCREENED, excluded(SCREENED_URL.replace("https://www.", "http://")
                                                    + "/")),
        SCREENED, r"candidates\[\d+\]\.decision: "),
    Bad("page-screened-twice-as-another-spelling",
        with_screening_candidate(SCREENED, excluded(SCREENED_URL.replace("www.heritagebeku.com",
                                                                         "WWW.HeritageBeku.com.")
                                                    + "#top")),
        SCREENED, r"candidates\[\d+\]\.decision: "),
    Bad("page-screened-again-in-an-earlier-search",
        search_file("zz-earlier-search-2025-01-01", "2025-01-01", [excluded(SCREENED_URL)]),
        SCREENED, r"candidates\[1\]\.decision: "),
    Bad("screening-loopback-address",
        with_screening_candidate(SCREENED, excluded("http://127.0.0.1:8080/admin")), SCREENED,
        r"candidates\[\d+\]\.url: "),
    Bad("screening-credentials-in-address",
        with_screening_candidate(SCREENED, excluded("https://me:secret@www.example.com/x")),
        SCREENED, r"candidates\[\d+\]\.url: "),
    Bad("screening-included-without-case",
        with_screening_candidate(SCREENED, {**excluded("https://www.example.com/page"),
                                            "decision": "included", "reason": None,
                                            "case": "no-such-case"}),
        SCREENED, r"candidates\[\d+\]\.case: "),
    Bad("screening-record-count-wrong", with_screening_candidate(
        SCREENED, excluded("https://www.example.com/page-2"), count=False), SCREENED,
        r"search\.records_found: "),
    Bad("screening-yaml-extension", write("data/screening/extra.yaml", "search: {}\n"),
        "data/screening/extra.yaml", r"\(file\): "),
    Bad("screening-huge-log", search_file("zz-huge-2026-11-30", "2026-11-30", [
        excluded(f"https://www.example.com/page-{i}", "A long title " * 10) for i in range(700)
    ] + [excluded("http://localhost/")]), "data/screening/zz-huge-2026-11-30.yml",
        r"candidates\[700\]\.url: "),
    # -- the other data files --
    Bad("project-url-localhost", edit("data/project.yml", "repository_url: null",
                                      "repository_url: http://localhost:3000/x"),
        "data/project.yml", "repository_url: "),
    Bad("project-url-javascript", edit("data/project.yml", "repository_url: null",
                                       "repository_url: javascript:alert(1)"),
        "data/project.yml", "repository_url: "),
    Bad("release-commit-short", edit("data/releases.yml", "commit: d97c5eaf8c29d64eb62e7d639225a46002117f1b",
                                     "commit: d97c5ea"), "data/releases.yml",
        r"releases\[0\]\.commit: "),
    Bad("status-as-list", write("data/status.yml", "- living\n"), "data/status.yml", r"\(file\): "),
    Bad("codebook-side-as-list", edit("data/codebook.yml", "  factor_side:\n",
                                      "  factor_side: []\n  factor_side_was:\n"),
        "data/codebook.yml", r"vocabularies\.factor_side"),
    Bad("codebook-code-as-list", mutate("data/codebook.yml", _set(
        ["vocabularies", "role", "codes", 0, "code"], ["co_design"])), "data/codebook.yml",
        r"vocabularies\.role\.codes\[0\]\.code: "),
    # -- the bibliography --
    Bad("bib-javascript-url", bib("  url = {javascript:alert(1)},\n"), "references.bib",
        "hostile2026: url: "),
    Bad("bib-localhost-url", bib("  url = {http://localhost/x},\n"), "references.bib",
        "hostile2026: url: "),
    Bad("bib-href", bib("  note = {See \\href{javascript:alert(1)}{here}},\n"), "references.bib",
        "hostile2026: note: "),
    Bad("bib-url-command", bib("  howpublished = {\\url{https://www.example.com/}},\n"),
        "references.bib", "hostile2026: howpublished: "),
    Bad("bib-unknown-field", bib("  abstract = {Something long},\n"), "references.bib",
        "hostile2026: abstract: "),
    Bad("bib-bidi-title", bib("  author = {\u202eEvil, Eve},\n"), "references.bib",
        "hostile2026: author: "),
    Bad("bib-year-in-words", bib(entry="@misc{hostile2026,\n  title = {A Title},\n"
                                       "  year = {twenty twenty},\n}\n"),
        "references.bib", "hostile2026: year: "),
    Bad("bib-duplicate-citekey", bib(entry="@misc{boyte2008,\n  title = {Again},\n  year = {2008},\n}\n"),
        "references.bib", "boyte2008: "),
    Bad("bib-citekey-differing-in-case", bib(entry="@misc{Boyte2008,\n  title = {Again},\n"
                                                   "  year = {2008},\n}\n"),
        "references.bib", "Boyte2008: "),
    Bad("bib-too-many-commas-in-author", bib("  author = {One, Two, Three, Four},\n"),
        "references.bib", "hostile2026: author: "),
    Bad("bib-undefined-macro", bib(entry="@misc{hostile2026,\n  title = undefinedmacro,\n"
                                         "  year = {2026},\n}\n"), "references.bib",
        "hostile2026: title: "),
    Bad("bib-deep-braces", bib(entry="@misc{hostile2026,\n  title = {" + "{" * 3000 + "x"
                                     + "}" * 3000 + "},\n  year = {2026},\n}\n"),
        "references.bib", "hostile2026: title: "),
    Bad("bib-unparsable-block", bib(entry="@misc{hostile,2026, title = {X}, year = {2026}}\n"),
        "references.bib", f"{LINE}: cannot parse this BibTeX block .*: \\S"),
    Bad("bib-preamble-input", bib(entry='@preamble{"\\input{/etc/passwd}"}\n'), "references.bib",
        f"({LINE}|@preamble): "),
    Bad("bib-entry-type", bib(entry="@phdthesis{hostile2026,\n  title = {T},\n  year = {2026},\n}\n"),
        "references.bib", "hostile2026: "),
    Bad("bib-not-utf-8", write("references.bib", "@misc{x, title={Ça}, year={2020}}\n"
                               .encode("latin-1")), "references.bib", r"\(file\): "),
    # -- new-case ids --
    Bad("new-case-upper-case", None, "new-case", "id: ", ("new-case", "Bad_Id")),
    Bad("new-case-path-escape", None, "new-case", "id: ", ("new-case", "../../escape")),
    Bad("new-case-trailing-newline", None, "new-case", "id: ", ("new-case", "fine-id\n")),
    Bad("new-case-double-hyphen", None, "new-case", "id: ", ("new-case", "a--b")),
    Bad("new-case-leading-hyphen", None, "new-case", "id: ", ("new-case", "--", "-abc")),
    Bad("new-case-too-long", None, "new-case", "id: ", ("new-case", "x" * 81)),
    Bad("new-case-empty", None, "new-case", "id: ", ("new-case", "")),
    Bad("new-case-non-ascii", None, "new-case", "id: ", ("new-case", "çanakkale")),
    Bad("new-case-with-extension", None, "new-case", "id: ", ("new-case", "abc.yml")),
    Bad("new-case-bidi", None, "new-case", "id: ", ("new-case", "abc\u202e")),
    Bad("new-case-existing", None, "new-case", f"{re.escape(CASE)}: already exists",
        ("new-case", "canakkale-participatory-budgeting")),
    Bad("new-case-over-a-dangling-link", symlink("data/cases/target-case.yml", "/tmp/hostile-target"),
        "new-case", r"data/cases/target-case\.yml: already exists", ("new-case", "target-case")),
]


def test_the_corpus_has_at_least_60_distinct_bad_inputs():
    assert len(CORPUS) >= 60
    assert len({bad.id for bad in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("bad", CORPUS, ids=[bad.id for bad in CORPUS])
def test_bad_input_is_refused_naming_file_and_field(bad: Bad, repo: Path):
    if bad.inject is not None:
        bad.inject(repo)
    status = _git(repo, "status", "--porcelain", "--untracked-files=all")
    files = tree_state(repo)

    try:
        result = run(repo, *bad.args)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{bad.id}: still running after {WALL_SECONDS} s")
    stdout = result.stdout.decode("utf-8", "replace")
    stderr = result.stderr.decode("utf-8", "replace")
    output = stdout + stderr

    assert "Traceback" not in output, output[-3000:]
    assert result.returncode == 1, (result.returncode, output[-3000:])
    assert result.cpu < CPU_SECONDS, f"{bad.id}: used {result.cpu:.1f} s of processor time"
    assert bad.pattern().search(output), f"expected {bad.pattern().pattern!r} in:\n{output[-3000:]}"
    if bad.args[0] == "validate":  # one problem per line: no line may start elsewhere
        start = "::error file=" if "github" in bad.args else ("data/", "references.bib")
        strays = [line for line in stdout.splitlines() if not line.startswith(start)]
        assert not strays, strays
    assert _git(repo, "status", "--porcelain", "--untracked-files=all") == status
    assert tree_state(repo) == files


GOOD_TWINS = {
    "case-as-json": case_as_json(),
    "same-page-source-elsewhere": edit("data/cases/check-my-school-philippines.yml", "sources:\n",
                                       "sources:\n" + SAME_PAGE_SOURCE.replace(
                                           "http://govint.org/our-resources", "https://www.example.org/other")),
    "screening-candidate": with_screening_candidate(SCREENED, excluded("https://www.example.com/page")),
    "bib-entry": bib("  url = {https://www.example.com/x},\n"),
    "earlier-search": search_file("zz-earlier-search-2025-01-01", "2025-01-01",
                                  [excluded("https://www.example.com/elsewhere")]),
}


@pytest.mark.parametrize("name", sorted(GOOD_TWINS))
def test_the_same_injection_with_good_input_validates(name: str, repo: Path):
    """The corpus fails for its bad input, not for the way it is injected."""
    GOOD_TWINS[name](repo)
    result = run(repo, "validate")
    assert result.returncode == 0, (result.stdout + result.stderr).decode("utf-8", "replace")[-3000:]
