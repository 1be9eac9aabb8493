"""Индекс поиска (Pagefind) по собранному сайту: `python scripts/search_index.py ПАПКА_САЙТА`.

`make site` строит индекс этой командой после того, как MkDocs завершился (а хук — с
AMP_SEARCH_INDEX=separate — его пропустил): MkDocs и Pagefind не держат память одновременно.
`mkdocs build` без этой переменной строит индекс сам.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from amp.search_index import SearchIndexError, index  # noqa: E402


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("Использование: python scripts/search_index.py ПАПКА_САЙТА", file=sys.stderr)
        return 2
    site = Path(argv[0])
    if not (site / "index.html").is_file():
        print(f"ошибка: {site}: собранного сайта нет (ожидался файл index.html; сначала mkdocs build)", file=sys.stderr)
        return 1
    try:
        index(site)
    except SearchIndexError as exc:
        print(f"ошибка: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
