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
from .linkstatus import read_status
from .load import load
from .pages import render_fragment, render_glossary, render_pages
from .problems import Problem, errors, warnings


@dataclass
class Build:
    """A validated dataset and everything generated from it, keyed by path under docs/."""

    dataset: Dataset
    problems: list[Problem]  # warnings only: a Build never exists with errors
    link_status: dict
    files: dict[str, str | bytes] = field(default_factory=dict)
    glossary: str = ""
    history: History = field(default_factory=lambda: History(known=False))

    def last_changed(self, page: str) -> str:
        """When the data of a generated page last changed, in words («дата неизвестна» without history)."""
        source = data_file_of(page)
        day = self.history.last_changed.get(source) if source else None
        return day.strftime("%d.%m.%Y") if day else "дата неизвестна"

    def fragment(self, name: str) -> str:
        return render_fragment(name, self.dataset, self.problems, self.link_status)


def prepare(data: Path, base: Path | None = None) -> tuple[Build | None, list[Problem]]:
    """Every generated file, or None with the problems that prevent building any of them."""
    dataset, problems = load(data, base)
    if dataset is None:
        return None, problems
    status, status_problems = read_status(data / "link_status.yaml", base or data.parent)
    if errors(status_problems):
        return None, problems + status_problems
    found = warnings(problems)
    history = read_history(data)
    files = render_pages(dataset, found, status, history)
    files.update(render_downloads(dataset, status))
    return Build(dataset, found, status, files, render_glossary(dataset), history), problems


# The build in progress: set by the hook in on_config, read by the macros when a page is rendered
# (the macros plugin loads its module before the hook has read the data).
current: Build | None = None
