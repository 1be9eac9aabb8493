"""Hosts that hang cannot use up the nightly run, and every link is checked every N nights.

N is the README's formula (section «Проверка ссылок на документы», «Каждая ссылка — не реже чем раз
в N ночей»): N = ⌊(U − 1) / C⌋ + 1 with C = P·⌊R / T⌋, when no host runs out of its share.
"""

from __future__ import annotations

import time
from collections import defaultdict

from linkcheck import CheckConfig, check_urls, update_history
from linkcheck_servers import FAST, hold, html, send


def test_tarpit_hosts_cannot_keep_the_others_from_being_checked(server, fake_dns):
    """Three names on one tarpit server, ten links each, ahead of a school's twenty documents."""
    for name in ("tarpit-a.test", "tarpit-b.test", "tarpit-c.test", "school.test"):
        fake_dns[name] = "127.0.0.1"
    server.route("/hang")(lambda h: hold(h, 60))

    def document(h):
        time.sleep(0.05)
        send(h, 200, html("Документ"))

    server.route("/doc")(document)
    tarpit = [server.url(f"/hang?n={i}", host=f"tarpit-{x}.test") for x in "abc" for i in range(10)]
    school = [server.url(f"/doc?n={i}", host="school.test") for i in range(20)]
    cfg = CheckConfig(**{**FAST.__dict__, "timeout": 2.0, "attempts": 1, "per_host": 2, "workers": 4,
                         "max_runtime": 6.0, "host_timeouts": 2})
    results = {r.url: r for r in check_urls(tarpit + school, cfg)}

    assert [results[u].verdict for u in school] == ["ok"] * 20
    for x in "abc":
        mine = [results[u] for u in tarpit if f"tarpit-{x}." in u]
        checked = [r for r in mine if not r.skipped]
        # Its first links time out (a verdict, kept in the history); the rest wait for the next night.
        assert 2 <= len(checked) <= 3 and all(r.reason_code == "timeout" for r in checked)
        assert {r.reason_code for r in mine if r.skipped} == {"host_timeouts"}


def test_every_link_is_checked_within_n_nights_when_a_night_fits_only_half(server, fake_dns):
    for name in ("school-a.test", "school-b.test"):
        fake_dns[name] = "127.0.0.1"

    def document(h):
        time.sleep(0.4)
        send(h, 200, html("Документ"))

    server.route("/doc")(document)
    urls = [server.url(f"/doc?n={i}", host=f"school-{x}.test") for x in "ab" for i in range(8)]
    per_host, timeout, runtime = 2, 0.45, 0.9
    cfg = CheckConfig(**{**FAST.__dict__, "timeout": timeout, "attempt_timeout": timeout, "attempts": 1,
                         "per_host": per_host, "workers": 4, "max_runtime": runtime})
    per_night = per_host * int(runtime // timeout)  # C = P·⌊R/T⌋ = 4
    nights = (len(urls) - 1) // per_night + 1  # N = 4 (two nights are enough here)

    history: dict = {}
    checked: dict[str, list[int]] = defaultdict(list)
    skipped_any = False
    for night in range(1, 2 * nights + 1):
        last = {url: entry["last_checked"] for url, entry in history.items()}
        results = check_urls(urls, cfg, last_checked=last)
        history = update_history(history, results, f"2026-11-{night:02d}")
        skipped_any |= any(r.skipped for r in results)
        for r in results:
            if not r.skipped:
                checked[r.url].append(night)
    assert skipped_any  # a night does not fit every link
    for url in urls:
        seen = [0, *checked[url], 2 * nights + 1]
        assert max(b - a for a, b in zip(seen, seen[1:])) <= nights, (url, checked[url])
