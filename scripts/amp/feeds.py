"""Following the site without coming back: Atom feeds of «Что изменилось» and calendars of deadlines.

- feeds/changes.xml — every change of the site's data, an entry per first-parent commit (changelog.py);
  feeds/municipalities/<id>.xml — the lines about one municipality, its schools and its reports.
- calendar/programme.ics — every group's deadlines (for schools and for the municipal authorities);
  calendar/groups/<n>.ics — one group's; calendar/municipalities/<id>.ics — those of the groups its
  schools are in, naming the schools.

Pure functions of the data and the history: the same data and history give the same bytes. No date
comes from the clock: a feed is as new as its newest change, a calendar is stamped with the latest
date of the programme's own data. Atom is written with ElementTree (it escapes), the calendar by
RFC 5545's rules below (escaping, CRLF, lines folded at 75 octets). Text from data or from the git
history may hold characters XML and iCalendar forbid (controls): they become «?», so a hostile old
commit cannot make a feed unreadable.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import derive
from .changelog import MAX_COMMITS, MAX_LINES, Entry, History
from .derive import Dataset

SITE_FEED = "feeds/changes.xml"
MUNICIPALITY_FEED = "feeds/municipalities/{}.xml"
EMPTY_SITEMAP = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
                 b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n')
CALENDAR = "calendar/programme.ics"
GROUP_CALENDAR = "calendar/groups/{}.ics"
MUNICIPALITY_CALENDAR = "calendar/municipalities/{}.ics"

ATOM = "http://www.w3.org/2005/Atom"
XHTML = "http://www.w3.org/1999/xhtml"
# A tag: URI (RFC 4151) names the feed and its entries when the site's address is not set; with it,
# its host does. The year is the programme's first: ids stay the same from build to build.
TAG_AUTHORITY = "amp-penza"
TAG_YEAR = 2021
PRODUCT = "-//AMP Penza//Programme deadlines//RU"
NAMES_IN_EVENT = 40  # schools named in one calendar event; a larger group is counted

# A site address used in links as it is: anything else (a line break, a quote) leaves the links relative.
_SITE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/%-]*)?")
# Characters XML 1.0 (and iCalendar, which also forbids controls) cannot carry.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Publication:
    """Where the site is published (mkdocs.yml): absolute links when `url` is set, relative otherwise."""

    url: str = ""  # site_url
    name: str = ""  # site_name; empty: the programme's title
    directory_urls: bool = True

    def __post_init__(self):
        if self.url and not _SITE_URL.fullmatch(self.url):
            object.__setattr__(self, "url", "")

    def authority(self) -> str:
        host = urlsplit(self.url).hostname if self.url else None
        return host or TAG_AUTHORITY

    def tag(self, specific: str) -> str:
        return f"tag:{self.authority()},{TAG_YEAR}:{specific}"

    def page(self, path: str, here: str) -> str:
        """The address of a page (path under docs/, «changes.md») for a file at `here` (under the site)."""
        stem = path[:-len(".md")]
        if stem == "index" or stem.endswith("/index"):
            address = stem[:-len("index")]
        else:
            address = stem + "/" if self.directory_urls else stem + ".html"
        return self.file(address, here)

    def file(self, address: str, here: str) -> str:
        if self.url:
            return self.url.rstrip("/") + "/" + address
        return "../" * here.count("/") + address


def clean(text: str) -> str:
    return _FORBIDDEN.sub("?", text)


# `mkdocs serve`: the inputs and files of the last call. At 10 000 schools and 2 300 municipalities the
# 4 000 files take a second; most edits (a note, a document, a score) change none of them.
_last: tuple[tuple, dict[str, bytes]] | None = None


def _inputs(ds: Dataset, history: History, where: Publication) -> tuple:
    """All that the feeds and calendars read: the history, the programme, and of each record only the
    fields used (names, municipality, groups)."""
    schools = tuple((s.id, s.short_name, s.municipality, tuple(p.group for p in s.participations))
                    for s in ds.schools.values())
    return (where, history, ds.programme, tuple((m.id, m.name) for m in ds.municipalities.values()),
            schools, tuple((r.id, r.municipality) for r in ds.reports.values()))


def render_feeds(ds: Dataset, history: History, where: Publication = Publication()) -> dict[str, bytes]:
    """Every feed and calendar of the site, keyed by its path in the site."""
    global _last
    inputs = _inputs(ds, history, where)
    if _last is not None and _last[0] == inputs:
        return dict(_last[1])
    files = _render(ds, history, where)
    _last = (inputs, files)
    return dict(files)


def _render(ds: Dataset, history: History, where: Publication) -> dict[str, bytes]:
    files = {SITE_FEED: site_feed(ds, history, where)}
    lines = _lines_by_municipality(ds, history)
    for municipality in sorted(ds.municipalities.values(), key=lambda m: m.id):
        files[MUNICIPALITY_FEED.format(municipality.id)] = municipality_feed(ds, history, municipality.id, where,
                                                                             lines.get(municipality.id, {}))
    # The theme fetches sitemap.xml beside every <link rel="alternate"> of a page (meant for language
    # versions; squidfunk/mkdocs-material, zensical/zensical#908): an empty one beside the feeds answers
    # it with a few bytes instead of a 404 on every page a reader opens.
    for folder in sorted({path.rpartition("/")[0] for path in files}):
        files[f"{folder}/sitemap.xml"] = EMPTY_SITEMAP
    # A calendar without any event is not a valid iCalendar file (RFC 5545, 3.6): none is written.
    dated = calendar_groups(ds)
    if dated:
        files[CALENDAR] = calendar(ds, None, None, where)
    for number in dated:
        files[GROUP_CALENDAR.format(number)] = calendar(ds, number, None, where)
    for municipality in sorted(ds.municipalities.values(), key=lambda m: m.id):
        if calendar_groups(ds, municipality.id):
            files[MUNICIPALITY_CALENDAR.format(municipality.id)] = calendar(ds, None, municipality.id, where)
    return dict(sorted(files.items()))


def calendar_groups(ds: Dataset, municipality_id: str | None = None) -> list[int]:
    """The groups with a deadline that has a date — of a municipality: those its schools are in. A page
    links a calendar only when there is one (templates call this)."""
    wanted = None
    if municipality_id is not None:
        wanted = {p.group for s in derive.schools_of(ds.schools, municipality_id) for p in s.participations}
    return [g.number for g in ds.programme.groups if (wanted is None or g.number in wanted)
            and any(ref.start is not None for ref in g.deadlines_schools + g.deadlines_authorities)]


# --- Atom -------------------------------------------------------------------------------------


def _data_day(ds: Dataset) -> dt.date:
    """The latest date of the programme's own data: what a calendar is stamped with, and a feed
    without any change is dated by (never the build's clock)."""
    days = [ds.programme.period.start]
    for group in ds.programme.groups:
        for ref in group.deadlines_schools + group.deadlines_authorities:
            days += derive.dates_of(ref)
    return max(days)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _title(entry: Entry, lines: list[str], more: int) -> str:
    """«01.02.2026: СОШ с. Альфа: уровень (группа 1) изменён с «2» на «1» и ещё 2 изменения»."""
    when = derive.ru_date(entry.date) if entry.date else "дата неизвестна"
    if not lines:
        return f"{when}: массовая правка — {derive.plural(more, 'изменённый файл', 'изменённых файла', 'изменённых файлов')}"
    rest = len(lines) - 1 + more
    tail = f" и ещё {derive.plural(rest, 'изменение', 'изменения', 'изменений')}" if rest > 0 else ""
    return f"{when}: {lines[0][:1].upper()}{lines[0][1:]}{tail}"


def _feed(title: str, subtitle: str, feed_id: str, path: str, page: str, where: Publication,
          entries: list[tuple[Entry, list[str], int]], updated: dt.date) -> bytes:
    """An Atom document; `entries`: (history entry, its lines for this feed, changes not listed)."""
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "ru"})
    ET.SubElement(root, "title").text = clean(title)
    ET.SubElement(root, "subtitle").text = clean(subtitle)
    ET.SubElement(root, "id").text = where.tag(feed_id)
    ET.SubElement(root, "link", {"rel": "self", "type": "application/atom+xml", "href": where.file(path, path)})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": where.page(page, path)})
    days = [entry.date for entry, _, _ in entries if entry.date]
    ET.SubElement(root, "updated").text = _stamp(max(days, default=updated))
    author = ET.SubElement(root, "author")
    ET.SubElement(author, "name").text = clean(where.name)
    for number, (entry, lines, more) in enumerate(entries):
        item = ET.SubElement(root, "entry")
        ET.SubElement(item, "title").text = clean(_title(entry, lines, more))
        # The commit that brought the change names the entry; the same history gives the same ids.
        ET.SubElement(item, "id").text = where.tag(f"{feed_id}/{entry.commit or f'entry-{len(entries) - number}'}")
        ET.SubElement(item, "link", {"rel": "alternate", "type": "text/html", "href": where.page(page, path)})
        ET.SubElement(item, "updated").text = _stamp(entry.date or updated)
        content = ET.SubElement(item, "content", {"type": "xhtml"})
        body = ET.SubElement(content, "div", {"xmlns": XHTML})
        listing = ET.SubElement(body, "ul")
        for line in lines:
            ET.SubElement(listing, "li").text = clean(line[:1].upper() + line[1:])
        if more:
            ET.SubElement(listing, "li").text = "и ещё " + derive.plural(
                more, "изменённый файл", "изменённых файла", "изменённых файлов") + \
                " (массовая правка: файлы по отдельности не описаны)"
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _subtitle(history: History, about: str) -> str:
    if not history.known:
        return ("История изменений неизвестна: сайт собран без истории репозитория, поэтому изменений "
                "в ленте нет.")
    return f"Изменения сведений {about} словами, новые сверху; последние {MAX_COMMITS} правок данных сайта."


