#!/usr/bin/env python3
"""Нагрузочный замер проверки ссылок на локальных серверах.

Поднимает 20 HTTP-серверов на 127.0.0.2…127.0.0.21 (в Linux весь 127/8
ведёт на loopback), каждый отвечает на любой запрос через 50 мс, проверяет
2000 ссылок на них с настройками по умолчанию и печатает скорость (ссылок в
секунду) и наибольшее число одновременных запросов и соединений к одному
серверу. Серверы работают в отдельном процессе, чтобы не делить GIL с
проверкой. В сеть ничего не уходит.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linkcheck import CheckConfig, check_urls  # noqa: E402

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
    pipe.recv()  # wait for the parent
    pipe.send({h: (s.max_active, s.max_conns, s.requests) for h, s in stats.items()})
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
    return 0 if ok == len(results) and peak_requests <= config.per_host else 1


if __name__ == "__main__":
    sys.exit(main())
