"""Following the site without coming back: the Atom feeds of «Что изменилось» and the calendars of the
programme's deadlines, read by a real feed parser (feedparser) and a real calendar library (icalendar)
from a site built out of a real git history."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import icalendar
import pytest
import yaml
from amp import feeds
from amp.build import prepare
from amp.changelog import Entry, History
from projectpaths import FIXTURES, build_site, copy_project, edit_record

if shutil.which("git") is None:
    pytest.skip("нет git", allow_module_level=True)

from test_changelog import commit, git  # noqa: E402  (the history helpers)

# The name of a school as a careless coordinator may type it: iCalendar's special characters.
ODD_NAME = "СОШ № 3; корпус 2, г. Город \\ филиал"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project copy whose data/ has three first-parent commits, built twice (for byte identity)."""
    project = copy_project(tmp_path_factory.mktemp("feeds") / "project", FIXTURES / "minimal" / "data")
    data = project / "data"
    git(project, "init", "-q", "-b", "main")

    def deadlines(programme):
        group = next(g for g in programme["groups"] if g["number"] == 3)
        group["deadlines_schools"] += [{"text": "25.04-01.06.2022", "start": dt.date(2022, 4, 25), "end": dt.date(2022, 6, 1)},
                                       {"text": "до конца апреля", "start": None}]
    edit_record(data / "programme.yaml", deadlines)
    edit_record(data / "schools" / "gamma.yaml", lambda r: r.update(short_name=ODD_NAME))
    commit(project, "2026-01-10T12:00:00+03:00", "Данные")
    edit_record(data / "schools" / "alpha.yaml", lambda r: r["participations"][0].update(level=1))
    edit_record(data / "monitoring.yaml", lambda m: m["directions"][0]["rows"][0]["scores"].update(information=2))
    commit(project, "2026-02-01T09:30:00+03:00")

    def moved(school):
        participation = dict(yaml.safe_load((data / "schools" / "beta.yaml").read_text(encoding="utf-8"))["participations"][0])
        school.update(municipality="district", participations=[{**participation, "number": 2, "name_in_source": ODD_NAME}])
    edit_record(data / "schools" / "gamma.yaml", moved)
    edit_record(data / "municipalities" / "district.yaml", lambda r: r.update(name="Сельский район (новое название)"))
    commit(project, "2026-03-05T18:00:00+03:00")
    sites = []
    for _ in range(2):
        result = build_site(project)
        assert result.returncode == 0, result.stdout + result.stderr
        sites.append(project / f"site-{len(sites)}")
        shutil.move(project / "site", sites[-1])
    return project, sites


@pytest.fixture(scope="module")
def site(project):
    return project[1][0]


