"""The catalogue format's pydantic models: the single declaration of the format.

Validation, the JSON Schema and the documentation derive from these models. Loading a file (with
every problem's line and column) is :mod:`conflicts.catalogue`, which re-exports every name here:
import from there.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, RootModel

from conflicts.tally import SCORE_SCALE

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

#: The Nilsson/ICSU 7-point interaction scale: score -> (Swedish, English) name.
SCALE: dict[int, tuple[str, str]] = {
    -3: ("omöjliggörande", "cancelling"),
    -2: ("motverkande", "counteracting"),
    -1: ("begränsande", "constraining"),
    0: ("förenligt", "consistent"),
    1: ("möjliggörande", "enabling"),
    2: ("förstärkande", "reinforcing"),
    3: ("odelbart", "indivisible"),
}

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
Identifier = Annotated[
    str,
    Field(pattern=_ID_PATTERN, max_length=64, description="Letters, digits, '_', '.', '-'."),
]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2}$", description="ISO 639-1 code")]
#: An interaction's score, -3..+3 (:data:`conflicts.tally.SCORE_SCALE`); ``True`` is no score.
Score = Annotated[int, Field(ge=SCORE_SCALE[0], le=SCORE_SCALE[1], strict=True)]


def _number_to_str(value: Any) -> Any:
    # YAML reads `version: 1.0` as a float; a version is a label, so accept it as text.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


class ActorType(StrEnum):
    municipality = "municipality"
    region = "region"
    state_agency = "state_agency"
    government = "government"
    parliament = "parliament"
    business = "business"
    academia = "academia"
    civil_society = "civil_society"
    citizens = "citizens"
    eu = "eu"
    international = "international"
    other = "other"


class DecisionLevel(StrEnum):
    local = "local"
    regional = "regional"
    national = "national"
    eu = "eu"
    international = "international"


class Text(RootModel[str | dict[LanguageCode, str]]):
    """A text in one or several languages: a plain string, or ``{sv: ..., en: ...}``.

    A plain string is only allowed when the catalogue declares a single language.
    """

    def get(self, lang: str, fallback: tuple[str, ...] = ("sv", "en")) -> str:
        """The text in ``lang``, else in the first fallback language present, else any."""
        if isinstance(self.root, str):
            return self.root
        for code in (lang, *fallback):
            if self.root.get(code):
                return self.root[code]
        return next(iter(self.root.values()), "")

    def languages(self) -> set[str] | None:
        """The languages present, or None for a plain (language-less) string."""
        return None if isinstance(self.root, str) else set(self.root)

    def __str__(self) -> str:
        return self.get("sv")


class _Model(BaseModel):
    # Unknown keys are errors: a typo such as `scroe:` must not pass silently.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Source(_Model):
    id: Identifier | None = None
    title: str
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")


class Meta(_Model):
    title: Text
    plan: Text | None = None
    region: Text | None = None
    description: Text | None = None
    languages: list[LanguageCode] = Field(default_factory=lambda: ["sv"], min_length=1)
    version: Annotated[str, BeforeValidator(_number_to_str)] = "1"
    sources: list[Source] = Field(default_factory=list)
    licence: str | None = None


class SubGoal(_Model):
    id: Identifier
    title: Text
    description: Text | None = None
    target: Text | None = None
    indicator: Text | None = None
    paraphrase: bool = Field(
        default=False, description="True when the title paraphrases rather than quotes the plan."
    )


class Goal(_Model):
    id: Identifier
    title: Text
    description: Text | None = None
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$", description="Hex colour, e.g. '#0072B2'.")
    subgoals: list[SubGoal] = Field(default_factory=list)


class Actor(_Model):
    id: Identifier
    name: Text
    type: ActorType
    level: DecisionLevel


class Evidence(_Model):
    text: Text
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    source: str | None = None


class TimeHorizon(StrEnum):
    """When an interaction plays out (ICSU 2017: time is a key dimension of an interaction)."""

    short = "short"  # within a plan period, a few years
    medium = "medium"  # about a decade
    long = "long"  # decades; often hard to reverse


class Confidence(StrEnum):
    """How sure the compilers are of the score (ICSU 2017 notes the state of the evidence)."""

    high = "high"  # robust evidence, sources agree
    medium = "medium"  # some evidence, or sources partly disagree
    low = "low"  # little evidence, or contested


class InteractionContext(_Model):
    """Optional context of an interaction, after the key dimensions of ICSU (2017) "A Guide to
    SDG Interactions": the same pair of goals can interact differently depending on time,
    place and governance, and the evidence can be strong or weak."""

    time_horizon: TimeHorizon | None = Field(
        default=None, description="short (a few years), medium (about a decade), long (decades)."
    )
    geography: Text | None = Field(
        default=None, description="Where the interaction holds, e.g. the dense core vs the rest."
    )
    governance: Text | None = Field(
        default=None,
        description="Which policies, rules or institutions shape the interaction.",
    )
    confidence: Confidence | None = Field(
        default=None, description="high, medium or low confidence in the score."
    )


#: The outcomes a workshop can record for an interaction (the same as conflicts.store.OUTCOMES).
WorkshopOutcome = Literal["resolved", "needs_analysis", "escalate", "invite_missing", "parked"]


class WorkshopRecord(_Model):
    """What one workshop recorded about an interaction: written back into the catalogue by
    ``python -m conflicts workshop export CODE --format yaml`` so the next round starts from it.
    Texts are plain (the language they were written in)."""

    workshop: str = Field(description="The workshop's join code.")
    title: str | None = Field(default=None, description="The workshop's title.")
    date: dt.date | None = Field(default=None, description="The day the workshop was created.")
    outcome: WorkshopOutcome | None = None
    summary: str | None = Field(default=None, description="The facilitator's notes.")
    next_step: str | None = None
    owner: str | None = None
    due_date: dt.date | None = None
    method: str | None = Field(default=None, description="The voting method used.")
    ballots: int | None = Field(default=None, ge=0)
    rank: int | None = Field(default=None, ge=1, description="The room's priority (1 = first).")
    mean: float | None = Field(default=None, description="The room's mean on the method's scale.")
    consensus: float | None = Field(default=None, ge=0, le=1, description="Tastle-Wierman, 0..1.")
    # A matrix scoring session (method 'matrix'): the room's scores of one ordered pair.
    pair: str | None = Field(
        default=None, description="Matrix scoring: the pair scored, 'from>to' (node ids)."
    )
    median: float | None = Field(
        default=None, ge=-3, le=3, description="Matrix scoring: the room's median, -3..+3."
    )
    spread: float | None = Field(
        default=None, ge=0, le=6, description="Matrix scoring: the interquartile range Q3-Q1."
    )
    proposed_score: Score | None = Field(
        default=None,
        description="Matrix scoring: the median rounded to the scale (halves toward 0), "
        "proposed as the interaction's score; the score itself is left as it was.",
    )
    rationales: list[str] = Field(
        default_factory=list, description="Matrix scoring: the participants' rationales."
    )


class Interaction(_Model):
    id: Identifier
    from_: Identifier = Field(alias="from")
    to: Identifier
    score: Score
    direction: Literal["directed", "mutual"] = "directed"
    title: Text
    description: Text | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    actors: list[Identifier] = Field(default_factory=list)
    levels: list[DecisionLevel] = Field(default_factory=list)
    questions: list[Text] = Field(
        default_factory=list, max_length=4, description="2-4 open questions for dialogue."
    )
    tags: list[str] = Field(default_factory=list)
    illustrative: bool = Field(
        default=False,
        description="True when the score is illustrative, not from a published matrix.",
    )
    context: InteractionContext | None = Field(
        default=None,
        description="Optional ICSU context: time horizon, geography, governance, confidence.",
    )
    history: list[WorkshopRecord] = Field(
        default_factory=list,
        description="What earlier workshops recorded about this interaction (written back).",
    )

    @property
    def is_conflict(self) -> bool:
        return self.score < 0

    @property
    def is_synergy(self) -> bool:
        return self.score > 0


class Catalogue(_Model):
    """A whole catalogue.

    Build it with :func:`parse_catalogue` or :func:`load_catalogue`, which also check the
    cross-references (unknown and duplicate ids, self-loops, translations) that the field types
    alone cannot express.
    """

    meta: Meta
    goals: list[Goal] = Field(min_length=1)
    actors: list[Actor] = Field(default_factory=list)
    interactions: list[Interaction] = Field(default_factory=list)
    positions: dict[Identifier, tuple[float, float]] = Field(
        default_factory=dict, description="Optional saved node positions, x and y."
    )

    # --- look-ups (cached: the model is frozen) -------------------------------------------
    @cached_property
    def nodes(self) -> dict[str, Goal | SubGoal]:
        """Every goal and sub-goal by id, goals first, in file order."""
        out: dict[str, Goal | SubGoal] = {g.id: g for g in self.goals}
        for g in self.goals:
            out.update({s.id: s for s in g.subgoals})
        return out

    @cached_property
    def goal_of(self) -> dict[str, str]:
        """Node id -> id of its goal (a goal maps to itself)."""
        out = {g.id: g.id for g in self.goals}
        for g in self.goals:
            out.update({s.id: g.id for s in g.subgoals})
        return out

    @cached_property
    def goals_by_id(self) -> dict[str, Goal]:
        return {g.id: g for g in self.goals}

    @cached_property
    def actors_by_id(self) -> dict[str, Actor]:
        return {a.id: a for a in self.actors}

    @cached_property
    def interactions_by_id(self) -> dict[str, Interaction]:
        return {i.id: i for i in self.interactions}

    @property
    def subgoals(self) -> list[SubGoal]:
        return [s for g in self.goals for s in g.subgoals]

    @property
    def conflicts(self) -> list[Interaction]:
        return [i for i in self.interactions if i.is_conflict]

    @property
    def synergies(self) -> list[Interaction]:
        return [i for i in self.interactions if i.is_synergy]

    def counts(self) -> dict[str, int]:
        """The summary counts that ``validate --json`` reports."""
        return {
            "goals": len(self.goals),
            "subgoals": len(self.subgoals),
            "actors": len(self.actors),
            "interactions": len(self.interactions),
            "conflicts": len(self.conflicts),
            "synergies": len(self.synergies),
        }

    @property
    def languages(self) -> list[str]:
        return list(self.meta.languages)

    def text(self, value: Text | None, lang: str) -> str:
        """Render a catalogue text in ``lang`` (falling back to the catalogue's languages)."""
        return "" if value is None else value.get(lang, tuple(self.meta.languages))
