"""The participants' JSON API over real HTTP against a real server (``streamlit run app.py``).

Identity (signed, forged refused), the cross-site rule, idempotent ballots, every method, the
facilitator step with its 401/429, hostile bodies (never a 5xx), long polling and the OpenAPI
document. Every effect is checked in the database the server writes.
"""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests

from conflicts import workshops as ws
from conflicts.identity import VOTER_COOKIE
from conflicts.reports.export import export_workshop
from conflicts.store import Store

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def store(server) -> Store:
    return Store(f"sqlite:///{server.data_dir / 'conflicts.db'}")


def _workshop(store: Store, method: str = "rating", mode: str = "follow", **settings):
    created = ws.create_workshop("stockholm", store=store)
    code = created.workshop.code
    if method != "rating" or settings:
        ws.set_voting_method(ws.local_grant(code, store=store), method, **settings, store=store)
    ws.set_mode(ws.local_grant(code, store=store), mode, store=store)
    ws.open_workshop(ws.local_grant(code, store=store), store=store)
    return code, created.facilitator_key, [i.id for i in created.workshop.items]


def _open(store: Store, code: str, *item_ids: int) -> None:
    for item_id in item_ids:
        ws.open_voting(ws.local_grant(code, store=store), item_id, store=store)
    ws.set_current_item(ws.local_grant(code, store=store), item_ids[0], store=store)


def _api(server, code: str, path: str) -> str:
    return f"{server.url}/api/workshops/{code}/{path}"


def _joined(server, code: str, **body) -> requests.Session:
    s = requests.Session()
    r = s.post(_api(server, code, "participants"), json=body)
    assert r.status_code == 200, r.text
    return s


def _voter_id(s: requests.Session) -> str:
    return s.cookies[VOTER_COOKIE].split(".")[0]


def test_state_is_public_json(server, store) -> None:
    code, _, items = _workshop(store)
    _open(store, code, items[0])
    r = requests.get(_api(server, code, "state") + "?lang=en")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    state = r.json()
    assert state["code"] == code and state["status"] == "open" and state["mode"] == "follow"
    assert [a["item_id"] for a in state["agenda"]] == items
    assert state["current"]["item_id"] == items[0] and state["current"]["voting"] == "open"
    assert [o["value"] for o in state["current"]["options"]] == [1, 2, 3, 4, 5]
    assert state["current"]["kind"] in ("conflict", "synergy", "neutral")
    assert state["tally"] is not None
    assert "facilitator" not in r.text and "voter" not in r.text
    assert requests.get(_api(server, "ZZZZZZ", "state")).status_code == 404
    ws.set_hide_results(ws.local_grant(code, store=store), True, store=store)
    time.sleep(0.6)  # the shared read is at most 0.5 s old
    assert requests.get(_api(server, code, "state")).json()["tally"] is None
    rev = requests.get(_api(server, code, "revision")).json()
    assert rev["code"] == code and rev["revision"] >= state["revision"]


def test_join_vote_change_skip_and_me(server, store) -> None:
    code, _, items = _workshop(store)
    _open(store, code, items[0])
    s = _joined(server, code, display_name="Anna", actor_type="municipality", level="local")
    cookie = s.cookies.get_dict()
    assert VOTER_COOKIE in cookie
    set_cookie = s.post(_api(server, code, "participants"), json={}).headers.get("set-cookie")
    assert set_cookie is None  # a valid cookie is kept, not replaced
    r = s.post(_api(server, code, "ballots"), json={"item_id": items[0], "value": 4})
    assert r.status_code == 200
    assert r.json()["item_id"] == items[0] and r.json()["value"] == 4 and not r.json()["skipped"]
    voter = _voter_id(s)
    assert ws.my_ballots(code, voter, store=store)[items[0]].value == 4
    s.post(_api(server, code, "ballots"), json={"item_id": items[0], "value": 2})  # change
    assert ws.my_ballots(code, voter, store=store)[items[0]].value == 2
    r = s.post(_api(server, code, "ballots"), json={"item_id": items[0], "skip": True})
    assert r.json()["skipped"] and ws.my_ballots(code, voter, store=store)[items[0]].skipped
    me = s.get(_api(server, code, "me")).json()
    assert me["participant"]["display_name"] == "Anna"
    assert me["participant"]["level"] == "local"
    assert [(b["item_id"], b["skipped"]) for b in me["ballots"]] == [(items[0], True)]
    assert requests.get(_api(server, code, "me")).json()["participant"] is None


