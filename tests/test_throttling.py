"""Guessing is throttled (issue 11, items 2-4): facilitator keys and the admin password per
client and per workshop, the create password, unknown join codes; one count for the console,
the results page and the API. In process: the API through Starlette's TestClient and the pages
through AppTest, both on a real SQLite file, with the throttles' clocks moved by hand."""

from __future__ import annotations

import logging

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from conflicts import api, throttle
from conflicts import workshops as ws
from conflicts.i18n import t
from conflicts.throttle import Backoff, Guard
from tests.apptest import PAGE_SCRIPT, TIMEOUT
from tests.helpers import env_store


class Clock:
    """A hand-moved clock for every limit of the process's guards."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    for guard in (throttle.facilitator_keys, throttle.create_password, throttle.unknown_codes):
        for limit in (guard.per_client, guard.per_target):
            if limit is not None:
                monkeypatch.setattr(limit, "clock", c)
    return c


@pytest.fixture
def client(database, monkeypatch) -> TestClient:
    """The JSON API; ``X-Real-IP`` names the client (the test client is a trusted proxy)."""
    monkeypatch.setenv("CONFLICTS_TRUSTED_PROXIES", "testclient")
    return TestClient(Starlette(routes=api.routes()))


def _step(client: TestClient, code: str, key: str, ip: str):
    return client.post(
        f"/api/workshops/{code}/facilitator/step",
        json={"item_id": None},
        headers={"Authorization": f"Bearer {key}", "X-Real-IP": ip},
    )


def test_backoff_waits_grow_for_a_patient_guesser() -> None:
    """200 wrong keys, each sent as soon as allowed: the waits double up to the cap, so the
    200 take days instead of the 21 s measured before."""
    guard = Guard("key", per_client=Backoff(free=5, base_s=60, max_s=3600))
    now, waits = 0.0, []
    for _ in range(200):
        wait = guard.wait("198.51.100.1", "W", now=now)
        if wait is not None:
            waits.append(wait)
            now += wait
        assert guard.wait("198.51.100.1", "W", now=now) is None
        guard.failed("198.51.100.1", "W", now=now)
    assert waits[:6] == [60, 120, 240, 480, 960, 1920]
    assert waits == sorted(waits) and waits[-1] == 3600
    assert now > 7 * 24 * 3600  # a week for 200 guesses


def test_api_refuses_wrong_keys_then_a_right_key_after_the_wait_works(client, clock, caplog):
    created = ws.create_workshop("stockholm", store=env_store())
    code, key = created.workshop.code, created.facilitator_key
    caplog.set_level(logging.WARNING, logger="conflicts.security")
    statuses, waits = [], []
    for _ in range(200):
        r = _step(client, code, "wrong", "198.51.100.1")
        statuses.append(r.status_code)
        if r.status_code == 429:
            waits.append(int(r.headers["Retry-After"]))
            assert r.json()["error"] == "too_many_attempts"
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
    assert _step(client, code, key, "198.51.100.1").status_code == 429  # the right key waits too
    clock.now += waits[-1]
    assert _step(client, code, "wrong again", "198.51.100.1").status_code == 401
    r = _step(client, code, "wrong", "198.51.100.1")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > waits[-1]  # it grew
    clock.now += int(r.headers["Retry-After"])
    assert _step(client, code, key, "198.51.100.1").status_code == 200
    # logged with the client and the workshop, never the key
    log = caplog.text
    assert "failed facilitator_key attempt: client=198.51.100.1 target=" + code in log
    assert "refused facilitator_key attempt" in log
    assert key not in log and "wrong again" not in log


def test_a_workshop_under_attack_does_not_lock_other_workshops(client, clock) -> None:
    store = env_store()
    a = ws.create_workshop("stockholm", store=store)
    b = ws.create_workshop("stockholm", store=store)
    for n in range(20):  # twenty addresses, one wrong key each: a spread-out guesser
        assert _step(client, a.workshop.code, "wrong", f"203.0.113.{n}").status_code == 401
    r = _step(client, a.workshop.code, a.facilitator_key, "192.0.2.77")
    assert r.status_code == 429  # workshop A waits, for anyone
    assert _step(client, b.workshop.code, b.facilitator_key, "192.0.2.77").status_code == 200
    assert _step(client, b.workshop.code, b.facilitator_key, "203.0.113.1").status_code == 200


def test_one_count_for_the_api_and_the_console(client, clock) -> None:
    created = ws.create_workshop("stockholm", store=env_store())
    code = created.workshop.code
    for _ in range(5):  # AppTest's session has no address: it is the local client
        assert _step(client, code, "wrong", "127.0.0.1").status_code == 401
    at = _page("facilitate", code=code)
    at.text_input(key="unlock_key").input(created.facilitator_key)
    at.button(key="unlock_submit").click().run()
    assert not at.exception
    assert "Wait" in at.error[0].value and not at.get("tabs")
    clock.now += 3600
    at.text_input(key="unlock_key").input(created.facilitator_key)
    at.button(key="unlock_submit").click().run()
    assert not at.error and at.tabs


def test_results_page_key_gate_is_throttled(database, clock) -> None:
    created = ws.create_workshop("stockholm", title="Secret round", store=env_store())
    at = _page("results", code=created.workshop.code)
    for _ in range(6):
        at.text_input(key="unlock_key").input("guess")
        at.button(key="unlock_submit").click().run()
    assert at.error[0].value == t("err.too_many_attempts", "en", seconds=60)
    assert "Secret round" not in " ".join(x.value for x in at.title)


def _page(name: str, **query: str) -> AppTest:
    at = AppTest.from_string(PAGE_SCRIPT.format(name=name), default_timeout=TIMEOUT)
    for k, v in {**query, "lang": "en"}.items():
        at.query_params[k] = v
    return at.run()


def test_unknown_codes_on_pages_then_a_clear_message(database, clock) -> None:
    known = ws.create_workshop("stockholm", store=env_store()).workshop.code
    at = _page("projector", code="ZZZZZZ")
    assert at.error[0].value == t("err.unknown_code", "en", code="ZZZZZZ") or at.error
    assert not _page("projector", code=known).error  # one wrong code: known ones still work
    for n in range(19):
        _page("results", code=f"ZZZZ{n:02d}")
    at = _page("facilitate", code=known)
    assert at.error[0].value == t("err.too_many_attempts", "en", seconds=60)
    clock.now += 60
    assert not _page("projector", code=known).error


def test_unknown_codes_on_the_api_and_the_phone_page(client, clock) -> None:
    known = ws.create_workshop("stockholm", store=env_store()).workshop.code
    ip = {"X-Real-IP": "198.51.100.9"}
    assert client.get("/api/workshops/ZZZZZZ/state", headers=ip).status_code == 404
    assert client.get(f"/api/workshops/{known}/state", headers=ip).status_code == 200
    for n in range(19):
        assert client.get(f"/api/workshops/QQQQ{n:02d}/me", headers=ip).status_code == 404
    for path in ("state", "revision", "me"):
        r = client.get(f"/api/workshops/{known}/{path}", headers=ip)
        assert r.status_code == 429 and r.headers["Retry-After"] == "60"
    other = {"X-Real-IP": "198.51.100.10"}  # another client is not concerned
    assert client.get(f"/api/workshops/{known}/state", headers=other).status_code == 200
    clock.now += 60
    assert client.get(f"/api/workshops/{known}/state", headers=ip).status_code == 200


def test_create_needs_the_password_when_one_is_set(database, clock, monkeypatch) -> None:
    monkeypatch.setenv("CONFLICTS_ADMIN_PASSWORD", "admin-secret")
    monkeypatch.delenv("CONFLICTS_CREATE_PASSWORD", raising=False)
    at = _page("facilitate")
    at.text_input(key="create_password").input("nope")
    at.button(key="create_submit").click().run()
    assert at.error[0].value == t("err.create_password", "en")
    assert "code" not in at.query_params
    for _ in range(5):
        at.text_input(key="create_password").input("nope")
        at.button(key="create_submit").click().run()
    assert at.error[0].value.startswith(t("err.too_many_attempts", "en", seconds=1)[:10])
    clock.now += 3600
    at.text_input(key="create_password").input("admin-secret")
    at.button(key="create_submit").click().run()
    assert not at.exception and not at.error and at.query_params["code"]


def test_a_separate_create_password_and_none_without_passwords(database, monkeypatch) -> None:
    monkeypatch.setenv("CONFLICTS_ADMIN_PASSWORD", "admin-secret")
    monkeypatch.setenv("CONFLICTS_CREATE_PASSWORD", "create-secret")
    at = _page("facilitate")
    at.text_input(key="create_password").input("admin-secret")
    at.button(key="create_submit").click().run()
    assert at.error[0].value == t("err.create_password", "en")
    at.text_input(key="create_password").input("create-secret")
    at.button(key="create_submit").click().run()
    assert not at.error and at.query_params["code"]
    monkeypatch.delenv("CONFLICTS_ADMIN_PASSWORD")
    monkeypatch.delenv("CONFLICTS_CREATE_PASSWORD")
    at = _page("facilitate")
    assert "create_password" not in [w.key for w in at.text_input]
    at.button(key="create_submit").click().run()
    assert not at.error and at.query_params["code"]


def test_the_cli_creates_without_a_password(database, monkeypatch) -> None:
    monkeypatch.setenv("CONFLICTS_ADMIN_PASSWORD", "admin-secret")
    monkeypatch.setenv("CONFLICTS_CREATE_PASSWORD", "create-secret")
    from conflicts.cli import main

    assert main(["workshop", "create", "stockholm"]) == 0  # a local admin: no password asked
    assert len(ws.list_workshops(store=env_store())) == 1


def test_parallel_guesses_do_not_slip_through_before_the_count(client, clock) -> None:
    from concurrent.futures import ThreadPoolExecutor

    code = ws.create_workshop("stockholm", store=env_store()).workshop.code
    with ThreadPoolExecutor(16) as pool:
        statuses = list(
            pool.map(
                lambda n: _step(client, code, f"guess{n}", "198.51.100.5").status_code, range(48)
            )
        )
    assert statuses.count(401) == 5 and statuses.count(429) == 43
