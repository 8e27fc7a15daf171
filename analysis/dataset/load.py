"""Read the review: the only module that touches files and git.

:func:`open_review` is the one door to the data. It reads every file once, checks it
(:mod:`analysis.dataset.validation`), and returns the :class:`~analysis.dataset.review.Review`.
A build parses once: the first call writes a snapshot keyed by the data's fingerprint under
``_build/.cache/`` and names it in the environment, so every chapter kernel of the same
build loads that snapshot instead of parsing again. Per-file check results are cached by
content hash in the same folder, so an unchanged dataset validates without parsing.
Nothing under ``data/`` is ever written.

Which files are case files: every regular file ``data/cases/<id>.yml``. Anything else in
that folder (a ``.yaml`` file, a symbolic link, a folder, a name that is not a slug) is
reported as a problem, never skipped silently.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import os
import pickle
import re
import stat
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import bibliography, schema as schemas, validation
from .codebook import Codebook
from .migration import to_current
from .screening import screening_problems

TYPE_CHECKING = False
if TYPE_CHECKING:  # the review's tables need pandas; reading and checking the data does not
    from .review import History, Review, Snapshot
from .strict_yaml import MAX_BYTES, YamlError, parse_yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
CASES_DIR = DATA / "cases"
CODEBOOK_PATH = DATA / "codebook.yml"
REFERENCES_PATH = ROOT / "references.bib"
TEMPLATE_PATH = Path(__file__).resolve().parents[1] / "case_template.yml"
CACHE_DIR = ROOT / "_build" / ".cache"
SNAPSHOT_VARIABLE = "COPRODUCTION_REVIEW_SNAPSHOT"
FOLDERS = {"second_codings": "reliability", "second_readings": "checks", "screening": "screening"}
WATCHED = ("data", "references.bib", "analysis")
FILE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\.yml")  # used with fullmatch


class InvalidData(ValueError):
    """The data does not validate; the message lists every problem."""


@dataclass
class DataFile:
    """A YAML data file as read: its data and the line of each field, or why it was unreadable."""

    file: str
    stem: str
    data: object = None
    lines: dict = field(default_factory=dict)
    error: YamlError | None = None


def shown_path(path: Path) -> str:
    """A path as messages show it: relative to the repository where possible."""
    try:
        return path.absolute().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def _read_text(path: Path) -> tuple[str | None, str | None]:
    """The text of a regular UTF-8 file within the size limit, or why it cannot be read."""
    try:
        if path.is_symlink():
            return None, "is a symbolic link; data files must be regular files in the repository"
        if not path.is_file():
            return None, "is not a regular file"
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, f"the file is {size // 1024} KB; a data file may hold at most " \
                         f"{MAX_BYTES // 1024} KB"
        return path.read_bytes().decode("utf-8"), None
    except UnicodeDecodeError as err:
        return None, f"is not UTF-8 text (byte {err.start}); save it as UTF-8"
    except OSError as err:
        return None, f"cannot be read ({err.strerror or err})"


def _folder_entries(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files of a data folder that are read, and the ones that are not, with why."""
    if folder.is_symlink():
        return [], [(shown_path(folder), "is a symbolic link, which is not read; data folders "
                                         "must be real folders in the repository")]
    if not folder.is_dir():
        return [], []
    read, refused = [], []
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith(".") and name in (".gitkeep", ".DS_Store"):
            continue
        if path.is_symlink():
            refused.append((shown_path(path), "is a symbolic link, which is not read; data files "
                                              "must be regular files"))
        elif path.is_dir():
            refused.append((shown_path(path), "is a folder, which is not read; put files "
                                              "directly in " + shown_path(folder)))
        elif name.endswith(".yaml"):
            refused.append((shown_path(path), "is not read: data files end in .yml; rename it "
                                              f"to {name[:-5]}.yml"))
        elif not FILE_NAME.fullmatch(name):
            refused.append((shown_path(path), "is not read: a data file is named <id>.yml, the "
                                              "id a slug of lowercase letters, digits and "
                                              "single hyphens"))
        else:
            read.append(path)
    return read, refused