def site_feed(ds: Dataset, history: History, where: Publication = Publication()) -> bytes:
    where = _named(ds, where)
    entries = [(entry, entry.lines, entry.more) for entry in history.entries]
    return _feed(f"Что изменилось — {where.name}", _subtitle(history, "сайта"), "changes", SITE_FEED, "changes.md",
                 where, entries, _data_day(ds))


def _lines_by_municipality(ds: Dataset, history: History) -> dict[str, dict[int, list[str]]]:
    """{municipality id: {entry's index: its lines about the municipality}}, in one pass over the history:
    a line is about the municipalities it names (a school's before and after the change, a monitoring
    row's) and those its school or report belongs to now."""
    found: dict[str, dict[int, list[str]]] = {}
    for index, entry in enumerate(history.entries):
        for line, about in zip(entry.lines, entry.about):
            targets = set()
            for key in about:
                folder, _, record = key.partition("/")
                if folder == "municipalities":
                    targets.add(record)
                elif folder == "schools" and record in ds.schools:
                    targets.add(ds.schools[record].municipality)
                elif folder == "reports" and record in ds.reports:
                    targets.add(ds.reports[record].municipality)
            for municipality in targets - {None}:
                found.setdefault(municipality, {}).setdefault(index, []).append(line)
    return found


