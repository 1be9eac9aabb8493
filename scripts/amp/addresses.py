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
}
