"""Shared fixtures: the project's paths, datasets, and one real build of the site per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from projectpaths import FIXTURES, ROOT, SEED, build_site, copy_project  # noqa: E402

from amp.load import load  # noqa: E402
from browsing import chromium, open_tab, served  # noqa: E402


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


# --- a real browser on the built site (tests/browsing.py) ---


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def site_url(built_seed_site):
    with served(built_seed_site) as url:
        yield url


@pytest.fixture
def page(browser):
    tab = open_tab(browser)
    yield tab
    tab.context.close()
    assert tab.errors == []
