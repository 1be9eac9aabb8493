"""One build's worth of data: read and checked once, then turned into every generated file.

The MkDocs hook (scripts/hooks.py) calls `prepare` once per build and hands the result to MkDocs
as virtual files; the macros on hand-written pages render their fragments from the same object.
Nothing here writes to disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .addresses import data_file_of
from .changelog import History, read_history
from .derive import Dataset
from .exports import render_downloads
from .feeds import Publication, render_feeds
from .linkstatus import LinkStatuses, read_status
from . import incremental
from . import load as loading
from .load import load
from .pages import glossary_terms, render_fragment, render_pages
from .problems import Problem, warnings


@dataclass
class Build:
    """A validated dataset and everything generated from it, keyed by path under docs/."""

    dataset: Dataset
    problems: list[Problem]  # warnings only: a Build never exists with errors
    link_status: LinkStatuses
    files: dict[str, str | bytes] = field(default_factory=dict)
    glossary: dict[str, str] = field(default_factory=dict)  # abbreviation → explanation
    status_stamp: tuple | None = None  # the link history file as read: serve renders all again if it changes
    history: History = field(default_factory=lambda: History(known=False))
    # What of the link history could not be read (warnings; those links show «нет данных»).
    status_problems: list[Problem] = field(default_factory=list)

    def last_changed(self, page: str) -> str:
        """When the data of a generated page last changed, in words («дата неизвестна» without history)."""
        source = data_file_of(page)
        day = self.history.last_changed.get(source) if source else None
        return day.strftime("%d.%m.%Y") if day else "дата неизвестна"

    def fragment(self, name: str, **settings) -> str:
        return render_fragment(name, self.dataset, self.problems, self.link_status, **settings)


def prepare(data: Path, base: Path | None = None, previous: Build | None = None,
            downloads: bool = True, loaded=None,
            where: Publication = Publication()) -> tuple[Build | None, list[Problem]]:
    """Every generated file, or None with the problems that prevent building any of them.

    `previous`: the last build of the same data under `mkdocs serve` (with load.cache on); only the
    pages that the changed files can change are rendered again (incremental.py).
    `downloads=False`: pages only; the hook has the downloads made beside MkDocs (downloads.py).
    `loaded(dataset, link_status)`: called once the data has passed the checks, before the pages are made.
    `where`: the site's address and name (mkdocs.yml), for the links of the feeds (feeds.py)."""
    dataset, problems = load(data, base)
    if dataset is None:
        return None, problems
    status_path = data / "link_status.yaml"
    # A damaged history never stops the site: its unreadable entries are warnings (linkstatus.py).
    status, status_problems = _read_status(status_path, base or data.parent)
    found = warnings(problems)
    if loaded is not None:
        loaded(dataset, status)
    only = None
    if previous is not None and loading.cache is not None and previous.status_stamp == _stamp(status_path):
        only = incremental.pages_to_render(previous.files, previous.dataset, dataset, loading.cache.changed)
    history = read_history(data)
    files = render_pages(dataset, found, status, history, only=only, status_problems=status_problems)
    if only is not None:
        files.update({path: text for path, text in previous.files.items() if path.endswith(".md") and path not in only})
        files = dict(sorted(files.items()))
    files.update(render_feeds(dataset, history, where))  # cheap: made again on every serve rebuild
    if downloads:
        files.update(render_downloads(dataset, status))
    return (Build(dataset, found, status, files, glossary_terms(dataset), _stamp(status_path), history, status_problems),
            problems + status_problems)


# Under `mkdocs serve`: the link history as last read, (stamp, result); thousands of entries are
# parsed again only when the checker has written the file since.
_status_read: tuple | None = None


def _read_status(path: Path, base: Path):
    global _status_read
    stamp = (str(path), _stamp(path))
    if loading.cache is not None and _status_read is not None and _status_read[0] == stamp:
        return _status_read[1]
    found = read_status(path, base)
    if loading.cache is not None:
        _status_read = (stamp, found)
    return found


def _stamp(path: Path) -> tuple | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


# The build in progress: set by the hook in on_config, read by the macros when a page is rendered
# (the macros plugin loads its module before the hook has read the data).
current: Build | None = None
# Under `mkdocs serve`: the files of the build before `current`, to tell which pages changed.
previous_files: dict[str, str | bytes] = {}
# Set once by the hook's on_startup (the hook module itself is reloaded for every serve rebuild).
serving = False
# The data errors of the build in progress (the preview shows them instead of the site).
errors_found: list[Problem] = []
# The downloads being made beside MkDocs (downloads.Job), kept here because serve reloads the hook.
downloads_job = None
# A build shared with a second process (halves.Split), from on_nav to on_post_build.
split = None
# The source paths of the pages in the site's menu (from on_nav; navcache.py).
menu_pages: set[str] = set()
# Serve: the first build's long-lived objects have been frozen out of garbage collection (hooks.py).
heap_frozen = False
