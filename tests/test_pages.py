"""Generated pages: what a reader sees for a school, a municipality, the monitoring tables."""

from __future__ import annotations

import markdown
import pytest
from amp import derive
from amp.pages import render_pages
from amp.linkstatus import read_status
from amp.problems import warnings
from projectpaths import FIXTURES


def to_html(text: str) -> str:
    if text.startswith("---\n"):  # front matter: MkDocs reads it as YAML, not as Markdown
        text = text.split("\n---\n", 1)[1]
    return markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html", "admonition", "toc"])


@pytest.fixture(scope="module")
def minimal_pages(minimal_dataset):
    dataset, problems = minimal_dataset
    status, status_problems = read_status(FIXTURES / "minimal" / "data" / "link_status.yaml", FIXTURES)
    assert status_problems == []
    return render_pages(dataset, warnings(problems), status)


@pytest.fixture(scope="module")
def seed_pages(seed_dataset):
    dataset, problems = seed_dataset
    return render_pages(dataset, warnings(problems))


def test_school_page_shows_group_and_level(minimal_pages):
    page = minimal_pages["schools/alpha.md"]
    assert "# СОШ с. Альфа" in page
    assert "| Группа | [1 ОО проекта А](../programme/groups.md#group-1) |" in page
    assert "| **Уровень неуспешности** | **2 — Умеренно неуспевающие** |" in page
    assert "| Год | <span class=\"amp-nodata\">нет данных</span> |" in page
    assert "[г. Город](../municipalities/town.md) (указан в названии школы)" in page


def test_group_three_school_shows_difficulties(minimal_pages):
    page = minimal_pages["schools/beta.md"]
    assert "| **Уровень неуспешности** | **3 — Сильно неуспевающие** |" in page
    assert "| Наличие трудностей | 1 (значение как в документе; что означают 1 и 2, документ не поясняет) |" in page
    assert "Наличие трудностей" not in minimal_pages["schools/alpha.md"]


def test_unknown_municipality_is_said_not_left_blank(minimal_pages):
    assert "**Муниципалитет:** <span class=\"amp-nodata\">нет данных</span>" in minimal_pages["schools/beta.md"]


def test_markup_in_names_is_shown_as_text(minimal_pages):
    html = to_html(minimal_pages["schools/beta.md"])
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="http://evil.example"' not in html
    assert "<em>" not in html and "*Бета*" in to_text(html)


def to_text(html: str) -> str:
    import html as html_module
    import re

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def test_front_matter_title_is_quoted_yaml_holding_escaped_html(minimal_pages):
    """MkDocs and Material treat a page title as HTML: markup in a name must arrive as entities."""
    import yaml

    front = minimal_pages["schools/beta.md"].split("\n---\n", 1)[0].removeprefix("---\n")
    assert yaml.safe_load(front) == {"title": "&lt;b&gt;Бета&lt;/b&gt; *№2*"}


def test_escaped_name_reads_exactly_as_typed(minimal_pages, minimal_dataset):
    dataset, _ = minimal_dataset
    text = to_text(to_html(minimal_pages["schools/beta.md"]))
    assert dataset.schools["beta"].name in text


def test_no_data_is_not_zero(minimal_pages):
    page = minimal_pages["monitoring/shnro.md"]
    row = next(line for line in page.splitlines() if line.startswith("| [Сельский район]"))
    assert row.count("нет данных") == 9  # six criteria, sum, stated total, zone
    assert "| 0 |" not in row


def test_wrong_total_is_flagged_on_the_monitoring_page(minimal_pages):
    page = minimal_pages["monitoring/shnro.md"]
    assert "| **7** | 6 ⚠️ |" in page
    assert "г. Город: в документе 6, сумма баллов — 7." in page


def test_claims_are_recounted(minimal_pages):
    page = minimal_pages["monitoring/shnro.md"]
    assert "2 муниципалитета в таблице: в документе 2, по таблице 2 ✅" in page
    assert "_(муниципалитеты с дорожной картой: по таблице 1 ⚠️ в документе 2)_" in page


