"""Issue 19: a parent understands a school's page in one screen, a resident a municipality's.

The box at the top of a school's page (why, what, by when, passed or not, how old the documents are),
«Куда обратиться» from sources only, municipalities found in OKTMO's settlements marked as outside facts,
the municipality's one-line verdict, and — in a real browser at 390×844 — the first screen of a phone
and wide tables read as cards without scrolling the page sideways.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from amp import derive
from amp.load import load
from amp.opendata import TABLES
from amp.pages import render_pages
from browsing import open_tab
from projectpaths import FIXTURES

PHONE = {"width": 390, "height": 844}
AFTER_DEADLINES = dt.date(2026, 12, 6)
BEFORE_DEADLINES = dt.date(2022, 1, 10)


def plain(markdown: str) -> str:
    """The words of a generated page, without tags and Markdown emphasis."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>|\*\*", "", markdown))


def box(page: str) -> str:
    start = page.index('<div class="amp-parent"')
    return plain(page[start:page.index("</div>", start)])


def verdict(page: str) -> str:
    start = page.index('<div class="amp-verdict"')
    return plain(page[start:page.index("</div>", start)])


# --- the day deadlines are counted from -------------------------------------------------------


def test_build_day_is_pinned_by_amp_today_or_source_date_epoch():
    assert derive.build_today({"AMP_TODAY": "2022-01-10"}) == BEFORE_DEADLINES
    assert derive.build_today({"SOURCE_DATE_EPOCH": "1670000000"}) == dt.date(2022, 12, 2)
    # AMP_TODAY wins: a test pins the day even where the packaging sets SOURCE_DATE_EPOCH.
    assert derive.build_today({"AMP_TODAY": "2026-12-06", "SOURCE_DATE_EPOCH": "0"}) == AFTER_DEADLINES
    with pytest.raises(ValueError, match="AMP_TODAY: ожидалась дата"):
        derive.build_today({"AMP_TODAY": "завтра"})
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH: ожидалось число секунд"):
        derive.build_today({"SOURCE_DATE_EPOCH": "вчера"})


@pytest.mark.seed_snapshot
def test_a_deadline_reads_passed_or_not_yet_by_the_build_day_and_the_same_day_gives_the_same_bytes(seed_dataset):
    dataset, _ = seed_dataset
    after = render_pages(dataset, [], today=AFTER_DEADLINES)
    before = render_pages(dataset, [], today=BEFORE_DEADLINES)
    assert render_pages(dataset, [], today=AFTER_DEADLINES) == after
    page = "schools/kamenka-sosh-1.md"  # group 3: schools by 25.01.2022 and 28.01.2022
    assert "Школе: 25.01.2022 — срок прошёл; 28.01.2022 — срок прошёл." in box(after[page])
    assert "Школе: 25.01.2022 — срок ещё не наступил; 28.01.2022 — срок ещё не наступил." in box(before[page])
    assert "и закончилась (по документу)" in box(after[page])
    assert "и ещё идёт (по документу)" in box(before[page])
    assert "Сроки — на день сборки сайта, 06.12.2026." in box(after[page])


# --- 1. the school's box ---------------------------------------------------------------------


@pytest.mark.seed_snapshot
def test_the_school_box_says_why_what_by_when_and_how_old_the_documents_are(seed_dataset):
    dataset, _ = seed_dataset
    pages = render_pages(dataset, [], today=AFTER_DEADLINES)
    shown = box(pages["schools/kamenka-sosh-1.md"])
    group = dataset.programme.groups[2]
    assert f"Группа 3 — «{group.title}» (ОО — школа), № 14 в списке; федеральный проект «500+», 2022 год." in shown
    # The level and what it means among the three, in words.
    assert "Уровень неуспешности 3 из 3 — «сильно неуспевающие» (1 — базово неуспевающие, 2 — умеренно неуспевающие;" in shown
    for task in group.tasks:
        assert task.rstrip(";") in shown
    # МОУО is spelled out in the box, not only in a tooltip.
    assert "МОУО (районному или городскому органу управления образованием): 28.01.2022 — срок прошёл; 01.02.2022 — срок прошёл." in shown
    assert "Сделано ли. В документах проекта не отмечено — нет данных." in shown
    assert "Программа шла 22.11.2021 – 31.12.2022 г. и закончилась" in shown
    assert "Сведения — из документов: 2021–2022 годы (дата составления в документе не указана)" in shown


