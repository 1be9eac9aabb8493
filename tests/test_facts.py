"""Issue 16: every fact where its reader looks for it, said one way, with its source.

A fixture site is built once (the minimal data, changed so that every rule has something to show) and
its pages are read back as HTML: deadlines on municipality pages, one word and one look for «нет
данных», contradicted findings flagged wherever they are repeated, outside facts and computed counts
marked, the documents' name formatting the same on both tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from amp.glossary import SITE_MARK, TERMS
from amp.load import load
from htmltables import read, table_with_header
from projectpaths import FIXTURES, build_site, copy_project, edit_record

OKTMO = "Общероссийский классификатор территорий муниципальных образований (ОКТМО), Пензенская область"


def _change(data: Path) -> None:
    """Town gets schools in two groups, a finding its own table contradicts, an underlined row and an
    outside source (the OKTMO list) like the seed's."""
    def edit(name, change):
        edit_record(data / name, change)

    def beta(school):
        school.update(municipality="town", municipality_basis="указан в источнике")

    def monitoring(m):
        shnro, plus = m["directions"]
        # Town's К3 cell is empty in the table, yet the finding names it as organising methodical support.
        shnro["findings"].append({"text": "в г. Городе организовано методическое сопровождение;",
                                  "municipalities": ["town"], "criterion": "methodical_events"})
        plus["rows"][0]["name_format"] = ["подчёркнутый"]
        shnro["rows"][0]["name_format"] = ["подчёркнутый"]

    def sources(s):
        s["documents"].append({"file": "общедоступные сведения", "title": OKTMO, "description": "Перечень.",
                               "project_document": False})

    def gamma(school):
        school["municipality_basis"] = "районный центр"

    edit("schools/beta.yaml", beta)
    edit("schools/gamma.yaml", gamma)
    edit("monitoring.yaml", monitoring)
    edit("sources.yaml", sources)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("facts"), FIXTURES / "minimal" / "data")
    _change(project / "data")
    dataset, problems = load(project / "data")
    assert dataset is not None, [p.format() for p in problems]
    result = build_site(project)
    assert result.returncode == 0, result.stderr[-3000:]
    return dataset, project / "site"


def article(site: Path, path: str) -> str:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    return html[html.index("<article"): html.index("</article>")]


def articles(site: Path):
    for page in sorted(site.rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        if "<article" in html:
            yield page.parent.relative_to(site).as_posix(), html[html.index("<article"): html.index("</article>")]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


# --- 1. deadlines on municipality pages ------------------------------------------------------


def test_a_municipality_with_two_groups_shows_tasks_and_both_deadlines_of_each(site):
    dataset, root = site
    page = article(root, "municipalities/town")
    assert "Задачи и сроки" in page
    shown = text(page[page.index("Задачи и сроки"):])
    for group in dataset.programme.groups:  # town has schools in groups 1 and 3
        assert f"Группа {group.number}: {group.title}" in shown
        for task in group.tasks:
            assert task in shown
        schools = "; ".join(d.text for d in group.deadlines_schools)
        authorities = "; ".join(d.text for d in group.deadlines_authorities)
        # The wording of «О программе»: its columns are «Срок для школ» and «Срок для МОУО».
        assert f"Срок для школ: {schools}. Срок для МОУО: {authorities}." in shown
    programme = table_with_header(article(root, "programme"), "Группа")
    for row, group in zip(programme, dataset.programme.groups):
        assert row["Срок для школ"] == "; ".join(d.text for d in group.deadlines_schools)
        assert row["Срок для МОУО"] == "; ".join(d.text for d in group.deadlines_authorities)


def test_a_municipality_without_schools_in_groups_has_no_tasks_section(site):
    _, root = site
    assert "Задачи и сроки" not in article(root, "municipalities/district")


# --- 2. one way to say «no data» -------------------------------------------------------------

# What other words for an unknown value looked like before: none may stand in a table cell.
OTHER_WORDS = {"—", "-", "−", "пусто", "", "не указан", "не указана", "не указан в документе"}


def test_no_page_shows_another_word_for_no_data_and_every_one_has_the_same_look(site):
    _, root = site
    checked = 0
    for path, html in articles(root):
        for table in re.findall(r"<table.*?</table>", html, re.S):
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S):
                shown = text(cell).strip()
                if 'role="img"' in cell:  # a bar of the chart: its figure is in the next column and its label
                    continue
                assert shown not in OTHER_WORDS, (path, cell)
                if "нет данных" in shown and path != "open-data":  # the data dictionary describes files
                    assert 'class="amp-nodata"' in cell, (path, cell)
                    checked += 1
        # The school filter's choices are the search engineer's (their labels are left to that work).
        prose = re.sub(r"<select.*?</select>|<div class=\"amp-facets\" hidden.*?</div>", "", html, flags=re.S)
        for word in ("пусто", "не указан в документе"):
            if path != "open-data":  # the data dictionary describes the files' empty cells
                assert word not in text(prose), (path, word)
    assert checked > 10


def test_the_tools_matrix_shows_unfilled_cells_as_no_data(site):
    dataset, root = site
    rows = table_with_header(article(root, "roadmaps/tools-matrix"), "Рисковый профиль")
    assert len(rows) == len(dataset.tools_matrix.risks)
    assert all(value == "нет данных" for row in rows for key, value in row.items() if key != "Рисковый профиль")


