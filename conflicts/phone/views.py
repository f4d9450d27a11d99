"""The phone page: server-rendered HTML (Jinja2, autoescaped), plain forms that work without
JavaScript, and ``static/phone.js`` that makes them instant (see the package docstring).

Forms post to ``/join/...`` and answer with a redirect back to ``/join?code=…`` (POST, redirect,
GET), so a reload never re-sends a form. A browser that sent no valid voter cookie gets the page
itself instead of a redirect: its signed voter token travels in the forms' hidden ``voter``
field, so it can join and vote within that page load. Voter ids are never put in a URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

import conflicts.api.domain as domain
from conflicts import workshops as ws
from conflicts.api.endpoints import cast, join
from conflicts.api.http import (
    ApiError,
    TooManyAttempts,
    error_code,
    form_value,
    has_valid_cookie,
    language,
    message,
    normalise_code,
    note_unknown_code,
    refuse_probing,
    require_same_site,
    set_voter_cookie,
    voter,
)
from conflicts.api.models import BallotRequest, JoinRequest, Pairs, PairScoreRequest
from conflicts.api.pairs import dealt, score
from conflicts.api.state import DEFAULT_WAIT_S, card, hub, votable
from conflicts.catalogue import ActorType, DecisionLevel
from conflicts.i18n import LANGUAGE_NAMES, LANGUAGES, t
from conflicts.store import DatabaseUnavailable

HERE = Path(__file__).parent
STATIC = HERE / "static"
env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
HTML_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
KIND_KEYS = {
    "conflict": "detail.conflict",
    "synergy": "detail.synergy",
    "neutral": "detail.neutral",
}
#: Proposal form results with their own texts (other codes: the error's text).
PROP_TEXTS = {
    "sent": "prop.sent",
    "title_required": "prop.title_required",
    "choose_nodes": "prop.choose_nodes",
}
DOMAIN_ERRORS = (ApiError, ws.WorkshopError, DatabaseUnavailable)


@dataclass
class Voter:
    """Who is asking: the voter id (None: not known yet) and their signed token."""

    voter_id: str | None
    token: str
    cookie: bool  # the id came from a valid cookie


@dataclass
class View:
    """Everything a page or fragment is drawn from."""

    lang: str
    code: str | None = None
    workshop: ws.Workshop | None = None
    participant: ws.Participant | None = None
    mine: dict[int, ws.Ballot] = field(default_factory=dict)
    proposals: list = field(default_factory=list)
    notice: str | None = None  # an error code to show at the top
    prop_notice: str | None = None  # 'sent' or an error code, shown in the proposal form
    pairs: dict[int, Pairs] = field(default_factory=dict)  # matrix sessions: the next pair


def identify(request: Request, form_token: str | None = None) -> Voter:
    """The request's voter, or a fresh signed id for a browser that brings none (a made-up
    or altered token is ignored, hence replaced)."""
    signer = domain.signer()
    voter_id = voter(request, form_token)
    if voter_id is None:
        voter_id, token = signer.issue()
        return Voter(voter_id, token, cookie=False)
    return Voter(voter_id, signer.sign(voter_id), cookie=has_valid_cookie(request))


def query(code: str | None, lang: str, **extra: str) -> str:
    """``code=…&lang=…`` (+ extra parameters; never a voter id)."""
    params = {"code": code, "lang": lang, **extra} if code else {"lang": lang, **extra}
    return urlencode({k: v for k, v in params.items() if v is not None})


def page_url(code: str | None, lang: str, **extra: str) -> str:
    """The page's address (root-relative: the same page answers form posts)."""
    return "/join?" + query(code, lang, **extra)


