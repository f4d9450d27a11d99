"""The deploy/ example for real: nginx in front of two app processes on one PostgreSQL database.

A small workshop runs through nginx: the facilitator opens an item with the API, phones join and
vote with the API while nginx spreads their requests over both processes (each answer names its
process in ``X-Conflicts-Upstream``), and each process alone, and the projector page behind
nginx (Streamlit's websocket through the proxy), sees every vote.

Needs nginx and PostgreSQL (``CONFLICTS_TEST_POSTGRES_URL``). A missing one skips the test,
or fails it when ``CONFLICTS_REQUIRE_NGINX`` / ``CONFLICTS_REQUIRE_POSTGRES`` is set (CI).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import pytest
import requests

from conflicts.testing import ROOT, LocalDeployment, find_nginx
from tests.conftest import POSTGRES_ENV, _postgres_schema_url
from tests.e2e.conftest import wait_for_app

UPSTREAM = "X-Conflicts-Upstream"
PHONES = 6


def _missing(what: str, require_env: str) -> None:
    if os.environ.get(require_env):
        pytest.fail(f"{what} ({require_env} is set)")
    pytest.skip(what)


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL schema, dropped afterwards."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        _missing(f"{POSTGRES_ENV} is not set: no PostgreSQL", "CONFLICTS_REQUIRE_POSTGRES")
    from sqlalchemy import create_engine, text

    from conflicts.config import normalise_database_url
    from conflicts.store import dispose_engines

    schema = f"t_nginx_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_database_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _postgres_schema_url(base, schema)
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def deployment(postgres_url: str) -> Iterator[LocalDeployment]:
    if find_nginx() is None:
        _missing("nginx is not installed (apt-get install -y nginx)", "CONFLICTS_REQUIRE_NGINX")
    with LocalDeployment(postgres_url, processes=2) as d:
        yield d


@pytest.fixture(scope="module")
def room(deployment: LocalDeployment, postgres_url: str) -> dict:
    """A draft workshop on the bundled catalogue, made in the shared database."""
    from conflicts import workshops as ws
    from conflicts.store import get_store

    created = ws.create_workshop("stockholm", title="nginx", store=get_store(postgres_url))
    items = [i.id for i in created.workshop.items if i.kind != "warmup"]
    return {"code": created.workshop.code, "key": created.facilitator_key, "items": items}


def _ports(deployment: LocalDeployment) -> set[str]:
    return {f"127.0.0.1:{a.port}" for a in deployment.apps}


class Client(requests.Session):
    """A browser-like client of one base URL: its own cookies, relative paths, a timeout."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def request(self, method: str, path: str, **kw):  # type: ignore[override]
        return super().request(method, self.base + path, timeout=30, **kw)


def _json(response: requests.Response) -> dict:
    assert response.headers.get("content-type", "").startswith("application/json"), (
        response.status_code,
        response.headers.get("content-type"),
        response.text[:300],
    )
    return response.json()


