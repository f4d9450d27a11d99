"""The catalogue format, declared once.

A catalogue is a YAML file of goals, sub-goals, actors and the interactions between goals (scored on
the Nilsson/ICSU 7-point scale). The pydantic models below are the single declaration of the
format: validation, the JSON Schema (``python -m conflicts schema``) and the documentation all derive
from them.

Loading reports *every* problem at once, each with file, line and column, compiler style::

    data/broken.yaml:14:12: interactions[0].score: must be between -3 and +3 (got 5)

Examples
--------
>>> cat = parse_catalogue('''
... meta: {title: Demo, version: "1", languages: [en]}
... goals:
...   - {id: g1, title: Growth, colour: "#1f77b4"}
...   - {id: g2, title: Climate, colour: "#ff7f0e"}
... interactions:
...   - {id: i1, from: g1, to: g2, score: -2, title: Growth vs climate}
... ''', "demo.yaml")
>>> [i.id for i in cat.conflicts]
['i1']
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    ValidationError,
)

from conflicts.catalogue_yaml import (  # noqa: F401  (MAX_*: part of this module's API)
    _YAML_LOADER,
    MAX_CATALOGUE_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    MAX_TEXT_LENGTH,
    Path_,
    _check_shape,
    _fmt_path,
    _index_nodes,
    _Positions,
    _pydantic_message,
)
from conflicts.errors import CatalogueError, Problem
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


# --------------------------------------------------------------------------------------------
# Cross-reference checks: pure over the model, returning (path, message) pairs.
# --------------------------------------------------------------------------------------------


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _text_fields(model: type[BaseModel]) -> Iterator[tuple[str, str, type | None]]:
    """(key, kind, sub-model) for the fields of ``model`` that hold texts or nested models.

    kind is 'text', 'texts' (list of Text), 'model' or 'models'. Derived from the declarations, so
    a new Text field is checked for translations without touching this code.
    """
    for name, info in model.model_fields.items():
        key = info.alias or name
        ann = info.annotation
        base = ann
        if typing.get_origin(ann) in (typing.Union, types.UnionType):  # Optional[X] -> X
            base = next(a for a in typing.get_args(ann) if a is not type(None))
        if base is Text:
            yield key, "text", None
        elif typing.get_origin(base) is list:
            item = typing.get_args(base)[0]
            if item is Text:
                yield key, "texts", None
            elif isinstance(item, type) and issubclass(item, BaseModel):
                yield key, "models", item
        elif isinstance(base, type) and issubclass(base, BaseModel):
            yield key, "model", base


def _walk_texts(model: type[BaseModel], data: Any, path: Path_) -> Iterator[tuple[Path_, Any]]:
    """Every raw text value in ``data`` (parsed YAML) that ``model`` declares as a Text."""
    if not isinstance(data, dict):
        return
    for key, kind, sub in _text_fields(model):
        value = data.get(key)
        if value is None:
            continue
        if kind == "text":
            yield (*path, key), value
        elif kind == "model":
            yield from _walk_texts(sub, value, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if kind == "texts":
                    yield (*path, key, i), item
                else:
                    yield from _walk_texts(sub, item, (*path, key, i))


def _items(data: dict, key: str) -> list[tuple[int, dict]]:
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _cross_check(data: dict) -> list[tuple[Path_, str]]:
    """Cross-reference problems in raw parsed YAML.

    Works on the raw data rather than the model so that it runs even when some fields fail the
    schema: the user sees every problem at once. Three passes, in this order: duplicate ids,
    references to unknown ids, and texts against the declared languages.
    """
    problems: list[tuple[Path_, str]] = []
    known_nodes, known_actors = _check_ids(data, problems)
    _check_references(data, known_nodes, known_actors, problems)
    _check_languages(data, problems)
    return problems


def _unique(items: list[tuple[Path_, Any]], kind: str, problems: list) -> list[str]:
    """The distinct string ids of ``items``; each repeat is added to ``problems``."""
    seen: dict[str, Path_] = {}
    for path, ident in items:
        if not isinstance(ident, str):
            continue
        if ident in seen:
            first = _fmt_path(seen[ident])
            problems.append(((*path, "id"), f"duplicate {kind} id '{ident}' (first at {first})"))
        else:
            seen[ident] = path
    return list(seen)


def _check_ids(data: dict, problems: list) -> tuple[list[str], list[str]]:
    """Duplicate ids of nodes (goals and sub-goals share one namespace), actors, interactions;
    returns the known node and actor ids."""
    node_items: list[tuple[Path_, Any]] = []
    for gi, goal in _items(data, "goals"):
        node_items.append((("goals", gi), goal.get("id")))
        node_items += [
            (("goals", gi, "subgoals", si), sub.get("id")) for si, sub in _items(goal, "subgoals")
        ]
    known_nodes = _unique(node_items, "goal/sub-goal", problems)
    known_actors = _unique(
        [(("actors", i), a.get("id")) for i, a in _items(data, "actors")], "actor", problems
    )
    _unique(
        [(("interactions", i), x.get("id")) for i, x in _items(data, "interactions")],
        "interaction",
        problems,
    )
    return known_nodes, known_actors


def _check_references(
    data: dict, known_nodes: list[str], known_actors: list[str], problems: list
) -> None:
    """Interaction ends, self-loops, interaction actors and positions that name unknown ids."""
    for i, x in _items(data, "interactions"):
        for end in ("from", "to"):
            ref = x.get(end)
            if isinstance(ref, str) and ref not in known_nodes:
                problems.append(
                    (
                        ("interactions", i, end),
                        f"unknown goal or sub-goal id '{ref}'{_suggest(ref, known_nodes)}",
                    )
                )
        if isinstance(x.get("from"), str) and x.get("from") == x.get("to"):
            problems.append(
                (("interactions", i, "to"), f"self-loop: '{x['from']}' interacts with itself")
            )
        actors = x.get("actors")
        for a, actor in enumerate(actors if isinstance(actors, list) else []):
            if isinstance(actor, str) and actor not in known_actors:
                problems.append(
                    (
                        ("interactions", i, "actors", a),
                        f"unknown actor id '{actor}'{_suggest(actor, known_actors)}",
                    )
                )
    positions = data.get("positions")
    for node in positions if isinstance(positions, dict) else {}:
        if node not in known_nodes:
            problems.append((("positions", node), f"position for unknown node id '{node}'"))


def _check_languages(data: dict, problems: list) -> None:
    """Every text against ``meta.languages``: one text per declared language, none undeclared,
    none empty (nothing to check when no language is declared)."""
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    languages = meta.get("languages", ["sv"])
    declared = (
        {x for x in languages if isinstance(x, str)} if isinstance(languages, list) else set()
    )
    if not declared:
        return
    listed = ", ".join(sorted(declared))
    for path, text in _walk_texts(Catalogue, data, ()):
        if isinstance(text, str):
            if len(declared) > 1:
                problems.append(
                    (
                        path,
                        f"plain text, but the catalogue declares languages {listed}: "
                        f"give one text per language ({listed})",
                    )
                )
            continue
        if not isinstance(text, dict):
            continue  # a type error, reported by the schema
        for lang in sorted(declared - set(text)):
            problems.append((path, f"missing translation '{lang}'"))
        for lang in sorted(set(text) - declared, key=str):
            problems.append(((*path, lang), f"language '{lang}' is not declared in meta.languages"))
        for lang, value in text.items():
            if isinstance(value, str) and not value.strip():
                problems.append(((*path, lang), "empty text"))


def parse_catalogue(text: str, filename: str = "<catalogue>") -> Catalogue:
    """Parse and validate catalogue YAML; raise :class:`CatalogueError` with every problem."""
    problems: list[Problem] = []

    def problem(path: Path_, line: int, col: int, message: str) -> None:
        problems.append(Problem(filename, line, col, _fmt_path(path), message))

    try:
        _check_shape(text, filename)
        root = yaml.compose(text, Loader=_YAML_LOADER)
        data = yaml.load(text, Loader=_YAML_LOADER) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = f"YAML syntax error: {exc.problem or exc.context}"
        if exc.context and exc.problem:
            message += f" ({exc.context})"
        raise CatalogueError([Problem(filename, line, col, "", message)]) from None
    except yaml.YAMLError as exc:  # e.g. a control character: no mark
        raise CatalogueError([Problem(filename, 0, 0, "", f"YAML error: {exc}")]) from None

    if root is None:
        raise CatalogueError([Problem(filename, 1, 1, "", "the file is empty")])
    if not isinstance(data, dict):
        raise CatalogueError(
            [Problem(filename, 1, 1, "", "the top level must be a mapping with meta, goals, ...")]
        )

    pos = _Positions()
    dupes: list = []
    _index_nodes(root, (), pos, dupes)
    for path, (line, col) in dupes:
        problem(path, line, col, "duplicate key (the later value would silently win)")

    for path, message in _cross_check(data):
        line, col = pos.find(path)
        problem(path, line, col, message)

    try:
        catalogue = Catalogue.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            # A RootModel/union adds synthetic parts like 'str' or 'dict[...]' to loc: drop them.
            loc = tuple(
                p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p == "str"))
            )
            line, col = pos.find(loc)
            problem(loc, line, col, _pydantic_message(err))
    if problems:
        raise CatalogueError(_dedupe(problems))
    return catalogue


def _dedupe(problems: list[Problem]) -> list[Problem]:
    # A union type (Text) reports one error per alternative; keep the first per path.
    seen: set[tuple[str, str]] = set()
    out = []
    for p in sorted(problems):
        if (p.path, p.message) in seen:
            continue
        seen.add((p.path, p.message))
        out.append(p)
    return out


def load_catalogue(path: str | Path) -> Catalogue:
    """Load and validate a catalogue file; raise :class:`CatalogueError` with every problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(
            [Problem(str(path), 0, 0, "", f"cannot read file: {exc.strerror}")]
        ) from None
    return parse_catalogue_bytes(raw, str(path))


