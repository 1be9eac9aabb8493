"""Shared fixtures: the project's paths, datasets, and one real build of the site per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from projectpaths import FIXTURES, ROOT, build_site, copy_project  # noqa: E402

from amp.load import load  # noqa: E402


@pytest.fixture(scope="session")
def real_dataset():
    dataset, problems = load(ROOT / "data")
    assert dataset is not None, [p.format() for p in problems]
    return dataset, problems


@pytest.fixture(scope="session")
def minimal_dataset():
    dataset, problems = load(FIXTURES / "minimal" / "data")
    assert dataset is not None, [p.format() for p in problems]
    return dataset, problems


@pytest.fixture(scope="session")
def built_real_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("real"), ROOT / "data")
    result = build_site(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def built_minimal_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("minimal"), FIXTURES / "minimal" / "data")
    result = build_site(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"
