"""Plane geometry of the drawn map: edge curves, arrowhead points and label sides.

Pure functions on ``(x, y)`` tuples, no plotting library: :mod:`conflicts.figure` turns their
results into plotly traces. Parallel and opposite interactions between the same two nodes are
quadratic Bézier curves bent apart; all other edges are straight lines (a Bézier curve whose
control point is the chord's midpoint).

Examples
--------
>>> bezier((0, 0), (1, 1), (2, 0), 0.5)
(1.0, 0.5)
>>> textposition(1, 0), textposition(0, -1)
('middle right', 'bottom center')
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import networkx as nx

Point = tuple[float, float]


def bezier(p0: Point, c: Point, p2: Point, t: float) -> Point:
    """The point at ``t`` (0..1) of the quadratic Bézier curve ``p0 -> c -> p2``.

    Examples
    --------
    >>> bezier((0, 0), (1, 0), (2, 0), 0.25)
    (0.5, 0.0)
    """
    # Rounded: 4 decimals are far below a pixel and keep the figure's JSON small.
    a, b, d = (1 - t) ** 2, 2 * (1 - t) * t, t * t
    return (
        round(a * p0[0] + b * c[0] + d * p2[0], 4),
        round(a * p0[1] + b * c[1] + d * p2[1], 4),
    )


def tangent(p0: Point, c: Point, p2: Point, t: float) -> Point:
    """The (unnormalised) direction of the Bézier curve ``p0 -> c -> p2`` at ``t``.

    Examples
    --------
    >>> tangent((0, 0), (1, 0), (2, 0), 0.5)
    (2.0, 0.0)
    """
    return (
        2 * (1 - t) * (c[0] - p0[0]) + 2 * t * (p2[0] - c[0]),
        2 * (1 - t) * (c[1] - p0[1]) + 2 * t * (p2[1] - c[1]),
    )


def edge_curves(G: nx.MultiDiGraph, pos: Mapping[str, Point]) -> dict[str, Point]:
    """Control point of every edge (by key): straight lines, except for parallel/opposite edges.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("a", "b", key="i1")
    >>> edge_curves(G, {"a": (0, 0), "b": (2, 0)})
    {'i1': (1.0, 0.0)}
    """
    groups: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for u, v, k in G.edges(keys=True):
        groups.setdefault((min(u, v), max(u, v)), []).append((u, v, k))
    control = {}
    for (a, b), edges in groups.items():
        pa, pb = pos[a], pos[b]
        dx, dy = pb[0] - pa[0], pb[1] - pa[1]
        length = math.hypot(dx, dy) or 1.0
        normal = (-dy / length, dx / length)  # relative to the canonical direction a -> b
        m = len(edges)
        for j, (_, _, k) in enumerate(edges):
            bend = 0.0 if m == 1 else 0.18 * (j - (m - 1) / 2) * length
            # The curve's midpoint lies halfway between the chord's midpoint and the control point.
            control[k] = (
                (pa[0] + pb[0]) / 2 + 2 * bend * normal[0],
                (pa[1] + pb[1]) / 2 + 2 * bend * normal[1],
            )
    return control


def side(dx: float, dy: float) -> str:
    """Left or right of a point in direction (dx, dy); above or below when nearly vertical.

    Examples
    --------
    >>> side(-1, 0.2), side(0.1, 1)
    ('middle left', 'top center')
    """
    length = math.hypot(dx, dy)
    if length == 0:
        return "top center"
    if abs(dx) >= 0.25 * length:
        return "middle right" if dx > 0 else "middle left"
    return "top center" if dy > 0 else "bottom center"


def textposition(dx: float, dy: float) -> str:
    """The plotly textposition on the side of direction (dx, dy), in 8 sectors.

    Examples
    --------
    >>> textposition(-1, 1)
    'top left'
    """
    if dx == 0 and dy == 0:
        return "top center"
    sector = round(math.degrees(math.atan2(dy, dx)) / 45) % 8
    return (
        "middle right",
        "top right",
        "top center",
        "top left",
        "middle left",
        "bottom left",
        "bottom center",
        "bottom right",
    )[sector]


def goal_label_anchors(
    cat, pos, goals, sizes, unit, *, outside, subgoal_size, clearance_px=3.0, below_px=0.0
):
    """(x, y, textposition) of each goal's label.

    With ``outside``, beyond the goal's cluster of sub-goals, facing away from the centre of the
    map (for big maps, where sub-goals carry no labels); else next to the goal on the side facing
    the centre (the sub-goals and their labels fan outward). Filter-independent: the cluster
    extent uses all of the goal's sub-goals that have a position. ``sizes`` are marker sizes in
    px, ``unit`` data units per px. The label keeps ``clearance_px`` from the goal's marker, and
    ``below_px`` more when it hangs below it (plotly's text reaches a quarter em above its
    anchor there).
    """
    centres = [pos[g.id] for g in cat.goals if g.id in pos] or [pos[n] for n in goals]
    cx = sum(p[0] for p in centres) / len(centres)
    cy = sum(p[1] for p in centres) / len(centres)
    out = []
    for n in goals:
        x, y = pos[n]
        dx, dy = (x - cx, y - cy) if outside else (cx - x, cy - y)
        length = math.hypot(dx, dy)
        if length < 1e-9:
            dx, dy, length = 0.0, -1.0, 1.0
        dx, dy = dx / length, dy / length
        position = textposition(dx, dy)
        below = below_px if position.startswith("bottom") else 0.0
        gap = (sizes[n] / 2 + clearance_px + below) * unit
        if outside:
            subs = cat.goals_by_id[n].subgoals if n in cat.goals_by_id else []
            extent = max((math.dist(pos[s.id], (x, y)) for s in subs if s.id in pos), default=0)
            gap = max(gap, extent + (subgoal_size / 2 + 3) * unit)
        out.append((round(x + dx * gap, 4), round(y + dy * gap, 4), position))
    return out
