"""What a matrix scoring session writes back to the catalogue (used by
:func:`conflicts.reports.writeback.writeback_yaml`).

For every cell (A acts on B) of a session with at least
:data:`conflicts.room_matrix.MIN_WRITEBACK` scores (3: fewer is one or two people's view):

- the catalogue has an interaction from A to B (or a mutual one between them): a record is
  appended to its ``history`` (method ``matrix``, ``pair: A>B``, ``ballots`` = the number of
  scores, ``median``, ``spread`` = the IQR, ``proposed_score`` = the median rounded to the scale
  with halves toward 0, and the participants' ``rationales``). Its ``score`` is left as it was:
  the room's view is a proposal for whoever maintains the catalogue;
- it has none: a new interaction ``mx-CODE-xxxxxxxx`` (a hash of the pair) from A to B with the
  proposed score, the title "A → B" in every language of the catalogue, tags ``proposed`` and
  ``matrix``, and that record as its first ``history`` entry.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from conflicts.catalogue import Catalogue, WorkshopRecord
from conflicts.room_matrix import MIN_WRITEBACK, PairCell, proposed_score

__all__ = ["matrix_writeback"]


def _target(cat: Catalogue, a: str, b: str) -> str | None:
    """The first interaction of ``cat`` in which ``a`` acts on ``b``."""
    for x in cat.interactions:
        if (x.from_, x.to) == (a, b) or (x.direction == "mutual" and (x.from_, x.to) == (b, a)):
            return x.id
    return None


def _record(w, day: date | None, c: PairCell) -> dict[str, Any]:
    record = {
        "workshop": w.code,
        "title": w.title or None,
        # a date object of its own: ruamel.yaml writes one object twice as an alias (*id001),
        # which catalogues refuse
        "date": date(day.year, day.month, day.day) if day else None,
        "method": "matrix",
        "pair": f"{c.from_node}>{c.to_node}",
        "ballots": c.count,
        "median": round(c.median, 2),
        "spread": round(c.spread or 0.0, 2),
        "proposed_score": proposed_score(c.median),
        "rationales": list(c.rationales),
    }
    record = {k: v for k, v in record.items() if v is not None and v != "" and v != []}
    WorkshopRecord.model_validate(record)  # the catalogue format accepts it
    return record


def matrix_writeback(
    snap, cat: Catalogue, day: date | None
) -> tuple[dict[str, list[dict]], list[dict[str, Any]]]:
    """``(records by interaction id, new interaction payloads)`` of the snapshot's sessions."""
    w = snap.workshop
    records: dict[str, list[dict]] = {}
    new: list[dict[str, Any]] = []
    for rec in getattr(snap, "matrices", ()):
        for c in rec.matrix.ordered():
            if c.count < MIN_WRITEBACK:
                continue
            record = _record(w, day, c)
            target = _target(cat, c.from_node, c.to_node)
            if target is not None:
                records.setdefault(target, []).append(record)
                continue
            digest = hashlib.sha1(f"{c.from_node}>{c.to_node}".encode()).hexdigest()[:8]
            a, b = cat.nodes[c.from_node], cat.nodes[c.to_node]
            title = {lang: f"{cat.text(a.title, lang)} → {cat.text(b.title, lang)}"
                     for lang in cat.languages}  # fmt: skip
            new.append(
                {
                    "id": f"mx-{w.code}-{digest}",
                    "from": c.from_node,
                    "to": c.to_node,
                    "score": record["proposed_score"],
                    "title": title,
                    "tags": ["proposed", "matrix"],
                    "history": [record],
                }
            )
    return records, new
