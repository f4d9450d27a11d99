"""HTTP layer around Streamlit's server: the extra routes for ``st.App`` and a socket fix.

The phones are not Streamlit sessions: their page (:mod:`conflicts.phone`) and the JSON API
(:mod:`conflicts.api`) are plain Starlette routes served by the same process, answered before
Streamlit's page shell. Streamlit keeps the console, projector, Explore, Catalogue and Results.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import BaseRoute


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
    """Middleware applied to every HTTP request (before Streamlit's own): security headers."""
    from conflicts.headers import SecurityHeadersMiddleware

    return [Middleware(SecurityHeadersMiddleware)]


def routes() -> list[BaseRoute]:
    """Extra HTTP routes (none may use Streamlit's reserved prefixes)."""
    from conflicts import api, phone, signin_http
    from conflicts.series import http as series_http

    return [*api.routes(), *phone.routes(), *signin_http.routes(), *series_http.routes()]
