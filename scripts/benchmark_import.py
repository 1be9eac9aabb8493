"""Замер импорта таблиц на самой большой таблице, какую может прислать регион: список группы около
5 000 школ и таблица мониторинга со всеми муниципалитетами направления, — рядом, в том же запуске,
эталоны: то же чтение файла голым openpyxl (read_only, как читает импорт; и полная загрузка, как
читал импорт раньше) и одна загрузка data/ (её импорт делает в любом случае).

    python scripts/benchmark_import.py [--schools 14000] [--work ПАПКА]

Данные — scripts/synthetic_data.py (при 14 000 школ в группе 3 около 5 000); таблицы пишет openpyxl в
виде документа, у каждой десятой школы уровень изменён (пробный запуск печатает изменения). Затем —
наибольший лист, который импорт ещё читает (50 000 строк × 20 столбцов), и файлы-ловушки: книга,
распаковывающаяся в 100 МБ, и значение в строке 1 000 000 (отказ до разбора). Каждый этап — отдельным процессом: секунды и пик памяти процесса (ru_maxrss). Печатает
таблицу Markdown. Время проверяется здесь, а не в тестах: на общей машине оно плавает.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import PYTHON, ROOT, mb, run, work_folder  # noqa: E402  (one way of measuring a stage for every benchmark)

SCRIPTS = ROOT / "scripts"


READ = """
import sys; sys.path.insert(0, {scripts!r})
from pathlib import Path
from amp.spreadsheet import read_table
table = read_table(Path({table!r}), {marker!r})
assert not table.problems, table.problems[:3]
print(len(table.rows))
"""
BARE = """
from openpyxl import load_workbook
book = load_workbook({table!r}, read_only={read_only}, data_only=True)
rows = [row for row in book.worksheets[0].iter_rows(values_only=True) if any(v is not None for v in row)]
book.close()
print(len(rows))
"""
LOAD = """
import sys; sys.path.insert(0, {scripts!r})
from pathlib import Path
from amp.load import load
dataset, problems = load(Path({data!r}))
assert dataset is not None
print(len(dataset.schools))
"""


def group_table(data: Path, target: Path) -> tuple[int, int]:
    """The largest group's list as the document lays it out; every tenth level changed."""
    from amp.importing import normalise_name
    from openpyxl import Workbook

    members: dict[int, list] = {1: [], 2: [], 3: []}
    for path in sorted((data / "schools").glob("*.yaml")):
        for part in yaml.safe_load(path.read_text(encoding="utf-8"))["participations"]:
            members[part["group"]].append(part)
    group = max(members, key=lambda g: len(members[g]))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"Группа {group}")
    sheet.append(["№ п/п", "Образовательная организация", "Уровень неуспешности", "Наличие трудностей"])
    # Synthetic regions repeat school names; a region's own list never does: one row per name.
    names = {normalise_name(p["name_in_source"]): p for p in reversed(members[group])}
    for i, part in enumerate(sorted(names.values(), key=lambda p: p["number"])):
        level = part["level"] if i % 10 else (part["level"] or 0) % 3 + 1
        sheet.append([part["number"], part["name_in_source"], level, part["difficulties"]])
    book.save(target)
    return group, len(names)


def monitoring_table(data: Path, target: Path) -> tuple[str, int]:
    from amp.importing import normalise_name
    from openpyxl import Workbook

    monitoring = yaml.safe_load((data / "monitoring.yaml").read_text(encoding="utf-8"))
    direction = monitoring["directions"][0]
    criteria = [c["id"] for c in monitoring["criteria"]]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(direction["short_title"][:31])
    sheet.append(["Район (город)", *(f"К{c['number']}" for c in monitoring["criteria"]), "Итого"])
    # Synthetic regions repeat district names; a region's own table never does: one row per name.
    rows = list({normalise_name(row["name_in_source"]): row for row in reversed(direction["rows"])}.values())[::-1]
    for row in rows:
        sheet.append([row["name_in_source"], *(row["scores"].get(c) for c in criteria), row["stated_total"]])
    book.save(target)
    return direction["id"], len(rows)


def largest(target: Path) -> None:
    """The largest sheet the importer still reads: 50 000 rows × 20 columns (the caps)."""
    from amp.spreadsheet import MAX_ROWS
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Лист1")
    for row in range(MAX_ROWS):
        sheet.append([row * 20 + column for column in range(20)])
    book.save(target)


