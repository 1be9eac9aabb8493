"""A damaged data/link_status.yaml never stops the site: `mkdocs build --strict` of a copy of the
fixture still succeeds, the damaged entries are named on «Качество данных» and in the build output
as warnings, and their documents say «нет данных» (not «ещё не проверялась»)."""

from __future__ import annotations

import html
import re
import subprocess
import sys

import pytest
from amp.linkstatus import read_status
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


ENTRY = ("    verdict: ok\n    last_verdict: ok\n    reason: документ открывается\n    http_status: 200\n"
         "    last_checked: '2026-11-20'\n    last_ok: '2026-11-20'\n    failing_since: null\n    consecutive_failures: 0\n")


def history(tmp_path, middle: str):
    """A history of three entries, the middle one as given: the two around it must survive."""
    path = tmp_path / "data" / "link_status.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"links:\n  https://a.ru/1:\n{ENTRY}{middle}  https://a.ru/3:\n{ENTRY}", encoding="utf-8")
    return path


@pytest.mark.parametrize("middle, what", [
    ("  https://a.ru/2:\n" + ENTRY.replace("verdict: ok", "verdict: сломана", 1), "verdict: недопустимое значение"),
    ("  https://a.ru/2:\n" + ENTRY.replace("'2026-11-20'\n    last_ok", "2026-02-30\n    last_ok"), "несуществующая дата"),
    ("  https://a.ru/2:\n" + ENTRY.replace("'2026-11-20'\n    last_ok", "'20.11.2026'\n    last_ok"), "last_checked: неверная дата"),
    ("  https://a.ru/2:\n" + ENTRY.replace("http_status: 200", "http_status: [200]"), "http_status: неверный тип"),
    ("  https://a.ru/2:\n" + ENTRY.replace("открывается", "открыва\x1bется"), "недопустимый символ U+001B"),
    ("  https://a.ru/2:\n" + ENTRY.replace("открывается", "открыва\u2067ется"), "недопустимый символ U+2067"),
    ("  https://a.ru/2:\n" + ENTRY.replace("reason: документ открывается", 'reason: "a\\u202eb"'), "недопустимый символ U+202E"),
    ("  https://a.ru/2: &x\n" + ENTRY, "якорь (&x) не поддерживается"),
    ("  https://a.ru/2: !!python/object:os.system\n" + ENTRY, "тег YAML"),
    ("  https://a.ru/2: вот так\n", "неверный тип (ожидалась вложенная запись"),
    ("  https://a.ru/1:\n" + ENTRY, "адрес записан несколько раз"),
], ids=["verdict", "impossible-date", "date-format", "type", "control", "bidi", "escaped-bidi", "anchor", "tag",
        "not-a-record", "duplicate"])
def test_each_kind_of_damaged_entry_is_dropped_alone(tmp_path, middle, what):
    status, problems = read_status(history(tmp_path, middle), tmp_path)
    assert "https://a.ru/3" in status and "https://a.ru/2" not in status
    assert not status.unreadable and problems and all(p.level == "warning" for p in problems)
    assert all(" пропущена, на сайте у ссылки — «нет данных»: " in p.message for p in problems), problems
    assert what in problems[-1].message, problems
    dropped = {"https://a.ru/1"} if "несколько раз" in what else {"https://a.ru/2"}
    assert status.dropped == dropped and not status.known(next(iter(dropped)))


@pytest.mark.parametrize("text, what", [
    ("links: [\n", "синтаксическая ошибка YAML"),
    ("сведения: 1\n", "нет раздела со ссылками"),
    ("- https://a.ru/1\n", "ожидалась запись «links:»"),
    ("links:\n  https://a.ru/1: " + "[" * 40 + "]" * 40 + "\n", "слишком глубокая вложенность"),
    (None, "не в кодировке UTF-8"),
], ids=["syntax", "no-links", "list", "deep", "encoding"])
def test_a_file_that_cannot_be_read_makes_every_link_unknown(tmp_path, text, what):
    path = tmp_path / "data" / "link_status.yaml"
    path.parent.mkdir()
    if text is None:  # cp1251, not UTF-8
        path.write_bytes("links:\n  https://a.ru/ссылка: {}\n".encode("cp1251"))
    else:
        path.write_text(text, encoding="utf-8")
    status, problems = read_status(path, tmp_path)
    assert status.unreadable and not status.known("https://a.ru/1") and len(status) == 0
    assert problems[0].format() == ("data/link_status.yaml: история проверки ссылок не прочитана: у всех ссылок на "
                                    "сайте — «нет данных» до следующей ночной проверки")
    assert any(what in p.message for p in problems), problems


def test_a_history_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    from amp import linkstatus

    path = history(tmp_path, "")
    monkeypatch.setattr(linkstatus, "MAX_BYTES", path.stat().st_size - 1)
    status, problems = read_status(path, tmp_path)
    assert status.unreadable and "файл слишком большой" in problems[1].message


def test_a_missing_history_means_not_yet_checked(tmp_path):
    status, problems = read_status(tmp_path / "data" / "link_status.yaml", tmp_path)
    assert problems == [] and status.known("https://a.ru/1") and "https://a.ru/1" not in status