def case_paths(paths: list[Path] | None = None) -> tuple[list[Path], list[tuple[str, str]]]:
    """The case files to read (the given files and folders, or ``data/cases``), and the
    files found but not read, each with the reason."""
    found: list[Path] = []
    refused: list[tuple[str, str]] = []
    for path in map(Path, paths or [CASES_DIR]):
        if path.is_dir() and not path.is_symlink():
            read, skipped = _folder_entries(path)
            found += read
            refused += skipped
        elif path.is_symlink() or not FILE_NAME.fullmatch(path.name):
            refused.append((shown_path(path), "is not read: a case file is a regular file named "
                                              "<id>.yml (a slug of lowercase letters, digits and "
                                              "hyphens)"))
        else:
            found.append(path)
    return found, refused


def read_data_file(path: Path) -> DataFile:
    """A YAML data file, parsed strictly; never raises for bad content."""
    text, why = _read_text(path)
    if text is None:
        return DataFile(shown_path(path), path.stem, error=YamlError(why))
    try:
        data, _ = parse_yaml(text, with_lines=False)
        return DataFile(shown_path(path), path.stem, data, _FieldLines(text))
    except YamlError as err:
        return DataFile(shown_path(path), path.stem, error=err)


class _FieldLines(Mapping):
    """The line of each field of a file that parsed, worked out only when a problem needs one
    (building every field's path costs a third of the parse)."""

    def __init__(self, text: str):
        self._text, self._lines = text, None

    def _all(self) -> dict[str, int]:
        if self._lines is None:
            self._lines = parse_yaml(self._text)[1]
        return self._lines

    def __getitem__(self, key: str) -> int:
        return self._all()[key]

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def source_texts() -> dict[str, str]:
    """The codebook and bibliography exactly as written, for the downloads."""
    return {"codebook": CODEBOOK_PATH.read_text(encoding="utf-8"),
            "references": REFERENCES_PATH.read_text(encoding="utf-8")}


def read_screening_template(case_id: str) -> str:
    """The commented screening-record template that ``new-case`` writes beside the case."""
    return (TEMPLATE_PATH.parent / "screening_template.yml").read_text(encoding="utf-8") \
        .replace("{search_id}", case_id).replace("{case_id}", case_id)


def read_case_template(case_id: str = "new-case") -> str:
    """The commented template that ``new-case`` writes, for the given id."""
    return TEMPLATE_PATH.read_text(encoding="utf-8").replace("{case_id}", case_id)


# ---- Checking, with a cache of per-file results by content hash ----

@dataclass
class Checked:
    """Everything read, checked: the problems, and the valid parts ready to build a review."""

    problems: list
    cases: list            # valid case results (validation.CaseResult)
    codebook: Codebook | None
    library: object
    parts: dict
    files: int = 0


def _cache_path(key: str) -> Path:
    return CACHE_DIR / f"case-checks-{key}.pickle"


def _load_cache(key: str) -> dict:
    try:
        with open(_cache_path(key), "rb") as handle:
            cached = pickle.load(handle)
        return cached if isinstance(cached, dict) else {}
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return {}


def _save_cache(key: str, entries: dict) -> None:
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        for old in CACHE_DIR.glob("case-checks-*.pickle"):
            if old != _cache_path(key):
                old.unlink(missing_ok=True)
        temporary = _cache_path(key).with_suffix(".tmp")
        with open(temporary, "wb") as handle:
            pickle.dump(entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(_cache_path(key))
    except OSError:
        pass  # a read-only checkout still validates, only without the cache


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while many small objects are built and kept.

    Parsing thousands of files allocates millions of objects that all stay alive, so each
    automatic collection re-scans a heap that only grows: at 10,000 cases that cost a third of
    the check. Reference counting still frees everything that is not kept; the loader makes no
    cycles worth collecting, and every file is bounded in size before it is parsed."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check(paths: list[Path] | None = None, today: dt.date | None = None,
          workers: int | None = None, use_cache: bool = True) -> Checked:
    """Read and check the data (default: all of it). Writes nothing but the cache."""
    with _collector_paused():
        return _check(paths, today, workers, use_cache)


