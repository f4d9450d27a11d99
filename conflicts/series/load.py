"""Rooms -> regional results: behind the series key (:func:`load_series`, every room's snapshot)
or public (:func:`public_series`, what each room's own projector shows)."""

from __future__ import annotations

from conflicts import workshops as ws
from conflicts.reports.export import export_dict
from conflicts.reports.results import WorkshopResults, build_results, results_of
from conflicts.series.access import SeriesGrant
from conflicts.series.aggregate import SeriesResults, aggregate
from conflicts.series.registry import Series, get_series, public_rooms, room_snapshots
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


def public_series(
    code: str, *, lang: str | None = None, store: Store
) -> tuple[Series, SeriesResults]:
    """The regional projector's data: no key, nothing secret (no outcomes, notes or proposals;
    a room that hides results until closed shows only its counts). Raises
    :class:`~conflicts.series.SeriesNotFound`."""
    s, rooms = public_rooms(code, store=store)
    results = [_public_results(w, tally, lang) for w, tally in rooms]
    return s, aggregate(results, weighting=s.weighting, proposals={})
