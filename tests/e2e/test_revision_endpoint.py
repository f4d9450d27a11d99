"""``GET /api/workshops/CODE/revision`` on a real app server: what phones poll to follow the
facilitator (conflicts.ui.watch)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from conflicts import workshops as ws
from conflicts.store import Store
from tests.helpers import grant_for

pytestmark = pytest.mark.e2e


def _get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, json.loads(r.read()), r.headers.get("Cache-Control", "")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read()), e.headers.get("Cache-Control", "")


def test_revision_follows_the_facilitator(server) -> None:
    store = Store(f"sqlite:///{server.data_dir / 'conflicts.db'}")
    code = ws.create_workshop("stockholm", store=store).workshop.code
    url = f"{server.url}/api/workshops/{code.lower()}/revision"  # codes are typed loosely

    status, body, cache = _get(url)
    assert status == 200 and cache == "no-store"
    revision, tally_revision = ws.poll(code, store=store)
    assert body == {"code": code, "revision": revision, "tally_revision": tally_revision}
    before = body["revision"]

    ws.step(grant_for(code, store), 1, store=store)  # the facilitator presses N
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        status, body, _ = _get(url)
        if body["revision"] != before:
            break
        time.sleep(0.1)
    assert body["revision"] == ws.poll(code, store=store)[0] > before

    status, body, _ = _get(f"{server.url}/api/workshops/ZZZZZZ/revision")
    assert status == 404 and body["error"] == "unknown_code" and body["message"]