def _load(
    view: View, voter_id: str, *, workshop: ws.Workshop | None = None, counts: dict | None = None
) -> View:
    """Read what the page shows. With ``workshop`` and ``counts`` (the process's shared read,
    see :mod:`conflicts.api.state`) only the voter's own rows are read: the live fragment."""
    s = domain.store()
    view.workshop = workshop or ws.get_workshop(view.code, store=s)
    view.code = view.workshop.code
    view.participant = ws.get_participant(view.code, voter_id, store=s)
    if view.participant is not None:
        view.mine = ws.my_ballots(view.code, voter_id, store=s)
        if workshop is None:
            view.proposals = ws.my_proposals(view.code, voter_id, store=s)
        for item in votable(view.workshop):
            if item.is_matrix:
                per_pair = (counts or {}).get(item.id)
                if per_pair is None:
                    per_pair = ws.pair_counts(view.workshop, item.id, store=s)
                view.pairs[item.id] = dealt(view.workshop, per_pair, item, voter_id, view.lang)
    return view


def node_labels(cat, lang: str) -> list[tuple[str, str]]:
    """Every goal followed by its sub-goals, labelled '2 Goal' and '2.1 Sub-goal'."""
    labels = []
    for n, goal in enumerate(cat.goals, 1):
        labels.append((goal.id, f"{n} {cat.text(goal.title, lang)}"))
        for m, sub in enumerate(goal.subgoals, 1):
            labels.append((sub.id, f"{n}.{m} {cat.text(sub.title, lang)}"))
    return labels


def _saved_text(view: View, item: ws.AgendaItem, labels: dict[int, str]) -> str | None:
    b = view.mine.get(item.id)
    if b is None:
        return None
    if b.skipped:
        return t("ws.saved_skip", view.lang)
    return t("ws.saved", view.lang, value=labels.get(b.value, b.value))


def _cards(view: View) -> tuple[list[dict], list[ws.AgendaItem]]:
    """The voting cards (warm-ups and per-item methods) and the items to rank."""
    w, lang = view.workshop, view.lang
    items = votable(w)
    cards, ranked = [], []
    for item in items:
        if item.is_matrix:
            cards.append(_pair_card(view, item))
            continue
        if w.method == "ranking" and item.is_interaction:
            ranked.append(item)
            continue
        c = card(w, item, lang)
        labels = {o.value: o.label for o in c.options}
        b = view.mine.get(item.id)
        cards.append(
            {
                "card": c,
                "kind_label": t("room.warmup", lang)
                if c.kind == "warmup"
                else t(KIND_KEYS[c.kind], lang),
                "dots": w.method == "dots" and item.is_interaction,
                "chosen": None if b is None or b.skipped else b.value,
                "skipped": b is not None and b.skipped,
                "saved": _saved_text(view, item, labels),
            }
        )
    return cards, ranked


def _pair_card(view: View, item: ws.AgendaItem) -> dict:
    """A matrix session's card: the next pair dealt to this phone, or done."""
    dealt_now = view.pairs.get(item.id)
    pair = dealt_now.pairs[0] if dealt_now and dealt_now.pairs else None
    answered = dealt_now.answered if dealt_now else 0
    quota = dealt_now.quota if dealt_now else item.pairs_per_participant
    lang = view.lang
    return {
        "matrix": True,
        "card": card(view.workshop, item, lang),
        "pair": pair,
        "kind_label": t("matrix.kind", lang),
        "progress": t("matrix.pair_of", lang, k=min(answered + 1, quota), n=quota),
        "done": t("matrix.done", lang, n=answered) if pair is None else None,
        "saved": t("matrix.saved", lang, value=answered) if answered else None,
        "rationale_max": ws.RATIONALE_MAX,
    }


def _waiting_text(w: ws.Workshop, lang: str, *, nothing_to_vote: bool) -> str | None:
    """What the phone says instead of a card (None while there is something to vote on)."""
    if w.status == "closed":
        return t("ws.closed_workshop", lang)
    if w.status != "open":
        return t("err.workshop_not_started", lang)
    if nothing_to_vote:
        return t("ws.nothing_open" if w.mode == "free" or w.current_item else "ws.no_current", lang)
    return None


