"""Shared fixtures: the project's paths, datasets, and one real build of the site per session."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from projectpaths import FIXTURES, ROOT  # noqa: E402

from amp.load import load  # noqa: E402
from amp.pages import GENERATED_PATHS  # noqa: E402


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


def copy_project(target: Path, data: Path) -> Path:
    """A copy of the project (hand-written files only) with the given data, to build in isolation."""
    for name in ("mkdocs.yml", "overrides", "scripts"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target / name)
    shutil.copytree(ROOT / "docs", target / "docs",
                    ignore=lambda folder, names: [n for n in names if Path(folder) == ROOT / "docs" and n in GENERATED_PATHS])
    shutil.copytree(data, target / "data")
    return target


def build_site(project: Path) -> subprocess.CompletedProcess:
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin"}
    generate = subprocess.run([sys.executable, "scripts/generate.py"], cwd=project, capture_output=True, text=True, env=env)
    if generate.returncode:
        return generate
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"],
                          cwd=project, capture_output=True, text=True, env=env)


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
