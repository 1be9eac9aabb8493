"""Scriptable HTTP(S) servers (and fast settings) for the link-checker tests.

A route is a function taking the request handler; helpers below write
responses and count what the server sent, so tests can assert that a huge
file was not downloaded or that the per-host limit held.
"""

from __future__ import annotations

import socket
import ssl
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote, urlsplit

from linkcheck import CheckConfig

Route = Callable[["Handler"], None]

# Small limits keep the suite fast; the rules are the same as in production.
FAST = CheckConfig(
    timeout=4.0,
    attempts=3,
    backoff=0.01,
    max_retry_after=2.0,
    connect_timeout=2.0,
    workers=4,
    per_host=4,
    max_runtime=60.0,
    allow_private_addresses=True,  # the test servers listen on 127.0.0.1
)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def _dispatch(self) -> None:
        owner = self.server.owner
        path = unquote(urlsplit(self.path).path)
        owner._enter(self.command, path, self.headers.get("Host", ""))
        try:
            route = owner.routes.get(path)
            if route is None:
                send(self, 404, b"<html><title>404 Not Found</title></html>")
            else:
                route(self)
        finally:
            owner._leave()

    do_GET = _dispatch
    do_HEAD = _dispatch

    # --- helpers used by routes ----------------------------------------
    def write(self, data: bytes) -> None:
        self.wfile.write(data)
        self.server.owner._sent(len(data))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64
    owner: "LocalServer"

    def handle_error(self, request, client_address) -> None:
        pass  # resets and failed TLS handshakes are the point of some tests


class LocalServer:
    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        self.host = host
        self.tls = tls
        self.routes: dict[str, Route] = {}
        self.hits: Counter[tuple[str, str]] = Counter()
        self.times: list[tuple[float, str, str]] = []
        self.hosts_seen: list[str] = []
        self.bytes_sent = 0
        self.active = 0
        self.max_active = 0
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = _Server((host, 0), Handler)
        self._httpd.owner = self
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(
                self._httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str, host: str | None = None) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host or self.host}:{self.port}{path}"

    def route(self, path: str) -> Callable[[Route], Route]:
        def register(fn: Route) -> Route:
            self.routes[path] = fn
            return fn

        return register

    def count(self, method: str, path: str) -> int:
        return self.hits[(method, path)]

    # --- bookkeeping -------------------------------------------------------
    def _enter(self, method: str, path: str, host: str) -> None:
        with self._lock:
            self.hits[(method, path)] += 1
            self.times.append((time.monotonic(), method, path))
            self.hosts_seen.append(host)
            self.active += 1
            self.max_active = max(self.max_active, self.active)

    def _leave(self) -> None:
        with self._lock:
            self.active -= 1

    def _sent(self, n: int) -> None:
        with self._lock:
            self.bytes_sent += n


def send(
    h: Handler,
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    content_type: str | None = "text/html; charset=utf-8",
) -> None:
    h.send_response(status)
    if content_type:
        h.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        h.send_header(name, value)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    if h.command != "HEAD" and body:
        h.write(body)


def html(title: str, body: str = "") -> bytes:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body>{body}</body></html>"
    ).encode("utf-8")


def stream(h: Handler, status: int, chunks: Iterable[bytes], length: int, content_type: str) -> None:
    """Send a declared ``length``-byte body from a generator until the client goes away."""
    h.send_response(status)
    h.send_header("Content-Type", content_type)
    h.send_header("Content-Length", str(length))
    h.end_headers()
    if h.command == "HEAD":
        return
    try:
        for chunk in chunks:
            if h.server.owner.stopping.is_set():
                break
            h.write(chunk)
    except OSError:
        pass
    h.close_connection = True


def redirect(h: Handler, status: int, location: str) -> None:
    send(h, status, b"", {"Location": quote(location, safe="/:?&=#%")})


def reset(h: Handler) -> None:
    """Close the TCP connection with RST instead of an answer."""
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.close_connection = True
    h.connection.close()


def hold(h: Handler, seconds: float) -> None:
    """Keep the client waiting (ends early when the test finishes)."""
    h.server.owner.stopping.wait(seconds)
