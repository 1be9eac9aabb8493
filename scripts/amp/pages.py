"""The generated pages: pure functions from a validated Dataset to {path under docs/: Markdown}.

Templates (templates/*.md.j2) hold presentation; this module picks what each page needs.
Output is deterministic: records are iterated in sorted order; the one thing that depends on the day,
whether a deadline has passed, is counted from derive.build_today (pinned by AMP_TODAY or SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import re
from collections.abc import Mapping
from pathlib import Path

import jinja2
import markdown
from linkcheck.result import BROKEN, OK, WARNING
from markdown.extensions.abbr import AbbrExtension
from markupsafe import Markup

from . import derive, glossary, rules
from .derive import Dataset
from .feeds import calendar_groups
from . import paging
from .filterchoices import school_facets, school_filter_choices
from .addresses import FIXED_PAGES, LIST_PAGES, RECORD_PAGES
from .changelog import MAX_COMMITS, History
from .linkstatus import LinkStatuses
from .model import Source
from .opendata import TABLES
from .paging import list_pages
from .markdown import attribute, escape, href

TEMPLATES = Path(__file__).parent / "templates"

MARKER = (
    "<!-- Страница создана автоматически из файлов data/. "
    "Не редактируйте её: исправьте данные, и сайт соберётся заново. -->"
)

# The columns of the seed's municipal status table, in its order.
STATUS_COLUMNS = {
    "survey_500plus_2022": "Анкетирование 500+ 2022",
    "documents_500plus_2021": "Ссылки на документы 500+ 2021",
    "documents_ravenstvo": "Ссылки на документы «Равенство...»",
    "municipal_roadmap": "Муниципальная ДК",
}

# How a school's municipality can be known without a document saying so: marked on every list.
INFERRED_BASES = {
    "районный центр": "определён сайтом по районному центру, в документах не указан",
    "населённый пункт по ОКТМО": "определён сайтом по населённому пункту школы в ОКТМО, в документах не указан",
}

# A school of the 2025 report is one record with a school of the 2021–2022 groups only because the site
# matched their names: no document says they are the same school.
MATCH_NOTE = "что это та же школа, что в группах программы 2021–2022 годов, определил сайт по названию; в документах это не сказано"

LINK_VERDICTS = {
    OK: "✅ открывается",
    WARNING: "⚠️ есть замечание",
    BROKEN: "❌ не открывается",
}


def link_target(path: str) -> Markup:
    """An internal link built from slugs and fixed anchors: checked, then used unescaped."""
    if not re.fullmatch(r"[a-z0-9/._#-]+", path):
        raise ValueError(f"недопустимая внутренняя ссылка: {path!r}")
    return Markup(path)


def page_title(text: str) -> Markup:
    """A front-matter title. MkDocs treats a page title as HTML (a title taken from the heading keeps
    its entities) and Material prints it unescaped, so the text is HTML-escaped here; the JSON string
    around it is a valid double-quoted YAML scalar, safe for any character.
    """
    return Markup(json.dumps(html.escape(str(text), quote=False), ensure_ascii=False))


@functools.cache  # one per process: `mkdocs serve` then compiles each template once, not per rebuild
@functools.cache
def environment() -> jinja2.Environment:
    """One environment for the process: templates are compiled once (auto_reload still notices an
    edited template), not again for every page, fragment or `mkdocs serve` rebuild."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        # Autoescape makes macro output Markup (already safe); every other printed value goes
        # through the Markdown escaper and is marked safe so HTML escaping doesn't repeat it.
        autoescape=True,
        finalize=lambda value: value if isinstance(value, Markup) else Markup(escape(value)),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["href"] = href
    env.filters["attribute"] = attribute
    env.filters["ru_date"] = derive.ru_date
    env.filters["target"] = link_target
    env.filters["page_title"] = page_title
    env.filters["upper_first"] = lambda text: text[:1].upper() + text[1:]
    # {{ n | plural("школа", "школы", "школ") }} → «52 школы»
    env.filters["plural"] = derive.plural
    env.filters["decimal"] = derive.decimal
    env.globals.update(
        derive=derive,
        marker=Markup(MARKER),
        verdicts=LINK_VERDICTS,
        status_columns=STATUS_COLUMNS,
        glossary_terms=glossary.TERMS,
        glossary_meanings={t.abbreviation: t.meaning for t in glossary.TERMS},
        glossary_site_mark=glossary.SITE_MARK,
        calendar_groups=calendar_groups,  # which calendars exist (feeds.py): a page links only those
    )
    return env


