"""Reads shared by every request of one process for a short while (plain Python, no streamlit).

A thousand phones, or every browser showing a regional projector, ask for the same thing: one
process answers them all from one read no older than ``ttl`` seconds. :class:`SharedReads` holds
the values, when each was read, and a bound on how many it keeps. Two callers use it:

* :class:`conflicts.api.state.StateHub` (asyncio, the JSON API): :meth:`SharedReads.fresh` and
  :meth:`SharedReads.put`, its own futures making concurrent askers wait for one build;
* :func:`conflicts.series.public_series` (Streamlit's script threads): :meth:`SharedReads.get`,
  where threads asking for the same key at once wait for one ``load()``.

>>> reads = SharedReads(ttl=60)
>>> reads.get("k", lambda: 1), reads.get("k", lambda: 2)  # the second caller shares the read
(1, 1)
>>> reads.fresh("k", accept=lambda v: v >= 2) is None   # too old for this caller: read again
True
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

MAX_ENTRIES = 1024
#: How long a shared read is reused: every poller sees a change within about this.
CACHE_S = 0.5


class SharedReads(Generic[V]):
    """Values by key, each reused for ``ttl`` seconds after it was read (see module docstring)."""

    def __init__(self, ttl: float, max_entries: int = MAX_ENTRIES):
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[Hashable, tuple[float, V]] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def fresh(self, key: Hashable, accept: Callable[[V], bool] | None = None) -> V | None:
        """The value of ``key`` if read less than ``ttl`` s ago (and ``accept(value)``)."""
        hit = self._entries.get(key)
        if hit is None or time.monotonic() - hit[0] >= self.ttl:
            return None
        if accept is not None and not accept(hit[1]):
            return None
        return hit[1]

    def put(self, key: Hashable, value: V) -> V:
        """Keep ``value`` as read now (past ``max_entries`` keys, all are forgotten first)."""
        if key not in self._entries and len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (time.monotonic(), value)
        return value

    def get(self, key: Hashable, load: Callable[[], V]) -> V:
        """The fresh value of ``key``, else ``load()``'s, shared with the threads asking at the
        same time (they wait for the one read). An error of ``load`` is raised to its caller and
        keeps nothing: the next caller reads again."""
        value = self.fresh(key)
        if value is not None:
            return value
        with self._guard:
            if len(self._locks) >= self.max_entries:
                self._locks.clear()
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            value = self.fresh(key)
            if value is None:
                value = self.put(key, load())
            return value
