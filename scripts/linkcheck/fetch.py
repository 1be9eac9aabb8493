"""One pass over a URL: follow redirects by hand and read only what is needed.

Redirects are followed here, not by requests, to see every hop (permanent
ones are reported, loops detected, each hop's host limited). The body is
streamed and read only up to the limit the verdict rules ask for, so a
200 MB file costs a few kilobytes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from requests.cookies import RequestsCookieJar, extract_cookies_to_jar
from requests.structures import CaseInsensitiveDict

from .deadline import Deadline, DeadlineExceeded
from .hostlimit import HostLimiter
from .netguard import private_address
from .urlnorm import InvalidUrlError, host_key, resolve_redirect

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_STATUSES = frozenset({301, 308})
_DRAIN_LIMIT = 64 * 1024
_CHUNK = 16 * 1024

# (method, status, headers, url) -> how many body bytes to read
BodyLimit = Callable[[str, int, Mapping[str, str], str], int]


@dataclass
class Hop:
    url: str
    status: int
    location: str | None = None


@dataclass
class Fetched:
    """Everything the verdict rules look at; ``error`` set when no final answer."""

    method: str
    url: str
    hops: list[Hop] = field(default_factory=list)
    final_url: str = ""
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=CaseInsensitiveDict)
    body: bytes = b""
    body_complete: bool = False
    body_error: BaseException | None = None
    error: BaseException | None = None
    error_url: str = ""
    failure: str | None = None  # redirect_loop | too_many_redirects | invalid_redirect | queue_timeout | private_address

    def permanent_target(self) -> str | None:
        """Where the leading run of 301/308 hops points (the address to put in the data)."""
        target = None
        for hop, nxt in zip(self.hops, self.hops[1:], strict=False):
            if hop.status not in PERMANENT_STATUSES:
                break
            target = nxt.url
        return target


def fetch(
    url: str,
    method: str,
    *,
    session: requests.Session,
    limiter: HostLimiter,
    deadline: Deadline,
    verify: bool | str,
    connect_timeout: float,
    max_redirects: int,
    body_limit: BodyLimit,
    allow_private: bool = False,
) -> Fetched:
    result = Fetched(method=method, url=url, final_url=url)
    jar = RequestsCookieJar()
    seen: set[tuple] = set()
    current = url
    for _ in range(max_redirects + 1):
        # A redirect back to a visited URL is a loop unless the site set a
        # cookie in between (cookie walls do exactly that once).
        state = (current, tuple(sorted((c.name, c.value) for c in jar)))
        if state in seen:
            result.failure = "redirect_loop"
            return result
        seen.add(state)
        if not allow_private:
            # Checked before every hop: a public page may redirect into the runner's own network.
            parts = urlsplit(current)
            if private_address(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)):
                result.failure, result.final_url = "private_address", current
                return result
        key = host_key(current)
        with limiter.slot(key, deadline.remaining()) as got:
            if not got:
                result.failure = "queue_timeout"
                return result
            remaining = max(0.05, deadline.remaining())
            try:
                resp = session.request(
                    method,
                    current,
                    allow_redirects=False,
                    stream=True,
                    verify=verify,
                    cookies=jar,
                    timeout=(min(connect_timeout, remaining), remaining),
                )
            except Exception as exc:  # requests wraps almost everything; keep the rest too
                result.error, result.error_url, result.final_url = exc, current, current
                return result
            if deadline.expired:
                # Headers cut short by the watchdog look complete to http.client.
                resp.close()
                result.error, result.error_url, result.final_url = DeadlineExceeded(), current, current
                return result
            try:
                extract_cookies_to_jar(jar, resp.request, resp.raw)
                location = resp.headers.get("location")
                result.hops.append(Hop(current, resp.status_code, location))
                if resp.status_code in REDIRECT_STATUSES and location:
                    _drain(resp)
                    try:
                        current = resolve_redirect(current, location)
                    except InvalidUrlError:
                        result.failure = "invalid_redirect"
                        result.status = resp.status_code
                        return result
                    if resp.status_code == 303 and method != "HEAD":
                        method = "GET"
                    continue
                result.final_url = current
                result.status = resp.status_code
                result.headers = resp.headers
                limit = body_limit(method, resp.status_code, resp.headers, current)
                result.body, result.body_complete, result.body_error = _read(resp, limit)
                if deadline.expired and result.body_error is None:
                    # A cut socket ends a close-delimited body without an error.
                    result.body_complete, result.body_error = False, DeadlineExceeded()
                return result
            finally:
                resp.close()
    result.failure = "too_many_redirects"
    result.final_url = current
    return result


def _read(resp: requests.Response, limit: int) -> tuple[bytes, bool, BaseException | None]:
    """Read at most ``limit`` decoded bytes; (body, whole body read, error)."""
    if limit <= 0:
        return b"", False, None
    chunks: list[bytes] = []
    total = 0
    try:
        for chunk in resp.raw.stream(min(_CHUNK, limit), decode_content=True):
            chunks.append(chunk)
            total += len(chunk)
            if total >= limit:
                return b"".join(chunks)[:limit], False, None
    except Exception as exc:  # socket cut by the deadline, reset, bad gzip…
        return b"".join(chunks), False, exc
    return b"".join(chunks), True, None


def _drain(resp: requests.Response) -> None:
    """Read a small redirect body so the keep-alive connection can be reused."""
    length = resp.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) <= _DRAIN_LIMIT:
        try:
            for _ in resp.raw.stream(_CHUNK, decode_content=False):
                pass
        except Exception:
            pass
