"""The results of a workshop: the room's ranking per conflict, and two workshops compared.

Pure functions over a typed :func:`conflicts.workshops.snapshot` (no database, no streamlit;
:func:`load_results` is the one convenience that reads). One row per interaction item of
the agenda (warm-ups are not conflicts and have no row):

- ``rank``/``priority``: the room's priority (see :mod:`conflicts.tally`: rating -> mean, dots ->
  total, ranking -> points, score -> the most negative mean first); unranked items (no ballots)
  come last, in agenda order.
- ``distribution`` (count per value of the scale), ``mean``, ``median``, ``stdev``,
  ``consensus`` (Tastle-Wierman, 1 = everyone agrees) and ``dispersion = 1 - consensus``: how split
  the room is (0 = one voice, 1 = split evenly between the two extremes).
- ``participation = ballots / participants``: the share of the people who joined that gave a
  value (skips are counted apart in ``skips``).
- ``room_score`` (the room's mean on -3..+3; only for the 'score' method) beside the catalogue's
  ``catalogue_score``, and ``score_change`` (room minus catalogue).
- ``representation`` (who the interaction needs and who was missing;
  :func:`conflicts.workshops.representation`) when participants are given.
- ``outcome``: the recorded outcome, owner, next step and notes.

Examples
--------
>>> row = ResultRow(1, "i1", 1, "Growth vs climate", "g1", "g2", "", "", "catalogue", "closed",
...                 participants=4, ballots=3, mean=-2.33, consensus=0.71, rank=1,
...                 catalogue_score=-1, room_score=-2.33)
>>> row.participation, row.score_change, round(row.dispersion, 2)
(0.75, -1.33, 0.29)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime

from conflicts import tally
from conflicts import workshops as ws
from conflicts.catalogue import Catalogue
from conflicts.i18n import t
from conflicts.reports.matrix_report import matrix_sessions
from conflicts.store import Store
from conflicts.tally import ItemTally
from conflicts.workshops import (
    Outcome,
    Representation,
    RoomComposition,
    WorkshopError,
    representation,
    room_composition,
)

_ITEM_TALLY_FIELDS = frozenset(f.name for f in fields(ItemTally))

__all__ = [
    "CatalogueMismatch",
    "Comparison",
    "ComparisonRow",
    "ResultRow",
    "WorkshopResults",
    "build_results",
    "compare",
    "load_results",
    "node_priority",
    "priority_weights",
    "results_of",
]


class CatalogueMismatch(WorkshopError):
    """Two workshops on different catalogues cannot be compared (params ``a``, ``b``: names)."""

    code = "catalogue_mismatch"


@dataclass(frozen=True)
class ResultRow:
    """The room's result on one conflict (one interaction item of the agenda)."""

    item_id: int
    interaction_id: str
    position: int
    title: str
    from_node: str | None
    to_node: str | None
    from_title: str
    to_title: str
    origin: str  # 'catalogue' | 'facilitator' | 'proposal'
    voting: str
    participants: int
    ballots: int = 0
    skips: int = 0
    distribution: dict[int, int] = field(default_factory=dict, hash=False)
    mean: float | None = None
    median: float | None = None
    stdev: float | None = None
    total: int | None = None
    consensus: float | None = None
    priority: float | None = None
    rank: int | None = None
    catalogue_score: int | None = None
    room_score: float | None = None
    representation: Representation | None = field(default=None, hash=False)
    outcome: Outcome | None = None
    #: Dots and ranking: total points / participants, and the share who gave any (issue 12).
    points_per_participant: float | None = None
    share_gave_any: float | None = None
    #: Rating and score: the mean rests on few ballots (:func:`conflicts.tally.is_few_ballots`).
    few_ballots: bool = False

    @property
    def participation(self) -> float | None:
        """Ballots (skips excluded) per participant; None when nobody joined."""
        return self.ballots / self.participants if self.participants else None

    @property
    def dispersion(self) -> float | None:
        """How split the room is: ``1 - consensus`` (0 one voice, 1 split between extremes)."""
        return None if self.consensus is None else 1.0 - self.consensus

    @property
    def score_change(self) -> float | None:
        """The room's -3..+3 mean minus the catalogue's score (None unless both exist)."""
        if self.room_score is None or self.catalogue_score is None:
            return None
        return round(self.room_score - self.catalogue_score, 2)


