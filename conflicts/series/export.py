"""The regional report of a series: JSON, a Markdown summary, one offline HTML file, and the
catalogue written back with every room's history per interaction.

Every format is anonymous, as every workshop export: rooms appear by join code and title, votes
only as counts, means and consensus; proposals carry no participant; nothing names a person
(an outcome's ``owner`` is what the facilitator typed, e.g. "Region Stockholm").

>>> sorted(SERIES_FORMATS)
['html', 'json', 'md', 'yaml']
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from html import escape

from conflicts import workshops as ws
from conflicts.i18n import t
from conflicts.reports import report as report_mod
from conflicts.reports.report import md_escape
from conflicts.reports.writeback import writeback_yaml
from conflicts.series.access import SeriesGrant
from conflicts.series.aggregate import ConflictAggregate, GroupAggregate, SeriesResults
from conflicts.series.load import load_series
from conflicts.series.registry import Series
from conflicts.store import Store
from conflicts.workshops import InvalidSetting

__all__ = ["SERIES_FORMATS", "export_series", "series_dict", "series_writeback"]


def _n(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _cell_dict(c) -> dict:
    return {
        "code": c.code,
        "title": c.title,
        "method": c.method,
        "participants": c.participants,
        "ballots": c.ballots,
        "skips": c.skips,
        "mean": c.mean,
        "consensus": c.consensus,
        "priority": c.priority,
        "value": None if c.value is None else round(c.value, 3),
        "rank": c.rank,
        "weight": c.weight,
    }


def series_dict(s: Series, results: SeriesResults) -> dict:
    """The JSON export: ``{"series", "title", "workshops", "items", ...}`` (see the README)."""
    return {
        "series": s.code,
        "title": s.title,
        "weighting": results.weighting,
        "primary_method": (
            {"method": results.primary_method[0], "scale": list(results.primary_method[1])}
            if results.primary_method
            else None
        ),
        "mixed_methods": results.mixed_methods,
        "workshops": [
            {
                "code": r.code,
                "title": r.title,
                "status": r.status,
                "method": r.method,
                "scale": list(r.scale),
                "participants": r.participants,
                "catalogue_sha256": r.catalogue_sha256,
            }
            for r in results.rooms
        ],
        "items": [
            {
                "interaction_id": c.interaction_id,
                "title": c.title,
                "from": c.from_node,
                "to": c.to_node,
                "rooms": [_cell_dict(x) for x in c.rooms],
                "aggregate": c.aggregate.as_dict() if c.aggregate else None,
                "by_method": [g.as_dict() for g in c.groups],
                "representation": {
                    "needed_levels": list(c.needed_levels),
                    "needed_actor_types": list(c.needed_actor_types),
                    "levels_present": c.levels_present,
                    "actor_types_present": c.actor_types_present,
                    "missing_levels": list(c.missing_levels),
                    "missing_actor_types": list(c.missing_actor_types),
                },
            }
            for c in results.conflicts
        ],
        "departing_room": (
            {"code": results.departing_room, "departure": round(results.departing_score, 3)}
            if results.departing_room
            else None
        ),
        "outcomes_by_level": results.outcomes_by_level,
        "proposals": results.proposals,
    }


# --------------------------------------------------------------------------------------------
# Text shared by Markdown and HTML
# --------------------------------------------------------------------------------------------
def weighting_text(results: SeriesResults, lang: str) -> str:
    """'Each room weighs the same' / 'Rooms weigh by their participants'."""
    return t(f"series.weighting_{results.weighting}", lang)


def methods_text(results: SeriesResults, lang: str) -> str | None:
    """Why rooms with other voting methods are not averaged in (None: one method)."""
    if not results.mixed_methods:
        return None
    return t("series.mixed_methods", lang)


def method_label(method: str, scale: tuple[int, int], lang: str) -> str:
    label = t(f"fac.method_{method}", lang)
    return f"{label} ({scale[0]}–{scale[1]})" if method in ("dots", "ranking") else label


def level_label(level: str, lang: str) -> str:
    if not level:
        return t("series.level_none", lang)
    try:
        return t(f"level.{level}", lang)
    except KeyError:
        return level


def outcome_label(outcome: str | None, lang: str) -> str:
    if not outcome:
        return "–"
    try:
        return t(f"outcome.{outcome}", lang)
    except KeyError:
        return outcome


def missing_text(c: ConflictAggregate, lang: str) -> str:
    """Needed levels and actor types that no room had ('–': the conflict names none)."""
    if not (c.needed_levels or c.needed_actor_types):
        return "–"
    names = [level_label(lv, lang) for lv in c.missing_levels]
    for a in c.missing_actor_types:
        try:
            names.append(t(f"actor_type.{a}", lang))
        except KeyError:
            names.append(a)
    return ", ".join(names) if names else t("res.missing_none", lang)


def _agg_value(g: GroupAggregate | None) -> str:
    return "–" if g is None else _n(g.value)


# --------------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------------
def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def markdown(s: Series, results: SeriesResults, lang: str) -> str:
    """The regional summary in Markdown (user text escaped)."""
    codes = [r.code for r in results.rooms]
    lines = [f"# {md_escape(t('series.report_title', lang))}: {md_escape(s.title)}", ""]
    lines.append(
        f"{t('series.id', lang)}: {md_escape(s.code)} · {t('series.rooms', lang)}: {len(codes)} · "
        f"{md_escape(weighting_text(results, lang))}"
    )
    if (note := methods_text(results, lang)) is not None:
        lines += ["", f"> {md_escape(note)}"]
    lines += ["", f"## {t('series.rooms', lang)}", ""]
    lines += _md_table(
        [
            t("res.code", lang),
            t("series.room_title", lang),
            t("res.method", lang),
            t("res.participants", lang),
        ],
        [
            [
                md_escape(r.code),
                md_escape(r.title),
                md_escape(method_label(r.method, r.scale, lang)),
                str(r.participants),
            ]
            for r in results.rooms
        ],
    )
    lines += ["", f"## {t('series.ranking', lang)}", ""]
    header = [
        t("series.rank", lang),
        t("series.conflict", lang),
        t("series.aggregate", lang),
        t("series.spread", lang),
    ] + [md_escape(c) for c in codes]
    rows = []
    for c in results.conflicts:
        g = c.aggregate
        cells = [
            "–" if x.value is None else f"{_n(x.value)} (n={x.ballots}, k={_n(x.consensus)})"
            for x in c.rooms
        ]
        rows.append(
            [
                str(g.rank) if g and g.rank else "–",
                md_escape(c.title),
                _agg_value(g),
                _n(g.spread if g else None),
                *cells,
            ]
        )
    lines += _md_table(header, rows)
    lines += ["", t("series.cell_help", lang)]
    lines += _md_disagreements(results, lang)
    lines += _md_outcomes(results, lang)
    lines += ["", f"## {t('series.proposals', lang)}", ""]
    if not results.proposals:
        lines.append(t("series.none", lang))
    for p in results.proposals:
        rooms = ", ".join(p["rooms"])
        lines.append(f"- {md_escape(p['title'])} ({md_escape(rooms)})")
    lines += ["", f"## {t('series.representation', lang)}", ""]
    lines += _md_table(
        [t("series.conflict", lang), t("series.missing", lang)],
        [[md_escape(c.title), md_escape(missing_text(c, lang))] for c in results.conflicts],
    )
    return "\n".join(lines) + "\n"


def _md_disagreements(results: SeriesResults, lang: str) -> list[str]:
    lines = ["", f"## {t('series.disagree', lang)}", ""]
    top = results.disagreements[:5]
    if not top:
        lines.append(t("series.none", lang))
    for c in top:
        g = c.aggregate
        out = f"; {t('series.outlier', lang)}: {md_escape(g.outlier)}" if g.outlier else ""
        lines.append(f"- {md_escape(c.title)}: {t('series.spread', lang)} {_n(g.spread)}{out}")
    if results.departing_room:
        lines += ["", t("series.departing", lang, room=results.departing_room)]
    return lines


def _md_outcomes(results: SeriesResults, lang: str) -> list[str]:
    lines = ["", f"## {t('series.outcomes', lang)}", ""]
    if not results.outcomes_by_level:
        lines.append(t("series.none", lang))
    for level, entries in results.outcomes_by_level.items():
        lines += [f"### {md_escape(level_label(level, lang))}", ""]
        for e in entries:
            parts = [outcome_label(e["outcome"], lang)]
            if e["owner"]:
                parts.append(f"{t('res.owner', lang)}: {e['owner']}")
            if e["next_step"]:
                parts.append(f"{t('res.next_step', lang)}: {e['next_step']}")
            lines.append(
                f"- {md_escape(e['room'])} · {md_escape(e['title'])}: "
                + md_escape(" · ".join(parts))
            )
        lines.append("")
    return lines


# --------------------------------------------------------------------------------------------
# HTML (offline: no script, no fetch)
# --------------------------------------------------------------------------------------------
def _e(text) -> str:
    return escape("" if text is None else str(text), quote=True)


def _heat(value: float | None, method: str, scale: tuple[int, int]) -> str:
    """A background colour for a room's value: pale (low priority) to dark orange (high)."""
    if value is None:
        return "#f3f3f3"
    lo, hi = (0, scale[1]) if method in ("dots", "ranking") else scale
    share = (value - lo) / (hi - lo) if hi > lo else 0.0
    if method == "score":
        share = 1.0 - share  # the most negative first
    share = min(max(share, 0.0), 1.0)
    low, high = (253, 232, 214), (213, 94, 0)
    rgb = [round(a + (b - a) * share) for a, b in zip(low, high, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*tuple(rgb))


def _html_ranking(results: SeriesResults, lang: str) -> str:
    head = "".join(f"<th class='num'>{_e(r.code)}</th>" for r in results.rooms)
    body = []
    for c in results.conflicts:
        g = c.aggregate
        cells = []
        for x in c.rooms:
            colour = _heat(x.value, x.method, x.scale)
            text = (
                "–"
                if x.value is None
                else f"{_n(x.value)}<br><small>n={x.ballots} · k={_n(x.consensus)}</small>"
            )
            cells.append(f"<td class='num' style='background:{colour}'>{text}</td>")
        body.append(
            f"<tr><td class='num'>{_e(g.rank if g and g.rank else '–')}</td>"
            f"<td>{_e(c.title)}</td><td class='num'><strong>{_agg_value(g)}</strong></td>"
            f"<td class='num'>{_n(g.spread if g else None)}</td>{''.join(cells)}</tr>"
        )
    return (
        f"<table><thead><tr><th class='num'>{_e(t('series.rank', lang))}</th>"
        f"<th>{_e(t('series.conflict', lang))}</th><th class='num'>{_e(t('series.aggregate', lang))}</th>"
        f"<th class='num'>{_e(t('series.spread', lang))}</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table><p class='help'>{_e(t('series.cell_help', lang))}</p>"
    )


def _html_outcomes(results: SeriesResults, lang: str) -> str:
    if not results.outcomes_by_level:
        return f"<p>{_e(t('series.none', lang))}</p>"
    out = []
    for level, entries in results.outcomes_by_level.items():
        rows = "".join(
            f"<tr><td>{_e(e['room'])}</td><td>{_e(e['title'])}</td>"
            f"<td>{_e(outcome_label(e['outcome'], lang))}</td><td>{_e(e['owner'] or '–')}</td>"
            f"<td>{_e(e['next_step'] or '–')}</td><td>{_e(e['due_date'] or '–')}</td></tr>"
            for e in entries
        )
        out.append(
            f"<h3>{_e(level_label(level, lang))}</h3><table><thead><tr>"
            + "".join(
                f"<th>{_e(t(k, lang))}</th>"
                for k in (
                    "res.code",
                    "series.conflict",
                    "series.outcome",
                    "res.owner",
                    "res.next_step",
                    "res.due",
                )
            )
            + f"</tr></thead><tbody>{rows}</tbody></table>"
        )
    return "".join(out)


def html_report(
    s: Series, results: SeriesResults, lang: str, *, when: datetime | None = None
) -> str:
    """The regional report as one offline HTML file (no script; user text escaped)."""
    when = when or datetime.now(UTC)
    title = f"{t('series.report_title', lang)}: {s.title}"
    note = methods_text(results, lang)
    rooms = "".join(
        f"<tr><td>{_e(r.code)}</td><td>{_e(r.title)}</td>"
        f"<td>{_e(method_label(r.method, r.scale, lang))}</td><td class='num'>{r.participants}</td></tr>"
        for r in results.rooms
    )
    disagree = (
        "".join(
            f"<li>{_e(c.title)}: {_e(t('series.spread', lang))} {_n(c.aggregate.spread)}"
            + (
                f"; {_e(t('series.outlier', lang))}: {_e(c.aggregate.outlier)}"
                if c.aggregate.outlier
                else ""
            )
            + "</li>"
            for c in results.disagreements[:5]
        )
        or f"<li>{_e(t('series.none', lang))}</li>"
    )
    departing = (
        f"<p>{_e(t('series.departing', lang, room=results.departing_room))}</p>"
        if results.departing_room
        else ""
    )
    proposals = (
        "".join(
            f"<li>{_e(p['title'])} <small>({_e(', '.join(p['rooms']))})</small></li>"
            for p in results.proposals
        )
        or f"<li>{_e(t('series.none', lang))}</li>"
    )
    missing = "".join(
        f"<tr><td>{_e(c.title)}</td><td>{_e(missing_text(c, lang))}</td></tr>"
        for c in results.conflicts
    )
    return f"""<!DOCTYPE html>
<html lang="{_e(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{report_mod._CSS}</style>
</head>
<body>
<h1>{_e(title)}</h1>
<p class="meta"><span><strong>{_e(t("series.id", lang))}:</strong> {_e(s.code)}</span>
<span><strong>{_e(t("series.rooms", lang))}:</strong> {len(results.rooms)}</span>
<span>{_e(weighting_text(results, lang))}</span></p>
{f'<p class="card">{_e(note)}</p>' if note else ""}
<section><h2>{_e(t("series.rooms", lang))}</h2><table><thead><tr>
<th>{_e(t("res.code", lang))}</th><th>{_e(t("series.room_title", lang))}</th>
<th>{_e(t("res.method", lang))}</th><th class="num">{_e(t("res.participants", lang))}</th>
</tr></thead><tbody>{rooms}</tbody></table></section>
<section><h2>{_e(t("series.ranking", lang))}</h2>{_html_ranking(results, lang)}</section>
<section><h2>{_e(t("series.disagree", lang))}</h2><ul>{disagree}</ul>{departing}</section>
<section><h2>{_e(t("series.outcomes", lang))}</h2>{_html_outcomes(results, lang)}</section>
<section><h2>{_e(t("series.proposals", lang))}</h2><ul>{proposals}</ul></section>
<section><h2>{_e(t("series.representation", lang))}</h2><table><thead><tr>
<th>{_e(t("series.conflict", lang))}</th><th>{_e(t("series.missing", lang))}</th></tr></thead>
<tbody>{missing}</tbody></table></section>
<footer>{_e(t("res.generated", lang, when=when.strftime("%Y-%m-%d %H:%M UTC")))}</footer>
</body>
</html>
"""


# --------------------------------------------------------------------------------------------
# The catalogue written back
# --------------------------------------------------------------------------------------------
def _renamed(snap: ws.WorkshopSnapshot) -> ws.WorkshopSnapshot:
    """A room's snapshot with its added interactions renamed ``<code>-<id>`` (``acd347-ws-1``):
    every room numbers its own additions from ``ws-1``, so in one catalogue they would collide."""
    code = snap.workshop.code.lower()
    added = {a.interaction_id for a in snap.added}

    def new(iid):
        return f"{code}-{iid}" if iid in added else iid

    return replace(
        snap,
        items=tuple(
            replace(r, tally=replace(r.tally, interaction_id=new(r.tally.interaction_id)))
            for r in snap.items
        ),
        added=tuple(
            replace(
                a,
                interaction_id=new(a.interaction_id),
                interaction={**a.interaction, "id": new(a.interaction["id"])},
            )
            for a in snap.added
        ),
    )


def series_writeback(snaps: Sequence[ws.WorkshopSnapshot]) -> str:
    """The catalogue (the one with the most interactions: a written-back catalogue keeps every
    id) with every room's records in each interaction's ``history`` and every room's additions
    appended (see :func:`conflicts.reports.writeback.writeback_yaml`)."""
    if not snaps:
        raise InvalidSetting("the series has no workshops", code="series_empty")
    base = max(snaps, key=lambda sn: len(sn.workshop.catalogue().interactions))
    text = base.workshop.catalogue_yaml
    for sn in snaps:
        text = writeback_yaml(
            _renamed(sn), catalogue_yaml=text, filename=f"<series {sn.workshop.code}>"
        )
    return text


# --------------------------------------------------------------------------------------------
# The registry
# --------------------------------------------------------------------------------------------
Renderer = Callable[[Series, SeriesResults, list, str], str]

SERIES_FORMATS: dict[str, Renderer] = {
    "json": lambda s, r, _snaps, _lang: (
        json.dumps(series_dict(s, r), ensure_ascii=False, indent=2) + "\n"
    ),
    "md": lambda s, r, _snaps, lang: markdown(s, r, lang),
    "html": lambda s, r, _snaps, lang: html_report(s, r, lang),
    "yaml": lambda _s, _r, snaps, _lang: series_writeback(snaps),
}


def export_series(
    grant: SeriesGrant,
    format: str = "json",
    *,
    lang: str | None = None,
    weighting: str | None = None,
    store: Store,
) -> str:
    """The series in one of :data:`SERIES_FORMATS` (behind the series key).

    >>> export_series(grant, "md", store=store)  # doctest: +SKIP
    """
    if format not in SERIES_FORMATS:
        raise InvalidSetting(f"unknown format {format!r}", code="invalid_setting", format=format)
    s, results, snaps = load_series(grant, lang=lang, weighting=weighting, store=store)
    report_lang = report_mod.report_language(snaps[0].workshop.catalogue() if snaps else None, lang)
    return SERIES_FORMATS[format](s, results, snaps, report_lang)
