"""Схемы файлов данных для редакторов (.vscode/schemas/), созданные из той же модели, что и проверка.

VS Code с расширением YAML (redhat.vscode-yaml) по .vscode/settings.json подсказывает поля и
подчёркивает ошибки прямо при наборе. После изменения модели данных: `make schemas`.

    python scripts/editor_schemas.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from amp.exports import json_schemas  # noqa: E402

TARGET = Path(__file__).resolve().parent.parent / ".vscode" / "schemas"


def expected() -> dict[str, str]:
    return {Path(name).name: text for name, text in json_schemas().items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Схемы файлов данных для редакторов")
    parser.add_argument("--check", action="store_true", help="только сверить, ничего не записывая")
    args = parser.parse_args(argv)
    stale = [name for name, text in expected().items()
             if not (TARGET / name).is_file() or (TARGET / name).read_text(encoding="utf-8") != text]
    if args.check:
        for name in stale:
            print(f"устарела схема .vscode/schemas/{name}: выполните make schemas", file=sys.stderr)
        return 1 if stale else 0
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (TARGET / name).write_text(expected()[name], encoding="utf-8")
    print(f"Схем обновлено: {len(stale)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
