"""The matrix heatmap: every cell's sign and number as text, 'not scored' distinct from 0."""

from __future__ import annotations

import math

import pytest

from conflicts.catalogue import bundled_catalogues, load_catalogue, parse_catalogue
from conflicts.figure import selection_from_event
from conflicts.figure_matrix import COLOURSCALE, NOT_SCORED, build_matrix_figure, cell_text
from conflicts.matrix import cross_impact_matrix, goal_network, parse_cell_id
from tests.test_matrix import SMALL


def kind(fig, name):
    (trace,) = [t for t in fig.data if t.meta["kind"] == name]
    return trace


@pytest.fixture
def small():
    cat = parse_catalogue(SMALL.replace("title: X1", "title: <b>X1</b> & co"))
    return cat, cross_impact_matrix(cat, "goal")  # order b, c, a (by influence)


def test_every_cell_shows_its_sign_and_number(small) -> None:
    cat, m = small
    fig = build_matrix_figure(cat, m, lang="en")
    scores = kind(fig, "scores")
    assert m.nodes == ("b", "c", "a")
    # b -> c is +3; c -> a a scored 0; a -> b the mean of -2 and +1 over two interactions.
    assert scores.text[0][1] == "+3"
    assert scores.text[1][2] == "0"
    assert scores.text[2][0] == "−0.5<br>×2"
    assert (scores.zmin, scores.zmax) == (-3, 3)
    assert scores.colorscale[0][1] == COLOURSCALE[0][1] and scores.colorscale[-1][1] == "#0072B2"
    # The colour bar names every step of the scale, not colour alone.
    assert list(scores.colorbar.ticktext) == [
        "−3 cancelling",
        "−2 counteracting",
        "−1 constraining",
        "0 consistent",
        "+1 enabling",
        "+2 reinforcing",
        "+3 indivisible",
    ]


def test_not_scored_is_grey_with_a_dot_and_never_a_zero(small) -> None:
    cat, m = small
    fig = build_matrix_figure(cat, m, lang="en")
    scores, grey = kind(fig, "scores"), kind(fig, "not-scored")
    # a -> c (row 2, column 1) has no interaction; c -> a (row 1, column 2) is a scored 0.
    assert scores.z[2][1] is None and scores.text[2][1] == "·"
    assert grey.z[2][1] == 0 and grey.text[2][1] == "·"
    assert scores.z[1][2] == 0 and grey.z[1][2] is None
    assert grey.colorscale[0][1] == NOT_SCORED != "#FFFFFF"
    assert cell_text(None, 0) != cell_text(0, 1)


def test_cells_are_clickable_with_our_customdata(small) -> None:
    cat, m = small
    fig = build_matrix_figure(cat, m, lang="sv")
    cells = kind(fig, "cells")
    by_position = {
        (y, x): tuple(c) for x, y, c in zip(cells.x, cells.y, cells.customdata, strict=True)
    }
    assert by_position[(0, 1)] == ("edge", "x3")  # one interaction: opens it
    assert by_position[(2, 0)] == ("cell", "goal:a>b")  # two: the cell lists them
    assert (2, 1) not in by_position  # nothing to open in a cell that is not scored
    event = {"selection": {"points": [{"customdata": list(by_position[(2, 0)])}]}}
    assert selection_from_event(event) == ("cell", "goal:a>b")
    assert parse_cell_id("goal:a>b") == ("goal", "a", "b")
    # Hover texts name both ends and every interaction, escaped.
    hover = dict(zip(map(tuple, cells.customdata), cells.hovertext, strict=True))
    assert "&lt;b&gt;X1&lt;/b&gt; &amp; co" in hover[("cell", "goal:a>b")]
    assert "medel av 2" in hover[("cell", "goal:a>b")]


def test_selected_cell_is_outlined(small) -> None:
    cat, m = small
    fig = build_matrix_figure(cat, m, selected=("edge", "x2"))
    (rect,) = fig.layout.shapes
    assert (rect.x0, rect.y0) == (-0.5, 1.5)  # x2 is a -> b: row a (2), column b (0)
    assert build_matrix_figure(cat, m).layout.shapes == ()


def test_sdg_goal_matrix_is_17_by_17_and_readable() -> None:
    cat = load_catalogue(bundled_catalogues()["sdg"])
    m = cross_impact_matrix(cat, "goal")
    fig = build_matrix_figure(cat, m, lang="sv")
    assert len(fig.layout.xaxis.ticktext) == len(fig.layout.yaxis.ticktext) == 17
    assert all(len(label) <= 34 for label in fig.layout.yaxis.ticktext)
    assert fig.layout.height >= 17 * 30
    scored = sum(1 for row in m.cells for c in row if c is not None)
    assert len(kind(fig, "cells").customdata) == scored
    # Rows by influence: the first row acts most on the others.
    influence = [round(m.influence(n), 9) for n in m.nodes]  # sums in another order
    assert influence == sorted(influence, reverse=True)


def test_goal_network_has_one_edge_per_scored_goal_pair() -> None:
    from conflicts.graph import build_graph

    cat = load_catalogue(bundled_catalogues()["sdg"])
    m = cross_impact_matrix(cat, "goal", sort="catalogue")
    H = goal_network(cat, build_graph(cat))
    off_diagonal = [
        (m.nodes[i], m.nodes[j], c)
        for i, row in enumerate(m.cells)
        for j, c in enumerate(row)
        if c is not None and i != j
    ]
    assert H.number_of_edges() == len(off_diagonal)
    for u, v, c in off_diagonal:
        ((key, d),) = H.get_edge_data(u, v).items()
        assert d["score"] == max(-3, min(3, round(c.score)))
        if c.count == 1:
            assert key == c.interactions[0]
        else:
            assert d["select"] == "cell" and math.isclose(d["mean"], c.score)
