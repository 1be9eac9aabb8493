"""Импорт таблицы координатора (.xlsx или .csv) в data/.

Таблица школ группы — с заголовками, как в документе: «№ п/п», «Образовательная организация»,
«Уровень неуспешности», «Наличие трудностей». Таблица мониторинга — «Район (город)», столбцы
критериев (их названия, как в документе, или К1–К6) и «Итого». Таблица статуса муниципалитетов —
«Район (город)», «Анкетирование 500+ 2022», «Ссылки на документы 500+ 2021», «Ссылки на документы
«Равенство...»», «Муниципальная ДК»: «+» — да, «—» — нет, пустая ячейка — нет данных. Школы и муниципалитеты находятся по
названию, как его пишет документ (пробелы, регистр и написание «№» не важны); уровень — «2», «2 Умеренно
неуспевающие» или «Умеренно неуспевающие». Читается первый видимый лист — его название печатается;
скрытые листы, строки и столбцы с данными, формулы без сохранённого значения и повторённые заголовки
называются и не читаются. Сначала выводятся все изменения словами; пока есть хоть одна проблема,
ничего не записывается.

    python scripts/import_table.py ТАБЛИЦА.xlsx --group 3 [--dry-run] [--data data]
    python scripts/import_table.py ТАБЛИЦА.xlsx --monitoring shnro [--dry-run]
    python scripts/import_table.py ТАБЛИЦА.xlsx --statuses [--dry-run]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from amp.importing import apply, edited_texts, plan_group, plan_scores, plan_statuses  # noqa: E402
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
    for change in changes:
        print(one_line(change.words))
    if not changes:
        print("Изменений нет: данные уже совпадают с таблицей.")
        return 0
    if args.dry_run:
        print(f"Пробный запуск: изменений — {len(changes)}, ничего не записано.")
        return 0
    failed = apply(edited_texts(changes, args.data), args.data)
    if failed:
        print("\n".join(map(one_line, failed)), file=sys.stderr)
        return 1
    print(f"Записано изменений: {len(changes)}. Проверьте их (git diff) и предложите изменение.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