def _check(paths: list[Path] | None, today: dt.date | None, workers: int | None,
           use_cache: bool) -> Checked:
    today = today or dt.date.today()
    problems: list[validation.Problem] = []
    codebook_file = read_data_file(CODEBOOK_PATH)
    bib_text, why = _read_text(REFERENCES_PATH)
    if bib_text is None:
        problems.append(validation.Problem("references.bib", "", why))
        bib_text = ""
    library = bibliography.parse(bib_text)
    problems += validation.bibliography_file_problems(bib_text, library)
    bib = bibliography.entries_by_key(library)
    if codebook_file.error is not None:
        problems.append(validation.yaml_problem(codebook_file.file, codebook_file.error))
        return Checked(problems, [], None, library, {})
    codebook_problems = validation.codebook_problems(codebook_file.file, codebook_file.data,
                                                     codebook_file.lines, bib)
    if codebook_problems:
        return Checked(problems + codebook_problems, [], None, library, {})
    codebook = Codebook(codebook_file.data["vocabularies"], codebook_file.data.get("format", 1))
    placeholders = validation.template_placeholders(TEMPLATE_PATH.read_text(encoding="utf-8"))
    checker = validation.CaseChecker(codebook, today, placeholders)

    found, refused = case_paths(paths)
    problems += [validation.Problem(file, "(file)", why) for file, why in refused]
    key = checker.key()
    cache = _load_cache(key) if use_cache else {}
    fresh: dict = {}
    results, to_check = [], []
    for path in found:
        file = shown_path(path)
        text, why = _read_text(path)
        if text is None:
            results.append(validation.CaseResult(file, problems=[validation.Problem(file, "(file)", why)]))
            continue
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        hit = cache.get((file, digest))
        if hit is not None:
            results.append(hit)
            fresh[(file, digest)] = hit
        else:
            to_check.append((file, path.stem, text, digest))
    others = (lambda: _read_other_files(codebook)) if paths is None else None
    checked, other_files = validation.check_case_texts(
        [(f, s, t) for f, s, t, _ in to_check], checker,
        workers if workers is not None else (os.cpu_count() or 1),
        others, _other_file_bytes() if others else 0)
    for (file, _stem, _text, digest), result in zip(to_check, checked):
        fresh[(file, digest)] = result
    results += checked
    if use_cache and to_check:
        _save_cache(key, {**fresh} if paths is None else {**cache, **fresh})
    results.sort(key=lambda r: r.file)
    for result in results:
        problems += result.problems
    valid = [r for r in results if r.valid]
    problems += validation.dataset_problems(valid, library)
    cases = {r.data["id"]: r.data for r in valid}
    parts = {}
    if paths is None:
        parts, more = _cross_check_other_files(other_files, cases, set(bib))
        problems += more
    if not found and not refused:
        where = " ".join(shown_path(Path(p)) for p in paths) if paths else shown_path(CASES_DIR)
        problems.append(validation.Problem(where, "", "no case files (*.yml) found; nothing "
                                                      "was validated"))
    return Checked(list(dict.fromkeys(problems)), valid, codebook, library, parts, len(found))


SINGLE_FILES = {"status": schemas.status_schema, "project": schemas.project_schema,
                "releases": schemas.releases_schema, "surveillance": schemas.surveillance_schema}
FOLDER_SCHEMAS = {"second_codings": schemas.second_coding_schema,
                  "second_readings": schemas.second_reading_schema,
                  "screening": schemas.screening_schema}


