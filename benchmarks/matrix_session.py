"""Benchmark of the matrix scoring session: N phones (plain HTTP clients of the JSON API) score
their dealt pairs of a 40-node session.

    python benchmarks/matrix_session.py --participants 100 [--nodes 40] [--pairs 12] [--think 0:2]
    python benchmarks/matrix_session.py ... --url http://127.0.0.1:8501 --database-url URL

Without ``--url`` it starts the app (``streamlit run app.py``) on a fresh SQLite file. What a run
does: creates a workshop on the bundled ``sdg`` catalogue with a matrix session of ``--nodes``
goals and targets (open, current), N phones join (``POST /participants``, the token sent back in
``X-Voter-Token``), each phone asks ``GET /pairs?item_id=ID`` once (its first pair, dealt from
the process's shared read of the workshop and the answers per pair, plus its own answers), then
``--pairs`` times, after ``--think`` seconds: ``POST /pair-scores`` with a random −3..+3
(retrying the same request after a network error like the page does), whose answer carries the
next pair (``next_pairs``): one request per pair.

Figures (last line: one JSON object): ``deal_p50_ms`` / ``_p95_ms`` (the first GET /pairs),
``score_ack_p50_ms`` / ``_p95_ms`` (POST /pair-scores until its 200), ``acknowledged``,
``stored`` (rows in the database), ``lost`` / ``duplicated`` (acknowledged pairs missing, rows
beyond one per phone and pair), ``pairs_covered`` (distinct pairs answered), ``balance`` (the
fewest and the most answers of a pair among the answered ones; the deal takes the least answered
pairs first), ``server_cpu_pct`` (of one core, during the scoring).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.common import ProcStats, listening_pid, parse_range, percentile  # noqa: E402
from conflicts import workshops as ws  # noqa: E402
from conflicts.store import Store  # noqa: E402
from conflicts.testing import AppServer  # noqa: E402


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--participants", type=int, default=100)
    ap.add_argument("--nodes", type=int, default=40)
    ap.add_argument("--pairs", type=int, default=12, help="pairs per participant")
    ap.add_argument("--think", type=parse_range, default=(0.0, 2.0), help="seconds, e.g. 0:2")
    ap.add_argument("--join-rate", type=float, default=50.0, help="joins per second")
    ap.add_argument("--url", help="a running server (else one is started)")
    ap.add_argument("--database-url", help="the server's database (with --url)")
    ap.add_argument("--seed", type=int, default=1)
    return ap


def make_session(store: Store, nodes: int, pairs: int) -> tuple[str, ws.AgendaItem]:
    created = ws.create_workshop("sdg", title="Matrix benchmark", store=store)
    g = created.grant
    chosen = list(created.workshop.catalogue().nodes)[:nodes]
    item = ws.add_matrix_session(g, chosen, pairs_per_participant=pairs, store=store)
    ws.open_workshop(g, store=store)
    ws.set_current_item(g, item.id, store=store)
    ws.open_voting(g, item.id, store=store)
    return created.workshop.code, item


async def phone(n, session, base, code, item, args, rng, stats) -> None:
    api = f"{base}/api/workshops/{code}"
    await asyncio.sleep(n / args.join_rate)
    async with session.post(f"{api}/participants", json={}) as r:
        token = (await r.json())["voter_token"]
    headers = {"X-Voter-Token": token}
    t0 = time.perf_counter()
    async with session.get(f"{api}/pairs?item_id={item.id}", headers=headers) as r:
        dealt = (await r.json())["pairs"]
    stats["deal"].append(time.perf_counter() - t0)
    for _ in range(args.pairs):
        if not dealt:
            stats["empty_deals"] += 1
            return
        pair = dealt[0]
        await asyncio.sleep(rng.uniform(*args.think))
        send = {
            "item_id": item.id,
            "from_node": pair["from_node"],
            "to_node": pair["to_node"],
            "value": rng.randint(-3, 3),
        }
        t0 = time.perf_counter()
        for attempt in range(10):
            try:
                async with session.post(f"{api}/pair-scores", json=send, headers=headers) as r:
                    if r.status == 200:
                        dealt = (await r.json())["next_pairs"]  # the next pair comes along
                        stats["ack"].append(time.perf_counter() - t0)
                        stats["acked"].add((token, pair["from_node"], pair["to_node"]))
                        break
                    stats["errors"].append(r.status)
            except (aiohttp.ClientError, TimeoutError):
                stats["errors"].append("net")
            await asyncio.sleep(0.2 * (attempt + 1))


async def run(args, base: str, code: str, item) -> dict:
    rng = random.Random(args.seed)
    stats = {"deal": [], "ack": [], "acked": set(), "errors": [], "empty_deals": 0}
    connector = aiohttp.TCPConnector(limit=200)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(
            *(
                phone(n, session, base, code, item, args, random.Random(rng.random()), stats)
                for n in range(args.participants)
            )
        )
    return stats


def ms(x: float) -> float:
    return round(1000 * x, 1)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    server = None
    if args.url:
        base, db_url = args.url.rstrip("/"), args.database_url
        if not db_url:
            parser().error("--url needs --database-url")
    else:
        tmp = tempfile.mkdtemp(prefix="matrix-bench-")
        server = AppServer(data_dir=tmp).start()
        base, db_url = server.url, f"sqlite:///{Path(tmp) / 'conflicts.db'}"
    try:
        store = Store(db_url)
        code, item = make_session(store, args.nodes, args.pairs)
        port = int(base.rsplit(":", 1)[1]) if base.count(":") == 2 else None
        proc = ProcStats(listening_pid(port) if port else None)
        cpu0, t0 = proc.cpu_seconds(), time.perf_counter()
        stats = asyncio.run(run(args, base, code, item))
        wall = time.perf_counter() - t0
        cpu1 = proc.cpu_seconds()
        m = ws.get_room_matrix(ws.local_grant(code, store=store), item.id, store=store)
        counts = ws.pair_counts(code, item.id, store=store)
    finally:
        if server is not None:
            server.stop()
    stored = m.answers
    acked = len(stats["acked"])
    figures = {
        "participants": args.participants,
        "nodes": args.nodes,
        "pairs_total": m.pairs,
        "pairs_per_participant": args.pairs,
        "deal_p50_ms": ms(percentile(stats["deal"], 50)),
        "deal_p95_ms": ms(percentile(stats["deal"], 95)),
        "score_ack_p50_ms": ms(percentile(stats["ack"], 50)),
        "score_ack_p95_ms": ms(percentile(stats["ack"], 95)),
        "acknowledged": acked,
        "stored": stored,
        "lost": max(0, acked - stored),
        "duplicated": max(0, stored - acked),
        "errors": len(stats["errors"]),
        "pairs_covered": len(counts),
        "balance": [min(counts.values()), max(counts.values())] if counts else None,
        "wall_s": round(wall, 1),
        "server_cpu_pct": round(100 * (cpu1 - cpu0) / wall, 1)
        if cpu0 is not None and cpu1 is not None
        else None,
    }
    print(json.dumps(figures))
    return 0 if figures["lost"] == 0 and figures["duplicated"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
