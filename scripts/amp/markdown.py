"""Making text from data/ safe inside Markdown, and URLs safe inside links.

Every value a template prints passes through `escape` (the Jinja `finalize` hook), so a school
name like `<script>` or `**bold**` shows as typed. Entities are used rather than backslashes
because they mean the same in every Markdown engine and inside table cells.
"""

from __future__ import annotations

import functools
import re

from linkcheck.urlnorm import normalize_url
from markupsafe import Markup

_ENTITIES = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "&#92;", "`": "&#96;", "*": "&#42;", "_": "&#95;",
    "[": "&#91;", "]": "&#93;", "{": "&#123;", "}": "&#125;", "|": "&#124;", "#": "&#35;",
    "!": "&#33;", "~": "&#126;", "^": "&#94;", "$": "&#36;", "=": "&#61;"
}
_SPECIAL = re.compile("[" + re.escape("".join(_ENTITIES)) + "]")
# At the start of a line these would open a list («1. », «- ») or a quote («>»).
_LEADING = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+](?=\s|$)|>)")


def escape(value: object) -> str:
    """Plain text → Markdown that renders as exactly that text, on one line."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        # An unknown value must never render as an empty cell: templates say «нет данных» themselves.
        raise ValueError("попытка вывести пустое значение (None) без пометки «нет данных»")
    text = re.sub(r"\s+", " ", str(value))  # one line: a newline would break a table row
    text = _SPECIAL.sub(lambda m: _ENTITIES[m.group(0)], text)
    return _LEADING.sub(lambda m: (m.group(1) + f"&#{ord(m.group(2))};") if m.group(1) else f"&#{ord(m.group(3))};", text)


def attribute(value: object) -> Markup:
    """Plain text → the value of a double-quoted HTML attribute in a raw HTML block: escaped for
    Markdown and the macros like any printed text, and its quotes too, so it cannot end the attribute."""
    return Markup(escape(value).replace('"', "&quot;").replace("'", "&#39;"))


@functools.lru_cache(maxsize=65536)  # a document's address appears on its owner's page and on two lists
def href(url: str) -> Markup:
    """A URL for a link target, encoded exactly as the link checker requests it."""
    encoded = normalize_url(url)
    # Parentheses and quotes would end a Markdown link or an attribute early.
    return Markup(encoded.replace("(", "%28").replace(")", "%29").replace("'", "%27").replace('"', "%22"))
