"""The open-data downloads: every table in CSV (UTF-8 with BOM), JSON and one XLSX workbook, with a
data dictionary made from the same column list; values as typed, unknown values empty."""

from __future__ import annotations

import csv
import io
import json

import pytest
from amp.build import prepare
from amp.opendata import TABLES
from openpyxl import load_workbook
from projectpaths import FIXTURES


@pytest.fixture(scope="module")
def downloads():
    build, problems = prepare(FIXTURES / "minimal" / "data")
    assert build is not None, problems
    return build


def read_csv(text: str) -> list[dict]:
    assert text.startswith("\ufeff"), "без метки UTF-8 Excel откроет кириллицу как cp1251"
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_every_table_has_csv_json_and_a_sheet_with_the_same_rows(downloads):
    book = load_workbook(io.BytesIO(downloads.files["downloads/open-data.xlsx"]))
    for table in TABLES:
        columns = [c.name for c in table.columns(downloads.dataset)]
        rows = read_csv(downloads.files[f"downloads/{table.name}.csv"])
        records = json.loads(downloads.files[f"downloads/{table.name}.json"])
        sheet = list(book[table.title[:31]].iter_rows(values_only=True))
        assert list(rows[0]) == columns if rows else True
        assert list(sheet[0]) == columns
        assert len(rows) == len(records) == len(sheet) - 1
        for row, record, cells in zip(rows, records, sheet[1:]):
            for name, cell in zip(columns, cells):
                value = record[name]
                # Unknown: empty in CSV and XLSX, null in JSON — never 0.
                assert (row[name] == "") == (value is None) == (cell is None), (table.name, name)
                if isinstance(value, str):
                    assert row[name] == value == cell


def test_the_dictionary_describes_every_column_of_every_table(downloads):
    described = {(r["table"], r["column"]) for r in read_csv(downloads.files["downloads/dictionary.csv"])}
    for table in TABLES:
        for column in table.columns(downloads.dataset):
            assert (table.name, column.name) in described
            assert column.meaning and column.type_text() and column.source
    assert "Словарь данных" in load_workbook(io.BytesIO(downloads.files["downloads/open-data.xlsx"])).sheetnames


def test_municipalities_carry_the_stated_and_the_computed_total(downloads):
    rows = {r["id"]: r for r in read_csv(downloads.files["downloads/municipalities.csv"])}
    for direction in downloads.dataset.monitoring.directions:
        for score in direction.rows:
            known = [v for v in score.scores.values() if v is not None]
            row = rows[score.municipality]
            assert row[f"{direction.id}_computed_total"] == (str(sum(known)) if known else "")
            assert row[f"{direction.id}_stated_total"] == ("" if score.stated_total is None else str(score.stated_total))


def test_a_value_that_looks_like_a_formula_stays_text_in_excel(tmp_path):
    import shutil

    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    school = data / "schools" / "alpha.yaml"
    school.write_text(school.read_text(encoding="utf-8").replace("name: ", "name: '=1+1 ", 1).replace(
        "\nshort_name", "'\nshort_name", 1), encoding="utf-8")
    build, problems = prepare(data)
    assert build is not None, [p.format() for p in problems]
    book = load_workbook(io.BytesIO(build.files["downloads/open-data.xlsx"]))
    names = [row[1] for row in book["Школы"].iter_rows(min_row=2, values_only=True)]
    assert any(name.startswith("=1+1 ") for name in names)
    assert book["Школы"]["B2"].data_type == "s"


HOSTILE = {"name": "=HYPERLINK(\"http://127.0.0.1:9/x\";\"Открыть\")", "short_name": "+7 (841) 000-00-00",
           "note": "@SUM(1+1)*cmd|' /C calc'!A0", "name_in_source": "-2+3", "title": "\tПрограмма"}


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    """The minimal data with cells a spreadsheet would run as formulas, and a negative stated total."""
    import shutil

    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path_factory.mktemp("formulas") / "data")
    school = data / "schools" / "alpha.yaml"
    text = school.read_text(encoding="utf-8")
    text = text.replace("name: МБОУ СОШ с. Альфа Городского района", f"name: {json.dumps(HOSTILE['name'], ensure_ascii=False)}", 1)
    text = text.replace("short_name: СОШ с. Альфа", f"short_name: \"{HOSTILE['short_name']}\"")
    text = text.replace("name_in_source: МБОУ СОШ с. Альфа Городского района", f"name_in_source: \"{HOSTILE['name_in_source']}\"")
    text = text.replace("title: Программа развития", "title: \"\\tПрограмма\"")
    school.write_text(text + f"note: {json.dumps(HOSTILE['note'], ensure_ascii=False)}\n", encoding="utf-8")
    monitoring = data / "monitoring.yaml"
    monitoring.write_text(monitoring.read_text(encoding="utf-8").replace("stated_total: 6", "stated_total: -1"),
                          encoding="utf-8")
    build, problems = prepare(data)
    assert build is not None, [p.format() for p in problems]
    return build


