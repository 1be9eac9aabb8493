"""«Для координаторов» as a coordinator reads it in the built site: no escaped markup, the repository
and the contributing guide when repo_url is set, and a path without git that names who receives a
spreadsheet (the site's feedback address, also in every page's footer) — or, while the address is
unset, says it must be set instead of showing anything misleading."""

from __future__ import annotations

import html
import re

import pytest
from projectpaths import FIXTURES, build_site, copy_project

ADDRESS = "help_amp@example.org"


def configured(project, repo: bool, address: str | None):
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if repo:
        text = text.replace("# repo_url: https://github.com/<организация>/<репозиторий>",
                            "repo_url: https://github.com/example/amp")
        text = text.replace("# edit_uri: edit/main/docs/", "edit_uri: edit/data/docs/")
    if address is not None:
        text = text.replace('  feedback_email: ""', f'  feedback_email: "{address}"')
    config.write_text(text, encoding="utf-8")
    return project


def shown_text(page: str) -> str:
    """What a reader sees: tags removed, entities decoded once (as the browser does)."""
    body = page.split('<article', 1)[1].split("</article>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", "", body))


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    built = {}
    for name, repo, address in (("set", True, ADDRESS), ("unset", False, None)):
        project = configured(copy_project(tmp_path_factory.mktemp(name), FIXTURES / "minimal" / "data"), repo, address)
        result = build_site(project)
        assert result.returncode == 0, result.stdout + result.stderr
        built[name] = project / "site"
    return built


def read(site, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_the_page_shows_no_escaped_markup(sites):
    text = shown_text(read(sites["unset"], "coordinators/index.html"))
    assert "&#" not in text and "&amp;" not in text
    assert "scripts/import_table.py таблица.xlsx --monitoring shnro" in text
    assert "shnro|500plus" not in text


def test_with_repo_url_the_page_links_the_repository_and_the_contributing_guide(sites):
    page = read(sites["set"], "coordinators/index.html")
    assert '<a href="https://github.com/example/amp">https://github.com/example/amp</a>' in page
    # The branch is the one edit_uri names, as for «Редактировать».
    assert '<a href="https://github.com/example/amp/blob/data/CONTRIBUTING.md">CONTRIBUTING.md</a>' in page


def test_without_repo_url_no_repository_is_linked(sites):
    page = read(sites["unset"], "coordinators/index.html")
    assert "github.com" not in page
    assert "Адрес репозитория в настройках сайта не указан" in shown_text(page)


def test_the_path_without_git_names_who_receives_a_spreadsheet(sites):
    page = read(sites["set"], "coordinators/index.html")
    assert f'<a href="mailto:{ADDRESS}">' in page
    text = shown_text(page)
    assert f"пришлите её на адрес сайта {ADDRESS}. Её получают сопровождающие сайта" in text
    assert "пробным запуском" in text and "pull request" in text


def test_the_feedback_address_is_in_every_pages_footer_when_set(sites):
    for page in ("index.html", "coordinators/index.html", "schools/alpha/index.html"):
        footer = read(sites["set"], page).split("<footer", 1)[1]
        assert f'<a href="mailto:{ADDRESS}">{ADDRESS}</a>' in footer, page
        # The theme's own footer line is still there (the partial extends it).
        assert "Данные сайта можно свободно использовать" in footer


def test_without_the_address_nothing_misleading_appears(sites):
    for page in ("index.html", "coordinators/index.html", "schools/alpha/index.html"):
        assert "mailto:" not in read(sites["unset"], page), page
    text = shown_text(read(sites["unset"], "coordinators/index.html"))
    assert "Прислать таблицу письмом пока некуда: у сайта не указан адрес для писем. Сопровождающим сайта: впишите " \
           "его в extra.feedback_email в mkdocs.yml" in text


def test_a_mistyped_address_stops_the_build(tmp_path):
    project = configured(copy_project(tmp_path, FIXTURES / "minimal" / "data"), False, "help at example.org")
    result = build_site(project)
    assert result.returncode != 0
    assert ("mkdocs.yml: extra.feedback_email: неверный адрес для писем (ожидался адрес вида name@example.org или "
            "пустое значение; найдено: «help at example.org»)") in result.stdout + result.stderr
    assert not (project / "site" / "index.html").exists()
