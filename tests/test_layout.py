"""Tests for conflicts.layout: determinism, geometry and non-overlap."""

import math
from pathlib import Path

import pytest

from conflicts.catalogue import load_catalogue, parse_catalogue
from conflicts.layout import SPACING, cluster_radius, compute_layout

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def small():
    return load_catalogue(FIXTURES / "small.yaml")


@pytest.fixture(scope="module")
def large():
    # 17 goals with 5..19 sub-goals each (169 in all), like the SDG targets
    return load_catalogue(FIXTURES / "graph_large.yaml")


def test_every_node_gets_a_position_in_catalogue_order(small):
    pos = compute_layout(small)
    assert list(pos) == list(small.nodes)
    assert all(isinstance(x, float) and isinstance(y, float) for x, y in pos.values())


def test_deterministic(small, large):
    assert compute_layout(small) == compute_layout(small)
    again = load_catalogue(FIXTURES / "graph_large.yaml")
    assert compute_layout(large) == compute_layout(again)


def test_goals_on_unit_circle_first_at_top_clockwise(small):
    pos = compute_layout(small)
    assert pos["A"] == pytest.approx((0.0, 1.0))
    # clockwise: B at 90 - 120 = -30 degrees (lower right), C at -150 degrees (lower left)
    assert pos["B"] == pytest.approx((math.sqrt(3) / 2, -0.5), abs=1e-6)
    assert pos["C"] == pytest.approx((-math.sqrt(3) / 2, -0.5), abs=1e-6)


def test_subgoals_fan_outward_near_their_goal(small):
    pos = compute_layout(small)
    for goal in small.goals:
        gx, gy = pos[goal.id]
        for sub in goal.subgoals:
            sx, sy = pos[sub.id]
            assert math.hypot(sx, sy) > math.hypot(gx, gy)  # farther from the centre
            assert math.dist((sx, sy), (gx, gy)) == pytest.approx(0.3, abs=1e-6)
    # the two sub-goals of the top goal A sit symmetrically above it, a1 left (clockwise order)
    (x1, y1), (x2, y2) = pos["a1"], pos["a2"]
    assert x1 == pytest.approx(-x2) and y1 == pytest.approx(y2) and x1 < 0
    assert math.dist(pos["a1"], pos["a2"]) >= SPACING * 0.99


def nearest_goal(pos, cat, node):
    return min(cat.goals, key=lambda g: math.dist(pos[g.id], pos[node])).id


def test_large_catalogue_clusters_do_not_overlap(large):
    pos = compute_layout(large)
    goals = large.goals
    # cluster discs (goal position, cluster radius) are apart by at least SPACING
    for i, g in enumerate(goals):
        for h in goals[i + 1 :]:
            gap = math.dist(pos[g.id], pos[h.id])
            needed = cluster_radius(len(g.subgoals)) + cluster_radius(len(h.subgoals))
            assert gap >= needed + SPACING - 1e-6, (g.id, h.id)
    # every sub-goal is nearer its own goal than any other goal
    for node, goal in large.goal_of.items():
        assert nearest_goal(pos, large, node) == goal, node
    # cluster centres (mean position of each goal's nodes) are well apart
    centres = []
    for g in goals:
        pts = [pos[g.id]] + [pos[s.id] for s in g.subgoals]
        centres.append((sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)))
    closest = min(math.dist(a, b) for i, a in enumerate(centres) for b in centres[i + 1 :])
    assert closest > 0.5


def test_large_catalogue_nodes_keep_their_distance(large):
    pts = list(compute_layout(large).values())
    closest = min(math.dist(a, b) for i, a in enumerate(pts) for b in pts[i + 1 :])
    assert closest >= SPACING * 0.95
    # and the map does not blow up: radius grows with the counts, but moderately
    extent = max(math.hypot(x, y) for x, y in pts)
    assert 2 < extent < 8


def test_goal_ring_grows_with_cluster_size(small, large):
    ring = lambda cat: math.hypot(*compute_layout(cat)[cat.goals[0].id])  # noqa: E731
    assert ring(small) == pytest.approx(1.0)
    assert ring(large) > 2


def test_cluster_radius_grows_with_count():
    radii = [cluster_radius(k) for k in (0, 1, 5, 6, 15, 30)]
    assert radii[0] == 0
    assert radii == sorted(radii)
    assert radii[-1] > radii[2]


def test_saved_positions_override(small):
    text = (FIXTURES / "small.yaml").read_text(encoding="utf-8")
    cat = parse_catalogue(text + "positions:\n  b1: [3, -4.5]\n  A: [0, 2]\n", "p.yaml")
    pos = compute_layout(cat)
    assert pos["b1"] == (3.0, -4.5)
    assert pos["A"] == (0.0, 2.0)
    # the others are unchanged
    base = compute_layout(small)
    assert all(pos[n] == base[n] for n in base if n not in ("b1", "A"))


def test_single_goal_at_centre_with_subgoals_all_around():
    subs = ", ".join(f"{{id: s{i}, title: S{i}}}" for i in range(12))
    cat = parse_catalogue(
        f"""
meta: {{title: T, languages: [en]}}
goals:
  - {{id: g, title: G, colour: "#000000", subgoals: [{subs}]}}
""",
        "t.yaml",
    )
    pos = compute_layout(cat)
    assert pos["g"] == (0.0, 0.0)
    pts = [pos[f"s{i}"] for i in range(12)]
    assert min(math.dist(a, b) for i, a in enumerate(pts) for b in pts[i + 1 :]) >= SPACING * 0.95
    # all around: sub-goals both above and below the goal
    assert min(y for _, y in pts) < 0 < max(y for _, y in pts)


def test_goals_without_subgoals():
    cat = parse_catalogue(
        """
meta: {title: T, languages: [en]}
goals:
  - {id: g1, title: A, colour: "#000000"}
  - {id: g2, title: B, colour: "#000000"}
""",
        "t.yaml",
    )
    assert compute_layout(cat) == {"g1": (0.0, 1.0), "g2": (0.0, -1.0)}
