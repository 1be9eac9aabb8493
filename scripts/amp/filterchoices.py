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

# The words school.md.j2 writes into the index when the documents give no value.
NO_MUNICIPALITY = "не указан в документе"
NOT_GIVEN = "не указан"
FIELDS = ("municipality", "group", "year", "level")


@dataclass(frozen=True)
class Choice:
    value: str  # the filter value in the index (and in the page's address)
    count: int  # schools it finds
    known: bool  # False: the documents give no value («не указан»)
    title: str | None = None  # the programme's name for a group or level, if it has one


def _text(value: object) -> str:
    # The index reads a value as the page shows it: runs of whitespace become one space.
    return re.sub(r"\s+", " ", str(value))


def school_filter_choices(ds: Dataset) -> dict[str, list[Choice]]:
    """{field: [Choice]} for the four filters: municipalities by name (unknown last), groups and
    levels by number, years ascending (unknown last). A school counts once per value it has."""
    counts: dict[str, Counter] = {field: Counter() for field in FIELDS}
    groups = {g.number: g for g in ds.programme.groups}
    for school in ds.schools.values():
        municipality = ds.municipalities.get(school.municipality) if school.municipality else None
        counts["municipality"][_text(municipality.name) if municipality is not None else NO_MUNICIPALITY] += 1
        values: dict[str, set] = {"group": set(), "year": set(), "level": set()}
        for p in school.participations:
            group = groups.get(p.group)
            values["group"].add(p.group)
            values["year"].add(group.year if group is not None and group.year is not None else NOT_GIVEN)
            values["level"].add(p.level if p.level is not None else NOT_GIVEN)
        for field, found in values.items():
            counts[field].update(found)

    def ordered(field: str, titles: dict | None = None) -> list[Choice]:
        known = sorted(k for k in counts[field] if k not in (NOT_GIVEN, NO_MUNICIPALITY))
        choices = [Choice(str(k), counts[field][k], True, (titles or {}).get(k)) for k in known]
        unknown = [k for k in (NOT_GIVEN, NO_MUNICIPALITY) if k in counts[field]]
        return choices + [Choice(k, counts[field][k], False) for k in unknown]

    return {
        "municipality": ordered("municipality"),
        "group": ordered("group", {g.number: g.title for g in ds.programme.groups}),
        "year": ordered("year"),
        "level": ordered("level", {lvl.id: lvl.title for lvl in ds.programme.levels}),
    }
