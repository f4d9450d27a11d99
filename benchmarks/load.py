"""Load test: N simulated participants join a workshop from "phones" and vote, one projector watches.

    python benchmarks/load.py --participants N [--think 2:8] [--url URL]   # free, the default
    python benchmarks/load.py --scenario burst --participants N --rounds R --window S [--url URL]
    python benchmarks/load.py --scenario idle --participants N --seconds S

Phones are plain HTTP clients of the JSON API (:mod:`benchmarks.burst` documents the scenarios,
their options and figures). ``--scenario streamlit``, described below, is the older test of the
Streamlit phone page over its websocket protocol; that page is gone (issue 9), so it only still
serves to measure older commits:

    python benchmarks/load.py --scenario streamlit --participants N [--url URL] [--database-url URL]
                              [--wave-size 50] [--wave-interval 2] [--think 2:8]
                              [--timeout 600] [--quickack] [--py-spy OUT]

Without ``--url`` it starts the app itself (``conflicts.testing.AppServer``: ``streamlit run
app.py`` on a free loopback port) on a fresh SQLite database in a temporary directory. With
``--url`` it drives that server; the workshop is then created, and the stored ballots counted,
in the database given by ``--database-url`` or ``CONFLICTS_DATABASE_URL`` (the server's own).
Only loopback addresses are accepted (server and database host).

No browsers: every participant is one websocket session speaking Streamlit's protocol
(:mod:`benchmarks.st_client`), with its own ``mk_voter`` cookie from the HTTP middleware.

What it does
------------
1. Creates a workshop on the bundled ``stockholm`` catalogue directly through
   :mod:`conflicts.workshops` (same database as the server), sets mode ``free`` (every open
   conflict is listed), opens the workshop and opens voting on every agenda item.
2. Opens one projector session on ``/projector?code=CODE`` and ticks its ``run_every``
   fragments about every ``--projector-interval`` s (1 s), reading the displayed total from the
   ``data-ballots`` attribute.
3. Starts participants in waves of ``--wave-size`` every ``--wave-interval`` s. Each one: GET
   ``/join?code=CODE`` for its cookie, opens the page over the websocket, types a name into
   ``join_name`` and clicks ``join_submit`` (if shown), then votes on every listed conflict in
   random order by clicking ``vote_{item_id}_{value}`` (value 1..5 at random; ``skip_{item_id}``
   with probability ``--skip``), waiting a random think time (``--think MIN:MAX`` s) before each
   vote. A phone is a person reading the conflict: without think time 500 clients would be a
   500-deep queue, not a workshop.
4. At the end: a last projector reading, the export (:func:`conflicts.workshops.export_data`)
   and the JSON line.

Definitions
-----------
* ballot sent: a vote click was sent. Acknowledged: the rerun finished without an error or
  exception element, and the number of elements whose text contains "✓" grew (the page shows a
  confirmation for the item). A timeout, a closed socket or an error element is not an ack.
* vote_p50_ms / vote_p95_ms: round trip of the vote click (send -> final ``script_finished``),
  over every ballot sent (a failed one counts with the time until it failed). By default the
  client has Linux delayed ACKs like a browser (~40 ms of Nagle wait per rerun, see
  st_client.py); ``--quickack`` measures the server alone.
* ballots_stored: ballots in the export. lost: acknowledged ballots (participant pseudonym,
  item, value) that are missing from the export or stored with another value. Stored ballots
  that were never acknowledged (e.g. the client timed out) are reported in the summary.
* projector_lag_p95_ms: acknowledged ballots are sorted by ack time; the k-th is "shown" by the
  first projector reading received after its ack whose count is >= k (reading time = when the
  fragment run finished on the client). lag = that time - ack time. It includes the polling
  interval (~1 s), so ~1 s + fragment round trip is the floor. Approximate: acks and commits may
  be reordered slightly; the count must be monotonic (nobody changes a vote here). Ballots
  never shown before the end count as the run's end - ack time (and are counted in the summary).
* server_rss_mb: peak RSS of the server process, sampled every second.
* cpu_s_per_ballot: server CPU seconds (user+sys, all threads) from the first participant to
  the end (connects, joins, projector polls and votes), divided by the ballots stored.

The last line of output is one JSON object with exactly the keys ``participants, ballots_sent,
ballots_acknowledged, ballots_stored, lost, vote_p50_ms, vote_p95_ms, projector_lag_p95_ms,
server_rss_mb, cpu_s_per_ballot``; a readable summary precedes it.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import ipaddress
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.st_client import (  # noqa: E402
    StreamlitClient,
    StreamlitClientError,
    fetch_cookie,
    percentile,
)

CHECK_MARK = "✓"
BALLOTS_RE = re.compile(r'data-ballots="(\d+)"')
VOTER_COOKIE = "mk_voter"
ALERT_ERROR = 1  # streamlit.proto.Alert_pb2.Alert.ERROR


# ------------------------------------------------------------------------------------ helpers
def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False
        return bool(infos) and all(ipaddress.ip_address(i[4][0]).is_loopback for i in infos)


def check_database_url(url: str) -> None:
    """SQLite files are local; any other database must be on a loopback host."""
    if url.startswith("sqlite"):
        return
    from sqlalchemy.engine import make_url

    host = make_url(url).host
    if host and not host.startswith("/") and not is_loopback_host(host):
        raise SystemExit(f"refusing a non-loopback database host {host!r}")


def parse_range(text: str) -> tuple[float, float]:
    lo, _, hi = text.partition(":")
    a = float(lo)
    b = float(hi) if hi else a
    if a < 0 or b < a:
        raise argparse.ArgumentTypeError(f"bad range {text!r} (MIN:MAX, 0 <= MIN <= MAX)")
    return a, b


def listening_pid(port: int) -> int | None:
    """PID of the process listening on a local TCP port (Linux /proc), or None."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:  # LISTEN
                inodes.add(parts[9])
    if not inodes:
        return None
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(pid)
        except OSError:
            continue
    return None