def test_a_retried_ballot_is_stored_once(server, store) -> None:
    code, _, items = _workshop(store)
    _open(store, code, items[0])
    s = _joined(server, code)
    for _ in range(3):  # the answer was lost: the page sends the same request again
        assert s.post(_api(server, code, "ballots"), json={"item_id": items[0], "value": 5}).ok
    exported = json.loads(export_workshop(ws.local_grant(code, store=store), "json", store=store))
    assert [b["value"] for b in exported["ballots"]] == [5]
    assert ws.get_tally(code, store=store).item(items[0]).ballots == 1


def test_forged_or_altered_voter_ids_are_refused_and_replaced(server, store) -> None:
    code, _, items = _workshop(store)
    _open(store, code, items[0])
    victim = _joined(server, code)
    victim.post(_api(server, code, "ballots"), json={"item_id": items[0], "value": 1})
    voter = _voter_id(victim)
    token = victim.cookies[VOTER_COOKIE]
    forged = [voter, voter + ".AAAA", token[:-2] + ("AA" if not token.endswith("AA") else "BB")]
    for bad in forged:
        r = requests.post(
            _api(server, code, "ballots"),
            json={"item_id": items[0], "value": 5},
            cookies={VOTER_COOKIE: bad},
        )
        assert r.status_code == 403 and r.json()["error"] == "not_joined"
        r = requests.post(_api(server, code, "participants"), json={}, cookies={VOTER_COOKIE: bad})
        assert r.status_code == 200
        fresh = r.cookies[VOTER_COOKIE]
        assert fresh != bad and fresh.split(".")[0] != voter  # a new identity
    assert ws.my_ballots(code, voter, store=store)[items[0]].value == 1  # untouched
    # The old ?voter= fallback is gone: an id in the URL is ignored.
    r = requests.post(
        _api(server, code, "ballots") + f"?voter={voter}", json={"item_id": items[0], "value": 5}
    )
    assert r.status_code == 403


def test_a_client_without_cookies_uses_the_token_header(server, store) -> None:
    code, _, items = _workshop(store)
    _open(store, code, items[0])
    r = requests.post(_api(server, code, "participants"), json={})
    token = r.json()["voter_token"]
    headers = {"X-Voter-Token": token}
    r = requests.post(
        _api(server, code, "ballots"), json={"item_id": items[0], "value": 3}, headers=headers
    )
    assert r.status_code == 200
    assert ws.my_ballots(code, token.split(".")[0], store=store)[items[0]].value == 3


def test_cross_site_requests_are_refused(server, store) -> None:
    code, key, items = _workshop(store)
    _open(store, code, items[0])
    s = _joined(server, code)
    body = {"item_id": items[0], "value": 2}
    for headers in (
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/page"},
    ):
        r = s.post(_api(server, code, "ballots"), json=body, headers=headers)
        assert r.status_code == 403 and r.json()["error"] == "cross_site", headers
        r = requests.post(
            _api(server, code, "facilitator/step"),
            json={"item_id": None},
            headers={**headers, "Authorization": f"Bearer {key}"},
        )
        assert r.status_code == 403
    assert ws.my_ballots(code, _voter_id(s), store=store) == {}
    own = server.url  # the same site, as the phone page sends it
    r = s.post(_api(server, code, "ballots"), json=body, headers={"Origin": own})
    assert r.status_code == 200


