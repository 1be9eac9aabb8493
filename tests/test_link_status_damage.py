"""A damaged data/link_status.yaml never stops the site: `mkdocs build --strict` of a copy of the
fixture still succeeds, the damaged entries are named on «Качество данных» and in the build output
as warnings, and their documents say «нет данных» (not «ещё не проверялась»)."""

from __future__ import annotations

import html
import re
import subprocess
import sys

from projectpaths import FIXTURES, ROOT, build_site, copy_project

ALPHA_PROGRAMME = "http://127.0.0.1:9/alpha/программа развития.pdf"


def text_of(site, path: str) -> str:
    """A built page's text as a reader sees it, on one line."""
    page = (site / path / "index.html").read_text(encoding="utf-8")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def build_with(tmp_path, status_text: str):
    project = copy_project(tmp_path / "project", FIXTURES / "minimal" / "data")
    (project / "data" / "link_status.yaml").write_text(status_text, encoding="utf-8")
    result = build_site(project)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site", result.stderr


def test_a_damaged_entry_is_dropped_named_and_its_document_shows_no_data(tmp_path):
    original = (FIXTURES / "minimal" / "data" / "link_status.yaml").read_text(encoding="utf-8")
    # The school's entry: an unknown verdict, and a right-to-left override in its reason.
    damaged = original.replace("    verdict: broken\n", "    verdict: сломана\n", 1).replace(
        "reason: страница не найдена", "reason: страница \u202eне найдена", 1)
    assert damaged.count("сломана") == 1 and damaged.count("\u202e") == 1
    site, output = build_with(tmp_path, damaged)

    named = (f"data/link_status.yaml:6: запись «{ALPHA_PROGRAMME}» пропущена, на сайте у ссылки — «нет данных»: "
             "недопустимый символ U+202E RIGHT-TO-LEFT OVERRIDE")
    assert f"предупреждение: {named}" in output, output[-3000:]
    assert "ошибка:" not in output
    quality = text_of(site, "data-quality")
    assert "История проверки ссылок" in quality
    assert named.replace(": запись", " Запись", 1) in quality
    assert "\u202e" not in (site / "data-quality" / "index.html").read_text(encoding="utf-8")

    school = text_of(site, "schools/alpha")
    assert "Программа развития программа развития нет данных Адрес:" in school
    assert "ещё не проверялась" not in school and "не открывается" not in school
    # The sound entry beside it is still shown.
    assert "Новости новости и мероприятия ✅ открывается: документ открывается (проверка 20.11.2026)" in text_of(
        site, "municipalities/town")


def test_an_unreadable_file_makes_every_link_no_data_and_names_the_file(tmp_path):
    site, output = build_with(tmp_path, "links: [\n")
    assert "предупреждение: data/link_status.yaml: история проверки ссылок не прочитана" in output, output[-3000:]
    assert "предупреждение: data/link_status.yaml:2: синтаксическая ошибка YAML" in output
    assert "ошибка:" not in output

    quality = text_of(site, "data-quality")
    assert "data/link_status.yaml История проверки ссылок не прочитана: у всех ссылок на сайте — «нет данных»" in quality
    assert "data/link_status.yaml:2 Синтаксическая ошибка YAML" in quality
    for page, row in (("schools/alpha", "Программа развития программа развития нет данных Адрес:"),
                      ("municipalities/town", "Новости новости и мероприятия нет данных Отчёты")):
        text = text_of(site, page)
        assert row in text and "ещё не проверялась" not in text and "(проверка" not in text, page
    assert re.search(r"ещё не проверялась 0 нет данных \(запись истории проверок не прочитана, см\. «Качество данных» ?\) 2 ",
                     text_of(site, "links"))


def test_the_nightly_check_still_refuses_a_history_with_a_damaged_entry(tmp_path):
    """For the site a damaged entry is a warning; the checker must not rewrite what it could not read."""
    urls = tmp_path / "urls.txt"
    urls.write_text("https://example.invalid/a\n", encoding="utf-8")
    status = tmp_path / "data" / "link_status.yaml"
    status.parent.mkdir()
    damaged = (FIXTURES / "minimal" / "data" / "link_status.yaml").read_text(encoding="utf-8").replace(
        "    verdict: broken\n", "    verdict: сломана\n", 1)
    status.write_text(damaged, encoding="utf-8")
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_links.py"), "--urls", str(urls),
                          "--status", str(status)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "История проверок повреждена" in run.stderr and f"запись «{ALPHA_PROGRAMME}» пропущена" in run.stderr
    assert status.read_text(encoding="utf-8") == damaged
