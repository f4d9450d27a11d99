"""``python -m conflicts series create | add | remove | export``: regional series from the
command line.

The CLI is trusted (it holds the database): it makes local grants, as ``workshop export`` does,
so ``add`` and ``remove`` need no series key. Errors and output as the ``workshop`` commands
(:mod:`conflicts.cli_common`): ``error [code]: message`` on stderr and exit code 1.
"""

from __future__ import annotations

import argparse

from conflicts import cli_common as common
from conflicts import series
from conflicts import workshops as ws
from conflicts.series.export import SERIES_FORMATS, export_series


@common.domain_command
def _create(args: argparse.Namespace) -> int:
    store = common.store_of(args)
    rooms = [ws.local_grant(code, store=store) for code in args.codes]
    created = series.create_series(args.title, rooms, store=store)
    s = created.series
    if args.json:
        return common.print_json({"series": s.code, "key": created.key})
    print(f"Series created: {s.title} ({len(s.workshops)} workshops)")
    print(f"  series id:         {s.code}")
    print(f"  series key:        {created.key}")
    print(f"  regional view:     /series?id={s.code}")
    print(f"  regional projector: /series/projector?id={s.code}")
    print("The series key is shown only once: keep it.")
    return 0


def _rooms(s: series.Series) -> int:
    """The series and its rooms after a change: ``S-7KQ3XM: K7M2QX, P4N8RT``."""
    print(f"{s.code}: {', '.join(s.workshops)}")
    return 0


@common.domain_command
def _add(args: argparse.Namespace) -> int:
    store = common.store_of(args)
    grant = series.local_series_grant(args.series, store=store)
    return _rooms(series.add_workshop(grant, ws.local_grant(args.code, store=store), store=store))


@common.domain_command
def _remove(args: argparse.Namespace) -> int:
    store = common.store_of(args)
    grant = series.local_series_grant(args.series, store=store)
    return _rooms(series.remove_workshop(grant, args.code, store=store))


@common.domain_command
def _export(args: argparse.Namespace) -> int:
    store = common.store_of(args)
    grant = series.local_series_grant(args.series, store=store)
    return common.write_output(
        export_series(grant, args.format, weighting=args.weighting, store=store), args
    )


def _series_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("series", metavar="SERIES", help="the series id (S-...)")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``series`` command and its sub-commands to the top-level sub-parsers."""
    p = sub.add_parser("series", help="group workshops on one catalogue into a regional series")
    ssub = p.add_subparsers(dest="series_command", required=True)

    c = ssub.add_parser("create", help="create a series; prints its id and key")
    c.add_argument("codes", nargs="*", metavar="CODE", help="join codes of its workshops")
    c.add_argument("--title", required=True, help="the series' title")
    common.add_json(c, 'print {"series", "key"} as JSON')
    c.set_defaults(func=_create)

    for name, func, text in (
        ("add", _add, "add a workshop to a series"),
        ("remove", _remove, "take a workshop out of a series (its results stay)"),
    ):
        a = ssub.add_parser(name, help=text)
        _series_argument(a)
        a.add_argument("code", metavar="CODE", help="the workshop's join code")
        a.set_defaults(func=func)

    e = ssub.add_parser(
        "export",
        help="export the regional report (html, md), the JSON, or the catalogue written back",
        description="Export a series (anonymous). html: the regional report, one offline file; "
        "md: the summary; json: every room per conflict and the aggregate; yaml: the catalogue "
        "with every room's history per interaction.",
    )
    _series_argument(e)
    e.add_argument("--format", choices=list(SERIES_FORMATS), default="json")
    e.add_argument(
        "--weighting",
        choices=["equal", "participants"],
        default=None,
        help="weigh rooms equally or by participants (default: the series' choice)",
    )
    common.add_output(e)
    e.set_defaults(func=_export)