#: The fields a :class:`ResultRow` takes unchanged from its item's :class:`~conflicts.tally.
#: ItemTally` (the same names, types and defaults: ``tests/test_results.py`` checks it). They are
#: declared again, not composed as a ``tally`` field, because ``ResultRow(...)`` with these
#: keywords is the constructor reports, series and their tests call. Not ``participants``: the
#: row's is the room's count, the tally's is None unless whoever tallied knew it.
TALLY_FIELDS = tuple(
    f.name for f in fields(ResultRow) if f.name in _ITEM_TALLY_FIELDS and f.name != "participants"
)


def tally_fields(it: ItemTally) -> dict:
    """The :data:`TALLY_FIELDS` of a tally, for ``ResultRow(**tally_fields(it), ...)``."""
    values = {name: getattr(it, name) for name in TALLY_FIELDS}
    values["distribution"] = dict(it.distribution)  # the row's own copy
    return values


@dataclass(frozen=True)
class WorkshopResults:
    """A workshop's results: rows ranked by the room's priority, plus who was there, the
    accepted proposals and the warm-ups. Everything in it is anonymous."""

    code: str
    title: str
    catalogue_name: str
    catalogue_title: str
    catalogue_version: str | None
    catalogue_sha256: str | None
    status: str
    method: str
    scale: tuple[int, int]
    participants: int
    created_at: datetime | None
    lang: str
    rows: list[ResultRow] = field(default_factory=list)
    composition: RoomComposition | None = None
    #: Accepted proposals: dicts with ``title``, ``text``, ``from``, ``to``, ``interaction_id``.
    proposals: list[dict] = field(default_factory=list)
    #: Number of proposals per status ('pending', 'accepted', 'declined', 'merged').
    proposal_counts: dict[str, int] = field(default_factory=dict)
    #: Warm-ups: dicts with ``question`` (text), ``distribution`` (goal -> n), ``ballots``, ...
    warmups: list[dict] = field(default_factory=list)
    #: Matrix scoring sessions (:func:`conflicts.reports.matrix_report.matrix_sessions`).
    matrices: list[dict] = field(default_factory=list)

    @property
    def ranked(self) -> list[ResultRow]:
        """The rows with a rank, by rank (1 = the room's first priority)."""
        return [r for r in self.rows if r.rank is not None]

    @property
    def outcomes(self) -> list[ResultRow]:
        """The rows with a recorded outcome or notes, in result order."""
        return [r for r in self.rows if r.outcome is not None]

    def row(self, interaction_id: str) -> ResultRow | None:
        return next((r for r in self.rows if r.interaction_id == interaction_id), None)


def value_note(row: ResultRow, method: str, lang: str) -> str:
    """What to read beside a row's mean or total (issue 12): for dots and ranking the points per
    participant and the share who gave any; for rating and score a flag when the mean rests on
    few ballots. '' when there is nothing to add.

    >>> r = ResultRow(1, "a", 1, "A", None, None, "", "", "catalogue", "closed", 10, ballots=2,
    ...               points_per_participant=0.3, share_gave_any=0.2, few_ballots=True)
    >>> value_note(r, "ranking", "en"), value_note(r, "rating", "en")
    ('0.3 points/participant · 20 % gave points', '⚠ few ballots (2)')
    """
    if method in tally.POINTS_METHODS and row.points_per_participant is not None:
        share = "–" if row.share_gave_any is None else f"{round(100 * row.share_gave_any)} %"
        return (
            f"{t('res.points_pp', lang, value=f'{row.points_per_participant:.1f}')} · "
            f"{t('res.share_any', lang, pct=share)}"
        )
    if method in tally.MEAN_METHODS and row.few_ballots:
        return t("res.few_ballots", lang, n=row.ballots)
    return ""


def value_help(results: WorkshopResults, lang: str) -> str:
    """The sentence under a ranking table that explains :func:`value_note`."""
    if results.method in tally.POINTS_METHODS:
        return t("res.points_help", lang)
    pct = f"{round(100 * tally.MIN_BALLOT_SHARE)} %"
    return t("res.few_help", lang, n=tally.MIN_BALLOTS, pct=pct)


