"""Замер импорта таблиц на самой большой таблице, какую может прислать регион: список группы около
5 000 школ и таблица мониторинга со всеми муниципалитетами направления, — рядом, в том же запуске,
эталоны: то же чтение файла голым openpyxl (read_only, как читает импорт; и полная загрузка, как
читал импорт раньше) и одна загрузка data/ (её импорт делает в любом случае).

    python scripts/benchmark_import.py [--schools 14000] [--work ПАПКА]

Данные — scripts/synthetic_data.py (при 14 000 школ в группе 3 около 5 000); таблицы пишет openpyxl в
виде документа, у каждой десятой школы уровень изменён (пробный запуск печатает изменения). Затем —
файлы-ловушки: книга в 50 КБ, распаковывающаяся в 100 МБ, и значение в строке 1 000 000 (отказ за
доли секунды). Каждый этап — отдельным процессом: секунды и пик памяти процесса (ru_maxrss). Печатает
таблицу Markdown. Время проверяется здесь, а не в тестах: на общей машине оно плавает.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCRIPTS = ROOT / "scripts"

@dataclass
class Stage:
    seconds: float
    peak: int  # bytes: the process's peak resident memory


def run(command: list[str], expected: int = 0) -> Stage:
    """One stage in its own process: wall time and peak resident memory (ru_maxrss, Linux kilobytes)."""
    start = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != expected:
        raise SystemExit(f"этап не удался ({' '.join(command)}):\n{output[-3000:]}")
    return Stage(seconds, usage.ru_maxrss * 1024)


def mb(size: int) -> str:
    return f"{size / 1024 ** 2:,.0f} МБ".replace(",", " ")


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
    from openpyxl import Workbook

    members: dict[int, list] = {1: [], 2: [], 3: []}
    for path in sorted((data / "schools").glob("*.yaml")):
        for part in yaml.safe_load(path.read_text(encoding="utf-8"))["participations"]:
            members[part["group"]].append(part)
    group = max(members, key=lambda g: len(members[g]))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"Группа {group}")
    sheet.append(["№ п/п", "Образовательная организация", "Уровень неуспешности", "Наличие трудностей"])
    for i, part in enumerate(sorted(members[group], key=lambda p: p["number"])):
        level = part["level"] if i % 10 else (part["level"] or 0) % 3 + 1
        sheet.append([part["number"], part["name_in_source"], level, part["difficulties"]])
    book.save(target)
    return group, len(members[group])


def monitoring_table(data: Path, target: Path) -> tuple[str, int]:
    from openpyxl import Workbook

    monitoring = yaml.safe_load((data / "monitoring.yaml").read_text(encoding="utf-8"))
    direction = monitoring["directions"][0]
    criteria = [c["id"] for c in monitoring["criteria"]]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(direction["short_title"][:31])
    sheet.append(["Район (город)", *(f"К{c['number']}" for c in monitoring["criteria"]), "Итого"])
    # Synthetic regions repeat district names; a region's own table never does: one row per name.
    rows = list({row["name_in_source"].lower(): row for row in reversed(direction["rows"])}.values())[::-1]
    for row in rows:
        sheet.append([row["name_in_source"], *(row["scores"].get(c) for c in criteria), row["stated_total"]])
    book.save(target)
    return direction["id"], len(rows)


def traps(work: Path, group_file: Path) -> dict[str, Path]:
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
    return {f"книга {bomb.stat().st_size // 1024} КБ → 100 МБ sharedStrings": bomb, "значение в строке 1 000 000": far}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Замер импорта таблиц координатора")
    parser.add_argument("--schools", type=int, default=14_000, help="школ в синтетических данных (по умолчанию 14 000)")
    parser.add_argument("--work", type=Path, help="рабочая папка (по умолчанию — временная, удаляется)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="benchmark-import-"))
    try:
        data = work / "data"
        if data.exists():
            shutil.rmtree(data)
        run([PYTHON, str(SCRIPTS / "synthetic_data.py"), "--schools", str(args.schools), "--out", str(data)])
        group, schools = group_table(data, work / "group.xlsx")
        direction, municipalities = monitoring_table(data, work / "monitoring.xlsx")
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
        for title, table in traps(work, work / "group.xlsx").items():
            process = subprocess.run([PYTHON, "-c", READ.format(scripts=str(SCRIPTS), table=str(table), marker="")],
                                     capture_output=True, text=True)
            assert process.returncode != 0 and "TableError" in process.stderr, process.stderr[-500:]
            stages.append((f"ловушка: {title} — отказ", run([PYTHON, str(SCRIPTS / "import_table.py"), str(table),
                                                             "--data", str(data), "--group", "3"], expected=2)))
        print(f"\n### Импорт таблиц: {args.schools} школ в данных; секунды; пик памяти процесса\n")
        print("| Этап | Время | Память |\n|---|---|---|")
        for title, stage in stages:
            print(f"| {title} | {stage.seconds:.2f} с | {mb(stage.peak)} |")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
