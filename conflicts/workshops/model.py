"""The workshop's value objects (frozen dataclasses read in one transaction) and its limits.

:class:`Workshop` carries its catalogue snapshot; :meth:`Workshop.catalogue` merges the interactions
added in the workshop (cached per process, so a rerun does not parse YAML again)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from conflicts import tally
from conflicts.catalogue import (
    Catalogue,
    Interaction,
    parse_catalogue_bytes,
)

if TYPE_CHECKING:  # access.py imports this module
    from conflicts.workshops.access import FacilitatorGrant

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
    :mod:`conflicts.workshops`)."""

    id: int
    position: int
    interaction_id: str
    voting: str  # 'not_started' | 'open' | 'closed'
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    kind: str = "interaction"  # 'interaction' | 'warmup' | 'matrix'
    question: dict[str, str] | None = field(default=None, hash=False)
    #: A matrix scoring session (``kind='matrix'``, key ``matrix-1``, ...): the chosen goal and
    #: sub-goal ids, and how many pairs each phone is dealt (see conflicts.workshops.matrix_session).
    nodes: tuple[str, ...] = ()
    pairs_per_participant: int = 0

    @property
    def is_warmup(self) -> bool:
        return self.kind == "warmup"

    @property
    def is_matrix(self) -> bool:
        return self.kind == "matrix"

    @property
    def is_interaction(self) -> bool:
        return self.kind == "interaction"

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
    # The facilitator's timer (see conflicts.workshops.timer_remaining); all None: no timer.
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
        in the workshop (:func:`conflicts.workshops.add_interaction`, accepted proposals),
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

    def dots_left(self, ballots: Iterable[Ballot]) -> int:
        """What is left of the dot budget after a voter's ``ballots`` (:func:`dots_spent`)."""
        return self.dot_budget - dots_spent(ballots, {i.id for i in self.items if i.is_warmup})


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


def dots_spent(
    ballots: Iterable[Ballot], warmup_ids: Container[int], *, besides: int | None = None
) -> int:
    """The dots a voter has spent: the values of their dots ballots that count, i.e. not skipped
    and not on a warm-up, leaving out the item ``besides`` (the one being re-cast). The one rule
    behind the ballot check (:func:`conflicts.workshops.cast_ballot`) and the phone's "points
    left".

    >>> b = [Ballot(1, 7, 1, "dots", 4, False, None, None),
    ...      Ballot(2, 8, 1, "dots", 3, False, None, None),
    ...      Ballot(3, 9, 1, "dots", None, True, None, None)]
    >>> dots_spent(b, set()), dots_spent(b, {7}), dots_spent(b, set(), besides=8)
    (7, 3, 4)
    """
    return sum(
        b.value or 0
        for b in ballots
        if b.method == "dots"
        and not b.skipped
        and b.item_id not in warmup_ids
        and b.item_id != besides
    )


@dataclass(frozen=True)
class CreatedWorkshop:
    """What :func:`create_workshop` returns: ``facilitator_key`` is shown once (stored hashed);
    ``grant`` lets the creator act as facilitator without giving the key back."""

    workshop: Workshop
    facilitator_key: str
    grant: FacilitatorGrant = field(repr=False)

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


def _code(ref: WorkshopRef) -> str:
    return ref.code if isinstance(ref, Workshop) else normalise_code(ref)


def normalise_code(code: str) -> str:
    """Upper-case and drop spaces/hyphens: what a person types from a projector."""
    return "".join(ch for ch in str(code).upper() if ch not in " -\t")


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


AGENDA_ORDERS = ("catalogue", "strength", "priority")


MAX_PROPOSALS_PER_PARTICIPANT = 3


PROPOSAL_TITLE_MAX = 120


PROPOSAL_TEXT_MAX = 1000


DESCRIPTION_MAX = 2000


QUESTION_MAX = 300


MAX_QUESTIONS = 4


SUMMARY_MAX = 4000


OWNER_MAX = 200


NEXT_STEP_MAX = 1000


TIMER_MAX_S = 24 * 3600


ADDED_ID_PREFIX = "ws-"


WARMUP_ID_PREFIX = "warmup-"


@dataclass(frozen=True)
class Outcome:
    """Notes and the outcome of one agenda item (all fields optional)."""

    item_id: int
    summary: str | None = None
    outcome: str | None = None  # one of OUTCOMES
    owner: str | None = None
    next_step: str | None = None
    due_date: date | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Proposal:
    """A participant's proposal of a missing interaction.

    ``display_name`` is the proposer's name (facilitator views only; never exported)."""

    id: int
    participant_id: int
    title: str
    text: str | None
    from_node: str
    to_node: str
    status: str  # 'pending' | 'accepted' | 'declined' | 'merged'
    merged_into: int | None
    interaction_id: str | None
    created_at: datetime
    display_name: str | None = None


@dataclass(frozen=True)
class TimerState:
    """The timer as the projector shows it (see :func:`timer_state`)."""

    item_id: int | None
    duration_s: int
    remaining_s: int
    paused: bool

    @property
    def running(self) -> bool:
        return not self.paused and self.remaining_s > 0

    @property
    def expired(self) -> bool:
        return self.remaining_s == 0

    @property
    def fraction_left(self) -> float:
        return self.remaining_s / self.duration_s if self.duration_s else 0.0


@dataclass(frozen=True)
class Representation:
    """Who an interaction needs and whether they are in the room.

    ``levels_present``/``actor_types_present`` count the participants per NEEDED level/type
    (0 when missing); ``missing_*`` list the needed ones nobody in the room has declared."""

    interaction_id: str
    needed_actors: tuple[str, ...]
    needed_levels: tuple[str, ...]
    needed_actor_types: tuple[str, ...]
    levels_present: dict[str, int] = field(default_factory=dict, hash=False)
    actor_types_present: dict[str, int] = field(default_factory=dict, hash=False)
    missing_levels: tuple[str, ...] = ()
    missing_actor_types: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing_levels and not self.missing_actor_types


@dataclass(frozen=True)
class RoomComposition:
    """Participants counted by self-declared actor type and decision level."""

    total: int
    by_actor_type: dict[str, int] = field(default_factory=dict, hash=False)
    by_level: dict[str, int] = field(default_factory=dict, hash=False)
    no_actor_type: int = 0
    no_level: int = 0
