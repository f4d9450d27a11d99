"""HTTP layer around Streamlit's server: middleware and extra routes for ``st.App``.

The voter cookie gives every browser a random, httpOnly id on its first page load. Streamlit's
session state dies with a reload or a phone that locks and drops its websocket; the cookie does
not, so a participant keeps one ballot per conflict however often the page reloads.
"""

from __future__ import annotations

import re
import secrets
import time
from http.cookies import SimpleCookie

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from conflicts.services import Services
from conflicts.store import Store

VOTER_COOKIE = "mk_voter"
VOTER_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_ONE_YEAR = 365 * 24 * 3600


def new_voter_id() -> str:
    return secrets.token_urlsafe(18)


def valid_voter_id(value: str | None) -> bool:
    return isinstance(value, str) and bool(VOTER_ID_PATTERN.match(value))


def _request_cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header: treat as absent
                continue
            if name in jar:
                return jar[name].value
    return None


def _is_https(scope: Scope) -> bool:
    if scope.get("scheme") == "https":
        return True
    headers = dict(scope.get("headers", []))
    return headers.get(b"x-forwarded-proto", b"").split(b",")[0].strip() == b"https"


class VoterCookieMiddleware:
    """Set ``mk_voter`` (random, httpOnly, SameSite=Lax, one year) when a request lacks it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or valid_voter_id(_request_cookie(scope, VOTER_COOKIE)):
            await self.app(scope, receive, send)
            return
        cookie = (
            f"{VOTER_COOKIE}={new_voter_id()}; Path=/; Max-Age={_ONE_YEAR}; HttpOnly; SameSite=Lax"
        )
        if _is_https(scope):
            cookie += "; Secure"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"set-cookie", cookie.encode())]
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def enable_tcp_nodelay() -> None:
    """Send every websocket frame at once instead of waiting for the peer's delayed ACK.

    Streamlit 1.67 opens its listening socket without naming the protocol (``proto == 0``), so
    asyncio's ``_set_nodelay`` skips TCP_NODELAY on each connection and Nagle's algorithm holds the
    rest of a script run's messages until the client's delayed ACK: about 40 ms added to every
    rerun (measured with benchmarks/rerun.py). asyncio looks the function up at call time, so
    replacing it here covers every connection accepted afterwards.
    """
    import asyncio.base_events as base_events
    import socket

    def set_nodelay(sock: socket.socket) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    base_events._set_nodelay = set_nodelay


def middleware() -> list[Middleware]:
    """Middleware applied to every HTTP request (before Streamlit's own)."""
    from conflicts.headers import SecurityHeadersMiddleware

    return [Middleware(SecurityHeadersMiddleware), Middleware(VoterCookieMiddleware)]


#: Where phones ask whether the facilitator changed anything (see conflicts.ui.watch).
REVISION_ROUTE = "/api/workshops/{code}/revision"
_POLL_TTL_S = 0.5
_poll_cache: dict[str, tuple[float, tuple[int, int]]] = {}


def _fresh(code: str) -> tuple[int, int] | None:
    hit = _poll_cache.get(code)
    return hit[1] if hit is not None and time.monotonic() - hit[0] < _POLL_TTL_S else None


def cached_poll(code: str, *, store: Store) -> tuple[int, int]:
    """``workshops.poll`` shared by every phone of this process for half a second: hundreds of
    phones asking every second cost two small reads per second, not hundreds. THE poll cache:
    the revision route and the join page's fallback both read through it."""
    from conflicts import workshops as ws

    hit = _fresh(code)
    if hit is not None:
        return hit
    now = time.monotonic()
    result = ws.poll(code, store=store)  # raises WorkshopNotFound: unknown codes are never cached
    if len(_poll_cache) > 1024:
        _poll_cache.clear()
    _poll_cache[code] = (now, result)
    return result


async def revision_endpoint(request: Request, services: Services) -> JSONResponse:
    """``GET /api/workshops/CODE/revision`` -> ``{"code", "revision", "tally_revision"}``.

    404 ``{"error": "unknown_code"}``, 503 ``{"error": "database_unavailable"}``. Never cached
    by the browser. Reveals nothing but two counters of a workshop whose code one knows."""
    from conflicts import workshops as ws
    from conflicts.store import DatabaseUnavailable

    code = ws.normalise_code(request.path_params["code"])
    headers = {"Cache-Control": "no-store"}
    try:
        # A fresh cached answer is served on the event loop: a thread hop costs more than it.
        revision, tally_revision = _fresh(code) or await run_in_threadpool(
            cached_poll, code, store=services.store
        )
    except ws.WorkshopNotFound:
        return JSONResponse({"error": "unknown_code"}, status_code=404, headers=headers)
    except DatabaseUnavailable:
        return JSONResponse({"error": "database_unavailable"}, status_code=503, headers=headers)
    body = {"code": code, "revision": revision, "tally_revision": tally_revision}
    return JSONResponse(body, headers=headers)


def routes(services: Services) -> list[BaseRoute]:
    """Extra HTTP routes (none may use Streamlit's reserved prefixes), on ``services`` (the
    same :func:`conflicts.ui.common.app_services` the pages get)."""

    async def revision(request: Request) -> JSONResponse:
        return await revision_endpoint(request, services)

    return [Route(REVISION_ROUTE, revision, methods=["GET"])]
