"""Checking many URLs: worker threads, per-host fairness, a bounded run."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from .checker import CheckContext, check_url, skipped_result
from .config import CheckConfig
from .hostlimit import HostLimiter, HostQueue
from .result import LinkResult
from .tls import trust_bundle
from .transport import build_session
from .urlnorm import InvalidUrlError, host_key, normalize_url


def check_urls(
    urls: Iterable[str],
    config: CheckConfig | None = None,
    on_result: Callable[[LinkResult], None] | None = None,
) -> list[LinkResult]:
    """Check every URL once (duplicates are merged); results in input order.

    URLs still waiting when ``config.max_runtime`` is over are not checked
    and come back as ``warning`` with ``skipped=True``.
    """
    config = config or CheckConfig()
    unique = list(dict.fromkeys(u.strip() for u in urls if u and u.strip()))
    results: dict[str, LinkResult] = {}
    if not unique:
        return []
    run_deadline = time.monotonic() + config.max_runtime
    queue: HostQueue[str] = HostQueue(((_queue_key(u), u) for u in unique), config.per_host)
    lock = threading.Lock()

    with trust_bundle(config.ca_bundle) as verify, build_session(config) as session:
        ctx = CheckContext(config, session, HostLimiter(config.per_host), verify)

        def worker() -> None:
            while True:
                taken = queue.take()
                if taken is None:
                    return
                key, url = taken
                try:
                    if time.monotonic() >= run_deadline:
                        result = skipped_result(url)
                    else:
                        result = check_url(url, ctx, run_deadline)
                finally:
                    queue.done(key)
                with lock:
                    results[url] = result
                if on_result is not None:
                    on_result(result)

        threads = [
            threading.Thread(target=worker, name=f"linkcheck-{i}", daemon=True)
            for i in range(max(1, min(config.workers, len(unique))))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return [results[u] for u in unique]


def _queue_key(url: str) -> str:
    try:
        return host_key(normalize_url(url))
    except InvalidUrlError:
        return ""
