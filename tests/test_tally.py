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


# --- issue 12: honest statistics --------------------------------------------------------------
def test_consensus_depends_on_the_width_of_the_scale():
    # One ballot on every point (uniform). Mean = the middle, width w = hi - lo.
    # 3 points (1..3), w=2: deviations 1, 0, 1 -> 1 + (2/3)*log2(1 - 1/2) = 1 - 2/3 = 0.3333
    assert tally.consensus({1: 1, 2: 1, 3: 1}, 1, 3) == pytest.approx(1 / 3)
    # 5 points (1..5), w=4: 1 + (2*log2(1/2) + 2*log2(3/4))/5 = 1 + (-2 - 0.830075)/5 = 0.433985
    assert tally.consensus({v: 1 for v in range(1, 6)}, 1, 5) == pytest.approx(0.433985, abs=1e-6)
    # 7 points (-3..3), w=6: 1 + 2*(log2(1/2) + log2(2/3) + log2(5/6))/7
    #                      = 1 + 2*(-1 - 0.584963 - 0.263034)/7 = 1 - 0.527999 = 0.472001
    assert tally.consensus({v: 1 for v in range(-3, 4)}, -3, 3) == pytest.approx(0.472001, abs=1e-6)
    for points, expected in tally.UNIFORM_CONSENSUS.items():
        lo, hi = 1, points
        got = tally.consensus({v: 1 for v in range(lo, hi + 1)}, lo, hi)
        assert round(got, 3) == expected


def test_tallies_carry_method_and_scale_so_consensus_is_compared_like_for_like():
    rows = [(1, 4, False, 2)]
    rating = tally.tally_workshop(_refs(1), rows, "rating")[0]
    assert rating.method == "rating" and rating.scale == (1, 5)
    score = tally.tally_workshop(_refs(1), [(1, 1, False, 2)], "score")[0]
    assert score.scale == (-3, 3)
    other_workshop = tally.tally_workshop(_refs(1), [(1, 2, False, 3)], "rating")[0]
    assert tally.consensus_comparable(rating, other_workshop)
    assert not tally.consensus_comparable(rating, score)
    dots5 = tally.tally_workshop(_refs(1), rows, "dots", dot_budget=5)[0]
    dots10 = tally.tally_workshop(_refs(1), rows, "dots", dot_budget=10)[0]
    assert not tally.consensus_comparable(dots5, dots10)  # same method, other scale
    assert rating.as_dict()["scale"] == [1, 5]


def test_ranking_one_first_place_out_of_ten_participants():
    # Ranking top 3 (points 3, 2, 1). Ten participants; only one gives item 1 a first place.
    # Old figures: mean 3.0, consensus 1.0 (only the one who gave points counts).
    # New: points per participant = total 3 / 10 participants = 0.3; share who gave any = 1/10.
    ts = tally.tally_workshop(
        _refs(1), [(1, 3, False, 1)], "ranking", ranking_size=3, participants=10
    )
    t = ts[0]
    assert t.mean == 3.0 and t.consensus == 1.0  # the old figure, kept beside the new ones
    assert t.points_per_participant == pytest.approx(0.3)
    assert t.share_gave_any == pytest.approx(0.1)
    assert t.participants == 10


def test_dots_points_per_participant_and_share():
    # Budget 10, 8 participants. Item 1: 3 people gave 4, 4 and 2 dots -> total 10,
    # 10/8 = 1.25 per participant, 3/8 = 0.375 gave any. Item 2: 1 person gave 10 -> 1.25, 0.125.
    rows = [(1, 4, False, 2), (1, 2, False, 1), (2, 10, False, 1)]
    t1, t2 = tally.tally_workshop(_refs(2), rows, "dots", dot_budget=10, participants=8)
    assert (t1.points_per_participant, t1.share_gave_any) == (1.25, 0.375)
    assert (t2.points_per_participant, t2.share_gave_any) == (1.25, 0.125)
    # Equal totals: the item that more participants gave points to ranks first.
    assert (t1.rank, t2.rank) == (1, 2)
    # Without the number of participants these stay unknown rather than guessed.
    u = tally.tally_workshop(_refs(1), rows[:1], "dots", dot_budget=10)[0]
    assert u.points_per_participant is None and u.share_gave_any is None
    # Hidden results blank the points (they reveal the total) but keep the share (a count).
    h = tally.visible(
        tally.tally_workshop(_refs(1), rows[:1], "dots", participants=8),
        "dots",
        hide_until_closed=True,
        facilitator=False,
    )[0]
    assert h.points_per_participant is None and h.share_gave_any == 0.25  # 2 of 8


def test_rating_few_ballots_flag_and_ties_broken_by_count():
    # Item 1: two 5s -> mean 5.0, 2 ballots (< 5: few).
    # Item 2: twenty ballots, eighteen 5s and two 4s -> mean (90 + 8)/20 = 4.9, not few.
    # Item 3: five 5s -> mean 5.0 (tie with item 1), 5 ballots: more ballots, so it goes first.
    rows = [(1, 5, False, 2), (2, 5, False, 18), (2, 4, False, 2), (3, 5, False, 5)]
    t1, t2, t3 = tally.tally_workshop(_refs(3), rows, "rating", participants=20)
    assert (t1.mean, t1.ballots, t1.few_ballots) == (5.0, 2, True)
    assert (t2.mean, t2.ballots, t2.few_ballots) == (pytest.approx(4.9), 20, False)
    # 5 ballots is not below MIN_BALLOTS, but with 20 participants 5 >= 20 % * 20 = 4: not few.
    assert (t3.ballots, t3.few_ballots) == (5, False)
    assert (t3.rank, t1.rank, t2.rank) == (1, 2, 3)
    # With 30 participants, 5 ballots are below 20 % (6): few.
    t3_big_room = tally.tally_workshop(_refs(3), rows, "rating", participants=30)[2]
    assert t3_big_room.few_ballots
    # Score ranks by a mean too; dots and ranking never carry the flag.
    assert tally.tally_workshop(_refs(1), [(1, -2, False, 1)], "score")[0].few_ballots
    assert not tally.tally_workshop(_refs(1), [(1, 3, False, 1)], "dots")[0].few_ballots
