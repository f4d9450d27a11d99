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

from conflicts import cli_common as common
from conflicts import workshops as ws
from conflicts.reports import export


@common.domain_command
def _create(args: argparse.Namespace) -> int:
    created = ws.create_workshop(args.catalogue, title=args.title, store=common.store_of(args))
    w = created.workshop
    if args.json:
        return common.print_json(
            {"code": w.code, "join_path": w.join_path, "facilitator_key": created.facilitator_key}
        )
    print(f"Workshop created: {w.title} ({len(w.items)} items on the agenda, status draft)")
    print(f"  join code:        {w.code}")
    print(f"  participant URL:  {w.join_path}")
    print(f"  facilitator key:  {created.facilitator_key}")
    print("The facilitator key is shown only once: keep it.")
    return 0


@common.domain_command
def _export(args: argparse.Namespace) -> int:
    store = common.store_of(args)
    grant = ws.local_grant(args.code, store=store)  # the CLI is trusted: it holds the database
    return common.write_output(export.export_workshop(grant, args.format, store=store), args)


@common.domain_command
def _list(args: argparse.Namespace) -> int:
    found = ws.list_workshops(store=common.store_of(args))
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
    common.add_json(c, 'print {"code", "join_path", "facilitator_key"} as JSON')
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
    common.add_output(e)
    e.set_defaults(func=_export)

    ls = wsub.add_parser("list", help="list the workshops in the database")
    common.add_json(ls, "print a JSON list")
    ls.set_defaults(func=_list)
