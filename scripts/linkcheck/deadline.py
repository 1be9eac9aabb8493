"""Wall-clock deadline for one check attempt.

requests/urllib3 timeouts limit each socket operation, so a server that
drips a byte every second never times out. One watchdog thread keeps the
deadlines of all running attempts; when one passes, it shuts down the
sockets that attempt is using, which wakes up the blocked read at once.

Connections announce themselves with :func:`claim` (see ``transport``) from
the thread doing the check; the attempt is found through a thread-local.
"""

from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time

_local = threading.local()
# Guards connection ownership: a pooled connection may pass to another
# check right after ours, and the watchdog must not kill that one.
_owner_lock = threading.Lock()


class DeadlineExceeded(TimeoutError):
    """The attempt ran out of wall-clock time (its sockets were cut)."""


class Deadline:
    """Use as ``with Deadline(at):`` around the requests of one attempt."""

    def __init__(self, at: float) -> None:
        self.at = at
        self.expired = False
        self._finished = False
        self._connections: set = set()

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def passed(self) -> bool:
        return self.expired or time.monotonic() >= self.at

    def __enter__(self) -> Deadline:
        _local.current = self
        _WATCHDOG.arm(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _local.current = None
        with _owner_lock:
            self._finished = True
            self._connections.clear()

    def _fire(self) -> None:
        with _owner_lock:
            if self._finished:
                return
            self.expired = True
            for conn in self._connections:
                if getattr(conn, "_linkcheck_owner", None) is self:
                    _shutdown(getattr(conn, "sock", None))


def claim(conn: object) -> None:
    """Record that ``conn`` now works for the current thread's attempt."""
    current = getattr(_local, "current", None)
    with _owner_lock:
        conn._linkcheck_owner = current  # type: ignore[attr-defined]
        if current is None or current._finished:
            return
        current._connections.add(conn)
        if current.expired:
            _shutdown(getattr(conn, "sock", None))


def _shutdown(sock: socket.socket | None) -> None:
    if sock is None:
        return
    try:
        # socket.socket.shutdown, not SSLSocket.shutdown: we want the TCP
        # stream closed under the blocked reader, not a TLS close_notify.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, ValueError):
        pass


class _Watchdog:
    """Single daemon thread firing deadlines in time order."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Deadline]] = []
        self._cond = threading.Condition()
        self._seq = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, deadline: Deadline) -> None:
        with self._cond:
            heapq.heappush(self._heap, (deadline.at, next(self._seq), deadline))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="linkcheck-watchdog", daemon=True
                )
                self._thread.start()
            if self._heap[0][2] is deadline:
                self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                at, _, deadline = self._heap[0]
                delay = at - time.monotonic()
                if delay > 0:
                    self._cond.wait(delay)
                    continue
                heapq.heappop(self._heap)
            deadline._fire()


_WATCHDOG = _Watchdog()
