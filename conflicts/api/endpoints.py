"""The JSON API's endpoints (see :mod:`conflicts.api` for the contract)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

import conflicts.api.domain as domain
from conflicts import workshops as ws
from conflicts.api.http import (
    NO_STORE,
    ApiError,
    client_key,
    error_response,
    json_body,
    language,
    normalise_code,
    require_same_site,
    set_voter_cookie,
    voter,
)
from conflicts.api.models import (
    BallotOut,
    BallotRequest,
    JoinRequest,
    Me,
    MyBallot,
    MyProposal,
    ParticipantOut,
    Revision,
    StepRequest,
)
from conflicts.api.state import DEFAULT_WAIT_S, MAX_WAIT_S, build_state, hub
from conflicts.identity import VOTER_COOKIE
from conflicts.store import DatabaseUnavailable
from conflicts.throttle import Throttle

#: Wrong facilitator keys: 5 per minute per client, then 429 with Retry-After.
key_throttle = Throttle(max_failures=5, window_s=60)

Handler = Callable[[Request], Awaitable[Response]]


def api(handler: Handler) -> Handler:
    """Answer domain and request errors as ``{"error", "message"}`` in the request's language."""

    @functools.wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except (ApiError, ws.WorkshopError, DatabaseUnavailable) as exc:
            headers = getattr(exc, "headers", None)
            return error_response(exc, language(request), headers)

    return wrapped


def _json(model, status: int = 200) -> JSONResponse:
    return JSONResponse(model.model_dump(mode="json"), status_code=status, headers=NO_STORE)


def _code(request: Request) -> str:
    return normalise_code(request.path_params["code"])


def _int_param(request: Request, name: str, lo: float, hi: float) -> float | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw) if name == "wait" else int(raw)
    except ValueError:
        raise ApiError("invalid_request") from None
    if not lo <= value <= hi:
        raise ApiError("invalid_request")
    return value


@api
async def state_endpoint(request: Request) -> Response:
    """``GET /api/workshops/CODE/state[?after=REV[&wait=S]]``: with ``after``, held until the
    revision is past it or ``wait`` seconds (default 25) pass: long polling."""
    code, lang = _code(request), language(request)
    after = _int_param(request, "after", 0, 2**62)
    wait = _int_param(request, "wait", 0, MAX_WAIT_S)
    revision = 0
    if after is not None:
        revision = await hub.wait(code, int(after), DEFAULT_WAIT_S if wait is None else wait)
    body = await hub.state_json(code, lang, min_revision=revision)
    return Response(body, media_type="application/json", headers=NO_STORE)


@api
async def revision_endpoint(request: Request) -> Response:
    """``GET /api/workshops/CODE/revision`` -> ``{"code", "revision", "tally_revision"}``."""
    entry = await hub.workshop(_code(request))
    w, tally = entry.workshop, entry.tally
    tally_revision = tally.tally_revision if tally is not None else w.tally_revision
    return _json(Revision(code=w.code, revision=w.revision, tally_revision=tally_revision))


def _participant(p: ws.Participant, token: str) -> ParticipantOut:
    return ParticipantOut(
        display_name=p.display_name,
        actor_type=p.actor_type,
        level=p.level,
        has_participant_code=p.has_participant_code,
        joined_at=p.joined_at,
        voter_token=token,
    )


def _with_cookie(request: Request, response: Response, voter_id: str) -> Response:
    """Set the cookie unless the request's cookie already carries ``voter_id``."""
    signer = domain.signer()
    if signer.unsign(request.cookies.get(VOTER_COOKIE)) != voter_id:
        set_voter_cookie(request, response, signer.sign(voter_id))
    return response


def join(code: str, voter_id: str | None, body: JoinRequest) -> tuple[ws.Participant, str]:
    """Join as ``voter_id`` (a new signed id when None); ``(participant, voter_id)``."""
    voter_id = voter_id or domain.signer().issue()[0]
    p = ws.join(
        code,
        voter_id,
        display_name=body.display_name or None,
        actor_type=body.actor_type or None,
        level=body.level or None,
        participant_code=body.participant_code or None,
        store=domain.store(),
    )
    return p, voter_id


