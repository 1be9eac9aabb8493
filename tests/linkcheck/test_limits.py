"""Wall-clock deadlines, not downloading big files, per-host limits, IDN."""

import itertools
import sys
import tracemalloc
import zlib
from pathlib import Path
import time

import pytest

from linkcheck import CheckConfig, check_urls
from linkcheck_servers import FAST, html, send, stream

MB = 1024 * 1024
HUGE = 200 * MB


def endless(prefix: bytes = b""):
    yield prefix
    block = b"x" * (64 * 1024)
    while True:
        yield block


def slow_page(server, path: str, seconds: float) -> None:
    """A page that answers after `seconds` (to see how many requests a host has at once)."""
    def answer(h):
        time.sleep(seconds)
        send(h, 200, html("Документ"))

    server.route(path)(answer)


def test_huge_pdf_is_not_downloaded(server, check):
    server.route("/huge.pdf")(lambda h: stream(h, 200, endless(b"%PDF-1.4\n"), HUGE, "application/pdf"))
    r = check(server.url("/huge.pdf"))
    assert r.verdict == "ok"
    assert server.bytes_sent < 20 * MB


def test_huge_html_is_read_only_at_the_start(server, check):
    server.route("/huge")(lambda h: stream(h, 200, endless(html("Документ")), HUGE, "text/html"))
    r = check(server.url("/huge"))
    assert r.verdict == "ok"
    assert server.bytes_sent < 20 * MB


def test_huge_file_behind_head_refusing_server(server, check):
    @server.route("/archive.zip")
    def archive(h):
        if h.command == "HEAD":
            send(h, 405, b"", content_type=None)
        else:
            stream(h, 200, endless(b"PK\x03\x04"), HUGE, "application/zip")

    r = check(server.url("/archive.zip"))
    assert r.verdict == "ok"
    assert server.bytes_sent < 20 * MB


