"""One pass over a URL: every redirect hop by hand, and only as much body as the rules need.

Redirects are followed here, not by aiohttp, to see every hop: permanent ones are reported, loops
detected, each hop's host limited and refused when it is inside the network. Bodies are read in
chunks up to the limit the verdict rules ask for, and decompressed here with a bound, so neither a
200 MB file nor a gzip bomb costs more than that limit.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import aiohttp
from multidict import CIMultiDict
from yarl import URL

from .netguard import refused_literal
from .urlnorm import InvalidUrlError, host_key, resolve_redirect

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_STATUSES = frozenset({301, 308})
_CHUNK = 16 * 1024

# (status, headers, url) -> how many body bytes to read
BodyLimit = Callable[[int, Mapping[str, str], str], int]
# host key -> a slot of that host (the per-host limit)
HostSlot = Callable[[str], AbstractAsyncContextManager]


@dataclass
class Hop:
    url: str
    status: int


@dataclass
class Fetched:
    """Everything the verdict rules look at; ``error`` set when no final answer came."""

    url: str
    hops: list[Hop] = field(default_factory=list)
    final_url: str = ""
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=CIMultiDict)
    body: bytes = b""
    body_complete: bool = False
    body_error: BaseException | None = None
    error: BaseException | None = None
    failure: str | None = None  # redirect_loop | too_many_redirects | invalid_redirect | private_address

    def permanent_target(self) -> str | None:
        """Where the leading run of 301/308 hops points (the address to put in the data)."""
        target = None
        for hop, nxt in zip(self.hops, self.hops[1:], strict=False):
            if hop.status not in PERMANENT_STATUSES:
                break
            target = nxt.url
        return target


async def fetch(session: aiohttp.ClientSession, url: str, *, slot: HostSlot, ssl: object, deadline: float,
                max_redirects: int, body_limit: BodyLimit, allow_private: bool) -> Fetched:
    """GET ``url`` as a browser would, following up to ``max_redirects`` redirects, until the
    event loop's clock reaches ``deadline`` (a server that drips a byte a second is cut off too)."""
    result = Fetched(url=url, final_url=url)
    cookies: SimpleCookie = SimpleCookie()  # this check's own cookies, as a fresh browser has
    seen: set[tuple] = set()
    current = url
    for _ in range(max_redirects + 1):
        result.final_url = current
        # A redirect back to a visited URL is a loop unless the site set a cookie in between
        # (cookie walls do exactly that once).
        state = (current, tuple(sorted((k, m.value) for k, m in cookies.items())))
        if state in seen:
            result.failure = "redirect_loop"
            return result
        seen.add(state)
        if not allow_private and refused_literal(urlsplit(current).hostname or ""):
            result.failure = "private_address"
            return result
        async with AsyncExitStack() as stack:
            try:
                async with asyncio.timeout_at(deadline):
                    await stack.enter_async_context(slot(host_key(current)))
                    response = await stack.enter_async_context(await session.get(
                        URL(current, encoded=True), allow_redirects=False, ssl=ssl,
                        headers={"Cookie": "; ".join(f"{k}={m.value}" for k, m in cookies.items())}
                        if cookies else None))
            except (aiohttp.ClientError, OSError, ValueError) as exc:  # TimeoutError is an OSError
                result.error = exc
                return result
            cookies.update(response.cookies)
            result.hops.append(Hop(current, response.status))
            location = response.headers.get("Location")
            if response.status in REDIRECT_STATUSES and location:
                try:
                    current = resolve_redirect(current, location)
                except (InvalidUrlError, UnicodeError):
                    result.failure, result.status = "invalid_redirect", response.status
                    return result
                continue
            result.status, result.headers = response.status, response.headers
            limit = body_limit(response.status, response.headers, current)
            result.body, result.body_complete, result.body_error = await _read(response, limit, deadline)
            if not result.body_complete:
                response.close()  # never download the rest of a large file
            return result
    result.failure = "too_many_redirects"
    return result


async def _read(response: aiohttp.ClientResponse, limit: int,
                deadline: float) -> tuple[bytes, bool, BaseException | None]:
    """At most ``limit`` decoded bytes read before ``deadline``: (body, whole body read, error)."""
    if limit <= 0:
        return b"", False, None
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    # gzip and zlib by their header; a bare deflate stream is tried when that fails.
    inflate = zlib.decompressobj(zlib.MAX_WBITS | 32) if encoding in ("gzip", "x-gzip", "deflate") else None
    body = bytearray()
    try:
        while len(body) < limit:
            async with asyncio.timeout_at(deadline):
                chunk = await response.content.read(_CHUNK)
            if not chunk:
                if inflate is not None:
                    body += inflate.flush()[: limit - len(body)]
                return bytes(body[:limit]), len(body) <= limit, None
            if inflate is None:
                body += chunk
                continue
            try:
                body += inflate.decompress(inflate.unconsumed_tail + chunk, limit - len(body) + 1)
            except zlib.error:
                if body or encoding != "deflate":
                    raise
                inflate = zlib.decompressobj(-zlib.MAX_WBITS)
                body += inflate.decompress(chunk, limit + 1)
    except (aiohttp.ClientError, OSError, ValueError, zlib.error) as exc:  # TimeoutError included
        return bytes(body[:limit]), False, exc
    return bytes(body[:limit]), False, None
