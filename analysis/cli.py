"""Command line: ``python -m analysis validate|new-case|second-reading|stats|schema``."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

from .dataset import load, schema as schemas
from .dataset.policies import printable
from .dataset.validation import shown


from .synthesis.formatting import count as _count


def cmd_validate(args: argparse.Namespace) -> int:
    """Report every problem, one per line; exit 1 if there is any. A run over exactly the same
    files as the last one repeats its report from the cache under _build/."""
    key = load.input_digest(args.paths or None)
    report = load.cached_report(key)
    if report is None:
        checked = load.check(args.paths or None)
        ordered = sorted(checked.problems, key=lambda p: (p.file, p.line or 0, p.field))
        report = ([str(p) for p in ordered], [p.github_annotation() for p in ordered],
                  _summary(checked) if not ordered else
                  f"{_count(len(ordered), 'problem')} in {_count(len({p.file for p in ordered}), 'file')} "
                  "(validation only reads; fix these in the files named).")
        load.keep_report(key, report)
    lines, annotations, summary = report
    for line in annotations if args.format == "github" else lines:
        print(line)
    if lines:
        print(summary, file=sys.stderr)
        return 1
    print(summary)
    return 0


def _summary(checked: load.Checked) -> str:
    from .dataset.countries import region
    from .dataset.second_reading import CHECKED, coded_values, reading_status
    cases = [r.data for r in checked.cases]
    countries = {c["country"] for c in cases}
    outside = sum(region(c["country"]) != "Europe" for c in cases)
    values = sum(len(coded_values(c)) for c in cases)
    line = (f"OK: {_count(len(cases), 'case')} from {_count(len(countries), 'country')} "
            f"({outside} of the cases outside Europe), {_count(values, 'coded value')}, each "
            "with basis, note and locator.")
    if checked.parts:
        readings = checked.parts.get("second_readings", {})
        checked_values = sum(row["status"] in CHECKED for case in cases if case["id"] in readings
                             for row in reading_status(case, readings[case["id"]]))
        screening = checked.parts.get("screening", [])
        included = {rec["case"] for s in screening for rec in s["candidates"]
                    if rec["decision"] == "included"}
        line += (f"\n{checked_values} of {values} values checked by a second reader; "
                 f"{len(included)} of {len(cases)} cases have an included record in a "
                 f"screening log of {_count(len(screening), 'search')}.")
    return line


def _shown_path(path: Path) -> str:
    """A path relative to the current folder when it is below it (no symlinks resolved), on
    one line (control and bidirectional characters escaped)."""
    try:
        return printable(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return printable(path)


def cmd_new_case(args: argparse.Namespace) -> int:
    """Write a commented case template and a screening-record template; never overwrite."""
    if not re.match(schemas.SLUG, args.id) or len(args.id) > schemas.SLUG_MAX:
        print(f"new-case: id: found {shown(args.id)}; expected a slug of lowercase letters, "
              f"digits and single hyphens, at most {schemas.SLUG_MAX} characters, e.g. "
              "bristol-community-energy", file=sys.stderr)
        return 1
    case_file = Path(args.directory) / f"{args.id}.yml"
    search_file = Path(args.screening) / f"{args.id}.yml"
    for target in (case_file, search_file):
        if target.exists() or target.is_symlink():
            print(f"new-case: {_shown_path(target)}: already exists; nothing was written. Edit "
                  "it, or choose another id.", file=sys.stderr)
            return 1
    try:
        for target, text in ((case_file, load.read_case_template(args.id)),
                             (search_file, load.read_screening_template(args.id))):
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "x", encoding="utf-8") as handle:
                handle.write(text)
    except OSError as err:
        print(f"new-case: {_shown_path(Path(err.filename or target))}: cannot be written "
              f"({err.strerror or err})", file=sys.stderr)
        return 1
    print(f"Wrote {_shown_path(case_file)} (the case) and {_shown_path(search_file)} (how you "
          f"found it). Fill them in, then run: {_shown_path(Path(sys.executable))} -m analysis "
          "validate")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    """Print the entry that records a release in data/releases.yml (for the current commit)."""
    if not re.match(r"^\d+\.\d+$", args.version):
        print(f"release: version: found {shown(args.version)}; expected MAJOR.MINOR such as 2.1",
              file=sys.stderr)
        return 1
    commit = (load.git("rev-parse", "HEAD") or "").strip()
    if not commit or load.git("status", "--porcelain", "--", "data", "references.bib"):
        print("release: commit the data first: a release names a commit whose data is "
              "committed", file=sys.stderr)
        return 1
    print(f"  - version: \"{args.version}\"\n    date: {dt.date.today()}\n    commit: {commit}\n"
          f"    approved_by: {json.dumps(args.approved_by)}\n    summary: {json.dumps(args.summary)}")
    return 0


def cmd_second_reading(args: argparse.Namespace) -> int:
    """Print a second-reading file for a case: one record per value, with its fingerprint."""
    from .dataset.second_reading import reading_template
    path = load.CASES_DIR / f"{args.id}.yml"
    if not re.match(schemas.SLUG, args.id) or not path.is_file():
        print(f"second-reading: id: found {shown(args.id)}; expected the id of a case in "
              "data/cases", file=sys.stderr)
        return 1
    checked = load.check([path])
    if checked.problems:
        for problem in checked.problems:
            print(problem, file=sys.stderr)
        return 1
    print(reading_template(checked.cases[0].data, args.reader, dt.date.today().isoformat()), end="")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Print case counts by role, factor and outcome."""
    from .synthesis import populations, tables
    try:
        review = load.open_review()
    except load.InvalidData as err:
        print(err, file=sys.stderr)
        return 1
    cases = populations.citizen_cases(review)
    print(f"{len(review.cases)} cases ({len(cases)} with citizen participants), "
          f"{review.cases['country'].nunique()} countries")
    for title, table in (("Citizen roles", tables.role_distribution(review)),
                         ("Critical factors", tables.factor_frequency(review)),
                         ("Outcomes", tables.outcome_distribution(review))):
        print(f"\n{title} (cases of n={int(table['n'].iloc[0])})")
        width = int(table["label"].str.len().max())
        for row in table.itertuples():
            print(f"  {row.label:<{width}}  {row.cases:>4}  {row.share:6.1%}")
    return 0