def _pick_lang(catalogue: Catalogue, lang: str | None) -> str:
    return lang or catalogue.languages[0]


def _result_row(
    rec: ws.ItemRecord,
    catalogue: Catalogue,
    lang: str,
    method: str,
    n_people: int,
    people: list,
    outcomes: dict[int, Outcome],
) -> ResultRow:
    """One conflict's row from its tally in the snapshot (titles in ``lang`` from the catalogue)."""
    it = rec.tally
    iid = it.interaction_id
    inter = catalogue.interactions_by_id.get(iid)
    title = catalogue.text(inter.title, lang) if inter is not None else rec.title
    from_node = inter.from_ if inter is not None else rec.from_node
    to_node = inter.to if inter is not None else rec.to_node

    def node_title(node: str | None) -> str:
        if node is None:
            return ""
        if node in catalogue.nodes:
            return catalogue.text(catalogue.nodes[node].title, lang)
        return node

    return ResultRow(
        **tally_fields(it),
        title=title or iid,
        from_node=from_node,
        to_node=to_node,
        from_title=node_title(from_node),
        to_title=node_title(to_node),
        origin=rec.origin,
        participants=n_people,
        room_score=it.mean if method == "score" else None,
        representation=representation(catalogue, iid, people) if inter is not None else None,
        outcome=outcomes.get(it.item_id),
    )


def _warmup_rows(warmups: Iterable[ws.WarmupRecord], catalogue: Catalogue, lang: str):
    """The warm-ups with their question in ``lang`` and counts by goal title."""
    goal_titles = {g.id: catalogue.text(g.title, lang) for g in catalogue.goals}
    rows = []
    for wu in warmups:
        q = wu.question or {}
        rows.append(
            {
                "item_id": wu.tally.item_id,
                "question": q.get(lang) or next(iter(q.values()), ""),
                "ballots": wu.tally.ballots,
                "skips": wu.tally.skips,
                "distribution": {
                    goal_titles.get(g, g): n for g, n in wu.tally.distribution.items()
                },
            }
        )
    return rows


def _has_outcome(o: Outcome) -> bool:
    return any((o.summary, o.outcome, o.owner, o.next_step, o.due_date))


def _proposal_dict(p: ws.ProposalRecord) -> dict:
    """An accepted proposal as the report shows it (title, text, nodes, interaction)."""
    return {
        "id": p.id,
        "title": p.title,
        "text": p.text,
        "from": p.from_node,
        "to": p.to_node,
        "status": p.status,
        "interaction_id": p.interaction_id,
    }


def build_results(snap: ws.WorkshopSnapshot, *, lang: str | None = None) -> WorkshopResults:
    """The results of a workshop from its :func:`conflicts.workshops.snapshot` (one transaction:
    tallies, outcomes, proposals, warm-ups, and the participants' self-descriptions, which only
    ever become counts: the room's composition and who was missing per conflict).

    Parameters
    ----------
    snap : WorkshopSnapshot
        The workshop as of one transaction.
    lang : str, optional
        Language of catalogue texts; default the catalogue's first language.

    Returns
    -------
    WorkshopResults
        Rows ranked by the room's priority (unranked last, in agenda order).
    """
    w = snap.workshop
    catalogue = w.catalogue()
    lang = _pick_lang(catalogue, lang)
    people = list(snap.participants)
    n_people = snap.tally.participants
    outcomes = {o.outcome.item_id: o.outcome for o in snap.outcomes if _has_outcome(o.outcome)}
    rows = [
        _result_row(rec, catalogue, lang, w.method, n_people, people, outcomes)
        for rec in snap.items
    ]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.position))
    return WorkshopResults(
        code=w.code,
        title=w.title,
        catalogue_name=w.catalogue_name,
        catalogue_title=catalogue.text(catalogue.meta.title, lang),
        catalogue_version=snap.catalogue_version,
        catalogue_sha256=w.catalogue_sha256,
        status=w.status,
        method=w.method,
        scale=w.scale(),
        participants=n_people,
        created_at=w.created_at,
        lang=lang,
        rows=rows,
        composition=room_composition(people),
        proposals=[_proposal_dict(p) for p in snap.proposals if p.status == "accepted"],
        proposal_counts=dict(Counter(p.status for p in snap.proposals)),
        warmups=_warmup_rows(snap.warmups, catalogue, lang),
        matrices=matrix_sessions(snap.matrices, catalogue, lang),
    )


