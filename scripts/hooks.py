"""MkDocs hooks: pages are regenerated from data/ before every build, so `mkdocs serve`
picks up a coordinator's data change as soon as the file is saved (mkdocs.yml watches data/).

Invalid data stops the build with the validator's Russian messages, before docs/ is touched.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent))

from amp.pages import GENERATED_PATHS  # noqa: E402
from amp.problems import errors  # noqa: E402
from amp.writer import write_tree  # noqa: E402
from generate import build_files  # noqa: E402


def on_pre_build(config) -> None:
    project = Path(config.config_file_path).parent
    files, problems = build_files(project / "data")
    if files is None:
        text = "\n".join(p.format() for p in errors(problems))
        raise PluginError("Данные не прошли проверку, сайт не собран:\n" + text)
    write_tree(Path(config.docs_dir), files, GENERATED_PATHS)
