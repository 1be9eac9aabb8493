"""Fixtures of the link-checker tests: local HTTP(S) servers on 127.0.0.1.

Nothing here reaches the internet: every server listens on loopback and
host names that are not IP addresses are resolved by a patched resolver.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SCRIPTS = HERE.parent.parent / "scripts"
for path in (SCRIPTS, HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from linkcheck import CheckConfig, check_urls  # noqa: E402
from linkcheck_servers import FAST, LocalServer  # noqa: E402


@pytest.fixture
def make_server():
    servers: list[LocalServer] = []

    def factory(**kwargs) -> LocalServer:
        srv = LocalServer(**kwargs)
        srv.start()
        servers.append(srv)
        return srv

    yield factory
    for srv in servers:
        srv.stop()


@pytest.fixture
def server(make_server) -> LocalServer:
    return make_server()


@pytest.fixture
def check():
    """check(url, **config_overrides) -> LinkResult"""

    def run(url: str, **overrides):
        cfg = CheckConfig(**{**FAST.__dict__, **overrides})
        (result,) = check_urls([url], cfg)
        return result

    return run


@pytest.fixture
def fake_dns(monkeypatch):
    """Resolve chosen names to loopback; every other name fails (no internet)."""
    real = socket.getaddrinfo
    table: dict[str, str] = {}

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name in table:
            return real(table[name], *args, **kwargs)
        if name in ("127.0.0.1", "127.0.0.2", "localhost"):
            return real(name, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table