def test_data_quality_page_lists_every_warning(minimal_pages, minimal_dataset):
    _, problems = minimal_dataset
    page = minimal_pages["data-quality.md"]
    assert f"## Расхождения в документах ({len(warnings(problems))})" in page
    text = to_text(to_html(page))
    for problem in warnings(problems):
        assert problem.message[:1].upper() + problem.message[1:] in text
    assert "Итог в документе 6, а сумма баллов 7 (ШНРО, г. Город)" in text
    assert "data/" not in text.replace("из файлов data/", "")


def test_every_real_school_has_a_page_with_its_group_and_level(seed_pages, seed_dataset):
    dataset, _ = seed_dataset
    for school in dataset.schools.values():
        page = seed_pages[f"schools/{school.id}.md"]
        for part in school.participations:
            assert f"](../programme/groups.md#group-{part.group}) |" in page
            if part.level is not None:
                level_title = {1: "Базово неуспевающие", 2: "Умеренно неуспевающие", 3: "Сильно неуспевающие"}[part.level]
                assert f"| **Уровень неуспешности** | **{part.level} — {level_title}** |" in page
            else:
                assert "| **Уровень неуспешности** | **<span class=\"amp-nodata\">нет данных</span>** |" in page


@pytest.mark.seed_snapshot
def test_penza_report_shows_pairs_and_both_participations_of_co_1(seed_pages):
    page = seed_pages["schools/penza-co-1.md"]
    assert "3 — Сильно неуспевающие" in page
    assert "Участник: [Основные направления" in page
    assert "школа-куратор [СОШ № 65/23 г. Пензы](../schools/penza-sosh-65-23.md)" in page
    report = seed_pages["reports/penza-2025.md"]
    assert "| [СОШ № 27 г. Пензы](../schools/penza-sosh-27.md) | [ОШИ № 1 г. Пензы](../schools/penza-oshi-1.md) |" in report
    assert "сама входила в группу 1" in report


@pytest.mark.seed_snapshot
def test_monitoring_totals_on_real_data(seed_dataset, seed_pages):
    dataset, _ = seed_dataset
    shnro = next(d for d in dataset.monitoring.directions if d.id == "shnro")
    totals = {r.municipality: derive.computed_total(r) for r in shnro.rows}
    assert totals["kamensky"] == 7 and totals["bashmakovsky"] == 1
    plus = next(d for d in dataset.monitoring.directions if d.id == "500plus")
    belinsky = next(r for r in plus.rows if r.municipality == "belinsky")
    assert derive.computed_total(belinsky) is None
    assert "| [Каменский район](../municipalities/kamensky.md) |" in seed_pages["monitoring/shnro.md"]


@pytest.mark.seed_snapshot
def test_timeline_flags_dates_outside_the_programme(seed_pages):
    page = seed_pages["programme/timeline.md"]
    line = next(l for l in page.splitlines() if l.startswith("| 21.06. 2021"))
    assert "⚠️ вне срока программы" in line
    assert "год не указан" in page


@pytest.mark.parametrize("number, expected", [(1, "1 школа"), (3, "3 школы"), (5, "5 школ"), (11, "11 школ"), (21, "21 школа")])
def test_plural(number, expected):
    assert derive.plural(number, "школа", "школы", "школ") == expected


def test_school_page_shows_document_status_and_check_date(minimal_pages):
    page = minimal_pages["schools/alpha.md"]
    assert ("| [Программа развития](http://127.0.0.1:9/alpha/%D0%BF%D1%80%D0%BE%D0%B3%D1%80%D0%B0%D0%BC%D0%BC%D0%B0%20"
            "%D1%80%D0%B0%D0%B7%D0%B2%D0%B8%D1%82%D0%B8%D1%8F.pdf) "
            "| программа развития | ❌ не открывается: страница не найдена (ошибка 404) (проверка 20.11.2026) |") in page


@pytest.mark.seed_snapshot
def test_unchecked_link_says_so(seed_pages):
    assert "ещё не проверялась" in seed_pages["schools/penza-sosh-50.md"]


