"""The HTTP session: connection pooling plus the deadline hook.

One ``requests.Session`` is shared by all worker threads so that keep-alive
connections are reused across URLs of the same host; its pool keeps as many
connections per host as the per-host limit allows. The connection classes
report to :mod:`deadline` which attempt they serve, so the watchdog can cut
them off, and refuse an address inside the network (see :mod:`netguard`).
Only public extension points are used: a pool's ConnectionCls and the
adapter's pool manager.
"""

from __future__ import annotations

import http.cookiejar
import os

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from . import deadline
from .config import BASE_HEADERS, CheckConfig
from .netguard import PrivateAddressError, is_public

_PROXY_SETTINGS = frozenset({"http_proxy", "https_proxy", "all_proxy", "no_proxy"})
# Enough pools that hosts are not evicted (and their connections closed)
# while a run walks through hundreds of school sites.
POOLS = 128


class _Guarded:
    """Registers the connection with the current URL's deadline before any network work, and (unless
    private addresses are allowed) refuses a connection that reached an address inside the network."""

    allow_private = False

    def connect(self) -> None:
        deadline.claim(self)
        super().connect()  # type: ignore[misc]
        if not self.allow_private:
            peer = self.sock.getpeername()[0] if self.sock else ""
            if peer and not is_public(peer):
                self.close()  # type: ignore[attr-defined]
                raise PrivateAddressError(f"адрес во внутренней сети: {peer}")

    def request(self, *args, **kwargs):
        deadline.claim(self)
        return super().request(*args, **kwargs)  # type: ignore[misc]


def _pool_classes(allow_private: bool) -> dict:
    """Connection pools whose connections obey the deadline and the address guard."""
    http_conn = type("GuardedHTTPConnection", (_Guarded, HTTPConnection), {"allow_private": allow_private})
    https_conn = type("GuardedHTTPSConnection", (_Guarded, HTTPSConnection), {"allow_private": allow_private})
    return {
        "http": type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
        "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
    }


class GuardedAdapter(HTTPAdapter):
    """HTTPAdapter whose connections obey :class:`deadline.Deadline` and the address guard."""

    def __init__(self, *args, allow_private: bool = False, **kwargs) -> None:
        self._pools = _pool_classes(allow_private)
        super().__init__(*args, **kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(self._pools)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if hasattr(manager, "pool_classes_by_scheme"):
            manager.pool_classes_by_scheme = dict(self._pools)
        return manager


class _NoSessionCookies(http.cookiejar.DefaultCookiePolicy):
    # Cookies are kept per checked URL (see fetch); the shared session must
    # not carry one site's cookies into another check.
    def set_ok(self, cookie, request) -> bool:
        return False


def build_session(config: CheckConfig) -> requests.Session:
    session = requests.Session()
    adapter = GuardedAdapter(
        pool_connections=POOLS, pool_maxsize=max(1, config.per_host), max_retries=0,
        allow_private=config.allow_private_addresses,
    )
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update(BASE_HEADERS)
    session.cookies.set_policy(_NoSessionCookies())
    # Reading proxy settings from the environment costs ~20 % of a request's
    # CPU; pay for it only when a proxy is configured. (CA bundle variables
    # are honoured by tls.trust_bundle instead.)
    session.trust_env = any(name.lower() in _PROXY_SETTINGS for name in os.environ)
    return session