def parse(site: Path, path: str):
    feed = feedparser.parse((site / path).read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def texts(entry) -> str:
    return entry.content[0].value


def opens(site: Path, at: str, href: str) -> bool:
    """Whether a link found in the file `at` (relative to the site) leads to a file of the built site."""
    target = urljoin("http://site.test/" + at, href).removeprefix("http://site.test/")
    return (site / target).is_file() or (site / target / "index.html").is_file()


def test_the_site_feed_has_an_entry_per_change_in_russian_with_working_links(site):
    feed = parse(site, "feeds/changes.xml")
    assert feed.version == "atom10"
    assert feed.feed.title.startswith("Что изменилось")
    assert [e.title[:11] for e in feed.entries] == ["05.03.2026:", "01.02.2026:", "10.01.2026:"]
    assert [e.updated[:10] for e in feed.entries] == ["2026-03-05", "2026-02-01", "2026-01-10"]
    assert "СОШ с. Альфа: уровень (группа 1) изменён с «2» на «1»" in texts(feed.entries[1])
    assert "Сельский район (новое название)" in texts(feed.entries[0])
    assert len({e.id for e in feed.entries}) == 3 and all(e.id.startswith("tag:") for e in feed.entries)
    for link in [feed.feed.link] + [e.link for e in feed.entries]:
        assert opens(site, "feeds/changes.xml", link), link
    assert opens(site, "feeds/changes.xml", next(l.href for l in feed.feed.links if l.rel == "self"))


def test_a_municipality_feed_tells_only_about_it_and_its_schools(site):
    town = parse(site, "feeds/municipalities/town.xml")
    district = parse(site, "feeds/municipalities/district.xml")
    assert "г. Город" in town.feed.title and "Сельский район (новое название)" in district.feed.title
    town_text = " ".join(texts(e) for e in town.entries)
    district_text = " ".join(texts(e) for e in district.entries)
    assert "СОШ с. Альфа: уровень (группа 1) изменён" in town_text
    assert "Мониторинг «ШНРО», г. Город: балл К6 изменён" in town_text
    assert "СОШ с. Альфа" not in district_text and "новое название" not in town_text
    # A school that moved is news for both: the municipality it left and the one it joined.
    assert "муниципалитет изменён с «town» на «district»" in town_text
    assert "муниципалитет изменён с «town» на «district»" in district_text
    assert "название изменено с «Сельский район» на «Сельский район (новое название)»" in district_text
    assert [e.title[:11] for e in district.entries][0] == "05.03.2026:"
    assert all(opens(site, "feeds/municipalities/town.xml", e.link) for e in town.entries)
    assert town.entries[0].link.endswith("municipalities/town/")


def events(site: Path, path: str) -> list:
    calendar = icalendar.Calendar.from_ical((site / path).read_bytes())
    return list(calendar.walk("VEVENT"))


def days(event) -> tuple[dt.date, dt.date]:
    return event.decoded("DTSTART"), event.decoded("DTEND")


def test_the_calendars_hold_each_groups_deadlines_on_their_dates(site):
    every = events(site, "calendar/programme.ics")
    summaries = {(str(e["SUMMARY"]), days(e)) for e in every}
    day = dt.timedelta(days=1)
    assert ("Срок для школ группы 1", (dt.date(2022, 2, 21), dt.date(2022, 2, 21) + day)) in summaries
    assert ("Срок для муниципальных органов управления образованием (МОУО), группа 1",
            (dt.date(2022, 2, 28), dt.date(2022, 2, 28) + day)) in summaries
    # A period lasts to its last day inclusive; a deadline without a readable date is not guessed.
    assert ("Срок для школ группы 3", (dt.date(2022, 4, 25), dt.date(2022, 6, 2))) in summaries
    assert len(every) == 5
    assert len({str(e["UID"]) for e in every}) == 5
    assert {str(e["SUMMARY"])[-1] for e in events(site, "calendar/groups/3.ics")} == {"3"}
    assert "провести анализ" in str(events(site, "calendar/groups/1.ics")[0]["DESCRIPTION"])


def test_a_municipality_calendar_has_the_groups_of_its_schools_naming_them(site):
    town = events(site, "calendar/municipalities/town.ics")
    assert {str(e["SUMMARY"])[-1] for e in town} == {"1"}  # alpha is in group 1; gamma has left
    district = events(site, "calendar/municipalities/district.ics")
    assert {str(e["SUMMARY"])[-1] for e in district} == {"3"} and len(district) == 3
    assert all(f"Школы муниципалитета в группе: {ODD_NAME}" in str(e["DESCRIPTION"]) for e in district)


def test_the_calendar_is_written_by_the_rules_of_rfc_5545(site):
    raw = (site / "calendar/municipalities/district.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # long descriptions are folded
    raw.decode("utf-8")  # folding never splits a character


def test_feeds_and_calendars_are_byte_identical_for_the_same_data(project):
    first, second = project[1]
    made = sorted(p.relative_to(first) for folder in ("feeds", "calendar") for p in (first / folder).rglob("*") if p.is_file())
    assert len(made) == 3 + 2 + 5  # feeds: the site's, 2 municipalities', an empty sitemap beside each folder of them; calendars: all, 2 groups, 2 municipalities
    assert all((first / p).read_bytes() == (second / p).read_bytes() for p in made)


def test_pages_point_readers_and_feed_readers_to_the_feeds(site):
    def alternates(page: str) -> list[str]:
        html = (site / page).read_text(encoding="utf-8")
        return re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)"', html)

    home = alternates("index.html")
    assert home == ["feeds/changes.xml"] and opens(site, "index.html", home[0])
    assert '<a href="feeds/changes.xml">лента изменений (Atom)</a>' in (site / "index.html").read_text(encoding="utf-8")
    town = alternates("municipalities/town/index.html")
    assert town == ["../../feeds/changes.xml", "../../feeds/municipalities/town.xml"]
    assert all(opens(site, "municipalities/town/index.html", href) for href in town)
    municipality = (site / "municipalities/town/index.html").read_text(encoding="utf-8")
    assert '<a href="../../feeds/municipalities/town.xml">лента изменений муниципалитета и его школ (Atom)</a>' in municipality
    assert '<a href="../../calendar/municipalities/town.ics">' in municipality
    school = (site / "schools/alpha/index.html").read_text(encoding="utf-8")
    assert '<a href="../../calendar/groups/1.ics">календарь сроков группы 1 (.ics)</a>' in school
    assert '<a href="../../feeds/changes.xml">лента изменений (Atom)</a>' in school
    changes = (site / "changes/index.html").read_text(encoding="utf-8")
    assert '<a href="../feeds/changes.xml">лента изменений всего сайта (Atom)</a>' in changes


def test_without_history_the_feed_is_valid_and_says_the_history_is_unknown(tmp_path):
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    build, _ = prepare(data)
    feed = feedparser.parse(build.files["feeds/changes.xml"])
    assert feed.bozo == 0 and feed.entries == []
    assert feed.feed.subtitle.startswith("История изменений неизвестна")
    assert feedparser.parse(build.files["feeds/municipalities/town.xml"]).bozo == 0



def test_a_municipality_without_schools_in_the_groups_gets_no_empty_calendar(tmp_path):
    # RFC 5545 wants at least one event in a calendar: none is written, and the page does not offer one.
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    build, _ = prepare(data)
    assert "calendar/municipalities/district.ics" not in build.files
    assert "calendar/municipalities/district.ics" not in build.files["municipalities/district.md"]
    assert "feeds/municipalities/district.xml" in build.files["municipalities/district.md"]
    assert "calendar/municipalities/town.ics" in build.files["municipalities/town.md"]
    assert sorted(p for p in build.files if p.startswith("calendar/groups/")) == ["calendar/groups/1.ics", "calendar/groups/3.ics"]


def test_with_the_sites_address_links_are_absolute(tmp_path):
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    build, _ = prepare(data, where=feeds.Publication("https://example.org/amp/", "Сайт"))
    feed = feedparser.parse(build.files["feeds/municipalities/town.xml"])
    assert feed.bozo == 0 and feed.feed.link == "https://example.org/amp/municipalities/town/"
    assert feed.feed.id == "tag:example.org,2021:municipalities/town/changes"
    event = icalendar.Calendar.from_ical(build.files["calendar/programme.ics"]).walk("VEVENT")[0]
    assert str(event["URL"]) == "https://example.org/amp/programme/groups/#group-1"
    # An address that could break out of a link or a calendar line is not used.
    broken = prepare(data, where=feeds.Publication("https://example.org/\r\nX-EVIL:1", "Сайт"))[0]
    assert b"X-EVIL" not in broken.files["calendar/programme.ics"] and b"evil" not in broken.files["feeds/changes.xml"].lower()


def test_hostile_history_text_never_makes_a_feed_unreadable(minimal_dataset):
    dataset, _ = minimal_dataset
    line = "СОШ <script>: примечание изменено с «\x01\x0b» на «]]> & \ufffe»"
    history = History(known=True, entries=[Entry(dt.date(2026, 1, 1), [line], 0, "a" * 40,
                                                 [frozenset({"schools/alpha"})])])
    for made in (feeds.site_feed(dataset, history), feeds.municipality_feed(dataset, history, "town")):
        feed = feedparser.parse(made)
        assert feed.bozo == 0
        assert "СОШ <script>: примечание изменено с «??» на «]]> & ?»" in feed.entries[0].title


def test_a_bulk_change_is_counted_in_the_site_feed_and_in_the_feeds_it_names(minimal_dataset):
    dataset, _ = minimal_dataset
    bulk = Entry(dt.date(2026, 2, 2), ["СОШ с. Альфа: примечание изменено с «нет данных» на «а»"], 40, "b" * 40,
                 [frozenset({"schools/alpha"})])
    elsewhere = Entry(dt.date(2026, 2, 1), ["добавлена школа СОШ с. Икс"], 45, "c" * 40, [frozenset({"schools/x"})])
    history = History(known=True, entries=[bulk, elsewhere])
    site = feedparser.parse(feeds.site_feed(dataset, history))
    assert [e.title for e in site.entries] == [
        "02.02.2026: СОШ с. Альфа: примечание изменено с «нет данных» на «а» и ещё 40 изменений",
        "01.02.2026: Добавлена школа СОШ с. Икс и ещё 45 изменений"]
    assert "и ещё 45 изменённых файлов (массовая правка" in site.entries[1].content[0].value
    town = feedparser.parse(feeds.municipality_feed(dataset, history, "town"))
    assert [e.title[:10] for e in town.entries] == ["02.02.2026"]
    assert "и ещё 40 изменённых файлов" in town.entries[0].content[0].value
    assert "описаны полностью только в ленте всего сайта" in town.feed.subtitle
    assert feedparser.parse(feeds.municipality_feed(dataset, history, "district")).entries == []


def test_a_rebuild_after_an_edit_shows_the_edit(tmp_path, minimal_dataset):
    # `mkdocs serve` reuses the last files when nothing they show has changed: a rename must show.
    from amp.load import load

    before = feeds.render_feeds(minimal_dataset[0], History(known=False))
    assert "СОШ с. Альфа" in icalendar.Calendar.from_ical(before["calendar/municipalities/town.ics"]).walk("VEVENT")[0]["DESCRIPTION"]
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    edit_record(data / "schools" / "alpha.yaml", lambda r: r.update(short_name="СОШ с. Альфа-Новая", note="другое"))
    after = feeds.render_feeds(load(data)[0], History(known=False))
    assert "СОШ с. Альфа-Новая" in icalendar.Calendar.from_ical(after["calendar/municipalities/town.ics"]).walk("VEVENT")[0]["DESCRIPTION"]
    edit_record(data / "schools" / "alpha.yaml", lambda r: r.update(note="только примечание"))
    assert feeds.render_feeds(load(data)[0], History(known=False)) == after
