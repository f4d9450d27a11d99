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
from conflicts.reports.matrix_report import matrix_sessions
from conflicts.reports.results import WorkshopResults, results_of
from conflicts.store import Store
from conflicts.workshops import FacilitatorGrant, InvalidSetting, WorkshopSnapshot, snapshot

__all__ = [
    "CSV_COLUMNS",
    "EXPORT_FORMATS",
    "RenderContext",
    "csv_cell",
    "export_dict",
    "export_workshop",
]


@dataclass(frozen=True)
class RenderContext:
    """What every renderer is given: the snapshot, the language (None: the catalogue's first)
    and format options."""

    snapshot: WorkshopSnapshot
    lang: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


def _minute(value: datetime | None) -> str | None:
    """A timestamp in the export: to the minute, no finer (a second or a microsecond beside a
    pseudonym helps tell people apart and is never needed to read a workshop)."""
    return value.isoformat(timespec="minutes") if value is not None else None


def export_dict(snap: WorkshopSnapshot) -> dict:
    """The anonymised export as plain data (the JSON format): ``{"workshop", "items",
    "ballots", "agenda", "warmups", "outcomes", "proposals", "added_interactions",
    "matrices"}`` (the matrix scoring sessions, :mod:`conflicts.reports.matrix_report`).

    Ballots carry a pseudonym and the vote, nothing else about the voter (no self-description,
    no time); tallies are the facilitator's (nothing hidden). Proposals carry neither voter ids,
    pseudonyms nor names. ``items`` are the tallies of the interaction items (each with ``kind``
    and ``origin``: 'catalogue', 'facilitator' or 'proposal'). Timestamps are to the minute.
    """
    w = snap.workshop
    ballots = []
    for b in snap.ballots:
        d = {
            "participant": b.participant,
            "item_id": b.item_id,
            "position": b.position,
            "interaction_id": b.interaction_id,
            "kind": b.kind,
            "method": b.method,
            "value": b.value,
            "skipped": b.skipped,
        }
        if b.kind == "warmup":
            d["goal"] = b.goal
        ballots.append(d)
    return {
        "workshop": {
            "code": w.code,
            "title": w.title,
            "catalogue_name": w.catalogue_name,
            "catalogue_title": snap.catalogue_title,
            "catalogue_version": snap.catalogue_version,
            "catalogue_sha256": w.catalogue_sha256,
            "status": w.status,
            "method": w.method,
            "dot_budget": w.dot_budget,
            "ranking_size": w.ranking_size,
            "participants": snap.tally.participants,
            "created_at": _minute(w.created_at),
        },
        "items": [
            {
                **r.tally.as_dict(),
                "title": r.title,
                "from": r.from_node,
                "to": r.to_node,
                "kind": "interaction",
                "origin": r.origin,
            }
            for r in snap.items
        ],
        "ballots": ballots,
        "agenda": [
            {
                "item_id": e.item.id,
                "position": e.item.position,
                "kind": e.item.kind,
                "interaction_id": e.item.interaction_id,
                "question": e.item.question,
                "title": e.title,
                "voting": e.item.voting,
            }
            for e in snap.agenda
        ],
        "warmups": [{**wu.tally.as_dict(), "question": wu.question} for wu in snap.warmups],
        "outcomes": [
            {
                "item_id": o.outcome.item_id,
                "position": o.position,
                "interaction_id": o.interaction_id,
                "summary": o.outcome.summary,
                "outcome": o.outcome.outcome,
                "owner": o.outcome.owner,
                "next_step": o.outcome.next_step,
                "due_date": o.outcome.due_date.isoformat() if o.outcome.due_date else None,
                "updated_at": _minute(o.outcome.updated_at),
            }
            for o in snap.outcomes
        ],
        "proposals": [
            {
                "id": p.id,
                "title": p.title,
                "text": p.text,
                "from": p.from_node,
                "to": p.to_node,
                "status": p.status,
                "merged_into": p.merged_into,
                "interaction_id": p.interaction_id,
                "created_at": _minute(p.created_at),
            }
            for p in snap.proposals
        ],
        "added_interactions": [
            {
                "interaction_id": a.interaction_id,
                "origin": a.origin,
                "proposal_id": a.proposal_id,
                "interaction": a.interaction,
                "created_at": _minute(a.created_at),
            }
            for a in snap.added
        ],
        # Matrix scoring sessions: per cell median, IQR ("spread"), count, catalogue score.
        "matrices": matrix_sessions(snap.matrices, w.catalogue(), w.catalogue().languages[0]),
    }


def _export_json(ctx: RenderContext) -> str:
    return json.dumps(export_dict(ctx.snapshot), ensure_ascii=False, indent=2) + "\n"


#: CSV columns: one table, the first column says which kind of record a row is.
CSV_COLUMNS = [
    "record",  # 'ballot' or 'tally'
    "position",
    "interaction_id",
    "title",
    "participant",
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

#: What a spreadsheet reads as the start of a formula (OWASP "CSV Injection"): = + - @, tab, CR.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula: text starting with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (also after leading spaces) gets a
    single quote in front, as OWASP recommends. Numbers and None (-> ``""``) pass unchanged.

    >>> csv_cell("=1+1+cmd|' /C calc'!A0"), csv_cell("  @SUM(A1)"), csv_cell("Buller"), csv_cell(-2)
    ("'=1+1+cmd|' /C calc'!A0", "'  @SUM(A1)", 'Buller', -2)
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value


def _export_csv(ctx: RenderContext) -> str:
    """One CSV table: the ballot rows (``record=ballot``) then the tally per item
    (``record=tally``); columns that do not apply to a record are empty. Filter on ``record``.
    Every cell goes through :func:`csv_cell` (no formula injection)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    snap = ctx.snapshot

    def row(record: str, **cells: Any) -> None:
        writer.writerow({"record": record, **{k: csv_cell(v) for k, v in cells.items()}})

    for b in snap.ballots:
        row(
            "ballot",
            position=b.position,
            interaction_id=b.interaction_id,
            participant=b.participant,
            method=b.method,
            value=b.value,
            skipped=b.skipped,
        )
    for r in snap.items:
        it = r.tally
        floats = {
            k: f"{v:.4f}" if isinstance(v, float) else v
            for k, v in (
                ("mean", it.mean),
                ("median", it.median),
                ("stdev", it.stdev),
                ("consensus", it.consensus),
            )
        }
        row(
            "tally",
            position=it.position,
            interaction_id=it.interaction_id,
            title=r.title,
            method=snap.workshop.method,
            voting=it.voting,
            ballots=it.ballots,
            skips=it.skips,
            total=it.total,
            rank=it.rank,
            catalogue_score=it.catalogue_score,
            **floats,
        )
    return out.getvalue()


def _export_html(ctx: RenderContext) -> str:
    results, cat, lang = _results(ctx)
    return report_mod.html_report(results, cat, lang=lang)


def _export_md(ctx: RenderContext) -> str:
    results, cat, lang = _results(ctx)
    generated = ctx.options.get("generated_at", datetime.now(UTC))
    return summary_mod.markdown_summary(results, catalogue=cat, lang=lang, generated_at=generated)


def _export_yaml(ctx: RenderContext) -> str:
    return writeback_mod.writeback_yaml(ctx.snapshot)


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
