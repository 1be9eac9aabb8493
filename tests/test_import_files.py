"""A spreadsheet imports exactly what the coordinator sees: hidden sheets, rows and columns, duplicate
headers and formulas without a stored value are named and refused; hostile or broken files (zip
bombs, entities, renamed .xls, wrong encodings and delimiters) get a Russian message, never a
traceback, and data/ is left byte-identical. Every file is made by the test, through the command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile

import import_table
import pytest
import yaml
from openpyxl import Workbook
from projectpaths import ROOT, SEED

HEADER = ("№ п/п", "Образовательная организация", "Уровень неуспешности", "Наличие трудностей")


@pytest.fixture
def data(tmp_path):
    return shutil.copytree(SEED, tmp_path / "data")


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(capsys, table, data, *args):
    """The command line in this process: (exit code, stdout, stderr); data/ must not change on a refusal."""
    before = snapshot(data)
    code = import_table.main([str(table), "--data", str(data), "--group", "3", *args])
    out, err = capsys.readouterr()
    if code != 0:
        assert snapshot(data) == before
    return code, out, err


def group3(data):
    found = []
    for path in sorted((data / "schools").glob("*.yaml")):
        for part in yaml.safe_load(path.read_text(encoding="utf-8"))["participations"]:
            if part["group"] == 3:
                found.append(part)
    return sorted(found, key=lambda p: p["number"])


def other_level(part):
    return 1 if part["level"] != 1 else 2


def book_with(rows, title="Группа 3"):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append(list(row))
    return book, sheet


def rewrite(path, part, change):
    """Replace one part of a saved workbook (what openpyxl cannot write: cached values, entities)."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, content in items:
            target.writestr(info.filename, change(content) if info.filename == part else content)


def test_a_hidden_sheet_is_named_and_the_visible_one_is_read(data, tmp_path, capsys):
    a, b = group3(data)[:2]
    book, visible = book_with([(a["number"], a["name_in_source"], other_level(a), None)])
    hidden = book.create_sheet("Старый список", 0)
    hidden.append(list(HEADER))
    hidden.append([b["number"], b["name_in_source"], other_level(b), None])
    hidden.sheet_state = "hidden"
    book.save(tmp_path / "t.xlsx")
    code, out, err = run(capsys, tmp_path / "t.xlsx", data, "--dry-run")
    assert code == 1
    assert "Прочитан лист «Группа 3» файла t.xlsx" in out
    assert "лист «Старый список» скрыт" in err and "Ничего не записано" in err


def test_several_visible_sheets_the_dry_run_names_the_one_read(data, tmp_path, capsys):
    a = group3(data)[0]
    book, _ = book_with([(a["number"], a["name_in_source"], other_level(a), None)])
    book.create_sheet("Примечания").append(["что-то"])
    book.save(tmp_path / "t.xlsx")
    code, out, err = run(capsys, tmp_path / "t.xlsx", data, "--dry-run")
    assert code == 0, err
    assert out.startswith("Прочитан лист «Группа 3» файла t.xlsx: строк данных — 1 (другие листы не читаются: "
                          "«Примечания»).\n")


def test_a_hidden_row_with_data_is_refused(data, tmp_path, capsys):
    a, b = group3(data)[:2]
    book, sheet = book_with([(a["number"], a["name_in_source"], a["level"], a["difficulties"]),
                             (b["number"], b["name_in_source"], other_level(b), None)])
    sheet.row_dimensions[3].hidden = True
    book.save(tmp_path / "t.xlsx")
    code, _, err = run(capsys, tmp_path / "t.xlsx", data)
    assert code == 1
    assert "лист «Группа 3», строка 3: скрытые строки с данными" in err