#: The name the export registry uses (one function: :func:`build_results`).
results_of = build_results


def load_results(
    grant: ws.FacilitatorGrant, *, lang: str | None = None, store: Store
) -> WorkshopResults:
    """Read a workshop in one transaction and build its results (facilitator-only). Raises
    :class:`~conflicts.workshops.WorkshopNotFound`, :class:`~conflicts.workshops.AccessDenied`."""
    return results_of(ws.snapshot(grant, store=store), lang=lang)


# --------------------------------------------------------------------------------------------
# The graph by the room's priority
# --------------------------------------------------------------------------------------------
def priority_weights(results: WorkshopResults) -> dict[str, float]:
    """Interaction id -> weight in (0, 1]: 1 for the room's first priority, ``1/n`` for the last
    of ``n`` ranked conflicts; unranked conflicts are absent.

    >>> r = WorkshopResults("X", "", "c", "", None, None, "open", "rating", (1, 5), 3, None, "en",
    ...     rows=[ResultRow(1, "a", 1, "A", "g1", "g2", "", "", "catalogue", "closed", 3, rank=2),
    ...           ResultRow(2, "b", 2, "B", "g2", "g3", "", "", "catalogue", "closed", 3, rank=1)])
    >>> priority_weights(r)
    {'b': 1.0, 'a': 0.5}
    """
    ranked = results.ranked
    n = len(ranked)
    return {r.interaction_id: (n - r.rank + 1) / n for r in sorted(ranked, key=lambda r: r.rank)}


def node_priority(results: WorkshopResults) -> dict[str, float]:
    """Node id -> the sum of :func:`priority_weights` of its interactions (for
    ``build_figure(node_size_by=...)``: the goals the room put first are drawn biggest).

    >>> r = WorkshopResults("X", "", "c", "", None, None, "open", "rating", (1, 5), 3, None, "en",
    ...     rows=[ResultRow(1, "a", 1, "A", "g1", "g2", "", "", "catalogue", "closed", 3, rank=1)])
    >>> node_priority(r)
    {'g1': 1.0, 'g2': 1.0}
    """
    weights = priority_weights(results)
    out: dict[str, float] = {}
    for r in results.rows:
        wgt = weights.get(r.interaction_id)
        if wgt is None:
            continue
        for node in (r.from_node, r.to_node):
            if node is not None:
                out[node] = out.get(node, 0.0) + wgt
    return out


# --------------------------------------------------------------------------------------------
# Two workshops compared
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ComparisonRow:
    """One conflict in both workshops. ``rank_change > 0``: it moved UP in ``b`` (e.g. from 5th
    to 2nd is +3); mean and consensus changes are ``b - a``."""

    interaction_id: str
    title: str
    rank_a: int | None
    rank_b: int | None
    mean_a: float | None
    mean_b: float | None
    consensus_a: float | None
    consensus_b: float | None
    ballots_a: int
    ballots_b: int
    view_changed: bool
    #: Consensus compared only between the same method and scale (the uniform split is 0.333
    #: on 3 points, 0.434 on 5, 0.472 on 7: :func:`conflicts.tally.consensus_comparable`).
    consensus_comparable: bool = True

    @property
    def rank_change(self) -> int | None:
        if self.rank_a is None or self.rank_b is None:
            return None
        return self.rank_a - self.rank_b

    @property
    def mean_change(self) -> float | None:
        if self.mean_a is None or self.mean_b is None:
            return None
        return round(self.mean_b - self.mean_a, 4)

    @property
    def consensus_change(self) -> float | None:
        if self.consensus_a is None or self.consensus_b is None or not self.consensus_comparable:
            return None
        return round(self.consensus_b - self.consensus_a, 4)


