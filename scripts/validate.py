"""Проверка данных в data/: печатает каждую проблему как «файл:строка: поле: что не так» и
завершается с кодом 1, если есть ошибки. Предупреждения (расхождения в самих документах) код
возврата не меняют. В GitHub Actions дополнительно печатает строки-аннотации.

    python scripts/validate.py [--data data] [--quiet]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from amp.load import load  # noqa: E402
from amp.problems import errors, report_lines, warnings  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Проверка данных сайта")
    parser.add_argument("--data", type=Path, default=Path("data"), help="папка с данными (по умолчанию data)")
    parser.add_argument("--quiet", action="store_true", help="не печатать предупреждения")
    args = parser.parse_args(argv)
    _, problems = load(args.data)
    shown = problems if not args.quiet else errors(problems)
    for line in report_lines(shown, annotate=os.environ.get("GITHUB_ACTIONS") == "true"):
        print(line)
    n_err, n_warn = len(errors(problems)), len(warnings(problems))
    if n_err:
        print(f"Данные не прошли проверку: ошибок — {n_err}, предупреждений — {n_warn}. Сайт не собран.", file=sys.stderr)
        return 1
    print(f"Данные в порядке: ошибок нет, предупреждений (расхождений в документах) — {n_warn}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
