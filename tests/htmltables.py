"""Reading a built page back as a person sees it: tables as rows of cell texts, list items, cards."""

from __future__ import annotations

import re
from html.parser import HTMLParser


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.items: list[str] = []
        self._cell: list[str] | None = None
        self._items: list[list[str]] = []
        self._skip = 0  # heading permalinks (¶) are not content

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and "headerlink" in (attributes.get("class") or ""):
            self._skip += 1
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []
        elif tag == "li":
            self._items.append([])

    def handle_endtag(self, tag):
        if tag == "a" and self._skip:
            self._skip -= 1
        if tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(_clean("".join(self._cell)))
            self._cell = None
        elif tag == "li" and self._items:
            text = _clean("".join(self._items.pop()))
            self.items.append(text)
            if self._items:
                self._items[-1].append(text)

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        if self._items:
            self._items[-1].append(data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def table_with_header(html: str, first_header: str) -> list[dict[str, str]]:
    """The table whose first header cell is `first_header`, as a list of {header: cell text}."""
    for table in read(html).tables:
        if table and table[0] and table[0][0] == first_header:
            header, *rows = table
            assert all(len(row) == len(header) for row in rows), (header, rows)
            return [dict(zip(header, row)) for row in rows]
    raise AssertionError(f"нет таблицы со столбцом «{first_header}»")