def test_a_key_for_da_and_net_stands_next_to_every_table_of_plus_minus_marks(site):
    _, root = site
    key = "«да» — в документе «+», «нет» — в документе «—» (или «-»), «нет данных» — ячейка в документе пустая."
    for path, first in (("municipalities/town", "Показатель"), ("municipalities/town", "Район (город)"),
                        ("monitoring", "Район (город)"), ("municipalities", "Муниципалитет")):
        html = article(root, path)
        start = next(m.start() for m in re.finditer(r"<table", html) if read(html[m.start():]).tables[0][0][0] == first)
        after = html[html.index("</table>", start):][:2000]
        assert key in text(after), (path, first)


# --- 3. contradictions flagged wherever the finding appears ----------------------------------


def test_a_finding_its_table_contradicts_carries_the_warning_on_the_municipality_page_too(site):
    _, root = site
    warning = "⚠️ г. Город: в таблице по критерию К3 пустая ячейка"
    for path in ("municipalities/town", "monitoring/shnro"):
        items = [i for i in read(article(root, path)).items if "организовано методическое сопровождение" in i]
        assert items and all(warning in i for i in items), (path, items)
    # The finding the table bears out carries no warning.
    town = read(article(root, "municipalities/town")).items
    assert not any("по критерию" in i for i in town if "есть дорожная карта" in i)


def test_the_seed_finding_of_fullest_support_is_flagged_where_the_table_gives_zero(seed_dataset):
    from amp import derive
    dataset, _ = seed_dataset
    direction = next(d for d in dataset.monitoring.directions if d.id == "500plus")
    finding = next(f for f in direction.findings if "наиболее полно" in f.text)
    assert derive.contradictions(direction, finding) == [("mokshansky", 0)]


# --- 4. outside facts marked everywhere --------------------------------------------------------


def test_every_outside_fact_has_its_mark_on_every_page(site):
    dataset, root = site
    for path, html in articles(root):
        # The municipality type: the documents never say district or urban okrug.
        for kind in re.finditer(r"(Муниципальный район|Городской округ) Пензенской области", html):
            assert html[kind.end():].lstrip().startswith('<span class="amp-outside">вид муниципалитета — по перечню «'
                                                         + OKTMO), path
        # Abbreviations: the tooltip says whether the expansion is a document's or the site's.
        for title in re.findall(r'<abbr title="([^"]*)"', html):
            assert title.endswith((f"({SITE_MARK})", "(так в документе)", "— сайта)")), (path, title)
    for m in dataset.municipalities.values():
        assert "вид муниципалитета — по перечню" in article(root, f"municipalities/{m.id}")
    # A municipality the site inferred from a district centre: marked next to the school wherever it is listed.
    inferred = "определён сайтом по районному центру, в документах не указан"
    for path in ("schools/gamma", "municipalities/town", "schools"):
        html = article(root, path)
        assert inferred in text(html), path
    assert "районному центру" in text(article(root, "data-quality"))
    # A school of the 2025 report matched to a school of the groups: the site's match, said so.
    match = "что это та же школа, что в группах программы 2021–2022 годов, определил сайт по названию"
    assert match in text(article(root, "schools/alpha"))
    report = table_with_header(article(root, "reports/penza-2025"), "Школа")
    assert all(match in row["В группах 2021–2022"] for row in report if row["В группах 2021–2022"] != "не входит")
    assert "alpha" in article(root, "data-quality")
    # The guide's table says the same as the tooltips.
    guide = table_with_header(article(root, "guide"), "Сокращение")
    by_abbreviation = {row["Сокращение"]: row for row in guide}
    for term in TERMS:
        origin = by_abbreviation[term.abbreviation]["Откуда расшифровка"]
        assert (origin == SITE_MARK) == (term.in_documents is None), term


def test_counts_the_site_computed_are_labelled_as_computed(site):
    _, root = site
    home = read(article(root, ""))
    cards = [i for i in home.items if re.match(r"\d+ (школ|муниципалитет|расхожден)", i)]
    assert cards and all("подсчёт сайта" in c for c in cards), cards
    assert "Всего школ в трёх группах: 2 (подсчёт сайта)" in text(article(root, "programme"))
    assert "Распределение по уровням (подсчёт сайта):" in text(article(root, "programme/groups"))
    assert "подсчёт сайта по таблице документа" in text(article(root, "monitoring/shnro"))
    assert "(подсчёт сайта)" in text(article(root, "municipalities"))


# --- 5. the documents' formatting of names ---------------------------------------------------


def test_bold_and_underlined_names_are_shown_the_same_way_on_both_tables(site):
    _, root = site
    marks = article(root, "monitoring")
    assert re.search(r"<strong>\s*г\. Город\s*</strong>", marks)  # town: bold in the marks table
    for direction in ("shnro", "500plus"):
        assert re.search(r"<u>\s*г\. Город\s*</u>", article(root, f"monitoring/{direction}")), direction
    town = article(root, "municipalities/town")
    assert re.search(r"<strong>\s*г\. Город\s*</strong>", town) and re.search(r"<u>\s*Город\s*</u>", town)
