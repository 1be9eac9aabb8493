"""Shared fixtures: the project's paths, datasets, and one real build of the site per session."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from projectpaths import FIXTURES, ROOT, SEED, build_site, copy_project  # noqa: E402

from amp.load import load  # noqa: E402


@pytest.fixture(scope="session")
def live_dataset():
    """data/ as it stands now: only figures computed from it may be asserted (a coordinator edits it)."""
    dataset, problems = load(ROOT / "data")
    assert dataset is not None, [p.format() for p in problems]
    return dataset, problems


@pytest.fixture(scope="session")
def seed_dataset():
    dataset, problems = load(SEED)
    assert dataset is not None, [p.format() for p in problems]
    return dataset, problems


@pytest.fixture(scope="session")
def minimal_dataset():
    dataset, problems = load(FIXTURES / "minimal" / "data")
    assert dataset is not None, [p.format() for p in problems]
    return dataset, problems


@pytest.fixture(scope="session")
def built_seed_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("seed"), SEED)
    result = build_site(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def built_minimal_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("minimal"), FIXTURES / "minimal" / "data")
    result = build_site(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


# --- a real browser on the built site (Debian's Chromium through Playwright) ---

# Debian's chromium here and in .ci/run; the GitHub workflow points CHROMIUM at the runner's Chrome.
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("в CI нужен Chromium (apt-get install chromium): .ci/run ставит его сам")
        pytest.skip("нет Chromium (apt-get install chromium): тесты в браузере пропущены")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield instance
        instance.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url(built_seed_site):
    handler = functools.partial(QuietHandler, directory=str(built_seed_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert errors == []
