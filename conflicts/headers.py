"""Security headers for every HTTP response the app sends (an ASGI middleware).

Two policies, chosen by path:

- **strict** for the participant page, its assets and the JSON API (``/join``, ``/api/``, ``/p/``):
  nothing but the app's own scripts, styles and images; no inline script; no framing. These pages
  are written by us, so they need nothing more.
- **app** for Streamlit's pages (console, projector, Explore, Results): Streamlit's page shell has an
  inline boot script and its components inject inline styles, so ``'unsafe-inline'`` stays for
  scripts and styles; everything still comes from the app itself (no CDN, no third-party font or icon
  host: a participant's address never leaves the room's network), and no other site may frame a page
  (a foreign page framing ``/facilitate`` could otherwise trick a facilitator into typing the key).

Every response also gets ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` (for old
browsers that ignore ``frame-ancestors``), ``Referrer-Policy: same-origin`` (a join code in the
address is never sent to another site; ``no-referrer`` would make Chromium send ``Origin: null`` on
the page's own form posts, which the API's cross-site check must refuse) and a ``Permissions-Policy`` that turns off camera,
microphone and location. A header the route set itself is kept.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

STRICT_PREFIXES = ("/join", "/api/", "/p/")

STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# blob: in script-src: Streamlit's components v2 (the notes' autosave, the revision watcher, the
# sign-in post) import their own fixed JS as a blob: module; without it they do not run.
APP_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; frame-src 'self' blob: data:; worker-src 'self' blob:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
COMMON = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


def policy_for(path: str) -> str:
    """The Content-Security-Policy for a request path.

    Examples
    --------
    >>> policy_for("/join") == STRICT_CSP and policy_for("/api/workshops/ABC/state") == STRICT_CSP
    True
    >>> policy_for("/facilitate") == APP_CSP
    True
    """
    strict = path == "/join" or path.startswith(STRICT_PREFIXES[1:]) or path.startswith("/join/")
    return STRICT_CSP if strict else APP_CSP


def security_headers(path: str) -> dict[str, str]:
    """All headers the middleware adds to a response for ``path`` (lower-case names)."""
    return {**COMMON, "content-security-policy": policy_for(path)}


class SecurityHeadersMiddleware:
    """Add :func:`security_headers` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [
            (name.encode(), value.encode())
            for name, value in security_headers(scope.get("path", "")).items()
        ]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in extra if n not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