@pytest.mark.seed_snapshot
def test_the_date_line_gives_the_documents_dates_apart_from_the_sites_copy(seed_dataset, built_seed_site):
    dataset, _ = seed_dataset
    pages = render_pages(dataset, [], today=AFTER_DEADLINES)
    for path in ("schools/kamenka-sosh-1.md", "municipalities/kamensky.md"):
        line = plain(pages[path])
        assert "Даты. Документы, из которых сведения этой страницы: 2021–2022 годы (дата составления в документе не указана)." in line, path
    report = plain(pages["schools/penza-sosh-41.md"])
    assert "Документы, из которых сведения этой страницы: 2025 год («Пенза 2025» на титульном листе)." in report
    # The built page: the documents' dates, then when the site's copy changed — said as such.
    built = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", (built_seed_site / "schools" / "kamenka-sosh-1" / "index.html")
                                      .read_text(encoding="utf-8")))
    documents = built.index("Даты. Документы, из которых сведения этой страницы: 2021–2022 годы")
    copy = built.index("Копия этих сведений на сайте последний раз изменена:")
    assert documents < copy
    assert "(это не дата документов, из которых они взяты)" in built[copy:]


# --- 2 and 3: contacts and OKTMO, on a small fixture -------------------------------------------

OKTMO_SETTLEMENTS = "ОКТМО, раздел 2 — населённые пункты (учебный)"


def _edit(path: Path, change) -> None:
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def outside_data(tmp_path):
    """The minimal data where beta's municipality comes from OKTMO's settlements and alpha and town
    have sites taken from their documents' addresses."""
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")

    def sources(s):
        s["documents"].append({"file": "oktmo.csv", "title": OKTMO_SETTLEMENTS, "description": "Копия классификатора.",
                               "date_text": "редакция по копии от 29.10.2016", "project_document": False})

    def beta(school):
        school.update(municipality="district", municipality_basis="населённый пункт по ОКТМО",
                      municipality_source={"file": "oktmo.csv", "section": "с Бета"}, oktmo="56 640 402 101")

    def alpha(school):
        school["contacts"] = [{"name": "Сайт школы", "url": "https://alpha.example/", "derived_by_site": True,
                               "source": {"file": "seed.txt", "section": "Ссылки"}}]

    def town(m):
        m["contacts"] = [{"name": "Управление образования г. Города", "source": {"file": "seed.txt", "section": "Титул"}}]

    _edit(data / "sources.yaml", sources)
    _edit(data / "schools" / "beta.yaml", beta)
    _edit(data / "schools" / "alpha.yaml", alpha)
    _edit(data / "municipalities" / "town.yaml", town)
    return data


def test_a_municipality_from_oktmo_is_marked_with_its_register_and_code_wherever_it_shows(outside_data):
    dataset, problems = load(outside_data)
    assert dataset is not None, [p.format() for p in problems]
    pages = render_pages(dataset, [], today=AFTER_DEADLINES)
    mark = (f"определён сайтом по населённому пункту школы в ОКТМО, в документах не указан; источник: "
            f"«{OKTMO_SETTLEMENTS}», код ОКТМО 56 640 402 101")
    school = plain(pages["schools/beta.md"])
    name = dataset.municipalities["district"].name
    assert f"Муниципалитет: [{name}](../municipalities/district.md) " + mark in school
    # The school list of its municipality, the schools list, and the filter's result line.
    assert mark in plain(pages["municipalities/district.md"])
    schools_list = plain(pages["schools/index.md"])
    assert "| Школа | Муниципалитет |" in schools_list and mark in schools_list
    assert f'<span data-pagefind-meta="municipality">{name} ({mark})</span>' in pages["schools/beta.md"]
    # The register is listed among the outside sources, not as the list of municipalities.
    assert f"«{OKTMO_SETTLEMENTS}»" not in plain(pages["municipalities/district.md"]).split("Школы")[0]
    # Open data: the code and the register's name in the schools table.
    table = next(t for t in TABLES if t.name == "schools")
    row = next(r for r in table.rows(dataset, {}) if r["id"] == "beta")
    assert (row["municipality_basis"], row["oktmo"], row["municipality_source"]) == (
        "населённый пункт по ОКТМО", "56 640 402 101", OKTMO_SETTLEMENTS)