class ProcStats:
    """CPU seconds and RSS of a process from /proc (AppServer's, or any pid for --url)."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid

    def cpu_seconds(self) -> float | None:
        if self.pid is None:
            return None
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float | None:
        if self.pid is None:
            return None
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None


# ------------------------------------------------------------------------------------ workshop
def setup_workshop(store) -> tuple[str, list[int]]:
    from conflicts import workshops as ws

    created = ws.create_workshop("stockholm", title="Load test", store=store)
    code = created.workshop.code
    ws.set_mode(created.grant, "free", store=store)
    ws.open_workshop(created.grant, store=store)
    w = ws.get_workshop(code, store=store)
    for item in w.items:
        ws.open_voting(created.grant, item.id, store=store)
    return code, [i.id for i in w.items]


def stored_ballots(store, code: str) -> tuple[dict[tuple[str, int], tuple[int | None, bool]], str]:
    """{(pseudonym, item_id): (value, skipped)} from the export, and the workshop's salt."""
    from sqlalchemy import select

    from conflicts import workshops as ws
    from conflicts.store import workshops

    data = ws.export_data(ws.local_grant(code, store=store), store=store)
    salt = store.read(
        lambda conn: conn.execute(
            select(workshops.c.anon_salt).where(workshops.c.code == code)
        ).scalar_one()
    )
    out = {(b["participant"], b["item_id"]): (b["value"], b["skipped"]) for b in data["ballots"]}
    return out, salt


# ------------------------------------------------------------------------------------ run state
@dataclass
class Ballot:
    participant: int
    item_id: int
    value: int | None  # None = skip
    rtt: float = 0.0
    acked: bool = False
    ack_time: float | None = None  # perf_counter
    error: str = ""


@dataclass
class Stats:
    ballots: list[Ballot] = field(default_factory=list)
    voters: dict[int, str] = field(default_factory=dict)  # participant -> voter id (cookie)
    joined: int = 0
    join_failed: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    join_rtts: list[float] = field(default_factory=list)
    open_rtts: list[float] = field(default_factory=list)
    projector: list[tuple[float, int]] = field(default_factory=list)  # (recv time, count)
    projector_rtts: list[float] = field(default_factory=list)
    projector_errors: int = 0
    participants_done: int = 0
    voted: int = 0  # participants that finished voting (or gave up)
    all_voted: asyncio.Event = field(default_factory=asyncio.Event)
    vote_rtts: list[float] = field(default_factory=list)  # finished votes, in order
    tick_rtts: list[float] = field(default_factory=list)  # phones' run_every fragment runs
    tick_errors: int = 0
    http_rtts: list[float] = field(default_factory=list)  # phones' revision polls (HTTP GET)
    rss_peak: float = 0.0

    def error(self, what: str) -> None:
        what = what.splitlines()[0][:160] if what else "?"
        self.errors[what] = self.errors.get(what, 0) + 1


