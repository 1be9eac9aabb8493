"""The validator: every kind of bad input is refused with its exact Russian message and location."""

from __future__ import annotations

import os
import re
import shutil

import pytest
import validate
from amp.load import load
from amp.problems import errors, warnings
from projectpaths import FIXTURES, ROOT, SEED, replace_in


def run_validator(capsys, data, *args) -> tuple[int, list[str]]:
    code = validate.main(["--data", str(data), *args])
    out = capsys.readouterr().out
    return code, out.splitlines()


@pytest.mark.parametrize("fixture", ["broken-files", "broken-rules"])
def test_broken_fixture_gives_exact_messages(capsys, fixture):
    code, lines = run_validator(capsys, FIXTURES / fixture / "data")
    expected = (FIXTURES / fixture / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert code == 1
    assert lines == expected


@pytest.mark.parametrize(
    "fixture, line",
    [
        ("broken-files", "ошибка: data/schools/alpha.yaml:4: munisipality: неизвестное поле (ожидалось одно из: id, name, "
         "short_name, municipality, municipality_basis, municipality_source, oktmo, participations, documents, contacts, note; найдено: «munisipality»); "
         "возможно, имелось в виду «municipality»"),
        ("broken-files", "ошибка: data/schools/gamma.yaml:3: табуляция в отступе (ожидались пробелы, найден символ табуляции)"),
        ("broken-files", "ошибка: data/schools/empty.yaml: файл пуст (ожидалась запись с полями, найден пустой файл)"),
        ("broken-files", "ошибка: data/schools/latin.yaml:2: файл не в кодировке UTF-8 (ожидался текст UTF-8, найден байт "
         "0xcc); сохраните файл в кодировке UTF-8"),
        ("broken-files", "ошибка: data/municipalities/town.yaml:5: kind: поле указано дважды (первый раз — в строке 3); "
         "оставьте одно значение"),
        ("broken-files", "ошибка: data/roadmaps.yaml:11: синтаксическая ошибка YAML: несуществующая дата (ожидалась дата "
         "ГГГГ-ММ-ДД, которая есть в календаре)"),
        ("broken-files", "ошибка: data/schools/beta.yaml:9: участие в группе 3, level: недопустимое значение (ожидалось одно "
         "из: 1, 2 или 3; найдено: 5)"),
        ("broken-files", "ошибка: data/schools/epsilon.yaml:1: id: id не совпадает с именем файла (ожидалось «epsilon», "
         "найдено «epsilon-school»)"),
        ("broken-files", "ошибка: data/tools_matrix.yaml: файл не найден (ожидался файл: матрица управленческих "
         "инструментов (data/tools_matrix.yaml))"),
        ("broken-rules", "ошибка: data/schools/alpha.yaml:4: municipality: неизвестный муниципалитет (ожидался id файла из "
         "data/municipalities/; найдено: «townn»); возможно, имелось в виду: town (г. Город)"),
        ("broken-rules", "ошибка: data/monitoring.yaml:27: направление shnro, строка town, scores.results_monitoring: балл "
         "вне шкалы (ожидалось от 0 до 2; найдено: 3)"),
        ("broken-rules", "ошибка: data/reports/penza-2025.yaml:9: participants, пункт 2: неизвестная школа (ожидался id "
         "файла из data/schools/; найдено: «zeta»); возможно, имелось в виду: beta (<b>Бета</b> *№2*), delta (СОШ № 3 г. Города)"),
        ("broken-rules", "ошибка: data/roadmaps.yaml:8: federal, пункт 1, date.end: конец периода раньше начала (ожидалось "
         "end не раньше 2022-04-29; найдено: 2022-04-01)"),
        ("broken-rules", "ошибка: data/programme.yaml:16: проект project-a, id: значение «project-a» уже есть в projects, "
         "пункт 1 (ожидались разные значения)"),
        ("broken-rules", "предупреждение: data/monitoring.yaml:28: направление shnro, строка town, stated_total: итог в "
         "документе 6, а сумма баллов 7 (ШНРО, г. Город)"),
    ],
)
def test_each_kind_of_problem_is_named_with_file_line_and_field(capsys, fixture, line):
    _, lines = run_validator(capsys, FIXTURES / fixture / "data")
    assert line in lines


def test_minimal_fixture_passes_with_warnings_only(capsys):
    code, lines = run_validator(capsys, FIXTURES / "minimal" / "data")
    assert code == 0
    assert lines[-1] == "Данные в порядке: ошибок нет, предупреждений (расхождений в документах) — 4."


@pytest.mark.seed_snapshot
def test_real_data_passes_and_flags_the_seeds_own_discrepancies(seed_dataset):
    _, problems = seed_dataset
    assert errors(problems) == []
    messages = [p.format() for p in warnings(problems)]
    # The seed states 6 for Каменский and Мокшанский (ШНРО), but their scores add up to 7.
    assert any("итог в документе 6, а сумма баллов 7 (ШНРО, Каменский)" in m for m in messages)
    assert any("итог в документе 6, а сумма баллов 7 (ШНРО, Мокшанский)" in m for m in messages)
    # Federal roadmap dates of June 2021 precede the programme (22.11.2021 – 31.12.2022).
    assert any("«21.06. 2021» (21.06.2021) вне периода" in m for m in messages)
    assert any("«28.06.2021» (28.06.2021) вне периода" in m for m in messages)
    assert any("«25.04-01.06» нельзя прочитать однозначно" in m for m in messages)


def test_github_annotations_in_actions(capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, lines = run_validator(capsys, FIXTURES / "broken-rules" / "data")
    assert ("::error file=data/schools/alpha.yaml,line=4::municipality: неизвестный муниципалитет (ожидался id файла "
            "из data/municipalities/; найдено: «townn»); возможно, имелось в виду: town (г. Город)") in lines


def test_quiet_hides_warnings(capsys):
    _, lines = run_validator(capsys, FIXTURES / "minimal" / "data", "--quiet")
    assert not any(line.startswith("предупреждение") for line in lines)


def test_a_stated_group_size_that_differs_from_the_list_is_flagged(tmp_path):
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    (data / "schools" / "beta.yaml").unlink()
    _, problems = load(data)
    assert "в документе заявлено 2 школы в группе 3, а в списке 0" in [p.message for p in problems]


@pytest.mark.seed_snapshot
def test_real_data_has_every_school_and_municipality_of_the_seeds(seed_dataset):
    dataset, _ = seed_dataset
    assert len(dataset.schools) == 58  # 52 in groups 1–3 and 6 named only in the Penza 2025 report
    assert len(dataset.municipalities) == 30  # 27 districts and 3 city districts of the region
    assert sum(m.listed_in_seed for m in dataset.municipalities.values()) == 25


@pytest.mark.seed_snapshot
def test_real_data_has_every_school_of_every_group(seed_dataset):
    from amp import derive

    dataset, _ = seed_dataset
    sizes = {g.number: len(derive.group_members(dataset.schools, g.number)) for g in dataset.programme.groups}
    assert sizes == {1: 21, 2: 17, 3: 14}
    assert os.path.basename(dataset.files["schools/penza-co-1"]) == "penza-co-1.yaml"


def test_published_json_schema_matches_the_model():
    import json

    from amp.exports import json_schemas

    school = json.loads(json_schemas()["downloads/schema/school.schema.json"])
    assert school["additionalProperties"] is False
    assert {"id", "name", "municipality", "participations", "documents"} <= set(school["required"])
    assert "note" not in school["required"]


@pytest.mark.parametrize(
    "url, accepted",
    [
        ("https://школа50.рф/равенство-образовательных-возможнос/", True),
        ("http://127.0.0.1:9/документ 1.pdf", True),
        ("https://pnzce1.ucoz.ru/index/ravenstvo_snor/0-319#razdel", True),
        ("ftp://example.org/file.pdf", False),
        ("https://example.org/file.pdf ", False),
        ("school-41.edu-penza.ru/page", False),
    ],
)
def test_document_urls(tmp_path, url, accepted):
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    school = data / "schools" / "alpha.yaml"
    text = school.read_text(encoding="utf-8").replace("url: http://127.0.0.1:9/alpha/программа развития.pdf", f'url: "{url}"')
    school.write_text(text, encoding="utf-8")
    _, problems = load(data)
    messages = [p.format() for p in errors(problems)]
    if accepted:
        assert messages == []
    else:
        assert messages == [
            "data/schools/alpha.yaml:19: документ programme, url: неверный адрес (ожидался адрес, начинающийся с http:// "
            f"или https://, без пробелов в начале и в конце; найдено: «{url}»)"
        ]


@pytest.mark.seed_snapshot
def test_the_new_school_template_in_the_coordinators_guide_is_valid(tmp_path):
    """docs/coordinators.md shows a record to copy: it must pass the validator as it stands."""
    import re

    guide = (ROOT / "docs" / "coordinators.md").read_text(encoding="utf-8")
    school, municipality = re.findall(r"```yaml\n(.*?)```", guide, re.S)[:2]
    data = shutil.copytree(SEED, tmp_path / "data")
    (data / "schools" / "penza-sosh-99.yaml").write_text(school, encoding="utf-8")
    (data / "municipalities" / "novy-rayon.yaml").write_text(municipality, encoding="utf-8")
    _, problems = load(data)
    assert errors(problems) == []
    assert "в документе заявлено 14 школ в группе 3, а в списке 15" in [p.message for p in problems]


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://школа..рф/", "в ссылке неверное имя сайта «школа..рф»"),
        ("http://a.ru:99999/", "ссылка записана с ошибкой: «http://a.ru:99999/»"),
    ],
)
def test_urls_the_checker_cannot_request_are_refused_not_crashed_on(tmp_path, url, reason):
    """Such an address passes the pattern but no request (or page link) can be made from it."""
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    school = data / "schools" / "alpha.yaml"
    text = school.read_text(encoding="utf-8").replace("url: http://127.0.0.1:9/alpha/программа развития.pdf", f'url: "{url}"')
    school.write_text(text, encoding="utf-8")
    dataset, problems = load(data)
    assert dataset is None
    assert [p.format() for p in errors(problems)] == [
        f"data/schools/alpha.yaml:19: документ programme, url: неверный адрес: {reason} "
        "(ожидался адрес сайта вида https://школа.ru/страница)"
    ]


