"""The lines of the network figure: edge curves with arrowheads, their hover midpoints, the
legend, and the colours and line styles of the interaction classes (never colour alone).
Re-exported by :mod:`conflicts.figure`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from conflicts.catalogue import SCALE
from conflicts.figure_text import _label, format_score, wrap_label
from conflicts.geometry import bezier, edge_curves, tangent
from conflicts.graph import edge_class

if TYPE_CHECKING:
    from conflicts.figure import _Emphasis

#: Okabe-Ito colours of the edge classes (grey for consistent, 0).
COLOURS: dict[str, str] = {"conflict": "#D55E00", "synergy": "#0072B2", "consistent": "#999999"}
#: Line styles of the edge classes: never colour alone.
DASHES: dict[str, str] = {"conflict": "solid", "synergy": "dash", "consistent": "dot"}
_HOVER_BG = {"conflict": "#D55E00", "synergy": "#0072B2", "consistent": "#555555"}
_HALO = "#F0E442"  # Okabe-Ito yellow, under emphasised edges
_DIM = 0.15
_EDGE_OPACITY = 0.85


def edge_width(score: int) -> float:
    """Line width in px of an interaction: 1.5, 3 or 5 px for ``abs(score)`` 1, 2, 3 (0: 1.5).

    Examples
    --------
    >>> [edge_width(s) for s in (-3, -1, 0, 2)]
    [5.0, 1.5, 1.5, 3.0]
    """
    return {0: 1.5, 1: 1.5, 2: 3.0, 3: 5.0}[min(abs(score), 3)]


@dataclass
class _EdgeParts:
    lines: dict[tuple[str, float, str], tuple[list, list]] = field(default_factory=dict)
    halo_x: list = field(default_factory=list)
    halo_y: list = field(default_factory=list)
    arrows: dict[str, list] = field(
        default_factory=lambda: {k: [] for k in ("x", "y", "angle", "colour", "size", "op")}
    )
    mid: dict[str, list] = field(
        default_factory=lambda: {k: [] for k in ("x", "y", "custom", "hover", "bg")}
    )


def _edge_parts(cat, G, pos, emph: _Emphasis, sizes, unit: float, lang: str) -> _EdgeParts:
    """Line points (grouped by class, width and emphasis), arrowheads and hover midpoints."""
    control = edge_curves(G, pos)
    parts = _EdgeParts()
    for u, v, k, d in G.edges(keys=True, data=True):
        score = d.get("score", 0)
        cls = edge_class(score)
        width = edge_width(score)
        state = "emph" if k in emph.edges else ("dim" if emph.dimming else "normal")
        p0, c, p2 = pos[u], control[k], pos[v]
        curved = c != ((p0[0] + p2[0]) / 2, (p0[1] + p2[1]) / 2)
        ts = [i / 12 for i in range(13)] if curved else [0.0, 1.0]
        pts = [bezier(p0, c, p2, t) for t in ts]
        xs_, ys_ = parts.lines.setdefault((cls, width, state), ([], []))
        xs_ += [p[0] for p in pts] + [None]
        ys_ += [p[1] for p in pts] + [None]
        if state == "emph":
            parts.halo_x += [p[0] for p in pts] + [None]
            parts.halo_y += [p[1] for p in pts] + [None]
        # arrowheads near the target (and near the source for mutual interactions)
        ends = [(v, 1.0, 1)] + ([(u, 0.0, -1)] if d.get("mutual") else [])
        arrow_px = 8 + 1.6 * width + (3 if state == "emph" else 0)
        for node, t_end, direction in ends:
            back = (sizes[node] / 2 + 2 + arrow_px / 2) * unit
            _add_arrow(parts.arrows, (p0, c, p2), t_end, direction, back)
            parts.arrows["colour"].append(COLOURS[cls])
            parts.arrows["size"].append(arrow_px)
            parts.arrows["op"].append(_DIM if state == "dim" else 1.0)
        mx, my = bezier(p0, c, p2, 0.5)
        parts.mid["x"].append(mx)
        parts.mid["y"].append(my)
        parts.mid["custom"].append([d.get("select", "edge"), k])
        parts.mid["hover"].append(_edge_hover(cat, G, u, v, k, d, lang))
        parts.mid["bg"].append(_HOVER_BG[cls])
    return parts


def _add_arrow(arrows: dict[str, list], curve, t_end: float, direction: int, back: float) -> None:
    """Position and angle of an arrowhead ``back`` data units before the curve's end."""
    p0, c, p2 = curve
    length = math.dist(p0, p2) or 1.0
    t = min(max(t_end - direction * back / length, 0.05), 0.95)
    ax, ay = bezier(p0, c, p2, t)
    tx, ty = tangent(p0, c, p2, t)
    arrows["x"].append(ax)
    arrows["y"].append(ay)
    arrows["angle"].append(round(math.degrees(math.atan2(direction * tx, direction * ty)), 1))