def _other_file_bytes() -> int:
    """About how much text the files besides the cases hold (to share the work out)."""
    paths = [DATA / f"{name}.yml" for name in SINGLE_FILES]
    paths += [p for folder in FOLDERS.values() for p in (DATA / folder).glob("*.yml")]
    return sum(p.stat().st_size for p in paths if p.is_file())


def _read_other_files(codebook: Codebook) -> tuple[dict, dict, list]:
    """The status, project, release and surveillance files, and the second-coding,
    second-reading and screening files, each read and checked on its own (readable, its
    schema, the text policy): the single files' data, the folders' valid files, problems."""
    problems: list = []
    singles: dict = {}
    for name, make in SINGLE_FILES.items():
        data_file = read_data_file(DATA / f"{name}.yml")
        found = validation.data_file_problems(data_file.file, data_file.data, data_file.lines,
                                              data_file.error, validation.SchemaCheck(make()))
        problems += found
        singles[name] = data_file.data if not found else {}
    folders: dict = {}
    for part, folder in FOLDERS.items():
        paths, refused = _folder_entries(DATA / folder)
        problems += [validation.Problem(file, "(file)", why) for file, why in refused]
        schema = validation.SchemaCheck(FOLDER_SCHEMAS[part](codebook))
        folders[part] = []
        for path in paths:
            data_file = read_data_file(path)
            found = validation.data_file_problems(data_file.file, data_file.data,
                                                  data_file.lines, data_file.error, schema)
            problems += found
            if not found:
                folders[part].append(data_file)
    return singles, folders, problems


def _cross_check_other_files(read: tuple[dict, dict, list], cases: dict,
                             citekeys: set[str]) -> tuple[dict, list]:
    """The other files against the valid cases: second codings and readings belong to a
    case, the screening log matches the cases and the bibliography."""
    singles, folders, problems = read
    parts: dict = dict(singles)
    owner_checks = {"second_codings": validation.second_coding_problems,
                    "second_readings": validation.second_reading_problems}
    for part, files in folders.items():
        valid = []
        for data_file in files:
            found = owner_checks[part](data_file.file, data_file.stem, data_file.data,
                                       data_file.lines, cases) if part in owner_checks else []
            problems = problems + found
            if not found:
                valid.append((data_file.file, data_file.stem, data_file.data, data_file.lines))
        if part == "screening":
            problems = problems + screening_problems(valid, cases, citekeys)
            parts[part] = [data for _f, _s, data, _l in valid]
        elif part == "second_codings":
            parts[part] = {data["id"]: data for _f, _s, data, _l in valid}
        else:
            parts[part] = {data["case"]: data for _f, _s, data, _l in valid}
    return parts, problems


def _entry_digest(digest, path: Path) -> None:
    """Add one directory entry to a digest: its name, its kind and (for a regular file) its
    bytes, a link's target, so two trees that differ in any way a check sees differ here."""
    digest.update(b"\0" + str(path).encode("utf-8", "surrogateescape") + b"\0")
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            digest.update(b"link:" + os.readlink(path).encode("utf-8", "surrogateescape"))
        elif stat.S_ISREG(info.st_mode):
            digest.update(b"file:%d:" % info.st_size)
            if info.st_size <= MAX_BYTES:
                digest.update(path.read_bytes())
            else:
                digest.update(b"%d" % info.st_mtime_ns)
        else:
            digest.update(b"mode:%d" % stat.S_IFMT(info.st_mode))
    except OSError:
        digest.update(b"?")


def _tree_entries(path: Path) -> list[Path]:
    """A path and, for a real folder, everything below it (links are not followed)."""
    entries = [path]
    if path.is_dir() and not path.is_symlink():
        for folder, dirs, files in os.walk(path):
            entries += [Path(folder, name) for name in sorted(dirs + files)]
            dirs.sort()
    return entries