def _school(data, file_id: str, record_id: str | None = None) -> None:
    (data / "schools" / f"{file_id}.yaml").write_text(
        f"id: {record_id or file_id}\nname: МБОУ СОШ № 9\nshort_name: СОШ № 9\nmunicipality: town\n"
        "municipality_basis: указан в источнике\nparticipations: []\ndocuments: []\n", encoding="utf-8")


@pytest.mark.parametrize("file_id, record_id, expected", [
    ("index", None, "data/schools/index.yaml:1: id: id «index» занят: по этому адресу на сайте уже есть страница "
                    "schools/index/ (ожидался другой id, например, «index-1»)"),
    ("a1pha", None, "data/schools/alpha.yaml:1: id: id «alpha» на вид не отличить от «a1pha»"),
    ("Alpha", "Alpha", "data/schools/Alpha.yaml:1: id: неверный идентификатор (ожидались строчные латинские буквы, цифры и "
                       "дефисы, например, penza-sosh-27; найдено: «Alpha»); в нём заглавные буквы — id пишется строчными"),
    ("аlpha", "аlpha", "data/schools/аlpha.yaml:1: id: неверный идентификатор (ожидались строчные латинские буквы, цифры и "
                       "дефисы, например, penza-sosh-27; найдено: «аlpha»); в нём русские буквы («а») — наберите id латиницей"),
])
def test_ids_that_would_replace_a_page_or_look_like_another_are_refused(tmp_path, file_id, record_id, expected):
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    _school(data, file_id, record_id)
    dataset, problems = load(data)
    assert dataset is None
    assert expected in [p.format()[: len(expected)] for p in problems]


