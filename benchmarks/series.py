"""A regional rådslag under load: R rooms x N phones voting at once through the JSON API, with the
regional projector's state open, on one database.

    python benchmarks/series.py --rooms 10 --phones 20                      # app on SQLite
    python benchmarks/series.py --rooms 10 --phones 200 --nginx 2 \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench_series     # the deploy example
    python benchmarks/series.py ... --url http://127.0.0.1:8080 --database-url URL  # running

What a run does: creates R free-mode rating workshops on the bundled ``stockholm`` catalogue
(every conflict open) and one series of them; every phone joins its room (``POST
/api/workshops/{code}/participants``) and then, all rooms at once, votes on the first conflict
(``POST .../ballots``, retried like the phone page until the server answers). Meanwhile the
regional projector's state is read every ``--poll`` s by ``--projectors`` threads exactly as the
page's fragment reads it (:func:`conflicts.series.public_series` with ``shared=True``: one batched
read of every room per ``CACHE_S`` and process), in this process, from the same database. It
prints JSON: acknowledged ballots, lost ones (acknowledged but missing from the rooms' exports),
the seconds from the first ballot (and from the last acknowledgement) until every regional
projector showed every ballot, and the SELECTs per second this process sent (only the regional
projectors read in it: the app runs in processes of its own).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import aiohttp
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conflicts import series
from conflicts import workshops as ws
from conflicts.reports.export import export_dict
from conflicts.store import get_store


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rooms", type=int, default=10)
    ap.add_argument("--phones", type=int, default=20, help="phones per room")
    ap.add_argument("--url", help="a running server or proxy (needs --database-url)")
    ap.add_argument("--database-url", default=os.environ.get("CONFLICTS_DATABASE_URL"))
    ap.add_argument("--nginx", type=int, default=0, help="start the deploy example: P processes")
    ap.add_argument("--poll", type=float, default=1.0, help="regional projector poll, seconds")
    ap.add_argument(
        "--projectors", type=int, default=3, help="regional projectors open (one thread each)"
    )
    ap.add_argument("--timeout", type=float, default=120.0)
    return ap


def make_rooms(db_url: str, rooms: int) -> tuple[str, list[tuple[str, int]]]:
    """R open free-mode rooms (every conflict open) and their series: (series id, [(code,
    first conflict's item id)])."""
    store = get_store(db_url)
    store.init()
    out = []
    for r in range(rooms):
        created = ws.create_workshop("stockholm", title=f"Rum {r + 1}", store=store)
        grant = created.grant
        ws.set_mode(grant, "free", store=store)
        ws.open_workshop(grant, store=store)
        items = [i.id for i in created.workshop.items if i.kind != "warmup"]
        ws.open_voting(grant, items[0], store=store)
        out.append((created.workshop.code, items[0]))
    grants = [ws.local_grant(code, store=store) for code, _ in out]
    return series.create_series("Benchmark", grants, store=store).series.code, out


class Regional(threading.Thread):
    """One regional projector's reads, as its fragment does them (every ``poll`` s
    :func:`conflicts.series.public_series` with ``shared=True``: the projectors of this process
    share one batched read per ``CACHE_S``), until ``expected`` ballots are shown."""

    def __init__(self, db_url: str, sid: str, expected: int, poll: float) -> None:
        super().__init__(daemon=True)
        self.store, self.sid, self.expected, self.poll = get_store(db_url), sid, expected, poll
        self.stop = threading.Event()
        self.seen_all_at: float | None = None
        self.reads = 0
        self.read_s: list[float] = []

    def run(self) -> None:
        while not self.stop.is_set():
            t0 = time.perf_counter()
            _, res = series.public_series(self.sid, store=self.store, shared=True)
            self.reads += 1
            shown = sum(x.ballots for c in res.conflicts for x in c.rooms)
            if shown >= self.expected and self.seen_all_at is None:
                self.seen_all_at = time.perf_counter()
            self.read_s.append(time.perf_counter() - t0)
            self.stop.wait(self.poll)


class Statements:
    """Counts the SELECTs this process sends (the regional projectors' reads, batched)."""

    def __init__(self, engine) -> None:
        self.engine, self.n = engine, 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, *args) -> None:
        if statement.lstrip()[:6].upper() == "SELECT":
            self.n += 1

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


async def phone(base: str, code: str, item: int, start: asyncio.Event, out: dict) -> None:
    # One cookie jar per phone; unsafe=True: aiohttp drops cookies of IP hosts (127.0.0.1) otherwise.
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(base_url=base, cookie_jar=jar) as own:
        for _ in range(20):
            try:
                async with own.post(f"/api/workshops/{code}/participants", json={}) as r:
                    if r.status == 200:
                        break
                    out["errors"].append(f"join {r.status}")
            except aiohttp.ClientError as e:
                out["errors"].append(f"join {type(e).__name__}")
            await asyncio.sleep(0.5)
        out["joined"] += 1
        if out["joined"] == out["total"]:  # everyone has joined: all rooms vote at once
            start.set()
        await start.wait()
        sent = time.perf_counter()
        out["first"] = min(out.get("first", sent), sent)
        while True:
            try:
                async with own.post(
                    f"/api/workshops/{code}/ballots", json={"item_id": item, "value": 4}
                ) as r:
                    if r.status == 200:
                        out["acked"] += 1
                        out["last_ack"] = time.perf_counter()
                        return
                    out["errors"].append(f"vote {r.status}")
                    if r.status < 500 and r.status != 429:
                        return
            except aiohttp.ClientError as e:
                out["errors"].append(f"vote {type(e).__name__}")
            await asyncio.sleep(0.5)


async def drive(base: str, rooms: list[tuple[str, int]], phones: int) -> dict:
    out: dict = {"acked": 0, "joined": 0, "total": len(rooms) * phones, "errors": []}
    start = asyncio.Event()
    await asyncio.gather(
        *(phone(base, code, item, start, out) for code, item in rooms for _ in range(phones))
    )
    return out


def stored_ballots(db_url: str, rooms: list[tuple[str, int]]) -> int:
    store = get_store(db_url)
    return sum(
        len(export_dict(ws.snapshot(ws.local_grant(code, store=store), store=store))["ballots"])
        for code, _ in rooms
    )


def main(argv: list[str] | None = None) -> int:
    ap = parser()
    args = ap.parse_args(argv)
    if args.url and not args.database_url:
        ap.error("--url needs --database-url (the server's database)")
    if args.nginx and not args.database_url:
        ap.error("--nginx needs --database-url (PostgreSQL: the processes share it)")
    from conflicts.testing import AppServer, LocalDeployment

    tmp = tempfile.TemporaryDirectory(prefix="conflicts-series-")
    db_url = args.database_url or f"sqlite:///{Path(tmp.name) / 'conflicts.db'}"
    sid, rooms = make_rooms(db_url, args.rooms)
    expected = args.rooms * args.phones
    with contextlib.ExitStack() as stack:
        if args.url:
            base = args.url.rstrip("/")
        elif args.nginx:
            base = stack.enter_context(LocalDeployment(db_url, processes=args.nginx)).url
        else:
            base = stack.enter_context(AppServer(data_dir=tmp.name, database_url=db_url)).url
        statements = Statements(get_store(db_url).engine)
        projectors = [Regional(db_url, sid, expected, args.poll) for _ in range(args.projectors)]
        for p in projectors:
            p.start()
        started = time.perf_counter()
        res = asyncio.run(asyncio.wait_for(drive(base, rooms, args.phones), args.timeout))
        deadline = time.perf_counter() + 30
        while any(p.seen_all_at is None for p in projectors) and time.perf_counter() < deadline:
            time.sleep(0.1)
        for p in projectors:
            p.stop.set()
        for p in projectors:
            p.join()
        statements.close()
        elapsed = time.perf_counter() - started
    stored = stored_ballots(db_url, rooms)
    shown = [p.seen_all_at for p in projectors]
    seen = max(shown) if all(shown) else None
    reads = sorted(x for p in projectors for x in p.read_s)
    print(
        json.dumps(
            {
                "rooms": args.rooms,
                "phones_per_room": args.phones,
                "processes": args.nginx or 1,
                "database": "postgresql" if db_url.startswith("postgres") else "sqlite",
                "acked": res["acked"],
                "stored": stored,
                "lost": max(0, res["acked"] - stored),
                "errors": len(res["errors"]),
                "error_kinds": sorted(set(res["errors"]))[:10],
                "regional_all_shown_s_after_first_ballot": (
                    round(seen - res["first"], 2) if seen else None
                ),
                "regional_all_shown_s_after_last_ack": (
                    round(seen - res["last_ack"], 2) if seen and "last_ack" in res else None
                ),
                "regional_projectors": args.projectors,
                "regional_polls": sum(p.reads for p in projectors),
                "regional_poll_p95_ms": round(1000 * reads[int(0.95 * (len(reads) - 1))], 1)
                if reads
                else None,
                "regional_selects_per_s": round(statements.n / elapsed, 1),
                "loadavg_1m": round(os.getloadavg()[0], 1),
            },
            indent=2,
        )
    )
    tmp.cleanup()
    return 0 if stored >= res["acked"] and seen else 1


if __name__ == "__main__":
    sys.exit(main())
