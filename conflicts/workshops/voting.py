"""Participants and ballots: joining (closed mode with participant codes), casting, ranking."""

from __future__ import annotations

from sqlalchemy import Connection, and_, delete, select, update

from conflicts import tally
from conflicts.catalogue import (
    ActorType,
    DecisionLevel,
)
from conflicts.store import (
    Store,
    agenda_items,
    ballots,
    participant_codes,
    participants,
    utcnow,
)
from conflicts.workshops._db import (
    _ballot_row,
    _granted_row,
    _locked,
    _open_item,
    _participant_row,
    _random_code,
    _to_ballot,
    _to_participant,
    _touch,
    _upsert_ballot,
    _voting_context,
    _warmup_ids,
    _workshop_row,
)
from conflicts.workshops.access import FacilitatorGrant
from conflicts.workshops.errors import (
    BudgetExceeded,
    InvalidBallot,
    InvalidSetting,
    InvalidValue,
    NotEntitled,
    ParticipantCodeInvalid,
    ParticipantCodeUsed,
    ValueOutOfRange,
    WorkshopNotOpen,
)
from conflicts.workshops.model import (
    DISPLAY_NAME_MAX,
    MAX_PARTICIPANT_CODES,
    PARTICIPANT_CODE_LENGTH,
    VOTER_ID_MAX,
    Ballot,
    Participant,
    WorkshopRef,
    _code,
    _parse_snapshot,
    dots_spent,
    normalise_code,
)
from conflicts.workshops.text import _clean_text, _is_int


def generate_participant_codes(grant: FacilitatorGrant, n: int, *, store: Store) -> list[str]:
    """Create ``n`` new one-time participant codes (8 unambiguous characters) and return them.

    Codes are only required once closed mode is on (:func:`set_participant_codes_required`).
    """
    if not _is_int(n) or not 1 <= n <= MAX_PARTICIPANT_CODES:
        raise InvalidSetting(f"n must be 1-{MAX_PARTICIPANT_CODES}", field="n")

    def fn(conn: Connection, row) -> list[str]:
        taken = set(
            conn.execute(
                select(participant_codes.c.code).where(participant_codes.c.workshop_id == row["id"])
            ).scalars()
        )
        new: list[str] = []
        while len(new) < n:
            c = _random_code(PARTICIPANT_CODE_LENGTH)
            if c not in taken:
                taken.add(c)
                new.append(c)
        now = utcnow()
        conn.execute(
            participant_codes.insert(),
            [{"workshop_id": row["id"], "code": c, "created_at": now} for c in new],
        )
        return new

    return _locked(grant, store, fn)


def list_participant_codes(grant: FacilitatorGrant, *, store: Store) -> list[tuple[str, bool]]:
    """``(code, used)`` for every participant code of the workshop, in creation order."""

    def tx(conn: Connection) -> list[tuple[str, bool]]:
        row = _granted_row(conn, grant)
        rows = conn.execute(
            select(participant_codes.c.code, participant_codes.c.used_at)
            .where(participant_codes.c.workshop_id == row["id"])
            .order_by(participant_codes.c.id)
        )
        return [(c, used is not None) for c, used in rows]

    return store.read(tx)


def list_participants(workshop: WorkshopRef, *, store: Store) -> list[Participant]:
    """Every participant, in joining order (for the facilitator; contains display names)."""
    code = _code(workshop)

    def tx(conn: Connection) -> list[Participant]:
        row = _workshop_row(conn, code)
        rows = conn.execute(
            select(participants)
            .where(participants.c.workshop_id == row["id"])
            .order_by(participants.c.id)
        ).mappings()
        return [_to_participant(r) for r in rows]

    return store.read(tx)


