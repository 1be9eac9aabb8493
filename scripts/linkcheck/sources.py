"""Where the URLs to check come from: a text file of URLs (the data/ folder is read by scripts/check_links.py)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def read_url_file(path: Path) -> list[str]:
    """One URL per line; blank lines and lines starting with ``#`` are skipped.

    Only whole-line comments: a ``#`` inside a URL is its fragment, and a
    raw path may contain spaces, so the line is taken as it is.
    """
    urls = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        text = line.strip()
        if text and not text.startswith("#"):
            urls.append(text)
    return urls


def group_owners(pairs: Iterable[tuple[str, str]]) -> tuple[list[str], dict[str, list[str]]]:
    """URLs in first-seen order and, for each, who references it."""
    owners: dict[str, list[str]] = {}
    for url, owner in pairs:
        url = url.strip()
        if not url:
            continue
        bucket = owners.setdefault(url, [])
        if owner and owner not in bucket:
            bucket.append(owner)
    return list(owners), owners