class Site:
    """What every template may ask about the data (lookups, derived figures)."""

    def __init__(self, ds: Dataset, link_status: Mapping | None, today: dt.date | None = None):
        self.ds = ds
        # The day deadlines are counted from (derive.build_today: AMP_TODAY or SOURCE_DATE_EPOCH pin it).
        self.today = today or derive.build_today()
        # A plain {url: status} (a test's) says every link it lacks is unchecked.
        self.link_status = link_status if isinstance(link_status, LinkStatuses) else LinkStatuses(dict(link_status or {}))
        self.levels = {lvl.id: lvl.title for lvl in ds.programme.levels}
        self.projects = {p.id: p for p in ds.programme.projects}
        self.groups = {g.number: g for g in ds.programme.groups}
        self.sources = {d.file: d for d in ds.sources.documents}
        # The two documents the project comes from; any other source is marked where it is used.
        self.seed_files = {d.file for d in ds.sources.documents if d.project_document}
        self.outside_sources = [d for d in ds.sources.documents if not d.project_document]
        self.inferred_bases = INFERRED_BASES
        self.match_note = MATCH_NOTE
        # Whether a municipality is a district or an urban okrug: the documents never say, the list does.
        # The outside list of municipalities; an outside register a school's municipality was found in
        # (its municipality_source, e.g. OKTMO's settlements) is named on that school instead.
        registers = {s.municipality_source.file for s in ds.schools.values() if s.municipality_source is not None}
        self.municipal_lists = [d for d in self.outside_sources if d.file not in registers]
        titles = "; ".join(f"«{d.title}»" for d in self.municipal_lists)
        self.outside_titles = titles
        self.kind_note = (f"вид муниципалитета — по перечню {titles}, не из документов проекта" if titles
                          else "вид муниципалитета определён сайтом, в документах проекта не указан")
        self.criteria = ds.monitoring.criteria
        # The scale of a computed sum: every criterion at its maximum.
        self.max_total = sum(c.max_points for c in self.criteria)
        self._lists: dict = {}
        self._averages: dict = {}

    def school(self, school_id: str):
        return self.ds.schools[school_id]

    def municipality(self, municipality_id: str | None):
        return self.ds.municipalities.get(municipality_id) if municipality_id else None

    def members(self, group: int):
        return derive.group_members(self.ds.schools, group)

    def schools_by_municipality(self):
        """[(municipality or None, [school])] by municipality name, schools as in schools_sorted; unknown last."""
        groups: dict = {}
        for school in self.schools_sorted():
            groups.setdefault(school.municipality, []).append(school)
        return self._by_name(groups)

    def _by_name(self, groups: dict) -> list:
        known = sorted((k for k in groups if k is not None), key=lambda k: (self.ds.municipalities[k].name, k))
        ordered = [(self.ds.municipalities[k], groups[k]) for k in known]
        if None in groups:
            ordered.append((None, groups[None]))
        return ordered

    def school_order(self, school) -> str:
        """The school's place in the schools list (by municipality name, group, name) as text that
        sorts the same way: the order of the school filter's results. It depends on this school
        alone, so an edit of another school never changes this page."""
        municipality = self.municipality(school.municipality)
        group, name = derive.school_sort_key(school)
        return f"1 {municipality.name} {group} {name}" if municipality is not None else f"2 {group} {name}"

    def list_pages(self, kind: str):
        """The pages of a long list (paging.ListPage): schools, documents or links by municipality, or
        the municipalities themselves in alphabetical order."""
        if kind not in self._lists:
            if kind == "municipalities":
                rows = [(m, [m]) for m in sorted(self.ds.municipalities.values(), key=lambda m: (m.name, m.id))]
            elif kind == "schools":
                rows = self.schools_by_municipality()
            else:
                rows = self.documents_by_municipality()
            self._lists[kind] = list_pages(LIST_PAGES[kind], rows)
        return self._lists[kind]

    def filter_choices(self):
        """The school filter's choices with counts (filterchoices.py), computed once per build."""
        if "filter" not in self._lists:
            self._lists["filter"] = school_filter_choices(self.ds)
        return self._lists["filter"]

    def school_facets(self, school):
        """The values a school page gives the index for each filter (filterchoices.py)."""
        return school_facets(self.ds, school)

    def schools_sorted(self):
        return sorted(self.ds.schools.values(), key=derive.school_sort_key)

    def reports_of(self, school_id: str):
        return derive.reports_with_school(self.ds.reports, school_id)

    def pairs_of(self, school_id: str):
        return [(r, p) for r in self.ds.reports.values() for p in r.curator_pairs if school_id in (p.curator, p.school)]

    def inferred_note(self, school) -> str:
        """How a school's municipality was found when no document names it, and from what."""
        note = self.inferred_bases[school.municipality_basis]
        if school.municipality_source is not None:
            code = f", код ОКТМО {school.oktmo}" if school.oktmo else ""
            return f"{note}; источник: «{self.sources[school.municipality_source.file].title}»{code}"
        return f"{note}; источник: {self.outside_titles}" if self.outside_titles else note

    def municipality_mark(self, school) -> str | None:
        """The mark beside a school's municipality in lists: short for a district centre (explained on
        the school's page), with its register and code where an outside register gives it."""
        if school.municipality_basis not in self.inferred_bases:
            return None
        if school.municipality_source is not None:
            return self.inferred_note(school)
        return self.inferred_bases[school.municipality_basis]

    # --- what a parent or resident reads first (the box on a school's page, a municipality's verdict) ---

    def deadline_state(self, ref) -> str | None:
        """«прошёл» or «ещё не наступил» on the build's day; None when the date cannot be read."""
        passed = derive.deadline_passed(ref, self.today)
        return None if passed is None else ("прошёл" if passed else "ещё не наступил")

    def programme_over(self) -> bool:
        return self.ds.programme.period.end < self.today

    def documents_behind(self, *records) -> list:
        """The sources (data/sources.yaml order) of every fact in these records: whose dates a page gives."""
        files = {source.file for record in records for _, source in rules.walk(record, Source)}
        return [d for d in self.ds.sources.documents if d.file in files]

    def school_documents_behind(self, school) -> list:
        groups = [self.groups[p.group] for p in school.participations]
        reports = [report for report, _ in self.reports_of(school.id)]
        return self.documents_behind(school, *groups, *reports)

    def municipality_documents_behind(self, municipality) -> list:
        groups = self.groups_of(derive.schools_of(self.ds.schools, municipality.id))
        reports = [r for r in self.ds.reports.values() if r.municipality == municipality.id]
        monitoring = [d.source for d, _ in self.rows_of(municipality.id)]
        return self.documents_behind(municipality, *groups, *reports, *monitoring)

    def contacts_known(self, school=None, municipality=None) -> bool:
        """Whether «Куда обратиться» has anything to show: a school's site, the education office, the coordinator."""
        return bool((school is not None and school.contacts) or (municipality is not None and municipality.contacts)
                    or self.ds.programme.coordinator is not None)

    def municipality_verdict(self, municipality) -> dict:
        """The numbers of a municipality's one-line verdict: its tasks and deadlines, and each monitoring
        table's sum beside the region's average (of the rows with every cell filled)."""
        schools = derive.schools_of(self.ds.schools, municipality.id)
        in_groups = [s for s in schools if s.participations]
        groups = self.groups_of(schools)
        deadlines = [ref for g in groups for ref in g.deadlines_authorities]
        states = [self.deadline_state(ref) for ref in deadlines]
        monitoring = []
        for direction in self.ds.monitoring.directions:
            # Once per build, not per municipality page (thousands of them at national scale).
            if direction.id not in self._averages:
                self._averages[direction.id] = derive.complete_average(direction.rows)
            average, count = self._averages[direction.id]
            row = self.row_for(direction, municipality.id)
            monitoring.append({
                "direction": direction, "row": row, "average": average, "average_rows": count,
                "total": derive.computed_total(row) if row is not None else None,
                "missing": derive.missing_cells(row) if row is not None else 0,
                "compared": derive.compare_to_average(row, average) if row is not None else None,
            })
        return {"schools": len(in_groups), "groups": groups, "tasks": sum(len(g.tasks) for g in groups),
                "deadlines": len(deadlines), "passed": states.count("прошёл"),
                "unread": states.count(None), "monitoring": monitoring}

    def matched_schools(self):
        """(school, report) for each school of a report that is also in a group: the site matched them."""
        found = []
        for report in self.ds.reports.values():
            named = sorted(set(report.participants) | {pair.curator for pair in report.curator_pairs})
            found += [(self.ds.schools[s], report) for s in named if s in self.ds.schools and self.ds.schools[s].participations]
        return found

    def groups_of(self, schools) -> list:
        """The programme's groups any of these schools is in, by number."""
        numbers = {p.group for school in schools for p in school.participations}
        return [g for g in self.ds.programme.groups if g.number in numbers]

    def rows_of(self, municipality_id: str):
        """(direction, row) for each monitoring table the municipality appears in."""
        return [(d, r) for d in self.ds.monitoring.directions for r in d.rows if r.municipality == municipality_id]

    def row_for(self, direction, municipality_id: str):
        return next((r for r in direction.rows if r.municipality == municipality_id), None)

    def findings_of(self, municipality_id: str):
        return [(d, f) for d in self.ds.monitoring.directions for f in d.findings if municipality_id in f.municipalities]

    def documents(self):
        """Every published document with its owner, for the materials and link-status pages."""
        return derive.all_documents(self.ds)

    def status(self, url: str) -> dict | None:
        return self.link_status.get(url)

    def status_known(self, url: str) -> bool:
        """False when the history held something about this link that could not be read: the page
        says «нет данных», not «ещё не проверялась» (linkstatus.py)."""
        return self.link_status.known(url)

    def verdict(self, url: str) -> str:
        """ok, warning, broken — unchecked when the checker has not seen the URL yet, unknown when
        its history could not be read."""
        entry = self.status(url)
        return entry.verdict if entry else ("unchecked" if self.status_known(url) else "unknown")

    def count_verdict(self, verdict: str) -> int:
        return sum(1 for _, _, document in self.documents() if self.verdict(document.url) == verdict)

    def documents_by_municipality(self):
        """[(municipality or None, [(owner folder, owner, document)])], by municipality name; unknown last."""
        groups: dict = {}
        for folder, owner, document in self.documents():
            municipality = owner.id if folder == "municipalities" else owner.municipality
            groups.setdefault(municipality, []).append((folder, owner, document))
        return self._by_name(groups)

    def zone(self, points):
        return derive.zone_for(points, self.ds.monitoring.zones)

    def contradictions(self, direction, finding):
        return derive.contradictions(direction, finding)

    def criterion_number(self, criterion_id: str) -> int:
        return next(c.number for c in self.criteria if c.id == criterion_id)

    def row_zone(self, row):
        return derive.row_zone(row, self.ds.monitoring.zones)

    def names(self, rows) -> str:
        return ", ".join(self.ds.municipalities[r.municipality].name for r in rows)

    def claim_actual(self, claim, direction):
        return derive.claim_count(claim, direction, derive.marks_rows(self.ds.municipalities))

    def dated_events(self):
        """The timeline: every dated fact, by date; dates that cannot be read go last."""
        ds = self.ds
        events = []
        for group in ds.programme.groups:
            for ref in group.deadlines_schools:
                events.append((ref, f"Срок для школ группы {group.number}", group.title, "programme/groups.md#group-" + str(group.number)))
            for ref in group.deadlines_authorities:
                events.append((ref, f"Срок для муниципальных органов управления образованием (МОУО), группа {group.number}", group.title, "programme/groups.md#group-" + str(group.number)))
        seminar = ds.monitoring.seminar
        events.append((seminar.date, "Семинар-совещание: представлены результаты мониторинга дорожных карт", "руководители муниципальных служб и муниципальные координаторы", "monitoring/index.md#seminar"))
        for step in ds.roadmaps.federal:
            events.append((step.date, step.event, "федеральная дорожная карта", "roadmaps/federal.md"))
        for report in ds.reports.values():
            order = report.plan_order
            events.append((order.date, f"Приказ № {order.number} ({order.issuer}): утверждён план работы", report.title, f"reports/{report.id}.md"))

        def key(item):
            dates = derive.dates_of(item[0])
            return (0, min(dates), item[1]) if dates else (1, derive.dt.date.max, item[1])

        return sorted(events, key=key)

    def total_in_groups(self) -> int:
        return sum(len(self.members(g.number)) for g in self.ds.programme.groups)

    def ranked(self, rows):
        """Rows by computed total, highest first; rows without data last."""
        return sorted(rows, key=lambda r: (derive.computed_total(r) is None, -(derive.computed_total(r) or 0),
                                           self.ds.municipalities[r.municipality].name))

    # --- what the seeds do not say (the «Качество данных» page) ---

    def problem_place(self, problem) -> tuple[str, str]:
        """(what a reader calls it, page path) for a problem: public pages name no data files."""
        key = next((k for k, shown in self.ds.files.items() if shown == problem.file), "")
        folder, _, record_id = key.partition("/")
        if folder == "schools" and record_id in self.ds.schools:
            return self.ds.schools[record_id].short_name, f"schools/{record_id}.md"
        if folder == "municipalities" and record_id in self.ds.municipalities:
            return self.ds.municipalities[record_id].name, f"municipalities/{record_id}.md"
        if folder == "reports" and record_id in self.ds.reports:
            return self.ds.reports[record_id].title, f"reports/{record_id}.md"
        if key == "monitoring":
            index = re.match(r"directions\[(\d+)\]", problem.field)
            directions = self.ds.monitoring.directions
            if index and int(index.group(1)) < len(directions):
                direction = directions[int(index.group(1))]
                return f"Мониторинг: {direction.short_title}", f"monitoring/{direction.id}.md"
            return "Мониторинг", "monitoring/index.md"
        if key == "roadmaps":
            return "Федеральная дорожная карта", "roadmaps/federal.md"
        if key == "programme":
            return "Группы школ", "programme/groups.md"
        return "О программе", "programme/index.md"

    def schools_without_municipality(self):
        return sorted((s for s in self.ds.schools.values() if s.municipality is None), key=lambda s: s.short_name)

    def groups_with_levels(self):
        return [g for g in self.ds.programme.groups if any(p.level is not None for _, p in self.members(g.number))]

    def groups_without_levels(self):
        found = []
        for group in self.ds.programme.groups:
            count = sum(1 for _, p in self.members(group.number) if p.level is None)
            if count:
                found.append((group, count))
        return found

    def empty_status_columns(self):
        rows = [m.status for m in self.ds.municipalities.values() if m.status is not None]
        return [title for field, title in STATUS_COLUMNS.items() if rows and all(getattr(r, field) is None for r in rows)]

    def materials_without_url(self):
        found = []
        for report in self.ds.reports.values():
            count = sum(1 for m in report.materials_bank.items if m.url is None)
            if count:
                found.append((report, count))
        return found

    def unlisted_municipalities(self):
        return sorted((m for m in self.ds.municipalities.values() if not m.listed_in_seed), key=lambda m: m.name)

    def recent_events(self, count: int):
        """The latest dated events, newest first (events whose date cannot be read are left out)."""
        dated = [event for event in self.dated_events() if derive.dates_of(event[0])]
        return list(reversed(dated))[:count]

    def outside_programme(self, ref) -> bool:
        return bool(derive.outside(ref, self.ds.programme.period))


