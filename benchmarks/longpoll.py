"""Idle phones and following, over the JSON API: what N phones that long-poll cost the server,
and how long the facilitator's step takes to reach them.

    python benchmarks/longpoll.py --phones 1000 --idle 30 --steps 3

Starts one app server (``streamlit run app.py``, SQLite), parks N long polls
(``GET /api/workshops/CODE/state?after=REV``) and measures the server's CPU while they wait
(``--idle`` seconds), then makes ``--steps`` facilitator steps through the API and reports, per
step, the time until 50/95/100 % of the phones had the new state.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

import httpx

from conflicts import workshops as ws
from conflicts.store import Store
from conflicts.testing import AppServer


class Conn:
    """One phone's keep-alive HTTP/1.1 connection (raw asyncio streams: httpx's pool spent
    ~17 ms of the load generator's CPU per answer with 1,000 connections, which measured the
    client instead of the server)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def get(self, path: str) -> bytes:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        request = f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n"
        self.writer.write(request.encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return await self.reader.readexactly(length)


async def phone(server: AppServer, path: str, seen: dict, stop: asyncio.Event) -> None:
    revision = seen["start"]
    conn = Conn("127.0.0.1", server.port)
    while not stop.is_set():
        try:
            body = await conn.get(f"{path}?after={revision}")
        except (OSError, asyncio.IncompleteReadError):
            conn.writer = None
            await asyncio.sleep(1)
            continue
        new = json.loads(body)["revision"]
        if new != revision:
            seen.setdefault(new, []).append(time.monotonic())
            revision = new


async def run(args: argparse.Namespace) -> None:
    with AppServer() as server:
        store = Store(f"sqlite:///{server.data_dir / 'conflicts.db'}")
        created = ws.create_workshop("stockholm", store=store)
        code, key = created.workshop.code, created.facilitator_key
        items = [i.id for i in created.workshop.items]
        ws.open_workshop(ws.local_grant(code, store=store), store=store)
        url = f"{server.url}/api/workshops/{code}/state"
        limits = httpx.Limits(max_connections=args.phones + 10, max_keepalive_connections=None)
        async with httpx.AsyncClient(limits=limits) as client:
            seen = {"start": (await client.get(url)).json()["revision"]}
            stop = asyncio.Event()
            path = f"/api/workshops/{code}/state"
            tasks = [
                asyncio.create_task(phone(server, path, seen, stop)) for _ in range(args.phones)
            ]
            await asyncio.sleep(5)  # everyone connected and parked
            cpu0, t0 = server.cpu_seconds(), time.monotonic()
            await asyncio.sleep(args.idle)
            cpu = server.cpu_seconds() - cpu0
            wall = time.monotonic() - t0
            print(
                f"{args.phones} idle phones for {wall:.0f} s: server CPU {cpu:.2f} s "
                f"= {100 * cpu / wall:.1f} % of one core; RSS {server.rss_mb():.0f} MiB"
            )
            for step in range(args.steps):
                headers = {"Authorization": f"Bearer {key}"}
                body = {"item_id": items[step], "voting": "open"}
                t_step, cpu_step, me0 = time.monotonic(), server.cpu_seconds(), time.process_time()
                r = await client.post(
                    f"{server.url}/api/workshops/{code}/facilitator/step",
                    json=body,
                    headers=headers,
                )
                revision = r.json()["revision"]
                for _ in range(100):
                    if len(seen.get(revision, [])) >= args.phones:
                        break
                    await asyncio.sleep(0.1)
                cpu_used = server.cpu_seconds() - cpu_step
                times = sorted(t - t_step for t in seen.get(revision, []))
                if not times:
                    print(f"step {step + 1}: no phone saw it")
                    continue
                q = statistics.quantiles(times, n=100) if len(times) > 1 else times * 99
                print(
                    f"step {step + 1}: {len(times)}/{args.phones} phones; follow p50 "
                    f"{q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms; server CPU {cpu_used:.2f} s, load generator CPU {time.process_time() - me0:.2f} s"
                )
                await asyncio.sleep(2)
            stop.set()
            for task in tasks:
                task.cancel()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--idle", type=float, default=30)
    parser.add_argument("--steps", type=int, default=3)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
