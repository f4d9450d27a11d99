"""``python -m conflicts workshop ...``: create, list and export workshops from the command line.

The database comes from :class:`conflicts.services.Services` (default: the environment,
``CONFLICTS_DATABASE_URL`` / ``CONFLICTS_DATA_DIR``, see :mod:`conflicts.config`). The CLI is
trusted (it holds the database): ``export`` uses :func:`conflicts.workshops.local_grant`. Exit codes: 0 success, 1 a domain error (printed as
``error [code]: message`` on stderr), 2 usage error.

* ``workshop create CATALOGUE [--title T] [--json]`` -- CATALOGUE is a file or a bundled name.
  ``--json`` prints exactly ``{"code", "join_path", "facilitator_key"}``.
* ``workshop export CODE --format html|md|csv|json|yaml [--output FILE]`` -- the formats are the
  keys of :data:`conflicts.reports.export.EXPORT_FORMATS`, so a new format needs no change here: ``html``
  the self-contained report (opens offline, prints to PDF), ``md`` the summary for the minutes,
  ``csv``/``json`` the anonymised ballots and tallies, ``yaml`` the catalogue written back with
  the workshop's accepted proposals and recorded outcomes (the next round starts from it).
* ``workshop list [--json]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from conflicts import workshops as ws
from conflicts.errors import CatalogueError, ConflictsError
from conflicts.reports import export
from conflicts.services import Services


def _fail(exc: ConflictsError) -> int:
    if isinstance(exc, CatalogueError):
        for p in exc.problems:
            print(p, file=sys.stderr)
        print(f"error [invalid_catalogue]: {len(exc.problems)} problem(s)", file=sys.stderr)
    else:
        print(f"error [{getattr(exc, 'code', 'error')}]: {exc}", file=sys.stderr)
    return 1


def _store(args: argparse.Namespace):
    """The store of the services this command runs with (made from the environment once)."""
    if args.services is None:
        args.services = Services.from_env()
    return args.services.store


def _create(args: argparse.Namespace) -> int:
    try:
        created = ws.create_workshop(args.catalogue, title=args.title, store=_store(args))
    except ConflictsError as exc:
        return _fail(exc)
    w = created.workshop
    if args.json:
        print(
            json.dumps(
                {
                    "code": w.code,
                    "join_path": w.join_path,
                    "facilitator_key": created.facilitator_key,
                }
            )
        )
    else:
        print(f"Workshop created: {w.title} ({len(w.items)} items on the agenda, status draft)")
        print(f"  join code:        {w.code}")
        print(f"  participant URL:  {w.join_path}")
        print(f"  facilitator key:  {created.facilitator_key}")
        print("The facilitator key is shown only once: keep it.")
    return 0


def _export(args: argparse.Namespace) -> int:
    try:
        store = _store(args)
        grant = ws.local_grant(args.code, store=store)  # the CLI is trusted: it holds the database
        text = export.export_workshop(grant, args.format, store=store)
    except ConflictsError as exc:
        return _fail(exc)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _list(args: argparse.Namespace) -> int:
    try:
        found = ws.list_workshops(store=_store(args))
    except ConflictsError as exc:
        return _fail(exc)
    if args.json:
        rows = [
            {
                "code": w.code,
                "title": w.title,
                "status": w.status,
                "catalogue": w.catalogue_name,
                "created_at": w.created_at.isoformat(),
            }
            for w in found
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for w in found:
            print(f"{w.code}  {w.status:<6}  {w.created_at:%Y-%m-%d %H:%M}  {w.title}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``workshop`` command and its sub-commands to the top-level sub-parsers."""
    p = sub.add_parser("workshop", help="create, list and export workshops")
    wsub = p.add_subparsers(dest="workshop_command", required=True)

    c = wsub.add_parser("create", help="create a workshop; prints join code and facilitator key")
    c.add_argument("catalogue", metavar="CATALOGUE", help="a catalogue file or a bundled name")
    c.add_argument("--title", help="workshop title (default: the catalogue's title)")
    c.add_argument(
        "--json",
        action="store_true",
        help='print {"code", "join_path", "facilitator_key"} as JSON',
    )
    c.set_defaults(func=_create)

    e = wsub.add_parser(
        "export",
        help="export the report, the summary, the ballots and tallies, or the catalogue",
        description="Export a workshop (anonymous: no voter ids or names). html: the report, one "
        "self-contained file that opens offline and prints to PDF; md: the summary for the "
        "minutes; csv, json: ballots (pseudonymous) and tallies; yaml: the catalogue with the "
        "workshop's accepted proposals and recorded outcomes merged in, for the next round.",
    )
    e.add_argument("code", metavar="CODE", help="the workshop's join code")
    e.add_argument(
        "--format",
        choices=list(export.EXPORT_FORMATS),
        default="json",
        help="html | md | csv | json | yaml (default: json)",
    )
    e.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    e.set_defaults(func=_export)

    ls = wsub.add_parser("list", help="list the workshops in the database")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)
