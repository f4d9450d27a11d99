"""Draw an interaction graph as a clickable plotly figure.

Layout is computed elsewhere (:mod:`conflicts.layout`); this module only draws. The figure is built
for Streamlit's ``st.plotly_chart(fig, on_select="rerun", selection_mode="points")``:

- every clickable point carries ``customdata``: ``["node", node_id]`` on the node trace and
  ``["edge", interaction_id]`` on the (invisible) edge-midpoint trace. Map a selection event back
  with :func:`selection_from_event`; never rely on trace or point indices, which change with the
  filters.
- decorative traces (lines, arrowheads, rings) skip hover, so they cannot be clicked.

Conflicts and synergies differ by colour *and* line style (Okabe-Ito palette: conflict vermilion
``#D55E00`` solid, synergy blue ``#0072B2`` dashed, consistent grey dotted), and line width grows
with ``abs(score)``. Directed interactions get an arrowhead near the target, mutual ones one at
each end. Parallel and opposite interactions between the same two nodes are drawn as slight curves.

All user text (titles) is HTML-escaped before it is put into hover texts and labels, because plotly
renders a subset of HTML there.

Examples
--------
>>> from conflicts.catalogue import parse_catalogue
>>> from conflicts.graph import build_graph
>>> from conflicts.layout import compute_layout
>>> cat = parse_catalogue('''
... meta: {title: Demo, languages: [en]}
... goals:
...   - {id: g1, title: Growth, colour: "#0072B2"}
...   - {id: g2, title: Climate, colour: "#009E73"}
... interactions:
...   - {id: i1, from: g1, to: g2, score: -2, title: Growth vs climate}
... ''')
>>> G = build_graph(cat)
>>> fig = build_figure(cat, G, compute_layout(cat), lang="en")
>>> [list(c) for t in fig.data if t.customdata is not None for c in t.customdata]
[['node', 'g1'], ['node', 'g2'], ['edge', 'i1']]
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import plotly.graph_objects as go

from conflicts.catalogue import Catalogue
from conflicts.figure_edges import (
    _DIM,
    COLOURS,
    DASHES,
    _edge_parts,
    _edge_traces,
    _midpoint_trace,
    edge_width,
)
from conflicts.figure_text import (
    _WRAP,
    _label,
    escape,
    format_score,
    selection_from_event,
    wrap_label,
)
from conflicts.geometry import goal_label_anchors, side
from conflicts.labels import (
    CLEARANCE_PX,
    ROOM_PLOT_EMS,
    crowding,
    place,
    point_box,
    positions_towards,
    segment_boxes,
    text_box,
    text_extent,
)
from conflicts.layout import compute_layout
from conflicts.metrics import NodeMetrics, node_metrics

__all__ = [
    "COLOURS",
    "DASHES",
    "build_figure",
    "edge_width",
    "escape",
    "format_score",
    "selection_from_event",
    "wrap_label",
]

_GOAL_SIZE = 26
_SUBGOAL_SIZE = 13
#: Sub-goals get a text label only when the graph has at most this many nodes.
SUBGOAL_LABEL_LIMIT = 30


def build_figure(
    cat: Catalogue,
    G: nx.MultiDiGraph,
    positions: Mapping[str, tuple[float, float]] | None = None,
    *,
    lang: str = "sv",
    selected: tuple[str, str] | None = None,
    highlight: str | None = None,
    dim_others: bool = False,
    node_size_by: str | Mapping[str, float] | None = None,
    height: int | None = None,
    uirevision: str | None = None,
    text_scale: float = 1.0,
    subgoal_labels: bool | None = None,
    room: bool = False,
) -> go.Figure:
    """Draw ``G`` (the whole catalogue graph or a filtered copy) as a plotly figure.

    Parameters
    ----------
    cat : Catalogue
        The catalogue ``G`` was built from (for texts).
    G : networkx.MultiDiGraph
        From :func:`conflicts.graph.build_graph` or :func:`conflicts.graph.filter_graph`.
    positions : mapping of node id to (x, y), optional
        From :func:`conflicts.layout.compute_layout`; computed when None. Every node of ``G``
        needs a position. The axis ranges follow *all* positions given, so a filtered graph drawn
        with the full layout keeps its place on screen.
    lang : str, default 'sv'
        Language of titles, hover texts and the legend.
    selected : ('node', id) or ('edge', id), optional
        Draw this node (with its interactions) or interaction emphasised.
    highlight : str, optional
        An interaction id: emphasise it, its two endpoints and their goals (the projector view).
    dim_others : bool, default False
        Dim (opacity 0.15) everything that ``selected``/``highlight`` does not emphasise.
    node_size_by : str or mapping, optional
        A :class:`~conflicts.metrics.NodeMetrics` field name (e.g. ``'conflict_strength'``) or a
        mapping node id -> value: marker size grows with the square root of ``abs(value)``.
    height : int, optional
        Figure height in px.
    subgoal_labels : bool, optional
        Label sub-goals: None labels them when the graph has at most ``SUBGOAL_LABEL_LIMIT``
        nodes; False labels only emphasised sub-goals (the projector, where labels must be big).
    room : bool, default False
        Drawn for a room (the projector): the nodes fill the plot, every label shown is dark,
        whole (wrapped, never cut) and as large as a goal label, and goal labels sit on the
        side of their goal that faces the centre, inside the plot.
    text_scale : float, default 1.0
        Multiplies label and legend font sizes (the projector uses ~1.8 to be read from the back
        of a room).
    uirevision : str, optional
        Plotly ``uirevision``; defaults to one per catalogue (title and version), so that zoom and
        pan survive Streamlit reruns but reset when another catalogue is shown.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces, bottom to top: halo under emphasised edges (if any), edge lines (one trace per
        class, width and emphasis; ``meta={"kind": "edges", "class": ...}``), legend keys,
        arrowheads, nodes (``customdata`` ``["node", id]``; sub-goal labels when the graph has at
        most ``SUBGOAL_LABEL_LIMIT`` nodes), goal labels (next to the goal, facing the centre; on
        big maps outside the cluster), rings around emphasised nodes, and the edge-midpoint
        markers (``customdata`` ``["edge", id]``). Each trace's ``meta["kind"]`` names its role.

    Raises
    ------
    ValueError
        If a node of ``G`` has no position, or ``node_size_by`` names no metric.

    Examples
    --------
    >>> from conflicts.catalogue import parse_catalogue
    >>> from conflicts.graph import build_graph
    >>> cat = parse_catalogue('''
    ... meta: {title: Demo, languages: [en]}
    ... goals:
    ...   - {id: g1, title: Growth, colour: "#0072B2"}
    ...   - {id: g2, title: Climate, colour: "#009E73"}
    ... interactions:
    ...   - {id: i1, from: g1, to: g2, score: 3, title: Green jobs}
    ... ''')
    >>> fig = build_figure(cat, build_graph(cat), lang="en", highlight="i1", dim_others=True)
    >>> [t.meta["kind"] for t in fig.data]
    ['halo', 'edges', 'legend', 'legend', 'arrows', 'nodes', 'goal-labels', 'rings', 'edge-midpoints']
    """
    pos = dict(compute_layout(cat) if positions is None else positions)
    missing = [n for n in G if n not in pos]
    if missing:
        raise ValueError(f"no position for node(s): {', '.join(map(str, missing))}")
    metrics = node_metrics(G)
    emph = _emphasis(G, selected, highlight, dim_others)
    nodes = list(G.nodes)
    label_all = len(nodes) <= SUBGOAL_LABEL_LIMIT if subgoal_labels is None else subgoal_labels
    frame = _frame(pos, text_scale, height, room=room, outside=not label_all and not room)
    sizes = _node_sizes(G, metrics, node_size_by)
    edges = _edge_parts(cat, G, pos, emph, sizes, frame.unit, lang)

    traces = _edge_traces(edges, G.number_of_edges(), lang)
    style = _LabelStyle.for_figure(text_scale, room)
    goals = [n for n in nodes if G.nodes[n].get("kind", "goal") == "goal"]
    # In a room the goal labels keep clear of the rings around highlighted goals (5 px beyond
    # the marker).
    anchors = (
        goal_label_anchors(
            cat,
            pos,
            goals,
            sizes,
            _room_unit(frame, style) if room else frame.unit,
            outside=not label_all and not room,
            subgoal_size=_SUBGOAL_SIZE,
            **(
                {"clearance_px": 8.0, "below_px": 0.25 * style.goal_px}
                if room or not label_all
                else {}
            ),
        )
        if goals
        else []
    )
    goal_texts = None
    if goals and not label_all and not room:
        # Outside the ring on a big map: each goal label on the first side, facing away from the
        # centre, that keeps clear of the labels placed before and of the nodes.
        anchors, goal_texts = _outside_goal_labels(
            cat, G, pos, goals, anchors, sizes, style, frame, lang
        )
    placed = (
        _room_subgoal_labels(cat, G, pos, goals, anchors, sizes, emph, style, frame, lang)
        if room and not label_all
        else {}
    )
    traces.append(
        _node_trace(cat, G, pos, sizes, metrics, emph, label_all, style, lang, placed=placed)
    )
    if goals:
        traces.append(_goal_label_trace(cat, G, goals, anchors, emph, style, lang, goal_texts))
    if emph.rings:
        traces.append(_ring_trace(pos, sizes, [n for n in nodes if n in emph.rings], emph.rings))
    traces.append(_midpoint_trace(edges.mid))
    layout = _figure_layout(cat, frame, text_scale, uirevision, room=room)
    if height is not None:
        layout["height"] = height
    return go.Figure(data=traces, layout=layout)


# --- what is emphasised -------------------------------------------------------------------------
@dataclass
class _Emphasis:
    edges: set[str]  # interaction ids drawn emphasised
    rings: dict[str, float]  # node -> ring line width
    dimming: bool  # dim what is not emphasised
    bright: set[str]  # nodes shown at full strength while dimming


def _emphasis(G, selected, highlight, dim_others) -> _Emphasis:
    """What ``highlight`` and ``selected`` emphasise (the highlight's goals get thin rings)."""
    emph_edges: set[str] = set()
    rings: dict[str, float] = {}
    edge_ends = {k: (u, v) for u, v, k in G.edges(keys=True)}
    if highlight is not None and highlight in edge_ends:
        emph_edges.add(highlight)
        for n in edge_ends[highlight]:
            rings[n] = 3.0
            goal = G.nodes[n].get("goal", n)
            if goal in G and goal not in rings:
                rings[goal] = 1.5
    if selected is not None:
        kind, ident = selected
        if kind == "node" and ident in G:
            rings[ident] = 3.0
            emph_edges.update(k for k, (u, v) in edge_ends.items() if ident in (u, v))
        elif kind == "edge" and ident in edge_ends:
            emph_edges.add(ident)
            for n in edge_ends[ident]:
                rings.setdefault(n, 3.0)
    bright = set(rings)
    for k in emph_edges:
        bright.update(edge_ends[k])
    return _Emphasis(emph_edges, rings, dim_others and bool(emph_edges or rings), bright)


def _text_colour(n: str, emph: _Emphasis) -> str:
    return "rgba(120,120,120,0.3)" if n not in emph.bright else "#111111"


@dataclass(frozen=True)
class _LabelStyle:
    """Label sizes (px), how many lines before a label is cut, and whether dimming greys the
    text (a room needs every label it shows dark and whole)."""

    goal_px: int
    subgoal_px: int
    max_lines: int | None  # None: never cut
    dim_text: bool

    @classmethod
    def for_figure(cls, text_scale: float, room: bool) -> _LabelStyle:
        goal_px = round(13 * text_scale)
        if room:
            return cls(goal_px, goal_px, None, False)
        return cls(goal_px, round(10 * text_scale), 3, True)

    def wrap(self, text: str, default_lines: int, width: int = _WRAP) -> str:
        """``text`` wrapped (and escaped); cut after ``default_lines`` unless whole labels."""
        return wrap_label(text, width, default_lines if self.max_lines is not None else 99)


# --- a room's highlighted sub-goal labels: clear of the goal labels, nodes and lines -----------
#: Wrap widths (characters) tried for a sub-goal label, narrowest first.
_ROOM_WRAPS = (_WRAP, 26)


def _room_unit(frame, style: _LabelStyle) -> float:
    """Data units per px in a room, where the plot is ``ROOM_PLOT_EMS`` goal labels' em wide (the
    projector scales its labels with the screen)."""
    span = max(frame.x[1] - frame.x[0], frame.y[1] - frame.y[0], 1e-9) + 2 * frame.pad
    return span / (ROOM_PLOT_EMS * style.goal_px)


def _room_subgoal_labels(
    cat, G, pos, goals, anchors, sizes, emph: _Emphasis, style: _LabelStyle, frame, lang
) -> dict[str, tuple[str, str]]:
    """(text, position) of each highlighted sub-goal's label: the side away from its goal when
    that is clear at the projector's smallest plot, else the nearest side (or wider wrap) that is
    clear of the goal labels, the highlighted nodes, the highlighted lines and the plot's edge
    (:mod:`conflicts.labels`)."""
    unit = _room_unit(frame, style)
    # Labels may reach into the plot's margins: the square plot leaves about 2 em on either
    # side in the projector's graph column, less than half an em above and below.
    side_, end = 2 * style.goal_px * unit, 0.4 * style.goal_px * unit
    bounds = (
        frame.x[0] - frame.pad - side_,
        frame.y[0] - frame.pad - end,
        frame.x[1] + frame.pad + side_,
        frame.y[1] + frame.pad + end,
    )
    obstacles: list[tuple[tuple[float, float, float, float], float]] = []
    for n, (x, y, position) in zip(goals, anchors, strict=True):
        lines = _lines(cat.text(G.nodes[n].get("title"), lang) or str(n), _WRAP)
        extent = text_extent(lines, style.goal_px, bold=True)
        obstacles.append((text_box((x, y), position, extent, 0, unit), 10.0))
    for u, v, k in G.edges(keys=True):
        if k in emph.edges:
            obstacles += [(b, 1.0) for b in segment_boxes(pos[u], pos[v], 8, unit)]
    subgoals = [n for n in emph.bright if G.nodes[n].get("kind", "goal") != "goal" and emph.dimming]
    placed: dict[str, tuple[str, str]] = {}
    for n in sorted(subgoals):
        x, y = pos[n]
        gx, gy = pos.get(G.nodes[n].get("goal", n), (x, y))
        title = cat.text(G.nodes[n].get("title"), lang) or str(n)
        markers = [
            (point_box(pos[m], sizes[m] + (10 if m in emph.rings else 0), unit), 10.0)
            for m in emph.bright
            if m != n
        ]
        # Its own marker, without the clearance (the text keeps plotly's gap from it).
        markers.append((point_box((x, y), sizes[n] - 2 * CLEARANCE_PX, unit), 10.0))
        choices = [
            (style.wrap(title, 2, width), position, _extent(title, width, style.subgoal_px))
            for position in positions_towards(x - gx, y - gy, side(x - gx, y - gy))
            for width in _ROOM_WRAPS
        ]
        gap = sizes[n] / 2 / 0.8 + 1  # plotly's offset of text from its marker
        text, position, box = place((x, y), choices, obstacles + markers, bounds, gap, unit)
        placed[n] = (text, position)
        obstacles.append((box, 10.0))
    return placed


def _outside_goal_labels(cat, G, pos, goals, anchors, sizes, style: _LabelStyle, frame, lang):
    """Anchors and texts of goal labels outside a big map's ring: each on the first side (from
    the one facing away from the centre) and wrap width whose box keeps clear of the labels
    placed before, of every node and of the plot (:func:`conflicts.labels.place`); the text is
    never cut. Placed round the ring both ways; the way with less crowding wins."""
    unit = frame.unit
    # Labels may reach into the side margins: the square plot leaves room beside it in a wide
    # column (about 90 px a side in Explore at 1920x1080: 8 em as estimated, text widths being
    # overestimated by about 15 %), little above and below.
    side_, end = 8 * style.goal_px * unit, 0.5 * style.goal_px * unit
    bounds = (
        frame.x[0] - frame.pad - side_,
        frame.y[0] - frame.pad - end,
        frame.x[1] + frame.pad + side_,
        frame.y[1] + frame.pad + end,
    )
    # Other markers with a margin (a label's drawn box is a little taller than estimated); a
    # label over its own goal is worse than one reaching a little beyond the plot (text widths
    # are overestimated).
    markers = {m: point_box(pos[m], sizes[m] + 10, unit) for m in G if m in pos}
    own = {n: point_box(pos[n], sizes[n], unit) for n in goals}
    choices = {}
    for n, (x, y, first) in zip(goals, anchors, strict=True):
        title = cat.text(G.nodes[n].get("title"), lang) or str(n)
        gx, gy = pos[n]
        choices[n] = [
            (wrap_label(title, width, 99), position, _extent(title, width, style.goal_px, True))
            for width in (*_ROOM_WRAPS, 34)
            for position in positions_towards(x - gx, y - gy, first)
        ]
    anchor = {n: a for n, a in zip(goals, anchors, strict=True)}
    best = None
    for order in (list(goals), list(reversed(goals))):
        labels: dict[str, tuple[str, str, tuple]] = {}
        total = 0.0
        for n in order:
            obstacles = [(b, 10.0) for m, b in markers.items() if m != n]
            obstacles += [(own[n], 40.0)] + [(box, 10.0) for _, _, box in labels.values()]
            # A text-only trace: plotly puts the text right at its anchor (no marker gap).
            labels[n] = place(anchor[n][:2], choices[n], obstacles, bounds, 0, unit)
            total += crowding(labels[n][2], obstacles, bounds, unit)
        if best is None or total < best[0]:
            best = (total, labels)
        if total <= 0:
            break
    placed = best[1]
    return (
        [(anchor[n][0], anchor[n][1], placed[n][1]) for n in goals],
        [placed[n][0] for n in goals],
    )


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False) or [""]


