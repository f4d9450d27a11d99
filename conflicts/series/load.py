"""Rooms -> regional results: behind the series key (:func:`load_series`, every room's snapshot)
or public (:func:`public_series`, what each room's own projector shows)."""

from __future__ import annotations

from dataclasses import dataclass, field

from conflicts import workshops as ws
from conflicts.reports.export import export_dict
from conflicts.reports.results import WorkshopResults, build_results, results_of
from conflicts.series.access import SeriesGrant, normalise_series_code
from conflicts.series.aggregate import SeriesResults, aggregate
from conflicts.series.registry import Series, get_series, public_rooms, room_snapshots
from conflicts.shared_reads import CACHE_S, SharedReads
from conflicts.store import Store


def load_series(
    grant: SeriesGrant, *, lang: str | None = None, weighting: str | None = None, store: Store
) -> tuple[Series, SeriesResults, list[ws.WorkshopSnapshot]]:
    """The series, its regional results and the rooms' snapshots (for exports).

    ``weighting`` overrides the series' stored choice (``'equal'`` or ``'participants'``)."""
    s = get_series(grant, store=store)
    snaps = room_snapshots(grant, store=store)
    rooms = [results_of(snap, lang=lang) for snap in snaps]
    proposals = {snap.workshop.code: export_dict(snap)["proposals"] for snap in snaps}
    return s, aggregate(rooms, weighting=weighting or s.weighting, proposals=proposals), snaps


def _public_results(w: ws.Workshop, tally: ws.WorkshopTally, lang: str | None) -> WorkshopResults:
    return build_results(ws.public_snapshot(w, tally), lang=lang)


@dataclass
class _PublicRead:
    """One batched read of a series' rooms and the regional results built from it, per language."""

    series: Series
    rooms: list[tuple[ws.Workshop, ws.WorkshopTally]]
    results: dict[str | None, SeriesResults] = field(default_factory=dict)

    def of(self, lang: str | None) -> SeriesResults:
        built = self.results.get(lang)
        if built is None:  # two threads may both build it: the same value, kept once
            rooms = [_public_results(w, tally, lang) for w, tally in self.rooms]
            built = aggregate(rooms, weighting=self.series.weighting, proposals={})
            self.results[lang] = built
        return built


#: The regional projectors of one process share one read per series and ``CACHE_S`` seconds.
_shared: SharedReads[_PublicRead] = SharedReads(CACHE_S)


def public_series(
    code: str, *, lang: str | None = None, store: Store, shared: bool = False
) -> tuple[Series, SeriesResults]:
    """The regional projector's data: no key, nothing secret (no outcomes, notes or proposals;
    a room that hides results until closed shows only its counts). Raises
    :class:`~conflicts.series.SeriesNotFound`.

    The rooms are read in one batch (a fixed number of queries however many rooms, see
    :func:`~conflicts.series.public_rooms`). ``shared``: take the read (and the results in
    ``lang``) another caller of this process made less than ``CACHE_S`` seconds ago, as the
    API's :class:`~conflicts.api.state.StateHub` does for a room; every projector polls, so a
    process reads a series at most about twice a second however many are open."""
    c = normalise_series_code(code)

    def load() -> _PublicRead:
        return _PublicRead(*public_rooms(c, store=store))

    read = _shared.get((store.engine, c), load) if shared else load()
    return read.series, read.of(lang)