def test_every_method(server, store) -> None:
    code, _, items = _workshop(store, "score", "free")
    _open(store, code, *items[:3])
    s = _joined(server, code)
    assert s.post(_api(server, code, "ballots"), json={"item_id": items[0], "value": -3}).ok
    r = s.post(_api(server, code, "ballots"), json={"item_id": items[1], "value": 4})
    assert r.status_code == 422 and r.json()["error"] == "value_out_of_range"

    code, _, items = _workshop(store, "dots", "free", dot_budget=5)
    _open(store, code, *items[:3])
    state = requests.get(_api(server, code, "state")).json()
    assert [c["item_id"] for c in state["open_items"]] == items[:3]
    s = _joined(server, code)
    assert s.post(_api(server, code, "ballots"), json={"item_id": items[0], "value": 4}).ok
    r = s.post(_api(server, code, "ballots") + "?lang=en", json={"item_id": items[1], "value": 3})
    assert r.status_code == 422 and r.json()["error"] == "budget_exceeded"
    assert "points" in r.json()["message"]
    r = s.post(_api(server, code, "ballots") + "?lang=sv", json={"item_id": items[1], "value": 3})
    assert "poäng" in r.json()["message"]

    code, _, items = _workshop(store, "ranking", "free", ranking_size=2)
    _open(store, code, *items[:3])
    s = _joined(server, code)
    r = s.post(_api(server, code, "ballots"), json={"ranking": [items[2], items[0]]})
    assert r.status_code == 200 and r.json()["ranking"] == [items[2], items[0]]
    mine = ws.my_ballots(code, _voter_id(s), store=store)
    assert (mine[items[2]].value, mine[items[0]].value) == (2, 1)
    r = s.post(_api(server, code, "ballots"), json={"ranking": items[:3]})
    assert r.status_code == 422 and r.json()["error"] == "too_many_items"


def test_warmup_closed_voting_and_closed_mode(server, store) -> None:
    code, _, items = _workshop(store)
    warmup = ws.add_warmup(ws.local_grant(code, store=store), "Vilket mål?", store=store)
    ws.set_current_item(ws.local_grant(code, store=store), warmup.id, store=store)
    ws.open_voting(ws.local_grant(code, store=store), warmup.id, store=store)
    state = requests.get(_api(server, code, "state") + "?lang=en").json()
    assert state["current"]["kind"] == "warmup"
    cat = ws.get_workshop(code, store=store).catalogue()
    goals = [cat.text(cat.goals_by_id[g].title, "en") for g in ws.warmup_options(cat)]
    assert [o["label"] for o in state["current"]["options"]] == goals
    s = _joined(server, code)
    assert s.post(_api(server, code, "ballots"), json={"item_id": warmup.id, "value": 1}).ok
    r = s.post(_api(server, code, "ballots"), json={"item_id": items[0], "value": 1})
    assert r.status_code == 409 and r.json()["error"] == "voting_closed"

    ws.set_participant_codes_required(ws.local_grant(code, store=store), True, store=store)
    (pcode, *_) = ws.generate_participant_codes(ws.local_grant(code, store=store), 2, store=store)
    r = requests.post(_api(server, code, "participants"), json={})
    assert r.status_code == 403 and r.json()["error"] == "not_entitled"  # a code is needed
    r = s.post(_api(server, code, "ballots"), json={"item_id": warmup.id, "value": 2})
    assert r.status_code == 403 and r.json()["error"] == "not_entitled"  # joined before
    r = requests.post(_api(server, code, "participants"), json={"participant_code": "NOPE1234"})
    assert r.status_code == 422 and r.json()["error"] == "participant_code_invalid"
    coded = _joined(server, code, participant_code=pcode)
    assert coded.post(_api(server, code, "ballots"), json={"item_id": warmup.id, "value": 0}).ok
    r = requests.post(_api(server, code, "participants"), json={"participant_code": pcode})
    assert r.status_code == 409 and r.json()["error"] == "participant_code_used"