def _extent(title: str, width: int, font_px: float, bold: bool = False):
    return text_extent(_lines(title, width), font_px, bold=bold)


# --- extent: px per data unit, to keep arrowheads just outside their target node --------------
@dataclass
class _Frame:
    x: tuple[float, float]  # data range of all positions
    y: tuple[float, float]
    pad: float  # margin around them, in data units
    unit: float  # data units per px (roughly)


def _frame(
    pos, text_scale: float, height: int | None, *, room: bool = False, outside: bool = False
) -> _Frame:
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    # In a room the labels face the centre: only the outer nodes' own size needs a margin.
    if room or outside:
        # In a room the labels face the centre, and outside labels are placed within the plot
        # (:func:`_outside_goal_labels`): only the outer nodes' own size needs a margin.
        pad = 0.07 * span if room else 0.09 * span
    else:
        pad = (0.08 * span + 0.3) * max(1.0, 0.85 * text_scale)
    unit = (span + 2 * pad) / (height or 650)
    return _Frame((min(xs), max(xs)), (min(ys), max(ys)), pad, unit)


# --- edges --------------------------------------------------------------------------------------
def _node_trace(
    cat, G, pos, sizes, metrics, emph: _Emphasis, label_all, style, lang, *, placed
) -> dict:
    """The node markers, with sub-goal labels (all, or only the bright ones while dimming);
    ``placed`` maps a node to its label's (text, position) when chosen elsewhere."""
    nodes = list(G.nodes)
    node = {k: [] for k in ("x", "y", "text", "hover", "custom", "colour", "pos", "op")}
    for n in nodes:
        d = G.nodes[n]
        x, y = pos[n]
        title = cat.text(d.get("title"), lang) or str(n)
        goal = d.get("goal", n)
        if n in placed:
            node["text"].append(placed[n][0])
            node["pos"].append(placed[n][1])
        elif d.get("kind", "goal") != "goal" and (label_all or (emph.dimming and n in emph.bright)):
            gx, gy = pos.get(goal, (x, y))
            node["text"].append(style.wrap(title, 2))
            node["pos"].append(side(x - gx, y - gy))
        else:
            node["text"].append("")
            node["pos"].append("top center")
        node["x"].append(x)
        node["y"].append(y)
        node["custom"].append(["node", n])
        node["colour"].append(d.get("colour", "#777777"))
        node["op"].append(_DIM if emph.dimming and n not in emph.bright else 1.0)
        node["hover"].append(_node_hover(cat, G, n, title, metrics[n], lang))
    font: dict[str, Any] = {"size": style.subgoal_px, "shadow": "auto"}
    if not style.dim_text or not emph.dimming:
        font["color"] = "#111111"
    else:  # no shadow: it would smear the pale, dimmed labels
        font.update(color=[_text_colour(n, emph) for n in nodes], shadow="none")
    return dict(
        type="scatter",
        x=node["x"],
        y=node["y"],
        mode="markers+text",
        text=node["text"],
        textposition=node["pos"],
        textfont=font,
        hovertext=node["hover"],
        hoverinfo="text",
        customdata=node["custom"],
        marker=dict(
            color=node["colour"],
            size=[sizes[n] for n in nodes],
            opacity=node["op"],
            line=dict(color="white", width=1.5),
        ),
        selected=dict(marker=dict(opacity=1.0)),
        unselected=dict(marker=dict(opacity=0.6)),
        showlegend=False,
        name="",
        meta={"kind": "nodes"},
        cliponaxis=False,  # labels may reach into the margins rather than be cut off
    )


