"""The site knows its published address (site_url, passed in by the deploy as SITE_URL) and works at a
project address (…github.io/<repo>/): sitemap, canonical links, the 404 page, plain page loads.

The site is built for the address a local server gives it and served under /amp/ as GitHub Pages
serves a project site: every missing address answers 404 with the site's 404.html.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browsing import HEADER_COLOUR, follow_tab, search, served_as_pages
from projectpaths import FIXTURES, build_site, copy_project

PREFIX = "/amp/"


@pytest.fixture(scope="module")
def project_site(tmp_path_factory):
    """(address, site folder): the minimal data built with SITE_URL set to where it is served."""
    project = copy_project(tmp_path_factory.mktemp("address"), FIXTURES / "minimal" / "data")
    with served_as_pages(project / "site", PREFIX) as url:
        result = build_site(project, SITE_URL=url)
        assert result.returncode == 0, result.stderr[-3000:]
        yield url, project / "site"


def pages(site: Path) -> list[str]:
    """The address of every page of the built site, relative to its root («» for the home page)."""
    return sorted(p.parent.relative_to(site).as_posix().removeprefix(".") + "/" for p in site.rglob("index.html")
                  if "pagefind" not in p.parts)


def test_sitemap_lists_every_page_at_its_full_address(project_site):
    url, site = project_site
    listed = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    expected = [url + path.lstrip("/") for path in pages(site)]
    assert sorted(listed) == expected
    assert url + "schools/alpha/" in listed  # a page made from data, not a file under docs/


def test_every_page_has_its_canonical_link(project_site):
    url, site = project_site
    for path in pages(site):
        html = (site / path.lstrip("/") / "index.html").read_text(encoding="utf-8")
        assert re.findall(r'<link rel="canonical" href="([^"]+)">', html) == [url + path.lstrip("/")], path


def test_without_an_address_the_site_builds_with_relative_links_only(built_minimal_site):
    html = (built_minimal_site / "schools" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in html
    assert '<link rel="stylesheet" href="../../assets/amp.css">' in html


def test_missing_page_at_a_project_address_has_styles_and_a_working_menu(page, project_site):
    url, _ = project_site
    response = page.goto(url + "no/such/page")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Страница не найдена"
    # Material's stylesheet and the project's loaded: the header has its colour, the menu its tabs.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == HEADER_COLOUR
    assert page.evaluate("getComputedStyle(document.querySelector('.amp-a11y-bar')).display") == "flex"
    failed = [r.url for r in page.responses if r.status >= 400 and r.url != url + "no/such/page"]
    assert failed == []
    follow_tab(page, url, "Школы", "schools/")
    page.go_back()
    page.get_by_role("link", name="главной страницы").click()
    page.wait_for_url(url)


def test_menu_links_load_each_page_afresh_without_the_sitemap_and_the_scripts_work(page, project_site):
    """No instant navigation (mkdocs.yml): it would download and parse the whole sitemap on every page load,
    and the sitemap grows with the list of schools. Each page is a page load of its own, and every project
    script starts on it."""
    url, _ = project_site
    page.goto(url)
    page.evaluate("window.ampSamePage = 'yes'")  # kept only by an in-place swap
    follow_tab(page, url, "Муниципалитеты", "municipalities/")
    assert page.evaluate("window.ampSamePage") is None
    # Sorting: a header click sorts the table.
    header = page.locator(".amp-sortable table thead th").first
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    # The school filter fills itself on «Школы».
    follow_tab(page, url, "Школы", "schools/")
    page.wait_for_function("() => { const box = document.querySelector('[data-amp-filter]');"
                          " return box && box.dataset.shown && !box.querySelector('select[name=municipality]').disabled; }")
    page.select_option("select[name=municipality]", index=1)
    page.locator(".amp-filter__results li a").first.wait_for()
    # The low-vision switch and the search box.
    page.get_by_role("button", name="Версия для слабовидящих").click()
    assert page.evaluate("document.documentElement.classList.contains('amp-low-vision')")
    page.get_by_role("button", name="Обычная версия сайта").click()
    found = search(page, "Альфа")
    assert found and "Альфа" in found[0]["title"]
    page.wait_for_load_state("networkidle")
    assert [r.url for r in page.responses if r.url == url + "sitemap.xml"] == []


def test_a_page_with_feeds_requests_nothing_that_is_missing(page, project_site):
    # The theme looks for sitemap.xml beside each <link rel="alternate"> (the feeds): it must find one.
    url, _ = project_site
    page.goto(url + "municipalities/town/")
    page.wait_for_load_state("networkidle")
    assert len(page.locator('link[rel="alternate"]').all()) == 2
    assert [r.url for r in page.responses if r.status >= 400] == []
