"""Создание страниц сайта из data/: проверяет данные и, только если ошибок нет, записывает
сгенерированные страницы в docs/ (ручные страницы не трогает).

    python scripts/generate.py [--data data] [--docs docs]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from amp.exports import render_downloads  # noqa: E402
from amp.linkstatus import read_status  # noqa: E402
from amp.load import load  # noqa: E402
from amp.pages import GENERATED_PATHS, render_pages  # noqa: E402
from amp.problems import errors, warnings  # noqa: E402
from amp.writer import write_tree  # noqa: E402


def build_files(data: Path) -> tuple[dict[str, str] | None, list]:
    """Everything the generator would write, or None with the problems that prevent it."""
    dataset, problems = load(data)
    if dataset is None:
        return None, problems
    status, status_problems = read_status(data / "link_status.yaml", data.parent)
    if errors(status_problems):
        return None, problems + status_problems
    files = render_pages(dataset, warnings(problems), status)
    files.update(render_downloads(dataset))
    return files, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Создание страниц сайта из данных")
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--docs", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    files, problems = build_files(args.data)
    if files is None:
        for problem in errors(problems):
            print(f"ошибка: {problem.format()}", file=sys.stderr)
        print("Страницы не созданы: сначала исправьте ошибки в данных (make validate).", file=sys.stderr)
        return 1
    written, removed = write_tree(args.docs, files, GENERATED_PATHS)
    print(f"Страниц и файлов: {len(files)}; записано заново: {written}; удалено устаревших: {removed}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
