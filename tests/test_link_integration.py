"""The link checker's history file is what the site reads: one real run against a local server."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading

import pytest
from amp.linkstatus import read_status
from amp.load import load
from amp.pages import render_pages
from projectpaths import FIXTURES, ROOT


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server API
        if self.path.startswith("/news"):
            body = "<html><head><title>Новости</title></head><body>Новости управления</body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_checker_history_feeds_the_pages(tmp_path, server):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server}/news\n{server}/gone.pdf\n", encoding="utf-8")
    status = tmp_path / "data" / "link_status.yaml"
    status.parent.mkdir()
    for _ in range(2):  # a link is announced broken after two failed runs
        run = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_links.py"), "--urls", str(urls),
                              "--status", str(status), "--timeout", "5", "--allow-private-addresses"], capture_output=True, text=True)
        assert run.returncode == 1, run.stdout + run.stderr
    links, problems = read_status(status, tmp_path)
    assert problems == []
    assert links[f"{server}/news"].verdict == "ok"
    assert links[f"{server}/gone.pdf"].verdict == "broken"
    assert links[f"{server}/gone.pdf"].consecutive_failures == 2

    dataset, _ = load(FIXTURES / "minimal" / "data")
    town_news = dataset.municipalities["town"].documents[0]
    status_for_fixture = {town_news.url: links[f"{server}/news"]}
    page = render_pages(dataset, [], status_for_fixture)["municipalities/town.md"]
    assert "✅ открывается" in page


def test_a_machine_without_network_does_not_rewrite_history(tmp_path):
    """Every host unreachable (here: closed loopback ports) means the checker's network is down."""
    urls = tmp_path / "urls.txt"
    urls.write_text("http://127.0.0.1:9/a\nhttp://localhost:9/b\n", encoding="utf-8")
    status = tmp_path / "link_status.yaml"
    status.write_text("links: {}\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_links.py"), "--urls", str(urls),
                          "--status", str(status), "--timeout", "3", "--allow-private-addresses"], capture_output=True, text=True)
    assert run.returncode == 2
    assert "Ни один сайт не ответил" in run.stderr
    assert status.read_text(encoding="utf-8") == "links: {}\n"


def test_a_damaged_history_stops_the_nightly_check_before_anything_expands(tmp_path):
    """data/link_status.yaml is a data file too: an alias bomb there must not hang the nightly job."""
    urls = tmp_path / "urls.txt"
    urls.write_text("https://example.invalid/a\n", encoding="utf-8")
    status = tmp_path / "data" / "link_status.yaml"
    status.parent.mkdir()
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9))
    status.write_text(bomb, encoding="utf-8")
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_links.py"), "--urls", str(urls),
                          "--status", str(status)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "История проверок повреждена" in run.stderr and "якорь (&a) не поддерживается" in run.stderr
    assert status.read_text(encoding="utf-8") == bomb
