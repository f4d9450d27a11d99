"""The ballot write path at saturation: server CPU per ballot and ballots per second.

    python benchmarks/writes.py [--writers 8] [--seconds 10] [--database-url URL] [--processes P]

Starts the app (one process on a fresh SQLite file, or ``--processes P`` processes on
``--database-url``, e.g. a fresh PostgreSQL database), creates a free-mode rating workshop with
every conflict open, joins ``--writers`` phones through the JSON API, then lets each phone send
ballots back to back (``POST /api/workshops/CODE/ballots``, a random item and value, no think
time) for ``--seconds``. A latency under other load says little; these two figures say more:

* ``ballots_per_s``: acknowledged ballots per second of the run (saturation throughput);
* ``pg_lock_wait_share`` (PostgreSQL): of the backends seen running a statement, the share
  waiting for a lock (sampled every 0.1 s): the queue on a hot row, robust to other load;
* ``app_cpu_ms_per_ballot``: CPU of the app processes (user+sys, from /proc) per acknowledged
  ballot, and ``db_cpu_ms_per_ballot`` the same for the PostgreSQL server's processes (every
  process named ``postgres``: run it on a machine where nothing else uses PostgreSQL; 0 on
  SQLite, which runs inside the app process).

The last line is one JSON object. Counted against the export: ``stored`` must equal the number of
distinct (phone, item) pairs acknowledged.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.burst import NET_ERRORS, export_ballots, make_workshop  # noqa: E402
from benchmarks.common import ProcStats, check_database_url, percentile  # noqa: E402


def postgres_pids() -> list[int]:
    """Every process named ``postgres`` (the server and its backends), from /proc."""
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        with contextlib.suppress(OSError):
            if Path(f"/proc/{pid}/comm").read_text().strip() == "postgres":
                pids.append(int(pid))
    return pids


async def writer(session, base: str, code: str, items: list[int], rng, stop, out: dict) -> None:
    """One phone: join, then ballots back to back until ``stop``."""
    async with session.post(f"{base}/api/workshops/{code}/participants", json={}) as r:
        cookie = "; ".join(f"{k}={m.value}" for k, m in r.cookies.items())
    headers = {"Cookie": cookie}
    await out["start"].wait()
    while not stop.is_set():
        item, value = rng.choice(items), rng.randint(1, 5)
        t0 = time.perf_counter()
        try:
            async with session.post(
                f"{base}/api/workshops/{code}/ballots",
                json={"item_id": item, "value": value},
                headers=headers,
            ) as r:
                body = await r.read()
                what = None if r.status == 200 else f"HTTP {r.status} {body[:80]!r}"
        except NET_ERRORS as e:
            what = type(e).__name__
        if what is None:
            out["acked"].add((cookie, item))
            out["n"] += 1
            out["rtts"].append(time.perf_counter() - t0)
        else:
            out["errors"][what] += 1


class LockSampler:
    """PostgreSQL only: every 0.1 s, how many of the database's backends run a statement and how
    many of those wait for a lock (``pg_stat_activity``). A queue on one row shows as a high
    share of lock waits whatever else loads the machine."""

    QUERY = (
        "SELECT count(*) FILTER (WHERE state = 'active'),"
        " count(*) FILTER (WHERE state = 'active' AND wait_event_type = 'Lock')"
        " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )

    def __init__(self, database_url: str | None) -> None:
        self.url, self.active, self.waiting = database_url, 0, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url)
        with engine.connect() as conn:
            while not self.stop.wait(0.1):
                active, waiting = conn.execute(text(self.QUERY)).one()
                conn.rollback()
                self.active, self.waiting = self.active + active, self.waiting + waiting
        engine.dispose()

    def __enter__(self) -> LockSampler:
        if self.url:
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        if self.url:
            self.thread.join()

    def share(self) -> float | None:
        return round(self.waiting / self.active, 3) if self.url and self.active else None


async def drive(
    base: str, code: str, items: list[int], args, app_pids: list[int], db_url: str
) -> dict:
    out = {
        "acked": set(),
        "n": 0,
        "errors": collections.Counter(),
        "rtts": [],
        "start": asyncio.Event(),
    }
    stop = asyncio.Event()
    rng = random.Random(args.seed)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        tasks = [
            asyncio.create_task(
                writer(session, base, code, items, random.Random(rng.random()), stop, out)
            )
            for _ in range(args.writers)
        ]
        await asyncio.sleep(2 + args.writers / 100)  # every phone joined
        # After the joins: the app processes' database connections (backends) exist now.
        db_pids = postgres_pids() if db_url.startswith("postgres") else []
        apps, db = [ProcStats(p) for p in app_pids], [ProcStats(p) for p in db_pids]
        cpu0 = [sum(s.cpu_seconds() or 0.0 for s in g) for g in (apps, db)]
        t0 = time.perf_counter()
        out["start"].set()
        with LockSampler(db_url if db_pids else None) as locks:
            await asyncio.sleep(args.seconds)
        stop.set()
        n, wall = out["n"], time.perf_counter() - t0
        cpu1 = [sum(s.cpu_seconds() or 0.0 for s in g) for g in (apps, db)]
        await asyncio.gather(*tasks, return_exceptions=True)
    n = max(n, 1)
    return {
        "ballots": out["n"],
        "errors": dict(out["errors"]),
        "ballots_per_s": round(out["n"] / wall, 1),
        "app_cpu_ms_per_ballot": round((cpu1[0] - cpu0[0]) / n * 1000, 2),
        "db_cpu_ms_per_ballot": round((cpu1[1] - cpu0[1]) / n * 1000, 2),
        "pg_lock_wait_share": locks.share(),
        "ack_p50_ms": round(percentile(out["rtts"], 50) * 1000, 1),
        "ack_p95_ms": round(percentile(out["rtts"], 95) * 1000, 1),
        "distinct_acked": len(out["acked"]),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--writers", type=int, default=8, help="phones sending back to back")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--database-url", help="default: a fresh SQLite file")
    ap.add_argument("--processes", type=int, default=1, help="app processes (nginx in front)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    from conflicts.testing import AppServer, LocalDeployment

    tmp = tempfile.TemporaryDirectory(prefix="conflicts-writes-")
    db_url = args.database_url or f"sqlite:///{Path(tmp.name) / 'conflicts.db'}"
    check_database_url(db_url)
    code, _, items = make_workshop(db_url, free=True)
    with contextlib.ExitStack() as stack:
        if args.processes > 1:
            d = stack.enter_context(LocalDeployment(db_url, processes=args.processes))
            base, pids = d.url, [a.process.pid for a in d.apps]
        else:
            server = stack.enter_context(AppServer(data_dir=tmp.name, database_url=db_url))
            base, pids = server.url, [server.process.pid]
        res = asyncio.run(drive(base, code, items, args, pids, db_url))
    stored = export_ballots(db_url, code)
    tmp.cleanup()
    res = {
        "writers": args.writers,
        "processes": args.processes,
        "database": "postgresql" if db_url.startswith("postgres") else "sqlite",
        **res,
        "stored": len(stored),
        "loadavg_1m": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(res), flush=True)
    return 0 if res["stored"] == res["distinct_acked"] else 1


if __name__ == "__main__":
    sys.exit(main())