def join(
    code: str,
    voter_id: str,
    display_name: str | None = None,
    actor_type: str | None = None,
    level: str | None = None,
    participant_code: str | None = None,
    *,
    store: Store,
) -> Participant:
    """Join a workshop; idempotent per ``(workshop, voter_id)``.

    A second call with the same voter id returns the same participant (and updates the name,
    actor type and level when given), so a reload never creates a second ballot. ``display_name``
    is plain text of at most 60 characters. In closed mode a new participant needs an unused
    participant code, which is then bound to this voter.

    Raises :class:`WorkshopNotFound`, :class:`WorkshopNotOpen` (a new participant in a closed
    workshop), :class:`TextTooLong`, :class:`InvalidText`, :class:`InvalidValue`,
    :class:`NotEntitled` (closed mode without a code), :class:`ParticipantCodeInvalid`,
    :class:`ParticipantCodeUsed`.
    """
    c = normalise_code(code)
    voter_id = _clean_text(voter_id, "voter_id", VOTER_ID_MAX, required=True)
    name = _clean_text(display_name, "display_name", DISPLAY_NAME_MAX)
    if actor_type is not None and actor_type not in ActorType.__members__.values():
        raise InvalidValue(f"unknown actor type {actor_type!r}", field="actor_type")
    if level is not None and level not in DecisionLevel.__members__.values():
        raise InvalidValue(f"unknown decision level {level!r}", field="level")
    pcode = normalise_code(participant_code) if participant_code else None
    profile = {
        k: v
        for k, v in {"display_name": name, "actor_type": actor_type, "level": level}.items()
        if v is not None
    }

    def find_code(conn: Connection, workshop_id: int, required: bool):
        if pcode is None:
            if required:
                raise NotEntitled("this workshop needs a participant code")
            return None
        prow = (
            conn.execute(
                select(participant_codes).where(
                    participant_codes.c.workshop_id == workshop_id,
                    participant_codes.c.code == pcode,
                )
            )
            .mappings()
            .first()
        )
        if prow is None:
            if required:
                raise ParticipantCodeInvalid("unknown participant code")
            return None
        if prow["used_at"] is not None:
            if required:
                raise ParticipantCodeUsed("this participant code has already been used")
            return None
        return prow

    def bind(conn: Connection, prow, participant_id: int) -> None:
        conn.execute(
            update(participant_codes)
            .where(participant_codes.c.id == prow["id"])
            .values(used_at=utcnow())
        )
        conn.execute(
            update(participants)
            .where(participants.c.id == participant_id)
            .values(participant_code_id=prow["id"])
        )

    def tx(conn: Connection) -> Participant:
        w = _workshop_row(conn, c, lock=True)
        closed_mode = bool(w["require_participant_code"])
        existing = _participant_row(conn, w["id"], voter_id)
        if existing is not None:
            if profile:
                conn.execute(
                    update(participants)
                    .where(participants.c.id == existing["id"])
                    .values(**profile)
                )
            # A reload without a code returns the participant as is (in closed mode a
            # participant without a code gets NotEntitled when voting); a code is bound.
            if existing["participant_code_id"] is None and pcode:
                prow = find_code(conn, w["id"], closed_mode)
                if prow is not None:
                    bind(conn, prow, existing["id"])
            return _to_participant(_participant_row(conn, w["id"], voter_id))
        if w["status"] == "closed":
            raise WorkshopNotOpen("the workshop is closed", code="workshop_closed")
        prow = find_code(conn, w["id"], closed_mode)
        pid = conn.execute(
            participants.insert().values(
                workshop_id=w["id"], voter_id=voter_id, joined_at=utcnow(), changes=1, **profile
            )
        ).inserted_primary_key[0]  # changes=1: the join moves the tally revision
        if prow is not None:
            bind(conn, prow, pid)
        return _to_participant(_participant_row(conn, w["id"], voter_id))

    return store.write(tx)


def get_participant(code: str, voter_id: str, *, store: Store) -> Participant | None:
    """The participant with this voter id, or None if they have not joined."""
    c = normalise_code(code)

    def tx(conn: Connection) -> Participant | None:
        w = _workshop_row(conn, c)
        row = _participant_row(conn, w["id"], voter_id)
        return _to_participant(row) if row is not None else None

    return store.read(tx)


def my_ballots(code: str, voter_id: str, *, store: Store) -> dict[int, Ballot]:
    """The voter's ballots by agenda item id (empty if they have not joined)."""
    c = normalise_code(code)

    def tx(conn: Connection) -> dict[int, Ballot]:
        w = _workshop_row(conn, c)
        p = _participant_row(conn, w["id"], voter_id)
        if p is None:
            return {}
        rows = conn.execute(select(ballots).where(ballots.c.participant_id == p["id"])).mappings()
        return {r["item_id"]: _to_ballot(r) for r in rows}

    return store.read(tx)


def _check_dots(conn: Connection, w, participant_id: int, item_id: int, value: int) -> None:
    """Raise :class:`BudgetExceeded` when ``value`` dots on ``item_id`` overrun the budget."""
    mine = conn.execute(select(ballots).where(ballots.c.participant_id == participant_id))
    warmups = set(conn.execute(_warmup_ids(w["id"])).scalars())
    used = dots_spent(map(_to_ballot, mine.mappings()), warmups, besides=item_id)
    if used + value > w["dot_budget"]:
        raise BudgetExceeded(
            f"only {w['dot_budget'] - used} of {w['dot_budget']} dots left",
            budget=w["dot_budget"],
            used=used,
            remaining=w["dot_budget"] - used,
        )


