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


@pytest.mark.parametrize("path", ["/monitoring/shnro/", "/schools/"])
def test_tables_wider_than_a_phone_scroll_by_keyboard_and_each_has_its_own_name(browser, site_url, path):
    """A table wider than the phone scrolls sideways in its frame: a keyboard reaches the frame, and a screen
    reader hears which table it is (axe: scrollable-region-focusable, landmark-unique)."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(site_url + path)
    tab.wait_for_function("document.querySelectorAll('.md-typeset__scrollwrap[role=region]').length > 0")
    names = tab.evaluate("[...document.querySelectorAll('.md-typeset__scrollwrap[role=region]')]"
                         ".map(r => [r.tabIndex, r.getAttribute('aria-label')])")
    violations = Axe().run(tab).response["violations"]
    context.close()
    assert all(index == 0 for index, _ in names)
    labels = [label for _, label in names]
    assert len(set(labels)) == len(labels), labels
    assert all(label.startswith("Таблица «") and label.endswith(", прокручивается вбок") for label in labels), labels
    ours = [(v["id"], node["target"]) for v in violations for node in v["nodes"]
            if v["id"] in ("landmark-unique", "scrollable-region-focusable") and "scrollwrap" in str(node["target"])]
    assert ours == []
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []


SMALL_TEXT = """() => {
  // Visible text smaller than 12 px, by size and the element that holds it (Lighthouse's «legible font sizes»).
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = {};
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const holder = node.parentElement;
    if (!text || holder.closest("noscript, [hidden], script, style")) continue;
    const style = getComputedStyle(holder);
    if (style.display === "none" || style.visibility === "hidden" || !holder.getClientRects().length) continue;
    const size = parseFloat(style.fontSize);
    if (size < 12) found[size.toFixed(1) + " px: " + (holder.className || holder.tagName)] = text.slice(0, 60);
  }
  return found;
}"""


def test_no_text_on_a_phone_is_smaller_than_12_px(browser, site_url):
    """The marks a parent needs most (where a fact comes from, «подсчёт сайта», the zone) sit in tables set
    smaller than the text; they must stay readable on a phone."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    small = {}
    for path in [*PAGES, "/schools/", "/open-data/"]:
        tab.goto(site_url + path)
        small.update({f"{path} {where}": text for where, text in tab.evaluate(SMALL_TEXT).items()})
    context.close()
    assert small == {}


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


# The scheme as the header is first parsed: the page must not be drawn light and then turn dark.
SCHEME_AT_HEADER = """
new MutationObserver((changes, observer) => {
  const header = document.querySelector(".md-header");
  if (header && document.body) {
    window.ampSchemeAtHeader = document.body.getAttribute("data-md-color-scheme");
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def scheme_of(tab) -> tuple[str, str, str]:
    """The body's scheme, whether its background is dark, and whether «Тёмная тема» reads as pressed."""
    return tuple(tab.evaluate("""[document.body.getAttribute('data-md-color-scheme'),
        getComputedStyle(document.body).backgroundColor.match(/\\d+/g).slice(0, 3).reduce((a, b) => a + +b, 0) < 200 ? 'dark' : 'light',
        document.querySelector('.amp-scheme-toggle').getAttribute('aria-pressed')]"""))


@pytest.mark.parametrize("system, other", [("dark", "light"), ("light", "dark")])
def test_colour_scheme_follows_the_phone_until_the_reader_chooses(browser, site_url, system, other):
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=system)
    context.add_init_script(SCHEME_AT_HEADER)
    tab = context.new_page()
    dark, light = ("slate", "dark", "true"), ("default", "light", "false")
    try:
        tab.goto(site_url + "/schools/kamenka-sosh-1/")
        assert scheme_of(tab) == (dark if system == "dark" else light)
        assert tab.evaluate("window.ampSchemeAtHeader") == scheme_of(tab)[0]  # set before the header is drawn
        assert tab.locator("[data-md-component=palette]").count() == 0  # no theme switcher working at every load
        # The phone's setting changes while the page is open: the page follows.
        tab.emulate_media(color_scheme=other)
        tab.wait_for_function("s => document.body.getAttribute('data-md-color-scheme') === s",
                              arg=(dark if other == "dark" else light)[0], timeout=5000)
        assert scheme_of(tab) == (dark if other == "dark" else light)
        tab.emulate_media(color_scheme=system)
        tab.wait_for_function("s => document.body.getAttribute('data-md-color-scheme') === s",
                              arg=(dark if system == "dark" else light)[0], timeout=5000)
        # The reader's choice wins over the phone's and is remembered on the next page.
        tab.get_by_role("button", name="Тёмная тема").click()
        chosen = light if system == "dark" else dark
        assert scheme_of(tab) == chosen
        tab.goto(site_url + "/monitoring/shnro/")
        assert scheme_of(tab) == chosen
        assert tab.evaluate("window.ampSchemeAtHeader") == chosen[0]
        tab.emulate_media(color_scheme=other)
        tab.wait_for_timeout(300)  # the phone's change arrives as an event; the reader's choice holds
        assert scheme_of(tab) == chosen
        assert serious(tab) == []
    finally:
        context.close()


def test_a_tap_on_an_abbreviation_shows_what_it_stands_for(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    try:
        tab.goto(site_url + "/monitoring/shnro/")
        tip = tab.locator(".amp-abbr-tip")
        # An abbreviation outside a link (one inside a link would open the link): the page's heading.
        abbr = tab.locator("article h1 abbr", has_text="ШНРО")
        abbr.tap()
        tip.wait_for(state="visible", timeout=5000)
        assert tip.text_content() == "ШНРО — " + abbr.get_attribute("title")
        box, word = tip.bounding_box(), abbr.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= 390  # on the screen, not past its edge
        assert box["y"] >= word["y"] + word["height"]  # below the word it explains
        tab.locator("article p:not([hidden])").first.tap()
        tip.wait_for(state="hidden", timeout=5000)
    finally:
        context.close()
