"""Facts computed from the data (never stored twice): totals, counts, memberships, zones.

Shared by the validator (to compare with what a seed states) and the generator (to show it).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass

from .model import (
    CountClaim, DateRef, Direction, GroupParticipation, Monitoring, Municipality, Period, Programme, Report,
    Roadmaps, School, ScoreRow, Sources, ToolsMatrix, Zone,
)


@dataclass(frozen=True)
class Dataset:
    """Everything in data/, validated. Folders are dicts by id, sorted by id."""

    sources: Sources
    programme: Programme
    monitoring: Monitoring
    roadmaps: Roadmaps
    tools_matrix: ToolsMatrix
    schools: dict[str, School]
    municipalities: dict[str, Municipality]
    reports: dict[str, Report]
    files: dict[str, str]  # "schools/<id>" or "programme" → the file's path as shown in messages


# --- monitoring ------------------------------------------------------------------------------


def known_scores(row: ScoreRow) -> list[int]:
    return [v for v in row.scores.values() if v is not None]


def has_data(row: ScoreRow) -> bool:
    return bool(known_scores(row)) or row.stated_total is not None


def computed_total(row: ScoreRow) -> int | None:
    """The sum of the cells that have a value; None when the row is entirely «нет данных»."""
    values = known_scores(row)
    return sum(values) if values else None


def total_mismatch(row: ScoreRow) -> bool:
    total = computed_total(row)
    return row.stated_total is not None and total is not None and total != row.stated_total


def incomplete(row: ScoreRow) -> bool:
    """Some cells are «нет данных»: the sum is a lower bound, so no zone can be given."""
    return any(v is None for v in row.scores.values())


def row_zone(row: ScoreRow, zones: list[Zone]) -> Zone | None:
    """The site's own colour zone for a row, by the computed total; None when cells are missing."""
    return None if incomplete(row) else zone_for(computed_total(row), zones)


def leaders(rows: list[ScoreRow]) -> tuple[int | None, list[ScoreRow]]:
    """The highest computed total and every row that reaches it (ties are all named)."""
    totals = [computed_total(r) for r in rows if computed_total(r) is not None]
    if not totals:
        return None, []
    best = max(totals)
    return best, [r for r in rows if computed_total(r) == best]


def zone_for(points: int | None, zones: list[Zone]) -> Zone | None:
    if points is None:
        return None
    return next((z for z in zones if z.min_points <= points <= z.max_points), None)


def contradictions(direction: Direction, finding) -> list[tuple[str, int | None]]:
    """(municipality, cell) for each municipality a finding names whose cell says otherwise."""
    if finding.criterion is None:
        return []
    rows = {r.municipality: r for r in direction.rows}
    found = []
    for municipality in finding.municipalities:
        row = rows.get(municipality)
        cell = row.scores.get(finding.criterion) if row else None
        if not cell:
            found.append((municipality, cell))
    return found


def claim_count(claim: CountClaim, direction: Direction, marks_rows: int) -> int:
    if claim.count == "rows":
        return len(direction.rows)
    if claim.count == "rows_with_data":
        return sum(1 for r in direction.rows if has_data(r))
    if claim.count == "marks_rows":
        return marks_rows
    return sum(1 for r in direction.rows if (r.scores.get(claim.criterion) or 0) > 0)


def marks_rows(municipalities: dict) -> int:
    return sum(1 for m in municipalities.values() if m.monitoring_marks is not None)


def criterion_average(direction: Direction, criterion: str) -> float | None:
    values = [r.scores[criterion] for r in direction.rows if r.scores.get(criterion) is not None]
    return sum(values) / len(values) if values else None


# --- schools and groups ----------------------------------------------------------------------


# The last dataset's groups, like _schools_index: the pages and the rules ask for them dozens of times.
_groups_index: tuple[dict, dict[int, list]] | None = None


def group_members(schools: dict, number: int) -> list[tuple[School, GroupParticipation]]:
    """Schools of a group in the seed's order (by their number in the list)."""
    global _groups_index
    if _groups_index is None or _groups_index[0] is not schools:
        index: dict[int, list] = {}
        for school in schools.values():
            for part in school.participations:
                index.setdefault(part.group, []).append((school, part))
        _groups_index = (schools, {g: sorted(m, key=lambda sp: (sp[1].number, sp[0].id)) for g, m in index.items()})
    return list(_groups_index[1].get(number, []))


