"""Read the review's files: the only module that touches the file system.

Everything else in :mod:`analysis` is a pure function of what this module returns.
YAML is read with a strict safe loader: no Python tags, no duplicated keys, no
implicit dates or yes/no booleans (so ``NO`` stays Norway), and with the line of
every key kept for error messages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = ROOT / "data" / "cases"
SECOND_CODING_DIR = ROOT / "data" / "reliability"
CODEBOOK_PATH = ROOT / "data" / "codebook.yml"
REFERENCES_PATH = ROOT / "references.bib"
STATUS_PATH = ROOT / "data" / "status.yml"
TEMPLATE_PATH = Path(__file__).with_name("case_template.yml")


class YamlError(ValueError):
    """A YAML file that cannot be read as plain data; ``line`` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps or yes/no/on/off booleans."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _StrictLoader.yaml_implicit_resolvers.setdefault(_first, []).append(
        ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")))


def _key_lines(node: yaml.Node, path: str = "") -> dict[str, int]:
    """Map each field path (``roles[1].basis``) to the 1-based line it starts on."""
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                where = f"{path}.{key}" if path else key
                raise YamlError(f"{where}: key '{key}' appears twice (lines {seen[key]} and {line}); "
                                "keep one", line)
            seen[key] = line
            child = f"{path}.{key}" if path else str(key)
            lines[child] = line
            lines.update(_key_lines(value_node, child))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            child = f"{path}[{i}]"
            lines[child] = item.start_mark.line + 1
            lines.update(_key_lines(item, child))
    return lines


