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

    @env.macro
    def contribute() -> str:
        """«Как предложить изменение»: the repository and CONTRIBUTING.md when mkdocs.yml names the
        repository, and who receives a spreadsheet when it names the feedback address."""
        if build.current is None:
            raise RuntimeError("данные не загружены: сборка идёт без scripts/hooks.py")
        config = env.conf
        return build.current.fragment("contribute", **contribute_settings(config.get("repo_url"), config.get("edit_uri"),
                                                                          config["extra"].get("feedback_email")))


def contribute_settings(repo_url: str | None, edit_uri: str | None, feedback_email: str | None) -> dict:
    """What the «contribute» fragment shows, from mkdocs.yml (the address is checked by the hook)."""
    from markupsafe import Markup

    parts = (edit_uri or "").strip("/").split("/")
    branch = parts[1] if len(parts) > 1 and parts[0] == "edit" else "main"
    repo = repo_url.rstrip("/") if repo_url else None
    return {
        "repo_url": repo,
        "contributing_url": f"{repo}/blob/{branch}/CONTRIBUTING.md" if repo else None,
        "feedback_email": feedback_email,
        # The address has only [A-Za-z0-9._%+-@] (amp.feedback): safe as a link target as it is.
        "feedback_href": Markup(f"mailto:{feedback_email}") if feedback_email else None,
    }
