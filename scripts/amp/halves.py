"""`mkdocs build` on two cores: a forked helper renders half of the generated pages.

MkDocs converts and writes pages one after another, on one core. For a large site the hook forks in
on_nav, once the files and the menu are known, and both processes go on with the same build, each
marking the pages it does not build as excluded, so that MkDocs neither converts nor writes them there.
The helper builds every second generated page outside the menu, straight into the site folder; what else
it would write (theme files, 404 page, sitemap) goes into a scratch folder that is thrown away, and it
copies no static files. The main process builds everything else as usual.

Nothing is checked less than in one process: between converting and writing (on_env) the two swap the
anchors of their pages (each then checks its own pages' links to anchors), and the main process gives the
helper the titles and metadata of the menu's pages, which it shows in its menus but does not build. The
helper's warnings are printed as they come and counted: under --strict the build fails on them as on the
main process's own; its errors stop the build.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import signal
import sys
import tempfile
import traceback
from multiprocessing.connection import Connection, Pipe

from mkdocs.exceptions import BuildError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks")

# Below this many generated pages a second process saves less than it costs to start.
MIN_PAGES = 500
EXCLUDED_LINK = "which is excluded from the built site"


class HelperFailed(RuntimeError):
    """The helper process did not build its pages."""


def wanted(generated: int) -> bool:
    """Two processes: AMP_BUILD_PROCESSES=1 or 2 decides; otherwise a large site on a machine with two cores.
    Never where processes cannot fork (Windows)."""
    if not hasattr(os, "fork"):
        return False
    chosen = os.environ.get("AMP_BUILD_PROCESSES", "").strip()
    if chosen in ("1", "2"):
        return chosen == "2"
    return generated >= MIN_PAGES and (os.cpu_count() or 1) >= 2


def helper_share(files: Files, in_menu: set[str], generated: set[str]) -> list[File]:
    """Every second generated page outside the menu (`in_menu`: its pages' paths), in address order."""
    candidates = sorted((f for f in files.documentation_pages() if f.src_uri in generated and f.src_uri not in in_menu),
                        key=lambda f: f.src_uri)
    return candidates[1::2]


class _Counter(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class _OtherShare(logging.Filter):
    """MkDocs notes every link to a page the other process builds as «excluded»: it is not."""

    def filter(self, record: logging.LogRecord) -> bool:
        return EXCLUDED_LINK not in record.getMessage()


class Split:
    """One build shared by two processes; `helper` is True in the forked one."""

    def __init__(self, files: Files, nav: Navigation, config, share: list[File]):
        self.share = {f.src_uri for f in share}
        self._files, self._nav, self._config = files, nav, config
        self._filter = _OtherShare()
        logging.getLogger("mkdocs.structure.pages").addFilter(self._filter)
        ours, theirs = Pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        gc.freeze()  # what exists now is never collected, so neither process copies its memory to scan it
        pid = os.fork()
        self.helper = pid == 0
        if self.helper:
            ours.close()
            self._channel: Connection = theirs
            self._counter = _Counter()
            logging.getLogger("mkdocs").addHandler(self._counter)
            self._scratch = tempfile.mkdtemp(prefix="amp-helper-")
            config.site_dir = self._scratch  # theme files, 404 page, sitemap: the main process writes them
            for file in files.documentation_pages():
                if file.src_uri not in self.share:
                    file.inclusion = InclusionLevel.EXCLUDED
        else:
            theirs.close()
            self._channel = ours
            self._pid = pid
            for file in share:
                file.inclusion = InclusionLevel.EXCLUDED
            log.info(f"Страницы собирают два процесса: второй — {len(share)} из {len(files.documentation_pages()) + len(share)}")

    # -- on_env: both have converted their pages ------------------------------------------------------

    def swap(self, files: Files) -> None:
        """Each learns the other's anchors; the helper also the menu pages' titles and metadata."""
        if self.helper:
            self._channel.send(_anchors(files, lambda f: f.src_uri in self.share))
            anchors, menu = self._channel.recv()
            _set_anchors(files, anchors, self._config)
            for page in self._nav.pages:
                title, meta = menu.get(page.file.src_uri, (None, {}))
                page.title, page.meta = title, meta
            # The helper copies no static files: the main process does.
            for file in [f for f in files if not f.is_documentation_page()]:
                files.remove(file)
        else:
            message = self._channel.recv()
            if isinstance(message, str):
                raise HelperFailed(message)
            _set_anchors(files, message, self._config)
            menu = {page.file.src_uri: (page.title, page.meta) for page in self._nav.pages}
            self._channel.send((_anchors(files, lambda f: f.src_uri not in self.share), menu))

    # -- sitemap.xml: the main process writes it --------------------------------------------------------

    def every_page(self) -> list[File]:
        """Every page of the site in the order one process lists them, the helper's too (MkDocs would leave
        them out of the sitemap as excluded). A helper's page gets the Page MkDocs gives every page it reads:
        its address and date, which is all the sitemap shows; the main process still does not build it."""
        pages = [f for f in self._files
                 if f.is_documentation_page() and (f.inclusion.is_included() or f.src_uri in self.share)]
        for file in pages:
            if file.page is None:
                Page(None, file, self._config)
        return pages

    # -- the end -------------------------------------------------------------------------------------

    def end(self) -> None:
        """After the pages are written: the helper reports and leaves (MkDocs must not go on there); the
        main process waits for it and logs its warnings as one MkDocs warning (--strict then fails)."""
        if self.helper:
            self.leave()
        message: int | str = "второй процесс сборки завершился без ответа"
        try:
            message = self._channel.recv()
        except (EOFError, OSError):
            pass
        finally:
            self.stop(kill=not isinstance(message, int))  # a helper that reported is exiting by itself
        if isinstance(message, str):
            raise HelperFailed(message)
        if message:
            log.warning(f"во втором процессе сборки предупреждений: {message} (см. выше)")

    def leave(self, error: BaseException | None = None) -> None:
        """In the helper: report to the main process and exit."""
        try:
            shutil.rmtree(self._scratch, ignore_errors=True)
            sys.stdout.flush()
            sys.stderr.flush()
            if error is None:
                self._channel.send(self._counter.count)
            else:
                # MkDocs has printed a build error already; anything else is a fault worth its traceback.
                known = isinstance(error, BuildError)
                self._channel.send(str(error) if known else "".join(traceback.format_exception(error, limit=8)))
            self._channel.close()
        finally:
            os._exit(0 if error is None else 1)

    def fail(self, error: BaseException) -> None:
        """The build failed in this process: the helper reports and exits, the main process ends the helper."""
        if self.helper:
            self.leave(error)
        self.stop()

    def stop(self, kill: bool = True) -> None:
        """In the main process: end the helper (`kill=False`: it has reported and is exiting by itself)
        and stop hiding its pages' notes."""
        logging.getLogger("mkdocs.structure.pages").removeFilter(self._filter)
        if self.helper or self._pid is None:
            return
        if kill:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.waitpid(self._pid, 0)
        except ChildProcessError:
            pass
        self._pid = None
        self._channel.close()


def _anchors(files: Files, chosen) -> dict[str, list[str]]:
    return {f.src_uri: sorted(f.page.present_anchor_ids) for f in files.documentation_pages()
            if chosen(f) and f.page is not None and f.page.present_anchor_ids is not None}


def _set_anchors(files: Files, anchors: dict[str, list[str]], config) -> None:
    for uri, ids in anchors.items():
        file = files.get_file_from_path(uri)
        if file is None:
            continue
        page = file.page or Page(None, file, config)
        page.present_anchor_ids = set(ids)