def test_link_status_page_lists_problems_by_municipality(minimal_pages):
    page = minimal_pages["links.md"]
    assert "## г. Город" in page
    town = page.split("## г. Город", 1)[1]
    assert "❌ не открывается: страница не найдена (ошибка 404)" in town
    assert "| 01.10.2026 | 19.11.2026 |" in town
    assert "Документ переехал: http://127.0.0.1:9/novosti — замените ссылку в данных." in town
    assert "| ❌ не открывается | 1 |" in page and "| ✅ открывается | 1 |" in page


def test_link_checker_gets_every_document_url(seed_dataset):
    from amp.links import document_urls

    dataset, _ = seed_dataset
    urls = [url for url, _ in document_urls(dataset)]
    assert "https://школа50.рф/равенство-образовательных-возможнос/" in urls
    assert "https://nmc58.ru/?page=news&id=715" in urls
    assert len(urls) == len(set(urls)) == 6


def test_link_checker_refuses_invalid_data():
    from amp.links import iter_document_urls

    with pytest.raises(ValueError, match="данные не прошли проверку"):
        iter_document_urls(FIXTURES / "broken-rules" / "data")


def test_a_damaged_link_status_entry_is_dropped_with_its_line(tmp_path):
    path = tmp_path / "data" / "link_status.yaml"
    path.parent.mkdir()
    entry = ("    last_verdict: ok\n    reason: документ открывается\n    http_status: 200\n    last_checked: '2026-11-20'\n"
             "    last_ok: '2026-11-20'\n    failing_since: null\n    consecutive_failures: 0\n")
    path.write_text(f"links:\n  http://a.ru/x:\n    verdict: сломана\n{entry}  http://a.ru/y:\n    verdict: ok\n{entry}",
                    encoding="utf-8")
    status, problems = read_status(path, tmp_path)
    assert list(status) == ["http://a.ru/y"] and not status.known("http://a.ru/x") and status.known("http://a.ru/z")
    assert [(p.level, p.format()) for p in problems] == [("warning", (
        "data/link_status.yaml:3: запись «http://a.ru/x» пропущена, на сайте у ссылки — «нет данных»: verdict: "
        "недопустимое значение (ожидалось одно из: 'ok', 'warning' или 'broken'; найдено: «сломана»)"))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1. пункт", "1&#46; пункт"),
        ("- пункт", "&#45; пункт"),
        ("> цитата", "&gt; цитата"),
        ("21.02.2022", "21.02.2022"),
        ("-1 балл", "-1 балл"),
        ("a | b", "a &#124; b"),
        ("**жирный** _курсив_ `код`", "&#42;&#42;жирный&#42;&#42; &#95;курсив&#95; &#96;код&#96;"),
        ("строка\nдругая", "строка другая"),
    ],
)
def test_escape_keeps_text_literal_in_any_position(text, expected):
    from amp.markdown import escape

    assert escape(text) == expected


@pytest.mark.seed_snapshot
def test_cyrillic_domain_links_are_encoded_as_the_checker_requests_them(seed_pages):
    page = seed_pages["schools/penza-sosh-50.md"]
    assert "](https://xn--50-6kc3bfr2e.xn--p1ai/%D1%80%D0%B0%D0%B2%D0%B5%D0%BD%D1%81%D1%82%D0%B2%D0%BE-" in page
    # …while the address a reader sees stays readable.
    assert "Адрес: https://школа50.рф/равенство-образовательных-возможнос/." in page


def test_bank_materials_with_an_address_show_their_link_status(tmp_path):
    import shutil

    import yaml
    from amp.load import load

    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    report = data / "reports" / "penza-2025.yaml"
    record = yaml.safe_load(report.read_text(encoding="utf-8"))
    items = record["materials_bank"]["items"]
    if not items:
        pytest.skip("в учебном отчёте нет банка материалов")
    items[0]["url"] = "http://127.0.0.1:9/news"  # checked in the fixture's link history
    report.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    dataset, problems = load(data)
    assert dataset is not None, [p.format() for p in problems]
    status, _ = read_status(data / "link_status.yaml", tmp_path)
    pages = render_pages(dataset, [], status)
    for page in ("materials.md", "reports/penza-2025.md"):
        line = next(l for l in pages[page].splitlines() if "127.0.0.1:9/news" in l and l.startswith("- "))
        assert "✅ открывается" in line, line