def parse_yaml(text: str) -> tuple[object, dict[str, int]]:
    """Parse YAML text as plain data; return the data and the line of every field.

    Raises :class:`YamlError` for syntax errors, tags that would build Python
    objects (``!!python/object/apply``), and keys given twice in one mapping.
    """
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines = _key_lines(node)
        return loader.construct_document(node), lines
    except yaml.constructor.ConstructorError as err:
        mark = err.problem_mark or err.context_mark
        tag = getattr(err, "problem", "") or ""
        raise YamlError(f"unsupported YAML tag ({tag.strip()}); a case file holds plain "
                        "text, numbers and lists only", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err)
        raise YamlError(f"not valid YAML: {problem}", mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()


@dataclass
class CaseDocument:
    """One case file as read: its data and the line of each field, or why it could not be read."""

    path: Path
    data: object = None
    lines: dict[str, int] = field(default_factory=dict)
    error: YamlError | None = None

    @property
    def display_path(self) -> str:
        """The path as shown in messages: relative to the repository where possible."""
        try:
            return self.path.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            return self.path.as_posix()


def case_paths(paths: list[Path] | None = None) -> list[Path]:
    """The case files to read: the given files and folders, or every ``data/cases/*.yml``."""
    if not paths:
        paths = [CASES_DIR]
    found: list[Path] = []
    for path in map(Path, paths):
        found.extend(sorted(path.glob("*.yml")) if path.is_dir() else [path])
    return found


def read_second_codings() -> list[CaseDocument]:
    """The independent second codings in ``data/reliability`` (for inter-coder agreement)."""
    return read_case_documents([SECOND_CODING_DIR]) if SECOND_CODING_DIR.is_dir() else []


def read_case_documents(paths: list[Path] | None = None) -> list[CaseDocument]:
    """Read case files as :class:`CaseDocument` objects, never raising for bad content."""
    documents = []
    for path in case_paths(paths):
        try:
            data, lines = parse_yaml(path.read_text(encoding="utf-8"))
            documents.append(CaseDocument(path, data, lines))
        except YamlError as err:
            documents.append(CaseDocument(path, error=err))
        except (OSError, UnicodeDecodeError) as err:
            documents.append(CaseDocument(path, error=YamlError(f"cannot read file: {err}")))
    return documents


def read_codebook(path: Path = CODEBOOK_PATH) -> dict:
    """The codebook: ``{vocabulary: {label, definition, codes: [{code, label, ...}]}}``."""
    data, _ = parse_yaml(Path(path).read_text(encoding="utf-8"))
    return data["vocabularies"]


def read_case_template(case_id: str = "new-case") -> str:
    """The commented template that ``new-case`` writes, for the given id."""
    return TEMPLATE_PATH.read_text(encoding="utf-8").replace("{case_id}", case_id)


def read_status(path: Path = STATUS_PATH) -> dict:
    """The review's status statement (search dates, update plan)."""
    data, _ = parse_yaml(Path(path).read_text(encoding="utf-8"))
    return data


def read_references(path: Path = REFERENCES_PATH) -> bibtexparser.Library:
    """``references.bib`` parsed with bibtexparser v2 (fields and keys as written)."""
    return bibtexparser.parse_string(Path(path).read_text(encoding="utf-8"))


@dataclass
class Review:
    """The coded dataset as tidy tables, plus the codebook and bibliography."""

    cases: pd.DataFrame
    roles: pd.DataFrame
    factors: pd.DataFrame
    outcomes: pd.DataFrame
    sources: pd.DataFrame
    codebook: dict
    references: bibtexparser.Library
    documents: dict = field(default_factory=dict)
    second_codings: dict = field(default_factory=dict)


CASE_COLUMNS = ["id", "title", "summary", "country", "place", "year_documented", "year_started",
                "sector", "lead_organisations", "participants", "coproduction_levels",
                "citizen_participation", "tu2022_reference", "coder", "coded_on", "file"]
CODED_COLUMNS = ["case_id", "code", "basis", "note", "url", "section"]
ROLE_COLUMNS = CODED_COLUMNS
FACTOR_COLUMNS = ["case_id", "code", "side", "direction", "basis", "note", "url", "section"]
OUTCOME_COLUMNS = ["case_id", "code", "group", "evidence", "basis", "note", "url", "section"]
SOURCE_COLUMNS = ["case_id", "citekey", "url"]


def _attribute(codebook: dict, vocabulary: str, name: str) -> dict:
    return {c["code"]: c.get(name) for c in codebook[vocabulary]["codes"]}


def tabulate(documents: list[dict], codebook: dict) -> dict[str, pd.DataFrame]:
    """Turn validated case dictionaries into tidy tables (one row per case or coded value)."""
    citizen = _attribute(codebook, "participant_group", "citizen")
    side = _attribute(codebook, "factor", "side")
    group = _attribute(codebook, "outcome", "group")
    cases, roles, factors, outcomes, sources = [], [], [], [], []
    for doc in documents:
        case_id = doc["id"]
        cases.append({
            "id": case_id, "title": doc["title"], "summary": doc["summary"].strip(),
            "country": doc["country"], "place": doc["place"],
            "year_documented": doc["year_documented"], "year_started": doc.get("year_started"),
            "sector": doc["sector"], "lead_organisations": "; ".join(doc["lead_organisations"]),
            "participants": "; ".join(doc["participants"]),
            "coproduction_levels": "; ".join(doc["coproduction_levels"]),
            "citizen_participation": any(citizen[p] for p in doc["participants"]),
            "tu2022_reference": doc.get("tu2022_reference"),
            "coder": doc["coding"]["coder"], "coded_on": str(doc["coding"]["date"]),
            "file": doc.get("_file", f"data/cases/{case_id}.yml"),
        })
        for value in doc["roles"]:
            roles.append(_coded_row(case_id, value))
        for value in doc.get("factors", []):
            factors.append(_coded_row(case_id, value, side=side[value["code"]],
                                      direction=value["direction"]))
        for value in doc["outcomes"]:
            outcomes.append(_coded_row(case_id, value, group=group[value["code"]],
                                       evidence=value["evidence"]))
        for source in doc["sources"]:
            sources.append({"case_id": case_id, "citekey": source["citekey"], "url": source["url"]})
    frames = {
        "cases": pd.DataFrame(cases, columns=CASE_COLUMNS),
        "roles": pd.DataFrame(roles, columns=ROLE_COLUMNS),
        "factors": pd.DataFrame(factors, columns=FACTOR_COLUMNS),
        "outcomes": pd.DataFrame(outcomes, columns=OUTCOME_COLUMNS),
        "sources": pd.DataFrame(sources, columns=SOURCE_COLUMNS),
    }
    frames["cases"] = frames["cases"].astype({"year_started": "Int64", "tu2022_reference": "Int64"})
    return {name: frame.sort_values(frame.columns[0], kind="stable").reset_index(drop=True)
            for name, frame in frames.items()}


def _coded_row(case_id: str, value: dict, **extra) -> dict:
    row = {"case_id": case_id, "code": value["code"], **extra, "basis": value["basis"],
           "note": value["note"], "url": value["locator"]["url"],
           "section": value["locator"]["section"]}
    return row


def build_review(documents: list[CaseDocument], codebook: dict,
                 references: bibtexparser.Library,
                 second_codings: list[CaseDocument] = ()) -> Review:
    """Assemble a :class:`Review` from case documents already checked by the validator."""
    data = []
    for doc in documents:
        entry = dict(doc.data)
        entry["_file"] = doc.display_path
        data.append(entry)
    tables = tabulate(data, codebook)
    return Review(codebook=codebook, references=references,
                  documents={d["id"]: d for d in data},
                  second_codings={d.data["id"]: d.data for d in second_codings}, **tables)


# ---- Git history: versions, releases and the dates cases were added ----

RELEASE_PATTERN = "v[0-9]*"


def git(*args: str, root: Path | None = None) -> str | None:
    """Output of a git command in the repository, or None when git or the history is missing."""
    import subprocess
    try:
        result = subprocess.run(["git", *args], cwd=root or ROOT, capture_output=True,
                                text=True, encoding="utf-8", timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def has_history(root: Path | None = None) -> bool:
    """True when the folder is a git checkout whose history can be read."""
    return (git("rev-parse", "--is-inside-work-tree", root=root) or "").strip() == "true"


def is_shallow(root: Path | None = None) -> bool:
    """True for a shallow clone, whose history (and tags) may be incomplete."""
    return (git("rev-parse", "--is-shallow-repository", root=root) or "").strip() == "true"


def release_tags(root: Path | None = None) -> list[tuple[str, str]]:
    """Release tags (``v*``) in version order, each with the date of its commit (YYYY-MM-DD)."""
    out = git("tag", "--list", RELEASE_PATTERN, "--sort=version:refname",
              "--format=%(refname:short) %(*committerdate:short)%(committerdate:short)", root=root)
    return [tuple(line.split(" ", 1)) for line in (out or "").splitlines() if line.strip()]


def build_state(root: Path | None = None) -> dict[str, object]:
    """Where this build stands in the history.

    ``tag``: the release HEAD is exactly at (or None); ``latest``: the newest release tag;
    ``commits_since``: commits after it; ``dirty``: uncommitted changes under data/ or
    references.bib; ``commit`` and ``commit_date`` of HEAD; ``history``: whether git history
    was readable at all.
    """
    if not has_history(root):
        return {"history": False, "tag": None, "latest": None, "commits_since": None,
                "dirty": None, "commit": None, "commit_date": None, "shallow": False}
    head = (git("log", "-1", "--format=%h %cs", root=root) or "").split()
    described = (git("describe", "--tags", "--match", RELEASE_PATTERN, "--long", root=root) or "").strip()
    latest, since = None, None
    if described:
        latest, since, _ = described.rsplit("-", 2)
        since = int(since)
    dirty = bool((git("status", "--porcelain", "--", "data", "references.bib", root=root) or "").strip())
    return {"history": True, "tag": latest if since == 0 and not dirty else None,
            "latest": latest, "commits_since": since, "dirty": dirty,
            "commit": head[0] if head else None, "commit_date": head[1] if len(head) > 1 else None,
            "shallow": is_shallow(root)}


def case_added_dates(root: Path | None = None) -> dict[str, str]:
    """The date each case file was first committed, from git history (YYYY-MM-DD)."""
    out = git("log", "--diff-filter=A", "--format=%x00%cs", "--name-only", "--", "data/cases",
              root=root) or ""
    added: dict[str, str] = {}
    for block in out.split("\x00")[1:]:
        lines = [l for l in block.splitlines() if l.strip()]
        if not lines:
            continue
        date, files = lines[0], lines[1:]
        for name in files:
            if name.startswith("data/cases/") and name.endswith(".yml"):
                added[Path(name).stem] = date  # log runs newest first: keep the oldest
    return added


@dataclass
class Snapshot:
    """The case documents and codebook as they were at one release (or now)."""

    label: str
    date: str | None
    documents: dict[str, dict]
    codebook: dict


def read_snapshot(ref: str, root: Path | None = None) -> Snapshot | None:
    """The data at a git ref (a release tag), read from history without checking it out."""
    names = git("ls-tree", "-r", "--name-only", ref, "--", "data/cases", root=root)
    codebook_text = git("show", f"{ref}:data/codebook.yml", root=root)
    if names is None or codebook_text is None:
        return None
    documents = {}
    for name in names.splitlines():
        if name.endswith(".yml"):
            text = git("show", f"{ref}:{name}", root=root)
            try:
                data, _ = parse_yaml(text or "")
            except YamlError:
                continue
            if isinstance(data, dict) and "id" in data:
                documents[data["id"]] = data
    date = (git("log", "-1", "--format=%cs", ref, root=root) or "").strip() or None
    return Snapshot(ref, date, documents, parse_yaml(codebook_text)[0]["vocabularies"])


def current_snapshot(review: Review, label: str = "this build") -> Snapshot:
    """The working tree's data as a snapshot, for comparison with a release."""
    documents = {k: {f: v for f, v in d.items() if f != "_file"} for k, d in review.documents.items()}
    return Snapshot(label, None, documents, review.codebook)