def traps(work: Path, group_file: Path) -> dict[str, str]:
    """Small files that would take gigabytes or minutes if read as they ask."""
    from openpyxl import Workbook

    bomb = work / "bomb.xlsx"
    shutil.copy(group_file, bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/sharedStrings.xml", "w") as part:
        for _ in range(100):
            part.write(b"<si><t>a</t></si>" * (2**20 // 17))
    far = work / "far.xlsx"
    book = Workbook()
    book.active.append(["№ п/п", "Образовательная организация", "Уровень неуспешности"])
    book.active["B1000000"] = "забытая строка"
    book.save(far)
    return {f"книга {bomb.stat().st_size // 1024} КБ → 100 МБ sharedStrings": str(bomb),
            f"книга {far.stat().st_size // 1024} КБ, значение в строке 1 000 000": str(far)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Замер импорта таблиц координатора")
    parser.add_argument("--schools", type=int, default=14_000, help="школ в синтетических данных (по умолчанию 14 000)")
    parser.add_argument("--work", type=Path, help="рабочая папка (по умолчанию — временная, удаляется)")
    parser.add_argument("--tables", type=Path, help=argparse.SUPPRESS)  # the tables, written by a child process
    args = parser.parse_args(argv)
    if args.tables:
        # ru_maxrss counts what a child held when it was forked: the measuring process stays small.
        sys.path.insert(0, str(SCRIPTS))
        largest(args.tables / "largest.xlsx")
        print(json.dumps([*group_table(args.tables / "data", args.tables / "group.xlsx"),
                          *monitoring_table(args.tables / "data", args.tables / "monitoring.xlsx"),
                          traps(args.tables, args.tables / "group.xlsx")]))
        return 0
    with work_folder(args.work, "benchmark-import-") as work:
        data = work / "data"
        if data.exists():
            shutil.rmtree(data)
        run([PYTHON, str(SCRIPTS / "synthetic_data.py"), "--schools", str(args.schools), "--out", str(data)])
        tables = subprocess.run([PYTHON, __file__, "--tables", str(work)], capture_output=True, text=True, check=True)
        group, schools, direction, municipalities, trap_files = json.loads(tables.stdout)
        stages = []
        for title, table, marker, command in (
            (f"группа {group}: {schools} строк", work / "group.xlsx", "образовательнаяорганизация", ["--group", str(group)]),
            (f"мониторинг {direction}: {municipalities} строк", work / "monitoring.xlsx", "район", ["--monitoring", direction]),
        ):
            size = f"{table.stat().st_size // 1024} КБ"
            stages.append((f"{title} ({size}): чтение таблицы импортом (amp.spreadsheet.read_table)",
                           run([PYTHON, "-c", READ.format(scripts=str(SCRIPTS), table=str(table), marker=marker)])))
            stages.append((f"{title}: эталон — голый openpyxl read_only, те же строки",
                           run([PYTHON, "-c", BARE.format(table=str(table), read_only=True)])))
            stages.append((f"{title}: эталон — полная загрузка openpyxl (как читал импорт прежде)",
                           run([PYTHON, "-c", BARE.format(table=str(table), read_only=False)])))
            stages.append((f"{title}: весь импорт, --dry-run (import_table.py)",
                           run([PYTHON, str(SCRIPTS / "import_table.py"), str(table), "--data", str(data), "--dry-run",
                                *command])))
        stages.append(("эталон — одна загрузка data/ (amp.load.load), её делает любой импорт",
                       run([PYTHON, "-c", LOAD.format(scripts=str(SCRIPTS), data=str(data))])))
        big = work / "largest.xlsx"
        title = f"наибольший принимаемый лист: 50 000 строк × 20 столбцов ({big.stat().st_size // 1024} КБ)"
        stages.append((f"{title}: чтение импортом", run([PYTHON, "-c", READ.format(scripts=str(SCRIPTS), table=str(big),
                                                                                marker="")])))
        stages.append((f"{title}: эталон — голый openpyxl read_only",
                       run([PYTHON, "-c", BARE.format(table=str(big), read_only=True)])))
        for title, table in trap_files.items():
            process = subprocess.run([PYTHON, "-c", READ.format(scripts=str(SCRIPTS), table=str(table), marker="")],
                                     capture_output=True, text=True)
            assert process.returncode != 0 and "TableError" in process.stderr, process.stderr[-500:]
            stages.append((f"ловушка: {title} — отказ", run([PYTHON, str(SCRIPTS / "import_table.py"), str(table),
                                                             "--data", str(data), "--group", "3"], expected=2)))
        print(f"\n### Импорт таблиц: {args.schools} школ в данных; секунды; пик памяти процесса\n")
        print("| Этап | Время | Память |\n|---|---|---|")
        for title, stage in stages:
            print(f"| {title} | {stage.seconds:.2f} с | {mb(stage.peak)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
