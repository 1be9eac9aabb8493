"""Where the project and the test fixtures are, and how to build a copy of the site.

Imported by tests directly: two conftest.py files (here and in linkcheck/) share a module name.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A snapshot of the seed data (see its README): tests of the documents' own figures read it, not data/.
SEED = FIXTURES / "seed-snapshot" / "data"
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))


def copy_project(target: Path, data: Path) -> Path:
    """A copy of the project's site sources with the given data, to change and build in isolation."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "overrides", "scripts", "docs"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target / name)
    shutil.copytree(data, target / "data")
    return target


def edit_record(path: Path, change) -> None:
    """Reads a data file as YAML, lets `change` modify the record in place and writes it back."""
    import yaml

    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


def replace_in(path: Path, *changes: tuple[str, str]) -> None:
    """Edits a data file as a person would in an editor: each (old, new) replaces the first `old`, which
    must be there, so a test cannot pass because its edit quietly changed nothing."""
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, f"{path.name}: нет «{old}»"
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def mkdocs_env(**extra: str) -> dict[str, str]:
    return {"NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", **extra}


def build_site(project: Path, **env: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of a project copy into its site/: the hook generates the pages."""
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"],
                          cwd=project, capture_output=True, text=True, env=mkdocs_env(**env))