def municipality_feed(ds: Dataset, history: History, municipality_id: str, where: Publication = Publication(),
                      lines: dict[int, list[str]] | None = None) -> bytes:
    """The changes about one municipality: its own file, its schools (now or before the change) and its
    reports, and the monitoring rows about it. The files of a bulk change beyond those described are
    counted, not read, so which municipalities they concern is unknown: such a change shows here only
    with a line about this municipality (the subtitle says so); all 2 300 feeds of a country-wide site
    repeating every bulk change took 30 s and 160 MB. `lines`: _lines_by_municipality's, for this one."""
    where = _named(ds, where)
    municipality = ds.municipalities[municipality_id]
    if lines is None:
        lines = _lines_by_municipality(ds, history).get(municipality_id, {})
    entries = [(entry, lines[index], entry.more) for index, entry in enumerate(history.entries) if index in lines]
    path = MUNICIPALITY_FEED.format(municipality_id)
    return _feed(f"Что изменилось: {municipality.name} — {where.name}",
                 _subtitle(history, f"о муниципалитете «{municipality.name}» и его школах") + (
                     f" Массовые правки (больше {MAX_LINES} файлов сразу) описаны полностью только в ленте всего сайта."
                     if history.known else ""),
                 f"municipalities/{municipality_id}/changes", path, f"municipalities/{municipality_id}.md",
                 where, entries, _data_day(ds))


