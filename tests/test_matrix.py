"""The cross-impact matrix (pure), checked by hand on a small catalogue and on SDG's size."""

from __future__ import annotations

from conflicts.catalogue import bundled_catalogues, load_catalogue, parse_catalogue
from conflicts.matrix import cross_impact_matrix

SMALL = """
meta: {title: T}
goals:
  - {id: a, title: A, colour: '#000000', subgoals: [{id: a.1, title: A1}, {id: a.2, title: A2}]}
  - {id: b, title: B, colour: '#111111'}
  - {id: c, title: C, colour: '#222222'}
interactions:
  - {id: x1, from: a.1, to: b, score: -2, title: X1}
  - {id: x2, from: a.2, to: b, score: 1, title: X2}
  - {id: x3, from: b, to: c, score: 3, title: X3, direction: mutual}
  - {id: x4, from: c, to: a, score: 0, title: X4}
"""


def test_goal_level_by_hand() -> None:
    cat = parse_catalogue(SMALL)
    m = cross_impact_matrix(cat, "goal", sort="catalogue")
    assert m.nodes == ("a", "b", "c")
    # a -> b: x1 (-2) and x2 (+1) from a's sub-goals: mean -0.5, two interactions.
    ab = m.cells[0][1]
    assert (ab.score, ab.interactions) == (-0.5, ("x1", "x2"))
    # b <-> c mutual +3: both directions scored.
    assert m.cells[1][2].score == 3 and m.cells[2][1].score == 3
    # c -> a is a scored 0 ("consistent"), not "not scored"; a -> c has no interaction.
    assert m.cells[2][0].score == 0 and m.cells[0][2] is None
    assert m.cells[0][0] is None
    # Influence (row sums): a -0.5, b 3, c 3 + 0 = 3. Influenced by (column sums): a 0, b 2.5, c 3.
    assert [m.influence(n) for n in "abc"] == [-0.5, 3, 3]
    assert [m.influenced_by(n) for n in "abc"] == [0, 2.5, 3]
    # Sorted by influence, highest first; b and c tie at 3 and keep catalogue order.
    s = cross_impact_matrix(cat, "goal")
    assert s.nodes == ("b", "c", "a")
    assert s.cells[2][0].interactions == ("x1", "x2")  # a -> b moved with its row and column


def test_subgoal_level_and_filter() -> None:
    cat = parse_catalogue(SMALL)
    m = cross_impact_matrix(cat, "subgoal", sort="catalogue")
    assert m.nodes == ("a", "b", "c", "a.1", "a.2")
    assert m.cells[m.nodes.index("a.1")][m.nodes.index("b")].score == -2
    f = cross_impact_matrix(cat, "subgoal", nodes=["a.2", "b"], sort="catalogue")
    assert f.nodes == ("b", "a.2") and f.cells[1][0].interactions == ("x2",)


def test_sdg_goal_level_is_17_by_17() -> None:
    cat = load_catalogue(bundled_catalogues()["sdg"])
    m = cross_impact_matrix(cat, "goal")
    assert len(m.nodes) == 17 and all(len(r) == 17 for r in m.cells)
    scored = sum(c.count for r in m.cells for c in r if c is not None)
    mutual = sum(1 for x in cat.interactions if x.direction == "mutual")
    assert scored == len(cat.interactions) + mutual
