"""Reading the link-check history (data/link_status.yaml) for the pages.

The file is written by scripts/check_links.py; a missing file means «ещё не проверялась».
A damaged one is refused with the validator's messages, never shown as silently empty.
"""

from __future__ import annotations

from pathlib import Path

from .model import LinkStatus, LinkStatusFile, nesting_depth
from .problems import Problem
from .schema_errors import check_schema
from .yamlsource import read_yaml


def read_status(path: Path, base: Path) -> tuple[dict[str, LinkStatus], list[Problem]]:
    """{url: status}, or {} with the problems that make the file unusable."""
    if not path.is_file():
        return {}, []
    shown = path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)
    # Written by the checker: one entry per published address, so larger than a coordinator's file.
    parsed, problems = read_yaml(path, shown, nesting_depth(LinkStatusFile), max_bytes=64 * 1024 * 1024)
    if parsed is None:
        return {}, problems
    record, problems = check_schema(parsed, LinkStatusFile)
    if record is None:
        return {}, problems
    return dict(record.links), []
