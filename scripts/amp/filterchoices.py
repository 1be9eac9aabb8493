"""The choices of «Подбор школ» on the schools page, with how many schools each one finds.

Written into the page at build time, so the page shows its filter without downloading the search
index; the index is fetched only when the reader first changes a choice. The values are exactly the
ones the school pages give the index (school.md.j2, data-pagefind-filter), so a choice here always
finds what its count says.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .derive import Dataset

# Filter values when the documents give none. A municipality is filtered by its id (a Slug: Pagefind 1.5
# matches no filter value with «"» or «\\», and a name may hold them); this one is not a Slug, so no id
# can be it.
NO_MUNICIPALITY = "_none"
NOT_GIVEN = "не указан"
FIELDS = ("municipality", "group", "year", "level")


@dataclass(frozen=True)
class Choice:
    value: str  # the filter value in the index (and in the page's address)
    count: int  # schools it finds
    known: bool  # False: the documents give no value («не указан»)
    title: str | None = None  # the municipality's name; the programme's name for a group or level, if it has one


def _text(value: object) -> str:
    # The index reads a value as the page shows it: runs of whitespace become one space.
    return re.sub(r"\s+", " ", str(value))


def school_facets(ds: Dataset, school) -> dict[str, list[str]]:
    """{field: [value]}: what a school page gives the index for each filter (school.md.j2, as «field:value» in
    an attribute, where a comma would start the next filter), each value once. The values are keys, not text
    to read: ids, numbers and the two words above."""
    groups = {g.number: g for g in ds.programme.groups}
    municipality = ds.municipalities.get(school.municipality) if school.municipality else None
    facets: dict[str, list[str]] = {"municipality": [municipality.id if municipality is not None else NO_MUNICIPALITY],
                                    "group": [], "year": [], "level": []}
    for p in school.participations:
        group = groups.get(p.group)
        found = {"group": p.group, "year": group.year if group is not None and group.year is not None else NOT_GIVEN,
                 "level": p.level if p.level is not None else NOT_GIVEN}
        for field, value in found.items():
            if _text(value) not in facets[field]:
                facets[field].append(_text(value))
    return facets


def school_filter_choices(ds: Dataset) -> dict[str, list[Choice]]:
    """{field: [Choice]} for the four filters: municipalities by name (unknown last), groups and
    levels by number, years ascending (unknown last). A school counts once per value it has."""
    counts: dict[str, Counter] = {field: Counter() for field in FIELDS}
    for school in ds.schools.values():
        for field, values in school_facets(ds, school).items():
            counts[field].update(values)

    def ordered(field: str, titles: dict, key=lambda value: value) -> list[Choice]:
        known = sorted((k for k in counts[field] if k not in (NOT_GIVEN, NO_MUNICIPALITY)), key=key)
        choices = [Choice(k, counts[field][k], True, titles.get(k)) for k in known]
        unknown = [k for k in (NOT_GIVEN, NO_MUNICIPALITY) if k in counts[field]]
        return choices + [Choice(k, counts[field][k], False) for k in unknown]

    names = {m.id: _text(m.name) for m in ds.municipalities.values()}
    return {
        "municipality": ordered("municipality", names, key=lambda id_: (names[id_], id_)),
        "group": ordered("group", {str(g.number): g.title for g in ds.programme.groups}, key=int),
        "year": ordered("year", {}, key=int),
        "level": ordered("level", {str(lvl.id): lvl.title for lvl in ds.programme.levels}),
    }
