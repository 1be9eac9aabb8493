"""The site's own feedback address (mkdocs.yml, `extra.feedback_email`): shown in the footer and on
«Для координаторов» when set. Checked once at the start of a build, so that neither the theme's
footer nor a page ever shows a mistyped address as the place to write to."""

from __future__ import annotations

import re

# An ordinary address: what the footer and a mailto: link may carry without any escaping.
_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def feedback_address(value: object) -> str | None:
    """The setting as the site uses it: None when unset or empty; ValueError (in Russian) when it is
    not an e-mail address."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.strip() if isinstance(value, str) else value
    if not isinstance(text, str) or not _ADDRESS.fullmatch(text):
        raise ValueError(f"mkdocs.yml: extra.feedback_email: неверный адрес для писем (ожидался адрес вида "
                         f"name@example.org или пустое значение; найдено: «{value}»)")
    return text