def check_count(c: StreamlitClient) -> int:
    return sum(1 for e in c.elements.values() if CHECK_MARK in e.text)


def error_texts(elements) -> list[str]:
    out = []
    for e in elements:
        if e.kind == "exception" or (
            e.kind == "alert" and getattr(e.proto, "format", 0) == ALERT_ERROR
        ):
            out.append(e.text)
    return out


def vote_keys(c: StreamlitClient) -> set[int]:
    """Item ids that have vote buttons on the page."""
    ids = set()
    for e in c.widgets():
        if e.key and e.key.startswith("vote_"):
            parts = e.key.split("_")
            if len(parts) == 3 and parts[1].isdigit():
                ids.add(int(parts[1]))
    return ids


# ------------------------------------------------------------------------------------ actors
@dataclass
class PhoneClock:
    """When a phone last ran its run_every fragments and last asked the revision endpoint."""

    base: str
    code: str
    last_tick: float = field(default_factory=time.perf_counter)
    last_http: float = field(default_factory=time.perf_counter)
    seen: int | None = None  # the revision the page was drawn from
    http: KeepAliveClient | None = None


class KeepAliveClient:
    """A phone's HTTP/1.1 connection, reused between requests like a browser's fetch()."""

    def __init__(self, base: str) -> None:
        self.url = urllib.parse.urlsplit(base)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get_json(self, path: str, timeout: float) -> tuple[int, dict | None]:
        for attempt in (1, 2):  # the server may have closed an idle connection
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.wait_for(
                        asyncio.open_connection(self.url.hostname, self.url.port), timeout
                    )
                request = f"GET {path} HTTP/1.1\r\nHost: {self.url.netloc}\r\n\r\n"
                self.writer.write(request.encode())
                await self.writer.drain()
                head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), timeout)
                status = int(head.split(b" ", 2)[1])
                length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))
                body = await asyncio.wait_for(self.reader.readexactly(length), timeout)
                return status, (json.loads(body) if status == 200 else None)
            except (OSError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def poll_revision(c: StreamlitClient, clock: PhoneClock, args, stats: Stats) -> None:
    """The phone's revision watch (conflicts.ui.watch): GET the endpoint; rerun on a change."""
    clock.last_http = time.perf_counter()
    start = clock.last_http
    try:
        clock.http = clock.http or KeepAliveClient(clock.base)
        status, body = await clock.http.get_json(
            f"/api/workshops/{clock.code}/revision", args.request_timeout
        )
    except (TimeoutError, OSError, ValueError, IndexError, AttributeError) as e:
        stats.error(f"revision poll: {type(e).__name__}: {e}")
        return
    stats.http_rtts.append(time.perf_counter() - start)
    if status != 200 or body is None:
        stats.error(f"revision poll: HTTP {status}")
        return
    if clock.seen is None:
        clock.seen = body["revision"]
    elif body["revision"] != clock.seen:
        clock.seen = body["revision"]
        await c.rerun()


async def idle(c: StreamlitClient, seconds: float, clock: PhoneClock, args, stats: Stats) -> None:
    """Wait ``seconds`` like a phone on the page: its run_every fragments tick on their timers
    and its revision watch asks the HTTP endpoint every ``--http-poll`` seconds."""
    end = time.perf_counter() + seconds
    while True:
        now = time.perf_counter()
        due_tick = (
            clock.last_tick + min(c.fragments_auto.values())
            if args.phone_ticks and c.fragments_auto and c.ws is not None
            else float("inf")
        )
        due_http = clock.last_http + args.http_poll if args.http_poll > 0 else float("inf")
        due = min(due_tick, due_http)
        if due > end:
            if end > now:
                await asyncio.sleep(end - now)
            return
        if due > now:
            await asyncio.sleep(due - now)
        if due == due_http:
            try:
                await poll_revision(c, clock, args, stats)
            except (StreamlitClientError, OSError) as e:
                stats.error(f"rerun after revision change: {e}")
            continue
        clock.last_tick = time.perf_counter()
        try:
            for r in await c.tick_fragments():
                stats.tick_rtts.append(r.rtt)
        except (StreamlitClientError, OSError) as e:
            stats.tick_errors += 1
            stats.error(f"phone fragment: {e}")
            with contextlib.suppress(Exception):
                await c.close()
            c.ws = None
            return


async def participant(
    i: int, base: str, code: str, items: list[int], args, stats: Stats, rng: random.Random
) -> None:
    """One phone: join, vote on every listed item, then stay on the page until everyone voted."""
    c: StreamlitClient | None = None
    clock = PhoneClock(base, code)
    try:
        c = await _join_and_vote(i, base, code, items, args, stats, rng, clock)
    finally:
        stats.voted += 1
        if stats.voted >= args.participants:
            stats.all_voted.set()
    try:
        while c is not None and c.ws is not None and not stats.all_voted.is_set():
            await idle(c, 1.0, clock, args, stats)
    finally:
        stats.participants_done += 1
        if clock.http is not None:
            clock.http.close()
        if c is not None:
            with contextlib.suppress(Exception):
                await c.close()


async def _join_and_vote(
    i: int,
    base: str,
    code: str,
    items: list[int],
    args,
    stats: Stats,
    rng: random.Random,
    clock: PhoneClock,
) -> StreamlitClient | None:
    path = f"/join?code={code}"
    try:
        cookies = await asyncio.to_thread(fetch_cookie, base, path, timeout=args.request_timeout)
    except OSError as e:
        stats.join_failed += 1
        stats.error(f"cookie: {type(e).__name__}: {e}")
        return None
    if VOTER_COOKIE not in cookies:
        stats.join_failed += 1
        stats.error(f"no {VOTER_COOKIE} cookie")
        return None
    stats.voters[i] = cookies[VOTER_COOKIE]
    c = StreamlitClient(base, cookies=cookies, timeout=args.request_timeout, quickack=args.quickack)
    try:
        r = await c.open(path)
        stats.open_rtts.append(r.rtt)
        if not r.ok:
            raise StreamlitClientError(f"open failed: {r.exceptions or r.status}")
        if c.find_all("join_submit"):
            if c.find_all("join_name"):
                await c.set_value("join_name", f"Load {i}", rerun=False)
            r = await c.click("join_submit")
            stats.join_rtts.append(r.rtt)
            errs = error_texts(r.elements)
            if not r.ok or errs:
                raise StreamlitClientError(
                    f"join failed: {(errs or r.exceptions or [r.status])[0]}"
                )
        on_page = vote_keys(c)
        if not on_page:
            raise StreamlitClientError(
                f"no vote buttons after joining; widgets: {[w.key for w in c.widgets()][:12]}"
            )
    except (StreamlitClientError, OSError) as e:
        stats.join_failed += 1
        stats.error(f"join: {e}")
        with contextlib.suppress(Exception):
            await c.close()
        return None
    stats.joined += 1
    clock.last_tick = clock.last_http = time.perf_counter()
    if set(items) - on_page:
        stats.error(f"items without vote buttons: {sorted(set(items) - on_page)}")
    todo = [it for it in items if it in on_page]
    rng.shuffle(todo)
    for item in todo:
        await idle(c, rng.uniform(*args.think), clock, args, stats)
        if c.ws is None:
            return None  # the session died while idle
        skip = rng.random() < args.skip
        value = None if skip else rng.randint(1, 5)
        key = f"skip_{item}" if skip else f"vote_{item}_{value}"
        if not c.find_all(key):
            stats.error(f"button {key} not on the page")
            continue  # not sent
        b = Ballot(i, item, value)
        stats.ballots.append(b)
        before = check_count(c)
        t0 = time.perf_counter()
        try:
            r = await c.click(key)
        except (StreamlitClientError, OSError) as e:
            b.rtt = time.perf_counter() - t0
            stats.vote_rtts.append(b.rtt)
            b.error = f"vote: {e}"
            stats.error(b.error)
            with contextlib.suppress(Exception):
                await c.close()
            return None  # the session is gone or wedged: this phone gives up
        b.rtt = r.rtt
        stats.vote_rtts.append(b.rtt)
        errs = error_texts(r.elements)
        if not r.ok or errs:
            b.error = f"rejected: {(errs or r.exceptions or [r.status])[0]}"
            stats.error(b.error)
        elif check_count(c) > before:
            b.acked = True
            b.ack_time = t0 + r.rtt
        else:
            b.error = "no ✓ after the vote"
            stats.error(b.error)
    return c


async def projector(base: str, code: str, args, stats: Stats, stop: asyncio.Event) -> None:
    c = StreamlitClient(base, cookies=fetch_cookie(base, "/"), timeout=args.request_timeout)

    def reading() -> int | None:
        vals = [int(m.group(1)) for e in c.elements.values() for m in BALLOTS_RE.finditer(e.text)]
        return max(vals) if vals else None

    try:
        for _attempt in range(3):  # like a person pressing reload when the page shows an error
            r = await c.open(f"/projector?code={code}")
            if r.ok:
                break
            stats.error(f"projector open: {r.exceptions or r.status}")
            await asyncio.sleep(1.0)
        n = reading()
        if n is None:
            stats.error("projector: no data-ballots attribute on the page")
        else:
            stats.projector.append((time.perf_counter(), n))
        if not c.fragments_auto:
            stats.error("projector: no run_every fragment; using full reruns")
        while True:
            t0 = time.perf_counter()
            try:
                rs = await (c.tick_fragments() if c.fragments_auto else c.rerun())
                rs = rs if isinstance(rs, list) else [rs]
                stats.projector_rtts.extend(x.rtt for x in rs)
                n = reading()
                if n is not None:
                    stats.projector.append((time.perf_counter(), n))
            except (StreamlitClientError, OSError) as e:
                stats.projector_errors += 1
                stats.error(f"projector: {e}")
                with contextlib.suppress(Exception):
                    await c.close()
                c.ws = None
                await c.open(f"/projector?code={code}")
            if stop.is_set():
                return
            # The browser's timer fires every interval; it does not wait for the previous run.
            await asyncio.sleep(max(0.0, args.projector_interval - (time.perf_counter() - t0)))
    finally:
        with contextlib.suppress(Exception):
            await c.close()


async def sampler(procstats: ProcStats, stats: Stats, stop: asyncio.Event) -> None:
    while not stop.is_set():
        rss = procstats.rss_mb()
        if rss:
            stats.rss_peak = max(stats.rss_peak, rss)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


async def progress(args, stats: Stats, stop: asyncio.Event, t_start: float) -> None:
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), args.progress)
        if stop.is_set():
            return
        acked = [b for b in stats.ballots if b.acked]
        recent = stats.vote_rtts[-200:]
        shown = stats.projector[-1][1] if stats.projector else None
        print(
            f"  t={time.perf_counter() - t_start:5.0f}s joined={stats.joined} "
            f"voted={stats.voted} sent={len(stats.ballots)} acked={len(acked)} "
            f"rtt p95(last 200)={percentile(recent, 95) * 1000:.0f}ms projector={shown} "
            f"rss={stats.rss_peak:.0f}MB",
            flush=True,
        )


