"""Creating, reading and polling workshops; opening, closing and the workshop's settings."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Connection, select, update
from sqlalchemy import exc as sa_exc

from conflicts.catalogue import (
    bundled_catalogues,
    parse_catalogue_bytes,
)
from conflicts.store import (
    METHODS,
    MODES,
    Store,
    agenda_items,
    ballots,
    utcnow,
    workshops,
)
from conflicts.workshops._db import (
    _facilitate,
    _participant_changes,
    _random_code,
    _set,
    _to_workshop,
    _warmup_ids,
    _workshop_row,
)
from conflicts.workshops.access import FacilitatorGrant, _grant, hash_key
from conflicts.workshops.agenda import _check_agenda
from conflicts.workshops.errors import InvalidSetting, UnknownCatalogue, WorkshopNotFound
from conflicts.workshops.model import (
    JOIN_CODE_LENGTH,
    TITLE_MAX,
    CreatedWorkshop,
    Workshop,
    WorkshopRef,
    _code,
)
from conflicts.workshops.text import _clean_text, _is_int


def resolve_catalogue(catalogue: str | Path) -> tuple[str, Path]:
    """``(name, path)`` for a file path or the name of a bundled catalogue (e.g. ``stockholm``).

    Raises :class:`UnknownCatalogue`.
    """
    path = Path(catalogue)
    if path.is_file():
        return path.stem, path.resolve()
    bundled = bundled_catalogues()
    if str(catalogue) in bundled:
        return str(catalogue), bundled[str(catalogue)].resolve()
    names = ", ".join(sorted(bundled)) or "none"
    raise UnknownCatalogue(
        f"no catalogue file or bundled catalogue named {catalogue!r} (bundled: {names})",
        catalogue=str(catalogue),
    )


def create_workshop(
    catalogue: str | Path,
    title: str | None = None,
    *,
    agenda: list[str] | None = None,
    method: str = "rating",
    store: Store,
) -> CreatedWorkshop:
    """Create a draft workshop on a catalogue file or bundled catalogue name.

    The catalogue's YAML text is stored as a snapshot, so the workshop stays valid when the file
    changes. ``agenda`` is a list of interaction ids (default: the catalogue's conflicts in
    catalogue order). Raises :class:`UnknownCatalogue`, :class:`conflicts.errors.CatalogueError`
    (an invalid catalogue), :class:`InvalidSetting`.
    """
    name, path = resolve_catalogue(catalogue)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnknownCatalogue(f"cannot read {path}: {exc.strerror}", catalogue=str(path)) from None
    return create_workshop_from_text(
        raw, name, title, path=str(path), agenda=agenda, method=method, store=store
    )


def create_workshop_from_text(
    yaml_text: str | bytes,
    name: str,
    title: str | None = None,
    *,
    path: str | None = None,
    agenda: list[str] | None = None,
    method: str = "rating",
    store: Store,
) -> CreatedWorkshop:
    """Like :func:`create_workshop` for catalogue text (e.g. an upload); ``name`` labels it."""
    raw = yaml_text.encode("utf-8") if isinstance(yaml_text, str) else yaml_text
    cat = parse_catalogue_bytes(raw, path or name)  # CatalogueError with every problem
    text = raw.decode("utf-8-sig")
    lang = cat.languages[0]
    title = _clean_text(title, "title", TITLE_MAX) or cat.text(cat.meta.title, lang)[:TITLE_MAX]
    interaction_ids = _check_agenda(
        cat, [i.id for i in cat.conflicts] if agenda is None else agenda
    )
    if method not in METHODS:
        raise InvalidSetting(f"unknown voting method {method!r}", method=method)
    key = secrets.token_urlsafe(24)
    key_hash = hash_key(key)
    now = utcnow()

    def tx(conn: Connection) -> Workshop:
        while True:
            code = _random_code(JOIN_CODE_LENGTH)
            if conn.execute(select(workshops.c.id).where(workshops.c.code == code)).first() is None:
                break
        wid = conn.execute(
            workshops.insert().values(
                code=code,
                title=title,
                catalogue_name=name[:200],
                catalogue_path=path,
                catalogue_yaml=text,
                catalogue_sha256=hashlib.sha256(raw).hexdigest(),
                status="draft",
                method=method,
                dot_budget=10,
                ranking_size=3,
                hide_results_until_closed=False,
                require_participant_code=False,
                mode="follow",
                facilitator_key_hash=key_hash,
                anon_salt=secrets.token_hex(16),
                revision=1,
                tally_revision=0,
                created_at=now,
                updated_at=now,
            )
        ).inserted_primary_key[0]
        if interaction_ids:
            conn.execute(
                agenda_items.insert(),
                [
                    {"workshop_id": wid, "position": pos, "interaction_id": iid}
                    for pos, iid in enumerate(interaction_ids, start=1)
                ],
            )
        return _to_workshop(conn, _workshop_row(conn, code))

    for attempt in range(5):  # a join code taken concurrently by another process: draw again
        try:
            w = store.write(tx)
            return CreatedWorkshop(w, key, _grant(w.code, w.id))
        except sa_exc.IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def get_workshop(code: WorkshopRef, *, store: Store) -> Workshop:
    """The workshop with its agenda. Raises :class:`WorkshopNotFound`."""
    c = _code(code)
    return store.read(lambda conn: _to_workshop(conn, _workshop_row(conn, c)))


def list_workshops(*, store: Store) -> list[Workshop]:
    """Every workshop, newest first (without agenda items)."""

    def tx(conn: Connection) -> list[Workshop]:
        rows = conn.execute(
            select(workshops).order_by(workshops.c.created_at.desc(), workshops.c.id.desc())
        ).mappings()
        return [_to_workshop(conn, r, with_items=False) for r in rows]

    return store.read(tx)


def poll(code: WorkshopRef, *, store: Store) -> tuple[int, int]:
    """``(revision, tally_revision)``: re-read state/tallies when they change.

    ``revision`` grows with every facilitator change, ``tally_revision`` with every join,
    ballot and proposal. One indexed row plus the sum of the participants' ``changes`` (read
    from an index): ballots bump their voter's row, not the workshop's.
    Raises :class:`WorkshopNotFound`.
    """
    return poll_many([code], store=store)[0]


def poll_many(codes: Sequence[WorkshopRef], *, store: Store) -> list[tuple[int, int]]:
    """:func:`poll` of several workshops in one query, in the order of ``codes``.
    Raises :class:`WorkshopNotFound`."""
    wanted = [_code(c) for c in codes]
    if not wanted:
        return []

    def tx(conn: Connection) -> dict[str, tuple[int, int]]:
        rows = conn.execute(
            select(
                workshops.c.code,
                workshops.c.revision,
                workshops.c.tally_revision + _participant_changes(workshops.c.id),
            ).where(workshops.c.code.in_(wanted))
        )
        return {code: (revision, tally_revision) for code, revision, tally_revision in rows}

    found = store.read(tx)
    for c in wanted:
        if c not in found:
            raise WorkshopNotFound(f"no workshop with code {c}", code_value=c)
    return [found[c] for c in wanted]


def open_workshop(grant: FacilitatorGrant, *, store: Store) -> Workshop:
    """Open the workshop (from draft, or re-open a closed one). Returns the new state."""
    return _facilitate(grant, store, lambda conn, row: _set(conn, row, status="open"))


def close_workshop(grant: FacilitatorGrant, *, store: Store) -> Workshop:
    """Close the workshop; voting on every open item closes too."""

    def fn(conn: Connection, row) -> None:
        _set(conn, row, status="closed")
        conn.execute(
            update(agenda_items)
            .where(agenda_items.c.workshop_id == row["id"], agenda_items.c.voting == "open")
            .values(voting="closed", closed_at=utcnow())
        )

    return _facilitate(grant, store, fn)


def set_voting_method(
    grant: FacilitatorGrant,
    method: str,
    *,
    dot_budget: int | None = None,
    ranking_size: int | None = None,
    store: Store,
) -> Workshop:
    """Choose the voting method and its parameters (dot budget B, ranking size N).

    Once ballots exist the method and N are locked and B may only grow (code ``method_locked``).
    Raises :class:`InvalidSetting`.
    """
    if method not in METHODS:
        raise InvalidSetting(f"unknown voting method {method!r}", method=method)
    for name, value in (("dot_budget", dot_budget), ("ranking_size", ranking_size)):
        if value is not None and (not _is_int(value) or not 1 <= value <= 1000):
            raise InvalidSetting(f"{name} must be an integer 1-1000", field=name)

    def fn(conn: Connection, row) -> None:
        budget = row["dot_budget"] if dot_budget is None else dot_budget
        size = row["ranking_size"] if ranking_size is None else ranking_size
        has_ballots = conn.execute(  # warm-up answers do not lock the method
            select(ballots.c.id)
            .where(
                ballots.c.workshop_id == row["id"],
                ballots.c.item_id.not_in(_warmup_ids(row["id"])),
            )
            .limit(1)
        ).first()
        if has_ballots and (
            method != row["method"] or size != row["ranking_size"] or budget < row["dot_budget"]
        ):
            raise InvalidSetting(
                "ballots have been cast: the method is locked", code="method_locked"
            )
        _set(conn, row, method=method, dot_budget=budget, ranking_size=size)

    return _facilitate(grant, store, fn)


def set_hide_results(grant: FacilitatorGrant, hide: bool, *, store: Store) -> Workshop:
    """Hide results from non-facilitators until voting on an item closes."""
    return _facilitate(
        grant, store, lambda conn, row: _set(conn, row, hide_results_until_closed=bool(hide))
    )


def set_participant_codes_required(
    grant: FacilitatorGrant, required: bool, *, store: Store
) -> Workshop:
    """Closed mode: joining (and voting) requires a one-time participant code.

    Switching it on is refused (:class:`InvalidSetting`, ``closed_mode_after_ballots``) once
    any ballot exists: the earlier voters have no code, so their ballots would count while
    they could no longer change them, and dropping the ballots would lose votes people were
    told were saved. Decide before voting starts; switching it off is always allowed.
    """

    def fn(conn: Connection, row) -> None:
        if required and not row["require_participant_code"]:
            cast = conn.execute(
                select(ballots.c.id).where(ballots.c.workshop_id == row["id"]).limit(1)
            ).first()
            if cast is not None:
                raise InvalidSetting(
                    "closed mode cannot be switched on after ballots were cast",
                    code="closed_mode_after_ballots",
                )
        _set(conn, row, require_participant_code=bool(required))

    return _facilitate(grant, store, fn)


def set_mode(grant: FacilitatorGrant, mode: str, *, store: Store) -> Workshop:
    """``'follow'`` (phones show the facilitator's current item) or ``'free'``."""
    if mode not in MODES:
        raise InvalidSetting(f"unknown mode {mode!r}", mode=mode)
    return _facilitate(grant, store, lambda conn, row: _set(conn, row, mode=mode))


def set_title(grant: FacilitatorGrant, title: str, *, store: Store) -> Workshop:
    """Rename the workshop (plain text, at most 200 characters)."""
    clean = _clean_text(title, "title", TITLE_MAX, required=True)
    return _facilitate(grant, store, lambda conn, row: _set(conn, row, title=clean))
