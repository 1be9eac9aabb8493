"""Импорт таблицы координатора (.xlsx или .csv) в data/.

Таблица школ группы — с заголовками, как в документе: «№ п/п», «Образовательная организация»,
«Уровень неуспешности», «Наличие трудностей». Таблица мониторинга — «Район (город)», столбцы
критериев (их названия, как в документе, или К1–К6) и «Итого». Таблица статуса муниципалитетов —
«Район (город)», «Анкетирование 500+ 2022», «Ссылки на документы 500+ 2021», «Ссылки на документы
«Равенство...»», «Муниципальная ДК»: «+» — да, «—» — нет, пустая ячейка — нет данных. Школы и муниципалитеты находятся по
названию, как его пишет документ (пробелы, регистр и написание «№» не важны); уровень — «2», «2 Умеренно
неуспевающие» или «Умеренно неуспевающие». Читается первый видимый лист — его название печатается;
скрытые листы, строки и столбцы с данными, формулы без сохранённого значения и повторённые заголовки
называются и не читаются. Сначала выводятся все изменения словами (изменённый «№ п/п» — с
предупреждением) и файлы, которые будут записаны; данные после изменения проходят полную проверку — и при
пробном запуске (--dry-run), и при настоящем, с одними и теми же сообщениями. Пока есть хоть одна
проблема, ничего не записывается.

    python scripts/import_table.py ТАБЛИЦА.xlsx --group 3 [--dry-run] [--data data]
    python scripts/import_table.py ТАБЛИЦА.xlsx --monitoring shnro [--dry-run]
    python scripts/import_table.py ТАБЛИЦА.xlsx --statuses [--dry-run]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from amp.importing import apply, check_result, edited_texts, plan_group, plan_scores, plan_statuses  # noqa: E402
from amp.problems import one_line  # noqa: E402
from amp.spreadsheet import TableError, read_table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Импорт таблицы координатора (школы группы, мониторинг, статус "
                                                 "муниципалитетов) в data/")
    parser.add_argument("table", type=Path, help="файл .xlsx или .csv")
    kind = parser.add_mutually_exclusive_group(required=True)
    kind.add_argument("--group", type=int, help="таблица школ группы: номер группы (1, 2, 3)")
    kind.add_argument("--monitoring", metavar="НАПРАВЛЕНИЕ", help="таблица баллов мониторинга: shnro или 500plus")
    kind.add_argument("--statuses", action="store_true", help="таблица статуса муниципалитетов («+», «—», пусто)")
    parser.add_argument("--data", type=Path, default=Path("data"), help="папка с данными (по умолчанию data)")
    parser.add_argument("--dry-run", action="store_true", help="только показать изменения, ничего не записывая")
    args = parser.parse_args(argv)
    try:
        table = read_table(args.table, marker="образовательнаяорганизация" if args.group else "район")
    except TableError as exc:
        print(one_line(f"Таблица не прочитана: {exc}"), file=sys.stderr)
        return 2
    others = f" (другие листы не читаются: {', '.join(f'«{s}»' for s in table.other_sheets)})" if table.other_sheets else ""
    # Sheet names and cells are the file's text: one line each, a line break or escape shown, never obeyed.
    print(one_line(f"Прочитан {table.read_as} файла {args.table.name}: строк данных — {len(table.rows)}{others}."))
    if args.group is not None:
        changes, problems = plan_group(table, args.group, args.data)
    elif args.statuses:
        changes, problems = plan_statuses(table, args.data)
    else:
        changes, problems = plan_scores(table, args.monitoring, args.data)
    if problems:
        for line in problems:
            print(one_line(f"ошибка: {line}"), file=sys.stderr)
        print(f"Ничего не записано: проблем — {len(problems)}. Исправьте таблицу и запустите снова.", file=sys.stderr)
        return 1
    return carry_out(changes, args.data, args.dry_run)


def carry_out(changes: list, data: Path, dry_run: bool) -> int:
    """The same words, the same validation of the result and the same refusal for the dry run and
    the real run; only the last step — writing the files — differs."""
    for change in changes:
        print(one_line(change.words))
    for change in changes:
        if change.warning:
            print(one_line(f"предупреждение: {change.warning}"))
    if not changes:
        print("Изменений нет: данные уже совпадают с таблицей.")
        return 0
    files = sorted({c.file for c in changes})
    texts = edited_texts(changes, data)
    # apply() runs the same check_result() before writing: one validation per run, the same words.
    failed = check_result(texts, data) if dry_run else apply(texts, data)
    if failed:
        print("\n".join(map(one_line, failed)), file=sys.stderr)
        return 1
    listed = ", ".join(files)
    if dry_run:
        print(f"Пробный запуск: изменений — {len(changes)}, файлов — {len(files)} в {data}: {listed}. Данные после "
              "изменения проходят проверку. Ничего не записано; запуск без --dry-run запишет ровно эти изменения.")
        return 0
    print(f"Записано изменений: {len(changes)}, файлов — {len(files)} в {data}: {listed}. Проверьте их (git diff) "
          "и предложите изменение.")
    return 0

if __name__ == "__main__":
    sys.exit(main())
