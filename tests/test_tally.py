"""Pure tally functions, numbers checked by hand."""

from __future__ import annotations

import math

import pytest

from conflicts import tally
from conflicts.tally import AgendaRef


def test_mean_median_stdev_by_hand():
    dist = {1: 1, 2: 0, 3: 2, 4: 0, 5: 1}  # ballots 1, 3, 3, 5
    assert tally.mean(dist) == 3.0
    assert tally.median(dist) == 3.0
    assert tally.stdev(dist) == pytest.approx(math.sqrt((4 + 0 + 0 + 4) / 4))  # sqrt(2)
    assert tally.median({1: 1, 2: 1, 4: 1, 5: 1}) == 3.0  # even count: mean of 2 and 4
    assert tally.median({2: 1, 5: 2}) == 5.0  # 2, 5, 5
    assert tally.mean({}) is None and tally.median({1: 0}) is None


def test_tastle_wierman_consensus_by_hand():
    # all agree -> 1; split between the extremes -> 0
    assert tally.consensus({3: 4}, 1, 5) == 1.0
    assert tally.consensus({1: 2, 5: 2}, 1, 5) == 0.0
    # uniform 1..5: mean 3, width 4: 1 + 0.2*(2*log2(0.5) + 2*log2(0.75)) = 0.433985...
    expected = 1 + 0.2 * (2 * math.log2(0.5) + 2 * math.log2(0.75))
    assert tally.consensus({v: 1 for v in range(1, 6)}, 1, 5) == pytest.approx(expected)
    assert expected == pytest.approx(0.433985, abs=1e-6)
    # score scale -3..+3: ballots -3, -3, 0 -> mean -2, width 6
    # 1 + 2/3*log2(1 - 1/6) + 1/3*log2(1 - 2/6)
    exp2 = 1 + (2 / 3) * math.log2(5 / 6) + (1 / 3) * math.log2(4 / 6)
    assert tally.consensus({-3: 2, 0: 1}, -3, 3) == pytest.approx(exp2)
    assert tally.consensus({}, 1, 5) is None


def test_tally_item_counts_skips_and_full_distribution():
    ref = AgendaRef(item_id=7, interaction_id="c1", position=1, voting="open")
    t = tally.tally_item(ref, [(4, False, 2), (2, False, 1), (None, True, 3)], 1, 5)
    assert t.ballots == 3 and t.skips == 3
    assert t.distribution == {1: 0, 2: 1, 3: 0, 4: 2, 5: 0}
    assert t.mean == pytest.approx(10 / 3)
    assert t.median == 4.0
    assert t.total == 10


def _refs(n, voting="open"):
    return [AgendaRef(i, f"c{i}", i, voting) for i in range(1, n + 1)]


def test_ranking_by_method():
    rows = [
        (1, 2, False, 2),  # item 1: 2, 2 -> mean 2, total 4
        (2, 5, False, 1),  # item 2: 5, 3 -> mean 4, total 8
        (2, 3, False, 1),
        (3, 4, False, 1),  # item 3: 4, 4 -> mean 4 (tie with 2)
        (3, 4, False, 1),
        (4, None, True, 2),  # item 4: only skips -> unranked
    ]
    ts = tally.tally_workshop(_refs(4), rows, "rating")
    assert [t.rank for t in ts] == [3, 1, 1, None]
    # dots: total decides (dot budget 10 -> scale 0..10)
    ts = tally.tally_workshop(_refs(4), rows, "dots", dot_budget=10)
    assert [t.priority for t in ts] == [4.0, 8.0, 8.0, None]
    # score: most negative mean first
    srows = [(1, -3, False, 1), (2, 1, False, 1), (3, -1, False, 1)]
    ts = tally.tally_workshop(_refs(3), srows, "score")
    assert [t.rank for t in ts] == [1, 3, 2]
    assert ts[0].distribution[-3] == 1 and set(ts[0].distribution) == set(range(-3, 4))


def test_ranking_points_slido_style():
    # N=3; voter A ranks 2 > 1 > 3 (points 3, 2, 1); voter B ranks 1 > 2 (3, 2)
    rows = [
        (2, 3, False, 1),
        (1, 2, False, 1),
        (3, 1, False, 1),
        (1, 3, False, 1),
        (2, 2, False, 1),
    ]
    ts = tally.tally_workshop(_refs(3), rows, "ranking", ranking_size=3)
    assert [t.total for t in ts] == [5, 5, 1]
    assert [t.rank for t in ts] == [1, 1, 3]
    assert set(ts[0].distribution) == {1, 2, 3}


def test_hidden_until_closed():
    refs = [AgendaRef(1, "c1", 1, "open"), AgendaRef(2, "c2", 2, "closed")]
    rows = [(1, 5, False, 3), (2, 2, False, 1), (1, None, True, 1)]
    ts = tally.tally_workshop(refs, rows, "rating")
    assert [t.rank for t in ts] == [1, 2]
    seen = tally.visible(ts, "rating", hide_until_closed=True, facilitator=False)
    assert seen[0].hidden and seen[0].mean is None and seen[0].distribution == {}
    assert seen[0].ballots == 3 and seen[0].skips == 1  # counts stay visible
    assert seen[0].rank is None and seen[1].rank == 1 and seen[1].mean == 2.0
    assert tally.visible(ts, "rating", hide_until_closed=True, facilitator=True) == ts
    assert tally.visible(ts, "rating", hide_until_closed=False, facilitator=False) == ts


def test_scale_for_rejects_unknown_method():
    with pytest.raises(ValueError):
        tally.scale_for("approval")
