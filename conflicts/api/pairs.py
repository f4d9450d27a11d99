"""The matrix scoring session's endpoints: a phone's next pairs and its pair scores.

``GET /api/workshops/CODE/pairs?item_id=ID[&n=N]`` deals the caller's next pairs
(:func:`conflicts.workshops.deal`) from the process's shared read of the workshop and its
answers per pair (:mod:`conflicts.api.state`, one read per workshop per ``CACHE_S``) and the
caller's own answers (one index lookup). ``POST /api/workshops/CODE/pair-scores`` stores one
score (200 only after the commit; the same score again is stored once).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

import conflicts.api.domain as domain
from conflicts import workshops as ws
from conflicts.api.endpoints import _code, _int_param, _json, api
from conflicts.api.http import ApiError, json_body, language, require_same_site, voter
from conflicts.api.models import PairCard, Pairs, PairScoreOut, PairScoreRequest
from conflicts.api.state import hub, score_options
from conflicts.i18n import t

MAX_DEALT = 20


def pair_card(w: ws.Workshop, item: ws.AgendaItem, pair: tuple[str, str], lang: str) -> PairCard:
    cat = w.catalogue()
    a, b = (cat.text(cat.nodes[n].title, lang) for n in pair)
    return PairCard(
        item_id=item.id,
        from_node=pair[0],
        to_node=pair[1],
        from_title=a,
        to_title=b,
        question=t("matrix.question", lang, a=a, b=b),
        options=score_options(),
    )


def matrix_item(w: ws.Workshop, item_id: int) -> ws.AgendaItem:
    """The session ``item_id`` of ``w`` (UnknownItem / wrong_method otherwise)."""
    item = w.item(item_id)
    if item is None:
        raise ws.UnknownItem(f"no agenda item {item_id!r}", item_id=item_id)
    if not item.is_matrix:
        raise ws.InvalidBallot("this item is not a matrix session", code="wrong_method")
    return item


def _deal(item: ws.AgendaItem, voter_id: str, mine, counts: dict, n: int) -> list:
    """The voter's next ``n`` pairs, counted in ``counts`` (the process's shared read) at once so
    that the next phones served from the same read are dealt other pairs."""
    pairs = ws.deal(item, voter_id, mine, counts, n=n)
    ws.note_dealt(counts, pairs)
    return pairs


def dealt(
    w: ws.Workshop,
    counts: dict[tuple[str, str], int],
    item: ws.AgendaItem,
    voter_id: str | None,
    lang: str,
    n: int = 1,
) -> Pairs:
    """The caller's next ``n`` pairs (none while the session's voting is not open)."""
    mine = ws.my_pair_answers(w.code, voter_id, item.id, store=domain.store()) if voter_id else {}
    pairs: list[tuple[str, str]] = []
    if voter_id and item.voting == "open" and w.status == "open":
        pairs = _deal(item, voter_id, mine, counts, n)
    return Pairs(
        item_id=item.id,
        answered=len(mine),
        quota=min(item.pairs_per_participant, len(item.nodes) * (len(item.nodes) - 1)),
        pairs=[pair_card(w, item, p, lang) for p in pairs],
    )


@api
async def pairs_endpoint(request: Request) -> Response:
    """``GET /api/workshops/CODE/pairs?item_id=ID[&n=N]``: the caller's next pairs."""
    item_id = _int_param(request, "item_id", 1, 2**31 - 1)
    n = _int_param(request, "n", 1, MAX_DEALT) or 1
    if item_id is None:
        raise ApiError("unknown_item")
    entry = await hub.workshop(_code(request))
    item = matrix_item(entry.workshop, int(item_id))
    if item.voting != "open":  # the shared read may predate the opening (up to CACHE_S): ask
        entry = await hub.workshop(_code(request), min_revision=entry.workshop.revision + 1)
        item = matrix_item(entry.workshop, int(item_id))
    counts = entry.pair_counts.setdefault(item.id, {})
    out = await run_in_threadpool(
        dealt, entry.workshop, counts, item, voter(request), language(request), int(n)
    )
    return _json(out)


def score(
    code: str,
    voter_id: str,
    body: PairScoreRequest,
    entry=None,
    lang: str = "sv",
) -> PairScoreOut:
    """Store one pair score and answer after the commit; with ``entry`` (the process's shared
    read) the answer carries the caller's next pair too."""
    s = domain.store()
    a = ws.score_pair(
        code,
        voter_id,
        body.item_id,
        body.from_node,
        body.to_node,
        value=body.value,
        skip=body.skip,
        rationale=body.rationale,
        store=s,
    )
    revision, tally_revision = ws.poll(code, store=s)
    next_pairs = []
    if entry is not None:
        w, item = entry.workshop, entry.workshop.item(body.item_id)
        if item is not None and item.is_matrix and item.voting == "open" and w.status == "open":
            counts = entry.pair_counts.setdefault(item.id, {})
            pairs = _deal(item, voter_id, a.answered_pairs, counts, 1)
            next_pairs = [pair_card(w, item, p, lang) for p in pairs]
    return PairScoreOut(
        item_id=a.item_id,
        from_node=a.from_node,
        to_node=a.to_node,
        value=a.value,
        skipped=a.skipped,
        rationale=a.rationale,
        answered=a.answered,
        quota=a.quota,
        revision=revision,
        tally_revision=tally_revision,
        next_pairs=next_pairs,
    )


@api
async def pair_scores_endpoint(request: Request) -> Response:
    """``POST /api/workshops/CODE/pair-scores``: 200 only after the commit."""
    require_same_site(request)
    body = await json_body(request, PairScoreRequest)
    voter_id = voter(request)
    if voter_id is None:
        raise ApiError("not_joined")
    code = _code(request)
    entry = await hub.workshop(code)
    out = await run_in_threadpool(score, code, voter_id, body, entry, language(request))
    return _json(out)
