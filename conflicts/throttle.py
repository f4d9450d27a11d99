"""Slow down guessing: count failed attempts per client and refuse for a while after too many.

Used by the facilitator API (a wrong key); meant for the console's unlock form too. One
:class:`Throttle` per kind of secret, in memory per process: with several app processes each
process counts on its own, so a guesser gets at most ``processes x max_failures`` tries per
window (still a few per minute, not thousands).

>>> th = Throttle(max_failures=2, window_s=60)
>>> th.retry_after("10.0.0.1", now=0) is None
True
>>> th.failure("10.0.0.1", now=1); th.failure("10.0.0.1", now=2)
>>> th.retry_after("10.0.0.1", now=3)
58
>>> th.success("10.0.0.1")
>>> th.retry_after("10.0.0.1", now=3) is None
True
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

__all__ = ["Throttle"]


class Throttle:
    """At most ``max_failures`` failures per client within ``window_s`` seconds.

    Parameters
    ----------
    max_failures : failures allowed in a window before the client is refused.
    window_s : how far back failures count (a sliding window).
    max_clients : memory bound; the oldest clients are forgotten beyond it.
    """

    def __init__(self, max_failures: int = 5, window_s: float = 60.0, max_clients: int = 10_000):
        self.max_failures = max_failures
        self.window_s = window_s
        self.max_clients = max_clients
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float] | None:
        times = self._failures.get(client)
        while times and now - times[0] >= self.window_s:
            times.popleft()
        if times is not None and not times:
            del self._failures[client]
            return None
        return times

    def retry_after(self, client: str, *, now: float | None = None) -> int | None:
        """Seconds until ``client`` may try again (at least 1), or None if it may try now."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._recent(client, now)
            if times is None or len(times) < self.max_failures:
                return None
            return max(1, math.ceil(self.window_s - (now - times[-self.max_failures])))

    def failure(self, client: str, *, now: float | None = None) -> None:
        """Record one failed attempt of ``client``."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if client not in self._failures and len(self._failures) >= self.max_clients:
                self._failures.pop(next(iter(self._failures)))  # forget the oldest client
            times = self._failures.setdefault(client, deque(maxlen=self.max_failures))
            times.append(now)

    def success(self, client: str) -> None:
        """Forget the failures of ``client`` (it knew the secret)."""
        with self._lock:
            self._failures.pop(client, None)