@dataclass(frozen=True)
class Comparison:
    """Workshop ``a`` (e.g. round 1) against ``b`` (round 2) on the same catalogue."""

    a: WorkshopResults
    b: WorkshopResults
    rows: list[ComparisonRow]
    only_in_a: list[ResultRow]
    only_in_b: list[ResultRow]

    @property
    def same_version(self) -> bool:
        """Both workshops ran on exactly the same catalogue text."""
        return self.a.catalogue_sha256 == self.b.catalogue_sha256

    @property
    def same_method(self) -> bool:
        """Means are comparable only when both used the same voting method."""
        return self.a.method == self.b.method

    @property
    def moved_up(self) -> list[ComparisonRow]:
        return [r for r in self.rows if (r.rank_change or 0) > 0]

    @property
    def moved_down(self) -> list[ComparisonRow]:
        return [r for r in self.rows if (r.rank_change or 0) < 0]

    @property
    def changed_view(self) -> list[ComparisonRow]:
        return [r for r in self.rows if r.view_changed]


def compare(
    a: WorkshopResults,
    b: WorkshopResults,
    *,
    mean_threshold: float = 0.5,
    consensus_threshold: float = 0.2,
) -> Comparison:
    """Compare two workshops' results on the same catalogue, matched by interaction id.

    A conflict's ``view_changed`` is True when (same voting method) its mean moved by at least
    ``mean_threshold`` scale points, or its consensus by at least ``consensus_threshold``; with
    the 'score' method also when the room's score changed sign. Rows are in ``b``'s order
    (ranked first). Conflicts on only one agenda are listed apart.

    Raises :class:`CatalogueMismatch` when the catalogues' names differ (a different version of
    the same catalogue is allowed; see :attr:`Comparison.same_version`).

    >>> def res(code, ranks):
    ...     rows = [ResultRow(i, iid, i, iid.upper(), "g1", "g2", "", "", "catalogue", "closed",
    ...                       4, ballots=4, rank=rk, mean=m) for i, (iid, rk, m) in
    ...             enumerate(ranks, 1)]
    ...     return WorkshopResults(code, "", "cat", "", "1", "x", "closed", "rating", (1, 5), 4,
    ...                            None, "en", rows=rows)
    >>> c = compare(res("A", [("i1", 1, 4.5), ("i2", 2, 3.0)]),
    ...             res("B", [("i1", 2, 3.0), ("i2", 1, 3.5), ("i3", 3, 2.0)]))
    >>> [(r.interaction_id, r.rank_change, r.mean_change, r.view_changed) for r in c.rows]
    [('i2', 1, 0.5, True), ('i1', -1, -1.5, True)]
    >>> [r.interaction_id for r in c.only_in_b]
    ['i3']
    """
    if a.catalogue_name != b.catalogue_name:
        raise CatalogueMismatch(
            f"workshop {a.code} uses catalogue {a.catalogue_name!r} and {b.code} uses "
            f"{b.catalogue_name!r}: only workshops on the same catalogue can be compared",
            a=a.catalogue_name,
            b=b.catalogue_name,
        )
    in_a = {r.interaction_id: r for r in a.rows}
    in_b = {r.interaction_id: r for r in b.rows}
    same_method = a.method == b.method
    same_scale = same_method and tuple(a.scale) == tuple(b.scale)
    rows = []
    for rb in b.rows:
        ra = in_a.get(rb.interaction_id)
        if ra is None:
            continue
        changed = False
        if same_method and ra.mean is not None and rb.mean is not None:
            changed = abs(rb.mean - ra.mean) >= mean_threshold
            if a.method == "score" and (ra.mean < 0) != (rb.mean < 0):
                changed = True
        if same_scale and ra.consensus is not None and rb.consensus is not None:
            changed = changed or abs(rb.consensus - ra.consensus) >= consensus_threshold
        rows.append(
            ComparisonRow(
                interaction_id=rb.interaction_id,
                title=rb.title,
                rank_a=ra.rank,
                rank_b=rb.rank,
                mean_a=ra.mean,
                mean_b=rb.mean,
                consensus_a=ra.consensus,
                consensus_b=rb.consensus,
                ballots_a=ra.ballots,
                ballots_b=rb.ballots,
                view_changed=changed,
                consensus_comparable=same_scale,
            )
        )
    rows.sort(key=lambda r: (r.rank_b is None, r.rank_b or 0, r.rank_a is None, r.rank_a or 0))
    return Comparison(
        a=a,
        b=b,
        rows=rows,
        only_in_a=[r for r in a.rows if r.interaction_id not in in_b],
        only_in_b=[r for r in b.rows if r.interaction_id not in in_a],
    )
