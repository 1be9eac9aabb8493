"""Per-host politeness: at most N requests to one hosting at a time.

Two pieces with the same goal:

* :class:`HostLimiter` bounds the requests actually in flight per host key
  (every hop of a redirect chain takes a slot of its own host);
* :class:`HostQueue` hands out URLs to worker threads so that no more than
  N checks start per host. Without it, a run with 500 links to one hosting
  would park every worker on that host's limiter while other sites wait,
  and the waiting would eat into each URL's deadline.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Iterable
from contextlib import contextmanager
from typing import Generic, Iterator, TypeVar

T = TypeVar("T")


class HostLimiter:
    def __init__(self, per_host: int) -> None:
        if per_host < 1:
            raise ValueError("per_host must be at least 1")
        self.per_host = per_host
        self._lock = threading.Lock()
        self._semaphores: dict[str, threading.BoundedSemaphore] = {}

    def _semaphore(self, key: str) -> threading.BoundedSemaphore:
        with self._lock:
            sem = self._semaphores.get(key)
            if sem is None:
                sem = self._semaphores[key] = threading.BoundedSemaphore(self.per_host)
            return sem

    def acquire(self, key: str, timeout: float) -> bool:
        return self._semaphore(key).acquire(timeout=max(0.0, timeout))

    def release(self, key: str) -> None:
        self._semaphore(key).release()

    @contextmanager
    def slot(self, key: str, timeout: float) -> Iterator[bool]:
        """Yields whether the slot was obtained within ``timeout`` seconds."""
        got = self.acquire(key, timeout)
        try:
            yield got
        finally:
            if got:
                self.release(key)


class HostQueue(Generic[T]):
    """Round-robin over hosts, never more than ``per_host`` running per host."""

    def __init__(self, items: Iterable[tuple[str, T]], per_host: int) -> None:
        self.per_host = per_host
        self._queues: OrderedDict[str, deque[T]] = OrderedDict()
        for key, item in items:
            self._queues.setdefault(key, deque()).append(item)
        self._running: dict[str, int] = {}
        self._left = sum(len(q) for q in self._queues.values())
        self._cond = threading.Condition()

    def take(self) -> tuple[str, T] | None:
        """Next (host, item) whose host has a free slot; None when all are handed out."""
        with self._cond:
            while True:
                if self._left == 0:
                    return None
                for key, queue in self._queues.items():
                    if queue and self._running.get(key, 0) < self.per_host:
                        item = queue.popleft()
                        self._left -= 1
                        self._running[key] = self._running.get(key, 0) + 1
                        # Rotate so the next call starts with another host.
                        if queue:
                            self._queues.move_to_end(key)
                        else:
                            del self._queues[key]
                        return key, item
                self._cond.wait()

    def done(self, key: str) -> None:
        with self._cond:
            self._running[key] -= 1
            if not self._running[key]:
                del self._running[key]
            self._cond.notify_all()
