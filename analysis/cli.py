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


def _count(n: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else \
        noun + "es" if noun.endswith(("ch", "sh", "s", "x")) else noun + "s"
    return f"{n} {noun if n == 1 else plural}"


def cmd_validate(args: argparse.Namespace) -> int:
    """Report every problem, one per line; exit 1 if there is any."""
    checked = load.check(args.paths or None)
    for problem in sorted(checked.problems, key=lambda p: (p.file, p.line or 0, p.field)):
        print(problem.github_annotation() if args.format == "github" else problem)
    if checked.problems:
        files = len({p.file for p in checked.problems})
        print(f"{_count(len(checked.problems), 'problem')} in {_count(files, 'file')} "
              "(validation only reads; fix these in the files named).", file=sys.stderr)
        return 1
    print(_summary(checked))
    return 0


def _summary(checked: load.Checked) -> str:
    from .dataset.countries import region
    from .dataset.second_reading import coded_values
    cases = [r.data for r in checked.cases]
    countries = {c["country"] for c in cases}
    outside = sum(region(c["country"]) != "Europe" for c in cases)
    values = sum(len(coded_values(c)) for c in cases)
    line = (f"OK: {_count(len(cases), 'case')} from {_count(len(countries), 'country')} "
            f"({outside} of the cases outside Europe), {_count(values, 'coded value')}, each "
            "with basis, note and locator.")
    if checked.parts:
        from .dataset.review import second_reading_tables
        status, _ = second_reading_tables({c["id"]: c for c in cases},
                                          checked.parts.get("second_readings", {}))
        checked_values = int(status["status"].isin(["confirmed", "corrected"]).sum())
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
    """Write a commented template for a new case; never overwrite."""
    if not re.match(schemas.SLUG, args.id) or len(args.id) > schemas.SLUG_MAX:
        print(f"new-case: id: found {shown(args.id)}; expected a slug of lowercase letters, "
              f"digits and single hyphens, at most {schemas.SLUG_MAX} characters, e.g. "
              "bristol-community-energy", file=sys.stderr)
        return 1
    target = Path(args.directory) / f"{args.id}.yml"
    if target.exists() or target.is_symlink():
        print(f"new-case: {_shown_path(target)}: already exists; it was left unchanged. Edit it, "
              "or choose another id.", file=sys.stderr)
        return 1
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as handle:
            handle.write(load.read_case_template(args.id))
    except OSError as err:
        print(f"new-case: {_shown_path(target)}: cannot be written ({err.strerror or err})",
              file=sys.stderr)
        return 1
    print(f"Wrote {_shown_path(target)}. Fill it in, then run: "
          f"{_shown_path(Path(sys.executable))} -m analysis validate {_shown_path(target)}")
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
    new.set_defaults(run=cmd_new_case)
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
