"""The project's own stylesheets and scripts, each kind as one file made at build time.

Separate files under docs/stylesheets/ and docs/javascripts/ are easy to edit; a reader's browser
would fetch each before the first paint. The build joins them (scripts/hooks.py): one stylesheet,
one asynchronous script, the sources themselves no longer published. Same sources, same bytes.
"""

from __future__ import annotations

from pathlib import Path

# What the site links (mkdocs.yml: extra_css, extra_javascript with async).
STYLESHEET = "assets/amp.css"
SCRIPT = "assets/amp.js"
FOLDERS = {STYLESHEET: ("stylesheets", ".css"), SCRIPT: ("javascripts", ".js")}

# Scripts run in this order: ready.js first (when the others start, as the script is loaded asynchronously),
# school-filter.js uses the search that site-search.js sets up.
# Files not named here follow in alphabetical order, so a new file is bundled without a change here.
ORDER = {
    STYLESHEET: ("amp.css", "search.css"),
    SCRIPT: ("ready.js", "tablesort.js", "site-search.js", "school-filter.js", "accessibility.js", "offline.js"),
}


def sources(docs: Path, bundle: str) -> list[str]:
    """The source paths (relative to docs/) joined into `bundle`, in their fixed order."""
    folder, suffix = FOLDERS[bundle]
    present = sorted(p.name for p in (docs / folder).glob("*" + suffix) if p.is_file())
    named = [name for name in ORDER[bundle] if name in present]
    return [f"{folder}/{name}" for name in named + [n for n in present if n not in named]]


def join(parts: list[tuple[str, str]]) -> str:
    """One file from (source path, text) pairs; each part is marked with its source for debugging."""
    # A script ends with «;» and a line break: the next file cannot continue its last statement.
    return "".join(f"/* {path} */\n{text.rstrip()}\n" + (";\n" if path.endswith(".js") else "\n")
                   for path, text in parts)


def make(docs: Path) -> dict[str, str]:
    """Each bundle's text, read from the sources now (so `mkdocs serve` shows every edit)."""
    return {bundle: join([(path, (docs / path).read_text(encoding="utf-8")) for path in sources(docs, bundle)])
            for bundle in FOLDERS}
