"""Series in the store: create one, add or remove a room, read its rooms.

A series holds workshops that run on the same catalogue, or on a catalogue written back from one of
them (it keeps every interaction id and appends), so their conflicts can be lined up by id.

Permission: creating a series with rooms and adding a room take the room's
:class:`~conflicts.workshops.FacilitatorGrant` (its facilitator agrees to share the room's
anonymous results with the series) and, to add to an existing series, the :class:`SeriesGrant`.
Reading the rooms' snapshots (:func:`room_snapshots`) takes the series grant only: the rooms'
facilitators consented when they joined. The projector's :func:`public_rooms` takes no grant and
reads what each room shows on its own projector (:func:`conflicts.workshops.get_tally` by code).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy import exc as sa_exc

from conflicts import workshops as ws
from conflicts.series.access import (
    SeriesGrant,
    _row,
    _series_grant,
    normalise_series_code,
)
from conflicts.series.errors import SeriesCatalogueMismatch, SeriesRoomNotFound
from conflicts.store import (
    SERIES_WEIGHTINGS,
    Store,
    as_utc,
    series,
    series_workshops,
    utcnow,
    workshops,
)
from conflicts.workshops import InvalidSetting, hash_key

SERIES_CODE_LENGTH = 6
TITLE_MAX = 200


@dataclass(frozen=True)
class Series:
    """A series: its public id (``code``), title, how rooms are weighted, and its rooms' join codes
    in the order they were added."""

    code: str
    title: str
    weighting: str  # 'equal' | 'participants'
    created_at: datetime
    workshops: tuple[str, ...] = ()


@dataclass(frozen=True)
class CreatedSeries:
    """What :func:`create_series` returns: the series, its key (shown once) and its grant."""

    series: Series
    key: str
    grant: SeriesGrant


def _new_code() -> str:
    return "S-" + "".join(secrets.choice(ws.JOIN_CODE_ALPHABET) for _ in range(SERIES_CODE_LENGTH))


def _read(conn: Connection, series_id: int) -> Series:
    row = conn.execute(select(series).where(series.c.id == series_id)).mappings().one()
    codes = conn.execute(
        select(workshops.c.code)
        .join(series_workshops, series_workshops.c.workshop_id == workshops.c.id)
        .where(series_workshops.c.series_id == series_id)
        .order_by(series_workshops.c.added_at, workshops.c.id)
    ).scalars()
    return Series(
        code=row["code"],
        title=row["title"],
        weighting=row["weighting"],
        created_at=as_utc(row["created_at"]),
        workshops=tuple(codes),
    )


def _compatible(a: ws.Workshop, b: ws.Workshop) -> bool:
    """Same catalogue, or one written back from the other (its interaction ids kept)."""
    if a.catalogue_sha256 == b.catalogue_sha256:
        return True
    ids_a = {i.id for i in a.catalogue().interactions}
    ids_b = {i.id for i in b.catalogue().interactions}
    return ids_a <= ids_b or ids_b <= ids_a


def _check_catalogue(members: tuple[str, ...], new: ws.Workshop, store: Store) -> None:
    if members and not _compatible(ws.get_workshop(members[0], store=store), new):
        raise SeriesCatalogueMismatch(
            f"workshop {new.code} runs on another catalogue than the series", code_value=new.code
        )


def create_series(
    title: str, rooms: list[ws.FacilitatorGrant] | None = None, *, store: Store
) -> CreatedSeries:
    """A new series titled ``title`` with the given rooms (their facilitator grants).

    Raises :class:`~conflicts.workshops.InvalidSetting` (empty title) and
    :class:`SeriesCatalogueMismatch`.

    >>> created = create_series("Regional rådslag", [grant_a, grant_b], store=store)  # doctest: +SKIP
    >>> created.series.code, created.key  # show the key once  # doctest: +SKIP
    """
    title = " ".join(str(title).split())[:TITLE_MAX]
    if not title:
        raise InvalidSetting("a series needs a title", code="invalid_text", field="title")
    rooms = list(rooms or [])
    found = [ws.get_workshop(g.code, store=store) for g in rooms]
    for w in found[1:]:
        _check_catalogue((found[0].code,), w, store)
    key = secrets.token_urlsafe(24)
    key_hash = hash_key(key)

    def tx(conn: Connection) -> tuple[int, Series]:
        now = utcnow()
        sid = conn.execute(
            series.insert().values(
                code=_new_code(),
                title=title,
                key_hash=key_hash,
                weighting="equal",
                created_at=now,
                updated_at=now,
            )
        ).inserted_primary_key[0]
        for g in dict.fromkeys(rooms):
            conn.execute(
                series_workshops.insert().values(
                    series_id=sid, workshop_id=g.workshop_id, added_at=now
                )
            )
        return sid, _read(conn, sid)

    for attempt in range(5):  # a series id drawn twice at once: draw again
        try:
            sid, s = store.write(tx)
            return CreatedSeries(s, key, _series_grant(s.code, sid))
        except sa_exc.IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def add_workshop(grant: SeriesGrant, room: ws.FacilitatorGrant, *, store: Store) -> Series:
    """Add a room (its facilitator grant) to the series; adding it twice changes nothing.

    Raises :class:`SeriesCatalogueMismatch`."""
    current = get_series(grant, store=store)
    if room.code in current.workshops:
        return current
    _check_catalogue(current.workshops, ws.get_workshop(room.code, store=store), store)

    def tx(conn: Connection) -> Series:
        conn.execute(
            series_workshops.insert().values(
                series_id=grant.series_id, workshop_id=room.workshop_id, added_at=utcnow()
            )
        )
        return _read(conn, grant.series_id)

    try:
        return store.write(tx)
    except sa_exc.IntegrityError:  # added concurrently by another request
        return get_series(grant, store=store)


def remove_workshop(grant: SeriesGrant, code: str, *, store: Store) -> Series:
    """Take the room with join code ``code`` out of the series (its workshop and results stay;
    the regional view and exports no longer show it).

    Raises :class:`~conflicts.workshops.WorkshopNotFound` (no such workshop) and
    :class:`SeriesRoomNotFound` (the workshop is not in the series)."""
    room = ws.get_workshop(code, store=store)

    def tx(conn: Connection) -> Series:
        gone = conn.execute(
            series_workshops.delete().where(
                series_workshops.c.series_id == grant.series_id,
                series_workshops.c.workshop_id == room.id,
            )
        ).rowcount
        if not gone:
            raise SeriesRoomNotFound(
                f"workshop {room.code} is not in series {grant.code}",
                series=grant.code,
                code_value=room.code,
            )
        conn.execute(
            series.update().where(series.c.id == grant.series_id).values(updated_at=utcnow())
        )
        return _read(conn, grant.series_id)

    return store.write(tx)


def get_series(ref: SeriesGrant | str, *, store: Store) -> Series:
    """The series (title, weighting, its rooms' codes): by grant, or by its public id (the
    projector: nothing here is secret). Raises :class:`SeriesNotFound`."""
    series_id = ref.series_id if isinstance(ref, SeriesGrant) else _row(ref, store)[1][0]
    return store.read(lambda conn: _read(conn, series_id))


def set_weighting(grant: SeriesGrant, weighting: str, *, store: Store) -> Series:
    """Weigh rooms ``'equal'`` (default) or by ``'participants'`` in the regional aggregate."""
    if weighting not in SERIES_WEIGHTINGS:
        raise InvalidSetting(f"unknown weighting {weighting!r}", weighting=weighting)

    def tx(conn: Connection) -> Series:
        conn.execute(
            series.update()
            .where(series.c.id == grant.series_id)
            .values(weighting=weighting, updated_at=utcnow())
        )
        return _read(conn, grant.series_id)

    return store.write(tx)


def series_of(room: ws.FacilitatorGrant, *, store: Store) -> list[str]:
    """The ids of the series a room belongs to (for the console)."""
    return store.read(
        lambda conn: list(
            conn.execute(
                select(series.c.code)
                .join(series_workshops, series_workshops.c.series_id == series.c.id)
                .where(series_workshops.c.workshop_id == room.workshop_id)
                .order_by(series.c.id)
            ).scalars()
        )
    )


def room_snapshots(grant: SeriesGrant, *, store: Store) -> list[ws.WorkshopSnapshot]:
    """Every room's :func:`conflicts.workshops.snapshot` (each read in one transaction).

    The rooms' facilitator grants are made here from the series grant and never leave this
    function: holding the series key is the right to read its rooms' anonymous results."""
    s = get_series(grant, store=store)
    return [ws.snapshot(ws.local_grant(code, store=store), store=store) for code in s.workshops]


def public_rooms(
    code: str, *, store: Store
) -> tuple[Series, list[tuple[ws.Workshop, ws.WorkshopTally]]]:
    """The series and each room with its public tally (what its own projector shows: with
    ``hide_results_until_closed`` only counts until an item is closed). No grant: nothing
    secret. A fixed number of queries however many rooms (:func:`conflicts.workshops.
    public_tallies` reads every room in one transaction)."""
    s = get_series(normalise_series_code(code), store=store)
    return s, ws.public_tallies(s.workshops, store=store)


def poll_rooms(s: Series, *, store: Store) -> tuple:
    """The rooms' ``(revision, tally_revision)`` pairs (one query): re-read the rooms when it
    changes."""
    return tuple(ws.poll_many(s.workshops, store=store))
