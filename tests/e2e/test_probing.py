"""Join codes cannot be probed (issue 11, item 4): against a real server, a client sending
unknown codes as fast as it can is cut to 20 lookups a minute on the API and the phone page
(before: 740 requests/s, each a 404-or-200 answer)."""

from __future__ import annotations

import secrets
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from conflicts import workshops as ws
from conflicts.store import Store

THREADS = 4
#: 20 unknown codes a minute, plus at most the requests already in flight when the 20th
#: failure is counted (lookups are not serialised: every phone's poll takes the same path).
LIMIT = 20 + THREADS


def _probe(url: str, ip: str, seconds: float) -> list[int]:
    """Ask for random codes from four threads for ``seconds``; the statuses."""
    deadline = time.monotonic() + seconds

    def worker(_: int) -> list[int]:
        out = []
        with requests.Session() as s:
            while time.monotonic() < deadline:
                code = secrets.token_hex(3).upper()
                out.append(s.get(url.format(code=code), headers={"X-Real-IP": ip}).status_code)
        return out

    with ThreadPoolExecutor(THREADS) as pool:
        return [status for part in pool.map(worker, range(THREADS)) for status in part]


def test_api_probe_is_cut_to_a_trickle(server) -> None:
    statuses = _probe(server.url + "/api/workshops/{code}/revision", "198.51.100.41", 3.0)
    answered = [s for s in statuses if s != 429]
    print(f"{len(statuses)} requests in 3 s, {len(answered)} looked up")
    assert len(statuses) > 100  # the probe did run fast (no server-side sleep needed)
    assert len(answered) <= LIMIT and set(answered) <= {404}


def test_phone_page_probe_is_cut_and_known_codes_survive_one_typo(server) -> None:
    store = Store(f"sqlite:///{server.data_dir / 'conflicts.db'}")
    code = ws.create_workshop("stockholm", store=store).workshop.code
    typo = {"X-Real-IP": "198.51.100.42"}
    assert requests.get(f"{server.url}/join?code=ZZZZZZ", headers=typo).status_code == 404
    assert requests.get(f"{server.url}/join?code={code}", headers=typo).status_code == 200
    statuses = _probe(server.url + "/join?code={code}", "198.51.100.43", 2.0)
    assert len([s for s in statuses if s != 429]) <= LIMIT
    r = requests.get(
        f"{server.url}/join?code={code}&lang=en", headers={"X-Real-IP": "198.51.100.43"}
    )
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0 and "Wait" in r.text
    r = requests.get(
        f"{server.url}/api/workshops/{code}/state", headers={"X-Real-IP": "198.51.100.43"}
    )
    assert r.status_code == 429  # one count for the page and the API
