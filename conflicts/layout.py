"""Deterministic node positions for the goal-conflict map.

Goals sit evenly on a circle, the first at the top and the rest clockwise. Each goal's sub-goals
fan out on arcs around their goal, facing away from the centre, so that the middle of the map is
left to the interactions between clusters. Big clusters get more arcs, and the goal circle grows
until no two clusters overlap: with 3 goals of 2 sub-goals the goal circle has radius 1; with 17
goals of ~10 sub-goals it grows to about 4. Sub-goals are always at least ``SPACING`` apart.

Positions saved in the catalogue (``positions:``) override computed ones, node by node, in the
same coordinate system.

The layout is pure geometry: no randomness, no plotting library.

Examples
--------
>>> from conflicts.catalogue import parse_catalogue
>>> cat = parse_catalogue('''
... meta: {title: Demo, languages: [en]}
... goals:
...   - {id: g1, title: Growth, colour: "#0072B2", subgoals: [{id: s1, title: Jobs}]}
...   - {id: g2, title: Climate, colour: "#009E73"}
... ''')
>>> pos = compute_layout(cat)
>>> pos["g1"], pos["g2"]
((0.0, 1.0), (0.0, -1.0))
>>> pos["s1"]
(0.0, 1.3)
"""

from __future__ import annotations

import math

from conflicts.catalogue import Catalogue

__all__ = ["GOAL_RADIUS", "SPACING", "cluster_radius", "compute_layout", "subgoal_offsets"]

#: Radius of the goal circle when the clusters are small.
GOAL_RADIUS = 1.0
#: Minimum distance between two sub-goals of a cluster, and the gap between clusters.
SPACING = 0.22
#: Radius of the first arc of sub-goals around their goal.
INNER_RADIUS = 0.3
#: Angular span of each arc, centred on the outward direction (a bit more than a half circle).
ARC_SPAN = math.radians(200)

_DECIMALS = 6


def _step(radius: float) -> float:
    """The angle between two neighbours on an arc of ``radius`` that are ``SPACING`` apart."""
    return 2 * math.asin(min(1.0, SPACING / (2 * radius)))


def _capacity(radius: float, span: float) -> int:
    """How many sub-goals fit on an arc, ``SPACING`` apart (a full circle has no end points)."""
    if span >= 2 * math.pi - 1e-9:
        return max(1, int(2 * math.pi / _step(radius) + 1e-9))
    return int(span / _step(radius) + 1e-9) + 1


def _arcs(k: int, span: float = ARC_SPAN) -> list[tuple[float, int]]:
    """Split ``k`` sub-goals over concentric arcs: ``[(radius, count), ...]``, innermost first."""
    arcs = []
    radius = INNER_RADIUS
    while k > 0:
        capacity = _capacity(radius, span)
        take = min(k, capacity)
        arcs.append((radius, take))
        k -= take
        radius += SPACING
    return arcs


def subgoal_offsets(k: int, outward: float, span: float = ARC_SPAN) -> list[tuple[float, float]]:
    """Offsets of ``k`` sub-goals from their goal, fanned around the angle ``outward`` (radians).

    Full arcs spread over ``span``; the last, partial arc keeps ``SPACING`` between neighbours and
    is centred on ``outward``. Sub-goals are ordered clockwise.

    Examples
    --------
    >>> [(round(x, 3), round(y, 3)) for x, y in subgoal_offsets(1, math.pi / 2)]
    [(0.0, 0.3)]
    >>> len(subgoal_offsets(12, 0.0))
    12
    """
    out = []
    for radius, count in _arcs(k, span):
        full = count == _capacity(radius, span)
        if count == 1:
            angles = [outward]
        else:
            step = span / (count - 1) if full else _step(radius)
            if full and span >= 2 * math.pi - 1e-9:  # a full circle: first and last differ
                step = 2 * math.pi / count
            start = outward + step * (count - 1) / 2
            angles = [start - i * step for i in range(count)]
        out += [(radius * math.cos(a), radius * math.sin(a)) for a in angles]
    return out


def cluster_radius(k: int) -> float:
    """The radius of the disc that holds a goal and ``k`` sub-goals around it.

    Examples
    --------
    >>> cluster_radius(0), cluster_radius(3), round(cluster_radius(10), 2)
    (0.0, 0.3, 0.52)
    """
    arcs = _arcs(k)
    return arcs[-1][0] if arcs else 0.0


def _goal_ring_radius(radii: list[float]) -> float:
    """The smallest goal-circle radius (>= GOAL_RADIUS) at which no two cluster discs overlap."""
    n = len(radii)
    ring = GOAL_RADIUS
    for i in range(n):
        for j in range(i + 1, n):
            chord = 2 * math.sin(math.pi * (j - i) / n)  # distance between goals on a unit ring
            ring = max(ring, (radii[i] + radii[j] + SPACING) / chord)
    return ring


def compute_layout(cat: Catalogue) -> dict[str, tuple[float, float]]:
    """Positions ``{node id: (x, y)}`` for every goal and sub-goal of ``cat``.

    Parameters
    ----------
    cat : Catalogue

    Returns
    -------
    dict of str to (float, float)
        In catalogue node order (``cat.nodes``), rounded to 6 decimals. The centre of the map is
        ``(0, 0)``; y grows upwards. Entries of ``cat.positions`` override computed ones.

    Notes
    -----
    Goal ``i`` of ``n`` sits at angle ``90° - i * 360° / n`` on a circle of radius
    ``R = max(1, max over goal pairs i, j of (r_i + r_j + SPACING) / chord(i, j))`` where ``r_i``
    is :func:`cluster_radius` of goal ``i`` and ``chord`` is the distance between the two goal
    slots on a unit circle. A single goal sits at the centre with its sub-goals all around it.

    Examples
    --------
    >>> from conflicts.catalogue import parse_catalogue
    >>> cat = parse_catalogue('''
    ... meta: {title: Demo, languages: [en]}
    ... goals:
    ...   - {id: g1, title: A, colour: "#0072B2"}
    ...   - {id: g2, title: B, colour: "#009E73"}
    ...   - {id: g3, title: C, colour: "#D55E00"}
    ...   - {id: g4, title: D, colour: "#CC79A7"}
    ... positions: {g4: [5, 5]}
    ... ''')
    >>> compute_layout(cat)
    {'g1': (0.0, 1.0), 'g2': (1.0, 0.0), 'g3': (0.0, -1.0), 'g4': (5.0, 5.0)}
    """
    goals = cat.goals
    n = len(goals)
    radii = [cluster_radius(len(g.subgoals)) for g in goals]
    ring = 0.0 if n == 1 else _goal_ring_radius(radii)

    pos: dict[str, tuple[float, float]] = {}
    for i, goal in enumerate(goals):
        angle = math.pi / 2 - 2 * math.pi * i / n
        gx, gy = ring * math.cos(angle), ring * math.sin(angle)
        pos[goal.id] = (gx, gy)
        span = 2 * math.pi if n == 1 else ARC_SPAN
        offsets = subgoal_offsets(len(goal.subgoals), angle, span)
        for sub, (dx, dy) in zip(goal.subgoals, offsets, strict=True):
            pos[sub.id] = (gx + dx, gy + dy)

    out = {}
    for node in cat.nodes:
        x, y = cat.positions.get(node, pos[node])
        # round, and turn -0.0 into 0.0 so that output is stable and readable
        out[node] = (round(float(x), _DECIMALS) + 0.0, round(float(y), _DECIMALS) + 0.0)
    return out
