"""Workshops: agenda, participants, ballots, tallies and exports (plain Python, no streamlit).

Every function here is a plain module function; each takes the workshop's join code (or a
:class:`Workshop`) and an optional keyword ``store=`` (default: :func:`conflicts.store.get_store`,
the database from the environment). Every write runs in ONE transaction that has committed when the
function returns; a rejected request raises a :class:`WorkshopError` subclass and writes nothing.

Usage::

    from conflicts import workshop as ws

    created = ws.create_workshop("stockholm", title="Regional plan, round 1")
    code, key = created.workshop.code, created.facilitator_key   # show the key once
    ws.open_workshop(code)
    item = created.workshop.items[0]
    ws.open_voting(code, item.id)

    # a participant's phone (voter_id = a random id from a cookie)
    ws.join(code, voter_id="c0ffee...", display_name="Anna", actor_type="municipality")
    ws.cast_ballot(code, "c0ffee...", item.id, value=4)        # rating 1-5; may be changed
    ws.cast_ballot(code, "c0ffee...", item.id, skip=True)      # or skipped

    # the projector
    tally = ws.get_tally(code)                 # respects hide_results_until_closed
    ws.poll(code)                              # (revision, tally_revision): re-read on change

    # the facilitator page: check the key once, then call the facilitator functions
    if ws.check_facilitator(code, key_from_form): ...

Facilitator functions (open/close the workshop, voting per item, agenda, method, follow mode, ...)
do NOT take the key: the web layer must call :func:`check_facilitator` (or
:func:`require_facilitator`) before offering them. The CLI is trusted.

Errors: every error carries a stable machine ``code`` (and ``params`` for the message) so the UI
can translate it:

=============================  ===========================================================
``unknown_code``               :class:`WorkshopNotFound`: no workshop with that join code
``access_denied``              :class:`AccessDenied`: wrong facilitator key
``unknown_catalogue``          :class:`UnknownCatalogue`: no such file or bundled catalogue
``workshop_not_started``       :class:`WorkshopNotOpen`: the workshop is still a draft
``workshop_closed``            :class:`WorkshopNotOpen`: the workshop is closed
``voting_closed``              :class:`VotingClosed`: voting on the item is not open
``not_joined``                 :class:`NotJoined`: cast before :func:`join`
``not_entitled``               :class:`NotEntitled`: closed mode and no participant code
``unknown_item``               :class:`UnknownItem`: no such agenda item in the workshop
``value_out_of_range``         :class:`ValueOutOfRange`: params ``min``, ``max``
``value_required``             :class:`InvalidBallot`: neither a value nor skip
``invalid_ballot``             :class:`InvalidBallot`: wrong type, value with skip, ...
``wrong_method``               :class:`InvalidBallot`: e.g. a value for a 'ranking' item
``too_many_items``             :class:`InvalidBallot`: ranking longer than N
``duplicate_item``             :class:`InvalidBallot` / :class:`InvalidSetting`
``budget_exceeded``            :class:`BudgetExceeded`: params ``budget``, ``used``, ``remaining``
``text_too_long``              :class:`TextTooLong`: params ``field``, ``max``
``invalid_text``               :class:`InvalidText`: control characters or empty
``invalid_value``              :class:`InvalidValue`: unknown actor type / decision level
``participant_code_invalid``   :class:`ParticipantCodeInvalid`
``participant_code_used``      :class:`ParticipantCodeUsed`: bound to another voter
``invalid_setting``            :class:`InvalidSetting` (also ``unknown_interaction``,
                               ``item_has_ballots``, ``method_locked``, ``invalid_agenda``)
``database_unavailable``       :class:`conflicts.store.DatabaseUnavailable`
``unknown_node``               :class:`InvalidValue`: no such goal/sub-goal (facilitation)
``self_loop``                  :class:`InvalidValue`: from = to (facilitation)
``proposal_limit``             :class:`conflicts.facilitation.ProposalLimit`: params ``max``
``unknown_proposal``           :class:`conflicts.facilitation.UnknownProposal`
``proposal_not_pending``       :class:`InvalidSetting`: proposal already handled
``no_timer``                   :class:`InvalidSetting`: pause/resume/extend without a timer
``invalid_duration``           :class:`InvalidSetting`: timer seconds out of range
=============================  ===========================================================

Agenda building, stepping, the timer, outcomes, proposals and representation (schema version 2)
are in :mod:`conflicts.facilitation`.

Concurrency: every write transaction locks the workshop row first (``SELECT ... FOR UPDATE`` on
PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so the checks of a ballot (workshop open, item open,
voter joined and entitled, dot budget) and its write are atomic against other processes, and the
unique constraint on ``(participant, item)`` + an upsert keeps one ballot per voter and item.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, delete, func, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from conflicts import config, tally
from conflicts.catalogue import (
    ActorType,
    Catalogue,
    DecisionLevel,
    Interaction,
    bundled_catalogues,
    parse_catalogue_bytes,
)
from conflicts.errors import ConflictsError
from conflicts.store import (
    METHODS,
    MODES,
    DatabaseUnavailable,
    Store,
    agenda_items,
    as_utc,
    ballots,
    get_store,
    participant_codes,
    participants,
    utcnow,
    workshop_interactions,
    workshops,
)

__all__ = [
    "EXPORT_FORMATS",
    "AccessDenied",
    "AgendaItem",
    "Ballot",
    "BallotRejected",
    "BudgetExceeded",
    "CreatedWorkshop",
    "DatabaseUnavailable",
    "InvalidBallot",
    "InvalidSetting",
    "InvalidText",
    "InvalidValue",
    "NotEntitled",
    "NotJoined",
    "Participant",
    "ParticipantCodeInvalid",
    "ParticipantCodeUsed",
    "TextTooLong",
    "UnknownCatalogue",
    "UnknownItem",
    "ValueOutOfRange",
    "VotingClosed",
    "Workshop",
    "WorkshopError",
    "WorkshopNotFound",
    "WorkshopNotOpen",
    "WorkshopTally",
]

# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class WorkshopError(ConflictsError):
    """Base of the workshop errors: ``code`` is stable and machine-readable, ``params`` fill the
    translated message."""

    code = "workshop_error"

    def __init__(self, message: str, *, code: str | None = None, **params: Any):
        super().__init__(message)
        if code:
            self.code = code
        self.params = params


class WorkshopNotFound(WorkshopError):
    code = "unknown_code"


class AccessDenied(WorkshopError):
    code = "access_denied"


class UnknownCatalogue(WorkshopError):
    code = "unknown_catalogue"


class InvalidSetting(WorkshopError):
    code = "invalid_setting"


class BallotRejected(WorkshopError):
    """A participant's request (join or ballot) was rejected; nothing was written."""

    code = "rejected"


