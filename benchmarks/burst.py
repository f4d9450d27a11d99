"""Scenarios of ``benchmarks/load.py``: phones as plain HTTP clients of the JSON API.

    python benchmarks/load.py --participants 500 [--think 2:8]     # free (the default)
    python benchmarks/load.py --scenario burst --participants 1000 --rounds 3 --window 10
    python benchmarks/load.py --scenario idle --participants 1000 --seconds 30
    python benchmarks/load.py --scenario burst ... --url http://127.0.0.1:8080 --database-url URL
    python benchmarks/load.py --scenario burst ... --nginx 2 --database-url postgresql://...

Without ``--url`` it starts the app (``streamlit run app.py``) on a fresh SQLite file; with
``--nginx P`` it starts the ``deploy/`` example instead (nginx in front of P processes on
``--database-url``, see :class:`conflicts.testing.LocalDeployment`); with ``--url`` it drives a
running server or proxy (the workshop is made in ``--database-url``, the server's database).

What a run does
---------------
1. Creates a follow-mode rating workshop on the bundled ``stockholm`` catalogue in the database.
2. N phones (one asyncio task each, aiohttp: ~0.5 ms of client CPU per request here, httpx ~5 ms,
   which made the load generator the bottleneck) join through ``POST /participants`` at
   ``--join-rate`` per second and keep their voter cookie.
3. Every phone follows like the phone page: ``GET /state``, then long polls
   ``GET /state?after=REV`` (``--follow poll``: a plain GET every ``--poll`` s instead).
4. burst: for each of ``--rounds`` conflicts the facilitator calls ``POST
   /facilitator/step`` (``{"item_id", "voting": "open"}``); each phone votes once at a random
   moment in the ``--window`` seconds after that call (at once if it sees the card later),
   retrying the same request after an error like the page does; when everyone has answered (or
   the window plus ``--grace`` has passed) the facilitator closes the item.
   idle: the facilitator opens one item, nobody votes, for ``--seconds``.
   free (the default): a free-mode workshop with every conflict open; each phone votes on every
   open item (``open_items`` of its state) in random order, ``--think`` seconds before each.
5. A projector client reads ``/state`` every ``--projector-interval`` s from ONE process (the
   first app process, or ``--projector-url``) and sums the tally's ballots.
6. The ballots are counted from the export (``python -m conflicts workshop export CODE --format
   json``, a separate process on the same database).

Figures (last line: one JSON object)
------------------------------------
* ``vote_ack_p50_ms`` / ``_p95_ms``: POST /ballots until its 200 (retries included).
* ``follow_p95_ms``: per round, the time from the facilitator's step call until 95 % of the
  phones had received a state showing the new item open; the worst round.
* ``projector_lag_p95_ms``: for the k-th acknowledged ballot, the time until the projector's
  count first reached k (as ``load.py``); it includes the read interval and the state cache.
* ``lost``: acknowledged ballots missing from the export (per item and value); ``duplicated``:
  stored ballots beyond one per phone and item.
* ``server_cpu_pct``: CPU of the app processes (and nginx, reported apart) during the rounds, in %
  of one core; idle: during the idle seconds. ``client_cpu_pct``: this load generator.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import aiohttp

from benchmarks.load import (
    ProcStats,
    check_database_url,
    is_loopback_host,
    listening_pid,
    parse_range,
)
from benchmarks.load import projector_lags as _projector_lags
from benchmarks.st_client import percentile

REPO = Path(__file__).resolve().parent.parent
#: What a lost connection looks like (the server closes idle keep-alive connections after 5 s; a
#: request that raced that close is retried, as browsers retry them).
NET_ERRORS = (OSError, TimeoutError, aiohttp.ClientError)


# ------------------------------------------------------------------------------------ options
def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="load.py --scenario free|burst|idle", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument("--scenario", choices=["free", "burst", "idle"], default="free")
    ap.add_argument("--participants", "-n", type=int, required=True)
    ap.add_argument("--rounds", type=int, default=3, help="burst: conflicts voted in a row")
    ap.add_argument("--window", type=float, default=10.0, help="burst: seconds to vote in")
    ap.add_argument("--grace", type=float, default=20.0, help="burst: wait past the window")
    ap.add_argument("--seconds", type=float, default=30.0, help="idle: seconds to measure")
    ap.add_argument(
        "--think", type=parse_range, default=(2.0, 8.0), help="free: MIN:MAX s before each vote"
    )
    ap.add_argument("--timeout", type=float, default=600.0, help="free: give up after (s)")
    ap.add_argument("--follow", choices=["longpoll", "poll"], default="longpoll")
    ap.add_argument("--poll", type=float, default=1.0, help="--follow poll: seconds between GETs")
    ap.add_argument("--join-rate", type=float, default=200.0, help="joins per second")
    ap.add_argument("--projector-interval", type=float, default=0.25)
    ap.add_argument("--url", help="a running server or proxy (loopback only)")
    ap.add_argument("--projector-url", help="the one process the projector reads")
    ap.add_argument("--database-url", default=os.environ.get("CONFLICTS_DATABASE_URL"))
    ap.add_argument("--server-pid", type=int, action="append", help="with --url: app pids (repeat)")
    ap.add_argument("--nginx", type=int, metavar="P", help="start deploy/: nginx + P processes")
    ap.add_argument("--request-timeout", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=1)
    return ap


# ------------------------------------------------------------------------------------ state
@dataclass
class Vote:
    item_id: int
    value: int
    sent: float
    acked: bool = False
    ack_time: float | None = None
    rtt: float = 0.0
    attempts: int = 0


@dataclass
class Run:
    base: str
    code: str
    args: argparse.Namespace
    session: object = None  # aiohttp.ClientSession
    revision: int = -1  # what the facilitator made current (phones compare against it)
    current: int | None = None
    opened_at: float = 0.0
    seen: dict[int, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    votes: list[Vote] = field(default_factory=list)
    projector: list[tuple[float, int]] = field(default_factory=list)
    errors: collections.Counter = field(default_factory=collections.Counter)
    join_rtts: list[float] = field(default_factory=list)
    answered: int = 0  # phones done with the current round
    expected: int = 0  # phones that joined
    round_done: asyncio.Event = field(default_factory=asyncio.Event)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    voting: bool = True

    def error(self, what: str) -> None:
        self.errors[what[:160]] += 1


async def request(run: Run, method: str, path: str, **kw) -> tuple[int, dict | None, dict]:
    """One HTTP request: (status, JSON body or None, response cookies)."""
    timeout = aiohttp.ClientTimeout(total=kw.pop("timeout", run.args.request_timeout))
    async with run.session.request(method, run.base + path, timeout=timeout, **kw) as r:
        body = await r.json(content_type=None) if r.content_type == "application/json" else None
        return r.status, body, {k: m.value for k, m in r.cookies.items()}


# ------------------------------------------------------------------------------------ actors
class Phone:
    def __init__(self, run: Run, n: int, rng: random.Random) -> None:
        self.run, self.n, self.rng = run, n, rng
        self.cookies: dict[str, str] = {}
        self.revision: int | None = None
        self.voted: set[int] = set()

    def headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    async def join(self) -> bool:
        run = self.run
        t0 = time.perf_counter()
        for _ in range(5):
            try:
                status, body, cookies = await request(
                    run, "POST", f"/api/workshops/{run.code}/participants", json={}
                )
            except NET_ERRORS as e:
                run.error(f"join: {type(e).__name__}")
                await asyncio.sleep(1)
                continue
            if status == 200:
                self.cookies.update(cookies)
                run.join_rtts.append(time.perf_counter() - t0)
                return True
            run.error(f"join: HTTP {status} {body and body.get('error')}")
            await asyncio.sleep(1)
        return False

    def see(self, state: dict, now: float) -> None:
        self.revision = state["revision"]
        card = state.get("current")
        if card and card["voting"] == "open" and card["item_id"] not in self.voted:
            self.voted.add(card["item_id"])
            self.run.seen[card["item_id"]].append(now)
            values = [o["value"] for o in card["options"]]
            if self.run.voting:
                # At a random moment of the window after the facilitator's call (now if later).
                delay = self.run.opened_at + self.rng.random() * self.run.args.window - now
                asyncio.get_running_loop().create_task(self.vote(card["item_id"], values, delay))

    async def follow(self) -> None:
        run = self.run
        await asyncio.sleep(self.rng.random() * (run.args.poll if run.args.follow == "poll" else 1))
        while not run.stop.is_set():
            path = f"/api/workshops/{run.code}/state"
            if run.args.follow == "longpoll" and self.revision is not None:
                path += f"?after={self.revision}"
            try:
                status, body, _ = await request(run, "GET", path, headers=self.headers())
            except NET_ERRORS as e:
                run.error(f"follow: {type(e).__name__}")
                await asyncio.sleep(1)
                continue
            if status == 200 and body:
                self.see(body, time.perf_counter())
            else:
                run.error(f"follow: HTTP {status}")
                await asyncio.sleep(1)
            if run.args.follow == "poll":
                await asyncio.sleep(run.args.poll)

    async def vote_on_everything(self) -> None:
        """Free mode: every open item in random order, thinking before each."""
        try:
            status, state, _ = await request(
                self.run, "GET", f"/api/workshops/{self.run.code}/state", headers=self.headers()
            )
        except NET_ERRORS as e:
            status, state = type(e).__name__, None
        if status != 200 or not state:
            self.run.error(f"free: state HTTP {status}")
            return
        cards = list(state["open_items"])
        self.rng.shuffle(cards)
        for card in cards:
            values = [o["value"] for o in card["options"]]
            await self.vote(card["item_id"], values, self.rng.uniform(*self.run.args.think))

    async def vote(self, item_id: int, values: list[int], delay: float) -> None:
        run = self.run
        await asyncio.sleep(max(0.0, delay))
        v = Vote(item_id, self.rng.choice(values), time.perf_counter())
        run.votes.append(v)
        # The page's retry: the same request until the server confirms or refuses it.
        while not run.stop.is_set():
            v.attempts += 1
            try:
                status, body, _ = await request(
                    run, "POST", f"/api/workshops/{run.code}/ballots",
                    json={"item_id": item_id, "value": v.value}, headers=self.headers(),
                )  # fmt: skip
            except NET_ERRORS as e:
                run.error(f"vote: {type(e).__name__}")
                await asyncio.sleep(0.5)
                continue
            if status == 200:
                v.acked, v.ack_time = True, time.perf_counter()
                break
            run.error(f"vote: HTTP {status} {body and body.get('error')}")
            if status < 500 and status != 429:
                break  # refused for good (e.g. voting closed): the page shows the message
            await asyncio.sleep(0.5)
        v.rtt = time.perf_counter() - v.sent
        run.answered += 1
        if run.answered >= run.expected:
            run.round_done.set()


async def projector(run: Run, base: str) -> None:
    """Sum of the tally's ballots as one process serves it, every --projector-interval s."""
    proj = Run(base, run.code, run.args, session=run.session)
    while not run.stop.is_set():
        t0 = time.perf_counter()
        try:
            status, body, _ = await request(proj, "GET", f"/api/workshops/{run.code}/state")
            if status == 200 and body and body.get("tally") is not None:
                count = sum(t["ballots"] for t in body["tally"])
                run.projector.append((time.perf_counter(), count))
            else:
                run.error(f"projector: HTTP {status} tally={body and body.get('tally')}")
        except NET_ERRORS as e:
            run.error(f"projector: {type(e).__name__}")
        await asyncio.sleep(max(0.0, run.args.projector_interval - (time.perf_counter() - t0)))


