"""The built site in a real browser (Debian's Chromium driven by Playwright): search and sorting."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from urllib.parse import quote

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("в CI нужен Chromium (apt-get install chromium): .ci/run ставит его сам")
        pytest.skip("нет Chromium (apt-get install chromium): тесты в браузере пропущены")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield instance
        instance.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url(built_real_site):
    handler = functools.partial(QuietHandler, directory=str(built_real_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert errors == []


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


def totals(table):
    """The «Сумма» column (after the name and six criteria) of each body row, as shown."""
    return [row.split("\t")[7].strip() for row in table.locator("tbody tr").all_inner_texts()]


def test_clicking_a_header_sorts_the_table_and_keeps_no_data_last(page, site_url):
    page.goto(site_url + "/monitoring/500plus/")
    table = page.locator("article table").first
    header = table.locator("th", has_text="Сумма")
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert totals(table) == ["4", "4", "4", "4", "5", "5", "6", "6", "6", "7", "8"] + ["нет данных"] * 4
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert totals(table) == ["8", "7", "6", "6", "6", "5", "5", "4", "4", "4", "4"] + ["нет данных"] * 4


def test_school_page_reads_well(page, site_url, tmp_path):
    page.goto(site_url + "/schools/penza-co-1/")
    text = page.inner_text("article")
    assert "Уровень неуспешности" in text and "3 — Сильно неуспевающие" in text
    assert "школа-куратор" in text
    page.screenshot(path=str(tmp_path / "school.png"))