@pytest.mark.parametrize("table, column, key", [
    ("schools", "name", "name"), ("schools", "short_name", "short_name"), ("schools", "note", "note"),
    ("participations", "name_in_source", "name_in_source"), ("documents", "title", "title"),
])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_neutralised_in_csv(hostile_build, table, column, key):
    rows = read_csv(hostile_build.files[f"downloads/{table}.csv"])
    cells = [row[column] for row in rows]
    assert "'" + HOSTILE[key] in cells
    assert HOSTILE[key] not in cells
    # JSON is not opened by spreadsheets: it keeps the value exactly as typed.
    assert HOSTILE[key] in [record[column] for record in json.loads(hostile_build.files[f"downloads/{table}.json"])]


def test_negative_numbers_stay_numbers_in_csv(hostile_build):
    scores = read_csv(hostile_build.files["downloads/scores.csv"])
    assert [row["stated_total"] for row in scores if row["direction"] == "shnro" and row["municipality"] == "town"] == ["-1"]
    municipalities = {row["id"]: row for row in read_csv(hostile_build.files["downloads/municipalities.csv"])}
    assert municipalities["town"]["shnro_stated_total"] == "-1"


def test_formula_text_stays_a_string_cell_in_every_workbook(hostile_build):
    """openpyxl would store a str starting with «=» as a formula: every such cell must be a string cell."""
    book = load_workbook(io.BytesIO(hostile_build.files["downloads/open-data.xlsx"]))
    cells = {cell.value: cell for row in book["Школы"].iter_rows(min_row=2) for cell in row}
    for key in ("name", "short_name", "note"):
        assert cells[HOSTILE[key]].data_type == "s", key
    group = load_workbook(io.BytesIO(hostile_build.files["downloads/group-1.xlsx"])).active
    cell = next(c for row in group.iter_rows(min_row=2) for c in row if c.value == HOSTILE["name_in_source"])
    assert cell.data_type == "s"
    totals = [c for row in book["Баллы мониторинга"].iter_rows(min_row=2) for c in row if c.value == -1]
    assert totals and all(c.data_type == "n" for c in totals)


def test_the_workbook_is_byte_identical_for_the_same_data(downloads):
    again, _ = prepare(FIXTURES / "minimal" / "data")
    assert again.files["downloads/open-data.xlsx"] == downloads.files["downloads/open-data.xlsx"]


def test_the_downloads_made_beside_mkdocs_are_the_same_files(downloads):
    """The build makes the downloads in a second process from addresses known in advance: both agree
    with what the data makes, byte for byte."""
    from amp.downloads import Job
    from amp.exports import download_paths

    made = {path: content for path, content in downloads.files.items() if path.startswith("downloads/")}
    assert download_paths(downloads.dataset) == sorted(made)
    job = Job(downloads.dataset, downloads.link_status)
    try:
        fresh = job.read()
    finally:
        job.close()
    assert fresh == {path: c.encode("utf-8") if isinstance(c, str) else c for path, c in made.items()}
    assert not job.folder.exists()


def test_every_download_is_in_the_built_site(built_seed_site, seed_dataset):
    from amp.exports import download_paths

    dataset, _ = seed_dataset
    missing = [path for path in download_paths(dataset) if not (built_seed_site / path).is_file()]
    assert not missing


def test_serve_makes_the_same_downloads_in_a_fresh_process(downloads):
    """`mkdocs serve` refreshes the downloads in a separate interpreter that reads the data itself."""
    from amp.downloads import Job

    job = Job(downloads.dataset, downloads.link_status, data=FIXTURES / "minimal" / "data")
    try:
        fresh = job.read()
    finally:
        job.close()
    made = {path: c.encode("utf-8") if isinstance(c, str) else c
            for path, c in downloads.files.items() if path.startswith("downloads/")}
    assert fresh == made


def test_the_open_data_page_says_how_formulas_and_numbers_are_written(downloads):
    page = downloads.files["open-data.md"]
    dictionary = page.split("## Словарь данных", 1)[1]
    assert "записана с апострофом `'` в начале" in dictionary
    assert "`=`, `+`, `-`, `@`, с табуляции или возврата каретки" in dictionary
    assert "отрицательное число остаётся числом (`-1`), апостроф к нему не добавляется" in dictionary
