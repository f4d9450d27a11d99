"""What the database commands of the CLI share (``workshop ...``, ``series ...``).

* :func:`domain_command`: a domain error is printed as ``error [code]: message`` on stderr and
  exits 1 (a catalogue's problems one a line first); no traceback.
* :func:`store_of`: the store of the services the command runs with (made from the environment
  once, only by the commands that need the database).
* :func:`add_output` / :func:`write_output`: ``--output FILE`` or stdout.
* :func:`add_json` / :func:`print_json`: ``--json`` and its one-line output.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conflicts.errors import CatalogueError, ConflictsError
from conflicts.services import Services
from conflicts.store import Store

Command = Callable[[argparse.Namespace], int]


def fail(exc: ConflictsError) -> int:
    """Print a domain error for the terminal; the exit code 1."""
    if isinstance(exc, CatalogueError):
        for p in exc.problems:
            print(p, file=sys.stderr)
        print(f"error [invalid_catalogue]: {len(exc.problems)} problem(s)", file=sys.stderr)
    else:
        print(f"error [{getattr(exc, 'code', 'error')}]: {exc}", file=sys.stderr)
    return 1


def domain_command(fn: Command) -> Command:
    """``fn(args)``, with a domain error printed by :func:`fail` (exit code 1)."""

    @functools.wraps(fn)
    def run(args: argparse.Namespace) -> int:
        try:
            return fn(args)
        except ConflictsError as exc:
            return fail(exc)

    return run


def store_of(args: argparse.Namespace) -> Store:
    """The store of the services this command runs with (made from the environment once)."""
    if args.services is None:
        args.services = Services.from_env()
    return args.services.store


def add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")


def write_output(text: str, args: argparse.Namespace) -> int:
    """``text`` to ``--output`` (UTF-8) or stdout; the exit code 0."""
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def add_json(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--json", action="store_true", help=help_text)


def print_json(value: Any) -> int:
    """``value`` as one line of JSON (non-ASCII kept); the exit code 0."""
    print(json.dumps(value, ensure_ascii=False))
    return 0