def input_digest(paths: list[Path] | None, today: dt.date | None = None) -> str:
    """A hash of everything a validation reads or could report (and of today's date, which
    bounds dates, and of the checking code): every entry of the data, refused ones
    (links, .yaml files, bad names, folders) included, with its kind."""
    digest = hashlib.sha256(f"{validation.CHECKS_VERSION} {today or dt.date.today()} "
                            f"{sorted(map(str, paths or []))}".encode("utf-8", "surrogateescape"))
    code = Path(__file__).resolve().parent
    entries = sorted(code.glob("*.py")) + [code.parent / "cli.py", CODEBOOK_PATH,
                                            REFERENCES_PATH, TEMPLATE_PATH]
    for path in map(Path, paths or [DATA]):
        entries += _tree_entries(path)
    for path in entries:
        _entry_digest(digest, path)
    return digest.hexdigest()[:24]


def cached_report(key: str) -> tuple[list[str], list[str], str] | None:
    """A validation's report kept from a run over exactly the same files, if any."""
    try:
        with open(CACHE_DIR / f"validate-{key}.pickle", "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None


def keep_report(key: str, report: tuple[list[str], list[str], str]) -> None:
    """Keep a validation's report (text and annotations) for the next run over the same files."""
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        for old in CACHE_DIR.glob("validate-*.pickle"):
            old.unlink(missing_ok=True)
        with open(CACHE_DIR / f"validate-{key}.pickle", "wb") as handle:
            pickle.dump(report, handle)
    except OSError:
        pass


# ---- The one door ----

def open_review(use_snapshot: bool = True) -> Review:
    """The validated review. Raises :class:`InvalidData` listing every problem.

    Within a build, the snapshot the build wrote (named by ``COPRODUCTION_REVIEW_SNAPSHOT``)
    is loaded; otherwise the data is read and checked.
    """
    named = os.environ.get(SNAPSHOT_VARIABLE)
    if use_snapshot and named and Path(named).is_file():
        try:  # a chapter kernel of a build: the build checked the data and wrote this
            with open(named, "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass
    fingerprint = data_fingerprint()
    review = _read_review(fingerprint)
    write_snapshot(review)
    return review


def _read_review(fingerprint: str) -> Review:
    from .review import build_review
    checked = check()
    if checked.problems:
        raise InvalidData("the data does not validate:\n" + "\n".join(map(str, checked.problems))
                          + "\nRun: python -m analysis validate")
    documents = []
    for result in checked.cases:
        documents.append({**result.data, "_file": result.file})
    review = build_review(documents, checked.codebook, references=checked.library,
                          second_codings=checked.parts.get("second_codings", {}),
                          second_readings=checked.parts.get("second_readings", {}),
                          screening=checked.parts.get("screening", []),
                          project=checked.parts.get("project", {}),
                          status=checked.parts.get("status", {}), fingerprint=fingerprint)
    review.history = read_history(checked.parts.get("releases", {}).get("releases", []))
    return review


def _snapshot_path(fingerprint: str) -> Path:
    return CACHE_DIR / f"review-{fingerprint}.pickle"


class LazyFile(Mapping):
    """A mapping kept in a file of its own and read on first use (the case documents and the
    releases' data in a build's snapshot: most chapters need only the tables)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._data: dict | None = None

    def _load(self) -> dict:
        if self._data is None:
            with open(self.path, "rb") as handle:
                self._data = pickle.load(handle)
        return self._data

    def __getitem__(self, key):
        return self._load()[key]

    def __iter__(self):
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __getstate__(self) -> dict:
        return {"path": str(self.path)}

    def __setstate__(self, state: dict) -> None:
        self.path, self._data = Path(state["path"]), None


def write_snapshot(review: Review) -> Path | None:
    """Keep the review for the other processes of this build; returns the snapshot's path.

    The tables go in one file and the case documents and releases' data in another, read
    only by the chapters that need them, so a chapter waits for the tables alone."""
    import copy
    target = _snapshot_path(review.fingerprint)
    parts = target.with_name(target.stem + "-documents.pickle")
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            for old in CACHE_DIR.glob("review-*.pickle"):
                old.unlink(missing_ok=True)
            light = copy.copy(review)
            light.documents = LazyFile(parts)
            if review.history is not None:
                light.history = copy.copy(review.history)
                light.history.snapshots = LazyFile(parts.with_name(target.stem + "-releases.pickle"))
                _dump(dict(review.history.snapshots), light.history.snapshots.path)
            _dump(dict(review.documents), parts)
            _dump(light, target)
        return target
    except OSError:
        return None


def _dump(value: object, target: Path) -> None:
    temporary = target.with_suffix(".tmp")
    with open(temporary, "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(target)


def watched_files(root: Path = ROOT) -> list[Path]:
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


def data_fingerprint(root: Path = ROOT) -> str:
    """A short hash of every watched file and of where the build stands in git."""
    digest = hashlib.sha256()
    state = git("rev-parse", "HEAD", root=root) or ""
    digest.update(state.encode())
    digest.update((git("status", "--porcelain", "--", "data", "references.bib", root=root)
                   or "").encode())
    for path in watched_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            pass
    return digest.hexdigest()[:16]


# ---- Git: releases, the build's place among them, and the dates cases were added ----

def git(*args: str, root: Path | None = None, text_input: str | None = None) -> str | None:
    """Output of a git command in the repository, or None when git or the history is missing."""
    try:
        result = subprocess.run(["git", *args], cwd=root or ROOT, capture_output=True,
                                text=True, encoding="utf-8", errors="replace", timeout=120,
                                input=text_input)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def has_history(root: Path | None = None) -> bool:
    """True when the folder is a git checkout whose history can be read."""
    return (git("rev-parse", "--is-inside-work-tree", root=root) or "").strip() == "true" and \
        git("rev-parse", "HEAD", root=root) is not None


def data_hash_at(commit: str | None, root: Path | None = None) -> str | None:
    """A hash of the coded data (case files and codebook) at a commit, or in the working tree."""
    digest = hashlib.sha256()
    if commit is None:
        paths = sorted(p for p in (root or ROOT).glob("data/cases/*.yml")) + \
            [(root or ROOT) / "data" / "codebook.yml"]
        for path in filter(Path.is_file, paths):
            digest.update(path.relative_to(root or ROOT).as_posix().encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]
    files = _files_at(commit, ["data/cases", "data/codebook.yml"], root)
    if files is None:
        return None
    for name in sorted(n for n in files if n.endswith(".yml")):
        digest.update(name.encode())
        digest.update(files[name])
    return digest.hexdigest()[:16]


def _files_at(commit: str, paths: list[str], root: Path | None = None) -> dict[str, bytes] | None:
    """The files under ``paths`` at a commit, read in one ``git cat-file --batch`` pass."""
    listing = git("ls-tree", "-r", "--format=%(objectname) %(path)", commit, "--", *paths, root=root)
    if listing is None:
        return None
    entries = [line.split(" ", 1) for line in listing.splitlines() if " " in line]
    if not entries:
        return {}
    try:
        result = subprocess.run(["git", "cat-file", "--batch"], cwd=root or ROOT,
                                input="\n".join(o for o, _ in entries).encode() + b"\n",
                                capture_output=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return None
    out, data, position = {}, result.stdout, 0
    for _object, name in entries:
        header_end = data.index(b"\n", position)
        size = int(data[position:header_end].split()[2])
        out[name] = data[header_end + 1:header_end + 1 + size]
        position = header_end + 1 + size + 1
    return out


def _fetch_commit(commit: str, root: Path | None = None) -> bool:
    """In a shallow or partial clone, fetch one release commit from the origin."""
    if git("cat-file", "-e", f"{commit}^{{commit}}", root=root) is not None:
        return True
    return git("fetch", "--quiet", "--depth=1", "origin", commit, root=root) is not None and \
        git("cat-file", "-e", f"{commit}^{{commit}}", root=root) is not None


def read_release_snapshot(release: dict, root: Path | None = None) -> Snapshot:
    """The data of a release, in today's format; says why when it cannot be read."""
    from .review import Snapshot
    label, date, commit = release["version"], release["date"], release["commit"]
    if not has_history(root):
        return Snapshot(label, date, {}, None, unavailable="this copy has no git history (an "
                        "unpacked archive?), so the data of earlier releases cannot be read")
    if not _fetch_commit(commit, root):
        return Snapshot(label, date, {}, None, unavailable=f"the release commit {commit[:10]} "
                        "is not in this clone and could not be fetched from its origin (a "
                        "shallow clone without network?); run: git fetch --unshallow")
    files = _files_at(commit, ["data/cases", "data/codebook.yml"], root) or {}
    try:
        codebook_data, _ = parse_yaml(files.get("data/codebook.yml", b"").decode("utf-8"))
        data_format = int(codebook_data.get("format", 1))
        codebook = Codebook(codebook_data["vocabularies"], data_format)
    except (YamlError, AttributeError, KeyError, TypeError, ValueError, UnicodeDecodeError):
        return Snapshot(label, date, {}, None, unavailable="its codebook could not be read")
    documents: dict[str, dict] = {}
    skipped: tuple[str, ...] = ()
    for name, content in sorted(files.items()):
        if not (name.startswith("data/cases/") and name.endswith(".yml")):
            continue
        try:
            data, _ = parse_yaml(content.decode("utf-8"))
        except (YamlError, UnicodeDecodeError):
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            documents[data["id"]], skipped = to_current(data, data_format)
    return Snapshot(label, date, documents, codebook, not_compared=skipped)


def build_state(root: Path | None = None) -> dict:
    """Where the working tree stands in git: commit, its date, uncommitted data changes."""
    if not has_history(root):
        return {"history": False, "commit": None, "commit_date": None, "dirty": None,
                "shallow": False}
    head = (git("log", "-1", "--format=%H %cs", root=root) or "").split()
    dirty = bool((git("status", "--porcelain", "--", "data", "references.bib", root=root)
                  or "").strip())
    shallow = (git("rev-parse", "--is-shallow-repository", root=root) or "").strip() == "true"
    return {"history": True, "commit": head[0] if head else None,
            "commit_date": head[1] if len(head) > 1 else None, "dirty": dirty, "shallow": shallow}


def commits_since(commit: str, root: Path | None = None) -> int | None:
    """Commits after a release commit that changed the data, or None if it cannot be told."""
    if git("merge-base", "--is-ancestor", commit, "HEAD", root=root) is None:
        return None
    out = git("rev-list", "--count", f"{commit}..HEAD", "--", "data/cases", "data/codebook.yml",
              root=root)
    return int(out.strip()) if out and out.strip().isdigit() else None


def case_added_dates(root: Path | None = None) -> dict[str, str]:
    """The date each case file was first committed, from git history (YYYY-MM-DD)."""
    out = git("log", "--diff-filter=A", "--format=%x00%cs", "--name-only", "--", "data/cases",
              root=root) or ""
    added: dict[str, str] = {}
    for block in out.split("\x00")[1:]:
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        date, files = lines[0], lines[1:]
        for name in files:
            if name.startswith("data/cases/") and name.endswith(".yml"):
                added[Path(name).stem] = date  # log runs newest first: keep the oldest
    return added


def read_history(releases: list[dict], root: Path | None = None) -> History:
    """The releases, where this build stands among them, their data, and dates cases were added."""
    state = build_state(root)
    state["today"] = dt.date.today().isoformat()
    state["data_hash"] = data_hash_at(None, root)
    for release in releases:
        release["data_hash"] = data_hash_at(release["commit"], root) if state["history"] else None
        release["data_changes_since"] = commits_since(release["commit"], root) \
            if state["history"] else None
    from .review import History
    history = History(releases=list(releases), state=state,
                      added_dates=case_added_dates(root) if state["history"] else {})
    for release in releases:
        history.snapshots[release["version"]] = read_release_snapshot(release, root)
    return history