def test_facilitator_step_key_and_throttle(server, store) -> None:
    created = ws.create_workshop("stockholm", store=store)  # a draft
    code, key = created.workshop.code, created.facilitator_key
    item = created.workshop.items[1].id
    url = _api(server, code, "facilitator/step")
    r = requests.post(
        url, json={"item_id": item, "voting": "open"}, headers={"Authorization": f"Bearer {key}"}
    )
    assert r.status_code == 200
    state = r.json()
    assert state["status"] == "open" and state["current"]["item_id"] == item
    assert state["current"]["voting"] == "open"
    w = ws.get_workshop(code, store=store)
    assert w.status == "open" and w.current_item_id == item and w.item(item).voting == "open"
    r = requests.post(
        url, json={"item_id": item, "voting": "closed"}, headers={"Authorization": f"Bearer {key}"}
    )
    assert r.json()["current"]["voting"] == "closed"
    r = requests.post(url, json={"item_id": None}, headers={"Authorization": f"Bearer {key}"})
    assert r.json()["current"] is None
    r = requests.post(url, json={"item_id": 999999}, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 422 and r.json()["error"] == "unknown_item"

    statuses = []
    for _ in range(7):
        r = requests.post(url, json={"item_id": item}, headers={"Authorization": "Bearer wrong"})
        statuses.append(r.status_code)
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
    assert int(r.headers["Retry-After"]) > 0 and r.json()["error"] == "too_many_attempts"
    # Even the right key waits out the lock (a guesser cannot tell when it found the key).
    r = requests.post(url, json={"item_id": item}, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 429
    assert requests.post(url, json={"item_id": item}).status_code == 429


HOSTILE = [
    b"not json",
    b'{"item_id": NaN, "value": 1}',
    b'{"item_id": 1, "value": Infinity}',
    b'{"item_id": "1", "value": "3"}',
    b'{"item_id": true, "value": 1}',
    b'{"item_id": 1.5, "value": 1}',
    b'{"item_id": 99999999999999999999999, "value": 1}',
    b'{"item_id": 1, "value": -99999999999999}',
    b'{"item_id": 1, "value": 1, "extra": {}}',
    b"[" * 50_000 + b"]" * 50_000,
    b'{"item_id": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"ranking": "abc"}',
    b'{"ranking": [1, "x"]}',
    b"\xff\xfe\x00garbage",
    b"null",
    b'"a string"',
    b"",
]


@pytest.mark.parametrize("path", ["ballots", "participants", "facilitator/step"])
def test_hostile_bodies_get_a_clear_4xx(server, store, path) -> None:
    code, key, items = _workshop(store)
    _open(store, code, items[0])
    s = _joined(server, code)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
    for body in HOSTILE:
        r = s.post(_api(server, code, path), data=body, headers=headers)
        if path == "participants" and body == b"":
            assert r.status_code == 200  # every field is optional
            continue
        assert 400 <= r.status_code < 500, (body[:40], r.status_code, r.text[:200])
        assert r.headers["content-type"].startswith("application/json")
        assert set(r.json()) == {"error", "message"}
    huge = b'{"display_name": "' + b"x" * 100_000 + b'"}'
    r = s.post(_api(server, code, path), data=huge, headers=headers)
    assert r.status_code == 413 and r.json()["error"] == "body_too_large"
    r = s.post(_api(server, code, "participants"), json={"display_name": "x" * 400})
    assert r.status_code == 422 and r.json()["error"] == "text_too_long"


def test_long_polling_wakes_on_a_facilitator_change(server, store) -> None:
    code, _, items = _workshop(store)
    revision = requests.get(_api(server, code, "state")).json()["revision"]
    t0 = time.monotonic()
    r = requests.get(_api(server, code, "state") + f"?after={revision}&wait=1")
    assert r.status_code == 200 and 0.9 < time.monotonic() - t0 < 5  # held, nothing changed
    answers = []

    def poll() -> None:
        start = time.monotonic()
        state = requests.get(_api(server, code, "state") + f"?after={revision}").json()
        answers.append((time.monotonic() - start, state))

    waiters = [threading.Thread(target=poll) for _ in range(5)]
    for w in waiters:
        w.start()
    time.sleep(1.0)
    changed = time.monotonic()
    # The console's change, straight into the database (one change: one wake-up).
    ws.set_current_item(code, items[0], store=store)
    for w in waiters:
        w.join(30)
    assert len(answers) == 5
    for _, state in answers:
        assert state["revision"] > revision and state["current"]["item_id"] == items[0], state
    assert time.monotonic() - changed < 3  # woken, not timed out (25 s)


def test_openapi_document(server) -> None:
    r = requests.get(f"{server.url}/api/openapi.json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    doc = r.json()
    assert doc["openapi"].startswith("3.1") and doc["info"]["version"]
    for path in ("state", "participants", "ballots", "me", "facilitator/step"):
        assert f"/api/workshops/{{code}}/{path}" in doc["paths"]
    assert {"State", "BallotRequest", "Error"} <= set(doc["components"]["schemas"])