def _live_context(view: View) -> dict:
    w, lang = view.workshop, view.lang
    cards, ranked = _cards(view)
    cat = w.catalogue()
    ranking = sorted(
        (i for i in ranked if view.mine.get(i.id) and view.mine[i.id].value),
        key=lambda i: -(view.mine[i.id].value or 0),
    )
    waiting = _waiting_text(w, lang, nothing_to_vote=not cards and not ranked)
    return {
        "cards": cards,
        "ranked": [(i.id, card(w, i, lang).title) for i in ranked],
        "ranking_now": [i.id for i in ranking],
        "ranking_saved": ", ".join(card(w, i, lang).title for i in ranking) if ranking else None,
        "dots_left": t(
            "ws.points_left", lang, n=w.dots_left(view.mine.values()), budget=w.dot_budget
        )
        if w.method == "dots" and any(c["dots"] for c in cards)
        else None,
        "waiting": waiting,
        "entitled": not w.require_participant_code
        or (view.participant is not None and view.participant.has_participant_code),
        "nodes": node_labels(cat, lang),
    }


def render(template: str, view: View, who: Voter, status: int = 200) -> HTMLResponse:
    lang = view.lang
    context = {
        "lang": lang,
        "t": lambda key, **kw: t(key, lang, **kw),
        "view": view,
        "w": view.workshop,
        "token": who.token,
        "cookieless": not who.cookie,
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "page_url": page_url,
        "qs": query(view.code, lang),
        "notice": message(view.notice, lang) if view.notice else None,
        "prop_notice": (
            t(PROP_TEXTS[view.prop_notice], lang)
            if view.prop_notice in PROP_TEXTS
            else message(view.prop_notice, lang)
            if view.prop_notice
            else None
        ),
        "prop_sent": view.prop_notice == "sent",
        "actor_types": [(a.value, t(f"actor_type.{a.value}", lang)) for a in ActorType],
        "levels": [(lv.value, t(f"level.{lv.value}", lang)) for lv in DecisionLevel],
        "max_proposals": ws.MAX_PROPOSALS_PER_PARTICIPANT,
        "limits": {
            "name": ws.DISPLAY_NAME_MAX,
            "title": ws.PROPOSAL_TITLE_MAX,
            "text": ws.PROPOSAL_TEXT_MAX,
        },
    }
    if view.workshop is not None and view.participant is not None:
        context.update(_live_context(view))
    html = env.get_template(template).render(context)
    return HTMLResponse(html, status_code=status, headers=HTML_HEADERS)


def _known_notice(request: Request, name: str) -> str | None:
    """A notice code from the URL, only if it is one we have a text for (never echo input)."""
    code = request.query_params.get(name)
    if code is None or not code.replace("_", "").isalnum() or len(code) > 40:
        return None
    if code in PROP_TEXTS:
        return code
    try:
        t(f"err.{code}", "sv")
    except KeyError:
        return None
    return code


def throttled(handler):
    """Refuse (429, ``Retry-After``) a client that typed too many unknown join codes lately,
    before ``handler`` looks its code up; the handlers count unknown codes themselves."""

    async def wrapped(request: Request) -> Response:
        if request.query_params.get("code"):
            try:
                refuse_probing(request)
            except TooManyAttempts as exc:
                text = message(exc.code, language(request), exc.params)
                return HTMLResponse(text, status_code=429, headers={**HTML_HEADERS, **exc.headers})
        return await handler(request)

    wrapped.__doc__ = handler.__doc__
    return wrapped


async def page(request: Request) -> Response:
    """``GET /join?code=CODE``: the code form, the join form, or the voting page."""
    lang = language(request)
    raw = request.query_params.get("code")
    view = View(lang=lang, code=normalise_code(raw) if raw else None)
    view.notice = _known_notice(request, "notice")
    view.prop_notice = _known_notice(request, "pnotice")
    who = await run_in_threadpool(identify, request)
    status = 200
    if view.code:
        try:
            # the answers per pair of an open matrix session from the shared read (no query
            # per page load); the workshop itself is read afresh
            counts = (await hub.workshop(view.code)).pair_counts
            await run_in_threadpool(_load, view, who.voter_id, counts=counts)
        except DOMAIN_ERRORS as exc:
            view.workshop, view.notice = None, _refused(request, exc)
            status = 404 if view.notice == "unknown_code" else 503
    response = render("page.html", view, who, status)
    if not who.cookie:
        set_voter_cookie(request, response, who.token)
    return response


