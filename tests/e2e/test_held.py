"""What the security review found held (issue 11): regression tests over real HTTP."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import requests
import websockets

from conflicts import workshops as ws
from conflicts.identity import VOTER_COOKIE
from conflicts.store import Store


def test_voter_cookie_flags(server) -> None:
    store = Store(f"sqlite:///{server.data_dir / 'conflicts.db'}")
    code = ws.create_workshop("stockholm", store=store).workshop.code
    url = f"{server.url}/api/workshops/{code}/participants"
    plain = requests.post(url, json={}).headers["set-cookie"]
    assert plain.startswith(VOTER_COOKIE + "=")
    lowered = plain.lower()
    assert "httponly" in lowered and "samesite=lax" in lowered and "path=/" in lowered
    assert "secure" not in lowered  # plain HTTP: a Secure cookie would never come back
    tls = requests.post(url, json={}, headers={"X-Forwarded-Proto": "https"}).headers["set-cookie"]
    assert "secure" in tls.lower()


def test_cross_origin_websocket_is_refused(server) -> None:
    ws_url = server.url.replace("http://", "ws://") + "/_stcore/stream"

    async def connect(origin: str) -> str:
        try:
            async with websockets.connect(
                ws_url, origin=origin, subprotocols=["streamlit"], open_timeout=10
            ):
                return "open"
        except websockets.exceptions.InvalidStatus as exc:
            return str(exc.response.status_code)

    def attempt(origin: str) -> str:
        # Playwright's sync API may hold an event loop in this thread: run ours in another.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, connect(origin)).result()

    assert attempt("https://evil.example") == "403"
    assert attempt(server.url) == "open"
