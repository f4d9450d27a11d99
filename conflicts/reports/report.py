"""The workshop report: one self-contained HTML file, and a Markdown summary for the minutes.

Both render :class:`conflicts.reports.results.WorkshopResults` (anonymous by construction: the export has
no voter ids or names, and the report shows the participants' self-descriptions only as counts).

HTML (:func:`html_report`):

- one file that opens offline: plotly.js is embedded inline, there is no external URL (no CDN,
  no web fonts, no MathJax, no images), and a Content-Security-Policy forbids every network fetch;
- the graph (nodes sized by the room's priority, numbered rank badges on the conflicts, coloured
  darker the higher the room put them), the ranking with distribution, consensus, dispersion and
  participation, the room's -3..+3 score beside the catalogue's, outcomes and notes, accepted
  proposals, who was represented, the warm-ups, the method and the date;
- printable to PDF from the browser: A4 page rules, the graph on the first page, sections start
  on a new page, table rows and outcome cards are never split, colours kept.

Every catalogue and user text goes through :func:`html.escape` (Markdown: :func:`md_escape`).

Examples
--------
>>> from conflicts.reports.results import ResultRow, WorkshopResults
>>> from conflicts.reports.summary import markdown_summary
>>> row = ResultRow(1, "i1", 1, "A *b*", None, None, "", "", "catalogue", "closed", 2, ballots=2,
...                 distribution={4: 1, 5: 1}, mean=4.5, rank=1)
>>> r = WorkshopResults("ACD347", "Runda <1>", "demo", "", None, None, "closed", "rating",
...                     (1, 5), 2, None, "en", rows=[row])
>>> md = markdown_summary(r, generated_at=None)
>>> print(md.splitlines()[0])
# Workshop report: Runda \\<1\\>
>>> "| 1 | A \\\\*b\\\\* |" in md
True
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

import plotly.graph_objects as go

from conflicts.catalogue import Catalogue
from conflicts.escape import md_escape
from conflicts.figure import build_figure, wrap_label
from conflicts.graph import build_graph
from conflicts.i18n import LANGUAGES, t
from conflicts.layout import compute_layout
from conflicts.reports.matrix_report import matrix_html
from conflicts.reports.results import (
    ResultRow,
    WorkshopResults,
    node_priority,
    priority_weights,
    value_help,
    value_note,
)

__all__ = [
    "MIN_GROUP",
    "composition_lists",
    "group_count",
    "html_report",
    "md_escape",
    "priority_figure",
    "report_language",
]

#: Light to dark (Okabe-Ito vermilion family): the rank badges, darker = higher priority.
_BADGE_LOW = (253, 208, 162)
_BADGE_HIGH = (127, 39, 4)


def report_language(catalogue: Catalogue | None, lang: str | None = None) -> str:
    """The report's language: ``lang`` if the UI has it, else the catalogue's first language the
    UI has, else Swedish.

    >>> report_language(None, "en"), report_language(None, "de")
    ('en', 'sv')
    """
    if lang in LANGUAGES:
        return lang
    for code in catalogue.languages if catalogue is not None else []:
        if code in LANGUAGES:
            return code
    return LANGUAGES[0]


# --------------------------------------------------------------------------------------------
# Formatting helpers (shared by HTML and Markdown)
# --------------------------------------------------------------------------------------------
def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _signed(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:+d}" if value else "0"
    return f"{value:+.{digits}f}" if round(value, digits) else f"{0:.{digits}f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)} %"


def _date(value: datetime | None) -> str:
    return value.date().isoformat() if value else "–"


def _method(results: WorkshopResults, lang: str) -> str:
    return t(f"fac.method_{results.method}", lang)


def _method_text(results: WorkshopResults, lang: str) -> str:
    m = results.method
    if m == "dots":
        return t("res.method_dots", lang, budget=results.scale[1])
    if m == "ranking":
        return t("res.method_ranking", lang, n=results.scale[1])
    if m == "score":
        return t("res.method_score", lang)
    return t("res.method_rating", lang)


def _status(results: WorkshopResults, lang: str) -> str:
    try:
        return t(f"ws.status_{results.status}", lang)
    except KeyError:
        return results.status


def _outcome_label(outcome: str | None, lang: str) -> str:
    if not outcome:
        return "–"
    try:
        return t(f"outcome.{outcome}", lang)
    except KeyError:
        return outcome


def missing_text(row: ResultRow, lang: str) -> str:
    """Who the conflict needed but was not in the room ('–': it names nobody it needs)."""
    return _missing(row, lang)


def _missing(row: ResultRow, lang: str) -> str:
    rep = row.representation
    if rep is None or not (rep.needed_levels or rep.needed_actor_types):
        return "–"
    names = [t(f"level.{lv}", lang) for lv in rep.missing_levels]
    names += [t(f"actor_type.{a}", lang) for a in rep.missing_actor_types]
    return ", ".join(names) if names else t("res.missing_none", lang)


def _origin(row: ResultRow, lang: str) -> str:
    try:
        return t(f"res.origin_{row.origin}", lang)
    except KeyError:
        return row.origin


def _between(row: ResultRow) -> str:
    if not row.from_title and not row.to_title:
        return ""
    return f"{row.from_title} → {row.to_title}"


def _enum(kind: str, value: str, lang: str) -> str:
    try:
        return t(f"{kind}.{value}", lang)
    except KeyError:
        return value


def _distribution(row: ResultRow, results: WorkshopResults) -> list[tuple[int, int]]:
    """(value, count) over the whole scale for rating/score; the values present otherwise."""
    lo, hi = results.scale
    if results.method in ("rating", "score"):
        return [(v, row.distribution.get(v, 0)) for v in range(lo, hi + 1)]
    return sorted((v, n) for v, n in row.distribution.items() if n)


# --------------------------------------------------------------------------------------------
# The graph
# --------------------------------------------------------------------------------------------
def _badge_colour(weight: float) -> str:
    rgb = [round(lo + (hi - lo) * weight) for lo, hi in zip(_BADGE_LOW, _BADGE_HIGH, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def priority_figure(
    results: WorkshopResults,
    catalogue: Catalogue,
    *,
    lang: str | None = None,
    height: int = 620,
    positions: dict[str, tuple[float, float]] | None = None,
) -> go.Figure:
    """The catalogue's network drawn by the room's priority.

    Nodes are sized by :func:`conflicts.reports.results.node_priority` (the sum of the priority weights
    of their ranked conflicts), and each ranked conflict gets a numbered badge at the middle of
    its line, coloured from light (last) to dark (first). The badges are one extra scatter trace
    (``meta={"kind": "rank-badges"}``, ``customdata`` ``["edge", id]``).
    """

    lang = report_language(catalogue, lang or results.lang)
    G = build_graph(catalogue)
    pos = positions if positions is not None else compute_layout(catalogue)
    sizes = node_priority(results)
    fig = build_figure(
        catalogue, G, pos, lang=lang, node_size_by=sizes or None, height=height, uirevision="report"
    )
    mids: dict[str, tuple[float, float]] = {}
    for trace in fig.data:
        if (trace.meta or {}).get("kind") == "edge-midpoints":
            for x, y, cd in zip(trace.x, trace.y, trace.customdata, strict=True):
                mids[cd[1]] = (x, y)
    weights = priority_weights(results)
    badges = [r for r in results.ranked if r.interaction_id in mids]
    if badges:
        fig.add_trace(
            go.Scatter(
                x=[mids[r.interaction_id][0] for r in badges],
                y=[mids[r.interaction_id][1] for r in badges],
                mode="markers+text",
                text=[str(r.rank) for r in badges],
                textfont=dict(
                    size=11,
                    color=[
                        "#ffffff" if weights[r.interaction_id] > 0.5 else "#111111" for r in badges
                    ],
                ),
                marker=dict(
                    size=22,
                    color=[_badge_colour(weights[r.interaction_id]) for r in badges],
                    line=dict(color="#ffffff", width=1.5),
                    symbol="circle",
                ),
                customdata=[["edge", r.interaction_id] for r in badges],
                hovertext=[
                    f"<b>{r.rank}. {wrap_label(r.title, 40, 4)}</b><br>"
                    f"{t('res.col_mean', lang)} {_num(r.mean)} · "
                    f"{t('res.col_consensus', lang)} {_num(r.consensus, 2)} · "
                    f"{t('res.col_ballots', lang)} {r.ballots}"
                    for r in badges
                ],
                hoverinfo="text",
                showlegend=False,
                name="",
                meta={"kind": "rank-badges"},
            )
        )
    return fig


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------
_CSS = """
:root { --ink: #1b1b1b; --muted: #5b5b5b; --line: #d0d0d0; --accent: #D55E00; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 24px;
       line-height: 1.4; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 2px solid var(--accent);
     padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 0 0 .3rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.meta span { margin-right: 1.2rem; white-space: nowrap; }
.graph { border: 1px solid var(--line); border-radius: 6px; padding: 4px; }
.help { color: var(--muted); font-size: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 6px; text-align: left;
         vertical-align: top; }
th { background: #f3f3f3; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.dist { display: inline-flex; align-items: flex-end; gap: 2px; height: 30px; }
.dist .bar { display: inline-flex; flex-direction: column; justify-content: flex-end;
             align-items: center; width: 15px; height: 30px; font-size: 8px; color: var(--muted); }
.dist .fill { display: block; width: 13px; background: #0072B2; min-height: 1px; }
.dist .lab { line-height: 1; }
.between { color: var(--muted); font-size: .82rem; }
.card { border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 4px;
        padding: 8px 12px; margin: 0 0 10px; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 4px 0; }
.card dt { font-weight: 600; }
.card dd { margin: 0; }
.notes { white-space: pre-wrap; margin: 6px 0 0; }
.cols { display: flex; gap: 32px; flex-wrap: wrap; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
footer { color: var(--muted); font-size: .85rem; margin-top: 2rem; border-top: 1px solid
         var(--line); padding-top: .5rem; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .graph { border: none; break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section.page { break-before: page; page-break-before: always; }
  tr, .card, figure { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .modebar-container { display: none !important; }
}
"""

# Nothing may be fetched: scripts and styles are inline, images only data:/blob: (plotly).
_CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:"
)


#: Printing: the graph is drawn at the screen's width; redraw it to fit an A4 page (186 mm of
#: content at 96 px/in is ~700 px) while printing, and back afterwards.
PRINT_WIDTH_PX = 700
_PRINT_JS = """
(function () {
  var gd = document.getElementById("graph");
  if (!gd || !window.Plotly) return;
  var printing = false;
  function toPrint() {
    if (printing) return;
    printing = true;
    Plotly.relayout(gd, {width: %d, height: 560});
  }
  function toScreen() {
    if (!printing) return;
    printing = false;
    Plotly.relayout(gd, {width: null, height: %d, autosize: true});
  }
  window.addEventListener("beforeprint", toPrint);
  window.addEventListener("afterprint", toScreen);
  if (window.matchMedia) {
    var mq = window.matchMedia("print");
    var onChange = function (e) { if (e.matches) { toPrint(); } else { toScreen(); } };
    if (mq.addEventListener) { mq.addEventListener("change", onChange); } else { mq.addListener(onChange); }
  }
})();
"""


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _dist_html(row: ResultRow, results: WorkshopResults) -> str:
    pairs = _distribution(row, results)
    if not pairs or not row.ballots:
        return "–"
    top = max(n for _, n in pairs) or 1
    described = ", ".join(f"{v}: {n}" for v, n in pairs)
    bars = "".join(
        f'<span class="bar" title="{_e(v)}: {n}"><span class="fill" '
        f'style="height:{round(22 * n / top) if n else 1}px"></span>'
        f'<span class="lab">{_e(v)}</span></span>'
        for v, n in pairs
    )
    return f'<span class="dist" aria-hidden="true">{bars}</span><span class="sr">{_e(described)}</span>'


def _ranking_table(results: WorkshopResults, lang: str) -> str:
    if not results.rows:
        return f"<p>{_e(t('res.no_items', lang))}</p>"
    value_col = "res.col_total" if results.method in ("dots", "ranking") else "res.col_mean"
    head = [
        ("res.col_rank", "num"),
        ("res.col_conflict", ""),
        ("res.col_distribution", ""),
        (value_col, "num"),
        ("res.col_consensus", "num"),
        ("res.col_dispersion", "num"),
        ("res.col_participation", "num"),
        ("res.col_room_score", "num"),
        ("res.col_catalogue_score", "num"),
        ("res.col_missing", ""),
        ("res.col_outcome", ""),
    ]
    out = ["<table><thead><tr>"]
    out += [f'<th class="{cls}">{_e(t(key, lang))}</th>' for key, cls in head]
    out.append("</tr></thead><tbody>")
    for r in results.rows:
        value = r.total if results.method in ("dots", "ranking") else r.mean
        value_text = _num(value) if not isinstance(value, int) else str(value)
        origin = "" if r.origin == "catalogue" else f" ({_e(_origin(r, lang))})"
        participation = (
            f"{r.ballots}/{r.participants} ({_pct(r.participation)})" if r.participants else "–"
        )
        out.append(
            "<tr>"
            f'<td class="num">{_e(r.rank if r.rank is not None else "–")}</td>'
            f"<td>{_e(r.title)}{origin}<br>"
            f'<span class="between">{_e(_between(r))}</span></td>'
            f"<td>{_dist_html(r, results)}</td>"
            f'<td class="num">{_e(value_text)}{_note(r, results, lang)}</td>'
            f'<td class="num">{_e(_num(r.consensus, 2))}</td>'
            f'<td class="num">{_e(_num(r.dispersion, 2))}</td>'
            f'<td class="num">{_e(participation)}</td>'
            f'<td class="num">{_e(_signed(r.room_score))}</td>'
            f'<td class="num">{_e(_signed(r.catalogue_score))}</td>'
            f"<td>{_e(_missing(r, lang))}</td>"
            f"<td>{_e(_outcome_label(r.outcome.outcome if r.outcome else None, lang))}</td>"
            "</tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def _note(r: ResultRow, results: WorkshopResults, lang: str) -> str:
    note = value_note(r, results.method, lang)
    return f'<br><span class="between">{_e(note)}</span>' if note else ""


def _outcomes_html(results: WorkshopResults, lang: str) -> str:
    rows = results.outcomes
    if not rows:
        return f"<p>{_e(t('res.no_outcomes', lang))}</p>"
    out = []
    for r in rows:
        o = r.outcome
        rank = f"{r.rank}. " if r.rank is not None else ""
        fields = [
            ("res.col_outcome", _outcome_label(o.outcome, lang) if o.outcome else None),
            ("res.owner", o.owner),
            ("res.next_step", o.next_step),
            ("res.due", o.due_date.isoformat() if o.due_date else None),
        ]
        dl = "".join(
            f"<dt>{_e(t(key, lang))}</dt><dd>{_e(value)}</dd>" for key, value in fields if value
        )
        notes = f'<p class="notes">{_e(o.summary)}</p>' if o.summary else ""
        out.append(
            f'<div class="card"><h3>{_e(rank + r.title)}</h3>'
            f'<div class="between">{_e(_between(r))}</div>'
            f"{f'<dl>{dl}</dl>' if dl else ''}{notes}</div>"
        )
    return "".join(out)


def _proposals_html(results: WorkshopResults, catalogue: Catalogue | None, lang: str) -> str:
    out = []
    if results.proposals:
        for p in results.proposals:
            ends = " → ".join(_node_title(catalogue, n, lang) for n in (p.get("from"), p.get("to")))
            text = f'<p class="notes">{_e(p.get("text"))}</p>' if p.get("text") else ""
            iid = f" [{_e(p.get('interaction_id'))}]" if p.get("interaction_id") else ""
            out.append(
                f'<div class="card"><h3>{_e(p.get("title"))}{iid}</h3>'
                f'<div class="between">{_e(ends)}</div>{text}</div>'
            )
    else:
        out.append(f"<p>{_e(t('res.no_proposals', lang))}</p>")
    if results.proposal_counts:
        out.append(f'<p class="help">{_e(proposal_counts_text(results, lang))}</p>')
    return "".join(out)


def proposal_counts_text(results: WorkshopResults, lang: str) -> str:
    """How many proposals were accepted, declined, merged and left pending (one line)."""
    c = results.proposal_counts
    return t(
        "res.proposal_counts",
        lang,
        accepted=c.get("accepted", 0),
        declined=c.get("declined", 0),
        merged=c.get("merged", 0),
        pending=c.get("pending", 0),
    )


def _node_title(catalogue: Catalogue | None, node: str | None, lang: str) -> str:
    if node is None:
        return ""
    if catalogue is not None and node in catalogue.nodes:
        return catalogue.text(catalogue.nodes[node].title, lang)
    return node


#: A group of participants (one actor type, one level) smaller than this is shown as "fewer than
#: 5", never with its number: a lone "government" participant must not be singled out.
MIN_GROUP = 5


def group_count(n: int, lang: str) -> str:
    """A group's size as the reports and the results page show it (see :data:`MIN_GROUP`).

    >>> group_count(7, "en"), group_count(1, "en"), group_count(4, "sv")
    ('7', 'fewer than 5', 'färre än 5')
    """
    return str(n) if n >= MIN_GROUP else t("res.fewer_than", lang, n=MIN_GROUP)


def composition_lists(results: WorkshopResults, lang: str) -> list[tuple[str, list[tuple]]]:
    """The room's self-descriptions as counts per actor type and per level (headings in
    ``lang``): ``[(heading, [(group, count text), ...]), ...]``, small groups suppressed
    (:func:`group_count`). The one breakdown of the HTML report, the summary and the results page.
    """
    comp = results.composition
    if comp is None:
        return []
    types = [(_enum("actor_type", k, lang), n) for k, n in comp.by_actor_type.items()]
    levels = [(_enum("level", k, lang), n) for k, n in comp.by_level.items()]
    if comp.no_actor_type:
        types.append((t("res.not_stated", lang), comp.no_actor_type))
    if comp.no_level:
        levels.append((t("res.not_stated", lang), comp.no_level))
    return [
        (t("res.by_actor_type", lang), [(k, group_count(n, lang)) for k, n in types]),
        (t("res.by_level", lang), [(k, group_count(n, lang)) for k, n in levels]),
    ]


def _representation_html(results: WorkshopResults, lang: str) -> str:
    comp = results.composition
    if comp is None or not comp.total:
        return f"<p>{_e(t('res.nobody', lang))}</p>"
    out = [f"<p>{_e(t('res.participants', lang))}: {comp.total}</p>", '<div class="cols">']
    for heading, pairs in composition_lists(results, lang):
        items = "".join(f'<tr><td>{_e(k)}</td><td class="num">{_e(n)}</td></tr>' for k, n in pairs)
        out.append(f"<div><h3>{_e(heading)}</h3><table><tbody>{items}</tbody></table></div>")
    out.append("</div>")
    return "".join(out)


def _warmups_html(results: WorkshopResults, lang: str) -> str:
    out = []
    for wu in results.warmups:
        items = "".join(
            f'<tr><td>{_e(goal)}</td><td class="num">{n}</td></tr>'
            for goal, n in sorted(wu["distribution"].items(), key=lambda kv: -kv[1])
        )
        out.append(
            f'<div class="card"><h3>{_e(wu["question"])}</h3>'
            f"<table><tbody>{items}</tbody></table></div>"
        )
    return "".join(out)


def html_report(
    results: WorkshopResults,
    catalogue: Catalogue,
    *,
    lang: str | None = None,
    generated_at: datetime | None = None,
    figure: go.Figure | None = None,
) -> str:
    """The whole report as one self-contained HTML document (plotly.js inline, ~5 MB).

    ``generated_at`` defaults to now (UTC); ``figure`` to :func:`priority_figure`.
    """
    lang = report_language(catalogue, lang or results.lang)
    when = generated_at or datetime.now(UTC)
    fig = figure if figure is not None else priority_figure(results, catalogue, lang=lang)
    graph = fig.to_html(
        full_html=False,
        include_plotlyjs=True,
        include_mathjax=False,
        default_width="100%",
        default_height=f"{fig.layout.height or 620}px",
        div_id="graph",
        config={"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["toImage"]},
    )
    title = t("res.report_title", lang)
    version = f" ({_e(results.catalogue_version)})" if results.catalogue_version else ""
    meta = [
        (t("res.catalogue", lang), f"{_e(results.catalogue_title)}{version}"),
        (t("res.code", lang), _e(results.code)),
        (t("res.date", lang), _e(_date(results.created_at))),
        (t("res.status", lang), _e(_status(results, lang))),
        (t("res.method", lang), _e(_method(results, lang))),
        (t("res.participants", lang), _e(results.participants)),
    ]
    meta_html = "".join(f"<span><strong>{_e(k)}:</strong> {v}</span>" for k, v in meta)
    warmups = (
        f"<section><h2>{_e(t('res.warmups', lang))}</h2>{_warmups_html(results, lang)}</section>"
        if results.warmups
        else ""
    )
    matrices = (
        f"<section><h2>{_e(t('matrix.results', lang))}</h2>"
        f"{matrix_html(results.matrices, lang)}</section>"
        if results.matrices
        else ""
    )
    method = "".join(
        f"<p>{_e(text)}</p>"
        for text in (
            _method_text(results, lang),
            t("res.method_measures", lang),
            t("res.method_anonymity", lang),
        )
    )
    return f"""<!DOCTYPE html>
<html lang="{_e(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Målkonflikt">
<title>{_e(title)}: {_e(results.title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{_e(title)}: {_e(results.title)}</h1>
<p class="meta">{meta_html}</p>
</header>
<section>
<h2>{_e(t("res.graph", lang))}</h2>
<p class="help">{_e(t("res.graph_help", lang))}</p>
<figure class="graph" style="margin:0">{graph}</figure>
<script>{_PRINT_JS % (PRINT_WIDTH_PX, fig.layout.height or 620)}</script>
</section>
<section class="page">
<h2>{_e(t("res.ranking", lang))}</h2>
{_ranking_table(results, lang)}
<p class="help">{_e(value_help(results, lang))}</p>
</section>
<section class="page">
<h2>{_e(t("res.outcomes", lang))}</h2>
{_outcomes_html(results, lang)}
</section>
<section>
<h2>{_e(t("res.proposals", lang))}</h2>
{_proposals_html(results, catalogue, lang)}
</section>
<section>
<h2>{_e(t("res.representation", lang))}</h2>
{_representation_html(results, lang)}
</section>
{warmups}
{matrices}
<section>
<h2>{_e(t("res.method_title", lang))}</h2>
{method}
</section>
<footer>{_e(t("res.generated", lang, when=when.strftime("%Y-%m-%d %H:%M UTC")))}</footer>
</body>
</html>
"""
