"""Live tallies: pure functions over aggregated ballot rows (no database, no streamlit).

The store delivers one cheap aggregate, ``(item_id, value, skipped, count)`` per distinct value
(:meth:`conflicts.store.Store.tally_rows`); everything else is computed here.

Per item: number of ballots (skips excluded), skips, the distribution (count per value, every value
of the scale present), mean, median, population standard deviation, total, and a consensus measure.

Consensus: Tastle & Wierman (2007), for an ordinal scale with bounds ``lo..hi``::

    Cns = 1 + sum_i p_i * log2(1 - |X_i - mean| / (hi - lo))

1 = everyone gave the same value; 0 = the votes are split evenly between the two extremes. It uses
the whole distribution, stays within 0..1 for any distribution, and does not depend on the width
of the scale, so a 1-5 rating and a -3..+3 score are comparable. Hand-checked examples (scale 1-5):
``[3, 3]`` -> 1.0, ``[1, 5]`` -> 0.0, ``[1, 2, 3, 4, 5]`` -> 0.4340. ``None`` without ballots.

Scales per method (``lo..hi``): rating 1..5, score -3..+3, dots 0..budget (dots given to the item),
ranking 1..N (points: N for the 1st place ... 1 for the Nth, Slido style).

Priority (the ranking of items) by method: rating -> mean (high first), dots -> total dots,
ranking -> total points (equivalent to Slido's average over respondents), score -> mean ascending
(the most negative, i.e. the strongest conflict the room sees, first). Ties keep agenda order;
items without ballots come last and get no rank.

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

    def as_dict(self) -> dict:
        d = asdict(self)
        d["distribution"] = {str(k): v for k, v in self.distribution.items()}
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

    Equal priorities share a rank (1, 2, 2, 4); items without a priority come last, unranked.
    """
    descending = method != "score"
    with_p = [replace(t, priority=priority_of(t, method)) for t in tallies]
    ranked = sorted(
        (t for t in with_p if t.priority is not None),
        key=lambda t: ((-t.priority if descending else t.priority), t.position),
    )
    out: list[ItemTally] = []
    for i, t in enumerate(ranked):
        rank = out[-1].rank if out and out[-1].priority == t.priority else i + 1
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
) -> list[ItemTally]:
    """Tally every agenda item from the store's ``(item_id, value, skipped, count)`` rows.

    Returns the tallies in agenda order with ``priority`` and ``rank`` set.
    """
    lo, hi = scale_for(method, dot_budget=dot_budget, ranking_size=ranking_size)
    by_item: dict[int, list[tuple[int | None, bool, int]]] = {}
    for item_id, value, skipped, count in rows:
        by_item.setdefault(item_id, []).append((value, bool(skipped), count))
    tallies = [tally_item(ref, by_item.get(ref.item_id, []), lo, hi) for ref in refs]
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