def reports_with_school(reports: dict, school_id: str) -> list[tuple[Report, str]]:
    """(report, role) for every report naming the school: «участник» or «школа-куратор»."""
    found = []
    for report in reports.values():
        if school_id in report.participants:
            found.append((report, "участник"))
        if any(pair.curator == school_id for pair in report.curator_pairs):
            found.append((report, "школа-куратор"))
    return found


def all_documents(ds: Dataset) -> list[tuple[str, object, object]]:
    """(folder, owner, document) for every document a school or municipality publishes."""
    found = [("schools", s, d) for s in ds.schools.values() for d in s.documents]
    found += [("municipalities", m, d) for m in ds.municipalities.values() for d in m.documents]
    return found


# The last dataset's schools by municipality: every municipality page asks, and scanning all
# schools for each of 2 300 municipalities costs a minute at national scale.
_schools_index: tuple[dict, dict[str | None, list[School]]] | None = None


def schools_of(schools: dict, municipality_id: str) -> list[School]:
    global _schools_index
    if _schools_index is None or _schools_index[0] is not schools:
        index: dict[str | None, list[School]] = {}
        for school in schools.values():
            index.setdefault(school.municipality, []).append(school)
        _schools_index = (schools, index)
    return list(_schools_index[1].get(municipality_id, []))


def school_sort_key(school: School) -> tuple:
    first = min((p.group for p in school.participations), default=9)
    return (first, school.short_name)


# --- dates -----------------------------------------------------------------------------------


def dates_of(ref: DateRef) -> list[dt.date]:
    return [d for d in (ref.start, ref.end) if d is not None]


def outside(ref: DateRef, period: Period) -> list[dt.date]:
    return [d for d in dates_of(ref) if not period.start <= d <= period.end]


def build_today(environ: Mapping[str, str] = os.environ) -> dt.date:
    """The day a build counts deadlines from («срок прошёл»): AMP_TODAY (ГГГГ-ММ-ДД), else
    SOURCE_DATE_EPOCH (seconds, UTC), else today's date. Same data and same day give the same pages."""
    text = environ.get("AMP_TODAY", "").strip()
    if text:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"AMP_TODAY: ожидалась дата вида 2026-12-06; найдено: «{text[:40]}»") from None
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH: ожидалось число секунд; найдено: «{epoch[:40]}»") from None
    return dt.date.today()


def deadline_passed(ref: DateRef, today: dt.date) -> bool | None:
    """Whether a deadline is behind `today` (its last day has ended); None when the date cannot be read."""
    dates = dates_of(ref)
    return max(dates) < today if dates else None


def missing_cells(row: ScoreRow) -> int:
    return sum(1 for v in row.scores.values() if v is None)


def complete_average(rows: list[ScoreRow]) -> tuple[float | None, int]:
    """The mean computed total of the rows with every cell filled, and how many such rows there are."""
    totals = [computed_total(r) for r in rows if not incomplete(r) and computed_total(r) is not None]
    return (sum(totals) / len(totals), len(totals)) if totals else (None, 0)


def compare_to_average(row: ScoreRow, average: float | None) -> str | None:
    """«выше», «ниже», «на уровне» or, for a row with empty cells, «не ниже» (its known sum already
    reaches the average) — None when nothing can be said."""
    total = computed_total(row)
    if total is None or average is None:
        return None
    if incomplete(row):
        return "не ниже" if total >= average else None
    if abs(total - average) < 0.05:
        return "на уровне"
    return "выше" if total > average else "ниже"


def plural(number: int, one: str, few: str, many: str) -> str:
    """«1 школа», «2 школы», «5 школ»."""
    tail = number % 100
    if 11 <= tail <= 14:
        return f"{number} {many}"
    last = number % 10
    return f"{number} {one if last == 1 else few if 2 <= last <= 4 else many}"


def decimal(number: float) -> str:
    """«4,2»: one decimal place, with the Russian decimal comma."""
    return f"{number:.1f}".replace(".", ",")


def ru_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")