def test_a_hidden_column_with_data_is_refused_an_empty_hidden_one_is_not(data, tmp_path, capsys):
    a = group3(data)[0]
    book, sheet = book_with([(a["number"], a["name_in_source"], other_level(a), None)])
    sheet.column_dimensions["F"].hidden = True  # empty: the coordinator misses nothing
    book.save(tmp_path / "empty-hidden.xlsx")
    code, out, err = run(capsys, tmp_path / "empty-hidden.xlsx", data, "--dry-run")
    assert code == 0, err
    assert "уровень (группа 3) изменён" in out
    sheet.column_dimensions["C"].hidden = True  # the levels themselves
    book.save(tmp_path / "t.xlsx")
    code, _, err = run(capsys, tmp_path / "t.xlsx", data)
    assert code == 1
    assert "лист «Группа 3», столбец C: скрытые столбцы с данными" in err


def test_a_duplicate_header_is_refused(data, tmp_path, capsys):
    a = group3(data)[0]
    book = Workbook()
    sheet = book.active
    sheet.title = "Группа 3"
    sheet.append([*HEADER, "уровень  неуспешности"])
    sheet.append([a["number"], a["name_in_source"], a["level"], a["difficulties"], other_level(a)])
    book.save(tmp_path / "t.xlsx")
    code, _, err = run(capsys, tmp_path / "t.xlsx", data)
    assert code == 1
    assert ("лист «Группа 3», строка 1: заголовок «Уровень неуспешности» повторяется в столбцах C и E "
            "(ожидался один столбец с таким заголовком") in err


def test_a_formula_is_read_by_its_stored_value_and_refused_without_one(data, tmp_path, capsys):
    a = group3(data)[0]
    level = other_level(a)
    book, sheet = book_with([(a["number"], a["name_in_source"], f"={level}*1", None)])
    book.save(tmp_path / "t.xlsx")  # openpyxl stores no computed value, as any program that does not compute
    code, _, err = run(capsys, tmp_path / "t.xlsx", data)
    assert code == 1
    assert "лист «Группа 3», ячейка C2: формула без сохранённого значения" in err
    rewrite(tmp_path / "t.xlsx", "xl/worksheets/sheet1.xml", lambda x: x.replace(b"<v />", f"<v>{level}</v>".encode()))
    code, out, err = run(capsys, tmp_path / "t.xlsx", data, "--dry-run")
    assert code == 0, err
    assert f"на «{level}»" in out


def saved(tmp_path, data, name="t.xlsx"):
    a = group3(data)[0]
    book, _ = book_with([(a["number"], a["name_in_source"], other_level(a), None)])
    book.save(tmp_path / name)
    return tmp_path / name


@pytest.mark.parametrize("megabytes, expected", [(100, "книга распаковывается в 100 МБ"),
                                                 (30, "часть «xl/sharedStrings.xml» сжата в")])