async def drive(base: str, code: str, items: list[int], args, procstats: ProcStats) -> dict:
    stats = Stats()  # created inside the running loop (asyncio.Event)
    stop = asyncio.Event()
    rng = random.Random(args.seed)
    t_start = time.perf_counter()
    cpu0 = procstats.cpu_seconds()
    helpers = [
        asyncio.create_task(sampler(procstats, stats, stop)),
        asyncio.create_task(progress(args, stats, stop, t_start)),
    ]
    proj = asyncio.create_task(projector(base, code, args, stats, stop))
    tasks: list[asyncio.Task] = []
    timed_out = False
    try:
        async with asyncio.timeout(args.timeout):
            for start in range(0, args.participants, args.wave_size):
                if start:
                    await asyncio.sleep(args.wave_interval)
                for i in range(start, min(start + args.wave_size, args.participants)):
                    prng = random.Random(rng.random())
                    tasks.append(
                        asyncio.create_task(participant(i, base, code, items, args, stats, prng))
                    )
            await asyncio.gather(*tasks)
            # Let the projector catch up: until it shows every acked ballot (at most 10 s).
            acked = sum(b.acked for b in stats.ballots)
            t_end = time.perf_counter() + args.settle
            while time.perf_counter() < t_end:
                if stats.projector and stats.projector[-1][1] >= acked:
                    break
                await asyncio.sleep(0.2)
    except TimeoutError:
        timed_out = True
        print(f"GLOBAL TIMEOUT after {args.timeout}s: stopping", flush=True)
    finally:
        stop.set()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        with contextlib.suppress(TimeoutError, Exception):
            await asyncio.wait_for(proj, args.request_timeout)
        proj.cancel()
        await asyncio.gather(proj, *helpers, return_exceptions=True)
    cpu1 = procstats.cpu_seconds()
    return {
        "stats": stats,
        "elapsed": time.perf_counter() - t_start,
        "server_cpu": (cpu1 - cpu0) if cpu0 is not None and cpu1 is not None else None,
        "timed_out": timed_out,
        "t_end": time.perf_counter(),
    }


