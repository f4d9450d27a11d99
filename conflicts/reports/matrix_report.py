"""The matrix scoring sessions in the export, the results, the HTML report and the summary.

:func:`matrix_sessions` turns the snapshot's :class:`~conflicts.workshops.MatrixRecord` into plain
data (the JSON export's ``matrices``, and :attr:`WorkshopResults.matrices`): per session its
nodes and per cell ``from``, ``to``, ``count``, ``skips``, ``median``, ``q1``, ``q3``,
``spread`` (the interquartile range Q3 − Q1, see :mod:`conflicts.room_matrix`), ``min``,
``max``, ``catalogue_score`` (None: the catalogue does not score the pair) and the participants'
``rationales`` (anonymous), in the discussion order first. The renderers escape every text.
"""

from __future__ import annotations

import html
from typing import Any

from conflicts.catalogue import Catalogue
from conflicts.figure_text import format_score
from conflicts.i18n import t
from conflicts.room_matrix import MIN_DISCUSS, MIN_WRITEBACK, PairCell

__all__ = ["cell_dict", "matrix_html", "matrix_markdown", "matrix_sessions"]


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def cell_dict(c: PairCell, titles: dict[str, str]) -> dict[str, Any]:
    return {
        "from": c.from_node,
        "to": c.to_node,
        "from_title": titles.get(c.from_node, c.from_node),
        "to_title": titles.get(c.to_node, c.to_node),
        "count": c.count,
        "skips": c.skips,
        "median": _r(c.median),
        "q1": _r(c.q1),
        "q3": _r(c.q3),
        "spread": _r(c.spread),
        "min": c.low,
        "max": c.high,
        "catalogue_score": _r(c.catalogue),
        "discussion_reason": c.reason if c.count >= MIN_DISCUSS else None,
        "rationales": list(c.rationales),
    }


def matrix_sessions(records, catalogue: Catalogue, lang: str) -> list[dict[str, Any]]:
    """The sessions as plain data (see the module docstring). ``cells`` lists every pair with at
    least one answer, cells to discuss first at the top (then the rest in matrix order)."""
    out = []
    for rec in records:
        m, item = rec.matrix, rec.item
        titles = {n: catalogue.text(catalogue.nodes[n].title, lang) for n in m.nodes}
        first = m.discussion()
        firsts = {(c.from_node, c.to_node) for c in first}
        rest = [
            c
            for c in m.ordered()
            if (c.count or c.skips) and (c.from_node, c.to_node) not in firsts
        ]
        out.append(
            {
                "item_id": item.id,
                "interaction_id": item.interaction_id,
                "voting": item.voting,
                "nodes": list(m.nodes),
                "pairs": m.pairs,
                "pairs_per_participant": item.pairs_per_participant,
                "participants": m.participants,
                "answers": m.answers,
                "scored_cells": m.scored_cells,
                "spread": "iqr",
                "min_discuss": MIN_DISCUSS,
                "min_writeback": MIN_WRITEBACK,
                "cells": [cell_dict(c, titles) for c in (*first, *rest)],
            }
        )
    return out


def _num(x: float | None, lang: str) -> str:
    return "–" if x is None else format_score(x, lang)


def _cat(x: float | None, lang: str) -> str:
    return t("matrix.not_scored", lang) if x is None else format_score(x, lang)


def _reason(cell: dict, lang: str) -> str:
    reason = cell["discussion_reason"]
    if reason == "departure":
        return t("matrix.reason_departure", lang, catalogue=_cat(cell["catalogue_score"], lang))
    if reason == "disagreement":
        return t("matrix.reason_disagreement", lang, spread=cell["spread"])
    return ""


def matrix_html(sessions: list[dict], lang: str) -> str:
    """The sessions as HTML tables (escaped), one per session."""
    e = html.escape
    parts = []
    head = "".join(
        f"<th>{e(t(k, lang))}</th>"
        for k in (
            "matrix.col_pair",
            "matrix.median",
            "matrix.col_spread",
            "matrix.col_count",
            "matrix.col_catalogue",
            "matrix.col_reason",
        )
    )
    for s in sessions:
        rows = []
        for c in s["cells"]:
            if not c["count"]:
                continue
            notes = "".join(f"<li>{e(r)}</li>" for r in c["rationales"])
            rows.append(
                f"<tr><td>{e(c['from_title'])} → {e(c['to_title'])}"
                f"{f'<ul>{notes}</ul>' if notes else ''}</td>"
                f"<td>{e(_num(c['median'], lang))}</td><td>{e(str(c['spread']))}</td>"
                f"<td>{c['count']}</td><td>{e(_cat(c['catalogue_score'], lang))}</td>"
                f"<td>{e(_reason(c, lang))}</td></tr>"
            )
        progress = t(
            "matrix.progress",
            lang,
            answers=s["answers"],
            people=s["participants"],
            cells=s["scored_cells"],
            pairs=s["pairs"],
        )
        parts.append(
            f"<h3>{e(t('matrix.title', lang, n=len(s['nodes'])))}</h3>"
            f"<p>{e(progress)}</p><p class='help'>{e(t('matrix.legend', lang))}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    return "".join(parts)


def _md(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_{}[]<>()#+-.!|" else ch for ch in str(text))


def matrix_markdown(sessions: list[dict], lang: str, limit: int = 10) -> list[str]:
    """The sessions for the minutes: progress and the cells to discuss first."""
    lines: list[str] = []
    for s in sessions:
        lines += [f"### {t('matrix.title', lang, n=len(s['nodes']))}", ""]
        lines += [
            t(
                "matrix.progress",
                lang,
                answers=s["answers"],
                people=s["participants"],
                cells=s["scored_cells"],
                pairs=s["pairs"],
            ),
            "",
        ]
        cols = ("matrix.col_pair", "matrix.median", "matrix.col_spread", "matrix.col_count")
        cols += ("matrix.col_catalogue", "matrix.col_reason")
        lines.append("| " + " | ".join(t(k, lang) for k in cols) + " |")
        lines.append("|" + "---|" * len(cols))
        shown = [c for c in s["cells"] if c["count"]][:limit]
        for c in shown:
            pair = f"{_md(c['from_title'])} → {_md(c['to_title'])}"
            lines.append(
                f"| {pair} | {_num(c['median'], lang)} | {c['spread']} | {c['count']} | "
                f"{_cat(c['catalogue_score'], lang)} | {_reason(c, lang)} |"
            )
        lines.append("")
    return lines
