"""Only public addresses: the checker never requests a host inside the network it runs in.

The nightly job may run on a self-hosted runner inside a regional network, and what it fetches is
published. Every host is resolved by :class:`GuardedResolver`, the resolver aiohttp connects with
(a public extension point), which refuses a name when any of its addresses is loopback, private,
link-local, shared (CGNAT), multicast, reserved or unspecified — IPv4 written as one number
(http://2130706433/), in octal or hex, and IPv4-mapped IPv6 included. Connecting to what the
resolver returned leaves no window for a DNS answer that changes between check and use. IP
literals never reach a resolver, so :func:`refused_literal` checks them before every hop.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from aiohttp.abc import AbstractResolver, ResolveResult


class PrivateAddressError(OSError):
    """Raised instead of connecting to an address inside the network."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return is_public(str(embedded))
    return ip.is_global and not ip.is_multicast


def refused_literal(host: str) -> bool:
    """True for an IP-address host that is not public, in any form a browser reads as an address
    (2130706433, 0x7f000001 and 0177.0.0.1 are all 127.0.0.1)."""
    try:
        return not is_public(host.strip("[]"))
    except ValueError:
        pass
    try:
        return not is_public(socket.inet_ntoa(socket.inet_aton(host)))
    except OSError:
        return False  # a name: the resolver decides


class GuardedResolver(AbstractResolver):
    """The system resolver, minus every answer inside the network."""

    def __init__(self, allow_private: bool = False) -> None:
        self.allow_private = allow_private

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[ResolveResult]:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM, family=family, flags=socket.AI_ADDRCONFIG)
        results: list[ResolveResult] = []
        for fam, _, proto, _, address in infos:
            if not self.allow_private and not is_public(address[0]):
                raise PrivateAddressError(f"адрес во внутренней сети: {address[0]}")
            results.append(ResolveResult(hostname=host, host=address[0], port=address[1],
                                         family=fam, proto=proto, flags=socket.AI_NUMERICHOST))
        return results

    async def close(self) -> None:
        pass