# ------------------------------------------------------------------------------------ analysis
def projector_lags(stats: Stats, t_end: float) -> tuple[list[float], int]:
    acks = sorted(b.ack_time for b in stats.ballots if b.acked and b.ack_time is not None)
    readings = sorted(stats.projector)
    times = [t for t, _ in readings]
    lags, never = [], 0
    for k, t_ack in enumerate(acks, start=1):
        j = bisect.bisect_left(times, t_ack)
        shown = next((t for t, n in readings[j:] if n >= k), None)
        if shown is None:
            never += 1
            shown = t_end
        lags.append(shown - t_ack)
    return lags, never


def pseudonym(salt: str, voter_id: str) -> str:
    from conflicts.workshops import pseudonym as _p

    return _p(salt, voter_id)


def ms(x: float | None) -> float | None:
    return None if x is None or x != x else round(x * 1000, 1)


# ------------------------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--scenario", choices=["streamlit", "free", "burst", "idle"], default="free")
    scenario, _ = pre.parse_known_args(argv)
    if scenario.scenario != "streamlit":
        from benchmarks import burst

        return burst.main(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--scenario",
        choices=["streamlit", "free", "burst", "idle"],
        help="streamlit: the old Streamlit phone page over websockets; free (default), burst, "
        "idle: phones on the JSON API (`--scenario burst --help`)",
    )
    ap.add_argument("--participants", "-n", type=int, required=True)
    ap.add_argument(
        "--url", help="drive this running server (loopback only) instead of starting one"
    )
    ap.add_argument(
        "--database-url",
        help="the server's database (with --url; default: env CONFLICTS_DATABASE_URL)",
    )
    ap.add_argument(
        "--server-pid",
        type=int,
        help="with --url: server pid for CPU/RSS (default: "
        "the process listening on the URL's port)",
    )
    ap.add_argument("--wave-size", type=int, default=50, help="participants started per wave")
    ap.add_argument("--wave-interval", type=float, default=2.0, help="seconds between waves")
    ap.add_argument(
        "--think",
        type=parse_range,
        default=(2.0, 8.0),
        help="MIN:MAX seconds a participant waits before each vote (default 2:8)",
    )
    ap.add_argument("--skip", type=float, default=0.0, help="probability of skipping an item")
    ap.add_argument("--projector-interval", type=float, default=1.0)
    ap.add_argument(
        "--no-phone-ticks",
        dest="phone_ticks",
        action="store_false",
        help="phones do not run their run_every fragments (default: they do, like a browser, "
        "while thinking and after voting until everyone voted)",
    )
    ap.add_argument(
        "--http-poll",
        type=float,
        default=1.0,
        help="seconds between a phone's GETs of the revision endpoint (0: off), like the "
        "browser's revision watch (conflicts.ui.watch)",
    )
    ap.add_argument("--timeout", type=float, default=600.0, help="global time limit (s)")
    ap.add_argument("--request-timeout", type=float, default=30.0, help="per rerun / request (s)")
    ap.add_argument(
        "--settle",
        type=float,
        default=10.0,
        help="max seconds to wait at the end for the projector to catch up",
    )
    ap.add_argument(
        "--quickack",
        action="store_true",
        help="TCP_QUICKACK on the clients: server latency without the 40 ms Nagle wait",
    )
    ap.add_argument("--progress", type=float, default=10.0, help="progress line every S seconds")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--py-spy",
        metavar="OUT",
        help="record the server with py-spy (speedscope JSON) during the run",
    )
    ap.add_argument(
        "--py-spy-idle",
        action="store_true",
        help="py-spy also samples waiting threads (locks, sleeps, I/O): where wall time goes",
    )
    ap.add_argument("--app", help=argparse.SUPPRESS)  # develop against another script
    ap.add_argument(
        "--server-arg",
        action="append",
        default=[],
        metavar="--opt=VALUE",
        help="extra `streamlit run` option for the started server (repeatable)",
    )
    args = ap.parse_args(argv)
    if args.participants < 1 or args.wave_size < 1:
        ap.error("--participants and --wave-size must be >= 1")

    # A hard stop however the run wedges (e.g. a server that does not stop).
    watchdog = threading.Timer(args.timeout + 120, lambda: os._exit(3))
    watchdog.daemon = True
    watchdog.start()

    from conflicts.store import get_store
    from conflicts.testing import AppServer

    server = None
    tmp = None
    if args.url:
        u = urllib.parse.urlsplit(args.url)
        if u.scheme not in ("http", "https") or not is_loopback_host(u.hostname):
            ap.error(f"--url must be http(s) on a loopback address, not {args.url!r}")
        db_url = args.database_url or os.environ.get("CONFLICTS_DATABASE_URL")
        if not db_url:
            ap.error("--url needs --database-url or CONFLICTS_DATABASE_URL (the server's database)")
        base = args.url.rstrip("/")
        pid = args.server_pid or listening_pid(u.port or (443 if u.scheme == "https" else 80))
        procstats = ProcStats(pid)
        if pid is None:
            print("note: server pid not found: no CPU/RSS figures", flush=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="conflicts-load-")
        db_url = args.database_url or f"sqlite:///{Path(tmp.name) / 'conflicts.db'}"
        server = AppServer(data_dir=tmp.name, database_url=db_url)
        if args.app:
            server.args[4] = str(Path(args.app).resolve())
        server.args += args.server_arg
    check_database_url(db_url)
    store = get_store(db_url)
    code, items = setup_workshop(store)

    spy = None
    try:
        if server is not None:
            server.start()
            base = server.url
            procstats = ProcStats(server.process.pid)
        print(
            f"server {base} (pid {procstats.pid}), database {store.url}\n"
            f"workshop {code}: {len(items)} open items {items}; {args.participants} participants "
            f"in waves of {args.wave_size} every {args.wave_interval}s, think "
            f"{args.think[0]:g}-{args.think[1]:g}s, projector every {args.projector_interval:g}s, "
            f"timeout {args.timeout:g}s{', quickack' if args.quickack else ''}"
            f"{'' if args.phone_ticks else ', phone fragments off'}",
            flush=True,
        )
        if args.py_spy and procstats.pid:
            # OUT.svg: flame graph; OUT.txt: collapsed stacks (grep-able); else speedscope JSON.
            fmt = {".svg": "flamegraph", ".txt": "raw"}.get(Path(args.py_spy).suffix, "speedscope")
            spy = subprocess.Popen(
                ["py-spy", "record", "--pid", str(procstats.pid), "--format", fmt,
                 "--rate", "50", "--nonblocking", "--threads", "--output", args.py_spy,
                 *(["--idle"] if args.py_spy_idle else [])],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
        cpu_client0 = time.process_time()
        res = asyncio.run(drive(base, code, items, args, procstats))
        cpu_client = time.process_time() - cpu_client0
        rss_end = procstats.rss_mb()
    finally:
        if spy is not None and spy.poll() is None:
            spy.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                spy.wait(30)
        if server is not None:
            server.stop()

    stats: Stats = res["stats"]
    stored, salt = stored_ballots(store, code)
    if tmp is not None:
        tmp.cleanup()

    sent = stats.ballots
    acked = [b for b in sent if b.acked]
    missing = 0
    acked_keys = set()
    for b in acked:
        key = (pseudonym(salt, stats.voters[b.participant]), b.item_id)
        acked_keys.add(key)
        got = stored.get(key)
        if got is None or got != (b.value, b.value is None):
            missing += 1
    unacked_stored = sum(1 for k in stored if k not in acked_keys)
    rtts = [b.rtt for b in sent]
    lags, never = projector_lags(stats, res["t_end"])
    cpu = res["server_cpu"]
    rss = max(stats.rss_peak, rss_end or 0.0) or None

    print()
    print(
        f"== load test: {args.participants} participants, {len(items)} items, "
        f"{res['elapsed']:.1f}s{' (TIMED OUT)' if res['timed_out'] else ''}"
    )
    print(
        f"joined {stats.joined}, failed to join {stats.join_failed}; "
        f"page open p50/p95 {ms(percentile(stats.open_rtts, 50))}/"
        f"{ms(percentile(stats.open_rtts, 95))} ms, join click p50/p95 "
        f"{ms(percentile(stats.join_rtts, 50))}/{ms(percentile(stats.join_rtts, 95))} ms"
    )
    print(
        f"ballots: sent {len(sent)}, acknowledged {len(acked)}, stored {len(stored)}, "
        f"lost (acked, not stored) {missing}, stored but not acked {unacked_stored}"
    )
    print(
        f"vote round trip: p50 {ms(percentile(rtts, 50))} ms, p95 {ms(percentile(rtts, 95))} ms, "
        f"p99 {ms(percentile(rtts, 99))} ms, max {ms(max(rtts) if rtts else None)} ms "
        f"({'quickack' if args.quickack else 'delayed ACKs, like a browser'})"
    )
    if res["elapsed"] > 0:
        print(f"throughput: {len(acked) / res['elapsed']:.1f} acked ballots/s over the whole run")
    print(
        f"phones' run_every fragments: {len(stats.tick_rtts)} runs, p50/p95 "
        f"{ms(percentile(stats.tick_rtts, 50))}/{ms(percentile(stats.tick_rtts, 95))} ms, "
        f"errors {stats.tick_errors}"
        if args.phone_ticks
        else "phones' run_every fragments: off"
    )
    print(
        f"phones' revision polls (HTTP): {len(stats.http_rtts)}, p50/p95 "
        f"{ms(percentile(stats.http_rtts, 50))}/{ms(percentile(stats.http_rtts, 95))} ms"
        if args.http_poll > 0
        else "phones' revision polls (HTTP): off"
    )
    print(
        f"projector: {len(stats.projector)} readings, fragment rtt p50/p95 "
        f"{ms(percentile(stats.projector_rtts, 50))}/{ms(percentile(stats.projector_rtts, 95))}"
        f" ms, lag p50/p95 {ms(percentile(lags, 50))}/{ms(percentile(lags, 95))} ms, "
        f"never shown {never}, errors {stats.projector_errors}, last count "
        f"{stats.projector[-1][1] if stats.projector else None}"
    )
    print(
        f"server: peak RSS {rss and round(rss)} MB, CPU {cpu and round(cpu, 1)} s "
        f"({cpu / res['elapsed'] * 100:.0f}% of one core)"
        if cpu
        else "server: CPU unknown"
    )
    print(
        f"load generator CPU: {cpu_client:.1f} s ({cpu_client / res['elapsed'] * 100:.0f}% "
        f"of one core)"
    )
    if stats.errors:
        print("errors:")
        for what, n in sorted(stats.errors.items(), key=lambda kv: -kv[1])[:15]:
            print(f"  {n:6d} x {what}")
    out = {
        "participants": args.participants,
        "ballots_sent": len(sent),
        "ballots_acknowledged": len(acked),
        "ballots_stored": len(stored),
        "lost": missing,
        "vote_p50_ms": ms(percentile(rtts, 50)),
        "vote_p95_ms": ms(percentile(rtts, 95)),
        "projector_lag_p95_ms": ms(percentile(lags, 95)),
        "server_rss_mb": round(rss, 1) if rss else None,
        "cpu_s_per_ballot": round(cpu / len(stored), 5) if cpu is not None and stored else None,
        "revision_poll_p95_ms": ms(percentile(stats.http_rtts, 95)),
    }
    print(json.dumps(out), flush=True)
    return 0 if not res["timed_out"] else 2


if __name__ == "__main__":
    sys.exit(main())
