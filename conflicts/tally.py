"""Live tallies: pure functions over aggregated ballot rows (no database, no streamlit).

The store delivers one cheap aggregate, ``(item_id, value, skipped, count)`` per distinct value
(:meth:`conflicts.store.Store.tally_rows`); everything else is computed here.

Per item: number of ballots (skips excluded), skips, the distribution (count per value, every value
of the scale present), mean, median, population standard deviation, total, and a consensus measure.

Consensus: Tastle & Wierman (2007), for an ordinal scale with bounds ``lo..hi``::

    Cns = 1 + sum_i p_i * log2(1 - |X_i - mean| / (hi - lo))

1 = everyone gave the same value; 0 = the votes are split evenly between the two extremes. It uses
the whole distribution and stays within 0..1 for any distribution. Hand-checked examples (scale
1-5): ``[3, 3]`` -> 1.0, ``[1, 5]`` -> 0.0, ``[1, 2, 3, 4, 5]`` -> 0.4340. ``None`` without ballots.

Consensus DOES depend on the width of the scale: the same kind of spread gives a different number
on a wider scale. One ballot on every point of the scale (a uniform spread) gives 0.333 on a
3-point scale, 0.434 on 5 points (rating 1..5) and 0.472 on 7 points (score -3..+3)
(:data:`UNIFORM_CONSENSUS`). So compare consensus only between tallies of the same method on the
same scale: every :class:`ItemTally` carries its ``method`` and ``scale``, and
:func:`consensus_comparable` says whether two tallies may be compared (e.g. across workshops).

Scales per method (``lo..hi``): rating 1..5, score -3..+3, dots 0..budget (dots given to the item),
ranking 1..N (points: N for the 1st place ... 1 for the Nth, Slido style).

Priority (the ranking of items) by method: rating -> mean (high first), dots -> total dots,
ranking -> total points (equivalent to Slido's average over respondents), score -> mean ascending
(the most negative, i.e. the strongest conflict the room sees, first). Ties are broken by the
number of ballots (more ballots first: a mean of twenty ballots is firmer than the same mean of
two); equal priority and equal count share a rank and keep agenda order. Items without ballots
come last and get no rank.

Dots and ranking: a participant gives points only to some items, so ``mean``, ``median`` and
``consensus`` there describe only those who gave the item points (one first place out of ten
participants shows mean 3.0 and consensus 1.0). Report instead, beside them, the points per
participant (``total`` / participants who could vote, as Slido's average over respondents) and
the share of participants who gave the item any points: :attr:`ItemTally.points_per_participant`
and :attr:`ItemTally.share_gave_any`, set when :func:`tally_workshop` is told ``participants``.

Few ballots (rating and score, which rank by a mean): an item is flagged ``few_ballots`` when it
has fewer than :data:`MIN_BALLOTS` (5) ballots, or fewer than :data:`MIN_BALLOT_SHARE` (20 %) of
the participants when their number is known. Five is the smallest count where one dissenting
ballot moves a 1-5 mean by at most 0.8 (4/5) rather than 2 (4/2) as with two ballots; 20 % keeps
a large room from being led by a handful. The flag does not change the order: it tells the reader
which means rest on too few ballots to trust.

Warm-up items (a question whose options are the catalogue's goals, ballot value = the goal's index
in catalogue order) are nominal, not ordinal: :func:`tally_warmup` gives only counts per goal
(:class:`WarmupTally`), no mean or consensus, and warm-ups take no part in the priority ranking.

Median: the middle value; with an even number of ballots the mean of the two middle values.

Hidden results: :func:`visible` blanks the numbers of items whose voting is not closed when the
workshop hides results until closed and the viewer is not the facilitator (counts of ballots and
skips stay visible: "12 votes in" does not steer anyone).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace

RATING_SCALE = (1, 5)
SCORE_SCALE = (-3, 3)

#: Tastle-Wierman consensus of one ballot on every point of a scale, by number of points: the
#: same "everyone disagrees evenly" gives a different number on a wider scale.
UNIFORM_CONSENSUS = {3: 0.333, 5: 0.434, 7: 0.472}

#: Fewer ballots than this flags a mean as ``few_ballots`` (see the module docstring).
MIN_BALLOTS = 5
#: ... and so does a count below this share of the participants, when their number is known.
MIN_BALLOT_SHARE = 0.2
#: The methods that rank by a mean, for which ``few_ballots`` is computed.
MEAN_METHODS = ("rating", "score")
#: The methods where participants give points to only some items.
POINTS_METHODS = ("dots", "ranking")


def scale_for(method: str, *, dot_budget: int = 10, ranking_size: int = 3) -> tuple[int, int]:
    """The ``(lo, hi)`` bounds of a ballot value for a voting method.

    >>> scale_for("rating"), scale_for("score"), scale_for("dots", dot_budget=5)
    ((1, 5), (-3, 3), (0, 5))
    """
    if method == "rating":
        return RATING_SCALE
    if method == "score":
        return SCORE_SCALE
    if method == "dots":
        return (0, dot_budget)
    if method == "ranking":
        return (1, ranking_size)
    raise ValueError(f"unknown voting method {method!r}")


@dataclass(frozen=True)
class ItemTally:
    """The tally of one agenda item. Numbers are None when there is no ballot or when hidden."""

    item_id: int
    interaction_id: str
    position: int
    voting: str
    ballots: int = 0
    skips: int = 0
    distribution: dict[int, int] = field(default_factory=dict)
    mean: float | None = None
    median: float | None = None
    stdev: float | None = None
    total: int | None = None
    consensus: float | None = None
    priority: float | None = None
    rank: int | None = None
    hidden: bool = False
    catalogue_score: int | None = None
    #: The voting method and the ``(lo, hi)`` scale the numbers were computed on: consensus is
    #: only comparable between tallies with the same method and scale.
    method: str | None = None
    scale: tuple[int, int] | None = None
    #: The number of participants who could vote, when the caller knows it.
    participants: int | None = None
    #: Dots and ranking: total points / participants (None when hidden or participants unknown).
    points_per_participant: float | None = None
    #: Dots and ranking: the share of participants who gave the item any points (0..1).
    share_gave_any: float | None = None
    #: Rating and score: True when the mean rests on few ballots (see the module docstring).
    few_ballots: bool = False

    def as_dict(self) -> dict:
        d = asdict(self)
        d["distribution"] = {str(k): v for k, v in self.distribution.items()}
        d["scale"] = list(self.scale) if self.scale else None
        return d


@dataclass(frozen=True)
class AgendaRef:
    """What the tally needs to know about an agenda item."""

    item_id: int
    interaction_id: str
    position: int
    voting: str
    catalogue_score: int | None = None


def mean(dist: dict[int, int]) -> float | None:
    n = sum(dist.values())
    return None if n == 0 else sum(v * c for v, c in dist.items()) / n


def median(dist: dict[int, int]) -> float | None:
    """Median of a distribution; the mean of the two middle values for an even count.

    >>> median({1: 1, 2: 1, 4: 1, 5: 1})
    3.0
    """
    n = sum(dist.values())
    if n == 0:
        return None
    values = sorted(v for v, c in dist.items() for _ in range(c))
    mid = n // 2
    return float(values[mid]) if n % 2 else (values[mid - 1] + values[mid]) / 2


def stdev(dist: dict[int, int]) -> float | None:
    """Population standard deviation."""
    n = sum(dist.values())
    if n == 0:
        return None
    mu = mean(dist)
    return math.sqrt(sum(c * (v - mu) ** 2 for v, c in dist.items()) / n)


def consensus(dist: dict[int, int], lo: int, hi: int) -> float | None:
    """Tastle-Wierman consensus of a distribution on the ordinal scale ``lo..hi`` (0..1).

    >>> consensus({3: 2}, 1, 5), consensus({1: 1, 5: 1}, 1, 5)
    (1.0, 0.0)
    >>> round(consensus({1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, 1, 5), 4)
    0.434
    """
    n = sum(dist.values())
    if n == 0:
        return None
    width = hi - lo
    if width <= 0:
        return 1.0
    mu = mean(dist)
    total = 0.0
    for v, c in dist.items():
        if c == 0:
            continue
        inner = 1 - abs(v - mu) / width
        total += (c / n) * math.log2(max(inner, 1e-12))
    return min(1.0, max(0.0, 1 + total))


def consensus_comparable(a: ItemTally, b: ItemTally) -> bool:
    """Whether the consensus of two tallies may be compared (same method, same scale).

    >>> r = ItemTally(1, "a", 1, "closed", method="rating", scale=(1, 5))
    >>> s = ItemTally(2, "b", 1, "closed", method="score", scale=(-3, 3))
    >>> consensus_comparable(r, r), consensus_comparable(r, s)
    (True, False)
    """
    return a.method is not None and a.method == b.method and a.scale == b.scale


def is_few_ballots(ballots: int, participants: int | None = None) -> bool:
    """True when ``ballots`` (at least one) are too few to trust a mean.

    Fewer than :data:`MIN_BALLOTS`, or fewer than :data:`MIN_BALLOT_SHARE` of ``participants``.

    >>> is_few_ballots(4), is_few_ballots(5), is_few_ballots(5, participants=30), is_few_ballots(0)
    (True, False, True, False)
    """
    if ballots <= 0:
        return False
    if ballots < MIN_BALLOTS:
        return True
    return participants is not None and ballots < MIN_BALLOT_SHARE * participants


def with_participation(t: ItemTally, method: str, participants: int | None) -> ItemTally:
    """Add the figures that need the number of participants (see the module docstring).

    >>> ref = AgendaRef(1, "a", 1, "closed")
    >>> t = with_participation(tally_item(ref, [(3, False, 1)], 1, 3), "ranking", 10)
    >>> t.mean, t.points_per_participant, t.share_gave_any
    (3.0, 0.3, 0.1)
    """
    extra: dict = {"participants": participants}
    if method in MEAN_METHODS:
        extra["few_ballots"] = is_few_ballots(t.ballots, participants)
    if method in POINTS_METHODS and participants:
        extra["share_gave_any"] = t.ballots / participants
        if not t.hidden:
            extra["points_per_participant"] = (t.total or 0) / participants
    return replace(t, **extra)


def tally_item(
    ref: AgendaRef, rows: Iterable[tuple[int | None, bool, int]], lo: int, hi: int
) -> ItemTally:
    """Tally one item from ``(value, skipped, count)`` rows."""
    dist = {v: 0 for v in range(lo, hi + 1)}
    skips = 0
    for value, skipped, count in rows:
        if skipped or value is None:
            skips += count
        else:
            dist[value] = dist.get(value, 0) + count
    n = sum(dist.values())
    return ItemTally(
        item_id=ref.item_id,
        interaction_id=ref.interaction_id,
        position=ref.position,
        voting=ref.voting,
        ballots=n,
        skips=skips,
        distribution=dist,
        mean=mean(dist),
        median=median(dist),
        stdev=stdev(dist),
        total=sum(v * c for v, c in dist.items()) if n else None,
        consensus=consensus(dist, lo, hi),
        catalogue_score=ref.catalogue_score,
        scale=(lo, hi),
    )


def priority_of(t: ItemTally, method: str) -> float | None:
    """The number items are ranked by (see the module docstring); None without ballots."""
    if t.ballots == 0 or t.hidden:
        return None
    if method in ("dots", "ranking"):
        return float(t.total or 0)
    return t.mean


def rank_items(tallies: list[ItemTally], method: str) -> list[ItemTally]:
    """Set ``priority`` and ``rank`` (1 = deal with first); return the tallies in priority order.

    Equal priorities are ordered by the number of ballots (more first); equal priority and equal
    count share a rank (1, 2, 2, 4). Items without a priority come last, unranked.
    """
    descending = method != "score"
    with_p = [replace(t, priority=priority_of(t, method)) for t in tallies]
    ranked = sorted(
        (t for t in with_p if t.priority is not None),
        key=lambda t: ((-t.priority if descending else t.priority), -t.ballots, t.position),
    )
    out: list[ItemTally] = []
    for i, t in enumerate(ranked):
        tied = out and (out[-1].priority, out[-1].ballots) == (t.priority, t.ballots)
        rank = out[-1].rank if tied else i + 1
        out.append(replace(t, rank=rank))
    out += sorted((t for t in with_p if t.priority is None), key=lambda t: t.position)
    return out


def tally_workshop(
    refs: list[AgendaRef],
    rows: Iterable[tuple[int, int | None, bool, int]],
    method: str,
    *,
    dot_budget: int = 10,
    ranking_size: int = 3,
    participants: int | None = None,
) -> list[ItemTally]:
    """Tally every agenda item from the store's ``(item_id, value, skipped, count)`` rows.

    ``participants`` is the number of participants who could vote (e.g. those who joined the
    workshop); with it, dots and ranking get points per participant and the share who gave any,
    and rating and score flag few ballots also relative to the room.

    Returns the tallies in agenda order with ``priority`` and ``rank`` set.
    """
    lo, hi = scale_for(method, dot_budget=dot_budget, ranking_size=ranking_size)
    by_item: dict[int, list[tuple[int | None, bool, int]]] = {}
    for item_id, value, skipped, count in rows:
        by_item.setdefault(item_id, []).append((value, bool(skipped), count))
    tallies = [
        with_participation(
            replace(tally_item(ref, by_item.get(ref.item_id, []), lo, hi), method=method),
            method,
            participants,
        )
        for ref in refs
    ]
    ranked = {t.item_id: t for t in rank_items(tallies, method)}
    return [ranked[ref.item_id] for ref in refs]


def hide(t: ItemTally) -> ItemTally:
    """The tally with its results blanked (counts of ballots and skips kept)."""
    return replace(
        t,
        distribution={},
        mean=None,
        median=None,
        stdev=None,
        total=None,
        consensus=None,
        priority=None,
        rank=None,
        points_per_participant=None,
        hidden=True,
    )


def visible(
    tallies: list[ItemTally], method: str, *, hide_until_closed: bool, facilitator: bool
) -> list[ItemTally]:
    """What a viewer may see: with ``hide_until_closed`` a non-facilitator sees no numbers for
    items whose voting is not closed; ranks are recomputed over the visible items."""
    if facilitator or not hide_until_closed:
        return tallies
    shown = [t if t.voting == "closed" else hide(t) for t in tallies]
    ranked = {t.item_id: t for t in rank_items(shown, method)}
    return [ranked[t.item_id] for t in shown]


# --------------------------------------------------------------------------------------------
# Warm-up items: a distribution over options (the catalogue's goals)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WarmupTally:
    """The tally of a warm-up item: ballots per option (goal id), every option present."""

    item_id: int
    position: int
    voting: str
    options: tuple[str, ...]
    ballots: int = 0
    skips: int = 0
    distribution: dict[str, int] = field(default_factory=dict)
    hidden: bool = False

    @property
    def leaders(self) -> list[str]:
        """The option(s) with the most ballots (empty without ballots or when hidden)."""
        if self.hidden or not self.ballots:
            return []
        top = max(self.distribution.values())
        return [o for o in self.options if self.distribution.get(o) == top]

    def share(self, option: str) -> float | None:
        """The share of ballots (skips excluded) for ``option``; None without ballots/hidden."""
        if self.hidden or not self.ballots:
            return None
        return self.distribution.get(option, 0) / self.ballots

    def as_dict(self) -> dict:
        d = asdict(self)
        d["options"] = list(self.options)
        return d


def tally_warmup(
    item_id: int,
    position: int,
    voting: str,
    options: list[str] | tuple[str, ...],
    rows: Iterable[tuple[int | None, bool, int]],
) -> WarmupTally:
    """Tally a warm-up item from ``(value, skipped, count)`` rows; value = index into options.

    >>> t = tally_warmup(7, 1, "open", ["a", "b"], [(1, False, 2), (None, True, 1)])
    >>> t.distribution, t.ballots, t.skips, t.leaders
    ({'a': 0, 'b': 2}, 2, 1, ['b'])
    """
    opts = tuple(options)
    dist = {o: 0 for o in opts}
    skips = 0
    for value, skipped, count in rows:
        if skipped or value is None:
            skips += count
        elif 0 <= value < len(opts):
            dist[opts[value]] += count
    return WarmupTally(
        item_id=item_id,
        position=position,
        voting=voting,
        options=opts,
        ballots=sum(dist.values()),
        skips=skips,
        distribution=dist,
    )


def visible_warmup(t: WarmupTally, *, hide_until_closed: bool, facilitator: bool) -> WarmupTally:
    """Like :func:`visible` for a warm-up: counts of ballots and skips stay, the rest is blanked."""
    if facilitator or not hide_until_closed or t.voting == "closed":
        return t
    return replace(t, distribution={}, hidden=True)
