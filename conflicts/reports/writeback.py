"""The catalogue written back: the workshop's snapshot YAML with its additions merged in.

``python -m conflicts workshop export CODE --format yaml`` prints the catalogue the workshop ran on
(the snapshot taken when it was created), edited in place so that the next round starts from it:

- the interactions added in the workshop (by the facilitator, or accepted from participants'
  proposals; ids ``ws-1``, ``ws-2``, ...; proposals tagged ``proposed``) are appended to
  ``interactions:``, after a comment naming the workshop;
- what its matrix scoring sessions found (cells with at least 3 scores): a history record on
  the interaction of that pair, or a new proposed interaction where the catalogue has none
  (:mod:`conflicts.reports.matrix_writeback`);
- what the workshop recorded about each interaction (outcome, notes, owner, next step, due date,
  and the room's rank, mean, consensus and number of ballots) is appended to that interaction's
  ``history:`` list (:class:`conflicts.catalogue.WorkshopRecord`); an item gets a record when it
  has an outcome/notes or at least one ballot.

Nothing else changes: the edit is a `ruamel.yaml <https://yaml.readthedocs.io>`_ round trip, so
comments, key order, quoting, folded texts and the file's indentation are kept. The result is
validated with :func:`conflicts.catalogue.parse_catalogue` before it is returned, so it always
passes ``python -m conflicts validate``. It carries no voter ids or names (proposals are
anonymous in the export; the facilitator's notes are written as they were typed).

Examples
--------
>>> snapshot = '''# my catalogue
... meta: {title: Demo, languages: [en]}
... goals:
...   - {id: g1, title: Growth, colour: "#0072B2"}
...   - {id: g2, title: Climate, colour: "#009E73"}
... interactions:
...   - id: i1   # the classic
...     from: g1
...     to: g2
...     score: -2
...     title: Growth vs climate
... '''
>>> from types import SimpleNamespace as NS
>>> from datetime import datetime
>>> from conflicts.tally import ItemTally
>>> from conflicts.workshops import AddedInteraction, ItemRecord, Outcome, OutcomeRecord
>>> snap = NS(  # a stand-in for conflicts.workshops.snapshot(...): the fields read here
...     workshop=NS(code="ACD347", title="Round 1", method="rating", catalogue_name="demo",
...                 catalogue_yaml=snapshot, created_at=datetime(2025, 3, 1, 9)),
...     items=[ItemRecord(ItemTally(1, "i1", 1, "closed", ballots=3, rank=1, mean=4.333,
...                                 consensus=0.81), "Growth vs climate", "g1", "g2", "catalogue")],
...     outcomes=[OutcomeRecord(Outcome(1, outcome="needs_analysis", owner="Region"), 1, "i1")],
...     added=[AddedInteraction("ws-1", "proposal", 1, {"id": "ws-1", "from": "g2", "to": "g1",
...             "score": -1, "title": {"en": "Noise"}, "tags": ["proposed"]})])
>>> print(writeback_yaml(snap))  # doctest: +NORMALIZE_WHITESPACE
# my catalogue
meta: {title: Demo, languages: [en]}
goals:
  - {id: g1, title: Growth, colour: "#0072B2"}
  - {id: g2, title: Climate, colour: "#009E73"}
interactions:
  - id: i1   # the classic
    from: g1
    to: g2
    score: -2
    title: Growth vs climate
    history:
      - workshop: ACD347
        title: Round 1
        date: 2025-03-01
        outcome: needs_analysis
        owner: Region
        method: rating
        ballots: 3
        rank: 1
        mean: 4.33
        consensus: 0.81
  # Added in workshop ACD347 (2025-03-01), from a participant's proposal
  - id: ws-1
    from: g2
    to: g1
    score: -1
    title: Noise
    tags: [proposed]
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from conflicts.catalogue import Interaction, WorkshopRecord, parse_catalogue
from conflicts.reports.matrix_writeback import matrix_writeback
from conflicts.workshops import WorkshopSnapshot

__all__ = ["workshop_records", "writeback_yaml"]

_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*:\s*(#.*)?$")
_NESTED = re.compile(r"^( +)[^\s#-]")
_ORIGIN_NOTE = {
    "proposal": "from a participant's proposal",
    "facilitator": "added by the facilitator",
}


def _mapping_indent(text: str) -> int:
    """The indentation of the first nested mapping key under a top-level key (default 2)."""
    after_top = False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _NESTED.match(line)
        if after_top and m:
            return len(m.group(1))
        after_top = bool(_TOP_KEY.match(line))
    return 2


def _yaml_for(text: str) -> YAML:
    """A round-trip YAML that writes with the same indentation as ``text``."""
    try:
        _, seq_indent, offset = load_yaml_guess_indent(text)
    except Exception:  # pragma: no cover - parse errors are reported by the real load
        seq_indent, offset = 2, 0
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap existing lines
    y.indent(mapping=_mapping_indent(text), sequence=seq_indent or 2, offset=offset or 0)
    return y


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value).date()
        except ValueError:
            return None
    return None


def _text_value(value: str) -> str:
    """A user text as a YAML scalar: a literal block when it has several lines."""
    if "\n" in value.strip("\n") and not value.startswith((" ", "\t")) and "\r" not in value:
        return LiteralScalarString(value)
    return value


def workshop_records(snap: WorkshopSnapshot) -> dict[str, list[dict]]:
    """Interaction id -> the records (plain dicts, :class:`~conflicts.catalogue.WorkshopRecord`
    fields, None left out) this workshop adds to its ``history``: every interaction item with
    ballots or a recorded outcome."""
    w = snap.workshop
    outcomes = {o.outcome.item_id: o.outcome for o in snap.outcomes}
    out: dict[str, list[dict]] = {}
    for rec in snap.items:
        it = rec.tally
        o = outcomes.get(it.item_id)
        recorded = {
            k: getattr(o, k, None) for k in ("outcome", "summary", "next_step", "owner", "due_date")
        }
        if not any(recorded.values()) and not it.ballots:
            continue
        record = {
            "workshop": w.code,
            "title": w.title or None,
            "date": _day(w.created_at),
            **recorded,
            "method": w.method,
            "ballots": it.ballots,
            "rank": it.rank,
            "mean": None if it.mean is None else round(it.mean, 2),
            "consensus": None if it.consensus is None else round(it.consensus, 3),
        }
        record = {k: v for k, v in record.items() if v is not None and v != ""}
        WorkshopRecord.model_validate(record)  # the catalogue format accepts it
        out.setdefault(it.interaction_id, []).append(record)
    return out


def _flow_texts(interactions: Any) -> bool:
    """Whether the catalogue writes interaction titles as flow maps ``{sv: ..., en: ...}``."""
    for m in interactions if isinstance(interactions, list) else []:
        title = m.get("title") if isinstance(m, dict) else None
        if isinstance(title, CommentedMap):
            return bool(title.fa.flow_style())
    return False


def _text_node(value: Any, languages: list[str], flow: bool) -> Any:
    """A Text payload as YAML: a plain string for a one-language catalogue, else a map."""
    if isinstance(value, dict):
        if len(languages) == 1 and set(value) <= set(languages) and len(value) == 1:
            return _text_value(next(iter(value.values())))
        keys = [k for k in languages if k in value] + [k for k in value if k not in languages]
        m = CommentedMap((k, _text_value(value[k])) for k in keys)
        if flow and not any("\n" in str(v) for v in value.values()):
            m.fa.set_flow_style()
        return m
    return _text_value(value) if isinstance(value, str) else value


def _interaction_node(payload: Mapping[str, Any], languages: list[str], flow: bool) -> CommentedMap:
    """An added interaction as a YAML map, keys in the catalogue format's field order."""
    order = [f.alias or name for name, f in Interaction.model_fields.items()]
    m = CommentedMap()
    for key in [*order, *(k for k in payload if k not in order)]:
        if key not in payload:
            continue
        value = payload[key]
        if key in ("title", "description"):
            value = _text_node(value, languages, flow)
        elif key == "questions":
            value = CommentedSeq(_text_node(q, languages, flow) for q in value)
        elif isinstance(value, list):
            if not value and key == "tags":
                continue
            seq = CommentedSeq(value)
            if all(isinstance(v, str) for v in value):
                seq.fa.set_flow_style()
            value = seq
        m[key] = value
    return m


