"""``python -m conflicts series create | add | export``: regional series from the command line.

The CLI is trusted (it holds the database): it makes local grants, as ``workshop export`` does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from conflicts import series
from conflicts import workshops as ws
from conflicts.errors import ConflictsError
from conflicts.series.export import SERIES_FORMATS, export_series
from conflicts.workshop_cli import _fail, _store


def _create(args: argparse.Namespace) -> int:
    try:
        store = _store(args)
        rooms = [ws.local_grant(code, store=store) for code in args.codes]
        created = series.create_series(args.title, rooms, store=store)
    except ConflictsError as exc:
        return _fail(exc)
    s = created.series
    if args.json:
        print(json.dumps({"series": s.code, "key": created.key}))
    else:
        print(f"Series created: {s.title} ({len(s.workshops)} workshops)")
        print(f"  series id:         {s.code}")
        print(f"  series key:        {created.key}")
        print(f"  regional view:     /series?id={s.code}")
        print(f"  regional projector: /series/projector?id={s.code}")
        print("The series key is shown only once: keep it.")
    return 0


def _add(args: argparse.Namespace) -> int:
    try:
        store = _store(args)
        grant = series.local_series_grant(args.series, store=store)
        s = series.add_workshop(grant, ws.local_grant(args.code, store=store), store=store)
    except ConflictsError as exc:
        return _fail(exc)
    print(f"{s.code}: {', '.join(s.workshops)}")
    return 0


def _export(args: argparse.Namespace) -> int:
    try:
        store = _store(args)
        grant = series.local_series_grant(args.series, store=store)
        text = export_series(grant, args.format, weighting=args.weighting, store=store)
    except ConflictsError as exc:
        return _fail(exc)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``series`` command and its sub-commands to the top-level sub-parsers."""
    p = sub.add_parser("series", help="group workshops on one catalogue into a regional series")
    ssub = p.add_subparsers(dest="series_command", required=True)

    c = ssub.add_parser("create", help="create a series; prints its id and key")
    c.add_argument("codes", nargs="*", metavar="CODE", help="join codes of its workshops")
    c.add_argument("--title", required=True, help="the series' title")
    c.add_argument("--json", action="store_true", help='print {"series", "key"} as JSON')
    c.set_defaults(func=_create)

    a = ssub.add_parser("add", help="add a workshop to a series")
    a.add_argument("series", metavar="SERIES", help="the series id (S-...)")
    a.add_argument("code", metavar="CODE", help="the workshop's join code")
    a.set_defaults(func=_add)

    e = ssub.add_parser(
        "export",
        help="export the regional report (html, md), the JSON, or the catalogue written back",
        description="Export a series (anonymous). html: the regional report, one offline file; "
        "md: the summary; json: every room per conflict and the aggregate; yaml: the catalogue "
        "with every room's history per interaction.",
    )
    e.add_argument("series", metavar="SERIES", help="the series id (S-...)")
    e.add_argument("--format", choices=list(SERIES_FORMATS), default="json")
    e.add_argument(
        "--weighting",
        choices=["equal", "participants"],
        default=None,
        help="weigh rooms equally or by participants (default: the series' choice)",
    )
    e.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    e.set_defaults(func=_export)
