"""A real `mkdocs build --strict` of the real data and of the fixture: what ends up in site/."""

from __future__ import annotations

import pytest

import html as html_module
import json
import re

import searchindex


def page(site, path):
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_every_school_has_a_built_page_with_its_name(built_seed_site, seed_dataset):
    dataset, _ = seed_dataset
    for school in dataset.schools.values():
        html = page(built_seed_site, f"schools/{school.id}")
        assert school.short_name in html.replace("&nbsp;", " ")


def test_every_municipality_has_a_built_page(built_seed_site, seed_dataset):
    dataset, _ = seed_dataset
    for municipality in dataset.municipalities.values():
        assert municipality.name in page(built_seed_site, f"municipalities/{municipality.id}")


def test_site_is_russian_with_russian_search(built_seed_site):
    html = (built_seed_site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ru"' in html
    # One Russian index: Pagefind stems Russian words with its «ru» module.
    languages = searchindex.entry(built_seed_site)["languages"]
    assert list(languages) == ["ru"] and languages["ru"]["wasm"] == "ru"
    assert not (built_seed_site / "search" / "search_index.json").exists()


@pytest.mark.seed_snapshot
def test_home_page_figures_come_from_data(built_seed_site):
    html = (built_seed_site / "index.html").read_text(encoding="utf-8")
    assert "52 школы" in html
    assert "группа 1 — 21, группа 2 — 17, группа 3 — 14" in html
    assert "повышение качества образования" in html.lower()


def test_search_index_has_every_school_with_its_title_and_only_page_content(built_seed_site, seed_dataset):
    dataset, _ = seed_dataset
    indexed = {fragment["url"]: fragment for fragment in searchindex.fragments(built_seed_site)}
    for school in dataset.schools.values():
        assert indexed[f"/schools/{school.id}/"]["meta"]["title"] == school.short_name
    for fragment in indexed.values():
        # The article only: not the banner above the header, the menu or the heading anchors.
        assert "Сведения — из документов проекта" not in fragment["content"], fragment["url"]
        assert "¶" not in fragment["meta"]["title"] + fragment["content"], fragment["url"]


def test_fixture_markup_is_escaped_in_the_built_site(built_minimal_site):
    html = page(built_minimal_site, "schools/beta")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Jinja in data is never executed, neither by the generator nor by the macros plugin.
    text = html_module.unescape(html)
    assert "{{ 7*7 }} | №2" in text and ">49<" not in html


@pytest.mark.seed_snapshot
def test_downloads_are_published(built_seed_site):
    csv = (built_seed_site / "downloads" / "scores.csv").read_text(encoding="utf-8-sig")
    header, *rows = csv.splitlines()
    assert header == ("direction,municipality,name_in_source,roadmap,events_match,methodical_events,results_monitoring,"
                      "recommendations,information,computed_total,stated_total,zone")
    assert "shnro,kamensky,Каменский,1,1,,2,2,1,7,6,неполные данные" in rows
    assert "500plus,belinsky,Белинский,,,,,,,,," in rows  # an empty row stays empty: never 0
    municipalities = (built_seed_site / "downloads" / "municipalities.csv").read_text(encoding="utf-8-sig")
    kamensky = next(line for line in municipalities.splitlines() if line.startswith("kamensky,"))
    assert kamensky.endswith(",7,6,4,4")  # ШНРО computed 7 and stated 6 side by side; 500+ 4 and 4


def test_no_page_links_outside_except_published_documents(built_seed_site):
    external = set()
    for html_file in built_seed_site.rglob("*.html"):
        external.update(re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', html_file.read_text(encoding="utf-8")))
    assert external == set()


@pytest.mark.seed_snapshot
def test_home_page_lists_the_five_latest_events_newest_first(built_seed_site):
    html = (built_seed_site / "index.html").read_text(encoding="utf-8")
    news = re.split(r"<h2[^>]*>Последние события", html, maxsplit=1)[1].split("</ul>", 1)[0]
    dates = [html_module.unescape(d) for d in re.findall(r"<strong>([^<]+)</strong>", news)]
    assert dates == ["22.01.2025", "01.04-29.04.2022", "до 30.03.2022", "28.02. 2022", "21.02.2022"]


def test_mkdocs_build_alone_regenerates_pages_and_refuses_bad_data(tmp_path):
    """`mkdocs build` (and `mkdocs serve`) regenerate pages from data/ through the hook."""
    import subprocess
    import sys

    from projectpaths import FIXTURES, copy_project

    project = copy_project(tmp_path / "ok", FIXTURES / "minimal" / "data")
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"],
                           cwd=project, capture_output=True, text=True, env=env)
    assert built.returncode == 0, built.stderr
    assert (project / "site" / "schools" / "alpha" / "index.html").is_file()

    broken = copy_project(tmp_path / "broken", FIXTURES / "broken-rules" / "data")
    refused = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"],
                             cwd=broken, capture_output=True, text=True, env=env)
    assert refused.returncode != 0
    assert "Данные не прошли проверку, сайт не собран" in refused.stderr
    assert "data/schools/alpha.yaml:4: municipality: неизвестный муниципалитет" in refused.stderr
    assert not (broken / "site").exists() and not (broken / "docs" / "schools").exists()


