"""Draw a cross-impact matrix (:mod:`conflicts.matrix`) as a clickable plotly heatmap.

Rows act on columns, in the matrix's order (by influence, highest first, at the top and left).
Every scored cell shows its signed score as text (never colour alone; a cell of several
interactions shows their mean and ``×n``), on a diverging colour-blind-safe scale from
vermilion (conflict, −3) through white (0) to blue (synergy, +3), the Okabe-Ito colours of the
network. A cell with no interaction ("not scored") is grey with a dot, so it never looks like a
scored 0 (white with "0").

Clicks go to an invisible marker at each scored cell's centre carrying ``customdata``
``["edge", interaction_id]`` (one interaction) or ``["cell", cell_id]`` (several), read back
with :func:`conflicts.figure.selection_from_event`.

Examples
--------
>>> from conflicts.catalogue import bundled_catalogues, load_catalogue
>>> from conflicts.matrix import cross_impact_matrix
>>> cat = load_catalogue(bundled_catalogues()["sdg"])
>>> fig = build_matrix_figure(cat, cross_impact_matrix(cat, "goal"), lang="en")
>>> [t.meta["kind"] for t in fig.data]
['not-scored', 'scores', 'cells']
>>> len(fig.data[2].customdata)  # one clickable marker per scored cell
134
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from conflicts.catalogue import SCALE, Catalogue
from conflicts.figure import COLOURS, escape, format_score, wrap_label
from conflicts.matrix import Level, Matrix, cell_id

__all__ = ["COLOURSCALE", "NOT_SCORED", "build_matrix_figure", "cell_text"]

#: Diverging, colour-blind-safe: Okabe-Ito vermilion (conflict) - white (0) - blue (synergy).
COLOURSCALE = [
    [0.0, COLOURS["conflict"]],
    [1 / 6, "#E3885A"],
    [2 / 6, "#F1C4AA"],
    [0.5, "#FFFFFF"],
    [4 / 6, "#A9CBE3"],
    [5 / 6, "#5598C9"],
    [1.0, COLOURS["synergy"]],
]
#: The fill of a cell with no interaction: grey, unlike a scored 0 (white).
NOT_SCORED = "#C8C8C8"
_NOT_SCORED_MARK = "·"

_LABELS = {
    "sv": {
        "acts_on": "påverkar",
        "rows": "Rad påverkar kolumn",
        "not_scored": "inte bedömd",
        "score": "Poäng",
        "mean": "medel av {n}",
        "more": "… och {n} till",
    },
    "en": {
        "acts_on": "acts on",
        "rows": "Row acts on column",
        "not_scored": "not scored",
        "score": "Score",
        "mean": "mean of {n}",
        "more": "… and {n} more",
    },
}


def _label(key: str, lang: str, **kw: Any) -> str:
    return _LABELS.get(lang, _LABELS["en"])[key].format(**kw)


def cell_text(score: float | None, count: int, lang: str = "sv", *, show_count: bool = True) -> str:
    """The text of a cell: the signed score, ``×n`` under a mean, a dot when not scored.

    Examples
    --------
    >>> cell_text(-2, 1), cell_text(0, 1), cell_text(None, 0)
    ('−2', '0', '·')
    >>> cell_text(-0.5, 2, "en")
    '−0.5<br>×2'
    """
    if score is None:
        return _NOT_SCORED_MARK
    text = format_score(score, lang)
    if count > 1 and show_count:
        text += f"<br>×{count}"
    return text


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip(" ,.;:") + "…"


def _cell_data(cat, matrix: Matrix, level, lang: str, selected, titles, *, show_count: bool):
    """Per cell: the score (or None), the grey mask of unscored cells, the cell text, the
    clickable marker (its selection and hover) and the (row, column) to outline."""
    scale_index = 0 if lang == "sv" else 1
    z: list[list[float | None]] = []
    grey: list[list[int | None]] = []
    cell_texts: list[list[str]] = []
    click: dict[str, list] = {"x": [], "y": [], "custom": [], "hover": []}
    outline = None
    for i, row in enumerate(matrix.cells):
        z.append([None if c is None else c.score for c in row])
        grey.append([0 if c is None else None for c in row])
        cell_texts.append(
            [
                cell_text(
                    None if c is None else c.score,
                    0 if c is None else c.count,
                    lang,
                    show_count=show_count,
                )
                for c in row
            ]
        )
        for j, c in enumerate(row):
            if c is None:
                continue
            if c.count == 1:
                custom = ["edge", c.interactions[0]]
            else:
                custom = ["cell", cell_id(level, matrix.nodes[i], matrix.nodes[j])]
            if selected is not None and (
                tuple(custom) == tuple(selected)
                or (selected[0] == "edge" and selected[1] in c.interactions and outline is None)
            ):
                outline = (i, j)
            click["x"].append(j)
            click["y"].append(i)
            click["custom"].append(custom)
            click["hover"].append(_hover(cat, titles[i], titles[j], c, lang, scale_index))

    return z, grey, cell_texts, click, outline


def build_matrix_figure(
    cat: Catalogue,
    matrix: Matrix,
    *,
    level: Level = "goal",
    lang: str = "sv",
    selected: tuple[str, str] | None = None,
    height: int | None = None,
) -> go.Figure:
    """A heatmap of ``matrix`` with the score in every cell and a clickable marker per cell.

    Parameters
    ----------
    cat : Catalogue
        The catalogue the matrix was computed from (for titles).
    matrix : Matrix
        From :func:`conflicts.matrix.cross_impact_matrix`, in the order to draw.
    level : {'goal', 'subgoal'}
        The matrix's level (it names aggregated cells, see :func:`conflicts.matrix.cell_id`).
    lang : str, default 'sv'
    selected : ('edge', id) or ('cell', id), optional
        Outline the cell holding this interaction or this cell.
    height : int, optional
        Figure height in px; by default it grows with the number of nodes.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces ``not-scored`` (grey heatmap under the empty cells), ``scores`` (the coloured
        heatmap with the cell texts; hover skipped) and ``cells`` (the clickable markers with
        hover texts); ``meta["kind"]`` names each.

    Examples
    --------
    >>> from conflicts.catalogue import bundled_catalogues, load_catalogue
    >>> from conflicts.matrix import cross_impact_matrix
    >>> cat = load_catalogue(bundled_catalogues()["stockholm"])
    >>> fig = build_matrix_figure(cat, cross_impact_matrix(cat, "goal"), lang="en")
    >>> fig.data[1].zmin, fig.data[1].zmax
    (-3, 3)
    """
    n = len(matrix.nodes)
    text = lambda value: cat.text(value, lang)  # noqa: E731
    titles = [text(cat.nodes[node].title) for node in matrix.nodes]
    scale_index = 0 if lang == "sv" else 1
    font = 13 if n <= 12 else (11 if n <= 24 else 9)
    show_count = n <= 24

    z, grey, cell_texts, click, outline = _cell_data(
        cat, matrix, level, lang, selected, titles, show_count=show_count
    )

    ticks = list(range(n))
    row_labels = [escape(_short(title, 34)) for title in titles]
    col_labels = [escape(_short(title, 22)) for title in titles]
    traces = [
        go.Heatmap(
            z=grey,
            x=ticks,
            y=ticks,
            text=[[_NOT_SCORED_MARK if g == 0 else "" for g in row] for row in grey],
            texttemplate="%{text}",
            textfont=dict(size=font + 2, color="#555555"),
            colorscale=[[0, NOT_SCORED], [1, NOT_SCORED]],
            showscale=False,
            hoverinfo="skip",
            xgap=1,
            ygap=1,
            meta={"kind": "not-scored"},
        ),
        go.Heatmap(
            z=z,
            x=ticks,
            y=ticks,
            text=cell_texts,
            texttemplate="%{text}",
            textfont=dict(size=font),
            colorscale=COLOURSCALE,
            zmin=-3,
            zmax=3,
            zmid=0,
            hoverinfo="skip",
            xgap=1,
            ygap=1,
            # At the bottom: the column labels, slanted up and right, need the top right corner.
            colorbar=dict(
                title=dict(text=_label("score", lang), side="top"),
                tickvals=[-3, -2, -1, 0, 1, 2, 3],
                ticktext=[f"{format_score(s)} {SCALE[s][scale_index]}" for s in range(-3, 4)],
                thickness=12,
                len=0.6,
                y=0,
                yanchor="bottom",
            ),
            meta={"kind": "scores"},
        ),
        go.Scatter(
            x=click["x"],
            y=click["y"],
            mode="markers",
            marker=dict(
                symbol="square",
                size=max(6, min(40, 600 // max(n, 1))),
                opacity=0.01,
                color="#000000",
            ),
            selected=dict(marker=dict(opacity=0.01)),
            unselected=dict(marker=dict(opacity=0.01)),
            customdata=click["custom"],
            hovertext=click["hover"],
            hoverinfo="text",
            hoverlabel=dict(align="left"),
            showlegend=False,
            name="",
            meta={"kind": "cells"},
        ),
    ]
    shapes = []
    if outline is not None:
        i, j = outline
        shapes.append(
            dict(
                type="rect",
                x0=j - 0.5,
                x1=j + 0.5,
                y0=i - 0.5,
                y1=i + 0.5,
                line=dict(color="#000000", width=3),
                layer="above",
            )
        )
    axis = dict(
        tickmode="array",
        tickvals=ticks,
        showgrid=False,
        zeroline=False,
        fixedrange=False,
        range=[-0.5, n - 0.5],
        tickfont=dict(size=font),
    )
    layout = dict(
        xaxis=dict(
            axis,
            ticktext=col_labels,
            side="top",
            tickangle=-50,
            title=dict(text=_label("rows", lang), standoff=6),
        ),
        yaxis=dict(axis, ticktext=row_labels, range=[n - 0.5, -0.5]),
        margin=dict(l=8, r=8, t=8, b=8),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        clickmode="event+select",
        dragmode="pan",
        hovermode="closest",
        hoverdistance=-1,
        shapes=shapes,
        uirevision=f"matrix:{level}:{','.join(matrix.nodes)}",
    )
    layout["height"] = height or max(440, 190 + 32 * n)
    return go.Figure(data=traces, layout=layout)


def _hover(cat: Catalogue, row: str, col: str, cell, lang: str, scale_index: int) -> str:
    head = f"<b>{wrap_label(row, 40, 2)}</b><br>{_label('acts_on', lang)} <b>{wrap_label(col, 40, 2)}</b>"
    if cell.count == 1:
        score = int(cell.score)
        body = f"{_label('score', lang)} {format_score(score)}: {SCALE[score][scale_index]}"
    else:
        body = (
            f"{_label('score', lang)} {format_score(cell.score, lang)} "
            f"({_label('mean', lang, n=cell.count)})"
        )
    titles = [cat.text(cat.interactions_by_id[k].title, lang) for k in cell.interactions[:5]]
    lines = [
        f"{format_score(cat.interactions_by_id[k].score)} {wrap_label(t, 44, 1)}"
        for k, t in zip(cell.interactions[:5], titles, strict=True)
    ]
    if cell.count > 5:
        lines.append(_label("more", lang, n=cell.count - 5))
    return "<br>".join([head, body, *lines])