def bomb_of(size: int, wbits: int) -> bytes:
    """``size`` bytes of an HTML page that compress to about a thousandth of that."""
    pack = zlib.compressobj(9, zlib.DEFLATED, wbits)
    out = [pack.compress(html("Документ")[:-14])]
    block = b" " * (1024 * 1024)
    out += [pack.compress(block) for _ in range(size // len(block))]
    return b"".join(out) + pack.compress(b"</body></html>") + pack.flush()


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_body_that_explodes_when_decompressed_stays_small(server, check, encoding):
    # gzip's wrapper, or deflate's zlib wrapper as the standard says
    bomb = bomb_of(400 * MB, 31 if encoding == "gzip" else 15)
    assert len(bomb) < 2 * MB
    server.route("/bomb")(lambda h: send(h, 200, bomb, {"Content-Encoding": encoding}))
    tracemalloc.start()
    try:
        r = check(server.url("/bomb"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (r.verdict, r.reason_code) == ("ok", "ok")
    assert peak < 32 * MB  # read up to the page limit (256 KiB), not the 400 MB it unpacks to


def test_a_gzip_page_is_read_as_the_browser_reads_it(server, check):
    page = html("Страница не найдена")
    server.route("/gone")(lambda h: send(h, 200, zlib.compress(page, 9, wbits=31), {"Content-Encoding": "gzip"}))
    assert check(server.url("/gone")).reason_code == "soft_404"


def drip(h, declared: int, piece: bytes = b"<p>.</p>", pause: float = 0.05):
    def pieces():
        while True:
            yield piece
            h.server.owner.stopping.wait(pause)

    stream(h, 200, pieces(), declared, "text/html; charset=utf-8")


def test_slow_drip_body_hits_the_overall_deadline(server, check):
    server.route("/slow")(lambda h: drip(h, 10 * MB))
    # Every socket read gets data well within the read timeout: only the
    # wall-clock deadline can stop this.
    r = check(server.url("/slow"), timeout=1.0, attempts=1)
    assert (r.verdict, r.reason_code, r.http_status) == ("warning", "slow_body", 200)
    assert server.bytes_sent < 10 * MB


def test_slow_drip_headers_hit_the_overall_deadline(server, check):
    @server.route("/slow-headers")
    def slow_headers(h):
        h.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for i in itertools.count():
            if h.server.owner.stopping.wait(0.05):
                return
            try:
                h.wfile.write(b"X-Drip-%d: 1\r\n" % i)
            except OSError:
                h.close_connection = True
                return

    r = check(server.url("/slow-headers"), timeout=1.0, attempts=2)
    assert (r.verdict, r.reason_code) == ("broken", "timeout")


def test_per_host_limit_is_respected(server):
    slow_page(server, "/slow-page", 0.1)

    urls = [server.url(f"/slow-page?n={i}") for i in range(12)]
    cfg = CheckConfig(**{**FAST.__dict__, "per_host": 2, "workers": 8})
    results = check_urls(urls, cfg)
    assert all(r.verdict == "ok" for r in results)
    assert 1 <= server.max_active <= 2


def test_per_host_limit_counts_redirect_hops(make_server):
    target = make_server()
    origin = make_server(host="127.0.0.2")

    slow_page(target, "/doc", 0.1)

    origin.route("/go")(lambda h: send(h, 302, b"", {"Location": target.url("/doc")}))
    direct = [target.url(f"/doc?d={i}") for i in range(6)]
    via = [origin.url(f"/go?v={i}") for i in range(6)]
    cfg = CheckConfig(**{**FAST.__dict__, "per_host": 2, "workers": 8})
    results = check_urls(direct + via, cfg)
    assert all(r.verdict == "ok" for r in results)
    assert target.max_active <= 2


def test_run_time_bound_skips_the_rest(server):
    slow_page(server, "/slow-page", 0.3)

    urls = [server.url(f"/slow-page?n={i}") for i in range(6)]
    cfg = CheckConfig(**{**FAST.__dict__, "per_host": 1, "workers": 1, "max_runtime": 0.5})
    results = check_urls(urls, cfg)
    skipped = [r for r in results if r.skipped]
    assert skipped and all(r.verdict == "warning" and r.reason_code == "skipped" for r in skipped)
    assert len(results) == 6
    # The URL cut off by the run limit is not blamed on the site.
    assert not [r for r in results if r.verdict == "broken"]


def test_idn_host_and_raw_cyrillic_path_live(server, check, fake_dns):
    fake_dns["xn--50-6kc3bfr2e.xn--p1ai"] = "127.0.0.1"
    server.route("/документы/план работы.pdf")(
        lambda h: send(h, 200, b"%PDF-1.5\n", content_type="application/pdf")
    )
    raw = f"http://школа50.рф:{server.port}/документы/план работы.pdf"
    encoded = (
        f"http://xn--50-6kc3bfr2e.xn--p1ai:{server.port}/%D0%B4%D0%BE%D0%BA%D1%83%D0%BC%D0%B5%D0%BD"
        "%D1%82%D1%8B/%D0%BF%D0%BB%D0%B0%D0%BD%20%D1%80%D0%B0%D0%B1%D0%BE%D1%82%D1%8B.pdf"
    )
    results = check_urls([raw, encoded], FAST)
    assert [r.verdict for r in results] == ["ok", "ok"]
    assert server.count("GET", "/документы/план работы.pdf") == 2
    assert set(server.hosts_seen) == {f"xn--50-6kc3bfr2e.xn--p1ai:{server.port}"}


def test_unknown_domain_is_broken(check, fake_dns):
    r = check("http://no-such-school.invalid/plan.pdf", attempts=2)
    assert (r.verdict, r.reason_code) == ("broken", "dns")
    assert "no-such-school.invalid" in r.reason


def test_invalid_url_is_broken_without_requests(check):
    r = check("mailto:school@example.ru")
    assert (r.verdict, r.reason_code, r.attempts) == ("broken", "invalid_url", 0)


def test_one_busy_host_does_not_starve_the_others(make_server):
    """500 links to one slow hosting must not hold every worker while another site waits."""
    busy = make_server()
    quick = make_server(host="127.0.0.2")

    slow_page(busy, "/slow-page", 0.2)

    quick.route("/doc")(lambda h: send(h, 200, html("Документ")))
    urls = [busy.url(f"/slow-page?n={i}") for i in range(12)] + [quick.url("/doc")]
    finished: list[str] = []
    cfg = CheckConfig(**{**FAST.__dict__, "per_host": 1, "workers": 4})
    results = check_urls(urls, cfg, on_result=lambda r: finished.append(r.url))
    assert all(r.verdict == "ok" for r in results)
    assert finished.index(quick.url("/doc")) <= 2  # not after the busy host's queue
    assert busy.max_active == 1


def test_the_checker_knows_nothing_of_the_data_model():
    """linkcheck takes URLs and returns verdicts: importing all of it loads no part of the site package."""
    import subprocess

    code = ("import sys, pkgutil, importlib, linkcheck\n"
            "[importlib.import_module('linkcheck.' + m.name) for m in pkgutil.iter_modules(linkcheck.__path__)]\n"
            "print(sorted(n for n in sys.modules if n == 'amp' or n.startswith('amp.')))")
    scripts = Path(__file__).resolve().parents[2] / "scripts"
    out = subprocess.run([sys.executable, "-c", code], cwd=scripts, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