def _goal_label_trace(cat, G, goals, anchors, emph: _Emphasis, style, lang, texts=None) -> dict:
    label_font: dict[str, Any] = {
        "size": style.goal_px,
        "weight": "bold",
        "shadow": "auto",
    }
    # Dark unless dimmed: the theme's grey (rgb(128,132,149)) is too pale for a label.
    if not style.dim_text or not emph.dimming:
        label_font["color"] = "#111111"
    else:
        label_font.update(color=[_text_colour(n, emph) for n in goals], shadow="none")
    return dict(
        type="scatter",
        x=[a[0] for a in anchors],
        y=[a[1] for a in anchors],
        mode="text",
        text=texts
        or [style.wrap(cat.text(G.nodes[n].get("title"), lang) or str(n), 3) for n in goals],
        textposition=[a[2] for a in anchors],
        textfont=label_font,
        hoverinfo="skip",
        showlegend=False,
        meta={"kind": "goal-labels"},
        cliponaxis=False,
    )


def _ring_trace(pos, sizes, ring_nodes: list[str], rings: dict[str, float]) -> dict:
    return dict(
        type="scatter",
        x=[pos[n][0] for n in ring_nodes],
        y=[pos[n][1] for n in ring_nodes],
        mode="markers",
        marker=dict(
            symbol="circle-open",
            size=[sizes[n] + 10 for n in ring_nodes],
            color="#000000",
            line=dict(width=[rings[n] for n in ring_nodes], color="#000000"),
        ),
        unselected=dict(marker=dict(opacity=1.0)),
        hoverinfo="skip",
        showlegend=False,
        meta={"kind": "rings"},
    )