def test_a_municipality_from_oktmo_needs_its_register_and_code(outside_data, capsys):
    def no_code(school):
        del school["oktmo"]
        school["municipality_source"]["file"] = "seed.txt"

    _edit(outside_data / "schools" / "beta.yaml", no_code)
    dataset, problems = load(outside_data)
    messages = [p.format() for p in problems]
    assert dataset is None
    assert any("schools/beta.yaml" in m and "oktmo: при основании «населённый пункт по ОКТМО» нужен код ОКТМО" in m
               for m in messages), messages
    assert any("municipality_source.file: муниципалитет по населённому пункту берётся из источника не из документов "
               "проекта" in m and "найдено: «seed.txt»" in m for m in messages), messages


def test_whom_to_ask_shows_sources_only_and_says_nodata_for_the_rest(outside_data):
    dataset, problems = load(outside_data)
    assert dataset is not None, [p.format() for p in problems]
    pages = render_pages(dataset, [], today=AFTER_DEADLINES)
    alpha = plain(pages["schools/alpha.md"])
    contacts = alpha[alpha.index("Куда обратиться"):alpha.index("Участие в программе")]
    assert "Школа: - Сайт школы: [https://alpha.example/](https://alpha.example/). Источник: «Учебный документ», раздел «Ссылки». Адрес сайта определён сайтом по адресам документов" in contacts
    assert "Управление образования г. Города. Источник: «Учебный документ», раздел «Титул»." in contacts
    assert "Региональный координатор программы: нет данных" in contacts
    assert "Куда обратиться" in plain(pages["municipalities/town.md"])
    # Nothing known for a school of the district (no site, no office, no coordinator): no section at all.
    assert "Куда обратиться" not in plain(pages["schools/beta.md"])
    assert "Куда обратиться" not in plain(pages["municipalities/district.md"])


# --- 4. the municipality's verdict -------------------------------------------------------------


@pytest.mark.seed_snapshot
def test_the_verdict_counts_tasks_and_deadlines_and_says_what_an_incomplete_row_does_say(seed_dataset):
    dataset, _ = seed_dataset
    pages = render_pages(dataset, [], today=AFTER_DEADLINES)
    shown = verdict(pages["municipalities/kamensky.md"])
    schools = [s for s in dataset.schools.values() if s.municipality == "kamensky" and s.participations]
    groups = sorted({p.group for s in schools for p in s.participations})
    tasks = sum(len(g.tasks) for g in dataset.programme.groups if g.number in groups)
    deadlines = sum(len(g.deadlines_authorities) for g in dataset.programme.groups if g.number in groups)
    assert f"в программе {derive.plural(len(schools), 'школа', 'школы', 'школ')} муниципалитета" in shown
    assert f"задач по этим группам — {tasks}, сроков для МОУО (муниципального органа управления образованием) — {deadlines}, из них прошли {deadlines}" in shown
    # Каменский, ШНРО: 1+1+2+2+1 with К3 empty — a lower bound, said in words, not a bare grey badge.
    assert "ШНРО (школы с низкими результатами обучения): не ниже 7 из 10, 1 ячейка пуста — не ниже среднего по области" in shown
    # The same words on the monitoring table's zone badge.
    assert "неполные данные: не ниже 7 из 10, 1 ячейка пуста" in plain(pages["monitoring/shnro.md"])
    before = verdict(render_pages(dataset, [], today=BEFORE_DEADLINES)["municipalities/kamensky.md"])
    assert "из них прошли 0" in before


