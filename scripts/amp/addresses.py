"""Where generated pages live: the one list the generator renders and the validator checks ids against."""

from __future__ import annotations

# The pages with a fixed address, and the folder of the pages made one per record. An id that
# would land on a fixed address (a school called «index») is refused by the validator.
FIXED_PAGES = {
    "programme/index.md": "programme.md.j2",
    "programme/groups.md": "groups.md.j2",
    "programme/timeline.md": "timeline.md.j2",
    "schools/index.md": "schools_index.md.j2",
    "municipalities/index.md": "municipalities_index.md.j2",
    "monitoring/index.md": "monitoring_index.md.j2",
    "roadmaps/federal.md": "roadmap_federal.md.j2",
    "roadmaps/template.md": "roadmap_template.md.j2",
    "roadmaps/tools-matrix.md": "tools_matrix.md.j2",
    "materials.md": "materials.md.j2",
    "data-quality.md": "data_quality.md.j2",
    "links.md": "links.md.j2",
    "open-data.md": "open_data.md.j2",
    "changes.md": "changes.md.j2",
}
RECORD_PAGES = {
    "schools": "schools/{}.md",
    "municipalities": "municipalities/{}.md",
    "directions": "monitoring/{}.md",
    "reports": "reports/{}.md",
}


def reserved_ids(kind: str) -> dict[str, str]:
    """{id: the fixed page it would replace} for one kind of record."""
    folder = RECORD_PAGES[kind].split("/", 1)[0] + "/"
    return {path[len(folder):-3]: path for path in FIXED_PAGES if path.startswith(folder)}

# Lists too long for one page (a country's schools, documents, link checks) continue on numbered
# pages of whole municipalities; a short list stays on its fixed page and these pages do not exist.
LIST_PAGES = {
    "schools": "lists/schools/{}.md",
    "documents": "lists/documents/{}.md",
    "links": "lists/links/{}.md",
    "municipalities": "lists/municipalities/{}.md",
}

# The data file each page is made from (the «Редактировать» link opens it, not the generated Markdown).
# Pages made from many files (lists, link status, data quality, open data) have none.
FIXED_PAGE_DATA = {
    "programme/index.md": "programme.yaml",
    "programme/groups.md": "programme.yaml",
    "programme/timeline.md": "programme.yaml",
    "monitoring/index.md": "monitoring.yaml",
    "roadmaps/federal.md": "roadmaps.yaml",
    "roadmaps/template.md": "roadmaps.yaml",
    "roadmaps/tools-matrix.md": "tools_matrix.yaml",
}
RECORD_DATA = {"schools": "schools/{}.yaml", "municipalities": "municipalities/{}.yaml",
               "directions": "monitoring.yaml", "reports": "reports/{}.yaml"}


def data_file_of(page: str) -> str | None:
    """The file under data/ that a generated page is made from, or None."""
    if page in FIXED_PAGE_DATA:
        return FIXED_PAGE_DATA[page]
    if page in FIXED_PAGES:
        return None
    for kind, pattern in RECORD_PAGES.items():
        folder = pattern.split("{}")[0]
        if page.startswith(folder) and page.endswith(".md"):
            return RECORD_DATA[kind].format(page[len(folder):-3])
    return None
