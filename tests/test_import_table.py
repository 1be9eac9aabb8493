"""Importing a coordinator's spreadsheet: realistic tables made by the test, messy ones included;
nothing is written while any problem remains; export → import leaves data/ byte-identical."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
import yaml
from amp.build import prepare
from openpyxl import Workbook
from projectpaths import ROOT, SEED

SCRIPT = ROOT / "scripts" / "import_table.py"


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(table, data, *args):
    return subprocess.run([sys.executable, str(SCRIPT), str(table), "--data", str(data), *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def data(tmp_path):
    return shutil.copytree(SEED, tmp_path / "data")


def members(data, group):
    found = []
    for path in sorted((data / "schools").glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        for part in record["participations"]:
            if part["group"] == group:
                found.append((path.stem, part))
    return sorted(found, key=lambda item: item[1]["number"])


def workbook(path, rows, header=("№ п/п", "Образовательная организация", "Уровень неуспешности", "Наличие трудностей"),
             merge=None, title_row=False):
    book = Workbook()
    sheet = book.active
    sheet.title = "Группа 3"
    if title_row:
        sheet.append(["Список ОО группы 3", None, None, None])
        sheet.merge_cells("A1:D1")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def test_export_then_import_leaves_data_byte_identical(data, tmp_path):
    build, _ = prepare(data)
    before = snapshot(data)
    for group in (1, 2, 3):
        table = tmp_path / f"group-{group}.xlsx"
        table.write_bytes(build.files[f"downloads/group-{group}.xlsx"])
        result = run(table, data, "--group", str(group))
        assert result.returncode == 0, result.stderr
        assert "Изменений нет" in result.stdout
    assert snapshot(data) == before


def test_a_messy_table_is_read_as_the_coordinator_meant_it(data, tmp_path):
    school, part = members(data, 3)[0]
    name = part["name_in_source"]
    messy = "  " + name.replace("№", "N").replace(" ", "  ").upper() + " "
    new_level = 1 if part["level"] != 1 else 2
    # Numbers stored as text, extra spaces, «N» for «№», capitals.
    table = workbook(tmp_path / "messy.xlsx", [(str(part["number"]), messy, f" {new_level} ", "2")])
    before = snapshot(data)
    dry = run(table, data, "--group", "3", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"уровень (группа 3) изменён с «{part['level'] if part['level'] is not None else 'нет данных'}» на «{new_level}»" in dry.stdout
    assert snapshot(data) == before  # a dry run writes nothing
    done = run(table, data, "--group", "3")
    assert done.returncode == 0, done.stderr
    text = (data / "schools" / f"{school}.yaml").read_text(encoding="utf-8")
    changed = {k for k in before if before[k] != (data / k).read_bytes()}
    assert changed == {f"schools/{school}.yaml"}
    record = yaml.safe_load(text)
    assert next(p for p in record["participations"] if p["group"] == 3)["level"] == new_level
    # Only the changed values differ: every other line, key order and quoting are kept.
    old_lines = before[f"schools/{school}.yaml"].decode().splitlines()
    assert sum(1 for a, b in zip(old_lines, text.splitlines()) if a != b) <= 2
    assert len(old_lines) == len(text.splitlines())


def test_problems_are_named_by_sheet_row_and_column_and_nothing_is_written(data, tmp_path):
    (first, a), (second, b) = members(data, 3)[:2]
    rows = [
        (a["number"], a["name_in_source"], 7, None),  # out of range
        (b["number"], b["name_in_source"][:-3] + "xyz", 1, None),  # a typo: unknown, with a hint
        (a["number"], a["name_in_source"], 1, None),  # the same school twice
        (99, "Школа, которой нет", 1, "3"),
    ]
    table = workbook(tmp_path / "bad.xlsx", rows, merge="D4:D5", title_row=True)
    before = snapshot(data)
    result = run(table, data, "--group", "3")
    assert result.returncode == 1
    assert snapshot(data) == before
    err = result.stderr
    assert "лист «Группа 3», строка 3, столбец C («Уровень неуспешности»): недопустимое значение" in err
    assert "найдено: «7»" in err
    assert f"строка 4, столбец B («Образовательная организация»): неизвестная школа группы 3" in err
    assert f"возможно, имелось в виду «{b['name_in_source']}»" in err
    assert "строка 5, столбец B («Образовательная организация»): школа" in err and "уже есть в строке 3" in err
    assert "ячейки D4:D5: объединённые ячейки" in err
    assert "Ничего не записано" in err


def test_a_csv_from_excel_in_cp1251_with_semicolons(data, tmp_path):
    school, part = members(data, 3)[0]
    table = tmp_path / "group.csv"
    table.write_bytes(("№ п/п;Образовательная организация;Уровень неуспешности;Наличие трудностей\n"
                       f"{part['number']};{part['name_in_source']};{part['level'] or ''};{part['difficulties'] or ''}\n")
                      .encode("cp1251", errors="replace"))
    result = run(table, data, "--group", "3", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "Изменений нет" in result.stdout


def test_a_table_without_the_documents_columns_is_refused(data, tmp_path):
    table = workbook(tmp_path / "wrong.xlsx", [(1, "x", 1, None)], header=("Номер", "Школа", "Балл", ""))
    result = run(table, data, "--group", "3")
    assert result.returncode == 1
    assert "в таблице нет столбца «Образовательная организация»" in result.stderr


def test_monitoring_scores_round_trip_and_a_changed_score(data, tmp_path):
    from openpyxl import load_workbook

    build, _ = prepare(data)
    before = snapshot(data)
    table = tmp_path / "shnro.xlsx"
    table.write_bytes(build.files["downloads/monitoring-shnro.xlsx"])
    same = run(table, data, "--monitoring", "shnro")
    assert same.returncode == 0 and "Изменений нет" in same.stdout, same.stderr
    assert snapshot(data) == before
    book = load_workbook(table)
    sheet = book.active
    sheet["B2"] = "0" if sheet["B2"].value != 0 else "1"  # a number stored as text
    sheet["A2"] = "  " + str(sheet["A2"].value).upper() + " "
    book.save(table)
    done = run(table, data, "--monitoring", "shnro")
    assert done.returncode == 0, done.stderr
    assert "балл К1 изменён" in done.stdout
    changed = [k for k in before if before[k] != (data / k).read_bytes()]
    assert changed == ["monitoring.yaml"]
    old, new = before["monitoring.yaml"].decode().splitlines(), (data / "monitoring.yaml").read_text(encoding="utf-8").splitlines()
    assert len(old) == len(new) and sum(1 for a, b in zip(old, new) if a != b) == 1


def test_a_score_out_of_range_writes_nothing(data, tmp_path):
    from openpyxl import load_workbook

    build, _ = prepare(data)
    table = tmp_path / "shnro.xlsx"
    table.write_bytes(build.files["downloads/monitoring-shnro.xlsx"])
    book = load_workbook(table)
    book.active["C3"] = 5
    book.save(table)
    before = snapshot(data)
    result = run(table, data, "--monitoring", "shnro")
    assert result.returncode == 1 and snapshot(data) == before
    assert "строка 3, столбец C" in result.stderr and "найдено: «5»" in result.stderr


def test_every_data_file_survives_the_importers_yaml_unchanged():
    """Rewriting a file keeps everything the change does not touch: comments, order, quotes, null."""
    import io

    from amp.importing import _yaml

    for path in sorted(SEED.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        yaml_rt = _yaml(text)
        out = io.StringIO()
        yaml_rt.dump(yaml_rt.load(text), out)
        assert out.getvalue() == text, path.name


def statuses(data):
    found = {}
    for path in sorted((data / "municipalities").glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        if record.get("status"):
            found[path.stem] = record["status"]
    return found


STATUS_HEADER = ("№ п/п", "Район (город)", "Анкетирование 500+ 2022", "Ссылки на документы 500+ 2021",
                 "Ссылки на документы «Равенство...»", "Муниципальная ДК")


def test_municipality_statuses_round_trip_and_a_messy_change(data, tmp_path):
    build, _ = prepare(data)
    before = snapshot(data)
    exported = tmp_path / "statuses.xlsx"
    exported.write_bytes(build.files["downloads/statuses.xlsx"])
    same = run(exported, data, "--statuses")
    assert same.returncode == 0, same.stderr
    assert "Изменений нет" in same.stdout and snapshot(data) == before

    known = statuses(data)
    penza = next(m for m, s in known.items() if s["name_in_source"] == "г. Пенза")
    old = known[penza]
    # The document's header split over two rows with merged cells above, extra spaces, a hyphen for «—»,
    # «+» with spaces around it, and a name in capitals with doubled spaces.
    book = Workbook()
    sheet = book.active
    sheet.append(["Статус муниципалитетов", None, None, None, None, None])
    sheet.merge_cells("A1:F1")
    sheet.append([f"  {h}  " for h in STATUS_HEADER])
    sheet.append([" 1 ", "  Г.  ПЕНЗА ", " - ", " + ", None, "+"])
    book.save(tmp_path / "messy.xlsx")
    dry = run(tmp_path / "messy.xlsx", data, "--statuses", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert snapshot(data) == before
    expected = {"survey_500plus_2022": False, "documents_500plus_2021": True, "documents_ravenstvo": None,
                "municipal_roadmap": True}
    changed = {f for f, v in expected.items() if old[f] != v}
    assert dry.stdout.startswith("Прочитан лист «Sheet» файла messy.xlsx: строк данных — 1.\n")
    assert changed and len(dry.stdout.strip().splitlines()) == len(changed) + 2
    assert "«Муниципальная ДК» изменено с «нет данных» на «+»" in dry.stdout
    written = run(tmp_path / "messy.xlsx", data, "--statuses")
    assert written.returncode == 0, written.stderr
    after = statuses(data)[penza]
    assert {f: after[f] for f in expected} == expected
    assert {m: s for m, s in statuses(data).items() if m != penza} == {m: s for m, s in known.items() if m != penza}
    # Nothing else in the file moved: the other fields and the key order stay.
    assert list(after) == list(old) and after["name_in_source"] == old["name_in_source"]


def test_a_status_table_with_problems_writes_nothing(data, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Статус"
    sheet.append(list(STATUS_HEADER))
    sheet.append([1, "г. Пенза", "да?", "+", None, None])
    sheet.append([2, "Каменскй", "+", "+", None, None])
    sheet.append([3, "г. Пенза", "+", "+", None, None])
    book.save(tmp_path / "bad.xlsx")
    before = snapshot(data)
    result = run(tmp_path / "bad.xlsx", data, "--statuses")
    assert result.returncode == 1
    assert snapshot(data) == before
    assert "лист «Статус», строка 2, столбец C" in result.stderr and "найдено: «да?»" in result.stderr
    assert "неизвестный муниципалитет (найдено: «Каменскй»); возможно, имелось в виду «Каменский район»" in result.stderr
    assert "строка 4" in result.stderr and "уже есть в строке 2" in result.stderr


# --- The dry run says exactly what the real run does ------------------------------------------------


def _announced(stdout: str) -> tuple[list[str], set[str]]:
    """The change lines and the files a run's last line names («… в <data>: a.yaml, b.yaml. …»)."""
    lines = stdout.splitlines()
    files = re.search(r"файлов — \d+ в \S+: (.+?)\. ", lines[-1])[1]
    return [l for l in lines[1:-1] if not l.startswith("предупреждение")], set(files.split(", "))


