"""The catalogue format, declared once.

A catalogue is a YAML file of goals, sub-goals, actors and the interactions between goals (scored on
the Nilsson/ICSU 7-point scale). The pydantic models (:mod:`conflicts.catalogue_model`, re-exported
here) are the single declaration of the
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

import difflib
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ValidationError,
)

from conflicts.catalogue_model import (  # noqa: F401 (the format's names, re-exported)
    _ID_PATTERN,
    DATA_DIR,
    SCALE,
    Actor,
    ActorType,
    Catalogue,
    Confidence,
    DecisionLevel,
    Evidence,
    Goal,
    Identifier,
    Interaction,
    InteractionContext,
    LanguageCode,
    Meta,
    Score,
    Source,
    SubGoal,
    Text,
    TimeHorizon,
    WorkshopOutcome,
    WorkshopRecord,
    _Model,
    _number_to_str,
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
