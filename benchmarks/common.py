"""Helpers shared by the benchmarks: percentiles, loopback checks, /proc figures, projector lag."""

from __future__ import annotations

import argparse
import bisect
import ipaddress
import os
import socket
from collections.abc import Iterable
from pathlib import Path


def percentile(values: Iterable[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); NaN for no values."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = max(0, min(len(xs) - 1, round(p / 100.0 * len(xs) + 0.5) - 1))
    return xs[k]


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


def projector_lags(stats, t_end: float) -> tuple[list[float], int]:
    """Per acknowledged ballot (k-th by ack time), seconds until the projector's count first
    reached k; ballots never shown count until ``t_end``. ``stats`` has ``ballots`` (with
    ``acked``, ``ack_time``) and ``projector`` ([(time, count)]). Returns (lags, never shown)."""
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
