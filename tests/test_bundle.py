"""The project's stylesheets and scripts reach readers as one stylesheet and one asynchronous script, which
works whenever it arrives, and the page does not move when the scripts (the theme's and the site's) arrive."""

from __future__ import annotations

import contextlib
import re

import pytest
from amp import bundle
from browsing import layout_shift, open_tab, slow_4g
from projectpaths import ROOT


def test_a_page_links_one_project_stylesheet_and_one_asynchronous_project_script(built_minimal_site):
    html = (built_minimal_site / "schools" / "alpha" / "index.html").read_text(encoding="utf-8")
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(r"<script[^>]* src=\"([^\"]+)\"[^>]*>", html)
    theirs = [s for s in stylesheets if "/assets/stylesheets/" not in s]
    assert theirs == ["../../assets/amp.css"]
    assert [s for s in scripts if "/assets/javascripts/" not in s] == ["../../assets/amp.js"]
    # async: neither the first paint nor the theme's own start waits for it on a slow connection.
    assert '<script src="../../assets/amp.js" async>' in html
    # The sources are in the bundles and are not published on their own.
    for path in bundle.sources(ROOT / "docs", bundle.STYLESHEET) + bundle.sources(ROOT / "docs", bundle.SCRIPT):
        assert not (built_minimal_site / path).exists(), path
    published = (built_minimal_site / "assets" / "amp.js").read_text(encoding="utf-8")
    assert (ROOT / "docs" / "javascripts" / "tablesort.js").read_text(encoding="utf-8").strip() in published


def test_scripts_keep_their_order_and_a_new_file_is_bundled_too(tmp_path):
    (tmp_path / "javascripts").mkdir()
    for name in ("school-filter.js", "site-search.js", "a-new.js", "tablesort.js"):
        (tmp_path / "javascripts" / name).write_text(f"var x = '{name}'", encoding="utf-8")
    assert bundle.sources(tmp_path, bundle.SCRIPT) == [
        "javascripts/tablesort.js", "javascripts/site-search.js", "javascripts/school-filter.js", "javascripts/a-new.js"]
    (tmp_path / "javascripts" / "ready.js").write_text("var ready", encoding="utf-8")
    assert bundle.sources(tmp_path, bundle.SCRIPT)[0] == "javascripts/ready.js"  # the others start through it


def test_same_sources_same_bytes_and_an_edit_is_read_on_the_next_build(tmp_path):
    for folder, name, text in (("stylesheets", "amp.css", "a { color: red }"), ("javascripts", "tablesort.js", "f()")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text(text, encoding="utf-8")
    first = bundle.make(tmp_path)
    assert first == bundle.make(tmp_path)
    (tmp_path / "stylesheets" / "amp.css").write_text("a { color: blue }", encoding="utf-8")
    assert "color: blue" in bundle.make(tmp_path)[bundle.STYLESHEET]
    # A script without a final «;» does not run into the next one.
    (tmp_path / "javascripts" / "site-search.js").write_text("(function () {})()", encoding="utf-8")
    assert "f()\n;\n/* javascripts/site-search.js */" in bundle.make(tmp_path)[bundle.SCRIPT]


def test_make_serve_shows_an_edit_to_a_stylesheet(tmp_path):
    import subprocess
    import sys

    from projectpaths import FIXTURES, copy_project, mkdocs_env
    from test_preview import free_port, wait_for

    project = copy_project(tmp_path / "p", FIXTURES / "minimal" / "data")
    port = free_port()
    with open(tmp_path / "serve.log", "w+", encoding="utf-8") as log:
        # As make serve runs it: --dirty rebuilds only what changed.
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict",
                                   "-a", f"127.0.0.1:{port}"], cwd=project, stdout=log, stderr=subprocess.STDOUT,
                                  env=mkdocs_env())
        try:
            url = f"http://127.0.0.1:{port}/assets/amp.css"
            wait_for(url, ".amp-a11y-bar")
            source = project / "docs" / "stylesheets" / "amp.css"
            source.write_text(source.read_text(encoding="utf-8") + "\n.amp-edited-now { color: red; }\n",
                              encoding="utf-8")
            wait_for(url, ".amp-edited-now")
        finally:
            server.terminate()
            server.wait(timeout=30)


