"""A built site in a real browser: Debian's Chromium driven by Playwright, the site on a local server.

Imported by the browser tests directly (like projectpaths). No browser download: without
/usr/bin/chromium the tests are skipped, except in CI, where .ci/run installs it.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

# Debian's chromium here and in .ci/run; the GitHub workflow points CHROMIUM at the runner's Chrome.
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@contextlib.contextmanager
def chromium():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("в CI нужен Chromium (apt-get install chromium): .ci/run ставит его сам")
        pytest.skip("нет Chromium (apt-get install chromium): тесты в браузере пропущены")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        try:
            yield instance
        finally:
            instance.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _serving(handler, path: str = ""):
    """A local HTTP server with this handler; yields its address followed by `path`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}"
    finally:
        server.shutdown()
        server.server_close()


def served(directory: Path, compressed: bool = False):
    """The folder on a local HTTP server; yields its address. compressed: text answers gzip-compressed
    when the browser accepts it, as GitHub Pages sends them (the Lighthouse benchmark)."""
    handler = CompressingHandler if compressed else QuietHandler
    return _serving(functools.partial(handler, directory=str(directory)))


class CompressingHandler(QuietHandler):
    TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ics", ".csv", ".webmanifest"}

    def do_GET(self):
        body = self._compressed()
        if body is None:
            return super().do_GET()
        self.wfile.write(body)

    def do_HEAD(self):
        if self._compressed() is None:
            return super().do_HEAD()

    def _compressed(self) -> bytes | None:
        """Sends the headers of a compressed answer and returns its body; None: answer as usual."""
        address = self.path.split("?", 1)[0].split("#", 1)[0]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and address.endswith("/"):
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() or path.suffix not in self.TEXT:
            return None
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return body


class PagesHandler(QuietHandler):
    """Serves the folder as GitHub Pages serves a project site: under /<repo>/, and every missing
    address answers 404 with the site's own 404.html."""

    prefix = "/"

    def translate_path(self, path):
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "no such file")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def served_as_pages(directory: Path, prefix: str):
    """The folder at http://127.0.0.1:<port><prefix>, missing pages answered by its 404.html; yields
    the site's address (ending in «/»)."""
    handler = functools.partial(type("Handler", (PagesHandler,), {"prefix": prefix}), directory=str(directory))
    return _serving(handler, prefix)


# Material's indigo header: its stylesheet (and the page's own) reached the browser.
HEADER_COLOUR = "rgb(64, 81, 181)"


def follow_tab(tab, base: str, name: str, path: str, heading: str | None = None) -> None:
    """Clicks the menu tab `name` and waits for the page at base + path and its heading (`heading`, the
    tab's name by default)."""
    import re

    from playwright.sync_api import expect

    tab.locator(".md-tabs__link", has_text=name).click()
    tab.wait_for_url(base + path)
    expect(tab.locator("h1").first).to_have_text(re.compile("^" + re.escape(heading or name)))


def open_tab(browser, width: int = 1280, height: int = 900):
    """A new tab that records script errors (tab.errors) and every response (tab.responses)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.errors = []
    tab.responses = []
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    tab.on("response", lambda response: tab.responses.append(response))
    return tab


def search(tab, query: str) -> list[dict]:
    """Types the query into the header search box with real key events; the results, top first."""
    box = tab.locator(".md-search__input")
    magnifier = tab.locator(".md-header__button[for=__search]")
    if magnifier.is_visible():  # a phone: the search opens from the magnifier in the header
        magnifier.click()
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=15)
    tab.wait_for_function("q => document.querySelector('.md-search-result').dataset.query === q.trim()",
                          arg=query, timeout=20000)
    return results(tab)


def results(tab) -> list[dict]:
    items = tab.locator(".md-search-result__item:not(.amp-search-more)")
    return [{"title": item.locator("h1").inner_text(), "excerpt": item.locator("p").inner_text(),
             "href": item.locator("a").get_attribute("href")} for item in items.all()]


def slow_4g(tab):
    """Simulated slow 4G, as Lighthouse's mobile run: 150 ms round trip, 1.6 Mbit/s down."""
    cdp = tab.context.new_cdp_session(tab)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 150,
                                                 "downloadThroughput": 1.6 * 1024 * 1024 / 8,
                                                 "uploadThroughput": 750 * 1024 / 8})


def layout_shift(tab) -> float:
    """How far the page moved by itself since it was opened (cumulative layout shift), once it is idle."""
    tab.wait_for_load_state("networkidle")
    return tab.evaluate("""() => new Promise(resolve => {
      let total = 0;
      new PerformanceObserver(list => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
      }).observe({ type: 'layout-shift', buffered: true });
      setTimeout(() => resolve(total), 500);
    })""")