async def step(run: Run, key: str, item_id: int | None, voting: str | None) -> None:
    """The facilitator's call (idempotent: retried after a lost connection)."""
    for attempt in range(3):
        try:
            status, body, _ = await request(
                run, "POST", f"/api/workshops/{run.code}/facilitator/step",
                json={"item_id": item_id, "voting": voting},
                headers={"Authorization": f"Bearer {key}"},
            )  # fmt: skip
            break
        except NET_ERRORS as e:
            run.error(f"step: {type(e).__name__}")
            if attempt == 2:
                raise
    if status != 200:
        raise RuntimeError(f"facilitator step failed: HTTP {status} {body}")


# ------------------------------------------------------------------------------------ driver
async def drive(run: Run, key: str, items: list[int], cpu: CpuMeter, proj_base: str) -> dict:
    args = run.args
    connector = aiohttp.TCPConnector(limit=0, ttl_dns_cache=None)
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        run.session = session
        rng = random.Random(args.seed)
        phones = [Phone(run, n, random.Random(rng.random())) for n in range(args.participants)]
        t0 = time.perf_counter()
        joins = []
        for p in phones:
            joins.append(asyncio.create_task(p.join()))
            await asyncio.sleep(1 / args.join_rate)
        joined = run.expected = sum(await asyncio.gather(*joins))
        run.voting = args.scenario == "burst"  # votes prompted by what the phones follow
        join_s = time.perf_counter() - t0
        followers = [asyncio.create_task(p.follow()) for p in phones]
        proj = asyncio.create_task(projector(run, proj_base))
        await asyncio.sleep(2)  # every phone has its first state and waits on the next
        rounds = []
        cpu.begin()
        if args.scenario == "free":
            run.expected = joined * len(items)
            voters = [asyncio.create_task(p.vote_on_everything()) for p in phones if p.cookies]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*voters), args.timeout)
            await settle(run)
        elif args.scenario == "idle":
            await step(run, key, items[0], "open")
            await asyncio.sleep(2)
            cpu.begin()  # idle: the seconds after everybody has the card
            await asyncio.sleep(args.seconds)
        else:
            for item in items[: args.rounds]:
                run.answered = 0
                run.round_done.clear()
                run.opened_at = time.perf_counter()
                await step(run, key, item, "open")
                step_ms = (time.perf_counter() - run.opened_at) * 1000
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(run.round_done.wait(), args.window + args.grace)
                follow = [t - run.opened_at for t in run.seen[item]]
                rounds.append(
                    {
                        "item_id": item,
                        "step_ms": round(step_ms, 1),
                        "phones_saw": len(follow),
                        "follow_p50_ms": ms(percentile(follow, 50)),
                        "follow_p95_ms": ms(percentile(follow, 95)),
                    }
                )
                await step(run, key, item, "closed")
            await settle(run)
        cpu.end()
        run.stop.set()
        for t in [*followers, proj]:
            t.cancel()
        await asyncio.gather(*followers, proj, return_exceptions=True)
    return {"joined": joined, "join_s": join_s, "rounds": rounds, "t_end": time.perf_counter()}


