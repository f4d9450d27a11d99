"""The export formats of a workshop: a registry of renderers (JSON, CSV, the HTML report, the
Markdown summary, the catalogue written back as YAML)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from conflicts.reports import report as report_mod
from conflicts.reports import writeback as writeback_mod
from conflicts.store import (
    Store,
)
from conflicts.workshops.errors import InvalidSetting
from conflicts.workshops.lifecycle import get_workshop
from conflicts.workshops.model import WorkshopRef
from conflicts.workshops.snapshot import export_data
from conflicts.workshops.voting import list_participants


def _export_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


#: CSV columns: one table, the first column says which kind of record a row is.
CSV_COLUMNS = [
    "record",  # 'ballot' or 'tally'
    "position",
    "interaction_id",
    "title",
    "participant",
    "actor_type",
    "level",
    "method",
    "value",
    "skipped",
    "voting",
    "ballots",
    "skips",
    "mean",
    "median",
    "stdev",
    "total",
    "consensus",
    "rank",
    "catalogue_score",
]


def _export_csv(data: dict) -> str:
    """One CSV table: the ballot rows (``record=ballot``) then the tally per item
    (``record=tally``); columns that do not apply to a record are empty. Filter on ``record``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    method = data["workshop"]["method"]
    for b in data["ballots"]:
        writer.writerow(
            {"record": "ballot", **b, "value": "" if b["value"] is None else b["value"]}
        )
    for it in data["items"]:
        row = {k: ("" if v is None else v) for k, v in it.items() if k != "distribution"}
        for k in ("mean", "median", "stdev", "consensus"):
            if isinstance(row.get(k), float):
                row[k] = f"{row[k]:.4f}"
        writer.writerow({"record": "tally", "method": method, **row})
    return out.getvalue()


def _needs_workshop(render: Callable[..., str]) -> Callable[..., str]:
    """Mark a renderer that is also given ``workshop=`` (its catalogue), ``participants=`` (only
    their self-descriptions are read) and ``lang=``."""
    render.needs_workshop = True  # type: ignore[attr-defined]
    return render


@_needs_workshop
def _export_html(data: dict, **context: Any) -> str:
    return report_mod.render_html(data, **context)


@_needs_workshop
def _export_md(data: dict, **context: Any) -> str:
    return report_mod.render_markdown(data, **context)


@_needs_workshop
def _export_yaml(data: dict, **context: Any) -> str:
    return writeback_mod.render_yaml(data, **context)


#: Export formats: name -> renderer of :func:`export_data`'s dict. Add a format here and the CLI
#: offers it (``workshop export --format``). A renderer marked ``needs_workshop`` also gets the
#: workshop, its participants and the language (see :func:`export_workshop`).
EXPORT_FORMATS: dict[str, Callable[..., str]] = {
    "json": _export_json,
    "csv": _export_csv,
    "html": _export_html,  # the report: one self-contained file (conflicts.reports.report)
    "md": _export_md,  # the summary for the minutes (conflicts.reports.report)
    "yaml": _export_yaml,  # the catalogue written back (conflicts.reports.writeback)
}


def export_workshop(
    code: WorkshopRef,
    format: str = "json",
    *,
    lang: str | None = None,
    store: Store | None = None,
) -> str:
    """The anonymised export of a workshop as text in ``format`` (see :data:`EXPORT_FORMATS`).

    JSON: ``{"workshop": {...}, "items": [...tallies...], "ballots": [...]}``. CSV: one table with
    a ``record`` column (``ballot`` rows, then one ``tally`` row per item). Voter ids appear only
    as pseudonyms (``p-1a2b3c4d``, stable within a workshop); display names never appear.
    HTML: the self-contained report; MD: the summary for the minutes (both in ``lang``, default
    the catalogue's first language; no pseudonyms either). YAML: the catalogue the workshop ran
    on with its added interactions and recorded outcomes merged in (:mod:`conflicts.reports.writeback`).
    Raises :class:`WorkshopNotFound`, :class:`InvalidSetting` (unknown format).
    """
    renderer = EXPORT_FORMATS.get(format)
    if renderer is None:
        raise InvalidSetting(
            f"unknown export format {format!r} (choose {', '.join(EXPORT_FORMATS)})",
            format=format,
        )
    data = export_data(code, store=store)
    if getattr(renderer, "needs_workshop", False):
        return renderer(
            data,
            workshop=get_workshop(code, store=store),
            participants=list_participants(code, store=store),
            lang=lang,
        )
    return renderer(data)