def test_a_monitoring_direction_cannot_take_the_monitoring_index_address(tmp_path):
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    monitoring = data / "monitoring.yaml"
    text = monitoring.read_text(encoding="utf-8")
    first_id = text.split("directions:", 1)[1].split("id: ", 1)[1].split("\n", 1)[0]
    monitoring.write_text(text.replace(f"id: {first_id}\n", "id: index\n", 1), encoding="utf-8")
    dataset, problems = load(data)
    assert dataset is None
    assert any("id «index» занят: по этому адресу на сайте уже есть страница monitoring/index/" in p.message for p in problems)


def test_a_value_cannot_forge_a_workflow_command(capsys, monkeypatch, tmp_path):
    """In GitHub Actions a raw line break followed by «::» would be read as a second command."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    school = data / "schools" / "alpha.yaml"
    hostile = "town\\n::add-mask::secret\\r\\n::set-output name=x::%0A"
    school.write_text(school.read_text(encoding="utf-8").replace("municipality: town", f'municipality: "{hostile}"'),
                      encoding="utf-8")
    code, lines = run_validator(capsys, data)
    assert code == 1
    commands = [line for line in lines if line.startswith("::")]
    assert commands and all(re.match(r"::(error|warning) file=[^:,]+(,line=\d+)?::", line) for line in commands)
    annotation = next(line for line in commands if "alpha.yaml" in line)
    text = annotation.split("::", 2)[2]
    decoded = text.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
    assert "town\n::add-mask::secret\r\n::set-output name=x::%0A" in decoded
    plain = next(line for line in lines if line.startswith("ошибка: data/schools/alpha.yaml"))
    assert "town\\n::add-mask::secret\\r\\n::set-output" in plain


def test_annotation_properties_are_escaped():
    from amp.problems import Problem

    line = Problem("data/schools/a,b:c.yaml", 3, "id", "x").github_annotation()
    assert line == "::error file=data/schools/a%2Cb%3Ac.yaml,line=3::id: x"


def _named_school(data, file_id: str, name: str, short_name: str, municipality: str) -> None:
    (data / "schools" / f"{file_id}.yaml").write_text(
        f"id: {file_id}\nname: {name}\nshort_name: {short_name}\nmunicipality: {municipality}\n"
        "municipality_basis: указан в источнике\nparticipations: []\ndocuments: []\n", encoding="utf-8")


def test_a_school_name_written_in_latin_look_alikes_is_flagged_naming_both_files(tmp_path):
    """«AKCAKOBO» is typed in Latin capitals only, so no word mixes alphabets, yet it reads «АКСАКОВО»."""
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    _named_school(data, "aksakovo", "СОШ с. Аксаково", "СОШ с. Аксаково", "town")
    _named_school(data, "aksakovo-2", "СОШ с. AKCAKOBO", "Школа в Аксаково", "town")
    dataset, problems = load(data)
    assert dataset is not None
    assert [p.format() for p in warnings(problems) if p.file == "data/schools/aksakovo-2.yaml"] == [
        "data/schools/aksakovo-2.yaml:2: name: название школы «СОШ с. AKCAKOBO» на вид не отличить от «СОШ с. Аксаково» "
        "в data/schools/aksakovo.yaml (те же буквы без учёта регистра, пробелов, знаков препинания и похожих букв "
        "латиницы и кириллицы); если это одна школа, оставьте один файл, если разные — уточните название (например, "
        "населённый пункт или номер)"]


def test_schools_of_two_known_municipalities_may_share_a_name(tmp_path):
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    _named_school(data, "znamenskoe", "СОШ с. Знаменское", "СОШ с. Знаменское", "town")
    _named_school(data, "znamenskoe-2", "СОШ с. Знаменское", "СОШ с. Знаменское", "district")
    _, problems = load(data)
    assert not [p for p in problems if "znamenskoe" in p.file]


@pytest.mark.parametrize("url, reason", [
    ("http://user:secret@127.0.0.1:9/doc", "в адресе есть имя пользователя или пароль (часть «…@» перед именем сайта): "
     "так адрес раскрывает пароль или ведёт не на тот сайт, который видно в начале (ожидался адрес без «…@», например "
     "https://школа.ru/страница)"),
    ("http://127.0.0.1:9/" + "a" * 2000, "адрес слишком длинный (ожидалось не больше 2\u00a0000 знаков, найдено 2\u00a0019; "
     "скопируйте адрес страницы заново, без лишнего текста)"),
    ("http://sch_ool.ru/doc", "неверное имя сайта «sch_ool.ru» (ожидались буквы, цифры и дефисы, разделённые точками, "
     "например school-41.edu-penza.ru или школа50.рф; найдены другие знаки или пустая часть между точками)"),
    ("http://-school.ru/doc", "неверное имя сайта «-school.ru» (ожидались буквы, цифры и дефисы, разделённые точками, "
     "например school-41.edu-penza.ru или школа50.рф; найдены другие знаки или пустая часть между точками)"),
    ("http://127.0.0.1:9/a|b", "знак «|» в позиции 21 ломает таблицы и ссылки на страницах сайта (ожидался адрес, где "
     "такие знаки закодированы, — так его и отправляет браузер): замените | на %7C"),
    ("http://127.0.0.1:9/<script>`x`", "знаки «<», «>», «`» (первый — в позиции 20) ломают таблицы и ссылки на "
     "страницах сайта (ожидался адрес, где такие знаки закодированы, — так его и отправляет браузер): замените < на "
     "%3C, > на %3E, ` на %60"),
    ("http://127.0.0.1:9/doc?a[]=1", "знаки «[», «]» (первый — в позиции 25) ломают таблицы и ссылки на страницах "
     "сайта (ожидался адрес, где такие знаки закодированы, — так его и отправляет браузер): замените [ на %5B, ] на %5D"),
    ("http://127.0.0.1:9/\u200bdoc", "невидимый символ U+200B ZERO WIDTH SPACE в позиции 20 (ожидался адрес без "
     "невидимых символов; такие символы попадают при копировании из Word, PDF или с сайтов — удалите его)"),
])
def test_urls_that_would_leak_a_password_break_a_table_or_hide_their_host_are_refused(tmp_path, url, reason):
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    school = data / "schools" / "alpha.yaml"
    text = school.read_text(encoding="utf-8").replace("url: http://127.0.0.1:9/alpha/программа развития.pdf", f'url: "{url}"')
    school.write_text(text, encoding="utf-8")
    dataset, problems = load(data)
    assert dataset is None
    assert [p.format() for p in errors(problems)] == [f"data/schools/alpha.yaml:19: документ programme, url: неверный адрес: {reason}"]


@pytest.mark.parametrize("url", [
    "https://школа50.рф/равенство-образовательных-возможнос/",  # shown as written, punycode only for the check
    "http://127.0.0.1:9/a%7Cb%5B1%5D",  # the encoded forms the messages ask for
    "https://ru.wikipedia.org/wiki/Школа_(значения)*",  # parentheses, «*» and «_» are fine: pages encode them
    "http://[::1]:9/doc",
    "https://School-41.Edu-Penza.RU./doc",
])
def test_ordinary_urls_pass_as_written(tmp_path, url):
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    school = data / "schools" / "alpha.yaml"
    text = school.read_text(encoding="utf-8").replace("url: http://127.0.0.1:9/alpha/программа развития.pdf", f'url: "{url}"')
    school.write_text(text, encoding="utf-8")
    dataset, problems = load(data)
    assert errors(problems) == []
    assert dataset.schools["alpha"].documents[0].url == url


@pytest.mark.parametrize("latin, cyrillic", [
    ("a", "а"), ("e", "е"), ("o", "о"), ("p", "р"), ("c", "с"), ("y", "у"), ("x", "х"), ("k", "к"), ("m", "м"),
    ("t", "т"), ("h", "н"), ("b", "в"), ("i", "і"), ("j", "ј"), ("s", "ѕ"), ("d", "ԁ"), ("q", "ԛ"), ("w", "ԝ"),
    ("A", "А"), ("E", "Е"), ("O", "О"), ("P", "Р"), ("C", "С"), ("Y", "У"), ("X", "Х"), ("K", "К"), ("M", "М"),
    ("T", "Т"), ("H", "Н"), ("B", "В"), ("I", "І"), ("J", "Ј"), ("S", "Ѕ"), ("0", "О"), ("3", "З"), ("6", "б"),
])
def test_latin_and_cyrillic_look_alikes_give_one_name_skeleton(latin, cyrillic):
    from amp.textcheck import name_skeleton

    assert name_skeleton(f"СОШ № 5 с. Ак{latin}") == name_skeleton(f"сош №5 с.  ак{cyrillic}")


# --- A coordinator is helped, not only refused ----------------------------------------------------


def _minimal(tmp_path):
    return shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")


def test_every_problem_of_a_file_is_reported_in_one_pass(tmp_path):
    """A key given twice (YAML), a level that is not 1–3 (schema) and an address that breaks a table
    (a rule) in one school, plus an unknown municipality in another school while programme.yaml has
    an unknown field: all of them at once, none hidden until another is fixed."""
    data = _minimal(tmp_path)
    replace_in(data / "schools" / "alpha.yaml",
               ("short_name: СОШ с. Альфа\n", "short_name: СОШ с. Альфа\nshort_name: СОШ с. Альфа\n"),
               ("    level: 2\n", "    level: 7\n"),
               ("url: http://127.0.0.1:9/alpha/программа развития.pdf", 'url: "http://127.0.0.1:9/a|b"'))
    replace_in(data / "schools" / "gamma.yaml", ("municipality: town", "municipality: townn"))
    replace_in(data / "programme.yaml", ("subtitle:", "subtitel: x\nsubtitle:"))
    _, problems = load(data)
    shown = [p.format() for p in errors(problems)]
    assert any(line.startswith("data/schools/alpha.yaml:4: short_name: поле указано дважды") for line in shown), shown
    assert "data/schools/alpha.yaml:10: участие в группе 1, level: недопустимое значение (ожидалось одно из: 1, 2 или 3; " \
           "найдено: 7)" in shown
    assert any(line.startswith("data/schools/alpha.yaml:20: документ programme, url: неверный адрес: знак «|»")
               for line in shown), shown
    assert any(line.startswith("data/programme.yaml:2: subtitel: неизвестное поле") for line in shown), shown
    assert any("gamma.yaml" in line and "неизвестный муниципалитет" in line and "town (г. Город)" in line
               for line in shown), shown


def test_a_reference_to_a_file_with_errors_is_not_called_unknown(tmp_path):
    """alpha.yaml has its own error; the report naming alpha must not be told alpha does not exist."""
    data = _minimal(tmp_path)
    alpha = data / "schools" / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("short_name:", "short_nam:"), encoding="utf-8")
    _, problems = load(data)
    assert [p.file for p in errors(problems)] == ["data/schools/alpha.yaml"] * 2  # unknown field + missing short_name
    assert not any("«alpha»" in p.message for p in problems)


def test_a_value_left_out_does_not_produce_rule_errors_about_itself(tmp_path):
    """municipality: 5 is a schema error; reading the file on without it must not add «основание
    указывается вместе с муниципалитетом» — a consequence, not a mistake of the coordinator."""
    data = _minimal(tmp_path)
    alpha = data / "schools" / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("municipality: town", "municipality: 5", 1), encoding="utf-8")
    _, problems = load(data)
    assert [(p.field, p.message.split(" (")[0]) for p in errors(problems)] == [("municipality", "неверный тип")]


@pytest.mark.parametrize("before, found", [("name: МБОУ\x07", "недопустимый символ U+0007"),
                                           ("name: &n МБОУ", "якорь (&n) не поддерживается")])
def test_what_the_parser_met_before_a_syntax_error_is_reported_with_it(tmp_path, before, found):
    """The parser stops at a syntax error; what it found on the way there is not lost."""
    data = _minimal(tmp_path)
    alpha = data / "schools" / "alpha.yaml"
    text = alpha.read_text(encoding="utf-8").replace("name: МБОУ", before, 1)
    alpha.write_text(text.replace("short_name: СОШ с. Альфа", "short_name: [СОШ с. Альфа"), encoding="utf-8")
    _, problems = load(data)
    messages = [p.format() for p in errors(problems) if p.file == "data/schools/alpha.yaml"]
    assert any(found in m for m in messages), messages
    assert any("синтаксическая ошибка YAML" in m for m in messages), messages


@pytest.mark.seed_snapshot
@pytest.mark.parametrize("typed, hint", [
    ("Каменский район", "возможно, имелось в виду: kamensky (Каменский район)"),
    ("kamenskiy", "возможно, имелось в виду: kamensky (Каменский район)"),
    ("penza-city", "возможно, имелось в виду: penza (г. Пенза)"),
])
def test_an_unknown_municipality_suggests_the_nearest_ids(tmp_path, typed, hint):
    data = shutil.copytree(SEED, tmp_path / "data")
    school = data / "schools" / "kamenka-sosh-1.yaml"
    text = school.read_text(encoding="utf-8")
    school.write_text(re.sub(r"(?m)^municipality: .*$", f"municipality: \"{typed}\"", text, count=1), encoding="utf-8")
    _, problems = load(data)
    messages = [p.message for p in errors(problems)]
    assert any(hint in m for m in messages), messages


@pytest.mark.seed_snapshot
def test_an_unknown_school_in_a_report_suggests_the_nearest_ids(tmp_path):
    data = shutil.copytree(SEED, tmp_path / "data")
    report = next((data / "reports").glob("*.yaml"))
    text = report.read_text(encoding="utf-8")
    first = re.search(r"(?m)^participants:\n\s*- (\S+)", text)[1]
    report.write_text(text.replace(f"- {first}\n", f"- {first}x\n", 1), encoding="utf-8")
    _, problems = load(data)
    messages = [p.message for p in errors(problems)]
    assert any(f"найдено: «{first}x»); возможно, имелось в виду: {first} (" in m for m in messages), messages


def test_a_group_is_named_as_the_documents_name_it(tmp_path):
    data = _minimal(tmp_path)
    programme = data / "programme.yaml"
    text = programme.read_text(encoding="utf-8")
    programme.write_text(re.sub(r"(?m)^(\s*)stated_count: 2$", r"\1stated_count: два", text, count=1), encoding="utf-8")
    _, problems = load(data)
    shown = [p.format() for p in errors(problems)]
    assert any(": группа 3, stated_count: неверный тип" in line for line in shown), shown
    assert not any("groups[" in line for line in shown)


def test_enumerated_values_are_accepted_as_a_person_types_them(tmp_path):
    data = _minimal(tmp_path)
    replace_in(data / "schools" / "alpha.yaml",
               ("    level: 2\n", '    level: "2 Умеренно неуспевающие"\n'),
               ("kind: программа развития", "kind: Программа  Развития"),
               ("municipality_basis: указан в названии школы", "municipality_basis: Указан в названии школы"))
    replace_in(data / "municipalities" / "town.yaml", ("kind: городской округ", "kind: Городской округ"))
    beta = data / "schools" / "beta.yaml"
    beta.write_text(re.sub(r"(?m)^(\s*)level: 3$", r"\1level: Сильно неуспевающие", beta.read_text(encoding="utf-8")),
                    encoding="utf-8")
    dataset, problems = load(data)
    assert dataset is not None, [p.format() for p in problems]
    alpha_record = dataset.schools["alpha"]
    assert alpha_record.participations[0].level == 2
    assert alpha_record.documents[0].kind == "программа развития"
    assert alpha_record.municipality_basis == "указан в названии школы"
    assert dataset.municipalities["town"].kind == "городской округ"
    assert dataset.schools["beta"].participations[0].level == 3
    from amp.pages import render_pages

    page = render_pages(dataset, warnings(problems))["schools/alpha.md"]
    assert "| **Уровень неуспешности** | **2 — Умеренно неуспевающие** |" in page
    assert "| программа развития |" in page and "Программа  Развития" not in page


@pytest.mark.parametrize("typed", ["2 Сильно неуспевающие", "неуспевающие", "Умеренно успевающие"])
def test_a_level_whose_words_say_another_or_none_is_refused(tmp_path, typed):
    data = _minimal(tmp_path)
    alpha = data / "schools" / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("    level: 2\n", f'    level: "{typed}"\n'), encoding="utf-8")
    _, problems = load(data)
    assert [p.format() for p in errors(problems)] == [
        f"data/schools/alpha.yaml:9: участие в группе 1, level: недопустимое значение (ожидалось одно из: 1, 2 или 3; "
        f"найдено: «{typed}»)"]
