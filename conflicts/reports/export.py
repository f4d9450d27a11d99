"""The export formats of a workshop: a registry of renderers, as Datasette's output renderers.

Every renderer gets the same :class:`RenderContext` (the workshop's snapshot, read in ONE
transaction, + the language + options) and returns text. Add a format by adding one entry to
:data:`EXPORT_FORMATS`: the CLI (``workshop export --format``) and the results page offer it.

>>> sorted(EXPORT_FORMATS)
['csv', 'html', 'json', 'md', 'yaml']
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from conflicts.reports import report as report_mod
from conflicts.reports import summary as summary_mod
from conflicts.reports import writeback as writeback_mod
from conflicts.reports.results import WorkshopResults, results_of
from conflicts.store import Store
from conflicts.workshops import FacilitatorGrant, InvalidSetting, WorkshopSnapshot, snapshot

__all__ = ["CSV_COLUMNS", "EXPORT_FORMATS", "RenderContext", "export_workshop"]


@dataclass(frozen=True)
class RenderContext:
    """What every renderer is given: the snapshot, the language (None: the catalogue's first)
    and format options."""

    snapshot: WorkshopSnapshot
    lang: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def data(self) -> dict:
        """The anonymised export dict (:func:`conflicts.workshops.export_data`)."""
        return self.snapshot.data


def _export_json(ctx: RenderContext) -> str:
    return json.dumps(ctx.data, ensure_ascii=False, indent=2) + "\n"


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


def _export_csv(ctx: RenderContext) -> str:
    """One CSV table: the ballot rows (``record=ballot``) then the tally per item
    (``record=tally``); columns that do not apply to a record are empty. Filter on ``record``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    data = ctx.data
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


def _export_html(ctx: RenderContext) -> str:
    results, cat, lang = _results(ctx)
    return report_mod.html_report(results, cat, lang=lang)


def _export_md(ctx: RenderContext) -> str:
    results, cat, lang = _results(ctx)
    generated = ctx.options.get("generated_at", datetime.now(UTC))
    return summary_mod.markdown_summary(results, catalogue=cat, lang=lang, generated_at=generated)


def _export_yaml(ctx: RenderContext) -> str:
    w = ctx.snapshot.workshop
    return writeback_mod.writeback_yaml(
        w.catalogue_yaml, ctx.data, filename=f"{w.catalogue_name}.yaml"
    )


def _results(ctx: RenderContext) -> tuple[WorkshopResults, Any, str]:
    cat = ctx.snapshot.workshop.catalogue()
    results = results_of(ctx.snapshot, lang=ctx.lang)
    return results, cat, results.lang


#: Export formats: name -> renderer of a :class:`RenderContext`.
EXPORT_FORMATS: dict[str, Callable[[RenderContext], str]] = {
    "json": _export_json,
    "csv": _export_csv,
    "html": _export_html,  # the report: one self-contained file (conflicts.reports.report)
    "md": _export_md,  # the summary for the minutes (conflicts.reports.report)
    "yaml": _export_yaml,  # the catalogue written back (conflicts.reports.writeback)
}


def export_workshop(
    grant: FacilitatorGrant,
    format: str = "json",
    *,
    lang: str | None = None,
    options: Mapping[str, Any] | None = None,
    store: Store,
) -> str:
    """The anonymised export of a workshop as text in ``format`` (see :data:`EXPORT_FORMATS`).

    JSON: ``{"workshop": {...}, "items": [...tallies...], "ballots": [...]}``. CSV: one table with
    a ``record`` column (``ballot`` rows, then one ``tally`` row per item). Voter ids appear only
    as pseudonyms (``p-1a2b3c4d``, stable within a workshop); display names never appear.
    HTML: the self-contained report; MD: the summary for the minutes (both in ``lang``, default
    the catalogue's first language; no pseudonyms either). YAML: the catalogue the workshop ran
    on with its added interactions and recorded outcomes merged in
    (:mod:`conflicts.reports.writeback`). Facilitator-only (takes the grant); one read
    transaction. Raises :class:`~conflicts.workshops.AccessDenied`,
    :class:`~conflicts.workshops.InvalidSetting` (unknown format).
    """
    renderer = EXPORT_FORMATS.get(format)
    if renderer is None:
        raise InvalidSetting(
            f"unknown export format {format!r} (choose {', '.join(EXPORT_FORMATS)})",
            format=format,
        )
    ctx = RenderContext(snapshot(grant, store=store), lang=lang, options=dict(options or {}))
    return renderer(ctx)