def _figure_layout(
    cat, frame: _Frame, text_scale: float, uirevision: str | None, *, room: bool = False
) -> dict:
    axis = dict(visible=False, showgrid=False, zeroline=False, fixedrange=False)
    pad = frame.pad
    return dict(
        # The ranges hold and the plot area shrinks to keep the aspect ("domain"):
        # widening a range to fit the first, still small, drawing would stay after the resize to
        # full height and leave the map small (seen on the projector: ±4.65 for nodes in ±1.3).
        xaxis=dict(axis, range=[frame.x[0] - pad, frame.x[1] + pad], constrain="domain"),
        yaxis=dict(
            axis,
            range=[frame.y[0] - pad, frame.y[1] + pad],
            scaleanchor="x",
            scaleratio=1,
            constrain="domain",
        ),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        margin=(
            dict(l=8, r=8, t=8, b=8) if text_scale <= 1 or room else dict(l=80, r=80, t=30, b=30)
        ),
        clickmode="event+select",
        dragmode="pan",
        hovermode="closest",
        showlegend=True,
        # Bottom left: the top right belongs to plotly's toolbar, which covers a legend at the
        # top on a phone's narrow chart.
        legend=dict(
            orientation="h",
            x=0,
            y=0,
            xanchor="left",
            yanchor="bottom",
            bgcolor="rgba(0,0,0,0)",
            itemclick=False,
            itemdoubleclick=False,
            font=dict(size=round(12 * text_scale)),
        ),
        uirevision=uirevision or f"graph:{cat.text(cat.meta.title, 'en')}:{cat.meta.version}",
    )