async def live(request: Request) -> Response:
    """``GET /join/live?code=CODE&after=REV``: the voting part of the page once the
    facilitator changed something (held up to 25 s; 204 if nothing changed)."""
    lang = language(request)
    view = View(lang=lang, code=normalise_code(request.query_params.get("code", "")))
    try:
        after = int(request.query_params.get("after", "-1"))
        who = await run_in_threadpool(identify, request)
        revision = 0
        if after >= 0:
            revision = await hub.wait(view.code, after, DEFAULT_WAIT_S)
            if revision <= after:
                return Response(status_code=204, headers=HTML_HEADERS)
        entry = await hub.workshop(view.code, min_revision=revision)
        await run_in_threadpool(
            _load, view, who.voter_id, workshop=entry.workshop, counts=entry.pair_counts
        )
    except (ValueError, *DOMAIN_ERRORS) as exc:
        note_unknown_code(request, exc)
        return Response(status_code=204, headers={**HTML_HEADERS, "X-Retry": "1"})
    if view.participant is None:
        return Response(status_code=204, headers={**HTML_HEADERS, "X-Reload": "1"})
    return render("live.html", view, who)


async def _form(request: Request):
    require_same_site(request)
    async with request.form(max_files=0, max_fields=60, max_part_size=4096) as form:
        return {k: v for k, v in form.multi_items() if isinstance(v, str)}, form.getlist("rank")


@dataclass
class _Post:
    """A participant's form post: the page it came from, its fields, ``rank`` list and voter."""

    view: View
    fields: dict
    ranks: list
    who: Voter


async def _posted(request: Request) -> _Post | Response:
    """Read a form post (same site only, bounded) and who sent it; or the 403 page when the
    post is refused."""
    lang = language(request)
    view = View(lang=lang, code=normalise_code(request.query_params.get("code", "")))
    try:
        fields, ranks = await _form(request)
    except DOMAIN_ERRORS as exc:
        return HTMLResponse(message(error_code(exc)[0], lang), status_code=403)
    who = await run_in_threadpool(identify, request, fields.get("voter"))
    return _Post(view, fields, ranks, who)


def _refused(request: Request, exc: Exception) -> str:
    """The error code to show for a domain error (an unknown join code is counted first)."""
    note_unknown_code(request, exc)
    return error_code(exc)[0]


def _after_post(request: Request, view: View, who: Voter, anchor: str = "", **params) -> Response:
    """Redirect back to the page (PRG); draw the page at once when the browser has no voter
    cookie (the hidden field carries its id) or when htmx asked (it swaps a part of it)."""
    if who.cookie and "hx-request" not in request.headers:
        url = page_url(view.code, view.lang, **{k: v for k, v in params.items() if v})
        return RedirectResponse(url + anchor, status_code=303)
    view.notice = params.get("notice")
    view.prop_notice = params.get("pnotice")
    return None


async def _finish(request: Request, view: View, who: Voter, anchor: str = "", **params):
    response = _after_post(request, view, who, anchor, **params)
    if response is None:
        try:
            await run_in_threadpool(_load, view, who.voter_id)
        except DOMAIN_ERRORS as exc:
            view.notice = _refused(request, exc)
        response = render("page.html", view, who)
    if not who.cookie:
        set_voter_cookie(request, response, who.token)
    return response


