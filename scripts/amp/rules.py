"""Rules that span records: references, ranges, totals, dates. Each returns Problems at their line.

Errors are data mistakes (a dangling id, a score above the maximum). Warnings are discrepancies
the seeds themselves contain (a stated total that is not the sum, a date outside the programme's
period): they are kept as the seed says and shown on the «Качество данных» page.
"""

from __future__ import annotations

import functools
import re
import typing
from collections import Counter
from typing import Callable, Iterator

import yaml
from linkcheck.urlnorm import InvalidUrlError, encode_host, normalize_url
from pydantic import BaseModel

from . import derive, nearest
from .derive import Dataset
from .model import Contact, DateRef, Document, Material, Period, Source
from .addresses import reserved_ids
from .problems import Problem, show_value
from .textcheck import character_name, invisible_characters, name_skeleton

Locate = Callable[[str, tuple], tuple[str, int]]


@functools.cache
def _holds(annotation, cls: type) -> bool:
    """Whether a value of this annotation can contain an instance of `cls` (checked once per type)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return issubclass(annotation, cls) or any(_holds(f.annotation, cls) for f in annotation.model_fields.values())
    return any(_holds(arg, cls) for arg in typing.get_args(annotation) if not isinstance(arg, (str, int)))


@functools.cache
def _fields_holding(model: type, cls: type) -> tuple[str, ...]:
    return tuple(name for name, f in model.model_fields.items() if _holds(f.annotation, cls))


def walk(obj: object, cls: type, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    """Every instance of `cls` inside a record, with its path (for line numbers).

    Only fields whose type can hold `cls` are visited: 10 000 school files are walked on every build."""
    if isinstance(obj, cls):
        yield path, obj
    if isinstance(obj, BaseModel):
        for name in _fields_holding(type(obj), cls):
            yield from walk(getattr(obj, name), cls, path + (name,))
    elif isinstance(obj, (list, tuple)):
        for index, item in enumerate(obj):
            yield from walk(item, cls, path + (index,))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from walk(item, cls, path + (key,))


def check_dataset(ds: Dataset, roots: dict[str, yaml.Node], folder_keys: dict[str, list[str]],
                  unreadable: dict[str, set[str]] | None = None) -> list[Problem]:
    """Every rule over the dataset. `unreadable`: ids (by folder) whose files exist but could not be
    read (their own problems are reported): a reference to them is not called unknown."""
    from .yamlsource import dotted, line_of

    def problem(key: str, path: tuple, message: str, level: str = "error") -> Problem:
        shown = ds.files[key]
        return Problem(shown, line_of(roots[shown], path), dotted(path), message, level)

    records = _records(ds)
    refs = _References(ds, unreadable or {})
    found: list[Problem] = []
    found += _sources_known(ds, records, problem)
    found += _dates(ds, records, problem)
    found += _schools(ds, problem, refs)
    found += _school_names(ds, problem)
    found += _programme(ds, problem)
    found += _monitoring(ds, problem, refs)
    found += _reports(ds, problem, refs)
    found += _documents(records, problem)
    found += _tools_matrix(ds, problem)
    found += _unique_ids(ds, problem)
    found += _page_addresses(ds, problem)
    return found


# Ids are addresses people read and type: two that differ only by these look the same on screen.
_LOOKALIKES = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("0", "o"), ("1", "l"), ("i", "l"))


def id_skeleton(record_id: str) -> str:
    text = record_id.lower()
    for similar, canonical in _LOOKALIKES:
        text = text.replace(similar, canonical)
    return text


def _page_addresses(ds: Dataset, problem) -> list[Problem]:
    """An id becomes a page address: it must not replace a fixed page nor look like another id."""
    kinds = {
        "schools": [(f"schools/{i}", ("id",), i) for i in ds.schools],
        "municipalities": [(f"municipalities/{i}", ("id",), i) for i in ds.municipalities],
        "reports": [(f"reports/{i}", ("id",), i) for i in ds.reports],
        "directions": [("monitoring", ("directions", n, "id"), d.id) for n, d in enumerate(ds.monitoring.directions)],
    }
    found = []
    for kind, ids in kinds.items():
        reserved = reserved_ids(kind)
        seen: dict[str, str] = {}
        for key, path, record_id in sorted(ids, key=lambda item: item[2]):
            if record_id in reserved:
                found.append(problem(key, path, f"id «{record_id}» занят: по этому адресу на сайте уже есть страница "
                                     f"{reserved[record_id].removesuffix('.md')}/ (ожидался другой id, например, "
                                     f"«{record_id}-1»)"))
            skeleton = id_skeleton(record_id)
            if skeleton in seen and seen[skeleton] != record_id:
                found.append(problem(key, path, f"id «{record_id}» на вид не отличить от «{seen[skeleton]}» "
                                     "(похожие знаки: 0 и o, 1, l и i, rn и m; ожидался заметно другой id)"))
            seen.setdefault(skeleton, record_id)
    return found


# Lists whose items are referred to by a key: (file key, list path, key attribute).
UNIQUE_KEYS = (
    ("programme", ("roles",), "id"),
    ("programme", ("projects",), "id"),
    ("programme", ("levels",), "id"),
    ("programme", ("groups",), "number"),
    ("monitoring", ("criteria",), "id"),
    ("monitoring", ("directions",), "id"),
    ("sources", ("documents",), "file"),
)


def _unique_ids(ds: Dataset, problem) -> list[Problem]:
    found = []
    records = {"programme": ds.programme, "monitoring": ds.monitoring, "sources": ds.sources}
    for key, path, attribute in UNIQUE_KEYS:
        items = records[key]
        for step in path:
            items = getattr(items, step)
        seen: dict = {}
        for index, item in enumerate(items):
            value = getattr(item, attribute)
            if value in seen:
                earlier = ".".join(path) + f", пункт {seen[value] + 1}"
                found.append(problem(key, path + (index, attribute), f"значение «{value}» уже есть в {earlier} "
                                     "(ожидались разные значения)"))
            seen.setdefault(value, index)
    return found


def _records(ds: Dataset) -> dict[str, BaseModel]:
    records: dict[str, BaseModel] = {
        "sources": ds.sources, "programme": ds.programme, "monitoring": ds.monitoring,
        "roadmaps": ds.roadmaps, "tools_matrix": ds.tools_matrix,
    }
    for folder, items in (("schools", ds.schools), ("municipalities", ds.municipalities), ("reports", ds.reports)):
        for record_id, record in items.items():
            records[f"{folder}/{record_id}"] = record
    return records


def _sources_known(ds: Dataset, records: dict, problem) -> list[Problem]:
    known = {d.file for d in ds.sources.documents}
    found = []
    for key, record in records.items():
        for path, source in walk(record, Source):
            if source.file not in known:
                found.append(problem(key, path + ("file",), "неизвестный источник (ожидалось одно из: "
                                     + ", ".join(sorted(known)) + f"; найдено: «{source.file}»)"))
    return found


def _period_for(ds: Dataset, key: str) -> tuple[Period, str]:
    if key.startswith("reports/"):
        report = ds.reports[key.split("/", 1)[1]]
        return report.period, f"период отчёта {derive.ru_date(report.period.start)} – {derive.ru_date(report.period.end)}"
    period = ds.programme.period
    return period, f"срок реализации программы {derive.ru_date(period.start)} – {derive.ru_date(period.end)}"


def _dates(ds: Dataset, records: dict, problem) -> list[Problem]:
    found = []
    for key, record in records.items():
        period, period_text = _period_for(ds, key)
        for path, ref in walk(record, DateRef):
            if ref.start and ref.end and ref.end < ref.start:
                found.append(problem(key, path + ("end",), f"конец периода раньше начала (ожидалось end не раньше "
                                     f"{ref.start.isoformat()}; найдено: {ref.end.isoformat()})"))
            if not derive.dates_of(ref):
                found.append(problem(key, path + ("text",), f"дату «{ref.text}» нельзя прочитать однозначно "
                                     "(в документе не указан год); показана как в документе", "warning"))
            for day in derive.outside(ref, period):
                found.append(problem(key, path + ("text",), f"дата «{ref.text}» ({derive.ru_date(day)}) вне периода "
                                     f"(ожидалось: {period_text}); показана как в документе", "warning"))
    return found


class _References:
    """Whether an id refers to a known record, and the «возможно, имелось в виду …» hint when not."""

    def __init__(self, ds: Dataset, unreadable: dict[str, set[str]]):
        self.names = {"municipalities": {i: (m.name,) for i, m in ds.municipalities.items()},
                      "schools": {i: (s.name, s.short_name) for i, s in ds.schools.items()}}
        self.unreadable = unreadable
        self._nearest: dict[str, nearest.Nearest] = {}  # prepared on the first unknown id of a kind

    def unknown(self, folder: str, ref: str) -> bool:
        return ref not in self.names[folder] and ref not in self.unreadable.get(folder, ())

    def hint(self, folder: str, ref: str) -> str:
        if folder not in self._nearest:
            self._nearest[folder] = nearest.Nearest(self.names[folder])
        return self._nearest[folder].hint(ref)


def _schools(ds: Dataset, problem, refs: _References) -> list[Problem]:
    found = []
    groups = {g.number for g in ds.programme.groups}
    levels = {lvl.id for lvl in ds.programme.levels}
    for school in ds.schools.values():
        key = f"schools/{school.id}"
        if school.municipality is not None and refs.unknown("municipalities", school.municipality):
            found.append(problem(key, ("municipality",), f"неизвестный муниципалитет (ожидался id файла из "
                                 f"data/municipalities/; найдено: «{school.municipality}»)"
                                 + refs.hint("municipalities", school.municipality)))
        if (school.municipality is None) != (school.municipality_basis is None):
            found.append(problem(key, ("municipality_basis",), "основание указывается вместе с муниципалитетом "
                                 "(ожидалось: оба поля заполнены или оба null; найдено: municipality — "
                                 f"{show_value(school.municipality)}, municipality_basis — "
                                 f"{show_value(school.municipality_basis)})"))
        found += _outside_municipality(ds, school, key, problem)
        seen = Counter(p.group for p in school.participations)
        for index, part in enumerate(school.participations):
            if part.level is not None and part.level not in levels:
                found.append(problem(key, ("participations", index, "level"), f"нет такого уровня в programme.yaml "
                                     f"(ожидалось одно из: {', '.join(map(str, sorted(levels)))}; найдено: {part.level})"))
            if part.group not in groups:
                found.append(problem(key, ("participations", index, "group"), f"нет такой группы в programme.yaml "
                                     f"(найдено: {part.group})"))
            if seen[part.group] > 1:
                found.append(problem(key, ("participations", index, "group"), f"школа указана в группе {part.group} "
                                     f"дважды (ожидалась одна запись на группу; найдено: {seen[part.group]})"))
    # Numbers within a group are the seed's list positions: unique.
    for number in sorted(groups):
        members = derive.group_members(ds.schools, number)
        counts = Counter(p.number for _, p in members)
        for school, part in members:
            if counts[part.number] > 1:
                index = school.participations.index(part)
                others = sorted(s.id for s, p in members if p.number == part.number and s.id != school.id)
                found.append(problem(f"schools/{school.id}", ("participations", index, "number"),
                                     f"номер {part.number} в группе {number} уже занят (ожидались разные номера; "
                                     f"тот же номер у: {', '.join(others)})"))
    return found


# The bases that name an outside source: the municipality is no project document's fact.
OUTSIDE_BASES = ("населённый пункт по ОКТМО",)


def _outside_municipality(ds: Dataset, school, key: str, problem) -> list[Problem]:
    """A municipality found in an outside register carries that register and the settlement's code;
    the register is a source from elsewhere (project_document: false), so pages mark the fact."""
    found = []
    outside = school.municipality_basis in OUTSIDE_BASES
    if outside and school.municipality_source is None:
        found.append(problem(key, ("municipality_source",), f"при основании «{school.municipality_basis}» нужен "
                             "источник (ожидалось: municipality_source с file и section; найдено: ничего)"))
    if outside and school.oktmo is None:
        found.append(problem(key, ("oktmo",), f"при основании «{school.municipality_basis}» нужен код ОКТМО "
                             "населённого пункта (ожидалось: oktmo вида «56 640 402 101»; найдено: ничего)"))
    if not outside and school.oktmo is not None:
        found.append(problem(key, ("oktmo",), "код ОКТМО указывается только при основании «населённый пункт по "
                             f"ОКТМО» (найдено основание: {show_value(school.municipality_basis)})"))
    if not outside and school.municipality_source is not None:
        found.append(problem(key, ("municipality_source",), "источник муниципалитета указывается только при "
                             "основании «населённый пункт по ОКТМО» (найдено основание: "
                             f"{show_value(school.municipality_basis)})"))
    source = school.municipality_source
    project_files = {d.file for d in ds.sources.documents if d.project_document}
    if outside and source is not None and source.file in project_files:
        found.append(problem(key, ("municipality_source", "file"), "муниципалитет по населённому пункту берётся "
                             "из источника не из документов проекта (ожидался источник с project_document: false; "
                             f"найдено: «{source.file}»)"))
    return found


def _school_names(ds: Dataset, problem) -> list[Problem]:
    """Two schools whose names look the same on screen are one school entered twice, or two that
    readers cannot tell apart in lists and search: a warning at the second, naming the first.

    Schools of two different known municipalities may share a name («СОШ с. Знаменское» is in many
    districts): the municipality tells them apart on every page."""
    found = []
    for field, what, with_what in (("name", "название", "названием"), ("short_name", "краткое название", "кратким названием")):
        # The first school of each look (in id order): of any municipality, of a given one, of an unknown one.
        first: dict[str, object] = {}
        first_in: dict[tuple[str, str | None], object] = {}
        for school in ds.schools.values():
            skeleton = name_skeleton(getattr(school, field))
            if school.municipality is None:
                other_school = first.get(skeleton)
            else:
                other_school = first_in.get((skeleton, school.municipality)) or first_in.get((skeleton, None))
            first.setdefault(skeleton, school)
            first_in.setdefault((skeleton, school.municipality), school)
            if other_school is None:
                continue
            mine, other = getattr(school, field), getattr(other_school, field)
            where = ds.files[f"schools/{other_school.id}"]
            if mine == other:
                text = f"{what} школы «{mine}» совпадает с {with_what} в {where}"
            else:
                text = (f"{what} школы «{mine}» на вид не отличить от «{other}» в {where} (те же буквы без учёта "
                        "регистра, пробелов, знаков препинания и похожих букв латиницы и кириллицы)")
            found.append(problem(f"schools/{school.id}", (field,), f"{text}; если это одна школа, оставьте один "
                                 "файл, если разные — уточните название (например, населённый пункт или номер)",
                                 "warning"))
    return found


def _programme(ds: Dataset, problem) -> list[Problem]:
    found = []
    projects = {p.id for p in ds.programme.projects}
    for index, group in enumerate(ds.programme.groups):
        if group.project not in projects:
            found.append(problem("programme", ("groups", index, "project"), "неизвестный проект (ожидалось одно из: "
                                 + ", ".join(sorted(projects)) + f"; найдено: «{group.project}»)"))
        actual = len(derive.group_members(ds.schools, group.number))
        if actual != group.stated_count:
            found.append(problem("programme", ("groups", index, "stated_count"), f"в документе заявлено "
                                 f"{derive.plural(group.stated_count, 'школа', 'школы', 'школ')} в группе {group.number}, "
                                 f"а в списке {actual}", "warning"))
    return found


def _monitoring(ds: Dataset, problem, refs: _References) -> list[Problem]:
    mon = ds.monitoring
    found = []
    criteria = {c.id: c for c in mon.criteria}
    marks = derive.marks_rows(ds.municipalities)
    found += _zones(ds, problem)
    for d_index, direction in enumerate(mon.directions):
        base = ("directions", d_index)
        if sum(c.max_points for c in mon.criteria) != direction.stated_max_total:
            found.append(problem("monitoring", base + ("stated_max_total",), f"в документе максимум "
                                 f"{direction.stated_max_total} баллов, а сумма максимумов критериев "
                                 f"{sum(c.max_points for c in mon.criteria)}", "warning"))
        for name in ("column_titles", "column_scales"):
            for missing in sorted(set(criteria) - set(getattr(direction, name))):
                found.append(problem("monitoring", base + (name,), f"нет критерия «{missing}» (ожидались все "
                                     f"критерии: {', '.join(criteria)})"))
        seen: set[str] = set()
        for r_index, row in enumerate(direction.rows):
            at = base + ("rows", r_index)
            if refs.unknown("municipalities", row.municipality):
                found.append(problem("monitoring", at + ("municipality",), "неизвестный муниципалитет (ожидался id "
                                     f"файла из data/municipalities/; найдено: «{row.municipality}»)"
                                     + refs.hint("municipalities", row.municipality)))
            if row.municipality in seen:
                found.append(problem("monitoring", at + ("municipality",), f"муниципалитет «{row.municipality}» "
                                     "уже есть в этой таблице (ожидалась одна строка на муниципалитет)"))
            seen.add(row.municipality)
            for missing in sorted(set(criteria) - set(row.scores)):
                found.append(problem("monitoring", at + ("scores",), f"нет критерия «{missing}» (ожидались все "
                                     "критерии; пустую ячейку запишите как null — «нет данных»)"))
            for crit, value in row.scores.items():
                if crit not in criteria:
                    found.append(problem("monitoring", at + ("scores", crit), f"критерия «{crit}» нет в списке criteria"))
                elif value is not None and not 0 <= value <= criteria[crit].max_points:
                    found.append(problem("monitoring", at + ("scores", crit), f"балл вне шкалы (ожидалось от 0 до "
                                         f"{criteria[crit].max_points}; найдено: {value})"))
            if derive.total_mismatch(row):
                found.append(problem("monitoring", at + ("stated_total",), f"итог в документе {row.stated_total}, "
                                     f"а сумма баллов {derive.computed_total(row)} ({direction.short_title}, "
                                     f"{row.name_in_source})", "warning"))
            if row.stated_total is not None and not derive.known_scores(row):
                found.append(problem("monitoring", at + ("stated_total",), "итог указан, а баллов по критериям нет",
                                     "warning"))
        claim_sets = [(base + ("intro_claims",), direction.intro_claims)]
        claim_sets += [(base + ("findings", f, "claims"), x.claims) for f, x in enumerate(direction.findings)]
        for path, claims in claim_sets:
            for c_index, claim in enumerate(claims):
                if claim.count == "criterion_positive" and claim.criterion is None:
                    found.append(problem("monitoring", path + (c_index, "criterion"),
                                         "для подсчёта criterion_positive нужен критерий (ожидался id критерия)"))
                    continue
                actual = derive.claim_count(claim, direction, marks)
                if actual != claim.stated:
                    found.append(problem("monitoring", path + (c_index, "stated"), f"в документе: «{claim.text}» — "
                                         f"{claim.stated}, а по таблице {actual}", "warning"))
        for f_index, finding in enumerate(direction.findings):
            for m_index, ref in enumerate(finding.municipalities):
                if refs.unknown("municipalities", ref):
                    found.append(problem("monitoring", base + ("findings", f_index, "municipalities", m_index),
                                         f"неизвестный муниципалитет (найдено: «{ref}»)" + refs.hint("municipalities", ref)))
            if finding.criterion is not None and finding.criterion not in criteria:
                found.append(problem("monitoring", base + ("findings", f_index, "criterion"),
                                     f"неизвестный критерий (ожидалось одно из: {', '.join(criteria)}; "
                                     f"найдено: «{finding.criterion}»)"))
                continue
            for ref, cell in derive.contradictions(direction, finding):
                if ref in ds.municipalities:
                    name = ds.municipalities[ref].name
                    state = "пустая" if cell is None else f"{cell} баллов"
                    found.append(problem("monitoring", base + ("findings", f_index, "municipalities"),
                                         f"в тексте вывода {name} назван среди тех, кто это сделал, а в таблице "
                                         f"его ячейка К{criteria[finding.criterion].number} {state} "
                                         f"({direction.short_title})", "warning"))
    return found


def _zones(ds: Dataset, problem) -> list[Problem]:
    zones = sorted(ds.monitoring.zones, key=lambda z: z.min_points)
    found = []
    for index, zone in enumerate(ds.monitoring.zones):
        if zone.min_points > zone.max_points:
            found.append(problem("monitoring", ("zones", index, "max_points"), f"верхняя граница зоны меньше нижней "
                                 f"(ожидалось не меньше {zone.min_points}; найдено: {zone.max_points})"))
    top = sum(c.max_points for c in ds.monitoring.criteria)
    if not zones:
        found.append(problem("monitoring", ("zones",), "нет ни одной цветовой зоны (ожидались зоны от 0 до "
                             f"{top} баллов)"))
    if zones and zones[-1].max_points < top:
        index = ds.monitoring.zones.index(zones[-1])
        found.append(problem("monitoring", ("zones", index, "max_points"), f"зоны должны доходить до максимума "
                             f"баллов (ожидалось {top}; найдено: {zones[-1].max_points})"))
    expected = 0
    for zone in zones:
        if zone.min_points != expected:
            index = ds.monitoring.zones.index(zone)
            found.append(problem("monitoring", ("zones", index, "min_points"), f"зоны должны идти подряд без "
                                 f"пропусков и наложений (ожидалось {expected}; найдено: {zone.min_points})"))
        expected = zone.max_points + 1
    return found


def _reports(ds: Dataset, problem, refs: _References) -> list[Problem]:
    found = []
    for report in ds.reports.values():
        found += _report(ds, report, problem, refs)
    return found


def _report(ds: Dataset, report, problem, refs: _References) -> list[Problem]:
    key = f"reports/{report.id}"
    found = []

    def school_ref(path: tuple, ref: str) -> None:
        if refs.unknown("schools", ref):
            found.append(problem(key, path, f"неизвестная школа (ожидался id файла из data/schools/; найдено: «{ref}»)"
                                 + refs.hint("schools", ref)))

    def municipality_ref(path: tuple, ref: str) -> None:
        if refs.unknown("municipalities", ref):
            found.append(problem(key, path, f"неизвестный муниципалитет (найдено: «{ref}»)"
                                 + refs.hint("municipalities", ref)))

    municipality_ref(("municipality",), report.municipality)
    if report.project not in {p.id for p in ds.programme.projects}:
        found.append(problem(key, ("project",), f"неизвестный проект (найдено: «{report.project}»)"))
    for index, ref in enumerate(report.participants):
        school_ref(("participants", index), ref)
    for index, pair in enumerate(report.curator_pairs):
        school_ref(("curator_pairs", index, "curator"), pair.curator)
        school_ref(("curator_pairs", index, "school"), pair.school)
        if pair.school not in report.participants:
            found.append(problem(key, ("curator_pairs", index, "school"), f"школа «{pair.school}» не указана "
                                 "среди участников отчёта (participants)"))
    for index, link in enumerate(report.links):
        path = ("links", index)
        if (link.school is None) == (link.municipality is None):
            given = "оба поля" if link.school else "ни одного"
            found.append(problem(key, path, "у ссылки должен быть ровно один владелец (ожидалось поле school "
                                 f"или municipality; найдено: {given})"))
            continue
        owner = ds.schools.get(link.school) if link.school else ds.municipalities.get(link.municipality)
        folder = "schools" if link.school else "municipalities"
        if owner is None:
            if refs.unknown(folder, link.school or link.municipality):
                found.append(problem(key, path + ("school" if link.school else "municipality",),
                                     f"неизвестный владелец ссылки (найдено: «{link.school or link.municipality}»)"
                                     + refs.hint(folder, link.school or link.municipality)))
        elif link.document not in {d.id for d in owner.documents}:
            found.append(problem(key, path + ("document",), f"у «{owner.id}» нет документа «{link.document}» "
                                 f"(ожидалось одно из: {', '.join(d.id for d in owner.documents) or 'нет документов'})"))
    bank = report.materials_bank
    owner = ds.municipalities.get(bank.municipality)
    if owner is None:
        municipality_ref(("materials_bank", "municipality"), bank.municipality)
    elif bank.document not in {d.id for d in owner.documents}:
        found.append(problem(key, ("materials_bank", "document"), f"у «{owner.id}» нет документа «{bank.document}»"))
    return found


def _documents(records: dict, problem) -> list[Problem]:
    found = []
    for key, record in records.items():
        # Every address must be one the link checker can request (and the pages can link to).
        for path, material in walk(record, Material):
            found += _url_problem(key, path + ("url",), material.url, problem)
        for path, contact in walk(record, Contact):
            found += _url_problem(key, path + ("url",), contact.url, problem)
        seen: set[str] = set()
        for path, document in walk(record, Document):
            found += _url_problem(key, path + ("url",), document.url, problem)
            if document.id in seen:
                found.append(problem(key, path + ("id",), f"документ с id «{document.id}» уже есть в этом файле "
                                     "(ожидались разные id документов)"))
            seen.add(document.id)
    return found


# A page address is never this long; a longer one is a pasted page of text or a tracking blob.
MAX_URL_LENGTH = 2000
# Characters RFC 3986 never allows raw in an address that are also syntax on our pages: «|» ends a
# table cell, «<» «>» «"» open HTML, «`» a code span, «[» «]» a Markdown link (outside an IPv6 host),
# «\» escapes, «{» «}» attribute lists, «^». Browsers send them percent-encoded anyway, so the
# encoded form opens the same page. Spaces, Cyrillic, «(» «)» «*» «_» stay allowed: they are common in
# copied addresses and the pages encode them in every link (markdown.href) and escape them as text.
_URL_FORBIDDEN = re.compile(r'[|<>"`\\{}^\[\]]')
# A host name: letters, digits and hyphens in dot-separated labels (RFC 1123), checked on its
# ASCII (punycode) form; the address itself stays as the school wrote it (школа50.рф).
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_AUTHORITY = re.compile(r"[^:]*://[^/?#]*")


def _host_error(netloc: str) -> str | None:
    """What is wrong with the part between «//» and the path (None: nothing this check can tell)."""
    if "@" in netloc:
        return ("в адресе есть имя пользователя или пароль (часть «…@» перед именем сайта): так адрес раскрывает "
                "пароль или ведёт не на тот сайт, который видно в начале (ожидался адрес без «…@», например "
                "https://школа.ru/страница)")
    if netloc.startswith("["):
        return None  # an IPv6 address: normalize_url checks it
    host, colon, port = netloc.rpartition(":")
    if not colon:
        host = netloc
    elif not port.isdigit():
        return None  # a broken port: normalize_url names it
    if host.isascii():
        ascii_host = host.rstrip(".").lower()
    else:
        try:
            ascii_host = encode_host(host)  # punycode only for the check
        except InvalidUrlError:
            return None  # not even IDNA can read it: normalize_url names it
    if not ascii_host or (len(ascii_host) <= 253 and _HOST.fullmatch(ascii_host)):
        return None  # a host name, an IPv4 address (digits in labels), or none at all (normalize_url names it)
    return (f"неверное имя сайта «{host}» (ожидались буквы, цифры и дефисы, разделённые точками, например "
            "school-41.edu-penza.ru или школа50.рф; найдены другие знаки или пустая часть между точками)")


