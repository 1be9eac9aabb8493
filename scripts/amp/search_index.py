"""The site's search index: Pagefind over the built HTML (Russian stemming, the index in chunks).

Pagefind reads what the theme marks with data-pagefind-body (the article of each page, see
overrides/main.html) and writes site/pagefind/: the browser loads only the chunks a query needs
(docs/javascripts/site-search.js). The PyPI package `pagefind[extended]` ships the binary.

A build hands each page to Pagefind as MkDocs finishes it (Stream, Pagefind's Python API): the
indexing runs in Pagefind's own process beside the build, on the second core, instead of after it.
`mkdocs serve --dirty` renders only changed pages, so it indexes the written site in the background.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import threading
from pathlib import Path

BUNDLE = "pagefind"
# Heading anchors («¶») would otherwise end every result title.
EXCLUDE_SELECTORS = ".headerlink"
LANGUAGE = "ru"


class SearchIndexError(RuntimeError):
    """Pagefind could not index the built site."""


def command(site_dir: Path) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", BUNDLE,
            "--force-language", LANGUAGE, "--exclude-selectors", EXCLUDE_SELECTORS, "--quiet"]


def check(site_dir: Path, result: subprocess.CompletedProcess) -> None:
    bundle = site_dir / BUNDLE
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind завершился с ошибкой (код {result.returncode}); поиск не построен:\n"
                               f"{result.stdout}\n{result.stderr}".strip())
    if not (bundle / "pagefind.js").is_file() or not any((bundle / "fragment").glob("*.pf_fragment")):
        raise SearchIndexError(f"Pagefind не записал индекс в {bundle}: ни одна страница не отмечена "
                               "data-pagefind-body (см. overrides/main.html)")


def build(site_dir: Path) -> None:
    """Index the built site in place; raises SearchIndexError when no usable index came out."""
    try:
        result = subprocess.run(command(site_dir), capture_output=True, text=True)
    except OSError as exc:
        raise SearchIndexError(f"Pagefind не запускается ({exc}); установите зависимости: make venv") from exc
    check(site_dir, result)


# `mkdocs serve` reloads the hooks module on every rebuild; this module stays, and so does its state.
serving = False  # set by the hook's on_startup: index in the background, so pages show first
stream: "Stream | None" = None  # the index being fed by the build in progress
_running: subprocess.Popen | None = None


def start(site_dir: Path) -> None:
    """Before a build: a build feeds Pagefind page by page; serve indexes the written site afterwards."""
    global stream
    stop()
    stream = None if serving else Stream(site_dir)


def add(url: str, html: str) -> None:
    if stream is not None:
        stream.add(url, html)


def refresh(site_dir: Path) -> None:
    """After a build: write the fed index, or (serve) start indexing the written site in the background."""
    global _running, stream
    if stream is not None:
        current, stream = stream, None
        current.finish()
        return
    shutil.rmtree(site_dir / BUNDLE, ignore_errors=True)  # Pagefind adds to an existing bundle
    if serving:
        _running = subprocess.Popen(command(site_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        build(site_dir)


def stop() -> None:
    """A build failed or serve stops: no indexing of an earlier build goes on."""
    global _running, stream
    if stream is not None:
        stream.abandon()
        stream = None
    if _running is not None and _running.poll() is None:
        _running.kill()
        _running.wait()
    _running = None


class Stream:
    """A Pagefind index fed page by page while MkDocs builds; `finish` writes site/pagefind/."""

    def __init__(self, site_dir: Path):
        from pagefind.index import IndexConfig, PagefindIndex

        self.bundle = site_dir / BUNDLE
        self.pages = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pagefind", daemon=True)
        self._thread.start()
        self._queue: asyncio.Queue = asyncio.Queue()
        config = IndexConfig(force_language=LANGUAGE, exclude_selectors=[EXCLUDE_SELECTORS],
                             output_path=str(self.bundle))
        self._done = asyncio.run_coroutine_threadsafe(self._session(PagefindIndex(config=config)), self._loop)

    async def _session(self, index) -> None:
        async with index:
            while True:
                page = await self._queue.get()
                if page is None:
                    break
                url, html = page
                await index.add_html_file(content=html, url=url)
        # Leaving the context wrote the bundle.

    def add(self, url: str, html: str) -> None:
        """A built page (its address from the site root, «/schools/x/»); returns at once."""
        self.pages += 1
        self._loop.call_soon_threadsafe(self._queue.put_nowait, (url, html))

    def finish(self) -> None:
        shutil.rmtree(self.bundle, ignore_errors=True)  # not that of an earlier build
        self._loop.call_soon_threadsafe(self._queue.put_nowait, None)
        try:
            self._done.result()
        except Exception as exc:  # the service's own errors: say which step failed
            raise SearchIndexError(f"Pagefind не построил индекс поиска: {exc}") from exc
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()
        if not (self.bundle / "pagefind.js").is_file() or not any((self.bundle / "fragment").glob("*.pf_fragment")):
            raise SearchIndexError(f"Pagefind не записал индекс в {self.bundle}: ни одна страница не отмечена "
                                   "data-pagefind-body (см. overrides/main.html)")

    def abandon(self) -> None:
        if self._loop.is_running():
            self._done.cancel()
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
