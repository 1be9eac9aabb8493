"""`mkdocs serve` after a coordinator's edit: render again only the pages the changed files can change.

The usual edit touches school files. Their own pages change, and so may every page that names those
schools: their municipalities (before and after the edit), schools paired with them in a report,
and the pages built from all schools at once (lists, groups, reports, monitoring, data quality) —
records of other kinds are not affected. Any other change (programme, a municipality, a template,
the link history) renders everything, as a build does.
"""

from __future__ import annotations

from .addresses import LIST_PAGES, RECORD_PAGES
from .derive import Dataset
from .pages import Site


def pages_to_render(previous_files: dict[str, str], before: Dataset, after: Dataset,
                    changed: set[str]) -> set[str] | None:
    """Paths to render again, or None for every page."""
    if not changed or any(not key.startswith("schools/") for key in changed):
        return None
    schools = {key.split("/", 1)[1] for key in changed}
    for report in after.reports.values():
        for pair in report.curator_pairs:
            if pair.curator in schools or pair.school in schools:
                schools |= {pair.curator, pair.school}
    # The municipalities of these schools, before and after the edit: their pages and school counts.
    places = {school.municipality for dataset in (before, after) for school_id in schools
              if (school := dataset.schools.get(school_id)) is not None and school.municipality is not None}
    wanted = {RECORD_PAGES["schools"].format(school_id) for school_id in schools}
    wanted |= {RECORD_PAGES["municipalities"].format(place) for place in places}
    # Pages of single schools and municipalities not named above cannot have changed, nor can the
    # numbered pages of long lists that neither hold these schools nor moved; all others might.
    lists = {path for kind in LIST_PAGES for path in _list_pages_to_render(kind, before, after, schools, places)}
    own_pages = tuple(RECORD_PAGES[kind].split("{}")[0] for kind in ("schools", "municipalities"))
    list_folders = tuple(address.split("{}")[0] for address in LIST_PAGES.values())
    # A monitoring table's page names municipalities and scores, never schools.
    directions = RECORD_PAGES["directions"].split("{}")[0]
    wanted |= {path for path in previous_files
               if not path.startswith(own_pages + list_folders) or path.endswith("/index.md")}
    return {path for path in wanted if not path.startswith(directions) or path.endswith("/index.md")} | lists


# The rows of the last datasets seen: this edit's «after» is the next edit's «before».
_seen: list[tuple[Dataset, str, dict]] = []


def _rows(kind: str, dataset: Dataset) -> dict[str, list]:
    """{numbered page: the ids of its rows} of one long list (paging.py)."""
    for known, known_kind, rows in _seen:
        if known is dataset and known_kind == kind:
            return rows
    rows = _page_rows(kind, dataset)
    _seen.append((dataset, kind, rows))
    del _seen[:-2 * len(LIST_PAGES)]
    return rows


def _page_rows(kind: str, dataset: Dataset) -> dict[str, list]:
    site = Site(dataset, {})
    found = {}
    for page in site.list_pages(kind):
        if page.path is not None:
            found[page.path] = [row.id if kind in ("schools", "municipalities") else (row[0], row[1].id, row[2].id)
                                for row in page.rows()]
    return found


def _list_pages_to_render(kind: str, before: Dataset, after: Dataset, schools: set[str],
                          places: set[str]) -> set[str]:
    """`places`: the municipalities of the changed schools, before and after (their school counts)."""
    old, new = _rows(kind, before), _rows(kind, after)
    if old.keys() != new.keys():  # pages appeared or went: every pager changes
        return set(new)

    def names(row) -> bool:
        if kind == "municipalities":
            return row in places
        return (row if kind == "schools" else row[1] if row[0] == "schools" else None) in schools

    return {path for path, rows in new.items() if rows != old[path] or any(names(row) for row in rows)}