def parse_catalogue_bytes(raw: bytes, filename: str) -> Catalogue:
    """Like :func:`parse_catalogue` for raw bytes (an upload): the text must be UTF-8."""
    if len(raw) > MAX_CATALOGUE_BYTES:  # refused before decoding a huge upload
        raise CatalogueError(
            [
                Problem(
                    filename,
                    1,
                    1,
                    "",
                    f"the file is too large ({len(raw):,} bytes; at most {MAX_CATALOGUE_BYTES:,})",
                )
            ]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CatalogueError(
            [Problem(filename, line, col, "", "the file is not UTF-8 text (save it as UTF-8)")]
        ) from None
    return parse_catalogue(text, filename)


@dataclass
class ValidationResult:
    """The outcome of validating one file, as ``validate --json`` reports it."""

    file: str
    catalogue: Catalogue | None
    problems: list[Problem]

    @property
    def valid(self) -> bool:
        return self.catalogue is not None and not self.problems

    def as_dict(self) -> dict:
        counts = (
            self.catalogue.counts()
            if self.catalogue
            else dict.fromkeys(
                ("goals", "subgoals", "actors", "interactions", "conflicts", "synergies"), 0
            )
        )
        return {
            "file": self.file,
            "valid": self.valid,
            "errors": [p.as_dict() for p in self.problems],
            **counts,
        }


def validate_file(path: str | Path) -> ValidationResult:
    """Validate one file without raising."""
    try:
        return ValidationResult(str(path), load_catalogue(path), [])
    except CatalogueError as exc:
        return ValidationResult(str(path), None, exc.problems)


def json_schema() -> dict:
    """The JSON Schema of the catalogue format, for editors (``python -m conflicts schema``)."""
    schema = Catalogue.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Målkonflikt catalogue"
    return schema


def bundled_catalogues() -> dict[str, Path]:
    """The catalogues shipped in ``data/``, by file stem (the template excluded)."""
    return {
        p.stem: p for p in sorted(DATA_DIR.glob("*.yaml")) if not re.match(r"^(template|_)", p.stem)
    }


TEMPLATE_PATH = DATA_DIR / "template.yaml"
DEFAULT_CATALOGUE = "stockholm"
