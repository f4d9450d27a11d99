"""The Markdown summary of a workshop for the minutes (one section per function).

Every user text goes through :func:`conflicts.reports.report.md_escape`.
"""

from __future__ import annotations

from datetime import datetime

from conflicts.catalogue import Catalogue
from conflicts.i18n import t
from conflicts.reports.matrix_report import matrix_markdown
from conflicts.reports.report import (
    _date,
    _distribution,
    _method,
    _method_text,
    _node_title,
    _num,
    _outcome_label,
    _signed,
    composition_lists,
    md_escape,
    proposal_counts_text,
    report_language,
)
from conflicts.reports.results import WorkshopResults, value_help, value_note

__all__ = ["markdown_summary"]

e = md_escape

#: The ranking table's columns; the value column depends on the method.
_RANKING_COLS = [
    "res.col_rank",
    "res.col_conflict",
    "res.col_distribution",
    None,  # res.col_total (dots, ranking) or res.col_mean
    "res.col_consensus",
    "res.col_dispersion",
    "res.col_participation",
    "res.col_room_score",
    "res.col_catalogue_score",
    "res.col_outcome",
]
_NUMERIC_COLS = (0, 3, 4, 5, 6, 7, 8)  # right-aligned


def _header(results: WorkshopResults, lang: str) -> list[str]:
    version = f" ({e(results.catalogue_version)})" if results.catalogue_version else ""
    return [
        f"# {t('res.report_title', lang)}: {e(results.title)}",
        "",
        f"- **{t('res.catalogue', lang)}:** {e(results.catalogue_title)}{version}",
        f"- **{t('res.code', lang)}:** {e(results.code)}",
        f"- **{t('res.date', lang)}:** {_date(results.created_at)}",
        f"- **{t('res.method', lang)}:** {_method(results, lang)}",
        f"- **{t('res.participants', lang)}:** {results.participants}",
    ]


def _ranking(results: WorkshopResults, lang: str) -> list[str]:
    lines = [f"## {t('res.ranking', lang)}", ""]
    if not results.rows:
        return [*lines, t("res.no_items", lang)]
    totals = results.method in ("dots", "ranking")
    cols = [c or ("res.col_total" if totals else "res.col_mean") for c in _RANKING_COLS]
    lines.append("| " + " | ".join(t(c, lang) for c in cols) + " |")
    lines.append(
        "|" + "|".join("---:" if i in _NUMERIC_COLS else "---" for i in range(len(cols))) + "|"
    )
    for r in results.rows:
        value = r.total if totals else r.mean
        dist = " ".join(f"{v}:{n}" for v, n in _distribution(r, results)) if r.ballots else "–"
        cells = [
            str(r.rank) if r.rank is not None else "–",
            e(r.title),
            e(dist),
            " ".join(
                x
                for x in (
                    str(value) if isinstance(value, int) else _num(value),
                    e(value_note(r, results.method, lang)),
                )
                if x
            ),
            _num(r.consensus, 2),
            _num(r.dispersion, 2),
            f"{r.ballots}/{r.participants}" if r.participants else "–",
            _signed(r.room_score),
            _signed(r.catalogue_score),
            _outcome_label(r.outcome.outcome if r.outcome else None, lang),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, "", value_help(results, lang)]


def _outcomes(results: WorkshopResults, lang: str) -> list[str]:
    lines = [f"## {t('res.outcomes', lang)}", ""]
    if not results.outcomes:
        return [*lines, t("res.no_outcomes", lang), ""]
    for r in results.outcomes:
        o = r.outcome
        rank = f"{r.rank}. " if r.rank is not None else ""
        lines += [f"### {rank}{e(r.title)}", ""]
        for key, value in (
            ("res.col_outcome", _outcome_label(o.outcome, lang) if o.outcome else None),
            ("res.owner", o.owner),
            ("res.next_step", o.next_step),
            ("res.due", o.due_date.isoformat() if o.due_date else None),
        ):
            if value:
                lines.append(f"- **{t(key, lang)}:** {e(value)}")
        if o.summary:
            lines.append("")
            lines += [f"> {e(line)}" if line.strip() else ">" for line in o.summary.splitlines()]
        lines.append("")
    return lines


def _proposals(results: WorkshopResults, catalogue: Catalogue | None, lang: str) -> list[str]:
    lines = [f"## {t('res.proposals', lang)}", ""]
    for p in results.proposals:
        ends = " → ".join(_node_title(catalogue, n, lang) for n in (p.get("from"), p.get("to")))
        lines.append(f"- **{e(p.get('title') or '')}** ({e(ends)})")
        if p.get("text"):
            lines.append(f"  {e(p['text'])}")
    if not results.proposals:
        lines.append(t("res.no_proposals", lang))
    if results.proposal_counts:
        lines += ["", proposal_counts_text(results, lang)]
    return lines


def _representation(results: WorkshopResults, lang: str) -> list[str]:
    lines = [f"## {t('res.representation', lang)}", ""]
    comp = results.composition
    if comp is None or not comp.total:
        return [*lines, t("res.nobody", lang)]
    lines.append(f"- **{t('res.participants', lang)}:** {comp.total}")
    for heading, pairs in composition_lists(results, lang):
        if pairs:
            lines.append(f"- **{e(heading)}:** " + ", ".join(f"{e(k)} {e(n)}" for k, n in pairs))
    return lines


def _method_section(results: WorkshopResults, lang: str) -> list[str]:
    return [
        f"## {t('res.method_title', lang)}",
        "",
        _method_text(results, lang),
        "",
        t("res.method_measures", lang),
        "",
        t("res.method_anonymity", lang),
    ]


def markdown_summary(
    results: WorkshopResults,
    *,
    catalogue: Catalogue | None = None,
    lang: str | None = None,
    generated_at: datetime | None = None,
) -> str:
    """A Markdown summary for the minutes: header, ranking table, outcomes with owners and next
    steps, accepted proposals, who was represented and the method. ``generated_at=None`` leaves
    out the generation line (deterministic output). See :mod:`conflicts.reports.report` for an example.
    """
    lang = report_language(catalogue, lang or results.lang)
    sections = [
        _header(results, lang),
        _ranking(results, lang),
        _outcomes(results, lang),
        _proposals(results, catalogue, lang),
        _representation(results, lang),
        *(
            [[f"## {t('matrix.results', lang)}", "", *matrix_markdown(results.matrices, lang)]]
            if results.matrices
            else []
        ),
        _method_section(results, lang),
    ]
    if generated_at is not None:
        when = generated_at.strftime("%Y-%m-%d %H:%M UTC")
        sections.append([f"_{t('res.generated', lang, when=when)}_"])
    lines: list[str] = []
    for section in sections:
        lines += [*section, ""] if section[-1] != "" else section
    return "\n".join(lines).rstrip() + "\n"
