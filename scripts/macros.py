"""Macros for the hand-written pages (index.md, guide.md): figures and fragments from data/.

Loaded by mkdocs-macros-plugin (module_name: scripts/macros). Each macro renders through the same
escaping templates as the generator; invalid data stops the build with the validator's messages.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from amp.load import load  # noqa: E402
from amp.pages import render_fragment  # noqa: E402
from amp.problems import errors, warnings  # noqa: E402


def define_env(env) -> None:
    data = Path(env.project_dir) / "data"
    dataset, problems = load(data)
    if dataset is None:
        text = "\n".join(p.format() for p in errors(problems))
        raise RuntimeError("Данные не прошли проверку, сайт не собран:\n" + text)

    @env.macro
    def fragment(name: str) -> str:
        """A rendered piece of a page: templates/fragments/<name>.md.j2."""
        return render_fragment(name, dataset, warnings(problems))
