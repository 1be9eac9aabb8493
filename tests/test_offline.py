"""Pages without a connection (docs/sw.js) and the site without JavaScript.

A school page opened once opens again offline, marked with the date it was saved; when the network
answers, the reader always gets the page as it is now. The site is served at a project address
(/amp/), as GitHub Pages serves it.
"""

from __future__ import annotations

import os
import re

import pytest
from browsing import HEADER_COLOUR, follow_tab, open_tab, served, served_as_pages
from projectpaths import FIXTURES, build_site, copy_project, replace_in

SCHOOL = "schools/alpha/"


@pytest.fixture
def project_site(tmp_path):
    project = copy_project(tmp_path / "p", FIXTURES / "minimal" / "data")
    with served_as_pages(project / "site", "/amp/") as url:
        result = build_site(project, SITE_URL=url)
        assert result.returncode == 0, result.stderr[-3000:]
        yield url, project / "site"


def saved(tab) -> list[str]:
    return tab.evaluate("caches.keys().then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))"
                        ".then(lists => lists.flat().map(r => r.url))")


def until_saved(tab, done) -> None:
    """Waits (up to 10 s) until what the service worker keeps, in the order it was put, satisfies `done`."""
    for _ in range(100):
        if done(saved(tab)):
            return
        tab.wait_for_timeout(100)
    assert done(saved(tab)), saved(tab)


def wait_until_saved(tab, urls):
    tab.wait_for_function("() => navigator.serviceWorker.controller !== null")
    until_saved(tab, lambda kept: set(urls) <= set(kept))


def test_a_page_opened_once_opens_offline_with_its_date_and_fresh_when_online(page, project_site):
    url, site = project_site
    page.goto(url + SCHOOL)
    note = page.locator(".amp-saved-copy")
    assert note.is_hidden()
    stylesheets = page.evaluate("[...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)")
    wait_until_saved(page, [url + SCHOOL, *stylesheets])

    page.context.set_offline(True)
    page.reload()
    assert page.locator("h1").first.inner_text().startswith("СОШ с. Альфа")
    assert note.is_visible()
    assert note.inner_text().startswith("Сохранённая копия от ")
    assert "нет связи" in note.inner_text().lower()
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == HEADER_COLOUR

    # Online again, the site has changed: the reader sees the new page, not the saved copy.
    page.context.set_offline(False)
    page.wait_for_function("navigator.onLine")  # the connection is back before the reader reloads
    built = site / SCHOOL / "index.html"
    replace_in(built, ("с. Альфа<a", "с. Альфа-обновлённая<a"))
    # A later deploy: the local server dates files to the second (Last-Modified), and the page was built
    # less than a second before this edit in some runs, so the browser's check would hear «not modified».
    later = built.stat().st_mtime + 60
    os.utime(built, (later, later))
    page.reload()
    assert page.locator("h1").first.inner_text().startswith("СОШ с. Альфа-обновлённая")
    assert note.is_hidden()


def test_a_page_reached_from_the_menu_is_kept_too(page, project_site):
    url, _ = project_site
    page.goto(url)
    wait_until_saved(page, [url])
    follow_tab(page, url, "Мониторинг", "monitoring/")
    wait_until_saved(page, [url + "monitoring/"])
    page.context.set_offline(True)
    page.reload()
    assert page.locator(".amp-saved-copy").inner_text().startswith("Сохранённая копия от ")
    # A page never opened is not pretended to be there.
    assert url + "programme/" not in saved(page)


def sw_limit(site, name: str) -> int:
    return int(re.search(rf"var {name} = (\d+);", (site / "sw.js").read_text(encoding="utf-8")).group(1))


def test_a_phone_keeps_only_the_pages_and_files_read_last(page, project_site):
    """A reader who goes through hundreds of school pages, and a site redeployed many times, do not fill the
    phone: the longest unread pages and files give way."""
    url, site = project_site
    most_pages, most_files = sw_limit(site, "MAX_PAGES"), sw_limit(site, "MAX_FILES")
    for number in range(most_pages + 5):
        (site / "read" / str(number)).mkdir(parents=True)
        (site / "read" / str(number) / "index.html").write_text(f"<p>{number}</p>", encoding="utf-8")
    for number in range(most_files + 5):
        (site / "read" / f"{number}.css").write_text("p{}", encoding="utf-8")
    pages = [f"{url}read/{number}/" for number in range(most_pages + 5)]
    files = [f"{url}read/{number}.css" for number in range(most_files + 5)]
    page.goto(url + SCHOOL)
    wait_until_saved(page, [url + SCHOOL])

    def read(urls):  # as the page asks the service worker to keep what it loaded
        page.evaluate("urls => navigator.serviceWorker.controller.postMessage({keep: urls})", urls)

    read(pages[:5] + files[:5])
    wait_until_saved(page, pages[:5] + files[:5])
    read(pages[5:] + files[5:])
    # The last ones in, then the oldest out.
    until_saved(page, lambda kept: set(pages[5:] + files[5:]) <= set(kept)
                and not set(pages[:5] + files[:5]) & set(kept))
    kept = saved(page)
    assert url + SCHOOL not in kept
    assert len([u for u in kept if u.endswith("/")]) == most_pages
    assert len([u for u in kept if not u.endswith("/")]) == most_files

    # A page read again is the newest: it stays when more pages come.
    read(pages[5:6])
    until_saved(page, lambda kept: [u for u in kept if u.endswith("/")][-1] == pages[5])
    (site / "read" / "new").mkdir()
    (site / "read" / "new" / "index.html").write_text("<p>new</p>", encoding="utf-8")
    read([url + "read/new/"])
    until_saved(page, lambda kept: url + "read/new/" in kept and pages[6] not in kept)
    assert pages[5] in saved(page)


def test_without_javascript_search_says_so_and_the_low_vision_switch_is_not_offered(browser, built_minimal_site):
    with served(built_minimal_site) as url:
        context = browser.new_context(java_script_enabled=False)
        try:
            tab = context.new_page()
            tab.goto(url + "/" + SCHOOL)
            note = tab.locator(".amp-noscript-search")
            assert note.is_visible()
            assert "включены скрипты" in note.inner_text()
            tab.get_by_role("link", name="«Школы»").click()
            tab.wait_for_url(url + "/schools/")
            assert tab.locator(".amp-noscript-search").is_visible()
            # The school filter cannot work: it is not shown, a note says where the schools are instead.
            assert tab.locator("[data-amp-filter]").is_hidden()
            assert tab.get_by_text("Подбор школ работает, когда в браузере включены скрипты").is_visible()
            # The button is in the page but not shown: without scripts it would switch nothing.
            assert tab.locator(".amp-low-vision-toggle").count() == 1
            assert tab.locator(".amp-low-vision-toggle").is_hidden()
        finally:
            context.close()


def test_with_javascript_there_is_no_noscript_note_and_the_switch_is_offered(browser, built_minimal_site):
    with served(built_minimal_site) as url:
        tab = open_tab(browser)
        try:
            tab.goto(url + "/" + SCHOOL)
            assert tab.locator(".amp-noscript-search").count() == 0
            assert tab.get_by_role("button", name="Версия для слабовидящих").is_visible()
            tab.goto(url + "/schools/")
            assert tab.locator("[data-amp-filter]").is_visible()
            assert tab.get_by_text("Подбор школ работает, когда в браузере включены скрипты").is_hidden()
        finally:
            tab.context.close()
