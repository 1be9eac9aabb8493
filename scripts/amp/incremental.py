"""`mkdocs serve` after a coordinator's edit: render again only the pages the changed files can change.

The usual edit touches school files. Their own pages change, and so may every page that names those
schools: their municipalities (before and after the edit), schools paired with them in a report,
and the pages built from all schools at once (lists, groups, reports, monitoring, data quality) —
records of other kinds are not affected. Any other change (programme, a municipality, a template,
the link history) renders everything, as a build does.
"""

from __future__ import annotations

from .addresses import RECORD_PAGES
from .derive import Dataset


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
    wanted = {RECORD_PAGES["schools"].format(school_id) for school_id in schools}
    for dataset in (before, after):
        for school_id in schools:
            school = dataset.schools.get(school_id)
            if school is not None and school.municipality is not None:
                wanted.add(RECORD_PAGES["municipalities"].format(school.municipality))
    # Pages of single schools and municipalities not named above cannot have changed; all others might.
    own_pages = tuple(RECORD_PAGES[kind].split("{}")[0] for kind in ("schools", "municipalities"))
    wanted |= {path for path in previous_files if not path.startswith(own_pages) or path.endswith("/index.md")}
    return wanted