def test_a_zip_bomb_is_refused_before_it_is_unpacked(data, tmp_path, capsys, megabytes, expected):
    table = saved(tmp_path, data)
    with zipfile.ZipFile(table, "a", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/sharedStrings.xml", "w") as part:
        part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        for _ in range(megabytes):
            part.write(b"<si><t>a</t></si>" * (2**20 // 17))
        part.write(b"</sst>")
    assert table.stat().st_size < 2**20
    code, _, err = run(capsys, table, data)
    assert code == 2
    assert f"Таблица не прочитана: {table}: {expected}" in err


def test_a_value_a_million_rows_down_is_refused_a_declared_dimension_is_not_trusted(data, tmp_path, capsys):
    table = saved(tmp_path, data)
    rewrite(table, "xl/worksheets/sheet1.xml", lambda x: x.replace(b'<dimension ref="A1:D2"', b'<dimension ref="A1:XFD1048576"'))
    code, out, err = run(capsys, table, data, "--dry-run")
    assert code == 0, err  # the dimension is only what the file says about itself
    assert "строк данных — 1." in out
    a = group3(data)[0]
    book, sheet = book_with([(a["number"], a["name_in_source"], other_level(a), None)])
    sheet["B1000000"] = "забытая строка"
    book.save(tmp_path / "far.xlsx")
    code, _, err = run(capsys, tmp_path / "far.xlsx", data)
    assert code == 2
    assert "заполнена ячейка B1000000 — за пределами 50000 строк и 200 столбцов" in err


def test_a_100_kb_cell_is_refused_and_not_quoted_whole(data, tmp_path, capsys):
    a = group3(data)[0]
    book, _ = book_with([(a["number"], a["name_in_source"], other_level(a), None)])
    book.save(tmp_path / "t.xlsx")  # openpyxl itself cuts a cell at Excel's 32 767 characters; a file need not
    rewrite(tmp_path / "t.xlsx", "xl/worksheets/sheet1.xml",
            lambda x: x.replace(a["name_in_source"].encode(), ("Школа " * 17_000).encode()))
    code, _, err = run(capsys, tmp_path / "t.xlsx", data)
    assert code == 1
    assert "лист «Группа 3», строка 2, столбец B: текст длиной 102000 знаков (ожидалось не больше 1000" in err
    assert len(err) < 5_000


@pytest.mark.parametrize("length, code, expected", [
    (100_000, 1, "лист «t.csv», строка 2, столбец B: текст длиной 100000 знаков (ожидалось не больше 1000"),
    (1_000_000, 2, "t.csv, строка 2 файла: текст не читается как CSV (ячейка длиннее 131072 знаков)"),
])
def test_a_huge_csv_cell_is_refused(data, tmp_path, capsys, length, code, expected):
    a = group3(data)[0]
    (tmp_path / "t.csv").write_text(";".join(HEADER) + f"\n{a['number']};{'ш' * length};1;\n", encoding="utf-8")
    result, _, err = run(capsys, tmp_path / "t.csv", data)
    assert result == code
    assert expected in err and len(err) < 5_000


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE w [<!ENTITY e "СОШ">]>',
    '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
])
def test_xml_with_entities_is_refused_before_it_is_parsed(data, tmp_path, capsys, doctype):
    table = saved(tmp_path, data)
    rewrite(table, "xl/worksheets/sheet1.xml", lambda x: doctype.encode() + x.replace(b"<t>", b"<t>&e;&d;", 1))
    code, _, err = run(capsys, table, data)
    assert code == 2
    assert "часть «xl/worksheets/sheet1.xml» объявляет DOCTYPE или сущности XML" in err


# The header of a Compound File (MS-CFB), the container of Excel 97–2003 books: what a renamed .xls starts with.
CFB_HEADER = (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(16) + bytes.fromhex("3e000300feff0900060000000000000000000000")
              + bytes(488))


@pytest.mark.parametrize("name, expected", [
    ("список.xlsx", "файл назван .xlsx, но это книга старого формата Excel 97–2003 (.xls)"),
    ("список.xls", "это книга старого формата Excel 97–2003 (.xls)"),
])
def test_an_old_excel_book_is_named_with_what_to_do(data, tmp_path, capsys, name, expected):
    (tmp_path / name).write_bytes(CFB_HEADER + bytes(1024))
    code, _, err = run(capsys, tmp_path / name, data)
    assert code == 2
    assert expected in err and "сохраните как «Книга Excel (*.xlsx)»" in err


def test_broken_and_foreign_files_get_a_message_not_a_traceback(data, tmp_path, capsys):
    whole = saved(tmp_path, data).read_bytes()
    cases = {}
    (tmp_path / "cut.xlsx").write_bytes(whole[: len(whole) // 2])
    cases["cut.xlsx"] = "книга Excel повреждена или обрезана"
    with zipfile.ZipFile(tmp_path / "photos.xlsx", "w") as archive:
        archive.writestr("readme.txt", "не таблица")
    cases["photos.xlsx"] = "это zip-архив, а не книга Excel (.xlsx)"
    (tmp_path / "page.xlsx").write_text("<html><body>таблица</body></html>", encoding="utf-8")
    cases["page.xlsx"] = "файл назван .xlsx, но это не книга Excel"
    (tmp_path / "empty.csv").write_bytes(b"")
    cases["empty.csv"] = "файл пуст (0 байт)"
    cases["missing.xlsx"] = "файл не найден"
    (tmp_path / "folder.xlsx").mkdir()
    cases["folder.xlsx"] = "это папка, а не файл"
    for name, expected in cases.items():
        code, _, err = run(capsys, tmp_path / name, data)
        assert code == 2, name
        assert err.startswith(f"Таблица не прочитана: {tmp_path / name}: {expected}"), err


def test_a_pipe_is_refused_not_waited_on(data, tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "import_table.py"), str(tmp_path / "pipe.csv"),
                             "--data", str(data), "--group", "3"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "это не обычный файл" in result.stderr


def csv_text(data, delimiter=";"):
    a = group3(data)[0]
    return (delimiter.join(HEADER) + "\r\n" +
            delimiter.join([str(a["number"]), a["name_in_source"], str(other_level(a)), ""]) + "\r\n"), a


@pytest.mark.parametrize("encoding, delimiter", [("utf-16", "\t"), ("utf-16", ";"), ("cp1251", ","), ("utf-8-sig", ",")])
def test_a_csv_in_any_encoding_excel_writes_is_read(data, tmp_path, capsys, encoding, delimiter):
    text, a = csv_text(data, delimiter)
    (tmp_path / "t.csv").write_bytes(text.encode(encoding))
    code, out, err = run(capsys, tmp_path / "t.csv", data, "--dry-run")
    assert code == 0, err
    shown = {"utf-16": "UTF-16", "cp1251": "Windows-1251", "utf-8-sig": "UTF-8"}[encoding]
    assert out.startswith(f"Прочитан текст CSV (кодировка {shown}, разделитель — "
                          f"{ {';': '«;»', ',': '«,»', chr(9): 'табуляция'}[delimiter]}) файла t.csv: строк данных — 1.")
    assert f"уровень (группа 3) изменён" in out and f"на «{other_level(a)}»" in out


def test_a_one_column_csv_names_the_delimiter(data, tmp_path, capsys):
    text, _ = csv_text(data, "|")
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    code, _, err = run(capsys, tmp_path / "t.csv", data)
    assert code == 2
    assert "в строке заголовков один столбец — разделитель столбцов не распознан (ожидались «;», «,» или табуляция" in err


def test_utf16_without_a_mark_is_refused(data, tmp_path, capsys):
    text, _ = csv_text(data)
    (tmp_path / "t.csv").write_bytes(text.encode("utf-16-le"))
    code, _, err = run(capsys, tmp_path / "t.csv", data)
    assert code == 2
    assert "в UTF-16 без метки кодировки" in err


@pytest.mark.parametrize("cell, level", [("2 Умеренно неуспевающие", 2), ("  умеренно   НЕУСПЕВАЮЩИЕ ", 2),
                                         ("3 - Сильно неуспевающие", 3), ("Базово неуспевающие", 1), ("сильно", 3),
                                         ("1.0", 1)])
def test_a_level_is_accepted_as_the_documents_write_it(data, tmp_path, capsys, cell, level):
    part = next(p for p in group3(data) if p["level"] != level)
    book, _ = book_with([(part["number"], part["name_in_source"], cell, "2.0")])
    book.save(tmp_path / "t.xlsx")
    code, out, err = run(capsys, tmp_path / "t.xlsx", data, "--dry-run")
    assert code == 0, err
    assert f"уровень (группа 3) изменён с «{part['level'] or 'нет данных'}» на «{level}»" in out


@pytest.mark.parametrize("cell, kind", [("неуспевающие", "неоднозначное"), ("2 Сильно неуспевающие", "неоднозначное"),
                                        ("средне", "недопустимое"), ("4", "недопустимое")])
def test_an_ambiguous_or_unknown_level_lists_the_accepted_spellings(data, tmp_path, capsys, cell, kind):
    a = group3(data)[0]
    book, _ = book_with([(a["number"], a["name_in_source"], cell, "3")])
    book.save(tmp_path / "t.xlsx")
    code, _, err = run(capsys, tmp_path / "t.xlsx", data)
    assert code == 1
    assert (f"лист «Группа 3», строка 2, столбец C («Уровень неуспешности»): {kind} значение (ожидалось одно из: "
            "«1», «2», «3», «1 Базово неуспевающие», «2 Умеренно неуспевающие», «3 Сильно неуспевающие», "
            "«Базово неуспевающие», «Умеренно неуспевающие», «Сильно неуспевающие» — в любом регистре — или пустая "
            f"ячейка — нет данных; найдено: «{cell}»)") in err
    assert "столбец D («Наличие трудностей»): недопустимое значение (ожидалось одно из: «1», «2»" in err


def test_a_long_list_numbers_past_999(data, tmp_path, capsys):
    """A country-wide group lists thousands of schools: «№ п/п» 1500 is a number like any other."""
    a = group3(data)[0]
    book, _ = book_with([(1500, a["name_in_source"], a["level"], a["difficulties"])])
    book.save(tmp_path / "t.xlsx")
    code, out, err = run(capsys, tmp_path / "t.xlsx", data, "--dry-run")
    assert code == 0, err
    assert f"номер в списке (группа 3) изменён с «{a['number']}» на «1500»" in out


def test_scores_and_status_marks_are_accepted_as_people_write_them(data, tmp_path, capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(["Район (город)", "К1", "К2", "К3", "К4", "К5", "К6", "Итого"])
    sheet.append(["Башмаковский", "1 балл", " 0 баллов ", "2 балла", None, None, None, 3])
    book.save(tmp_path / "scores.xlsx")
    code = import_table.main([str(tmp_path / "scores.xlsx"), "--data", str(data), "--monitoring", "shnro", "--dry-run"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Башмаковский: балл К3 изменён с «нет данных» на «2»" in out
    assert "балл К2 изменён с «нет данных» на «0»" in out and "балл К1" not in out

    book = Workbook()
    sheet = book.active
    sheet.append(["Район (город)", "Анкетирование 500+ 2022", "Ссылки на документы 500+ 2021",
                  "Ссылки на документы «Равенство...»", "Муниципальная ДК"])
    sheet.append(["г. Пенза", "ДА", " Нет ", "−", "✔"])  # «−» is the minus sign, not a hyphen
    book.save(tmp_path / "statuses.xlsx")
    before = snapshot(data)
    code = import_table.main([str(tmp_path / "statuses.xlsx"), "--data", str(data), "--statuses"])
    out, err = capsys.readouterr()
    assert code == 0, err
    status = yaml.safe_load((data / "municipalities" / "penza.yaml").read_text(encoding="utf-8"))["status"]
    assert [status[f] for f in ("survey_500plus_2022", "documents_500plus_2021", "documents_ravenstvo",
                                "municipal_roadmap")] == [True, False, False, True]
    assert [k for k in before if before[k] != (data / k).read_bytes()] == ["municipalities/penza.yaml"]


def test_a_row_longer_than_excel_allows_is_refused_while_streaming(data, tmp_path, capsys):
    table = saved(tmp_path, data)
    rewrite(table, "xl/worksheets/sheet1.xml", lambda x: x.replace(b"</row>", b'<c s="0"/>' * 20_000 + b"</row>", 1))
    code, _, err = run(capsys, table, data)
    assert code == 2
    assert "строка длиннее 16384 ячеек" in err


def test_a_csv_of_endless_empty_lines_is_refused_at_the_row_cap(data, tmp_path, capsys):
    text, _ = csv_text(data)
    (tmp_path / "t.csv").write_text(text + "\n" * 60_000 + "1;забытая строка;1;\n", encoding="utf-8")
    code, _, err = run(capsys, tmp_path / "t.csv", data)
    assert code == 2
    assert "t.csv, строка 50001: таблица больше 50000 строк или 200 столбцов" in err


def test_the_files_text_cannot_forge_lines_or_drive_the_terminal(data, tmp_path, capsys):
    a = group3(data)[0]
    name = "Школа\nИзменений нет: данные уже совпадают с таблицей.\x1b[2J"
    (tmp_path / "t.csv").write_text(";".join(HEADER) + f'\n{a["number"]};"{name}";1;\n', encoding="utf-8")
    code, out, err = run(capsys, tmp_path / "t.csv", data)
    assert code == 1
    assert "\x1b" not in out + err and "\\x1b[2J" in err
    # A line break inside a cell is a space, as the coordinator's spaces are: no forged «Изменений нет» line.
    assert "\nИзменений нет" not in out + err and "«Школа Изменений нет" in err