class WorkshopNotOpen(BallotRejected):
    code = "workshop_closed"


class VotingClosed(BallotRejected):
    code = "voting_closed"


class NotJoined(BallotRejected):
    code = "not_joined"


class NotEntitled(BallotRejected):
    code = "not_entitled"


class UnknownItem(BallotRejected):
    code = "unknown_item"


class ValueOutOfRange(BallotRejected):
    code = "value_out_of_range"


class InvalidBallot(BallotRejected):
    code = "invalid_ballot"


class BudgetExceeded(BallotRejected):
    code = "budget_exceeded"


class TextTooLong(BallotRejected):
    code = "text_too_long"


class InvalidText(BallotRejected):
    code = "invalid_text"


class InvalidValue(BallotRejected):
    code = "invalid_value"


class ParticipantCodeInvalid(BallotRejected):
    code = "participant_code_invalid"


class ParticipantCodeUsed(BallotRejected):
    code = "participant_code_used"


# --------------------------------------------------------------------------------------------
# Value objects
# --------------------------------------------------------------------------------------------
JOIN_CODE_ALPHABET = "ACDEFHJKLMNPQRTUVWXY3479"
JOIN_CODE_LENGTH = 6
PARTICIPANT_CODE_LENGTH = 8
DISPLAY_NAME_MAX = 60
VOTER_ID_MAX = 128
TITLE_MAX = 200
MAX_PARTICIPANT_CODES = 1000


@dataclass(frozen=True)
class AgendaItem:
    """One step of the agenda with its own voting state: an interaction of the workshop's
    catalogue (``kind='interaction'``), or a warm-up question (``kind='warmup'``: its
    ``interaction_id`` is a key such as ``warmup-1``, not an interaction; ``question`` is
    ``{lang: text}``; the ballot options are the catalogue's goals, see
    :mod:`conflicts.facilitation`)."""

    id: int
    position: int
    interaction_id: str
    voting: str  # 'not_started' | 'open' | 'closed'
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    kind: str = "interaction"  # 'interaction' | 'warmup'
    question: dict[str, str] | None = field(default=None, hash=False)

    @property
    def is_warmup(self) -> bool:
        return self.kind == "warmup"

    def question_text(self, lang: str, fallback: tuple[str, ...] = ("sv", "en")) -> str:
        """The warm-up question in ``lang`` (else a fallback language, else any; '' if none)."""
        if not self.question:
            return ""
        for code in (lang, *fallback):
            if self.question.get(code):
                return self.question[code]
        return next(iter(self.question.values()), "")


@dataclass(frozen=True)
class Workshop:
    """A workshop as read in one transaction (a snapshot; re-read it after changes)."""

    id: int
    code: str
    title: str
    catalogue_name: str
    catalogue_path: str | None
    catalogue_sha256: str
    status: str  # 'draft' | 'open' | 'closed'
    method: str  # 'rating' | 'dots' | 'ranking' | 'score'
    dot_budget: int
    ranking_size: int
    hide_results_until_closed: bool
    require_participant_code: bool
    mode: str  # 'follow' | 'free'
    current_item_id: int | None
    revision: int
    tally_revision: int
    created_at: datetime
    updated_at: datetime
    items: tuple[AgendaItem, ...] = ()
    catalogue_yaml: str = field(default="", repr=False)
    # The facilitator's timer (see conflicts.facilitation.timer_remaining); all None: no timer.
    timer_item_id: int | None = None
    timer_started_at: datetime | None = None
    timer_duration_s: int | None = None
    timer_paused_remaining_s: int | None = None
    # The interactions added in the workshop (JSON list of payloads, '' if none): part of
    # catalogue() and of its cache key.
    added_interactions_json: str = field(default="", repr=False)

    @property
    def join_path(self) -> str:
        """The participant URL path, e.g. ``/join?code=ACD347``."""
        return join_path(self.code)

    @property
    def current_item(self) -> AgendaItem | None:
        return self.item(self.current_item_id) if self.current_item_id is not None else None

    def item(self, item_id: int) -> AgendaItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def catalogue(self) -> Catalogue:
        """The catalogue snapshot taken when the workshop was created plus the interactions added
        in the workshop (:func:`conflicts.facilitation.add_interaction`, accepted proposals),
        appended in the order they were added. Cached by (snapshot, added interactions): the YAML
        is parsed once per process, adding an interaction only rebuilds the merged model."""
        return _catalogue(self.catalogue_yaml, self.catalogue_name, self.added_interactions_json)

    @property
    def catalogue_key(self) -> str:
        """A short key that changes exactly when :meth:`catalogue` changes (for UI caches)."""
        if not self.added_interactions_json:
            return self.catalogue_sha256
        added = hashlib.sha256(self.added_interactions_json.encode("utf-8")).hexdigest()[:16]
        return f"{self.catalogue_sha256}+{added}"

    def scale(self) -> tuple[int, int]:
        """The ``(min, max)`` of a ballot value for the current method."""
        return tally.scale_for(
            self.method, dot_budget=self.dot_budget, ranking_size=self.ranking_size
        )


@dataclass(frozen=True)
class Participant:
    id: int
    workshop_id: int
    voter_id: str
    display_name: str | None
    actor_type: str | None
    level: str | None
    has_participant_code: bool
    joined_at: datetime


@dataclass(frozen=True)
class Ballot:
    id: int
    item_id: int
    participant_id: int
    method: str
    value: int | None
    skipped: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class CreatedWorkshop:
    """What :func:`create_workshop` returns; ``facilitator_key`` is shown once, stored hashed."""

    workshop: Workshop
    facilitator_key: str

    @property
    def join_path(self) -> str:
        return self.workshop.join_path


