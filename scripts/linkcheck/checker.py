"""Checking one URL: attempts, retries and the verdict rules.

Rules in short (reasons are in :mod:`messages`):

* transient troubles (5xx, 429, timeouts, refused or reset connections,
  DNS hiccups) are retried with backoff, honouring ``Retry-After``; only when
  every attempt fails is the link broken (429 included: a site that refuses
  every retry cannot be confirmed to serve the document);
* 404/410, other 4xx, redirect loops and redirects ending in an error are
  broken;
* bot walls, 401/403, «soft 404», a redirect of a document to the home
  page, a missing ``#fragment``, a ``.pdf`` that is not a PDF, an empty
  file and any certificate problem are warnings;
* every check is a GET, as a parent's click is (HEAD can disagree with GET);
  the body is streamed and read only as far as the rules need;
* a page that sends the reader on by itself (meta refresh, a one-line
  script) is followed, bounded, and judged where it leads; a redirect to a
  login form is a warning;
* hosts inside the network are refused before any request (see netguard).

Many URLs are checked at once on one event loop (aiohttp): at most ``per_host`` requests to one
hosting at a time, each attempt bounded by a wall-clock deadline.

Hosts that hang cannot use up a run: the least recently checked URLs start first (:func:`schedule`),
and a hosting that has used ``host_budget`` seconds of checks or timed out ``host_timeouts`` times in
a row has its other URLs skipped until the next run (:class:`HostShare`); skipped URLs keep their
old history entry. The README derives from these limits how often every link is checked at least.

A verdict carries a reason code and parameters, never text a server sent (see :mod:`clean`).
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import socket
import ssl
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from urllib.parse import urlsplit

import aiohttp

from . import content, messages, tls
from .config import BASE_HEADERS, CheckConfig
from .fetch import Fetched, fetch
from .netguard import GuardedResolver, PrivateAddressError
from .result import BROKEN, OK, WARNING, LinkResult
from .urlnorm import (
    InvalidUrlError,
    host_key,
    host_of,
    is_home_path,
    normalize_url,
    path_of,
    resolve_redirect,
    split_fragment,
)


def check_urls(urls: Iterable[str], config: CheckConfig | None = None,
               on_result: Callable[[LinkResult], None] | None = None,
               last_checked: Mapping[str, object] | None = None) -> list[LinkResult]:
    """Check every URL once (duplicates are merged); results in input order.

    With ``last_checked`` ({url: date of its last check}) the least recently checked URLs go
    first (never checked ones before all), see :func:`schedule`. URLs still waiting when
    ``config.max_runtime`` is over, or whose host has used up its share of the run
    (``config.host_budget`` seconds of checks, or ``config.host_timeouts`` timeouts in a row), are
    not checked and come back as ``warning`` with ``skipped=True``.
    """
    unique = list(dict.fromkeys(u.strip() for u in urls if u and u.strip()))
    if not unique:
        return []
    return asyncio.run(_check_all(unique, schedule(unique, last_checked), config or CheckConfig(), on_result))


def schedule(urls: list[str], last_checked: Mapping[str, object] | None) -> list[list[str]]:
    """Groups of URLs in the order a run starts them: never checked first, then by the date of the
    last check, oldest first; in a group, the given order. A group starts only when every URL of
    the groups before it has started, so a night that cannot check everything checks the oldest."""
    if last_checked is None:
        return [urls]
    groups: dict[str, list[str]] = {}
    for url in urls:
        groups.setdefault(str(last_checked.get(url) or ""), []).append(url)
    return [groups[day] for day in sorted(groups)]


@dataclass
class HostShare:
    """What one hosting has used of tonight's run."""

    spent: float = 0.0  # seconds of its finished checks
    timeouts: int = 0  # finished checks in a row that timed out
    closed: str | None = None  # why its other URLs are skipped: host_budget | host_timeouts

    def record(self, result: LinkResult, config: CheckConfig) -> None:
        if result.skipped:
            return
        self.spent += result.elapsed_s
        self.timeouts = self.timeouts + 1 if result.reason_code == "timeout" else 0
        if self.timeouts >= config.host_timeouts:
            self.closed = "host_timeouts"
        elif self.spent >= config.host_budget:
            self.closed = "host_budget"