async def settle(run: Run) -> None:
    """Let the projector catch up: until it shows every acknowledged ballot (at most 10 s)."""
    acked = sum(v.acked for v in run.votes)
    end = time.perf_counter() + 10
    while time.perf_counter() < end and not (run.projector and run.projector[-1][1] >= acked):
        await asyncio.sleep(0.1)


class CpuMeter:
    """CPU seconds of the app processes, nginx and this process between begin() and end()."""

    def __init__(self, app_pids: list[int], nginx_pids: list[int]) -> None:
        self.apps = [ProcStats(p) for p in app_pids]
        self.nginx = [ProcStats(p) for p in nginx_pids]
        self.t = self.app = self.ngx = self.me = (0.0, 0.0)

    @staticmethod
    def _sum(stats: list[ProcStats]) -> float:
        return sum(s.cpu_seconds() or 0.0 for s in stats)

    def begin(self) -> None:
        now = time.perf_counter()
        self.t = (now, now)
        self.app = (self._sum(self.apps), 0.0)
        self.ngx = (self._sum(self.nginx), 0.0)
        self.me = (time.process_time(), 0.0)

    def end(self) -> None:
        self.t = (self.t[0], time.perf_counter())
        self.app = (self.app[0], self._sum(self.apps))
        self.ngx = (self.ngx[0], self._sum(self.nginx))
        self.me = (self.me[0], time.process_time())

    def pct(self, which: tuple[float, float]) -> float | None:
        wall = self.t[1] - self.t[0]
        return round((which[1] - which[0]) / wall * 100, 1) if wall > 0 else None