@functools.lru_cache(maxsize=65536)  # `mkdocs serve` checks the same addresses on every rebuild
def _url_error(url: str) -> str | None:
    """Why an address cannot be published and requested as written, in Russian (None: it can)."""
    if len(url) > MAX_URL_LENGTH:
        limit, found = (f"{n:,}".replace(",", "\u00a0") for n in (MAX_URL_LENGTH, len(url)))
        return (f"адрес слишком длинный (ожидалось не больше {limit} знаков, найдено {found}; скопируйте адрес "
                "страницы заново, без лишнего текста)")
    invisible = invisible_characters(url)
    if invisible:
        position, char = invisible[0]
        return (f"невидимый символ {character_name(char)} в позиции {position} (ожидался адрес без невидимых "
                "символов; такие символы попадают при копировании из Word, PDF или с сайтов — удалите его)")
    authority_end = _AUTHORITY.match(url).end()
    bad = [(m.start(), m.group()) for m in _URL_FORBIDDEN.finditer(url)
           if m.group() not in "[]" or m.start() >= authority_end]
    if bad:
        chars = list(dict.fromkeys(ch for _, ch in bad))
        shown = ", ".join(f"«{ch}»" for ch in chars)
        what = f"знак {shown} в позиции {bad[0][0] + 1} ломает" if len(chars) == 1 else \
            f"знаки {shown} (первый — в позиции {bad[0][0] + 1}) ломают"
        return (f"{what} таблицы и ссылки на страницах сайта (ожидался адрес, где такие знаки закодированы, — так "
                "его и отправляет браузер): замените " + ", ".join(f"{ch} на %{ord(ch):02X}" for ch in chars))
    host = _host_error(url[url.index("//") + 2:authority_end])
    if host is not None:
        return host
    try:
        normalize_url(url)
    except InvalidUrlError as exc:
        return f"{exc} (ожидался адрес сайта вида https://школа.ru/страница)"
    return None


