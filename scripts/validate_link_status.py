#!/usr/bin/env python3
"""Проверка файла истории проверки ссылок тем же чтением, что у сайта (scripts/amp/linkstatus.py).

Ночная проверка запускает её перед тем, как записать новую историю в репозиторий: файл, который
сайт прочитал бы с замечаниями (пропустил бы записи или не прочитал бы вовсе), не записывается.

    python scripts/validate_link_status.py ФАЙЛ

Код выхода 0 — сайт принимает файл без замечаний, 1 — нет (каждое замечание напечатано).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from amp.linkstatus import read_status  # noqa: E402
from amp.problems import report_lines  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Проверка файла истории проверки ссылок (data/link_status.yaml)")
    p.add_argument("file", type=Path, help="файл истории, например data/link_status.yaml")
    args = p.parse_args(argv)
    path: Path = args.file
    if not (path.is_file() or path.is_symlink()):
        print(f"ошибка: {path}: файл истории не найден (ожидался обычный файл)", file=sys.stderr)
        return 1
    status, problems = read_status(path, Path.cwd())
    if problems:
        for line in report_lines(problems):
            print(line.replace("предупреждение: ", "ошибка: ", 1), file=sys.stderr)
        print(f"Файл истории не принят: сайт прочитал бы его с замечаниями ({len(problems)}); "
              "в репозиторий он не записывается.", file=sys.stderr)
        return 1
    print(f"Файл истории в порядке: записей — {len(status)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