@dataclass
class Run:
    """What the checks of one run share: the session, trust settings and per-host slots."""

    config: CheckConfig
    session: aiohttp.ClientSession
    verify: ssl.SSLContext
    end: float  # the run's time limit, on the event loop's clock
    slots: defaultdict  # host key -> asyncio.Semaphore(per_host), made on first use

    def slot(self, key: str) -> asyncio.Semaphore:
        """At most ``per_host`` requests in flight to one hosting (every redirect hop counts)."""
        return self.slots[key]


def _per_host(config: CheckConfig) -> defaultdict:
    return defaultdict(lambda: asyncio.Semaphore(config.per_host))


async def _check_all(urls: list[str], groups: list[list[str]], config: CheckConfig,
                     on_result: Callable[[LinkResult], None] | None) -> list[LinkResult]:
    loop = asyncio.get_running_loop()
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(config.allow_private_addresses),
                                     limit=0)
    session = aiohttp.ClientSession(
        connector=connector, headers=BASE_HEADERS, cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=False, timeout=aiohttp.ClientTimeout(total=None, sock_connect=config.connect_timeout),
        max_field_size=32 * 1024, max_line_size=32 * 1024)
    results: dict[str, LinkResult] = {}
    # Checks wait for a free slot of their own host first, so that 500 links to one hosting do not
    # hold every worker while other sites wait (and the wait does not eat into their deadlines).
    starts = _per_host(config)
    workers = asyncio.Semaphore(config.workers)
    shares: defaultdict[str, HostShare] = defaultdict(HostShare)
    # Group i+1 waits until every URL of group i has started (or been skipped): older first.
    gates = [asyncio.Event() for _ in groups]
    gates[0].set()
    waiting = [len(g) for g in groups]

    def started(group: int) -> None:
        waiting[group] -= 1
        if waiting[group] == 0 and group + 1 < len(gates):
            gates[group + 1].set()

    async with session:
        run = Run(config, session, tls.context(config.ca_bundle), loop.time() + config.max_runtime, _per_host(config))

        def passed_over(share: HostShare) -> str | None:
            return "skipped" if loop.time() >= run.end else share.closed

        async def one(url: str, group: int) -> None:
            await gates[group].wait()
            key = _queue_key(url)
            share = shares[key]
            async with starts[key]:
                skip = passed_over(share)
                if skip is None:
                    async with workers:
                        started(group)
                        skip = passed_over(share)
                        if skip is None:
                            result = await check_url(url, run)
                            share.record(result, config)
                else:
                    started(group)
            if skip is not None:
                result = skipped_result(url, code=skip)
            results[url] = result
            if on_result is not None:
                on_result(result)

        await asyncio.gather(*(one(u, i) for i, group in enumerate(groups) for u in group))
    return [results[u] for u in urls]


def _queue_key(url: str) -> str:
    try:
        return host_key(normalize_url(url))
    except InvalidUrlError:
        return ""


@dataclass(frozen=True)
class Outcome:
    verdict: str
    code: str
    params: dict = field(default_factory=dict)  # of the reason: numbers, flags, URLs, vocabulary words
    http_status: int | None = None
    final_url: str | None = None
    permanent_redirect: str | None = None
    transient: bool = False
    retry_after: float | None = None
    cert: tls.CertProblem | None = None


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