def _script_early(route):
    """The page with the project's script moved to the top of <head> and made blocking: it runs before
    the browser has parsed the header, the menu or the tables (as an async script from the cache may)."""
    response = route.fetch()
    html = response.text()
    tag = re.search(r'<script src="([^"]*assets/amp\.js)" async></script>', html)
    assert tag, "the page links the project's script"
    html = html.replace(tag.group(0), "").replace("<head>", f'<head><script src="{tag.group(1)}"></script>', 1)
    route.fulfill(response=response, body=html)


@contextlib.contextmanager
def script_held_back(tab, site_url):
    """The project's script does not arrive while the block runs (the theme starts, the page is shown); then
    it does, as on a slow connection."""
    tab.route("**/assets/amp.js", lambda route: route.abort())
    yield
    tab.unroute("**/assets/amp.js")
    tab.add_script_tag(url=site_url + "/assets/amp.js")


@pytest.mark.parametrize("arrival", ["late", "early"])
def test_the_project_script_works_whether_it_arrives_late_or_runs_before_the_page_is_parsed(browser, site_url, arrival):
    tab = open_tab(browser, width=390, height=844)
    try:
        if arrival == "late":
            with script_held_back(tab, site_url):
                tab.goto(site_url + "/monitoring/shnro/")
                tab.wait_for_function("window.document$ !== undefined")
                assert tab.locator("th[aria-sort]").count() == 0
                # Phone cards are labelled by the page itself, before the first paint, not by the late script.
                assert tab.locator(".amp-wide table td[data-label]").count() > 0
        else:
            tab.route("**/monitoring/shnro/", _script_early)
            tab.goto(site_url + "/monitoring/shnro/")
        # Every part of the script found its page: sortable and labelled tables, search in the header,
        # the two buttons above it.
        tab.wait_for_selector("th[aria-sort]", state="attached")
        assert tab.locator(".amp-wide table td[data-label]").count() > 0
        assert tab.locator(".md-header__inner .md-search__input").count() == 1
        tab.get_by_role("button", name="Тёмная тема").click()  # the phone is set to light
        assert tab.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        assert tab.get_by_role("button", name="Тёмная тема").get_attribute("aria-pressed") == "true"
        tab.get_by_role("button", name="Версия для слабовидящих").click()
        assert tab.evaluate("document.documentElement.classList.contains('amp-low-vision')")
        assert tab.errors == []
    finally:
        tab.context.close()


def test_a_query_typed_before_the_script_arrived_is_searched_when_it_does(page, site_url):
    """On a slow connection the search box is there from the first paint, before the script: what the
    reader typed meanwhile is not lost, the results come when the script does."""
    with script_held_back(page, site_url):
        page.goto(site_url + "/programme/")
        page.locator(".md-search__input").press_sequentially("Кувак", delay=15)
    page.wait_for_function("document.querySelector('.md-search-result').dataset.query === 'Кувак'")
    assert "Кувак" in page.locator(".md-search-result__item").first.inner_text()


@pytest.mark.parametrize("width", [360, 412])
@pytest.mark.parametrize("path", ["/", "/schools/kamenka-sosh-1/", "/monitoring/500plus/"])
def test_no_page_moves_when_the_scripts_arrive_on_a_slow_phone(browser, site_url, width, path):
    """What the scripts change (the theme's and the site's) is in place from the first paint: the banner's close
    button, which the theme showed only once its script had run, used to wrap the banner onto one more line and
    push the page down by it."""
    tab = open_tab(browser, width=width, height=800)
    try:
        slow_4g(tab)
        tab.goto(site_url + path)
        shift = layout_shift(tab)
        assert shift < 0.01, shift
        assert tab.errors == []
    finally:
        tab.context.close()