SCHEMAS = {"case": lambda cb: schemas.case_schema(cb), "screening": schemas.screening_schema,
           "second-reading": schemas.second_reading_schema,
           "second-coding": schemas.second_coding_schema}


def cmd_schema(args: argparse.Namespace) -> int:
    """Print a JSON Schema generated from the codebook."""
    from .dataset.codebook import Codebook
    data_file = load.read_data_file(load.CODEBOOK_PATH)
    if data_file.error is not None:
        print(f"{data_file.file}: {data_file.error}", file=sys.stderr)
        return 1
    codebook = Codebook(data_file.data["vocabularies"], data_file.data.get("format", 1))
    print(json.dumps(SCHEMAS[args.kind](codebook), indent=2, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis",
                                     description="Coproduction Living Review: data tools")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check the data (default: all of it)")
    check.add_argument("paths", nargs="*", type=Path, help="case files or folders")
    check.add_argument("--format", choices=["text", "github"], default="text",
                       help="github: print ::error annotations for pull requests")
    check.set_defaults(run=cmd_validate)
    new = commands.add_parser("new-case", help="write a template data/cases/<id>.yml")
    new.add_argument("id", help="the case id, a slug such as bristol-community-energy")
    new.add_argument("--directory", default=str(load.CASES_DIR), help=argparse.SUPPRESS)
    new.add_argument("--screening", default=str(load.DATA / "screening"), help=argparse.SUPPRESS)
    new.set_defaults(run=cmd_new_case)
    release = commands.add_parser("release", help="print the data/releases.yml entry of a release")
    release.add_argument("version", help="MAJOR.MINOR, e.g. 2.1")
    release.add_argument("--approved-by", required=True, help="who approves the release")
    release.add_argument("--summary", required=True, help="one line on what the release holds")
    release.set_defaults(run=cmd_release)
    reading = commands.add_parser("second-reading",
                                  help="print a second-reading file for a case, to fill in")
    reading.add_argument("id", help="the case id")
    reading.add_argument("--reader", required=True, help="your name or handle")
    reading.set_defaults(run=cmd_second_reading)
    commands.add_parser("stats", help="counts by role, factor and outcome").set_defaults(run=cmd_stats)
    schema = commands.add_parser("schema", help="print a JSON Schema generated from the codebook")
    schema.add_argument("kind", nargs="?", default="case", choices=list(SCHEMAS))
    schema.set_defaults(run=cmd_schema)
    args = parser.parse_args(argv)
    return args.run(args)
