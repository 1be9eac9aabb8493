"""Where the project and the test fixtures are, and how to build a copy of the site.

Imported by tests directly: two conftest.py files (here and in linkcheck/) share a module name.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

from amp.pages import GENERATED_PATHS  # noqa: E402


def copy_project(target: Path, data: Path) -> Path:
    """A copy of the project (hand-written files only) with the given data, to build in isolation."""
    target.mkdir(parents=True, exist_ok=True)
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
