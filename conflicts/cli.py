"""Command line: ``python -m conflicts validate | schema | workshop ... | series ...``.

Exit codes: 0 success, 1 invalid input (e.g. a catalogue with problems), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys

from conflicts.catalogue import json_schema, validate_file
from conflicts.series_cli import register as register_series
from conflicts.services import Services
from conflicts.workshop_cli import register as register_workshop


def _validate(args: argparse.Namespace) -> int:
    results = [validate_file(path) for path in args.files]
    if args.json:
        print(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            if r.valid:
                c = r.catalogue.counts()
                print(
                    f"{r.file}: OK ({c['goals']} goals, {c['subgoals']} sub-goals, "
                    f"{c['actors']} actors, {c['interactions']} interactions: "
                    f"{c['conflicts']} conflicts, {c['synergies']} synergies)"
                )
            else:
                for p in r.problems:
                    print(p, file=sys.stderr)
                print(f"{r.file}: {len(r.problems)} problem(s)", file=sys.stderr)
    return 0 if all(r.valid for r in results) else 1


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return 0


def _register_catalogue(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="validate catalogue files (exit 1 if any is invalid)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print a JSON list, one object per file")
    p.set_defaults(func=_validate)
    p = sub.add_parser("schema", help="print the JSON Schema of the catalogue format")
    p.set_defaults(func=_schema)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m conflicts", description="Målkonflikt: goal-conflict workshops."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _register_catalogue(sub)
    register_workshop(sub)  # the workshop commands live with the workshop domain
    register_series(sub)
    return parser


def main(argv: list[str] | None = None, *, services: Services | None = None) -> int:
    """Run one command; ``services`` (default: :meth:`Services.from_env`, made only by the
    commands that need the database) lets a caller point the CLI at its own store."""
    args = build_parser().parse_args(argv)
    args.services = services
    return args.func(args)