def test_the_dry_run_announces_exactly_what_the_real_run_writes(data, tmp_path):
    rows = []
    for school, part in members(data, 3)[:3]:
        level = 1 if part["level"] != 1 else 2
        rows.append((part["number"], part["name_in_source"], f"{level} {['Базово', 'Умеренно'][level - 1]} неуспевающие",
                     part["difficulties"]))
    table = workbook(tmp_path / "change.xlsx", rows)
    before = snapshot(data)
    dry = run(table, data, "--group", "3", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert snapshot(data) == before
    assert "Данные после изменения проходят проверку" in dry.stdout
    dry_changes, dry_files = _announced(dry.stdout)
    assert len(dry_changes) == 3

    done = run(table, data, "--group", "3")
    assert done.returncode == 0, done.stderr
    done_changes, done_files = _announced(done.stdout)
    changed = {k for k in before if before[k] != (data / k).read_bytes()}
    assert changed == dry_files == done_files
    assert done_changes == dry_changes
    assert len(changed) == 3
    for school, part in members(data, 3):
        if f"schools/{school}.yaml" in changed:
            assert any(f"изменён с «{_old(before, school)}» на «{part['level']}»" in line for line in dry_changes)


def _old(before, school):
    record = yaml.safe_load(before[f"schools/{school}.yaml"].decode())
    level = next(p for p in record["participations"] if p["group"] == 3)["level"]
    return "нет данных" if level is None else level


def test_a_result_that_fails_validation_is_refused_by_the_dry_run_and_the_real_run_alike(data, tmp_path):
    """Two schools given one «№ п/п»: every row is fine alone, the result is not."""
    (_, a), (_, b) = members(data, 3)[:2]
    table = workbook(tmp_path / "clash.xlsx", [(b["number"], a["name_in_source"], a["level"], a["difficulties"]),
                                               (b["number"], b["name_in_source"], b["level"], b["difficulties"])])
    before = snapshot(data)
    dry = run(table, data, "--group", "3", "--dry-run")
    done = run(table, data, "--group", "3")
    assert dry.returncode == done.returncode == 1
    assert snapshot(data) == before
    assert "после изменения данные не прошли проверку, ничего не записано:" in dry.stderr
    assert f"номер {b['number']} в группе 3 уже занят" in dry.stderr
    assert dry.stderr == done.stderr
    assert dry.stdout == done.stdout


def test_a_changed_list_number_is_a_warning(data, tmp_path):
    school, part = members(data, 3)[-1]
    table = workbook(tmp_path / "renumber.xlsx", [(99, part["name_in_source"], part["level"], part["difficulties"])])
    dry = run(table, data, "--group", "3", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert (f"предупреждение: лист «Группа 3», строка 2, столбец A («№ п/п»): «№ п/п» школы «") in dry.stdout
    assert f"» изменён с {part['number']} на 99 (номер в списке группы берётся из документа" in dry.stdout


@pytest.mark.parametrize("level", ["2 Умеренно неуспевающие", "умеренно неуспевающие", "2 - УМЕРЕННО НЕУСПЕВАЮЩИЕ"])
def test_the_importer_and_the_validator_read_a_level_alike(data, tmp_path, level):
    """One normaliser: what the spreadsheet accepts for a level, data/ accepts as well."""
    school, part = members(data, 3)[0]
    table = workbook(tmp_path / "level.xlsx", [(part["number"], part["name_in_source"], level, part["difficulties"])])
    assert run(table, data, "--group", "3").returncode == 0
    path = data / "schools" / f"{school}.yaml"
    text = path.read_text(encoding="utf-8")
    assert "level: 2" in text
    path.write_text(text.replace("level: 2", f'level: "{level}"', 1), encoding="utf-8")
    from amp.load import load

    dataset, problems = load(data)
    assert dataset is not None, [p.format() for p in problems]
    assert next(p for p in dataset.schools[school].participations if p.group == 3).level == 2


def test_an_unknown_school_name_suggests_the_nearest_school(data, tmp_path):
    record = yaml.safe_load((data / "schools" / "kamenka-sosh-1.yaml").read_text(encoding="utf-8"))
    part = next(p for p in record["participations"] if p["group"] == 3)
    table = workbook(tmp_path / "short.xlsx", [(part["number"], "СОШ № 1 г. Каменки", 1, None)])
    result = run(table, data, "--group", "3", "--dry-run")
    assert result.returncode == 1
    assert (f"неизвестная школа группы 3 (найдено: «СОШ № 1 г. Каменки»); возможно, имелось в виду "
            f"«{part['name_in_source']}» (kamenka-sosh-1)") in result.stderr


def test_a_school_of_another_group_is_named_with_its_group(data, tmp_path):
    school, part = members(data, 1)[0]
    table = workbook(tmp_path / "other.xlsx", [(1, part["name_in_source"], 1, None)])
    result = run(table, data, "--group", "3", "--dry-run")
    assert result.returncode == 1
    assert f"({school}; в группе 1, не в группе 3)" in result.stderr
