"""Settings of a link-check run and the identifying User-Agent."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _user_agent() -> str:
    # Site owners who see our requests in their logs should find out who we
    # are. In GitHub Actions the repository address is known; headers must be
    # ASCII, so no Russian here.
    repo = os.environ.get("GITHUB_REPOSITORY", "").strip()
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    contact = f"+{server}/{repo}" if repo else "open-data link checker of the Penza AMP schools site"
    return f"penza-amp-linkcheck/1.0 ({contact})"


USER_AGENT = _user_agent()

# Request headers of a browser-like visitor; Russian first because some
# school CMSs show a different (or no) page for other languages.
BASE_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8",
    "Accept-Language": "ru,en;q=0.5",
}


@dataclass(frozen=True)
class CheckConfig:
    """How hard and how politely to check.

    ``timeout`` is the wall-clock limit for one URL including retries,
    redirects and reading the body; one attempt gets at most
    ``attempt_timeout`` (half of ``timeout`` when not given) so that a
    retry after a hang still fits.
    """

    timeout: float = 40.0
    attempt_timeout: float | None = None
    connect_timeout: float = 10.0
    attempts: int = 3
    backoff: float = 1.0
    max_retry_after: float = 30.0
    max_redirects: int = 20  # as many as browsers follow
    per_host: int = 4
    workers: int = 64
    max_runtime: float = 1800.0
    # One hosting's share of a run: after this many seconds of its checks, or this many timeouts
    # in a row (a tarpit), its other URLs wait for the next night (see README, «каждые N ночей»).
    host_budget: float = 300.0
    host_timeouts: int = 3
    ca_bundle: Path | None = None
    html_peek_bytes: int = 256 * 1024
    # A #fragment may sit near the end of a long page: read on, up to this much, to find it.
    fragment_peek_bytes: int = 5 * 1024 * 1024
    error_peek_bytes: int = 64 * 1024
    recheck_insecure: bool = True
    # Loopback and private networks are refused unless this is set (tests, local use).
    allow_private_addresses: bool = False
    # How many meta-refresh or script redirects of a page are followed, as a browser would.
    max_client_redirects: int = 3

    def per_attempt(self) -> float:
        return self.attempt_timeout if self.attempt_timeout else self.timeout / 2
