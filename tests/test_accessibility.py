"""What a parent on a phone, a reader with poor sight or a screen reader gets, in a real browser.

axe-core (bundled by axe-playwright-python) runs inside Chromium on the pages people open most,
in both colour schemes; layout is measured at 390 px (a phone) and 1366 px (a laptop).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

PAGES = ["/", "/schools/kamenka-sosh-1/", "/municipalities/kamensky/", "/municipalities/", "/monitoring/",
         "/monitoring/shnro/", "/monitoring/500plus/", "/404.html"]


def serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {len(v['nodes'])} × {v['nodes'][0]['target']}" for v in found
            if v["impact"] in ("serious", "critical")]


@pytest.fixture(params=["light", "dark"])
def scheme_page(request, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, color_scheme=request.param)
    tab = context.new_page()
    yield tab
    context.close()


def test_no_serious_accessibility_violations(scheme_page, site_url):
    found = {}
    for path in PAGES:
        scheme_page.goto(site_url + path)
        found[path] = serious(scheme_page)
    assert {path: v for path, v in found.items() if v} == {}


def test_no_serious_accessibility_violations_in_search_results(scheme_page, site_url):
    # A shared search link opens the results once the index is ready (typing may outrun the index).
    scheme_page.goto(site_url + "/?q=" + quote("Каменка"))
    scheme_page.wait_for_selector(".md-search-result__item", timeout=30000)
    assert serious(scheme_page) == []


def test_low_vision_version_is_larger_high_contrast_and_remembered(page, site_url):
    page.goto(site_url + "/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    toggle = page.get_by_role("button", name="Версия для слабовидящих")
    toggle.click()
    assert page.get_by_role("button", name="Обычная версия сайта").get_attribute("aria-pressed") == "true"
    page.goto(site_url + "/monitoring/shnro/")  # a full page load: the choice is remembered
    large = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert large >= normal * 1.25
    colours = page.evaluate("[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]")
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    assert serious(page) == []
    page.get_by_role("button", name="Обычная версия сайта").click()
    page.reload()
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == normal


@pytest.mark.parametrize("path", PAGES)
def test_no_page_scrolls_sideways_on_a_phone(browser, site_url, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.goto(site_url + path)
    width = tab.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 390


@pytest.mark.parametrize("path, columns", [
    ("/monitoring/shnro/", ["Муниципалитет", "Сумма", "Итого в документе", "Зона"]),
    ("/municipalities/", ["Муниципалитет", "ШНРО: сумма", "ШНРО: зона", "500+: сумма", "500+: зона"]),
])
def test_wide_tables_show_the_totals_without_scrolling_on_a_laptop(browser, site_url, path, columns):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    tab = context.new_page()
    tab.goto(site_url + path)
    table = tab.locator("article table").first
    for title in columns:
        box = table.locator("th", has_text=title).first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1366, (title, box)
    context.close()


def test_municipality_column_stays_in_place_when_a_table_scrolls_sideways(browser, site_url):
    # A tablet: on a phone (below 45em) the table reads as cards instead (tests/test_parent_box.py).
    context = browser.new_context(viewport={"width": 768, "height": 1024}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.goto(site_url + "/municipalities/")
    row = tab.locator("article table tbody tr").first
    before = [row.locator("td").nth(i).bounding_box()["x"] for i in (0, 3)]
    tab.locator("article .md-typeset__scrollwrap").first.evaluate("el => el.scrollLeft = 400")
    after = [row.locator("td").nth(i).bounding_box()["x"] for i in (0, 3)]
    context.close()
    assert 0 <= after[0] <= before[0]  # the name stays at the left edge, in view
    assert after[1] < before[1] - 300  # while the other columns moved


def test_every_abbreviation_has_a_tooltip(page, site_url):
    page.goto(site_url + "/monitoring/shnro/")
    titles = page.locator("article abbr").evaluate_all("els => els.map(e => [e.textContent, e.title])")
    shown = dict(titles)
    for short in ("ШНРО", "К1", "К6", "МОУО"):
        assert shown.get(short), short
    # Generated pages too: the school list names МБОУ, СОШ…
    page.goto(site_url + "/schools/")
    shown = dict(page.locator("article abbr").evaluate_all("els => els.map(e => [e.textContent, e.title])"))
    assert shown.get("СОШ") == "средняя общеобразовательная школа (пояснение сайта, в документах проекта не раскрыто)"