# ------------------------------------------------------------------------------------ analysis
def ms(x: float | None) -> float | None:
    return None if x is None or x != x else round(x * 1000, 1)


def export_ballots(database_url: str, code: str) -> list[dict]:
    """The ballots of the export, read by the CLI in a process of its own."""
    out = subprocess.run(
        [sys.executable, "-m", "conflicts", "workshop", "export", code, "--format", "json"],
        cwd=REPO, env={**os.environ, "CONFLICTS_DATABASE_URL": database_url},
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)["ballots"]


def count_losses(votes: list[Vote], stored: list[dict]) -> tuple[int, int]:
    """(lost, duplicated): acknowledged ballots missing from the export, compared per item and
    value; stored ballots beyond one per phone and item."""
    acked = collections.Counter((v.item_id, v.value) for v in votes if v.acked)
    have = collections.Counter((b["item_id"], b["value"]) for b in stored)
    lost = sum(max(0, n - have[k]) for k, n in acked.items())
    sent = collections.Counter(v.item_id for v in votes)
    per_item = collections.Counter(b["item_id"] for b in stored)
    pairs = collections.Counter((b["participant"], b["item_id"]) for b in stored)
    duplicated = sum(max(0, n - sent[i]) for i, n in per_item.items())
    duplicated += sum(n - 1 for n in pairs.values() if n > 1)
    return lost, duplicated


def make_workshop(database_url: str, free: bool) -> tuple[str, str, list[int]]:
    """A rating workshop on the bundled catalogue: (code, facilitator key, conflict item ids).
    Follow mode in draft (the facilitator's step opens it), or free mode with every item open."""
    from conflicts import workshops as ws
    from conflicts.store import get_store

    store = get_store(database_url)
    created = ws.create_workshop("stockholm", title="Load", store=store)
    code = created.workshop.code
    items = [i.id for i in created.workshop.items if i.kind != "warmup"]
    if free:
        ws.set_mode(ws.local_grant(code, store=store), "free", store=store)
        ws.open_workshop(ws.local_grant(code, store=store), store=store)
        for item in items:
            ws.open_voting(ws.local_grant(code, store=store), item, store=store)
    return code, created.facilitator_key, items


