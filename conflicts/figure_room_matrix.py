"""Draw the room's matrix of a matrix scoring session (:mod:`conflicts.room_matrix`).

The same look as the catalogue's matrix (:mod:`conflicts.figure_matrix`: rows act on columns,
the diverging colour-blind-safe scale, grey for "not scored"), coloured by the room's median.
Every cell with scores shows its signed median as text (never colour alone), and, while the
matrix is small enough to read (at most :data:`DETAIL_UP_TO` nodes), the spread (IQR) and the
number of scores, and the catalogue's score ("kat. −2", or "kat. ·" when the catalogue does not
score the pair: distinct from a 0). A cell nobody scored is grey with a dot. The diagonal is
dark grey (a node does not act on itself here). Cells of the discussion list get a black frame.

Examples
--------
>>> from conflicts.room_matrix import room_matrix
>>> m = room_matrix(["a", "b"], [("a", "b", -2, False, None), ("a", "b", -1, False, None)])
>>> fig = build_room_matrix_figure(m, {"a": "A", "b": "B"}, lang="en")
>>> [t.meta["kind"] for t in fig.data]
['not-scored', 'room']
>>> fig.data[1].text[0][1]
'−1.5<br>IQR 0.5 n 2<br>cat. ·'
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from conflicts.catalogue import SCALE
from conflicts.figure_matrix import COLOURSCALE, NOT_SCORED
from conflicts.figure_text import escape, format_score, wrap_label
from conflicts.i18n import t
from conflicts.room_matrix import PairCell, RoomMatrix

__all__ = ["DETAIL_UP_TO", "build_room_matrix_figure", "room_cell_text"]

#: Up to this many nodes every cell shows median, IQR, count and the catalogue's score; above
#: it only the median (the hover has the rest).
DETAIL_UP_TO = 14
DIAGONAL = "#6E6E6E"


def _num(x: float | None, lang: str) -> str:
    if x is None:
        return "·"
    text = f"{x:.1f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))
    return text.replace(".", ",") if lang == "sv" else text


def room_cell_text(cell: PairCell, lang: str = "sv", *, detail: bool = True) -> str:
    """The text of one cell (see the module docstring); '·' when nobody scored it (and the
    catalogue's score under it, if it has one)."""
    if not cell.count:
        if detail and cell.catalogue is not None:
            return f"·<br>{t('matrix.catalogue_short', lang)} {format_score(cell.catalogue, lang)}"
        return "·"
    text = format_score(cell.median, lang)
    if detail:
        cat = "·" if cell.catalogue is None else format_score(cell.catalogue, lang)
        text += f"<br>IQR {_num(cell.spread, lang)} n {cell.count}"
        text += f"<br>{t('matrix.catalogue_short', lang)} {cat}"
    return text


def _hover(cell: PairCell, a: str, b: str, lang: str) -> str:
    head = f"<b>{wrap_label(a, 40, 2)}</b> → <b>{wrap_label(b, 40, 2)}</b>"
    if not cell.count:
        return f"{head}<br>{t('matrix.not_scored', lang)} (n 0)"
    scale = 0 if lang == "sv" else 1
    near = SCALE[max(-3, min(3, round(cell.median)))][scale]
    cat = t("matrix.not_scored", lang) if cell.catalogue is None else format_score(cell.catalogue)
    body = t(
        "matrix.cell_summary",
        lang,
        median=f"{format_score(cell.median, lang)} ({near})",
        spread=_num(cell.spread, lang),
        count=cell.count,
        catalogue=cat,
    )
    return f"{head}<br>{body}"


def build_room_matrix_figure(
    m: RoomMatrix,
    titles: Mapping[str, str],
    *,
    lang: str = "sv",
    highlight: int = 5,
    height: int | None = None,
    font_scale: float = 1.0,
) -> go.Figure:
    """A heatmap of the room's matrix ``m``; ``titles`` names the nodes (plain text, escaped
    here); the first ``highlight`` cells of :meth:`RoomMatrix.discussion` are framed."""
    nodes = list(m.nodes)
    n = len(nodes)
    detail = n <= DETAIL_UP_TO
    names = [titles.get(node, node) for node in nodes]
    z, grey, texts, hovers = [], [], [], []
    for i, a in enumerate(nodes):
        zr, gr, tr, hr = [], [], [], []
        for j, b in enumerate(nodes):
            if i == j:
                zr.append(None), gr.append(1), tr.append(""), hr.append("")
                continue
            cell = m.cell(a, b)
            zr.append(cell.median if cell.count else None)
            gr.append(0 if not cell.count else None)
            tr.append(room_cell_text(cell, lang, detail=detail))
            hr.append(_hover(cell, escape(names[i]), escape(names[j]), lang))
        z.append(zr), grey.append(gr), texts.append(tr), hovers.append(hr)
    font = round((14 if n <= 8 else 11 if n <= 14 else 10 if n <= 24 else 8) * font_scale)
    ticks = list(range(n))
    framed = {(c.from_node, c.to_node) for c in m.discussion(limit=highlight)}
    shapes = [
        dict(
            type="rect",
            x0=nodes.index(b) - 0.5,
            x1=nodes.index(b) + 0.5,
            y0=nodes.index(a) - 0.5,
            y1=nodes.index(a) + 0.5,
            line=dict(color="#000000", width=3),
            layer="above",
        )
        for a, b in framed
    ]
    traces = [
        go.Heatmap(
            z=grey,
            x=ticks,
            y=ticks,
            text=[
                [x if g == 0 else "" for g, x in zip(gr, tr, strict=True)]
                for gr, tr in zip(grey, texts, strict=True)
            ],
            texttemplate="%{text}",
            textfont=dict(size=font, color="#222222"),
            colorscale=[[0, NOT_SCORED], [1, DIAGONAL]],
            zmin=0,
            zmax=1,
            showscale=False,
            hoverinfo="skip",
            xgap=2,
            ygap=2,
            meta={"kind": "not-scored"},
        ),
        go.Heatmap(
            z=z,
            x=ticks,
            y=ticks,
            text=[
                [x if v is not None else "" for v, x in zip(zr, tr, strict=True)]
                for zr, tr in zip(z, texts, strict=True)
            ],
            texttemplate="%{text}",
            textfont=dict(size=font, color="#111111"),
            customdata=hovers,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=COLOURSCALE,
            zmin=-3,
            zmax=3,
            zmid=0,
            xgap=2,
            ygap=2,
            colorbar=dict(
                title=dict(text=t("matrix.median", lang), side="top"),
                tickvals=[-3, -2, -1, 0, 1, 2, 3],
                ticktext=[  # the scale's names while there is room for them
                    f"{format_score(s)} {SCALE[s][0 if lang == 'sv' else 1]}"
                    if n <= 8
                    else format_score(s)
                    for s in range(-3, 4)
                ],
                thickness=14,
                len=0.7,
                tickfont=dict(size=max(10, font)),
            ),
            meta={"kind": "room"},
        ),
    ]
    short = 30 if n <= 14 else 22
    axis = dict(
        tickmode="array",
        tickvals=ticks,
        showgrid=False,
        zeroline=False,
        range=[-0.5, n - 0.5],
        tickfont=dict(size=max(9, font), color="#111111"),
    )
    layout = dict(
        xaxis=dict(
            axis,
            ticktext=[escape(_short(x, short)) for x in names],
            side="top",
            tickangle=-40,
            ticklabeloverflow="allow",
        ),
        yaxis=dict(
            axis, ticktext=[escape(_short(x, short + 8)) for x in names], range=[n - 0.5, -0.5]
        ),
        margin=dict(l=8, r=8, t=8, b=8),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        shapes=shapes,
        dragmode=False,
        uirevision=f"room-matrix:{','.join(nodes)}",
        height=height or max(420, 200 + 46 * n),
    )
    return go.Figure(data=traces, layout=layout)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip(" ,.;:") + "…"