def test_same_data_gives_a_byte_identical_site_and_search_index(built_minimal_site, tmp_path):
    from projectpaths import FIXTURES, build_site, copy_project

    project = copy_project(tmp_path / "again", FIXTURES / "minimal" / "data")
    result = build_site(project)
    assert result.returncode == 0, result.stderr

    def tree(site):
        # Pagefind itself writes its filter index (and the entry and meta files that name it) in a
        # different order on every run, even from the same files (seen with its own CLI, 1.5.2): those
        # are left out; the pages, the search fragments and the word index must be identical.
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
                if p.is_file() and (p.suffix == ".html" or "pagefind" in p.parts)
                and "filter" not in p.parts and p.suffix != ".pf_meta" and p.name != "pagefind-entry.json"}

    first, second = tree(built_minimal_site), tree(project / "site")
    assert any(path.startswith("pagefind/fragment/") for path in first)
    assert first.keys() == second.keys()
    assert [path for path in first if first[path] != second[path]] == []


def test_every_menu_link_works_and_only_a_menu_page_is_marked_current(tmp_path):
    """Pages outside the menu share the menu drawn once per folder (scripts/amp/navcache.py): on every page
    each link of the menu leads to a built page, and only the pages in the menu mark an item as current."""
    from projectpaths import FIXTURES, build_site, copy_project

    project = copy_project(tmp_path / "p", FIXTURES / "minimal" / "data")
    # Hand-written pages outside the menu, at other depths than the generated ones.
    (project / "docs" / "note.md").write_text("# Заметка\n", encoding="utf-8")
    (project / "docs" / "a" / "b").mkdir(parents=True)
    (project / "docs" / "a" / "b" / "note.md").write_text("# Глубже\n", encoding="utf-8")
    result = build_site(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    current_seen = 0
    for html_file in sorted(site.rglob("index.html")):
        html = html_file.read_text(encoding="utf-8")
        if "md-sidebar--primary" not in html:
            continue
        menu = html.split("md-sidebar--primary", 1)[1].split("md-sidebar--secondary", 1)[0]
        for href in re.findall(r'<a href="([^"#?]*)"', menu):
            target = (html_file.parent / html_module.unescape(href)).resolve()
            assert (target / "index.html").is_file() or target.is_file(), (html_file, href)
        current = re.findall(r'<a href="([^"]*)" class="md-nav__link md-nav__link--active"', menu)
        if html_file.parent.parent.name in ("schools", "municipalities") or "note" in html_file.parts:
            assert current == [], html_file
        for href in current:
            current_seen += 1
            assert (html_file.parent / href).resolve() == html_file.parent.resolve(), (html_file, href)
    assert current_seen > 5
    assert (site / "a" / "b" / "note" / "index.html").is_file()


def test_make_site_indexes_search_after_mkdocs_with_the_same_result(built_minimal_site, tmp_path):
    """`make site` lets MkDocs skip the index (AMP_SEARCH_INDEX=separate) and builds it once MkDocs has
    exited: the search fragments are those of a site indexed by the hook."""
    import subprocess
    import sys

    from projectpaths import FIXTURES, ROOT, build_site, copy_project

    project = copy_project(tmp_path / "p", FIXTURES / "minimal" / "data")
    result = build_site(project, AMP_SEARCH_INDEX="separate")
    assert result.returncode == 0, result.stderr
    assert not (project / "site" / "pagefind").exists()
    indexed = subprocess.run([sys.executable, str(ROOT / "scripts" / "search_index.py"), str(project / "site")],
                             capture_output=True, text=True)
    assert indexed.returncode == 0, indexed.stderr

    def fragments(site):
        return {p.name: p.read_bytes() for p in (site / "pagefind" / "fragment").iterdir()}

    assert fragments(project / "site") == fragments(built_minimal_site)

    nothing = subprocess.run([sys.executable, str(ROOT / "scripts" / "search_index.py"), str(tmp_path / "empty")],
                             capture_output=True, text=True)
    assert nothing.returncode == 1 and "собранного сайта нет" in nothing.stderr and "Traceback" not in nothing.stderr