# ------------------------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    ap = parser()
    args = ap.parse_args(argv)
    if args.participants < 1:
        ap.error("--participants must be >= 1")
    from conflicts.testing import AppServer, LocalDeployment

    tmp = tempfile.TemporaryDirectory(prefix="conflicts-burst-")
    db_url = args.database_url or f"sqlite:///{Path(tmp.name) / 'conflicts.db'}"
    if args.url and not args.database_url:
        ap.error("--url needs --database-url or CONFLICTS_DATABASE_URL (the server's database)")
    if args.nginx and not args.database_url:
        ap.error("--nginx needs --database-url (PostgreSQL: the processes share it)")
    check_database_url(db_url)
    code, key, items = make_workshop(db_url, free=args.scenario == "free")
    if args.scenario == "burst" and args.rounds > len(items):
        ap.error(f"the catalogue has {len(items)} conflicts, fewer than --rounds")

    stack = contextlib.ExitStack()
    nginx_pids: list[int] = []
    with stack:
        if args.url:
            u = urllib.parse.urlsplit(args.url)
            if not is_loopback_host(u.hostname):
                ap.error("--url must be on a loopback address")
            base = args.url.rstrip("/")
            pids = args.server_pid or [listening_pid(u.port or 80)]
            proj_base = (args.projector_url or base).rstrip("/")
        elif args.nginx:
            d = stack.enter_context(LocalDeployment(db_url, processes=args.nginx))
            base, proj_base = d.url, d.apps[0].url
            pids = [a.process.pid for a in d.apps]
            nginx_pids = d.proxy.pids()
        else:
            server = stack.enter_context(AppServer(data_dir=tmp.name, database_url=db_url))
            base = proj_base = server.url
            pids = [server.process.pid]
        print(f"{args.scenario}: {args.participants} phones -> {base} (app pids {pids}), "
              f"database {db_url.split('@')[-1]}, workshop {code}", flush=True)  # fmt: skip
        cpu = CpuMeter([p for p in pids if p], nginx_pids)
        run = Run(base, code, args)
        res = asyncio.run(drive(run, key, items, cpu, proj_base))
    stored = export_ballots(db_url, code)
    tmp.cleanup()

    votes = run.votes
    lost, duplicated = count_losses(votes, stored)
    lags, never = _projector_lags(
        SimpleNamespace(ballots=votes, projector=run.projector), res["t_end"]
    )
    acks = [v.rtt for v in votes]
    out = {
        "scenario": args.scenario,
        "participants": args.participants,
        "joined": res["joined"],
        "processes": len(pids),
        "database": "postgresql" if db_url.startswith("postgres") else "sqlite",
        "follow": args.follow,
        "join_p95_ms": ms(percentile(run.join_rtts, 95)),
        "server_cpu_pct": cpu.pct(cpu.app),
        "nginx_cpu_pct": cpu.pct(cpu.ngx) if nginx_pids else None,
        "client_cpu_pct": cpu.pct(cpu.me),
        "errors": dict(run.errors.most_common(10)),
        # Other work on the machine skews every figure: the 1-minute load average at the end.
        "loadavg_1m": round(os.getloadavg()[0], 1),
    }
    if args.scenario != "idle":
        out |= {
            "rounds": args.rounds if args.scenario == "burst" else None,
            "window_s": args.window if args.scenario == "burst" else None,
            "ballots_sent": len(votes),
            "ballots_acked": sum(v.acked for v in votes),
            "ballots_stored": len(stored),
            "lost": lost,
            "duplicated": duplicated,
            "retried": sum(v.attempts > 1 for v in votes),
            "vote_ack_p50_ms": ms(percentile(acks, 50)),
            "vote_ack_p95_ms": ms(percentile(acks, 95)),
            "follow_p95_ms": max((r["follow_p95_ms"] or 0 for r in res["rounds"]), default=None),
            "throughput_per_s": round(
                sum(v.acked for v in votes) / max(1e-9, cpu.t[1] - cpu.t[0]), 1
            ),
            "projector_lag_p95_ms": ms(percentile(lags, 95)),
            "projector_never_shown": never,
            "per_round": res["rounds"],
        }
    else:
        out["idle_s"] = args.seconds
    print(json.dumps(out), flush=True)
    return 0
