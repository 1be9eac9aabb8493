"""Long lists on pages of whole municipalities, so that no page grows with the country.

A list is a sequence of (municipality, rows) in reading order. It fills pages of at most
ROWS_PER_PAGE rows without splitting a municipality, unless one municipality alone has more rows
than a page holds: then it continues over as many pages as it needs. A list that fits on one page
is shown on its own fixed page (the schools list on «Школы») and has no numbered pages.
"""

from __future__ import annotations

from dataclasses import dataclass

# About 300 table rows keep a page well under 400 KB of HTML and quick to open on a phone.
ROWS_PER_PAGE = 300
UNKNOWN = "муниципалитет не указан"


@dataclass(frozen=True)
class Section:
    municipality: object | None  # None: the documents do not name the municipality
    rows: list
    continued: bool = False  # the municipality's rows began on the previous page


@dataclass(frozen=True)
class ListPage:
    number: int  # from 1
    path: str | None  # under docs/; None when the whole list fits on its fixed page
    sections: list[Section]

    @property
    def count(self) -> int:
        return sum(len(section.rows) for section in self.sections)

    def rows(self) -> list:
        return [row for section in self.sections for row in section.rows]

    @property
    def span(self) -> str:
        """The municipalities the page covers, as plain text: «Абазинский район — Балтайский район»."""
        first, last = (s.municipality.name if s.municipality is not None else UNKNOWN
                       for s in (self.sections[0], self.sections[-1]))
        return first if first == last else f"{first} — {last}"


def split(groups: list[tuple[object | None, list]], limit: int | None = None) -> list[list[Section]]:
    limit = limit or ROWS_PER_PAGE
    pages: list[list[Section]] = []
    current: list[Section] = []
    size = 0
    for municipality, rows in groups:
        if not rows:
            continue
        if current and size + len(rows) > limit:
            pages.append(current)
            current, size = [], 0
        for start in range(0, len(rows), limit):
            part = rows[start:start + limit]
            if start and current:
                pages.append(current)
                current, size = [], 0
            current.append(Section(municipality, part, continued=start > 0))
            size += len(part)
    if current or not pages:
        pages.append(current)
    return pages


def list_pages(address: str, groups: list[tuple[object | None, list]], limit: int | None = None) -> list[ListPage]:
    """The list's pages; `address` is the pattern of numbered pages (addresses.LIST_PAGES)."""
    chunks = split(groups, limit)
    if len(chunks) == 1:
        return [ListPage(1, None, chunks[0])]
    return [ListPage(number, address.format(number), chunk) for number, chunk in enumerate(chunks, start=1)]