@dataclass(frozen=True)
class WorkshopTally:
    """Tallies of a workshop's agenda (agenda order) plus what a poller needs."""

    code: str
    method: str
    status: str
    participants: int
    revision: int
    tally_revision: int
    items: list[tally.ItemTally]
    #: Tallies of the warm-up items (agenda order); ``items`` holds only interaction items.
    warmups: list[tally.WarmupTally] = field(default_factory=list)

    def warmup(self, item_id: int) -> tally.WarmupTally | None:
        return next((t for t in self.warmups if t.item_id == item_id), None)

    @property
    def ranking(self) -> list[tally.ItemTally]:
        """Items with a rank, by rank (1 = deal with first)."""
        return sorted((t for t in self.items if t.rank is not None), key=lambda t: t.rank)

    def item(self, item_id: int) -> tally.ItemTally | None:
        return next((t for t in self.items if t.item_id == item_id), None)


WorkshopRef = Workshop | str


def join_path(code: str) -> str:
    return f"/join?code={code}"


def normalise_code(code: str) -> str:
    """Upper-case and drop spaces/hyphens: what a person types from a projector."""
    return "".join(ch for ch in str(code).upper() if ch not in " -\t")


def _code(ref: WorkshopRef) -> str:
    return ref.code if isinstance(ref, Workshop) else normalise_code(ref)


def _store(store: Store | None) -> Store:
    return store or get_store()


@lru_cache(maxsize=32)
def _parse_snapshot(yaml_text: str, name: str) -> Catalogue:
    return parse_catalogue_bytes(yaml_text.encode("utf-8"), name)


@lru_cache(maxsize=64)
def _catalogue(yaml_text: str, name: str, added_json: str) -> Catalogue:
    """The snapshot plus the workshop's added interactions (``added_json``: a JSON list of
    Interaction payloads, validated when they were added). Only the snapshot is YAML-parsed."""
    base = _parse_snapshot(yaml_text, name)
    if not added_json:
        return base
    added = [Interaction.model_validate(p) for p in json.loads(added_json)]
    return Catalogue(
        meta=base.meta,
        goals=base.goals,
        actors=base.actors,
        interactions=[*base.interactions, *added],
        positions=base.positions,
    )


def _added_json(conn: Connection, workshop_id: int) -> str:
    """The workshop's added interactions as one JSON list (stored payloads, in adding order)."""
    payloads = list(
        conn.execute(
            select(workshop_interactions.c.payload)
            .where(workshop_interactions.c.workshop_id == workshop_id)
            .order_by(workshop_interactions.c.id)
        ).scalars()
    )
    return f"[{','.join(payloads)}]" if payloads else ""


def _row_catalogue(conn: Connection, row) -> Catalogue:
    """The full catalogue (snapshot + added interactions) of a workshop row."""
    return _catalogue(row["catalogue_yaml"], row["catalogue_name"], _added_json(conn, row["id"]))


