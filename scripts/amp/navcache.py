"""Material's menu drawn once per folder for the pages outside it.

Material draws the whole menu into every page: a third of a school page's HTML and nearly half of the
time to write it, 12 000 times at 10 000 schools. A page that is not in the menu marks no item as the
current one, so the menu comes out the same for every such page of one folder (every school, every
municipality), links included: they are relative to the folder. overrides/partials/nav.html asks here
whether it may reuse the menu drawn for the folder; the menu itself is always Material's own
partials/nav.html, reached under the prefix «material/» past the override of the same name.
"""

from __future__ import annotations

import posixpath

import jinja2
from markupsafe import Markup

PREFIX = "material"


def install(env: jinja2.Environment, theme_dirs: list[str], custom_dir: str | None, in_menu: set[str]) -> None:
    """Make the theme's own templates reachable as «material/…» and give the override its cache.

    `in_menu`: the source paths of the pages in the menu (their menus differ: one item is current)."""
    theme = jinja2.FileSystemLoader([d for d in theme_dirs if d != custom_dir])
    env.loader = jinja2.ChoiceLoader([env.loader, jinja2.PrefixLoader({PREFIX: theme})])
    drawn: dict[str, Markup] = {}

    def folder(page) -> str | None:
        """The key of the menu this page can share, or None: draw it for this page alone."""
        if page is None or page.file.src_uri in in_menu:
            return None
        return posixpath.dirname(page.url.rstrip("/"))

    def keep(key: str, html: str) -> Markup:
        drawn[key] = Markup(html)  # Material's output, already HTML
        return drawn[key]

    env.globals.update(amp_menu_folder=folder, amp_menu_drawn=drawn, amp_menu_keep=keep)