def render_pages(ds: Dataset, problems: list, link_status: Mapping | None = None,
                 history: History | None = None, only: set[str] | None = None,
                 status_problems: list | None = None, today: dt.date | None = None) -> dict[str, str]:
    """All generated pages, keyed by their path among the site's pages (as if under docs/).

    `only`: render just these paths (`mkdocs serve` after an edit, see incremental.py).
    `status_problems`: what of the link history could not be read (listed on «Качество данных»).
    `today`: the day deadlines are counted from (default: derive.build_today)."""
    env = environment()
    site = Site(ds, link_status, today)
    common = {"site": site, "ds": ds, "problems": problems, "history": history or History(known=False),
              "status_problems": status_problems or [],
              "max_commits": MAX_COMMITS, "rows_per_page": paging.ROWS_PER_PAGE}

    pages: dict[str, str] = {}

    def page(path: str, template: str, **extra) -> None:
        # Two records on one address would silently replace a page; the validator refuses such ids.
        if path in pages:
            raise ValueError(f"две страницы с одним адресом: {path}")
        if only is not None and path not in only:
            return
        # Links are relative to the page: `up` leads from its folder back to docs/.
        up = Markup("../" * path.count("/"))
        pages[path] = env.get_template(template).render(**common, up=up, **extra)

    for path, template in FIXED_PAGES.items():
        # Only the open-data page counts every table's rows (a second's work at 10 000 schools).
        tables = [(t, len(t.rows(ds, site.link_status))) for t in TABLES] if template == "open_data.md.j2" else []
        page(path, template, tables=tables)
    for kind in LIST_PAGES:
        pages_of_list = site.list_pages(kind)
        for list_page in pages_of_list:
            if list_page.path is not None:
                page(list_page.path, f"{kind}_list.md.j2", list=pages_of_list, current=list_page)
    for school in ds.schools.values():
        page(RECORD_PAGES["schools"].format(school.id), "school.md.j2", school=school)
    for municipality in ds.municipalities.values():
        page(RECORD_PAGES["municipalities"].format(municipality.id), "municipality.md.j2", municipality=municipality)
    for direction in ds.monitoring.directions:
        page(RECORD_PAGES["directions"].format(direction.id), "direction.md.j2", direction=direction)
    for report in ds.reports.values():
        page(RECORD_PAGES["reports"].format(report.id), "report.md.j2", report=report)
    return dict(sorted(pages.items()))