def cast_ballot(
    workshop_code: str,
    voter_id: str,
    item_id: int,
    value: int | None = None,
    skip: bool = False,
    *,
    store: Store,
) -> Ballot:
    """Cast or change the voter's ballot on one agenda item; returns it after the commit.

    Checked and written in one transaction: workshop open, item voting open, voter joined (and
    entitled in closed mode), ``value`` an integer in range for the method (rating 1-5, score
    -3..+3, dots 0..B with the voter's total over the workshop at most B), or ``skip=True`` with
    no value. One ballot per voter and item: casting again replaces it while voting is open.
    For the 'ranking' method use :func:`cast_ranking` (only ``skip=True`` is accepted here).
    A warm-up item (any method) takes the index of a goal in catalogue order, 0..goals-1.

    Raises :class:`WorkshopNotFound`, :class:`WorkshopNotOpen`, :class:`UnknownItem`,
    :class:`VotingClosed`, :class:`NotJoined`, :class:`NotEntitled`, :class:`InvalidBallot`,
    :class:`ValueOutOfRange`, :class:`BudgetExceeded`, :class:`DatabaseUnavailable`.
    """
    c = normalise_code(workshop_code)
    if skip and value is not None:
        raise InvalidBallot("a skipped ballot has no value")
    if not skip and value is None:
        raise InvalidBallot("give a value or skip", code="value_required")
    if value is not None and not _is_int(value):
        raise InvalidBallot("the value must be an integer")

    def tx(conn: Connection) -> Ballot:
        w, p = _voting_context(conn, c, voter_id)
        item = _open_item(conn, w["id"], item_id)
        method = w["method"]
        if item["kind"] == "matrix":
            raise InvalidBallot("score the pairs of a matrix session", code="wrong_method")
        if item["kind"] == "warmup":
            if not skip:  # the index of a goal in catalogue order, whatever the method
                n = len(_parse_snapshot(w["catalogue_yaml"], w["catalogue_name"]).goals)
                if not 0 <= value < n:
                    raise ValueOutOfRange(
                        f"the value must be between 0 and {n - 1}", min=0, max=n - 1, value=value
                    )
        elif method == "ranking" and not skip:
            raise InvalidBallot("rank the items with cast_ranking", code="wrong_method")
        elif not skip:
            lo, hi = tally.scale_for(
                method, dot_budget=w["dot_budget"], ranking_size=w["ranking_size"]
            )
            if not lo <= value <= hi:
                raise ValueOutOfRange(
                    f"the value must be between {lo} and {hi}", min=lo, max=hi, value=value
                )
            if method == "dots":
                _check_dots(conn, w, p["id"], item_id, value)
        now = utcnow()
        _upsert_ballot(
            conn,
            {
                "workshop_id": w["id"],
                "item_id": item_id,
                "participant_id": p["id"],
                "method": method,
                "value": None if skip else value,
                "skipped": bool(skip),
                "created_at": now,
                "updated_at": now,
            },
        )
        _touch(conn, p["id"])
        return _to_ballot(_ballot_row(conn, p["id"], item_id))

    return store.write(tx)


def cast_ranking(
    workshop_code: str,
    voter_id: str,
    ordered_item_ids: list[int],
    *,
    store: Store,
) -> list[Ballot]:
    """Rank up to N agenda items (method 'ranking'): the 1st gets N points ... the Nth 1 point.

    Replaces the voter's ballots on every item whose voting is open: listed items get their
    points, the other open items lose the voter's ballot. Every listed item must be open. Checks
    and writes in one transaction like :func:`cast_ballot`; raises the same errors plus
    :class:`InvalidBallot` (codes ``wrong_method``, ``too_many_items``, ``duplicate_item``,
    ``value_required`` for an empty list: skip items with ``cast_ballot(..., skip=True)``).
    """
    c = normalise_code(workshop_code)
    ids = list(ordered_item_ids)
    if not ids:
        raise InvalidBallot("rank at least one item", code="value_required")
    if len(set(ids)) != len(ids):
        raise InvalidBallot("an item is ranked twice", code="duplicate_item")

    def tx(conn: Connection) -> list[Ballot]:
        w, p = _voting_context(conn, c, voter_id)
        if w["method"] != "ranking":
            raise InvalidBallot("this workshop does not use ranking", code="wrong_method")
        n = w["ranking_size"]
        if len(ids) > n:
            raise InvalidBallot(f"rank at most {n} items", code="too_many_items", max=n)
        for iid in ids:
            if _open_item(conn, w["id"], iid)["kind"] != "interaction":
                raise InvalidBallot("a warm-up is not ranked", code="wrong_method")
        open_ids = select(agenda_items.c.id).where(
            agenda_items.c.workshop_id == w["id"],
            agenda_items.c.voting == "open",
            agenda_items.c.kind == "interaction",
        )
        conn.execute(
            delete(ballots).where(
                and_(
                    ballots.c.participant_id == p["id"],
                    ballots.c.item_id.in_(open_ids),
                    ballots.c.item_id.not_in(ids),
                )
            )
        )
        now = utcnow()
        for rank, iid in enumerate(ids):
            _upsert_ballot(
                conn,
                {
                    "workshop_id": w["id"],
                    "item_id": iid,
                    "participant_id": p["id"],
                    "method": "ranking",
                    "value": n - rank,
                    "skipped": False,
                    "created_at": now,
                    "updated_at": now,
                },
            )
        _touch(conn, p["id"])
        return [_to_ballot(_ballot_row(conn, p["id"], iid)) for iid in ids]

    return store.write(tx)