def _history_node(records: list[dict]) -> CommentedSeq:
    seq = CommentedSeq()
    for r in records:
        seq.append(
            CommentedMap((k, _text_value(v) if isinstance(v, str) else v) for k, v in r.items())
        )
    return seq


def writeback_yaml(
    snap: WorkshopSnapshot, *, filename: str | None = None, catalogue_yaml: str | None = None
) -> str:
    """The snapshot ``catalogue_yaml`` with the workshop's added interactions appended and its
    records merged into each interaction's ``history`` (see the module docstring).

    ``snap`` is the workshop's :func:`~conflicts.workshops.snapshot` (its catalogue text, items,
    outcomes and added interactions). ``catalogue_yaml`` writes into another text instead (a
    series writes every room into one catalogue). Raises
    :class:`~conflicts.errors.CatalogueError` if the result would not validate (it always should).
    """
    w = snap.workshop
    catalogue_yaml = w.catalogue_yaml if catalogue_yaml is None else catalogue_yaml
    filename = filename or f"{w.catalogue_name}.yaml"
    y = _yaml_for(catalogue_yaml)
    doc = y.load(catalogue_yaml)
    languages = list((doc.get("meta") or {}).get("languages") or ["sv"])
    interactions = doc.get("interactions")
    if not isinstance(interactions, CommentedSeq):
        interactions = CommentedSeq()
        keys = list(doc)
        at = keys.index("positions") if "positions" in keys else len(keys)
        doc.insert(at, "interactions", interactions)
    if interactions.fa.flow_style():
        interactions.fa.set_block_style()
    flow = _flow_texts(interactions)
    records = workshop_records(snap)
    by_id = {m.get("id"): m for m in interactions if isinstance(m, dict)}

    day = _day(w.created_at)
    mx_records, mx_new = matrix_writeback(snap, parse_catalogue(catalogue_yaml, filename), day)
    for iid, recs in mx_records.items():
        records.setdefault(iid, []).extend(recs)
    for added in snap.added:
        payload = dict(added.interaction)
        iid = payload["id"]
        if iid in by_id:  # already written back by an earlier export of this workshop
            continue
        node = _interaction_node(payload, languages, flow)
        interactions.append(node)
        by_id[iid] = node
        note = _ORIGIN_NOTE.get(added.origin, "added in the workshop")
        when = f" ({day.isoformat()})" if day else ""
        interactions.yaml_set_comment_before_after_key(
            len(interactions) - 1,
            before=f"Added in workshop {w.code}{when}, {note}",
            indent=y.sequence_dash_offset,
        )
    for payload in mx_new:
        if payload["id"] in by_id:  # already written back by an earlier export
            continue
        node = _interaction_node(payload, languages, flow)
        node["history"] = _history_node(payload["history"])
        interactions.append(node)
        by_id[payload["id"]] = node
        when = f" ({day.isoformat()})" if day else ""
        interactions.yaml_set_comment_before_after_key(
            len(interactions) - 1,
            before=f"Added in workshop {w.code}{when}, proposed by the room's matrix scoring",
            indent=y.sequence_dash_offset,
        )
    for iid, recs in records.items():
        node = by_id.get(iid)
        if node is None:  # not an interaction of this catalogue (should not happen)
            continue
        history = node.get("history")
        if isinstance(history, list):
            seen = {
                (h.get("workshop"), h.get("title"), h.get("pair"))
                for h in history
                if isinstance(h, dict)
            }
            for h in _history_node(
                [r for r in recs if (r["workshop"], r.get("title"), r.get("pair")) not in seen]
            ):
                history.append(h)
        else:
            node["history"] = _history_node(recs)
    out = io.StringIO()
    y.dump(doc, out)
    text = out.getvalue()
    parse_catalogue(text, filename)  # raises CatalogueError: never hand out an invalid catalogue
    return text
