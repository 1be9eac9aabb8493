"""The built site in a real browser (Debian's Chromium driven by Playwright): search and sorting."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from amp import derive

def search(page, site_url, query):
    """Results for a query, opened as a shared search link (/?q=…), as a reader would."""
    page.goto(site_url + "/?q=" + quote(query))
    page.wait_for_selector(".md-search-result__item", timeout=20000)
    return page.inner_text(".md-search-result")


@pytest.mark.parametrize("query", ["Каменка", "Каменке", "Каменки", "каменки"])
def test_search_understands_russian_word_forms(page, site_url, query):
    assert "СОШ № 1 г. Каменки" in search(page, site_url, query)


def test_search_finds_a_school_by_its_village(page, site_url):
    assert "СОШ с. Кувак-Никольское" in search(page, site_url, "Кувак")


def test_search_finds_municipality_by_case_form(page, site_url):
    assert "Каменский район" in search(page, site_url, "каменского района")


def column(table, title):
    """The cells of the column headed `title`, top to bottom, as shown."""
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    index = next(i for i, h in enumerate(headers) if h.startswith(title))
    return [row.split("\t")[index].strip() for row in table.locator("tbody tr").all_inner_texts()]


def test_clicking_a_header_sorts_the_table_and_keeps_no_data_last(page, site_url, seed_dataset):
    dataset, _ = seed_dataset
    direction = next(d for d in dataset.monitoring.directions if d.id == "500plus")
    sums = sorted(derive.computed_total(r) for r in direction.rows if derive.computed_total(r) is not None)
    missing = ["нет данных"] * sum(1 for r in direction.rows if derive.computed_total(r) is None)
    page.goto(site_url + "/monitoring/500plus/")
    table = page.locator("article table").first
    header = table.locator("th", has_text="Сумма")
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert column(table, "Сумма") == [str(s) for s in sums] + missing
    header.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    assert column(table, "Сумма") == [str(s) for s in reversed(sums)] + missing


def test_zones_sort_by_level_with_incomplete_rows_last(page, site_url, seed_dataset):
    dataset, _ = seed_dataset
    zones = sorted(dataset.monitoring.zones, key=lambda z: z.min_points)
    page.goto(site_url + "/monitoring/shnro/")
    table = page.locator("article table").first
    table.locator("th", has_text="Зона").click()
    shown = column(table, "Зона")
    # Named zones by level, lowest first; «неполные данные» and «нет данных» after all of them.
    ranks = [next((i for i, z in enumerate(zones) if z.title == text), len(zones)) for text in shown]
    assert ranks == sorted(ranks) and len(set(ranks)) > 1


def test_key_value_tables_and_chart_columns_are_not_sortable(page, site_url):
    page.goto(site_url + "/municipalities/kamensky/")
    assert page.locator("article table").count() > 1
    # Only the schools list sorts; the score tables («Критерий — Баллы») do not.
    sortable = page.locator("article th[aria-sort]").all_inner_texts()
    assert sortable and all(h.strip() in ("Школа", "Группа", "Уровень неуспешности") for h in sortable)
    page.goto(site_url + "/monitoring/shnro/")
    for chart in page.locator("article table", has=page.locator(".amp-bar")).all():
        assert all(not h.strip().startswith(("Шкала", "Доля")) for h in chart.locator("th[aria-sort]").all_inner_texts())


@pytest.mark.seed_snapshot
def test_school_page_reads_well(page, site_url, tmp_path):
    page.goto(site_url + "/schools/penza-co-1/")
    text = page.inner_text("article")
    assert "Уровень неуспешности" in text and "3 — Сильно неуспевающие" in text
    assert "школа-куратор" in text
    page.screenshot(path=str(tmp_path / "school.png"))
