"""Command line: ``python -m analysis validate|new-case|stats|schema``."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import load, tables
from .schema import SLUG, case_schema
from .validate import validate_paths

def _count(n: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {noun if n == 1 else plural}"


def cmd_validate(args: argparse.Namespace) -> int:
    """Report every problem, one per line; exit 1 if there is any."""
    docs, problems = validate_paths(args.paths or None)
    for problem in sorted(problems, key=lambda p: (p.file, p.line or 0)):
        print(problem.github_annotation() if args.format == "github" else problem)
    if problems:
        files = len({p.file for p in problems})
        print(f"{_count(len(problems), 'problem')} in {_count(files, 'file')} "
              "(validation only reads; fix these in the files named).", file=sys.stderr)
        return 1
    review = load.build_review(docs, load.read_codebook(), load.read_references())
    figures = tables.overview(review)
    print(f"OK: {_count(figures['cases'], 'case')} from {_count(figures['countries'], 'country')}, "
          f"{_count(figures['coded_values'], 'coded value')} ({_count(figures['roles_coded'], 'role')}, "
          f"{_count(figures['factors_coded'], 'factor')}, {_count(figures['outcomes_coded'], 'outcome')}), "
          "each with basis, note and locator.")
    return 0


def _shown_path(path: Path) -> str:
    """A path relative to the current folder when it is below it (no symlinks resolved)."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def cmd_new_case(args: argparse.Namespace) -> int:
    """Write a commented template for a new case; never overwrite."""
    import re
    if not re.match(SLUG, args.id):
        print(f"new-case: id: found '{args.id}'; expected a slug of lowercase letters, digits "
              "and single hyphens, e.g. bristol-community-energy", file=sys.stderr)
        return 2
    target = Path(args.directory) / f"{args.id}.yml"
    if target.exists():
        print(f"new-case: {target} already exists; it was left unchanged. Edit it, or choose "
              "another id.", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(load.read_case_template(args.id))
    print(f"Wrote {_shown_path(target)}. Fill it in, then run: "
          f"{_shown_path(Path(sys.executable))} -m analysis validate {_shown_path(target)}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Print case counts by role, factor and outcome."""
    from .validate import checked_review
    review = checked_review()
    figures = tables.overview(review)
    print(f"{figures['cases']} cases ({figures['citizen_cases']} with citizen participants), "
          f"{figures['countries']} countries, {figures['sectors']} sectors")
    for title, table in (("Citizen roles", tables.role_distribution(review)),
                         ("Critical factors", tables.factor_frequency(review)),
                         ("Outcomes", tables.outcome_distribution(review))):
        print(f"\n{title} (cases of n={int(table['n'].iloc[0])})")
        width = int(table["label"].str.len().max())
        for row in table.itertuples():
            print(f"  {row.label:<{width}}  {row.cases:>3}  {row.share:6.1%}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema generated from the codebook."""
    print(json.dumps(case_schema(load.read_codebook()), indent=2, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis",
                                     description="Coproduction Living Review: data tools")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check case files (default: data/cases)")
    check.add_argument("paths", nargs="*", type=Path, help="case files or folders")
    check.add_argument("--format", choices=["text", "github"], default="text",
                       help="github: print ::error annotations for pull requests")
    check.set_defaults(run=cmd_validate)
    new = commands.add_parser("new-case", help="write a template data/cases/<id>.yml")
    new.add_argument("id", help="the case id, a slug such as bristol-community-energy")
    new.add_argument("--directory", default=str(load.CASES_DIR), help=argparse.SUPPRESS)
    new.set_defaults(run=cmd_new_case)
    commands.add_parser("stats", help="counts by role, factor and outcome").set_defaults(run=cmd_stats)
    commands.add_parser("schema", help="print the case JSON Schema").set_defaults(run=cmd_schema)
    args = parser.parse_args(argv)
    return args.run(args)
