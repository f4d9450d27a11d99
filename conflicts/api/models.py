"""The API's request and response bodies, declared once: pydantic validates them and
:mod:`conflicts.api.openapi` publishes their JSON Schemas.

Requests forbid unknown fields and take strict types (``"3"`` or ``true`` is not a number); ids
and values are bounded to 32-bit integers so that nothing out of range reaches the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

ItemId = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]
BallotValue = Annotated[StrictInt, Field(ge=-(2**31), le=2**31 - 1)]
ShortText = Annotated[StrictStr, Field(max_length=500)]
Voting = Literal["not_started", "open", "closed"]
ItemKind = Literal["conflict", "synergy", "neutral", "warmup", "matrix"]
NodeId = Annotated[StrictStr, Field(min_length=1, max_length=64)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Response(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Error(_Response):
    """Every 4xx/5xx answer: a stable machine-readable ``error`` code and a ``message`` in the
    request's language (``?lang=`` or ``Accept-Language``; Swedish by default)."""

    error: str = Field(examples=["voting_closed"])
    message: str


class Option(_Response):
    value: int
    label: str


class AgendaEntry(_Response):
    item_id: int
    title: str
    kind: ItemKind
    voting: Voting


class ItemCard(AgendaEntry):
    """An item a phone can vote on: its question and the values a ballot may take (empty for
    ranking, where a ballot orders items instead)."""

    question: str
    options: list[Option]
    nodes: list[str] | None = Field(
        default=None,
        description="A matrix scoring session (kind 'matrix'): its goal and sub-goal ids. Get "
        "the pairs to score from /pairs, send scores to /pair-scores.",
    )


class ItemResult(_Response):
    item_id: int
    ballots: int
    skips: int
    mean: float | None
    median: float | None
    total: int | None
    rank: int | None
    distribution: dict[str, int]


class State(_Response):
    """What every phone sees; public (no names, no keys)."""

    code: str
    title: str
    status: Literal["draft", "open", "closed"]
    revision: int = Field(description="Grows with every facilitator change.")
    tally_revision: int = Field(description="Grows with every join, ballot and proposal.")
    mode: Literal["follow", "free"]
    method: Literal["rating", "dots", "ranking", "score"]
    dot_budget: int
    ranking_size: int
    results_hidden: bool
    agenda: list[AgendaEntry]
    current: ItemCard | None
    open_items: list[ItemCard] = Field(description="Free mode: every item open for voting.")
    tally: list[ItemResult] | None = Field(description="null while results are hidden.")


class JoinRequest(_Request):
    display_name: ShortText | None = None
    actor_type: ShortText | None = None
    level: ShortText | None = None
    participant_code: ShortText | None = None


class ParticipantOut(_Response):
    display_name: str | None
    actor_type: str | None
    level: str | None
    has_participant_code: bool
    joined_at: datetime
    voter_token: str = Field(
        description="The signed voter id (also set as the httpOnly cookie). A client without "
        "cookies sends it back in the X-Voter-Token header."
    )


class BallotRequest(_Request):
    """One ballot. Rating 1..5, score -3..3, dots 0..budget (the voter's total at most the
    budget), a warm-up the index of a goal; or ``skip: true`` without a value. Ranking: send
    ``ranking`` (item ids, most important first, at most ranking_size) and no ``item_id``."""

    item_id: ItemId | None = None
    value: BallotValue | None = None
    skip: StrictBool = False
    ranking: Annotated[list[ItemId], Field(max_length=100)] | None = None


class BallotOut(_Response):
    item_id: int | None
    value: int | None
    skipped: bool
    revision: int
    tally_revision: int
    ranking: list[int] | None = None


class MyBallot(_Response):
    item_id: int
    value: int | None
    skipped: bool
    updated_at: datetime


class MyProposal(_Response):
    title: str
    status: str


class Me(_Response):
    code: str
    participant: ParticipantOut | None
    ballots: list[MyBallot]
    proposals: list[MyProposal]


class StepRequest(_Request):
    """Make ``item_id`` the current item (null: the overview, no item) and, if ``voting`` is
    given, open or close its voting. A draft workshop is opened first."""

    item_id: ItemId | None
    voting: Literal["open", "closed"] | None = None


class Revision(_Response):
    code: str
    revision: int
    tally_revision: int


class PairCard(_Response):
    """One ordered pair of a matrix scoring session: how progress on ``from_node`` affects
    progress on ``to_node``, on −3..+3 (``options``)."""

    item_id: int
    from_node: str
    to_node: str
    from_title: str
    to_title: str
    question: str
    options: list[Option]


class Pairs(_Response):
    """The caller's next pairs of a session (none once ``answered`` reaches ``quota``)."""

    item_id: int
    answered: int = Field(description="Pairs the caller has scored or skipped in the session.")
    quota: int = Field(description="Pairs dealt to each participant.")
    pairs: list[PairCard]


class PairScoreRequest(_Request):
    """A score of one ordered pair of an open matrix session: ``value`` −3..+3, or ``skip``;
    ``rationale`` optional, at most 280 characters. Sending it again stores it once; another
    value replaces it."""

    item_id: ItemId
    from_node: NodeId
    to_node: NodeId
    value: BallotValue | None = None
    skip: StrictBool = False
    rationale: Annotated[StrictStr, Field(max_length=2000)] | None = None


class PairScoreOut(_Response):
    item_id: int
    from_node: str
    to_node: str
    value: int | None
    skipped: bool
    rationale: str | None
    answered: int
    quota: int
    revision: int
    tally_revision: int
    next_pairs: list[PairCard] = Field(
        default_factory=list,
        description="The caller's next pair (as GET /pairs would deal it), so that a phone "
        "needs one request per pair; empty once the quota is answered.",
    )


REQUESTS = (JoinRequest, BallotRequest, StepRequest, PairScoreRequest)
RESPONSES = (Error, State, ParticipantOut, BallotOut, Me, Revision, Pairs, PairScoreOut)