async def check_url(url: str, run: Run) -> LinkResult:
    """Check one URL as written in the data and return its verdict."""
    loop = asyncio.get_running_loop()
    started, checked_at = loop.time(), utc_now_iso()
    end = min(started + run.config.timeout, run.end)
    try:
        target, fragment = split_fragment(normalize_url(url))
    except InvalidUrlError as exc:
        return LinkResult(url, BROKEN, "invalid_url", None, None, 0, 0.0, checked_at,
                          reason_params={"kind": exc.kind})
    try:
        outcome, attempts = await _with_retries(target, fragment, run, end, run.verify)
        if outcome.cert is not None and run.config.recheck_insecure and end - loop.time() > 0.5:
            # The certificate is bad; is the document itself there?
            inner, more = await _with_retries(target, fragment, run, end, False)
            outcome, attempts = _combine_with_cert(outcome, inner), attempts + more
    except Exception:  # a bug must not lose the other results of the run
        outcome, attempts = Outcome(BROKEN, "internal_error"), 1
    if outcome.code == "timeout" and end == run.end < started + run.config.timeout and loop.time() >= end:
        # Cut short by the run's time limit, not by the site: not a verdict on it.
        return skipped_result(url, checked_at)
    return LinkResult(url, outcome.verdict, outcome.code, outcome.http_status, outcome.final_url, attempts,
                      loop.time() - started, checked_at, outcome.permanent_redirect, reason_params=outcome.params)


def skipped_result(url: str, checked_at: str | None = None, code: str = "skipped") -> LinkResult:
    """A URL the run had no time left for (``skipped``), or whose host used up its share of the
    night (``host_budget``, ``host_timeouts``)."""
    return LinkResult(url, WARNING, code, None, None, 0, 0.0, checked_at or utc_now_iso(), skipped=True)


async def _with_retries(target: str, fragment: str, run: Run, end: float,
                        verify: ssl.SSLContext | bool) -> tuple[Outcome, int]:
    cfg, loop = run.config, asyncio.get_running_loop()
    attempt = 0
    while True:
        attempt += 1
        outcome = await _attempt(target, fragment, run, min(end, loop.time() + cfg.per_attempt()), verify)
        if not outcome.transient:
            return outcome, attempt
        if attempt >= cfg.attempts:
            break
        wait = cfg.backoff * (2 ** (attempt - 1)) * random.uniform(1.0, 1.25)
        if outcome.retry_after is not None:
            wait = max(wait, min(outcome.retry_after, cfg.max_retry_after))
        if loop.time() + wait >= end:
            break
        await asyncio.sleep(wait)
    return _exhausted(outcome, attempt, target, cfg), attempt


def _exhausted(outcome: Outcome, attempts: int, target: str, cfg: CheckConfig) -> Outcome:
    """Final verdict when every attempt met a transient trouble."""
    code = outcome.code
    params: dict = {"attempts": attempts}
    if code == "server_error":
        params["status"] = outcome.http_status or 500
    elif code == "timeout":
        params["seconds"] = round(cfg.per_attempt(), 1)
    elif code == "dns":
        params["host"] = host_of(outcome.final_url or target)
    elif code not in ("rate_limited", "refused"):
        code = "connection_error"
    if outcome.permanent_redirect:
        params["moved"] = outcome.permanent_redirect
    return replace(outcome, verdict=BROKEN, code=code, params=params, transient=False)


async def _attempt(target: str, fragment: str, run: Run, deadline: float,
                   verify: ssl.SSLContext | bool) -> Outcome:
    cfg = run.config
    wanted_html = cfg.fragment_peek_bytes if content.fragment_checkable(fragment) else cfg.html_peek_bytes

    def limit(status: int, headers, url: str) -> int:
        ctype = content.media_type(headers)
        pdf = content.expects_pdf(target, ctype) or content.expects_pdf(url, ctype)
        return content.body_limit(status, ctype, pdf, wanted_html, cfg.error_peek_bytes)

    async def get(url: str) -> tuple[Fetched, Outcome]:
        got = await fetch(run.session, url, slot=run.slot, ssl=verify, deadline=deadline,
                          max_redirects=cfg.max_redirects, body_limit=limit,
                          allow_private=cfg.allow_private_addresses)
        if got.error is not None:
            return got, await _error_outcome(got, deadline, run)
        return got, judge(got, url, fragment if url == target else "")

    got, outcome = await get(target)
    # A page that forwards the reader by itself is judged where it leads, as a browser would.
    for _ in range(cfg.max_client_redirects):
        onward = _client_redirect(got, outcome)
        if onward is None:
            break
        got, inner = await get(onward)
        if inner.transient:
            outcome = inner
        elif inner.verdict == OK:
            outcome = replace(inner, final_url=got.final_url or onward)
        else:
            return replace(inner, params={**inner.params, "onward": onward})
    return outcome