def _edge_hover(cat, G, u: str, v: str, k: str, d: dict, lang: str) -> str:
    score = d.get("score", 0)
    x = d.get("interaction")
    if x is not None:
        title = cat.text(x.title, lang)
    elif "count" in d:  # an aggregated goal-to-goal cell (matrix.goal_network)
        title = (
            f"{d['count']} {_label('interactions', lang)}, "
            f"{_label('mean', lang)} {format_score(d['mean'], lang)}"
        )
    else:
        title = str(k)
    arrow = "↔" if d.get("mutual") else "→"
    # Short lines: a wide hover label is cut off at the edge of a phone's chart.
    ends_text = (
        wrap_label(cat.text(G.nodes[u].get("title"), lang) or u, 34, 2)
        + f"<br>{arrow} "
        + wrap_label(cat.text(G.nodes[v].get("title"), lang) or v, 34, 2)
    )
    score_text = f"{score:+d}" if score else "0"
    scale_index = 0 if lang == "sv" else 1
    return (
        f"<b>{wrap_label(title, 34, 4)}</b><br>{ends_text}<br>"
        f"{_label('score', lang)} {score_text}: {SCALE[score][scale_index]}"
    )


def _edge_traces(parts: _EdgeParts, n_edges: int, lang: str) -> list[dict]:
    """Halo, edge lines, legend keys and arrowheads, bottom to top."""
    traces: list[dict] = []
    if parts.halo_x:
        traces.append(
            dict(
                type="scatter",
                x=parts.halo_x,
                y=parts.halo_y,
                mode="lines",
                line=dict(color=_HALO, width=14),
                opacity=0.7,
                hoverinfo="skip",
                showlegend=False,
                meta={"kind": "halo"},
            )
        )
    order = {"normal": 1, "dim": 0, "emph": 2}
    # a dense map (SDG-sized) reads better with lighter lines
    normal_opacity = _EDGE_OPACITY if n_edges <= 60 else 0.6
    for (cls, width, state), (lx, ly) in sorted(
        parts.lines.items(), key=lambda item: (order[item[0][2]], item[0][1], item[0][0])
    ):
        traces.append(
            dict(
                type="scatter",
                x=lx,
                y=ly,
                mode="lines",
                line=dict(
                    color=COLOURS[cls],
                    width=width + (2 if state == "emph" else 0),
                    dash=DASHES[cls],
                ),
                opacity={"normal": normal_opacity, "dim": _DIM, "emph": 1.0}[state],
                hoverinfo="skip",
                showlegend=False,
                legendgroup=cls,
                name=_label(cls, lang),
                meta={"kind": "edges", "class": cls, "width": width, "state": state},
            )
        )
    traces += _legend_traces({cls for cls, _, _ in parts.lines}, lang)
    if parts.arrows["x"]:
        traces.append(_arrow_trace(parts.arrows))
    return traces


def _legend_traces(present: set[str], lang: str) -> list[dict]:
    """Legend keys: conflict and synergy always, consistent when present."""
    return [
        dict(
            type="scatter",
            x=[None],
            y=[None],
            mode="lines",
            line=dict(color=COLOURS[cls], width=3, dash=DASHES[cls]),
            name=_label(cls, lang),
            legendgroup=cls,
            showlegend=True,
            hoverinfo="skip",
            meta={"kind": "legend", "class": cls},
        )
        for cls in ("conflict", "synergy", "consistent")
        if cls != "consistent" or cls in present
    ]


def _arrow_trace(arrows: dict[str, list]) -> dict:
    return dict(
        type="scatter",
        x=arrows["x"],
        y=arrows["y"],
        mode="markers",
        marker=dict(
            symbol="arrow",
            angle=arrows["angle"],
            size=arrows["size"],
            color=arrows["colour"],
            opacity=arrows["op"],
            line=dict(width=0),
        ),
        unselected=dict(marker=dict(opacity=0.6)),
        hoverinfo="skip",
        showlegend=False,
        meta={"kind": "arrows"},
    )


def _midpoint_trace(mid: dict[str, list]) -> dict:
    """Nearly invisible markers at the edges' midpoints: what makes an interaction clickable."""
    return dict(
        type="scatter",
        x=mid["x"],
        y=mid["y"],
        mode="markers",
        marker=dict(size=14, opacity=0.01, color="#000000"),
        selected=dict(marker=dict(opacity=0.35)),
        unselected=dict(marker=dict(opacity=0.01)),
        customdata=mid["custom"],
        hovertext=mid["hover"],
        hoverinfo="text",
        hoverlabel=dict(bgcolor=mid["bg"], font=dict(color="white")),
        showlegend=False,
        name="",
        meta={"kind": "edge-midpoints"},
    )


# --- nodes --------------------------------------------------------------------------------------
