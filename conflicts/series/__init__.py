"""Series: several workshops (rooms) on one catalogue, seen as one region (plain Python).

A series has a public id (``S-7KQ3XM``: the regional projector's address) and its own key, stored
as a scrypt hash like a facilitator key; the key unlocks a :class:`SeriesGrant`, which reading the
rooms' results takes. Modules: :mod:`.access` (key and grant), :mod:`.registry` (the store),
:mod:`.aggregate` (the regional aggregate, pure), :mod:`.load` (rooms -> aggregate),
:mod:`.export` (JSON, Markdown, offline HTML and the catalogue written back).

Usage::

    from conflicts import series

    created = series.create_series("Regional rådslag", [grant_a], store=store)
    sid, key = created.series.code, created.key      # show the key once
    grant = series.unlock_series(sid, key, store=store)
    series.add_workshop(grant, grant_b, store=store)  # a room's facilitator grant
    series.remove_workshop(grant, "K7M2QX", store=store)  # a room's join code
    regional = series.load_series(grant, store=store) # SeriesResults
    text = series.export_series(grant, "json", store=store)
"""

from conflicts.series.access import (
    SeriesGrant,
    local_series_grant,
    normalise_series_code,
    unlock_series,
)
from conflicts.series.aggregate import (
    ConflictAggregate,
    GroupAggregate,
    RoomCell,
    SeriesResults,
    aggregate,
    merge_proposals,
)
from conflicts.series.errors import SeriesCatalogueMismatch, SeriesNotFound, SeriesRoomNotFound
from conflicts.series.load import load_series, public_series
from conflicts.series.registry import (
    CreatedSeries,
    Series,
    add_workshop,
    create_series,
    get_series,
    poll_rooms,
    public_rooms,
    remove_workshop,
    room_snapshots,
    series_of,
    set_weighting,
)

__all__ = [
    "ConflictAggregate",
    "CreatedSeries",
    "GroupAggregate",
    "RoomCell",
    "Series",
    "SeriesCatalogueMismatch",
    "SeriesGrant",
    "SeriesNotFound",
    "SeriesResults",
    "SeriesRoomNotFound",
    "add_workshop",
    "aggregate",
    "create_series",
    "get_series",
    "load_series",
    "local_series_grant",
    "merge_proposals",
    "normalise_series_code",
    "poll_rooms",
    "public_rooms",
    "public_series",
    "remove_workshop",
    "room_snapshots",
    "series_of",
    "set_weighting",
    "unlock_series",
]