@api
async def participants_endpoint(request: Request) -> Response:
    """``POST /api/workshops/CODE/participants``: join (idempotent per voter)."""
    require_same_site(request)
    body = await json_body(request, JoinRequest, empty_ok=True)
    p, voter_id = await run_in_threadpool(join, _code(request), voter(request), body)
    out = _json(_participant(p, domain.signer().sign(voter_id)))
    return _with_cookie(request, out, voter_id)


def cast(code: str, voter_id: str, body: BallotRequest) -> BallotOut:
    """Store one ballot (or a ranking) and answer after the commit."""
    s = domain.store()
    if body.ranking is not None:
        if body.item_id is not None or body.value is not None or body.skip:
            raise ApiError("invalid_ballot")
        ws.cast_ranking(code, voter_id, body.ranking, store=s)
        revision, tally_revision = ws.poll(code, store=s)
        return BallotOut(
            item_id=None,
            value=None,
            skipped=False,
            revision=revision,
            tally_revision=tally_revision,
            ranking=body.ranking,
        )
    if body.item_id is None:
        raise ApiError("unknown_item")
    b = ws.cast_ballot(code, voter_id, body.item_id, value=body.value, skip=body.skip, store=s)
    revision, tally_revision = ws.poll(code, store=s)
    return BallotOut(
        item_id=b.item_id,
        value=b.value,
        skipped=b.skipped,
        revision=revision,
        tally_revision=tally_revision,
    )


@api
async def ballots_endpoint(request: Request) -> Response:
    """``POST /api/workshops/CODE/ballots``: 200 only after the commit; a retry of the same
    ballot replaces it with itself (one ballot per voter and item)."""
    require_same_site(request)
    body = await json_body(request, BallotRequest)
    voter_id = voter(request)
    if voter_id is None:
        raise ApiError("not_joined")
    out = await run_in_threadpool(cast, _code(request), voter_id, body)
    return _json(out)


def me(code: str, voter_id: str | None) -> Me:
    s = domain.store()
    code = ws.get_workshop(code, store=s).code  # 404 for an unknown code
    p = ws.get_participant(code, voter_id, store=s) if voter_id else None
    if p is None:
        return Me(code=code, participant=None, ballots=[], proposals=[])
    mine = ws.my_ballots(code, voter_id, store=s)
    props = ws.my_proposals(code, voter_id, store=s)
    return Me(
        code=code,
        participant=_participant(p, domain.signer().sign(voter_id)),
        ballots=[
            MyBallot(item_id=b.item_id, value=b.value, skipped=b.skipped, updated_at=b.updated_at)
            for b in mine.values()
        ],
        proposals=[MyProposal(title=x.title, status=x.status) for x in props],
    )


@api
async def me_endpoint(request: Request) -> Response:
    """``GET /api/workshops/CODE/me``: the caller's participant record, ballots, proposals."""
    voter_id = voter(request)
    return _json(await run_in_threadpool(me, _code(request), voter_id))


def _bearer(request: Request) -> str | None:
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return key.strip() or None


class _TooMany(ApiError):
    def __init__(self, seconds: int):
        super().__init__("too_many_attempts", seconds=seconds)
        self.headers = {"Retry-After": str(seconds)}


def _step(code: str, key: str | None, body: StepRequest, client: str, lang: str):
    wait = key_throttle.retry_after(client)
    if wait is not None:
        raise _TooMany(wait)
    try:
        w = domain.facilitator_step(code, key, body.item_id, body.voting)
    except ws.AccessDenied:
        key_throttle.failure(client)
        raise
    key_throttle.success(client)
    s = domain.store()
    tally = None if w.hide_results_until_closed else ws.get_tally(code, store=s)
    return build_state(w, tally, lang)


@api
async def step_endpoint(request: Request) -> Response:
    """``POST /api/workshops/CODE/facilitator/step`` (``Authorization: Bearer KEY``)."""
    require_same_site(request)
    body = await json_body(request, StepRequest)
    lang = language(request)
    state = await run_in_threadpool(
        _step, _code(request), _bearer(request), body, client_key(request), lang
    )
    return _json(state)