# --- in a real browser, on a phone -------------------------------------------------------------


@pytest.fixture
def phone(browser):
    tab = open_tab(browser, **PHONE)
    yield tab
    tab.context.close()
    assert tab.errors == []


def _top_chrome(tab) -> float:
    """Where the announcement bar, the low-vision bar and the header end."""
    return tab.evaluate("""() => Math.max(...['.md-banner', '.amp-a11y-bar', '.md-header']
        .map(s => document.querySelector(s)).filter(Boolean).map(e => e.getBoundingClientRect().bottom))""")


@pytest.mark.seed_snapshot
def test_on_a_phone_every_schools_name_and_box_fit_the_first_screen(phone, site_url, seed_dataset):
    dataset, _ = seed_dataset
    too_low = {}
    for school in dataset.schools:
        phone.goto(f"{site_url}/schools/{school}/")
        assert _top_chrome(phone) <= PHONE["height"] / 5, school
        name = phone.locator("article h1").bounding_box()
        shown = phone.locator(".amp-parent").bounding_box()
        assert name["y"] >= 0 and name["y"] + name["height"] <= shown["y"], school
        if shown["y"] + shown["height"] > PHONE["height"]:
            too_low[school] = shown["y"] + shown["height"]
    assert too_low == {}
    assert "Коротко: школа в программе" in phone.locator(".amp-parent").inner_text()


@pytest.mark.seed_snapshot
def test_on_a_phone_the_home_page_shows_how_to_find_a_school_first(phone, site_url):
    phone.goto(site_url + "/")
    assert _top_chrome(phone) <= PHONE["height"] / 5
    heading = phone.locator("article h2", has_text="Как найти свою школу").bounding_box()
    assert heading["y"] + heading["height"] <= PHONE["height"]
    assert phone.locator(".md-header__button[for=__search]").is_visible()


@pytest.mark.seed_snapshot
def test_on_a_phone_the_municipality_verdict_is_on_the_first_screen(phone, site_url):
    phone.goto(site_url + "/municipalities/kamensky/")
    shown = phone.locator(".amp-verdict")
    assert shown.bounding_box()["y"] + shown.bounding_box()["height"] <= PHONE["height"]
    assert "не ниже 7 из 10, 1 ячейка пуста" in re.sub(r"\s+", " ", shown.inner_text())


def _first_column(tab, table) -> list[str]:
    return [re.sub(r"\s+", " ", text).strip() for text in table.locator("tbody tr td:first-child").all_text_contents()]


@pytest.mark.seed_snapshot
@pytest.mark.parametrize("path", ["/municipalities/", "/monitoring/shnro/"])
def test_on_a_phone_wide_tables_read_as_cards_without_scrolling_the_page_sideways(browser, phone, site_url, path):
    desktop = open_tab(browser)
    desktop.goto(site_url + path)
    wide = desktop.locator("article .amp-wide table").first
    order = _first_column(desktop, wide)
    headers = [h.strip() for h in wide.locator("thead th").all_inner_texts()]
    desktop.context.close()

    phone.goto(site_url + path)
    table = phone.locator("article .amp-wide table").first
    phone.wait_for_function("document.querySelector('article .amp-wide table td[data-label]') !== null")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Nothing of the table lies beyond the screen's right edge, so nothing needs sideways scrolling.
    right = phone.evaluate("""() => Math.max(...[...document.querySelectorAll('article .amp-wide table td')]
        .map(td => td.getBoundingClientRect().right))""")
    assert right <= PHONE["width"]
    # The same data in the same order, every cell labelled with its column's title.
    assert _first_column(phone, table) == order
    first_row = table.locator("tbody tr").first.locator("td")
    labels = [first_row.nth(i).get_attribute("data-label") for i in range(first_row.count())]
    assert labels == headers
    card = first_row.nth(1)
    assert card.evaluate("td => getComputedStyle(td, '::before').content") == f'"{headers[1]}"'
