"""Reading the built site's search index (Pagefind's bundle in site/pagefind/) as the browser gets it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


def entry(site: Path) -> dict:
    """Languages of the index and its version (pagefind-entry.json)."""
    return json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))


def fragments(site: Path) -> list[dict]:
    """Every indexed page: url, title (meta.title), its text (content) and headings (anchors)."""
    found = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(SIGNATURE), path
        found.append(json.loads(raw[len(SIGNATURE):]))
    assert found, f"в {site} нет индекса поиска"
    return found