def _step(url: str, room: dict, item_id: int | None, voting: str | None) -> dict:
    r = requests.post(
        f"{url}/api/workshops/{room['code']}/facilitator/step",
        json={"item_id": item_id, "voting": voting},
        headers={"Authorization": f"Bearer {room['key']}"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return _json(r)


def _tally_ballots(base: str, code: str, item_id: int, expected: int) -> int:
    """The tally's ballots for ``item_id`` as the process at ``base`` serves them, asked until
    they reach ``expected`` or 5 s pass (the state may be cached for half a second)."""
    deadline = time.monotonic() + 5
    while True:
        state = _json(requests.get(f"{base}/api/workshops/{code}/state", timeout=30))
        assert state["tally"] is not None, "results are not hidden in this workshop"
        (entry,) = [t for t in state["tally"] if t["item_id"] == item_id]
        if entry["ballots"] >= expected or time.monotonic() > deadline:
            return entry["ballots"]
        time.sleep(0.2)


def _export(postgres_url: str, code: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "conflicts", "workshop", "export", code, "--format", "json"],
        cwd=ROOT,
        env={**os.environ, "CONFLICTS_DATABASE_URL": postgres_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout)


def test_workshop_through_nginx_on_two_processes(
    deployment: LocalDeployment, room: dict, postgres_url: str, browser
) -> None:
    url, code = deployment.url, room["code"]
    item = room["items"][0]

    # A wrong key is refused through the proxy too.
    r = requests.post(
        f"{url}/api/workshops/{code}/facilitator/step",
        json={"item_id": item, "voting": "open"},
        headers={"Authorization": "Bearer not-the-key"},
        timeout=30,
    )
    assert r.status_code == 401, r.text
    _step(url, room, item, "open")

    phones = [Client(url) for _ in range(PHONES)]
    served_by: list[set[str]] = []
    values = {}
    try:
        for n, phone in enumerate(phones):
            seen = set()
            page = phone.get("/join", params={"code": code})
            assert page.status_code == 200 and "text/html" in page.headers["content-type"]
            seen.add(page.headers[UPSTREAM])
            joined = phone.post(f"/api/workshops/{code}/participants", json={})
            assert joined.status_code == 200, joined.text
            seen.add(joined.headers[UPSTREAM])
            state = phone.get(f"/api/workshops/{code}/state")
            seen.add(state.headers[UPSTREAM])
            current = _json(state)["current"]
            assert current is not None and current["item_id"] == item
            assert current["voting"] == "open"
            options = [o["value"] for o in current["options"]]
            values[n] = options[n % len(options)]
            vote = phone.post(
                f"/api/workshops/{code}/ballots", json={"item_id": item, "value": values[n]}
            )
            assert vote.status_code == 200, vote.text
            assert _json(vote)["value"] == values[n] and _json(vote)["item_id"] == item
            seen.add(vote.headers[UPSTREAM])
            # The phone's own record, from whichever process answers.
            me = phone.get(f"/api/workshops/{code}/me")
            assert [(b["item_id"], b["value"]) for b in _json(me)["ballots"]] == [(item, values[n])]
            seen.add(me.headers[UPSTREAM])
            served_by.append(seen)

        # No stickiness for phones: every phone was served by both processes (its signed voter
        # cookie is honoured by the process that did not issue it: one shared secret).
        assert all(s == _ports(deployment) for s in served_by), served_by

        # A changed vote is stored once, whichever process takes it.
        values[0] = next(v for v in options if v != values[0])
        again = phones[0].post(
            f"/api/workshops/{code}/ballots", json={"item_id": item, "value": values[0]}
        )
        assert again.status_code == 200, again.text
    finally:
        for phone in phones:
            phone.close()

    # Each process alone sees every vote (the state API's tally, straight from the process).
    for app in deployment.apps:
        assert _tally_ballots(app.url, code, item, PHONES) == PHONES, app.url

    # The projector behind nginx: a Streamlit page over the proxied websocket shows them all.
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(f"{url}/projector?code={code}")
        wait_for_app(page)
        page.wait_for_function(
            "n => document.querySelector('[data-ballots]')?.dataset.ballots === String(n)",
            arg=PHONES,
            timeout=30_000,
        )
    finally:
        page.close()

    export = _export(postgres_url, code)
    stored = sorted(b["value"] for b in export["ballots"] if b["item_id"] == item)
    assert stored == sorted(values.values())

    # Closing through the proxy: a late ballot gets a JSON error, not a stored vote.
    _step(url, room, item, "closed")
    with Client(url) as late:
        assert late.post(f"/api/workshops/{code}/participants", json={}).status_code == 200
        r = late.post(f"/api/workshops/{code}/ballots", json={"item_id": item, "value": 1})
        assert 400 <= r.status_code < 500 and "error" in _json(r), r.text


def test_streamlit_pages_are_sticky(deployment: LocalDeployment) -> None:
    """One browser (one mk_route cookie) always reaches the same process; the websocket
    handshake goes through with the Upgrade headers."""
    with Client(deployment.url) as browser_like:
        first = browser_like.get("/projector")
        assert first.status_code == 200
        assert re.fullmatch(r"[0-9a-f]{32}", browser_like.cookies["mk_route"])
        upstreams = {browser_like.get(p).headers[UPSTREAM] for p in ["/", "/facilitate"] * 3}
        upstreams |= {browser_like.get("/_stcore/health").headers[UPSTREAM] for _ in range(4)}
        assert len(upstreams) == 1, upstreams
    with Client(deployment.url) as health:
        assert health.get("/healthz").text == "ok"
