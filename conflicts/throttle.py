"""Slow down guessing: count failed attempts per client and refuse for a while after too many.

Used for facilitator keys and the admin password (the console, the results page and the
facilitator API share :data:`facilitator_keys`), the create password and unknown join codes. One
:class:`Guard` per kind of secret, in memory per process: with several app processes each
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

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TypeVar

from conflicts import config

__all__ = [
    "Backoff",
    "Guard",
    "Throttle",
    "Throttled",
    "client_address",
    "create_password",
    "facilitator_keys",
    "unknown_codes",
]

T = TypeVar("T")


class Throttled(Exception):
    """Refused without checking: try again in ``seconds``."""

    def __init__(self, seconds: int):
        super().__init__(f"too many attempts; retry in {seconds} s")
        self.seconds = seconds


#: Failed and refused guesses (client and target, never the secret).
security_log = logging.getLogger("conflicts.security")
#: Refusals are logged at most once per client and target in this many seconds.
LOG_EVERY_S = 10.0


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
        self.clock = time.monotonic  # replaceable, for tests

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
        now = self.clock() if now is None else now
        with self._lock:
            times = self._recent(client, now)
            if times is None or len(times) < self.max_failures:
                return None
            return max(1, math.ceil(self.window_s - (now - times[-self.max_failures])))

    def failure(self, client: str, *, now: float | None = None) -> None:
        """Record one failed attempt of ``client``."""
        now = self.clock() if now is None else now
        with self._lock:
            if client not in self._failures and len(self._failures) >= self.max_clients:
                self._failures.pop(next(iter(self._failures)))  # forget the oldest client
            times = self._failures.setdefault(client, deque(maxlen=self.max_failures))
            times.append(now)

    def success(self, client: str) -> None:
        """Forget the failures of ``client`` (it knew the secret)."""
        with self._lock:
            self._failures.pop(client, None)


class Backoff:
    """Exponential back-off: ``free`` failures, then each further one locks the key for twice
    as long as the one before (``base_s``, ``2 * base_s``, … at most ``max_s``).

    Unlike :class:`Throttle`'s window, the waits grow, so a patient guesser gets a few dozen
    tries a day instead of a few per minute forever. A key's count is forgotten after
    ``forget_s`` without a failure, or on :meth:`success`. The same interface as
    :class:`Throttle`.

    >>> b = Backoff(free=2, base_s=10, max_s=60)
    >>> b.failure("k", now=0); b.retry_after("k", now=0) is None
    True
    >>> b.failure("k", now=1); b.retry_after("k", now=1)
    10
    >>> b.failure("k", now=11); b.retry_after("k", now=11)
    20
    >>> b.retry_after("k", now=31) is None
    True
    """

    def __init__(
        self,
        free: int = 5,
        base_s: float = 60.0,
        max_s: float = 3600.0,
        forget_s: float = 24 * 3600.0,
        max_keys: int = 10_000,
    ):
        self.free = free
        self.base_s = base_s
        self.max_s = max_s
        self.forget_s = forget_s
        self.max_keys = max_keys
        self._state: dict[str, tuple[int, float, float]] = {}  # count, last failure, locked until
        self._lock = threading.Lock()
        self.clock = time.monotonic  # replaceable, for tests

    def retry_after(self, key: str, *, now: float | None = None) -> int | None:
        """Seconds until ``key`` may try again (at least 1), or None if it may try now."""
        now = self.clock() if now is None else now
        with self._lock:
            _, _, until = self._state.get(key, (0, 0.0, 0.0))
        return max(1, math.ceil(until - now)) if until > now else None

    def failure(self, key: str, *, now: float | None = None) -> None:
        """Record one failure of ``key``; from the ``free``-th on, lock it."""
        now = self.clock() if now is None else now
        with self._lock:
            count, last, _ = self._state.pop(key, (0, now, 0.0))
            if now - last >= self.forget_s:
                count = 0
            count += 1
            until = 0.0
            if count >= self.free:
                until = now + min(self.max_s, self.base_s * 2 ** min(count - self.free, 40))
            if len(self._state) >= self.max_keys:
                self._state.pop(next(iter(self._state)))  # forget the least recently failed
            self._state[key] = (count, now, until)

    def success(self, key: str) -> None:
        """Forget the failures of ``key``."""
        with self._lock:
            self._state.pop(key, None)


class Guard:
    """Throttles guesses of one kind of secret per client and, optionally, per target (the
    workshop), and logs every failure and refusal on the ``conflicts.security`` logger with
    the client and the target (never the guess).

    Per target as well as per client because a guesser with many addresses (a botnet, IPv6)
    is slowed down per workshop; the price is that a workshop under attack also makes its own
    facilitator wait, which is why the per-target limit is the looser one.

    >>> g = Guard("demo", per_client=Backoff(free=1, base_s=5))
    >>> g.wait("10.0.0.1", "ACD347") is None
    True
    >>> g.failed("10.0.0.1", "ACD347"); g.wait("10.0.0.1", "ACD347")
    5
    >>> g.wait("10.0.0.2", "ACD347") is None  # another client
    True
    """

    def __init__(
        self,
        kind: str,
        *,
        per_client: Throttle | Backoff,
        per_target: Throttle | Backoff | None = None,
    ):
        self.kind = kind
        self.per_client = per_client
        self.per_target = per_target
        self._logged: dict[tuple[str, str], tuple[float, int]] = {}
        self._log_lock = threading.Lock()
        self._serial = threading.Lock()

    def _limits(self, client: str, target: str):
        yield self.per_client, client
        if self.per_target is not None:
            yield self.per_target, target

    def wait(self, client: str, target: str = "-", *, now: float | None = None) -> int | None:
        """Seconds the client must wait before trying ``target`` (logged), or None."""
        waits = [lim.retry_after(key, now=now) for lim, key in self._limits(client, target)]
        longest = max((w for w in waits if w is not None), default=None)
        if longest is not None:
            self._log_refusal(client, target, longest)
        return longest

    def _log_refusal(self, client: str, target: str, wait: int) -> None:
        # At most one line per client and target every LOG_EVERY_S: a probe at hundreds of
        # requests a second must not fill the disk with log lines instead.
        now = time.monotonic()
        with self._log_lock:
            last, skipped = self._logged.get((client, target), (-LOG_EVERY_S, 0))
            if now - last < LOG_EVERY_S:
                self._logged[(client, target)] = (last, skipped + 1)
                return
            if len(self._logged) >= 10_000:
                self._logged.clear()
            self._logged[(client, target)] = (now, 0)
        security_log.warning(
            "refused %s attempt: client=%s target=%s retry_after=%ss (+%d refused unlogged)",
            self.kind,
            client,
            target,
            wait,
            skipped,
        )

    def failed(self, client: str, target: str = "-", *, now: float | None = None) -> None:
        """Record a wrong guess of ``client`` at ``target`` (logged)."""
        for lim, key in self._limits(client, target):
            lim.failure(key, now=now)
        security_log.warning("failed %s attempt: client=%s target=%s", self.kind, client, target)

    def attempt(
        self, client: str, target: str, check: Callable[[], T], wrong: type[Exception]
    ) -> T:
        """Run ``check`` (which raises ``wrong`` for a wrong secret) if the client may try
        now, counting the outcome; raise :class:`Throttled` if it may not.

        The wait, the check and the count happen under one lock, so parallel guesses cannot
        all slip through before the first failure is counted (one scrypt check at a time per
        process: about 20 a second, far more than people typing keys need).
        """
        with self._serial:
            wait = self.wait(client, target)
            if wait is not None:
                raise Throttled(wait)
            try:
                result = check()
            except wrong:
                self.failed(client, target)
                raise
            self.passed(client, target)
            return result

    def passed(self, client: str, target: str = "-") -> None:
        """The client gave the right secret: forget its failures (not the target's: a
        guesser's count at a workshop must not be wiped by the facilitator's login)."""
        self.per_client.success(client)

    def reset(self) -> None:
        """Forget everything (tests, and an administrator's escape hatch)."""
        for lim in (self.per_client, self.per_target):
            if lim is not None:
                with lim._lock:
                    (lim._failures if isinstance(lim, Throttle) else lim._state).clear()


def client_address(peer: str | None, headers) -> str:
    """Who is asking, for throttling: the peer's address, or the ``X-Real-IP`` a trusted proxy
    (``CONFLICTS_TRUSTED_PROXIES``, default the local host: nginx on the same machine) set.

    Behind a proxy every request comes from the proxy's address, so without this one guesser
    would lock the whole room out; a client's own ``X-Real-IP`` is ignored unless it comes
    through a trusted proxy, which overwrites it.

    >>> client_address("203.0.113.9", {"x-real-ip": "10.1.1.1"})
    '203.0.113.9'
    >>> client_address("127.0.0.1", {"x-real-ip": "198.51.100.7"})
    '198.51.100.7'
    >>> client_address(None, {})
    '127.0.0.1'
    """
    # Streamlit gives None for a local connection (and AppTest something that is no string).
    peer = peer if isinstance(peer, str) and peer else "127.0.0.1"
    if peer in config.trusted_proxies():
        real = headers.get("x-real-ip") or headers.get("X-Real-IP")
        if isinstance(real, str) and 0 < len(real.strip()) <= 64:
            return real.strip()
    return peer


#: The process's guards. Module-level so that the console, the results page and the API share
#: one count (they run in one process: Streamlit's server).
facilitator_keys = Guard(
    "facilitator_key",
    per_client=Backoff(free=5, base_s=60, max_s=3600),
    per_target=Backoff(free=20, base_s=30, max_s=600),
)
create_password = Guard("create_password", per_client=Backoff(free=5, base_s=60, max_s=3600))
#: Unknown join codes: 20 a minute per client, then 429 until the minute has passed.
unknown_codes = Guard("join_code", per_client=Throttle(max_failures=20, window_s=60))