def _named(ds: Dataset, where: Publication) -> Publication:
    return where if where.name else Publication(where.url, ds.programme.title, where.directory_urls)


# --- iCalendar (RFC 5545) ---------------------------------------------------------------------


def _text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545, 3.3.11)."""
    value = clean(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> bytes:
    """One content line as octets, folded at 75 octets without splitting a UTF-8 character (3.1)."""
    raw, out, width = line.encode("utf-8"), [], 75
    while len(raw) > width:
        cut = width
        while raw[cut] & 0xC0 == 0x80:  # not inside a multi-byte character
            cut -= 1
        out.append(raw[:cut])
        raw, width = b" " + raw[cut:], 75
    out.append(raw)
    return b"\r\n".join(out) + b"\r\n"


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def calendar(ds: Dataset, group: int | None, municipality_id: str | None,
             where: Publication = Publication()) -> bytes:
    """The deadlines of one group, of the groups a municipality's schools are in, or of every group.

    A deadline is an all-day event (a period: from its first to its last day). A deadline the document
    writes without a readable date (a day without a year) has no place in a calendar and is left out;
    the programme pages show it as written."""
    where = _named(ds, where)
    members: dict[int, list[str]] = {}
    if municipality_id is not None:
        for school in sorted(derive.schools_of(ds.schools, municipality_id), key=lambda s: (s.short_name, s.id)):
            for part in school.participations:
                members.setdefault(part.group, []).append(school.short_name)
        name = f"Сроки программы: {ds.municipalities[municipality_id].name}"
        scope = f"municipalities/{municipality_id}"
    elif group is not None:
        name, scope = f"Сроки программы: группа {group}", f"groups/{group}"
    else:
        name, scope = "Сроки программы: все группы", "programme"
    chosen = calendar_groups(ds, municipality_id)
    groups = [g for g in ds.programme.groups if g.number in chosen and (group is None or g.number == group)]
    stamp = _date(_data_day(ds)) + "T000000Z"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_text(name)}"]
    page = where.url and where.page("programme/groups.md", "")
    for g in groups:
        for whose, refs in (("schools", g.deadlines_schools), ("authorities", g.deadlines_authorities)):
            for index, ref in enumerate(refs, start=1):
                if ref.start is None:
                    continue
                last = ref.end if ref.end is not None and ref.end >= ref.start else ref.start
                summary = (f"Срок для школ группы {g.number}" if whose == "schools" else
                           f"Срок для муниципальных органов управления образованием (МОУО), группа {g.number}")
                details = [f"{g.title}. Срок в документе: {ref.text}.", "Задачи:"] + [f"— {t}" for t in g.tasks]
                names = members.get(g.number, [])
                if names:
                    shown = ", ".join(names[:NAMES_IN_EVENT])
                    extra = len(names) - NAMES_IN_EVENT
                    details.append(f"Школы муниципалитета в группе: {shown}"
                                   + (f" и ещё {derive.plural(extra, 'школа', 'школы', 'школ')}" if extra > 0 else ""))
                lines += ["BEGIN:VEVENT",
                          f"UID:{scope}/group-{g.number}/{whose}-{index}@{where.authority()}",
                          f"DTSTAMP:{stamp}",
                          f"DTSTART;VALUE=DATE:{_date(ref.start)}",
                          f"DTEND;VALUE=DATE:{_date(last + dt.timedelta(days=1))}",
                          f"SUMMARY:{_text(summary)}",
                          f"DESCRIPTION:{_text(chr(10).join(details))}",
                          "TRANSP:TRANSPARENT"]
                if page:
                    lines.append(f"URL:{page}#group-{g.number}")
                lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return b"".join(_fold(line) for line in lines)
