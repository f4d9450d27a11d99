"""HTTP routes that set and clear the facilitator's session cookie (Streamlit cannot set an
httpOnly cookie itself).

``POST /facilitator/signin`` (form field ``ticket``): swaps a fresh ticket from the console
(:func:`conflicts.workshops.session_ticket`) for the signed session token and sets it as the
httpOnly, SameSite=Strict cookie ``mk_fac_CODE`` for :data:`~conflicts.workshops.SESSION_MAX_AGE_S`
(Secure over HTTPS). ``POST /facilitator/signout`` (form field ``code``) clears it. Both answer
204, or 400 for a bad ticket or code and 403 for a request from another site.
"""

from __future__ import annotations

import threading

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from conflicts import workshops as ws
from conflicts.api.http import same_site
from conflicts.identity import secret_key
from conflicts.store import Store, get_store

SIGNIN_ROUTE = "/facilitator/signin"
SIGNOUT_ROUTE = "/facilitator/signout"
_FORM_MAX = 2_000

_secrets: dict[str, str] = {}
_lock = threading.Lock()


def facilitator_secret(store: Store) -> str:
    """The server secret for ``store``'s database, read once per process (see
    :func:`conflicts.identity.secret_key`)."""
    with _lock:
        if store.url not in _secrets:
            _secrets[store.url] = secret_key(store)
        return _secrets[store.url]


def _secure(request: Request) -> bool:
    proto = request.headers.get("x-forwarded-proto", request.url.scheme)
    return proto.split(",")[0].strip() == "https"


async def _field(request: Request, name: str) -> str | None:
    body = await request.body()
    if len(body) > _FORM_MAX:
        return None
    form = await request.form()
    value = form.get(name)
    return value if isinstance(value, str) else None


async def signin_endpoint(request: Request) -> Response:
    if not same_site(request):
        return Response(status_code=403)
    swapped = ws.session_from_ticket(
        await _field(request, "ticket"), secret=facilitator_secret(get_store())
    )
    if swapped is None:
        return Response(status_code=400)
    code, token = swapped
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        ws.session_cookie_name(code),
        token,
        max_age=ws.SESSION_MAX_AGE_S,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


async def signout_endpoint(request: Request) -> Response:
    if not same_site(request):
        return Response(status_code=403)
    code = ws.normalise_code(await _field(request, "code") or "")
    if not code or not code.isalnum():
        return Response(status_code=400)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(
        ws.session_cookie_name(code),
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


def routes() -> list[BaseRoute]:
    """The sign-in routes, for ``st.App(routes=...)``."""
    return [
        Route(SIGNIN_ROUTE, signin_endpoint, methods=["POST"]),
        Route(SIGNOUT_ROUTE, signout_endpoint, methods=["POST"]),
    ]
