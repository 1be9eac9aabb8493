"""Markup typed into any free-text field of any data file never becomes live markup on the site.

Not field by field: the test walks the data model, appends the same hostile text to every free-text
value of every kind of data file, builds the real site and reads every page and the search index.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
import yaml
from amp.model import FOLDERS, SINGLE_FILES, LinkStatusFile
from datawalk import append_at, free_text_paths
from projectpaths import FIXTURES, build_site, copy_project
import searchindex

# Closes a title, opens an element with a handler and a link; Markdown and Jinja syntax too.
PAYLOAD = (' </title></script>"\'><x-inj onerror="alert(1)">'
           '[x](javascript:alert(1)) **b** {{ 7*7 }} {% raw %}<!--')
TAG, ATTRIBUTE = "x-inj", "onerror"


class LiveMarkup(HTMLParser):
    """Collects every element and attribute the hostile text would create if it were live."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == TAG:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name == ATTRIBUTE:
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src") and value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


def live_markup(html: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found


def poisoned(path, model) -> int:
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    paths = list(free_text_paths(model, record))
    for where in paths:
        append_at(record, where, PAYLOAD)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(paths)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("hostile"), FIXTURES / "minimal" / "data")
    data = project / "data"
    counts = {name: poisoned(data / name, model) for name, model in SINGLE_FILES.items()}
    for folder, model in FOLDERS.items():
        for path in sorted((data / folder).glob("*.yaml")):
            counts[f"{folder}/{path.name}"] = poisoned(path, model)
    counts["link_status.yaml"] = poisoned(data / "link_status.yaml", LinkStatusFile)
    result = build_site(project)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site", counts


def test_every_kind_of_data_file_was_poisoned(hostile_site):
    _, counts = hostile_site
    assert all(counts.values()), {name: n for name, n in counts.items() if not n}


def test_no_live_markup_in_any_page(hostile_site):
    site, _ = hostile_site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    found = {p.relative_to(site).as_posix(): live_markup(p.read_text(encoding="utf-8")) for p in pages}
    assert {page: hits for page, hits in found.items() if hits} == {}
    # The hostile text itself is shown, as text, on the school pages.
    assert "x-inj" in (site / "schools" / "alpha" / "index.html").read_text(encoding="utf-8")


def test_search_index_holds_hostile_text_only_as_text(hostile_site):
    """Pagefind keeps each page's visible text: markup that had become live on a page would have left
    only its inner text there. The results list inserts these strings as text (tests/test_browser.py)."""
    site, _ = hostile_site
    fragments = searchindex.fragments(site)
    assert len(fragments) > 10
    tag = '<x-inj onerror="alert(1)">'
    texts = [fragment["content"] for fragment in fragments]
    texts += [fragment["meta"].get("title", "") for fragment in fragments]
    texts += [anchor["text"] for fragment in fragments for anchor in fragment.get("anchors", [])]
    poisoned = [text for text in texts if TAG in text]
    assert len(poisoned) > 10
    assert [text for text in poisoned if text.count(TAG) != text.count(tag)] == []
    assert any(tag in fragment["meta"].get("title", "") for fragment in fragments)


def test_downloads_keep_values_as_typed(hostile_site):
    site, _ = hostile_site
    downloads = "".join(p.read_text(encoding="utf-8") for p in (site / "downloads").glob("*.json"))
    assert json.dumps(PAYLOAD, ensure_ascii=False)[1:-1] in downloads


def test_search_results_show_hostile_text_as_text(hostile_site):
    """Typed into the search box, a hostile school name is listed as the characters it is."""
    from browsing import chromium, open_tab, search, served

    site, _ = hostile_site
    with chromium() as browser, served(site) as url:
        tab = open_tab(browser)
        alerts = []
        tab.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
        tab.goto(url + "/")
        found = search(tab, "Альфа")
        assert found and found[0]["title"].startswith("СОШ с. Альфа")
        assert '<x-inj onerror="alert(1)">' in found[0]["title"]
        assert any("<x-inj" in result["excerpt"] for result in found)
        live = tab.evaluate("""() => {
            const box = document.querySelector('.md-search-result');
            return [...box.querySelectorAll('x-inj, script, [onerror]')].length
                 + [...box.querySelectorAll('a')].filter(a => a.href.startsWith('javascript:')).length;
        }""")
        assert live == 0
        # The school filter on «Школы» lists the same names, as text too.
        tab.goto(url + "/schools/")
        tab.wait_for_function("!document.querySelector('[data-amp-filter] select[name=municipality]').disabled")
        tab.select_option("[data-amp-filter] select[name=group]", "1")
        tab.wait_for_function("document.querySelector('[data-amp-filter]').dataset.shown")
        listed = tab.locator(".amp-filter__results").inner_text()
        assert '<x-inj onerror="alert(1)">' in listed
        assert tab.evaluate("document.querySelectorAll('.amp-filter__results x-inj, .amp-filter__results [onerror]').length") == 0
        assert alerts == [] and tab.errors == []
        tab.context.close()



def test_the_school_filter_finds_a_municipality_whatever_its_name_holds(hostile_site):
    """A hostile municipality name (quotes, a backslash, markup) is the option's text, shown as typed; the
    filter chooses by the municipality's id, so the school is found (Pagefind 1.5 matches no filter value
    with «"» or «\\», so a name as the value found nothing)."""
    from browsing import chromium, open_tab, served

    site, _ = hostile_site
    with chromium() as browser, served(site) as url:
        tab = open_tab(browser)
        tab.goto(url + "/schools/")
        options = tab.evaluate("""() => [...document.querySelectorAll('select[name=municipality] option')]
            .filter(o => o.value).map(o => [o.value, o.text])""")
        hostile = [(value, text) for value, text in options if PAYLOAD in text]
        assert hostile and all(re.fullmatch(r"[a-z0-9-]+", value) for value, _ in hostile), options
        indexed = tab.evaluate("""async () => {
          const pagefind = await import('/pagefind/pagefind.js');
          await pagefind.options({ noWorker: true });
          return (await pagefind.filters()).municipality;
        }""")
        assert {value: int(re.search(r"\((\d+)\)$", text).group(1)) for value, text in options} == indexed
        value, text = hostile[0]
        tab.select_option("[data-amp-filter] select[name=municipality]", value)
        tab.wait_for_function("document.querySelector('[data-amp-filter]').dataset.shown")
        count = int(re.search(r"\((\d+)\)$", text).group(1))
        assert tab.locator(".amp-filter__results li a").count() == count > 0
        assert tab.inner_text(".amp-filter__meta").startswith("Найдено: ")
        assert tab.errors == []
        tab.context.close()