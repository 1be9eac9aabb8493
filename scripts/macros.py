"""Macros for the hand-written pages (index.md, guide.md): figures and fragments from data/.

Loaded by mkdocs-macros-plugin (module_name: scripts/macros). The data is the build's own,
read once by scripts/hooks.py; each fragment renders through the generator's escaping templates.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from amp import build  # noqa: E402


def define_env(env) -> None:
    @env.macro
    def fragment(name: str) -> str:
        """A rendered piece of a page: templates/fragments/<name>.md.j2."""
        if build.current is None:
            raise RuntimeError("данные не загружены: сборка идёт без scripts/hooks.py")
        return build.current.fragment(name)
