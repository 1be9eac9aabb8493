"""Only public addresses: the checker never requests a host inside the network it runs in.

The nightly job may run on a self-hosted runner inside a regional network, and what it fetches is
published. So a host is resolved before every request (and every redirect hop) and refused when
any of its addresses is loopback, private, link-local, shared (CGNAT), multicast, reserved or
unspecified — including IPv4 written as one number (http://2130706433/), in octal or hex, and
IPv4-mapped IPv6. The connection itself checks the address it reached as well, so a DNS answer
that changes between the two looks (rebinding) is caught too.
"""

from __future__ import annotations

import ipaddress
import socket


class PrivateAddressError(OSError):
    """Raised instead of connecting to an address inside the network."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return is_public(str(embedded))
    return ip.is_global and not ip.is_multicast


def private_address(host: str, port: int) -> str | None:
    """The first non-public address the host resolves to, or None when every address is public.

    A host that does not resolve is not refused here: the request then fails as a DNS error.
    """
    try:
        answers = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        return None
    for *_, sockaddr in answers:
        if not is_public(sockaddr[0]):
            return sockaddr[0]
    return None