def _node_sizes(
    G: nx.MultiDiGraph,
    metrics: dict[str, NodeMetrics],
    by: str | Mapping[str, float] | None,
) -> dict[str, float]:
    base = {
        n: _GOAL_SIZE if d.get("kind", "goal") == "goal" else _SUBGOAL_SIZE
        for n, d in G.nodes(data=True)
    }
    if by is None:
        return base
    if isinstance(by, str):
        if by not in NodeMetrics.__dataclass_fields__:
            fields = ", ".join(NodeMetrics.__dataclass_fields__)
            raise ValueError(f"node_size_by must be one of {fields}, not {by!r}")
        values = {n: abs(getattr(metrics[n], by)) for n in G}
    else:
        values = {n: abs(float(by.get(n, 0))) for n in G}
    top = max(values.values(), default=0)
    if not top:
        return base
    return {n: base[n] * (0.6 + 0.9 * math.sqrt(values[n] / top)) for n in G}


def _node_hover(
    cat: Catalogue, G: nx.MultiDiGraph, n: str, title: str, m: NodeMetrics, lang: str
) -> str:
    parts = [f"<b>{wrap_label(title, 34, 4)}</b>"]
    goal = G.nodes[n].get("goal", n)
    if goal != n and goal in cat.goals_by_id:
        parts.append(f"<i>{escape(cat.text(cat.goals_by_id[goal].title, lang))}</i>")
    parts.append(
        f"{_label('conflicts', lang)}: {m.conflicts} ({m.conflict_strength}) · "
        f"{_label('synergies', lang)}: {m.synergies} ({m.synergy_strength})"
    )
    parts.append(
        f"{_label('influence', lang)}: {m.influence:+d} · "
        f"{_label('second', lang)}: {m.second_order_influence:+.1f}"
    )
    return "<br>".join(parts)
