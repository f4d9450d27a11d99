"""Server-side cost of one rerun of each page of the app, with Streamlit's post-run GC on and off.

    python benchmarks/rerun.py [--reruns 30] [--pages /,/catalogue] [--gc both|on|off]

For each ``runner.postScriptGC`` setting it starts ``streamlit run app.py`` on
a free port with a fresh temporary data dir (``CONFLICTS_DATA_DIR``), finds
the pages from the server's ``st.navigation`` message (fallback: a fixed
list), and for each page opens one websocket client (with the cookie the HTTP
middleware sets), loads the page, warms it up, then runs K reruns one after
the other (no widget change: what any widget interaction or fragment-less
refresh costs). It reports

* client round trip per rerun (send -> script_finished): median and p95, as
  a browser sees it (delayed ACKs: ~40 ms of it is TCP, see st_client.py),
  and again with TCP_QUICKACK ("p50 quickack": the server's own latency);
* server CPU per rerun: delta of the server process's utime+stime / K
  (all threads; 10 ms clock-tick resolution, so use K >= 30);
* the first load of the page, messages and bytes per rerun, server RSS.

The last line of output is one JSON object with all figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.common import percentile  # noqa: E402
from benchmarks.st_client import StreamlitClient, StreamlitClientError, fetch_cookie  # noqa: E402
from conflicts.testing import AppServer  # noqa: E402


def quickack_supported() -> bool:
    import socket

    return hasattr(socket, "TCP_QUICKACK")


FALLBACK_PAGES = ["/", "/catalogue", "/projector", "/facilitate"]


async def discover_pages(base_url: str, timeout: float) -> tuple[list[dict], str]:
    """Pages from the navigation message of a first load of "/"; ([], reason) if none."""
    async with StreamlitClient(base_url, cookies=fetch_cookie(base_url, "/"), timeout=timeout) as c:
        await c.open("/")
        pages = [
            {"path": p.path, "title": p.title, "hidden": p.is_hidden, "default": p.is_default}
            for p in c.pages
        ]
    return pages, "" if pages else "no navigation message"


async def bench_page(
    base_url: str, srv: AppServer, page: str, reruns: int, warmup: int, timeout: float
) -> dict:
    out: dict = {"page": page}
    path = page.split("?", 1)[0]
    cookies = fetch_cookie(base_url, path)
    async with StreamlitClient(base_url, cookies=cookies, timeout=timeout) as c:
        first = await c.open(page)
        out.update(
            resolved_path=c.path,
            page_not_found=first.page_not_found,
            first_load_ms=round(first.rtt * 1000, 2),
            status=first.status,
            exceptions=first.exceptions[:3],
            elements=len(c.elements),
            widgets=len(c.widgets()),
            auto_rerun_fragments=len(c.fragments_auto),
        )
        for _ in range(warmup):
            await c.rerun()
        msgs = nbytes = 0
        errors: list[str] = []
        rtts = []
        cpu0 = srv.cpu_seconds()
        t0 = time.perf_counter()
        for _ in range(reruns):
            r = await c.rerun()
            rtts.append(r.rtt)
            msgs += r.messages
            nbytes += r.bytes
            if r.exceptions:
                errors = r.exceptions[:3]
        wall = time.perf_counter() - t0
        cpu = srv.cpu_seconds() - cpu0
        # Same reruns without the client's delayed ACK: the server's own latency.
        c.quickack = quickack_supported()
        qrtts = [(await c.rerun()).rtt for _ in range(reruns)] if c.quickack else []
    out.update(
        rtt_quickack_p50_ms=round(statistics.median(qrtts) * 1000, 2) if qrtts else None,
        rtt_quickack_p95_ms=round(percentile(qrtts, 95) * 1000, 2) if qrtts else None,
        reruns=reruns,
        rtt_p50_ms=round(statistics.median(rtts) * 1000, 2),
        rtt_p95_ms=round(percentile(rtts, 95) * 1000, 2),
        rtt_max_ms=round(max(rtts) * 1000, 2),
        server_cpu_ms_per_rerun=round(cpu / reruns * 1000, 2),
        server_cpu_share=round(cpu / wall, 3) if wall > 0 else None,
        reruns_per_s_one_client=round(reruns / wall, 1) if wall > 0 else None,
        msgs_per_rerun=round(msgs / reruns, 1),
        kb_per_rerun=round(nbytes / reruns / 1024, 2),
        errors_in_reruns=errors,
    )
    return out


async def bench_setting(args: argparse.Namespace, gc: str) -> dict:
    data_dir = tempfile.mkdtemp(prefix="conflicts-bench-")
    res: dict = {"postScriptGC": gc == "on", "pages": []}
    srv = AppServer(data_dir=data_dir, post_script_gc=gc == "on")
    try:
        t0 = time.perf_counter()
        try:
            srv.start(timeout=args.start_timeout)
        except Exception as e:
            res["error"] = f"server did not start: {e}"
            return res
        res["startup_s"] = round(time.perf_counter() - t0, 2)
        res["rss_start_mb"] = round(srv.rss_mb(), 1)
        if args.pages:
            pages = [p.strip() for p in args.pages.split(",") if p.strip()]
            res["pages_source"] = "--pages"
        else:
            try:
                found, why = await discover_pages(srv.url, args.timeout)
            except Exception as e:  # broken app: still try the fallback list
                found, why = [], f"{type(e).__name__}: {e}"
            res["navigation"] = found
            pages = [p["path"] for p in found] or FALLBACK_PAGES
            res["pages_source"] = "navigation" if found else f"fallback ({why})"
        for page in pages:
            try:
                res["pages"].append(
                    await bench_page(srv.url, srv, page, args.reruns, args.warmup, args.timeout)
                )
            except (StreamlitClientError, OSError) as e:
                res["pages"].append({"page": page, "error": f"{type(e).__name__}: {e}"})
            if not srv.alive():
                res["error"] = "server died"
                res["log_tail"] = srv.log()[-2000:]
                break
        if srv.alive():
            res["rss_end_mb"] = round(srv.rss_mb(), 1)
            res["rss_peak_mb"] = round(srv.peak_rss_mb(), 1)
            res["server_cpu_total_s"] = round(srv.cpu_seconds(), 2)
    finally:
        srv.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    return res


def _fmt(v, w: int) -> str:
    if v is None:
        s = "-"
    elif isinstance(v, float):
        s = f"{v:.1f}" if abs(v) >= 100 else f"{v:.2f}"
    else:
        s = str(v)
    return s.rjust(w)


def print_table(results: list[dict]) -> None:
    cols = [
        ("first ms", "first_load_ms"),
        ("p50 ms", "rtt_p50_ms"),
        ("p95 ms", "rtt_p95_ms"),
        ("p50 quickack", "rtt_quickack_p50_ms"),
        ("cpu ms/rerun", "server_cpu_ms_per_rerun"),
        ("reruns/s", "reruns_per_s_one_client"),
        ("msgs", "msgs_per_rerun"),
        ("KB", "kb_per_rerun"),
        ("widgets", "widgets"),
    ]
    for res in results:
        gc = "true (Streamlit default)" if res["postScriptGC"] else "false"
        print(
            f"\nrunner.postScriptGC = {gc}   pages from: {res.get('pages_source', '-')}   "
            f"startup {res.get('startup_s', '-')} s   RSS start/end/peak "
            f"{res.get('rss_start_mb', '-')}/{res.get('rss_end_mb', '-')}/{res.get('rss_peak_mb', '-')} MB"
        )
        if res.get("error"):
            print(f"  ERROR: {res['error']}")
        print("  " + "page".ljust(16) + "".join(h.rjust(14) for h, _ in cols) + "  notes")
        for p in res["pages"]:
            notes = []
            if p.get("error"):
                notes.append(p["error"][:100])
            if p.get("page_not_found"):
                notes.append(f"page_not_found -> {p.get('resolved_path')}")
            if p.get("exceptions") or p.get("errors_in_reruns"):
                notes.append(
                    "EXCEPTION: "
                    + "; ".join(p.get("exceptions") or p.get("errors_in_reruns"))[:120]
                )
            if p.get("status") not in (None, 0):
                notes.append(f"script_finished={p['status']}")
            if p.get("auto_rerun_fragments"):
                notes.append(f"{p['auto_rerun_fragments']} run_every fragment(s), not ticked")
            print(
                "  "
                + p["page"][:16].ljust(16)
                + "".join(_fmt(p.get(k), 14) for _, k in cols)
                + "  "
                + "; ".join(notes)
            )


def summarize(results: list[dict]) -> dict:
    by = {
        r["postScriptGC"]: {p["page"]: p for p in r["pages"] if "error" not in p} for r in results
    }
    if True in by and False in by:
        ratios = {}
        for page, on in by[True].items():
            off = by[False].get(page)
            if off and off["server_cpu_ms_per_rerun"] > 0:
                ratios[page] = round(
                    on["server_cpu_ms_per_rerun"] / off["server_cpu_ms_per_rerun"], 1
                )
        return {"cpu_ratio_gc_on_over_off": ratios}
    return {}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reruns", type=int, default=30, help="measured reruns per page (default 30)")
    ap.add_argument("--warmup", type=int, default=3, help="unmeasured reruns after the first load")
    ap.add_argument(
        "--pages",
        default="",
        help="comma-separated url paths, e.g. /,/catalogue,/projector?code=ABC "
        "(default: the pages of st.navigation)",
    )
    ap.add_argument(
        "--gc",
        choices=["both", "on", "off"],
        default="both",
        help="runner.postScriptGC setting(s) to measure",
    )
    ap.add_argument("--app", default="app.py", help="script to run, relative to the repo root")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per run before giving up")
    ap.add_argument("--start-timeout", type=float, default=90.0)
    args = ap.parse_args(argv)

    settings = ["on", "off"] if args.gc == "both" else [args.gc]
    results = [asyncio.run(bench_setting(args, gc)) for gc in settings]
    print(
        f"Server cost per rerun: {args.reruns} sequential reruns per page from one client "
        f"({platform.python_version()}, {os.cpu_count()} CPUs)"
    )
    print_table(results)
    summary = summarize(results)
    if summary.get("cpu_ratio_gc_on_over_off"):
        print(
            "\nserver CPU per rerun, GC on / GC off: "
            + ", ".join(f"{k} x{v}" for k, v in summary["cpu_ratio_gc_on_over_off"].items())
        )
    import streamlit

    def page_ok(p: dict) -> bool:
        return "error" not in p and not p.get("exceptions") and not p.get("errors_in_reruns")

    # A page that raises is measured anyway (its figures are those of an error page): not ok.
    ok = all(
        "error" not in r and r["pages"] and all(page_ok(p) for p in r["pages"]) for r in results
    )
    print(
        json.dumps(
            {
                "benchmark": "rerun",
                "streamlit": streamlit.__version__,
                "reruns": args.reruns,
                "warmup": args.warmup,
                "cpus": os.cpu_count(),
                "ok": ok,
                "results": results,
                **summary,
            },
            ensure_ascii=False,
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