# --------------------------------------------------------------------------------------------
# Facilitator keys
# --------------------------------------------------------------------------------------------
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_key(key: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (hex) of a facilitator key, with a random salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(key.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_key(key: str, stored: str) -> bool:
    """Constant-time check of ``key`` against a :func:`hash_key` string."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(
            key.encode("utf-8"), salt=bytes.fromhex(salt), dklen=32, n=int(n), r=int(r), p=int(p)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, bytes.fromhex(digest))


def check_facilitator(
    workshop: WorkshopRef, key: str | None, *, store: Store | None = None
) -> bool:
    """True if ``key`` is the workshop's facilitator key or the admin password
    (``CONFLICTS_ADMIN_PASSWORD``). Raises :class:`WorkshopNotFound` for an unknown code."""
    code = _code(workshop)
    stored = _store(store).read(
        lambda conn: conn.execute(
            select(workshops.c.facilitator_key_hash).where(workshops.c.code == code)
        ).scalar()
    )
    if stored is None:
        raise WorkshopNotFound(f"no workshop with code {code}", code_value=code)
    if not key:
        return False
    admin = config.admin_password()
    if admin and hmac.compare_digest(key.encode("utf-8"), admin.encode("utf-8")):
        return True
    return verify_key(key, stored)


def require_facilitator(
    workshop: WorkshopRef, key: str | None, *, store: Store | None = None
) -> None:
    """Like :func:`check_facilitator` but raises :class:`AccessDenied` instead of returning False."""
    if not check_facilitator(workshop, key, store=store):
        raise AccessDenied("wrong facilitator key")


# --------------------------------------------------------------------------------------------
# Row helpers (run inside a transaction)
# --------------------------------------------------------------------------------------------
def _workshop_row(conn: Connection, code: str, *, lock: bool = False):
    q = select(workshops).where(workshops.c.code == code)
    if lock:
        q = q.with_for_update()
    row = conn.execute(q).mappings().first()
    if row is None:
        raise WorkshopNotFound(f"no workshop with code {code}", code_value=code)
    return row


def _items(conn: Connection, workshop_id: int) -> tuple[AgendaItem, ...]:
    rows = conn.execute(
        select(agenda_items)
        .where(agenda_items.c.workshop_id == workshop_id)
        .order_by(agenda_items.c.position, agenda_items.c.id)
    ).mappings()
    return tuple(
        AgendaItem(
            id=r["id"],
            position=r["position"],
            interaction_id=r["interaction_id"],
            voting=r["voting"],
            opened_at=as_utc(r["opened_at"]),
            closed_at=as_utc(r["closed_at"]),
            kind=r["kind"] or "interaction",
            question=json.loads(r["question"]) if r["question"] else None,
        )
        for r in rows
    )


def _to_workshop(conn: Connection, row, *, with_items: bool = True) -> Workshop:
    return Workshop(
        id=row["id"],
        code=row["code"],
        title=row["title"],
        catalogue_name=row["catalogue_name"],
        catalogue_path=row["catalogue_path"],
        catalogue_sha256=row["catalogue_sha256"],
        status=row["status"],
        method=row["method"],
        dot_budget=row["dot_budget"],
        ranking_size=row["ranking_size"],
        hide_results_until_closed=bool(row["hide_results_until_closed"]),
        require_participant_code=bool(row["require_participant_code"]),
        mode=row["mode"],
        current_item_id=row["current_item_id"],
        revision=row["revision"],
        tally_revision=row["tally_revision"],
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
        items=_items(conn, row["id"]) if with_items else (),
        catalogue_yaml=row["catalogue_yaml"],
        timer_item_id=row["timer_item_id"],
        timer_started_at=as_utc(row["timer_started_at"]),
        timer_duration_s=row["timer_duration_s"],
        timer_paused_remaining_s=row["timer_paused_remaining_s"],
        added_interactions_json=_added_json(conn, row["id"]),
    )


def _to_participant(row) -> Participant:
    return Participant(
        id=row["id"],
        workshop_id=row["workshop_id"],
        voter_id=row["voter_id"],
        display_name=row["display_name"],
        actor_type=row["actor_type"],
        level=row["level"],
        has_participant_code=row["participant_code_id"] is not None,
        joined_at=as_utc(row["joined_at"]),
    )


def _to_ballot(row) -> Ballot:
    return Ballot(
        id=row["id"],
        item_id=row["item_id"],
        participant_id=row["participant_id"],
        method=row["method"],
        value=row["value"],
        skipped=bool(row["skipped"]),
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
    )


def _bump(conn: Connection, workshop_id: int, *, state: bool) -> None:
    column = workshops.c.revision if state else workshops.c.tally_revision
    conn.execute(
        update(workshops)
        .where(workshops.c.id == workshop_id)
        .values({column: column + 1, workshops.c.updated_at: utcnow()})
    )


def _participant_row(conn: Connection, workshop_id: int, voter_id: str):
    return (
        conn.execute(
            select(participants).where(
                participants.c.workshop_id == workshop_id, participants.c.voter_id == voter_id
            )
        )
        .mappings()
        .first()
    )


def _random_code(length: int) -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(length))


def _clean_text(value: str | None, field_name: str, max_len: int, *, required: bool = False):
    if value is None:
        if required:
            raise InvalidText(f"{field_name} is required", field=field_name, code="text_required")
        return None
    if not isinstance(value, str):
        raise InvalidText(f"{field_name} must be text", field=field_name)
    value = value.strip()
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise InvalidText(f"{field_name} contains control characters", field=field_name)
    if len(value) > max_len:
        raise TextTooLong(
            f"{field_name} is longer than {max_len} characters", field=field_name, max=max_len
        )
    if not value:
        if required:
            raise InvalidText(f"{field_name} is required", field=field_name, code="text_required")
        return None
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --------------------------------------------------------------------------------------------
# Creating and reading workshops
# --------------------------------------------------------------------------------------------
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
    store: Store | None = None,
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
    store: Store | None = None,
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
            return CreatedWorkshop(_store(store).write(tx), key)
        except sa_exc.IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _check_agenda(cat: Catalogue, interaction_ids: list[str]) -> list[str]:
    seen: set[str] = set()
    for iid in interaction_ids:
        if iid not in cat.interactions_by_id:
            raise InvalidSetting(
                f"unknown interaction id {iid!r}", code="unknown_interaction", interaction=iid
            )
        if iid in seen:
            raise InvalidSetting(
                f"interaction {iid!r} is twice on the agenda",
                code="duplicate_item",
                interaction=iid,
            )
        seen.add(iid)
    return list(interaction_ids)


def get_workshop(code: WorkshopRef, *, store: Store | None = None) -> Workshop:
    """The workshop with its agenda. Raises :class:`WorkshopNotFound`."""
    c = _code(code)
    return _store(store).read(lambda conn: _to_workshop(conn, _workshop_row(conn, c)))


def list_workshops(*, store: Store | None = None) -> list[Workshop]:
    """Every workshop, newest first (without agenda items)."""

    def tx(conn: Connection) -> list[Workshop]:
        rows = conn.execute(
            select(workshops).order_by(workshops.c.created_at.desc(), workshops.c.id.desc())
        ).mappings()
        return [_to_workshop(conn, r, with_items=False) for r in rows]

    return _store(store).read(tx)


def poll(code: WorkshopRef, *, store: Store | None = None) -> tuple[int, int]:
    """``(revision, tally_revision)``: one indexed row; re-read state/tallies when they change.

    ``revision`` grows with every facilitator change, ``tally_revision`` with every join/ballot.
    Raises :class:`WorkshopNotFound`.
    """
    c = _code(code)

    def tx(conn: Connection) -> tuple[int, int]:
        row = conn.execute(
            select(workshops.c.revision, workshops.c.tally_revision).where(workshops.c.code == c)
        ).first()
        if row is None:
            raise WorkshopNotFound(f"no workshop with code {c}", code_value=c)
        return (row[0], row[1])

    return _store(store).read(tx)


# --------------------------------------------------------------------------------------------
# Facilitator actions
# --------------------------------------------------------------------------------------------
def _facilitate(ref: WorkshopRef, store: Store | None, fn: Callable[[Connection, Any], None]):
    code = _code(ref)

    def tx(conn: Connection) -> Workshop:
        row = _workshop_row(conn, code, lock=True)
        fn(conn, row)
        _bump(conn, row["id"], state=True)
        return _to_workshop(conn, _workshop_row(conn, code))

    return _store(store).write(tx)


def _set(conn: Connection, row, **values: Any) -> None:
    conn.execute(update(workshops).where(workshops.c.id == row["id"]).values(**values))


def open_workshop(ref: WorkshopRef, *, store: Store | None = None) -> Workshop:
    """Open the workshop (from draft, or re-open a closed one). Returns the new state."""
    return _facilitate(ref, store, lambda conn, row: _set(conn, row, status="open"))


def close_workshop(ref: WorkshopRef, *, store: Store | None = None) -> Workshop:
    """Close the workshop; voting on every open item closes too."""

    def fn(conn: Connection, row) -> None:
        _set(conn, row, status="closed")
        conn.execute(
            update(agenda_items)
            .where(agenda_items.c.workshop_id == row["id"], agenda_items.c.voting == "open")
            .values(voting="closed", closed_at=utcnow())
        )

    return _facilitate(ref, store, fn)


def _item_row(conn: Connection, workshop_id: int, item_id: int):
    if not _is_int(item_id):
        raise UnknownItem(f"no agenda item {item_id!r}", item_id=item_id)
    row = (
        conn.execute(
            select(agenda_items).where(
                agenda_items.c.id == item_id, agenda_items.c.workshop_id == workshop_id
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise UnknownItem(f"no agenda item {item_id!r} in this workshop", item_id=item_id)
    return row


def open_voting(ref: WorkshopRef, item_id: int, *, store: Store | None = None) -> Workshop:
    """Open voting on one agenda item (also re-opens a closed item).

    Raises :class:`UnknownItem`, :class:`WorkshopNotOpen` (code ``workshop_closed``)."""

    def fn(conn: Connection, row) -> None:
        if row["status"] == "closed":
            raise WorkshopNotOpen("the workshop is closed", code="workshop_closed")
        _item_row(conn, row["id"], item_id)
        conn.execute(
            update(agenda_items)
            .where(agenda_items.c.id == item_id)
            .values(voting="open", opened_at=utcnow(), closed_at=None)
        )

    return _facilitate(ref, store, fn)


def close_voting(ref: WorkshopRef, item_id: int, *, store: Store | None = None) -> Workshop:
    """Close voting on one agenda item. Raises :class:`UnknownItem`."""

    def fn(conn: Connection, row) -> None:
        _item_row(conn, row["id"], item_id)
        conn.execute(
            update(agenda_items)
            .where(agenda_items.c.id == item_id)
            .values(voting="closed", closed_at=utcnow())
        )

    return _facilitate(ref, store, fn)


def set_agenda(
    ref: WorkshopRef, interaction_ids: list[str], *, store: Store | None = None
) -> Workshop:
    """Make the agenda exactly ``interaction_ids`` in that order.

    Items already on the agenda keep their id, voting state and ballots; new ids get new items;
    removed items must have no ballots. Ids may be those of the catalogue snapshot and of the
    interactions added in the workshop. Warm-up items stay: listed by their key (e.g.
    ``warmup-1``) they take that place, unlisted they go first (remove one with
    :func:`conflicts.facilitation.remove_item`). Raises :class:`InvalidSetting` (codes
    ``unknown_interaction``, ``duplicate_item``, ``item_has_ballots``).
    """
    ids = list(interaction_ids)

    def fn(conn: Connection, row) -> None:
        cat = _row_catalogue(conn, row)
        current = _items(conn, row["id"])
        warmups = [i.interaction_id for i in current if i.kind == "warmup"]
        listed_warmups = [iid for iid in ids if iid in warmups]
        if len(set(listed_warmups)) != len(listed_warmups):
            raise InvalidSetting("a warm-up is twice on the agenda", code="duplicate_item")
        _check_agenda(cat, [iid for iid in ids if iid not in warmups])
        existing = {i.interaction_id: i for i in current}
        order = [iid for iid in warmups if iid not in ids] + ids
        removed = [i for iid, i in existing.items() if iid not in order]
        for item in removed:
            n = conn.execute(
                select(func.count()).select_from(ballots).where(ballots.c.item_id == item.id)
            ).scalar()
            if n:
                raise InvalidSetting(
                    f"interaction {item.interaction_id!r} has ballots and cannot be removed",
                    code="item_has_ballots",
                    interaction=item.interaction_id,
                )
            conn.execute(delete(agenda_items).where(agenda_items.c.id == item.id))
            if row["current_item_id"] == item.id:
                _set(conn, row, current_item_id=None)
        for pos, iid in enumerate(order, start=1):
            if iid in existing:
                conn.execute(
                    update(agenda_items)
                    .where(agenda_items.c.id == existing[iid].id)
                    .values(position=pos)
                )
            else:
                conn.execute(
                    agenda_items.insert().values(
                        workshop_id=row["id"], position=pos, interaction_id=iid
                    )
                )

    return _facilitate(ref, store, fn)


def reorder_agenda(
    ref: WorkshopRef, item_ids: list[int], *, store: Store | None = None
) -> Workshop:
    """Reorder the agenda: ``item_ids`` must be exactly the current item ids, in the new order.

    Raises :class:`InvalidSetting` (code ``invalid_agenda``)."""

    def fn(conn: Connection, row) -> None:
        current = {i.id for i in _items(conn, row["id"])}
        if len(item_ids) != len(current) or set(item_ids) != current:
            raise InvalidSetting(
                "the new order must list every agenda item exactly once", code="invalid_agenda"
            )
        for pos, iid in enumerate(item_ids, start=1):
            conn.execute(update(agenda_items).where(agenda_items.c.id == iid).values(position=pos))

    return _facilitate(ref, store, fn)


def set_voting_method(
    ref: WorkshopRef,
    method: str,
    *,
    dot_budget: int | None = None,
    ranking_size: int | None = None,
    store: Store | None = None,
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

    return _facilitate(ref, store, fn)


def set_hide_results(ref: WorkshopRef, hide: bool, *, store: Store | None = None) -> Workshop:
    """Hide results from non-facilitators until voting on an item closes."""
    return _facilitate(
        ref, store, lambda conn, row: _set(conn, row, hide_results_until_closed=bool(hide))
    )


def set_participant_codes_required(
    ref: WorkshopRef, required: bool, *, store: Store | None = None
) -> Workshop:
    """Closed mode: joining (and voting) requires a one-time participant code."""
    return _facilitate(
        ref, store, lambda conn, row: _set(conn, row, require_participant_code=bool(required))
    )


def set_mode(ref: WorkshopRef, mode: str, *, store: Store | None = None) -> Workshop:
    """``'follow'`` (phones show the facilitator's current item) or ``'free'``."""
    if mode not in MODES:
        raise InvalidSetting(f"unknown mode {mode!r}", mode=mode)
    return _facilitate(ref, store, lambda conn, row: _set(conn, row, mode=mode))


def set_current_item(
    ref: WorkshopRef, item_id: int | None, *, store: Store | None = None
) -> Workshop:
    """Show ``item_id`` now (None: no item, e.g. the welcome screen). Raises :class:`UnknownItem`."""

    def fn(conn: Connection, row) -> None:
        if item_id is not None:
            _item_row(conn, row["id"], item_id)
        _set(conn, row, current_item_id=item_id)

    return _facilitate(ref, store, fn)


def set_title(ref: WorkshopRef, title: str, *, store: Store | None = None) -> Workshop:
    """Rename the workshop (plain text, at most 200 characters)."""
    clean = _clean_text(title, "title", TITLE_MAX, required=True)
    return _facilitate(ref, store, lambda conn, row: _set(conn, row, title=clean))


def generate_participant_codes(
    workshop: WorkshopRef, n: int, *, store: Store | None = None
) -> list[str]:
    """Create ``n`` new one-time participant codes (8 unambiguous characters) and return them.

    Codes are only required once closed mode is on (:func:`set_participant_codes_required`).
    """
    if not _is_int(n) or not 1 <= n <= MAX_PARTICIPANT_CODES:
        raise InvalidSetting(f"n must be 1-{MAX_PARTICIPANT_CODES}", field="n")
    code = _code(workshop)

    def tx(conn: Connection) -> list[str]:
        row = _workshop_row(conn, code, lock=True)
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
        _bump(conn, row["id"], state=True)
        return new

    return _store(store).write(tx)


def list_participant_codes(
    workshop: WorkshopRef, *, store: Store | None = None
) -> list[tuple[str, bool]]:
    """``(code, used)`` for every participant code of the workshop, in creation order."""
    code = _code(workshop)

    def tx(conn: Connection) -> list[tuple[str, bool]]:
        row = _workshop_row(conn, code)
        rows = conn.execute(
            select(participant_codes.c.code, participant_codes.c.used_at)
            .where(participant_codes.c.workshop_id == row["id"])
            .order_by(participant_codes.c.id)
        )
        return [(c, used is not None) for c, used in rows]

    return _store(store).read(tx)


def list_participants(workshop: WorkshopRef, *, store: Store | None = None) -> list[Participant]:
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

    return _store(store).read(tx)


# --------------------------------------------------------------------------------------------
# Participants and ballots
# --------------------------------------------------------------------------------------------
def join(
    code: str,
    voter_id: str,
    display_name: str | None = None,
    actor_type: str | None = None,
    level: str | None = None,
    participant_code: str | None = None,
    *,
    store: Store | None = None,
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
                workshop_id=w["id"], voter_id=voter_id, joined_at=utcnow(), **profile
            )
        ).inserted_primary_key[0]
        if prow is not None:
            bind(conn, prow, pid)
        _bump(conn, w["id"], state=False)
        return _to_participant(_participant_row(conn, w["id"], voter_id))

    return _store(store).write(tx)


def get_participant(code: str, voter_id: str, *, store: Store | None = None) -> Participant | None:
    """The participant with this voter id, or None if they have not joined."""
    c = normalise_code(code)

    def tx(conn: Connection) -> Participant | None:
        w = _workshop_row(conn, c)
        row = _participant_row(conn, w["id"], voter_id)
        return _to_participant(row) if row is not None else None

    return _store(store).read(tx)


def my_ballots(code: str, voter_id: str, *, store: Store | None = None) -> dict[int, Ballot]:
    """The voter's ballots by agenda item id (empty if they have not joined)."""
    c = normalise_code(code)

    def tx(conn: Connection) -> dict[int, Ballot]:
        w = _workshop_row(conn, c)
        p = _participant_row(conn, w["id"], voter_id)
        if p is None:
            return {}
        rows = conn.execute(select(ballots).where(ballots.c.participant_id == p["id"])).mappings()
        return {r["item_id"]: _to_ballot(r) for r in rows}

    return _store(store).read(tx)


def _voting_context(conn: Connection, code: str, voter_id: str):
    """Lock the workshop and check it is open and the voter may vote; return (workshop, voter)."""
    w = _workshop_row(conn, code, lock=True)
    if w["status"] != "open":
        if w["status"] == "draft":
            raise WorkshopNotOpen("the workshop has not started", code="workshop_not_started")
        raise WorkshopNotOpen("the workshop is closed", code="workshop_closed")
    p = _participant_row(conn, w["id"], voter_id)
    if p is None:
        raise NotJoined("join the workshop before voting")
    if w["require_participant_code"] and p["participant_code_id"] is None:
        raise NotEntitled("this workshop needs a participant code")
    return w, p


def _open_item(conn: Connection, workshop_id: int, item_id: int):
    item = _item_row(conn, workshop_id, item_id)
    if item["voting"] != "open":
        raise VotingClosed(
            "voting on this item is not open", item_id=item_id, voting=item["voting"]
        )
    return item


def _warmup_ids(workshop_id: int):
    """A subquery: the ids of the workshop's warm-up items (their ballots are not votes)."""
    return select(agenda_items.c.id).where(
        agenda_items.c.workshop_id == workshop_id, agenda_items.c.kind == "warmup"
    )


def _upsert_ballot(conn: Connection, values: dict) -> None:
    keys = ["participant_id", "item_id"]
    changes = {k: values[k] for k in ("method", "value", "skipped", "updated_at")}
    dialect = conn.dialect.name
    if dialect in ("postgresql", "sqlite"):
        mod = pg_dialect if dialect == "postgresql" else sqlite_dialect
        stmt = mod.insert(ballots).values(**values)
        conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=changes))
        return
    done = conn.execute(  # other databases: the workshop row lock serialises this
        update(ballots)
        .where(
            ballots.c.participant_id == values["participant_id"],
            ballots.c.item_id == values["item_id"],
        )
        .values(**changes)
    ).rowcount
    if not done:
        conn.execute(ballots.insert().values(**values))


