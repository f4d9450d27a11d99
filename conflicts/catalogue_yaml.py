"""Reading catalogue YAML safely and with positions: the shape checks that refuse hostile files
before anything is built (aliases, size, depth, long texts), the index from a path in the document
to its line and column, and pydantic's complaints in words a catalogue author reads.

:mod:`conflicts.catalogue` (the format) uses these to report every problem as ``FILE:LINE:COL``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from conflicts.errors import CatalogueError, Problem

#: A path in the document: keys and list indexes from the root.
Path_ = tuple[str | int, ...]


def _fmt_path(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --------------------------------------------------------------------------------------------
# YAML with positions
# --------------------------------------------------------------------------------------------
# libyaml's parser (when PyYAML was built with it) is ~5x faster and reports the same marks.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class _Positions:
    """Maps a path in the document to the (line, column) of its value, 1-based."""

    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def find(self, path: Path_) -> tuple[int, int]:
        # A missing field has no position of its own: point at the nearest existing parent.
        for n in range(len(path), -1, -1):
            if path[:n] in self.marks:
                return self.marks[path[:n]]
        return (1, 1)


def _index_nodes(node: yaml.Node, path: Path_, pos: _Positions, dupes: list) -> None:
    pos.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                dupes.append(
                    (
                        (*path, key),
                        (key_node.start_mark.line + 1, key_node.start_mark.column + 1),
                    )
                )
            seen.add(key)
            _index_nodes(value_node, (*path, key), pos, dupes)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_nodes(item, (*path, i), pos, dupes)


# Bounds for what one catalogue may hold, checked on the parser's event stream before anything is
# built: the SDG catalogue (169 targets) has ~7,100 nodes, depth 6, longest text 629 characters,
# 100 kB, so these leave ample room for real catalogues while a hostile file is refused in
# milliseconds with bounded memory.
MAX_CATALOGUE_BYTES = 2 * 1024 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 16
MAX_TEXT_LENGTH = 20_000
_MAX_ALIAS_PROBLEMS = 20


def _check_shape(text: str, filename: str) -> None:
    """Refuse aliases and oversized documents before the YAML is composed or loaded.

    A YAML alias (``*name``) repeats a node by reference, so seven levels of ten aliases each
    expand to ten million nodes when a loader or validator walks them (the "billion laughs"): a
    592-byte file took the server to 4.6 GB. A catalogue has no use for aliases or merge keys,
    so they are refused outright, and the document's node count, nesting depth and text lengths
    are capped. Raises :class:`CatalogueError` naming the offending line and column.

    Examples
    --------
    >>> _check_shape("a: &x [1]\\nb: *x\\n", "bad.yaml")
    Traceback (most recent call last):
    ...
    conflicts.errors.CatalogueError: bad.yaml:2:4: YAML aliases (*x) are not allowed in a catalogue: write the value out
    """
    if len(text) > MAX_CATALOGUE_BYTES:
        raise CatalogueError(
            [
                Problem(
                    filename,
                    1,
                    1,
                    "",
                    f"the file is too large ({len(text):,} characters; at most "
                    f"{MAX_CATALOGUE_BYTES:,})",
                )
            ]
        )
    problems: list[Problem] = []
    nodes = depth = 0
    for event in yaml.parse(text, Loader=_YAML_LOADER):
        mark = event.start_mark
        where = (filename, mark.line + 1, mark.column + 1, "")
        if isinstance(event, yaml.AliasEvent):
            problems.append(
                Problem(
                    *where,
                    f"YAML aliases (*{event.anchor}) are not allowed in a catalogue: "
                    "write the value out",
                )
            )
            if len(problems) >= _MAX_ALIAS_PROBLEMS:
                break
            continue
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                problems.append(
                    Problem(*where, f"nested too deeply (more than {MAX_DEPTH} levels)")
                )
                break
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
            continue
        elif isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_TEXT_LENGTH:
            problems.append(
                Problem(
                    *where,
                    f"a text of {len(event.value):,} characters is too long "
                    f"(at most {MAX_TEXT_LENGTH:,})",
                )
            )
            break
        if isinstance(event, yaml.ScalarEvent | yaml.MappingStartEvent | yaml.SequenceStartEvent):
            nodes += 1
            if nodes > MAX_NODES:
                problems.append(
                    Problem(*where, f"too many entries (more than {MAX_NODES:,} values)")
                )
                break
    if problems:
        raise CatalogueError(problems)


def _pydantic_message(err: dict) -> str:
    kind, msg, value = err["type"], err["msg"], err.get("input")
    if kind in ("greater_than_equal", "less_than_equal") and err["loc"][-1:] == ("score",):
        return f"score must be between -3 and +3 (got {value!r})"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    if kind == "string_pattern_mismatch":
        if err["loc"][-1:] == ("colour",):
            return f"invalid colour {value!r}: expected a hex colour such as '#0072B2'"
        if err["loc"][-1:] == ("url",):
            return f"invalid URL {value!r}: expected http:// or https://"
        return f"invalid value {value!r}: {msg[0].lower() + msg[1:]}"
    if kind == "enum":
        return f"invalid value {value!r}: {msg[0].lower() + msg[1:]}"
    if isinstance(value, dict | list) and kind.endswith("_type"):
        return f"{msg} (got a {type(value).__name__})"
    return f"{msg} (got {value!r})" if kind.endswith(("_type", "_parsing")) else msg