def render_data_errors(problems: list) -> str:
    """The preview's only page while data/ has errors: every problem at its file and line."""
    return environment().get_template("data_errors.md.j2").render(problems=problems)


def render_glossary(ds: Dataset) -> str:
    """Abbreviation definitions in Markdown (glossary.md.j2): the abbr extension makes them tooltips."""
    return environment().get_template("glossary.md.j2").render(ds=ds)


def glossary_terms(ds: Dataset) -> dict[str, str]:
    """{abbreviation: explanation} as Markdown's abbr extension itself reads render_glossary.

    The hook gives them to every page as the extension's `glossary` setting: the same tooltips as
    appending the definitions to every page, without parsing them again for each (half of a school
    page's conversion time)."""
    md = markdown.Markdown(extensions=["abbr"])
    md.convert(render_glossary(ds))
    abbr = next(e for e in md.registeredExtensions if isinstance(e, AbbrExtension))
    return dict(abbr.abbrs)


def render_fragment(name: str, ds: Dataset, problems: list, link_status: Mapping | None = None, **settings) -> str:
    """A piece of a hand-written page (via the macros plugin), rendered like the generated pages.
    `settings`: values of mkdocs.yml a fragment shows (the repository, the feedback address)."""
    env = environment()
    site = Site(ds, link_status)
    return env.get_template(f"fragments/{name}.md.j2").render(site=site, ds=ds, problems=problems, up=Markup(""),
                                                              **settings)