def _ballot_row(conn: Connection, participant_id: int, item_id: int):
    return (
        conn.execute(
            select(ballots).where(
                ballots.c.participant_id == participant_id, ballots.c.item_id == item_id
            )
        )
        .mappings()
        .one()
    )


def cast_ballot(
    workshop_code: str,
    voter_id: str,
    item_id: int,
    value: int | None = None,
    skip: bool = False,
    *,
    store: Store | None = None,
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
                used = conn.execute(
                    select(func.coalesce(func.sum(ballots.c.value), 0)).where(
                        ballots.c.participant_id == p["id"],
                        ballots.c.method == "dots",
                        ballots.c.item_id != item_id,
                        ballots.c.item_id.not_in(_warmup_ids(w["id"])),
                        ballots.c.skipped.is_(False),
                    )
                ).scalar()
                if used + value > w["dot_budget"]:
                    raise BudgetExceeded(
                        f"only {w['dot_budget'] - used} of {w['dot_budget']} dots left",
                        budget=w["dot_budget"],
                        used=used,
                        remaining=w["dot_budget"] - used,
                    )
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
        _bump(conn, w["id"], state=False)
        return _to_ballot(_ballot_row(conn, p["id"], item_id))

    return _store(store).write(tx)


def cast_ranking(
    workshop_code: str,
    voter_id: str,
    ordered_item_ids: list[int],
    *,
    store: Store | None = None,
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
            if _open_item(conn, w["id"], iid)["kind"] == "warmup":
                raise InvalidBallot("a warm-up is not ranked", code="wrong_method")
        open_ids = select(agenda_items.c.id).where(
            agenda_items.c.workshop_id == w["id"],
            agenda_items.c.voting == "open",
            agenda_items.c.kind != "warmup",
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
        _bump(conn, w["id"], state=False)
        return [_to_ballot(_ballot_row(conn, p["id"], iid)) for iid in ids]

    return _store(store).write(tx)


# --------------------------------------------------------------------------------------------
# Tallies
# --------------------------------------------------------------------------------------------
def _tally(conn: Connection, store: Store, w: Workshop, *, facilitator: bool) -> WorkshopTally:
    cat = w.catalogue()
    refs = [
        tally.AgendaRef(
            item_id=i.id,
            interaction_id=i.interaction_id,
            position=i.position,
            voting=i.voting,
            catalogue_score=(
                cat.interactions_by_id[i.interaction_id].score
                if i.interaction_id in cat.interactions_by_id
                else None
            ),
        )
        for i in w.items
        if i.kind != "warmup"
    ]
    rows = store.tally_rows(conn, w.id, w.method)
    items = tally.tally_workshop(
        refs, rows, w.method, dot_budget=w.dot_budget, ranking_size=w.ranking_size
    )
    items = tally.visible(
        items,
        w.method,
        hide_until_closed=w.hide_results_until_closed,
        facilitator=facilitator,
    )
    warmups: list[tally.WarmupTally] = []
    warmup_items = [i for i in w.items if i.kind == "warmup"]
    if warmup_items:
        q = (  # any method: warm-up ballots keep the method the workshop had when cast
            select(ballots.c.item_id, ballots.c.value, ballots.c.skipped, func.count())
            .where(
                ballots.c.workshop_id == w.id,
                ballots.c.item_id.in_([i.id for i in warmup_items]),
            )
            .group_by(ballots.c.item_id, ballots.c.value, ballots.c.skipped)
        )
        by_item: dict[int, list[tuple]] = {}
        for item_id, value, skipped, count in conn.execute(q):
            by_item.setdefault(item_id, []).append((value, bool(skipped), count))
        options = [g.id for g in cat.goals]
        for i in warmup_items:
            t = tally.tally_warmup(i.id, i.position, i.voting, options, by_item.get(i.id, []))
            warmups.append(
                tally.visible_warmup(
                    t, hide_until_closed=w.hide_results_until_closed, facilitator=facilitator
                )
            )
    n = conn.execute(
        select(func.count()).select_from(participants).where(participants.c.workshop_id == w.id)
    ).scalar()
    return WorkshopTally(
        code=w.code,
        method=w.method,
        status=w.status,
        participants=n,
        revision=w.revision,
        tally_revision=w.tally_revision,
        items=items,
        warmups=warmups,
    )


def get_tally(
    code: WorkshopRef, *, facilitator: bool = False, store: Store | None = None
) -> WorkshopTally:
    """Live tallies of every agenda item, with the priority ranking.

    With ``hide_results_until_closed`` a non-facilitator (``facilitator=False``) sees only the
    counts of items whose voting is not closed (see :func:`conflicts.tally.visible`).
    """
    c = _code(code)
    s = _store(store)
    return s.read(
        lambda conn: _tally(
            conn, s, _to_workshop(conn, _workshop_row(conn, c)), facilitator=facilitator
        )
    )


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------
def pseudonym(anon_salt: str, voter_id: str) -> str:
    """A stable per-workshop pseudonym such as ``p-1a2b3c4d`` (HMAC-SHA256, secret salt)."""
    digest = hmac.new(anon_salt.encode(), voter_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"p-{digest[:8]}"


def export_data(code: WorkshopRef, *, store: Store | None = None) -> dict:
    """The anonymised export as plain data: ``{"workshop", "items", "ballots"}`` plus (schema
    version 2) ``"agenda"`` (every item with ``kind``/``question``), ``"warmups"`` (warm-up
    tallies by goal), ``"outcomes"``, ``"proposals"`` and ``"added_interactions"``.

    Ballots carry a pseudonym instead of the voter id and no display names; tallies are the
    facilitator's (nothing hidden). Proposals carry neither voter ids, pseudonyms nor names.
    ``items`` are the tallies of the interaction items (each with ``kind`` and ``origin``:
    'catalogue', 'facilitator' or 'proposal'). Every format in :data:`EXPORT_FORMATS` renders
    this dict (the CSV only the ballots and the interaction tallies).
    """
    from conflicts import facilitation  # facilitation imports this module

    c = _code(code)
    s = _store(store)

    def tx(conn: Connection) -> dict:
        row = _workshop_row(conn, c)
        w = _to_workshop(conn, row)
        t = _tally(conn, s, w, facilitator=True)
        cat = w.catalogue()
        lang = cat.languages[0]
        by_item = {i.id: i for i in w.items}
        origins = facilitation._origins(conn, w.id)
        goal_ids = [g.id for g in cat.goals]
        item_dicts = []
        for it in t.items:
            inter = cat.interactions_by_id.get(it.interaction_id)
            d = it.as_dict()
            d["title"] = cat.text(inter.title, lang) if inter else ""
            d["from"] = inter.from_ if inter else None
            d["to"] = inter.to if inter else None
            d["kind"] = "interaction"
            d["origin"] = origins.get(it.interaction_id, "catalogue")
            item_dicts.append(d)
        q = (
            select(
                ballots,
                participants.c.voter_id,
                participants.c.actor_type,
                participants.c.level,
            )
            .join(participants, participants.c.id == ballots.c.participant_id)
            .where(ballots.c.workshop_id == w.id)
        )
        ballot_dicts = []
        for r in conn.execute(q).mappings():
            item = by_item.get(r["item_id"])
            warmup = item is not None and item.kind == "warmup"
            value = r["value"]
            ballot_dicts.append(
                {
                    "participant": pseudonym(row["anon_salt"], r["voter_id"]),
                    "item_id": r["item_id"],
                    "position": item.position if item else None,
                    "interaction_id": item.interaction_id if item else None,
                    "kind": item.kind if item else None,
                    "method": r["method"],
                    "value": value,
                    "skipped": bool(r["skipped"]),
                    "actor_type": r["actor_type"],
                    "level": r["level"],
                    "updated_at": as_utc(r["updated_at"]).isoformat(),
                    **(
                        {
                            "goal": goal_ids[value]
                            if value is not None and 0 <= value < len(goal_ids)
                            else None
                        }
                        if warmup
                        else {}
                    ),
                }
            )
        ballot_dicts.sort(key=lambda b: (b["position"] or 0, b["participant"]))
        return {
            "workshop": {
                "code": w.code,
                "title": w.title,
                "catalogue_name": w.catalogue_name,
                "catalogue_title": cat.text(cat.meta.title, lang),
                "catalogue_version": cat.meta.version,
                "catalogue_sha256": w.catalogue_sha256,
                "status": w.status,
                "method": w.method,
                "dot_budget": w.dot_budget,
                "ranking_size": w.ranking_size,
                "participants": t.participants,
                "created_at": w.created_at.isoformat(),
            },
            "items": item_dicts,
            "ballots": ballot_dicts,
            **facilitation._export_sections(conn, w, cat, t),
        }

    return s.read(tx)


def _export_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


#: CSV columns: one table, the first column says which kind of record a row is.
CSV_COLUMNS = [
    "record",  # 'ballot' or 'tally'
    "position",
    "interaction_id",
    "title",
    "participant",
    "actor_type",
    "level",
    "method",
    "value",
    "skipped",
    "voting",
    "ballots",
    "skips",
    "mean",
    "median",
    "stdev",
    "total",
    "consensus",
    "rank",
    "catalogue_score",
]


def _export_csv(data: dict) -> str:
    """One CSV table: the ballot rows (``record=ballot``) then the tally per item
    (``record=tally``); columns that do not apply to a record are empty. Filter on ``record``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    method = data["workshop"]["method"]
    for b in data["ballots"]:
        writer.writerow(
            {"record": "ballot", **b, "value": "" if b["value"] is None else b["value"]}
        )
    for it in data["items"]:
        row = {k: ("" if v is None else v) for k, v in it.items() if k != "distribution"}
        for k in ("mean", "median", "stdev", "consensus"):
            if isinstance(row.get(k), float):
                row[k] = f"{row[k]:.4f}"
        writer.writerow({"record": "tally", "method": method, **row})
    return out.getvalue()


def _needs_workshop(render: Callable[..., str]) -> Callable[..., str]:
    """Mark a renderer that is also given ``workshop=`` (its catalogue), ``participants=`` (only
    their self-descriptions are read) and ``lang=``."""
    render.needs_workshop = True  # type: ignore[attr-defined]
    return render


@_needs_workshop
def _export_html(data: dict, **context: Any) -> str:
    from conflicts import report

    return report.render_html(data, **context)


@_needs_workshop
def _export_md(data: dict, **context: Any) -> str:
    from conflicts import report

    return report.render_markdown(data, **context)


@_needs_workshop
def _export_yaml(data: dict, **context: Any) -> str:
    from conflicts import writeback

    return writeback.render_yaml(data, **context)


#: Export formats: name -> renderer of :func:`export_data`'s dict. Add a format here and the CLI
#: offers it (``workshop export --format``). A renderer marked ``needs_workshop`` also gets the
#: workshop, its participants and the language (see :func:`export_workshop`).
EXPORT_FORMATS: dict[str, Callable[..., str]] = {
    "json": _export_json,
    "csv": _export_csv,
    "html": _export_html,  # the report: one self-contained file (conflicts.report)
    "md": _export_md,  # the summary for the minutes (conflicts.report)
    "yaml": _export_yaml,  # the catalogue written back (conflicts.writeback)
}


def export_workshop(
    code: WorkshopRef,
    format: str = "json",
    *,
    lang: str | None = None,
    store: Store | None = None,
) -> str:
    """The anonymised export of a workshop as text in ``format`` (see :data:`EXPORT_FORMATS`).

    JSON: ``{"workshop": {...}, "items": [...tallies...], "ballots": [...]}``. CSV: one table with
    a ``record`` column (``ballot`` rows, then one ``tally`` row per item). Voter ids appear only
    as pseudonyms (``p-1a2b3c4d``, stable within a workshop); display names never appear.
    HTML: the self-contained report; MD: the summary for the minutes (both in ``lang``, default
    the catalogue's first language; no pseudonyms either). YAML: the catalogue the workshop ran
    on with its added interactions and recorded outcomes merged in (:mod:`conflicts.writeback`).
    Raises :class:`WorkshopNotFound`, :class:`InvalidSetting` (unknown format).
    """
    renderer = EXPORT_FORMATS.get(format)
    if renderer is None:
        raise InvalidSetting(
            f"unknown export format {format!r} (choose {', '.join(EXPORT_FORMATS)})",
            format=format,
        )
    data = export_data(code, store=store)
    if getattr(renderer, "needs_workshop", False):
        return renderer(
            data,
            workshop=get_workshop(code, store=store),
            participants=list_participants(code, store=store),
            lang=lang,
        )
    return renderer(data)
