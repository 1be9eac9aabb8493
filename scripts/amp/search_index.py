"""The site's search index: Pagefind over the built HTML (Russian stemming, the index in chunks).

Pagefind reads what the theme marks with data-pagefind-body (the article of each page, see
overrides/main.html) and writes site/pagefind/: the browser loads only the chunks a query needs
(docs/javascripts/site-search.js). The PyPI package `pagefind[extended]` ships the binary.

The index is built from the written site by Pagefind's command line after MkDocs (2 s for 1 000
schools): by the hook after `mkdocs build`, or — `make site` — by scripts/search_index.py once MkDocs
has exited, so that the two never hold their memory at once (at 10 000 schools 0.7 GB and 1.4 GB).
Pagefind's Python API could take pages while they are built, but its reader waits 0.1 s for each
answer: 120 s for 1 000 schools, so it is not used. `mkdocs serve` indexes the written site in the
background, so pages show first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
_running: subprocess.Popen | None = None


def index(site_dir: Path) -> None:
    """Index a built site anew; raises SearchIndexError when no usable index came out."""
    shutil.rmtree(site_dir / BUNDLE, ignore_errors=True)  # Pagefind adds to an existing bundle
    build(site_dir)


def refresh(site_dir: Path) -> None:
    """After a build: index the written site (serve: in the background)."""
    global _running
    stop()
    if not serving:
        index(site_dir)
        return
    shutil.rmtree(site_dir / BUNDLE, ignore_errors=True)
    # At a lower priority: the next edit's rebuild must not wait for the CPU behind the indexing.
    _running = subprocess.Popen(command(site_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                preexec_fn=lambda: os.nice(10))


def stop() -> None:
    """A build failed or serve stops: no indexing of an earlier build goes on."""
    global _running
    if _running is not None and _running.poll() is None:
        _running.kill()
        _running.wait()
    _running = None