def _url_problem(key: str, path: tuple, url: str | None, problem) -> list[Problem]:
    if url is None:
        return []
    error = _url_error(url)
    if error is not None:
        return [problem(key, path, f"неверный адрес: {error}")]
    return []


def _tools_matrix(ds: Dataset, problem) -> list[Problem]:
    matrix = ds.tools_matrix
    found = []
    for risk, row in matrix.cells.items():
        if risk not in matrix.risks:
            found.append(problem("tools_matrix", ("cells", risk), f"нет такого риска в списке risks (найдено: «{risk}»)"))
        for tool in row:
            if tool not in matrix.tools:
                found.append(problem("tools_matrix", ("cells", risk, tool),
                                     f"нет такого инструмента в списке tools (найдено: «{tool}»)"))
    return found


def check_records(records: dict[str, BaseModel], files: dict[str, str], roots: dict[str, yaml.Node]) -> list[Problem]:
    """The rules each record answers alone (its addresses), for when a file every other rule needs
    (programme.yaml, monitoring.yaml …) has errors of its own: they are reported in the same pass."""
    from .yamlsource import dotted, line_of

    def problem(key: str, path: tuple, message: str, level: str = "error") -> Problem:
        shown = files[key]
        return Problem(shown, line_of(roots[shown], path), dotted(path), message, level)

    return _documents(records, problem)


# Fields whose value is the id of another record: the folder it names.
_REFERENCES = {"municipality": "municipalities", "municipalities": "municipalities", "participants": "schools",
               "curator": "schools", "school": "schools"}


def reference_hints(problems: list[Problem], names: dict[str, dict[str, tuple[str, ...]]]) -> list[Problem]:
    """An id refused by the schema (typed as a name, «Каменский район», or with capitals) in a field
    that refers to a record: the message names the nearest ids (`names`: folder → id → names)."""
    from dataclasses import replace

    from .yamlsource import undotted

    out = []
    prepared: dict[str, nearest.Nearest] = {}  # on the first refused id of a kind
    for problem in problems:
        steps = [s for s in undotted(problem.field) if isinstance(s, str)]
        folder = _REFERENCES.get(steps[-1]) if steps else None
        found = re.search(r"найдено: «(.*?)»\)", problem.message)
        if folder and found and problem.message.startswith("неверный идентификатор"):
            if folder not in prepared:
                prepared[folder] = nearest.Nearest(names.get(folder, {}))
            problem = replace(problem, message=problem.message + prepared[folder].hint(found[1]))
        out.append(problem)
    return out
