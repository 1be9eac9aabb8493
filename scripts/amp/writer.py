"""Writing generated files under docs/ without touching hand-written pages.

Only paths in GENERATED_PATHS are ever written or removed. Unchanged files are left alone, so a
data change rewrites just the pages it affects; stale pages (a removed school) are deleted.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def owned(relative: str, roots: tuple[str, ...]) -> bool:
    first = relative.split("/", 1)[0]
    return first in roots or relative in roots


def existing_files(docs: Path, roots: tuple[str, ...]) -> set[str]:
    found = set()
    for root in roots:
        path = docs / root
        if path.is_file():
            found.add(root)
        elif path.is_dir():
            found.update(p.relative_to(docs).as_posix() for p in path.rglob("*") if p.is_file())
    return found


def write_tree(docs: Path, files: dict[str, str], roots: tuple[str, ...]) -> tuple[int, int]:
    """Make docs/ hold exactly `files` within `roots`. Returns (written, removed)."""
    stray = [name for name in files if not owned(name, roots)]
    if stray:
        raise ValueError(f"генератор пытается записать файлы вне своих папок: {stray}")
    written = removed = 0
    for name, text in files.items():
        target = docs / name
        data = text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, prefix=".tmp-") as tmp:
            tmp.write(data)
        os.replace(tmp.name, target)
        written += 1
    for name in sorted(existing_files(docs, roots) - set(files)):
        (docs / name).unlink()
        removed += 1
    for root in roots:
        path = docs / root
        if path.is_dir():
            for folder in sorted((p for p in path.rglob("*") if p.is_dir()), reverse=True):
                if not any(folder.iterdir()):
                    folder.rmdir()
    return written, removed