async def post_join(request: Request) -> Response:
    """The join form (no JavaScript needed)."""
    post = await _posted(request)
    if isinstance(post, Response):
        return post
    view, fields, who = post.view, post.fields, post.who
    notice = None
    try:
        body = JoinRequest(
            display_name=form_value(fields, "display_name", 500),
            actor_type=form_value(fields, "actor_type", 100),
            level=form_value(fields, "level", 100),
            participant_code=form_value(fields, "participant_code", 100),
        )
        await run_in_threadpool(join, view.code, who.voter_id, body)
    except ValidationError:
        notice = "invalid_request"
    except DOMAIN_ERRORS as exc:
        notice = _refused(request, exc)
    return await _finish(request, view, who, notice=notice)


def _ballot(fields: dict, ranks: list) -> BallotRequest:
    if fields.get("kind") == "ranking":
        ids = [int(r) for r in ranks if isinstance(r, str) and r.strip()]
        return BallotRequest(ranking=ids)
    item_id = int(fields.get("item_id", ""))
    if fields.get("skip"):
        return BallotRequest(item_id=item_id, skip=True)
    return BallotRequest(item_id=item_id, value=int(fields.get("value", "")))


async def post_ballot(request: Request) -> Response:
    """A ballot from a plain form (the page's JavaScript uses the JSON API instead)."""
    post = await _posted(request)
    if isinstance(post, Response):
        return post
    view, fields, ranks, who = post.view, post.fields, post.ranks, post.who
    notice, anchor = None, ""
    try:
        body = _ballot(fields, ranks)
        anchor = f"#item-{body.item_id}" if body.item_id else "#ranking"
        await run_in_threadpool(cast, view.code, who.voter_id, body)
    except (ValueError, ValidationError):
        notice = "invalid_ballot"
    except DOMAIN_ERRORS as exc:
        notice = _refused(request, exc)
    return await _finish(request, view, who, anchor, notice=notice)


def _pair_score(fields: dict) -> PairScoreRequest:
    common = {
        "item_id": int(fields.get("item_id", "")),
        "from_node": fields.get("from_node", ""),
        "to_node": fields.get("to_node", ""),
        "rationale": fields.get("rationale") or None,
    }
    if fields.get("skip"):
        return PairScoreRequest(**common, skip=True)
    return PairScoreRequest(**common, value=int(fields.get("value", "")))


async def post_pair(request: Request) -> Response:
    """A pair score of a matrix session from a plain form (phone.js uses the JSON API)."""
    lang = language(request)
    view = View(lang=lang, code=normalise_code(request.query_params.get("code", "")))
    try:
        fields, _ = await _form(request)
    except DOMAIN_ERRORS as exc:
        return HTMLResponse(message(error_code(exc)[0], lang), status_code=403)
    who = await run_in_threadpool(identify, request, fields.get("voter"))
    notice, anchor = None, ""
    try:
        body = _pair_score(fields)
        anchor = f"#item-{body.item_id}"
        await run_in_threadpool(score, view.code, who.voter_id, body)
    except (ValueError, ValidationError):
        notice = "invalid_ballot"
    except DOMAIN_ERRORS as exc:
        note_unknown_code(request, exc)
        notice = error_code(exc)[0]
    return await _finish(request, view, who, anchor, notice=notice)


def _propose(code: str, voter_id: str, fields: dict) -> None:
    ws.propose(
        code,
        voter_id,
        title=fields.get("title") or "",
        text=fields.get("text") or None,
        from_node=fields.get("from_node") or "",
        to_node=fields.get("to_node") or "",
        store=domain.store(),
    )


async def post_proposal(request: Request) -> Response:
    """A proposal of a missing conflict (plain form; htmx swaps the section in place)."""
    post = await _posted(request)
    if isinstance(post, Response):
        return post
    view, fields, who = post.view, post.fields, post.who
    if not (fields.get("title") or "").strip():
        result = "title_required"
    elif not fields.get("from_node") or not fields.get("to_node"):
        result = "choose_nodes"
    else:
        try:
            await run_in_threadpool(_propose, view.code, who.voter_id, fields)
            result = "sent"
        except DOMAIN_ERRORS as exc:
            result = _refused(request, exc)
    return await _finish(request, view, who, "#proposals", pnotice=result)
