"""HTTP plumbing shared by the JSON API and the phone page: language, errors, bodies, the
cross-site rule and the voter cookie."""

from __future__ import annotations

import json
from typing import TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

import conflicts.api.domain as domain
from conflicts import workshops as ws
from conflicts.api.models import Error
from conflicts.i18n import DEFAULT_LANGUAGE, LANGUAGES, normalise_language, t
from conflicts.identity import VOTER_COOKIE
from conflicts.store import DatabaseUnavailable
from conflicts.throttle import client_address, unknown_codes

M = TypeVar("M", bound=BaseModel)

#: Request bodies larger than this are refused (413): every real body is well under 2 KB.
MAX_BODY_BYTES = 16 * 1024
VOTER_HEADER = "x-voter-token"
NO_STORE = {"Cache-Control": "no-store"}
_ONE_YEAR = 365 * 24 * 3600

#: HTTP status per domain error code (anything else rejected by the domain: 422).
STATUS = {
    "unknown_code": 404,
    "access_denied": 401,
    "not_joined": 403,
    "not_entitled": 403,
    "cross_site": 403,
    "workshop_closed": 409,
    "workshop_not_started": 409,
    "voting_closed": 409,
    "participant_code_used": 409,
    "proposal_limit": 409,
    "too_many_attempts": 429,
    "body_too_large": 413,
    "database_unavailable": 503,
}


class ApiError(Exception):
    """An answer with an error body: ``code`` (stable) and the translation's ``params``."""

    def __init__(self, code: str, status: int | None = None, **params: object):
        super().__init__(code)
        self.code = code
        self.status = status or STATUS.get(code, 422)
        self.params = params


def language(request: Request) -> str:
    """``?lang=`` if valid, else the first of sv/en in ``Accept-Language``, else Swedish."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return normalise_language(DEFAULT_LANGUAGE)


def message(code: str, lang: str, params: dict | None = None) -> str:
    """The translated text of an error code (``err.<code>``), with a generic fallback."""
    for key in (f"err.{code}", "error.unexpected"):
        try:
            return t(key, lang, **(params or {}))
        except (KeyError, IndexError, ValueError):
            try:
                return t(key, lang)
            except (KeyError, IndexError, ValueError):
                continue
    return code


def error_code(exc: Exception) -> tuple[str, dict]:
    """``(code, params)`` for a domain or API error."""
    if isinstance(exc, DatabaseUnavailable):
        return "database_unavailable", {}
    return getattr(exc, "code", "invalid_request"), dict(getattr(exc, "params", {}) or {})


def error_response(exc: Exception, lang: str, headers: dict | None = None) -> JSONResponse:
    code, params = error_code(exc)
    status = exc.status if isinstance(exc, ApiError) else STATUS.get(code, 422)
    body = Error(error=code, message=message(code, lang, params)).model_dump()
    return JSONResponse(body, status_code=status, headers={**NO_STORE, **(headers or {})})


async def read_body(request: Request) -> bytes:
    """The request body, refused (413) beyond :data:`MAX_BODY_BYTES` without reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise ApiError("body_too_large")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ApiError("body_too_large")
        chunks.append(chunk)
    return b"".join(chunks)


async def json_body(request: Request, model: type[M], *, empty_ok: bool = False) -> M:
    """Parse and validate a JSON body as ``model``; 422 ``invalid_request`` when it is not one
    (malformed, NaN/Infinity, too deep, wrong types, unknown fields)."""
    raw = await read_body(request)
    if not raw.strip() and empty_ok:
        raw = b"{}"
    try:
        return model.model_validate_json(raw)
    except (ValidationError, ValueError, RecursionError) as exc:
        raise ApiError("invalid_request") from exc


def form_value(form, name: str, max_len: int = 2000) -> str | None:
    """A single text field of a parsed form, None when absent, blank or not text."""
    value = form.get(name)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value[:max_len] if value else None


def same_site(request: Request) -> bool:
    """False when ``Origin`` (or, lacking it, ``Referer``) names another site than the one the
    request was sent to; True when it names this site or neither header is there."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if source is None:
        return True
    netloc = urlsplit(source).netloc.lower() if source != "null" else ""
    host = (request.headers.get("x-forwarded-host") or request.headers.get("host") or "").lower()
    return bool(netloc) and netloc == host.split(",")[0].strip()


def require_same_site(request: Request) -> None:
    if not same_site(request):
        raise ApiError("cross_site")


class TooManyAttempts(ApiError):
    """429 with ``Retry-After``: the client (or the workshop) is throttled."""

    def __init__(self, seconds: int):
        super().__init__("too_many_attempts", seconds=seconds)
        self.headers = {"Retry-After": str(seconds)}


def client_key(request: Request) -> str:
    """Who is asking, for throttling (see :func:`conflicts.throttle.client_address`)."""
    return client_address(request.client.host if request.client else None, request.headers)


def refuse_probing(request: Request) -> None:
    """Raise :class:`TooManyAttempts` when this client typed too many unknown join codes
    lately. Every code is refused then, known ones too: answering those would let the probe
    go on (200 vs 429 tells as much as 200 vs 404)."""
    wait = unknown_codes.wait(client_key(request))
    if wait is not None:
        raise TooManyAttempts(wait)


def note_unknown_code(request: Request, exc: BaseException) -> None:
    """Count ``exc`` against the client when it is an unknown join code (once per request)."""
    if isinstance(exc, ws.WorkshopNotFound) and not getattr(request.state, "code_noted", False):
        request.state.code_noted = True
        unknown_codes.failed(client_key(request), getattr(exc, "params", {}).get("code_value", "-"))


def normalise_code(code: str) -> str:
    return ws.normalise_code(code)[:32]


# --------------------------------------------------------------------------------------------
# The voter
# --------------------------------------------------------------------------------------------
def voter(request: Request, form_token: str | None = None) -> str | None:
    """The voter id of this request from a validly signed token: the cookie, else the
    ``X-Voter-Token`` header, else a form's hidden ``voter`` field; None otherwise."""
    signer = domain.signer()
    for token in (
        request.cookies.get(VOTER_COOKIE),
        request.headers.get(VOTER_HEADER),
        form_token,
    ):
        voter_id = signer.unsign(token)
        if voter_id:
            return voter_id
    return None


def has_valid_cookie(request: Request) -> bool:
    return domain.signer().unsign(request.cookies.get(VOTER_COOKIE)) is not None


def set_voter_cookie(request: Request, response: Response, token: str) -> None:
    """Give the browser ``token`` as an httpOnly cookie for a year (Secure over HTTPS)."""
    proto = request.headers.get("x-forwarded-proto", request.url.scheme).split(",")[0].strip()
    response.set_cookie(
        VOTER_COOKIE,
        token,
        max_age=_ONE_YEAR,
        path="/",
        httponly=True,
        samesite="lax",
        secure=proto == "https",
    )


def json_dumps(value: object) -> str:
    """JSON for embedding (compact, non-ASCII kept)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
