"""Reading the link-check history (data/link_status.yaml) for the pages.

The file is written by scripts/check_links.py; a missing file means «ещё не проверялась».
"""

from __future__ import annotations

from pathlib import Path

from .problems import Problem
from .yamlsource import read_yaml


def read_status(path: Path, base: Path) -> tuple[dict[str, dict], list[Problem]]:
    """{url: entry}. An unreadable file is an error (never a silently empty status)."""
    if not path.is_file():
        return {}, []
    shown = path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)
    parsed, problems = read_yaml(path, shown)
    if parsed is None:
        return {}, problems
    links = parsed.data.get("links")
    if not isinstance(links, dict):
        return {}, [Problem(shown, 1, "links", "ожидался словарь «адрес: состояние»")]
    return links, []