def _client_redirect(got: Fetched, outcome: Outcome) -> str | None:
    """The address an ok HTML page forwards to by itself, or None."""
    if outcome.verdict != OK or got.status is None or not content.is_html_type(content.media_type(got.headers)):
        return None
    lowered = got.body[:content.CLIENT_REDIRECT_BYTES].lower()
    if b"refresh" not in lowered and b"location" not in lowered:
        return None  # the usual page: no need to decode it again
    found = content.client_redirect(content.decode_html(got.body[:content.CLIENT_REDIRECT_BYTES], got.headers))
    if not found:
        return None
    try:
        onward = resolve_redirect(got.final_url, found)
    except (InvalidUrlError, UnicodeError):
        return None
    return None if split_fragment(onward)[0] == split_fragment(got.final_url)[0] else onward


async def _error_outcome(f: Fetched, deadline: float, run: Run) -> Outcome:
    exc = f.error
    assert exc is not None
    where = f.final_url
    if tls.find_cause(exc, PrivateAddressError) is not None:
        return Outcome(BROKEN, "private_address", final_url=where)
    if isinstance(exc, TimeoutError) or asyncio.get_running_loop().time() >= deadline:
        return Outcome(BROKEN, "timeout", final_url=where, transient=True)
    problem = tls.classify(exc)
    if problem is not None:
        if problem.verify_code in tls.ISSUER_DEPENDENT:
            # Who issued it decides the wording (Минцифры or someone else).
            parts = urlsplit(where)
            async with run.slot(host_key(where)):
                leaf = await asyncio.to_thread(
                    tls.peer_certificate, parts.hostname or "", parts.port or 443,
                    min(5.0, max(0.5, deadline - asyncio.get_running_loop().time())),
                    run.config.allow_private_addresses)
            problem = tls.classify(exc, leaf)
        return Outcome(WARNING, problem.code, problem.params, final_url=where, cert=problem)
    if isinstance(exc, (aiohttp.ClientSSLError, ssl.SSLError)):
        return Outcome(WARNING, "tls_handshake", final_url=where)
    if isinstance(exc, aiohttp.InvalidURL):
        return Outcome(BROKEN, "invalid_url", {"kind": "malformed"}, final_url=where)
    if isinstance(exc, aiohttp.ClientConnectorDNSError) or tls.find_cause(exc, socket.gaierror) is not None:
        return Outcome(BROKEN, "dns", final_url=where, transient=True)
    if tls.find_cause(exc, ConnectionRefusedError) is not None:
        return Outcome(BROKEN, "refused", final_url=where, transient=True)
    return Outcome(BROKEN, "connection_error", final_url=where, transient=True)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def judge(f: Fetched, target: str, fragment: str) -> Outcome:
    """Verdict for a pass that got an answer (or a redirect failure)."""
    moved = f.permanent_target()
    base = dict(http_status=f.status, final_url=f.final_url, permanent_redirect=moved)

    def out(verdict: str, code: str, params: dict | None = None) -> Outcome:
        params = dict(params or {})
        if f.final_url != target and verdict != OK and code not in ("redirect_home", "redirect_error_page"):
            params["after"] = f.final_url
        if moved and code not in ("redirect_loop",):
            params["moved"] = moved
        return Outcome(verdict, code, params, **base)

    if f.failure == "redirect_loop":
        return out(BROKEN, "redirect_loop")
    if f.failure == "too_many_redirects":
        return out(BROKEN, "too_many_redirects", {"limit": len(f.hops) - 1})
    if f.failure == "invalid_redirect":
        return out(BROKEN, "invalid_redirect")
    if f.failure == "private_address":
        return out(BROKEN, "private_address")
    status = f.status
    assert status is not None
    ctype = content.media_type(f.headers)
    html_like = content.is_html_type(ctype) or (not ctype and content.looks_like_html(f.body))
    text = content.decode_html(f.body, f.headers) if html_like and f.body else ""

    if 200 <= status < 300:
        if f.body_error is not None:
            if isinstance(f.body_error, TimeoutError):
                return out(WARNING, "slow_body")
            return Outcome(BROKEN, "connection_error", transient=True, **base)
        wall = content.detect_bot_wall(status, f.headers, text)
        if wall:
            return out(WARNING, "bot_wall", {"wall": messages.wall_token(wall)})
        redirected = len(f.hops) > 1
        if redirected and html_like and content.looks_like_login(text) and not content.looks_like_login_path(target):
            return out(WARNING, "login_required")
        if redirected and not is_home_path(path_of(target)) and is_home_path(path_of(f.final_url)):
            return out(WARNING, "redirect_home")
        if redirected and content.is_error_page_path(path_of(f.final_url)) \
                and not content.is_error_page_path(path_of(target)):
            return out(WARNING, "redirect_error_page")
        pdf_expected = content.expects_pdf(target, ctype) or content.expects_pdf(f.final_url, ctype)
        if pdf_expected and not content.looks_like_pdf(f.body):
            if not f.body and f.body_complete:
                return out(WARNING, "empty_file")
            if html_like:
                if content.detect_soft_404(text):  # the page's own words are not kept
                    return out(WARNING, "soft_404")
                return out(WARNING, "not_pdf", {"html": True})
            return out(WARNING, "not_pdf")
        if f.body_complete and not f.body:
            return out(WARNING, "empty_file")
        if html_like:
            if content.detect_soft_404(text):
                return out(WARNING, "soft_404")
            if content.fragment_checkable(fragment) and not content.has_anchor(text, fragment):
                return out(WARNING, "fragment_missing", {"truncated": not f.body_complete})
        return out(OK, "ok")
    if 300 <= status < 400:
        return out(BROKEN, "redirect_without_location", {"status": status})
    if status >= 600 or status < 100:
        # Not an HTTP status at all (999 and the like): bot walls answer so; a parent's browser gets the page.
        return out(WARNING, "bot_wall", {"status": status})
    if status in (401, 403, 407, 451) or status == 429 or status >= 500:
        wall = content.detect_bot_wall(status, f.headers, text)
        if wall:
            return out(WARNING, "bot_wall", {"wall": messages.wall_token(wall)})
    if status == 401:
        return out(WARNING, "unauthorized")
    if status in (403, 407, 451):
        return out(WARNING, "forbidden", {"status": status})
    if status == 404:
        return out(BROKEN, "not_found", {"status": status})
    if status == 410:
        return out(BROKEN, "gone")
    if status == 429:
        return Outcome(WARNING, "rate_limited", transient=True,
                       retry_after=_retry_after(f.headers.get("retry-after")), **base)
    if status >= 500:
        return Outcome(BROKEN, "server_error", transient=True,
                       retry_after=_retry_after(f.headers.get("retry-after")), **base)
    if 400 <= status < 500:
        return out(BROKEN, "client_error", {"status": status})
    return out(BROKEN, "unexpected_status", {"status": status})


def _combine_with_cert(cert_outcome: Outcome, inner: Outcome) -> Outcome:
    """A certificate problem plus what the page is like without verification."""
    assert cert_outcome.cert is not None
    if inner.cert is not None or inner.code.startswith("tls_"):
        return cert_outcome
    verdict = BROKEN if inner.verdict == BROKEN else WARNING
    code = inner.code if inner.verdict == BROKEN else cert_outcome.code
    params = {**inner.params, **cert_outcome.params, "tls": cert_outcome.code, "inner": inner.code}
    return Outcome(
        verdict, code, params, http_status=inner.http_status, final_url=inner.final_url,
        permanent_redirect=inner.permanent_redirect, cert=cert_outcome.cert,
    )
