"""Loading data/ into a Dataset, collecting every problem instead of stopping at the first."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

from .derive import Dataset
from .model import FILES_DESCRIPTION, FOLDERS, SINGLE_FILES, nesting_depth
from .problems import Problem, errors
from .rules import check_dataset
from .schema_errors import check_schema
from .textcheck import text_problems
from .yamlsource import dotted, line_of, read_yaml


def _shown(path: Path, base: Path) -> str:
    text, root = str(path), str(base).rstrip(os.sep) + os.sep
    if text.startswith(root) and ".." not in path.parts:  # the usual case, ten times cheaper than relpath
        return Path(text[len(root):]).as_posix()
    return Path(os.path.relpath(path, base)).as_posix()


class FileCache:
    """What `mkdocs serve` already read: a file whose size and modification time are unchanged is not
    parsed and checked again (a build reads everything; only the hook turns this on, for serve).
    After each load, `changed` holds the keys («schools/<id>», «programme») read anew or gone."""

    def __init__(self):
        self.entries: dict[str, tuple] = {}
        self.changed: set[str] = set()
        self._seen: set[str] = set()

    def start(self) -> None:
        self.changed, self._seen = set(), set()

    def get(self, key: str, path: Path, shown: str, read):
        self._seen.add(key)
        try:
            info = path.stat()
            stamp = (shown, info.st_mtime_ns, info.st_size)
        except OSError:
            stamp = None
        cached = self.entries.get(key)
        if stamp is not None and cached is not None and cached[0] == stamp:
            return cached[1]
        self.changed.add(key)
        value = read()
        self.entries[key] = (stamp, value)
        return value

    def finish(self) -> None:
        gone = set(self.entries) - self._seen
        self.changed |= gone
        for key in gone:
            del self.entries[key]


def _entry_kind(info: os.stat_result) -> str:
    for test, name in ((stat.S_ISFIFO, "именованный канал"), (stat.S_ISSOCK, "сокет"),
                       (stat.S_ISCHR, "файл устройства"), (stat.S_ISBLK, "файл устройства")):
        if test(info.st_mode):
            return name
    return "не обычный файл"


def stray_entry(path: Path, folder: str) -> str | None:
    """Why an entry of a record folder is not a record (None: it is `<id>.yaml`, a regular file).

    Nothing in a record folder is skipped in silence: a school saved as .yml, moved into a sub-folder
    or hidden by a leading dot would otherwise vanish from the site without a word."""
    expected = f"ожидались только файлы <id>.yaml прямо в data/{folder}/"
    try:
        info = path.lstat()
    except OSError as exc:
        return f"не удаётся прочитать ({exc.strerror}; {expected})"
    if stat.S_ISLNK(info.st_mode):
        return "символическая ссылка вместо файла (ожидался обычный файл в папке data/)"
    if stat.S_ISDIR(info.st_mode):
        inside = sum(len(names) for _, _, names in os.walk(path))  # does not follow symbolic links
        found = f"папка, файлов в ней: {inside}" if inside else "пустая папка"
        return (f"вложенная папка ({expected}; найдена {found} — файлы во вложенных папках не читаются: "
                f"перенесите их в data/{folder}/ или удалите папку)")
    if not stat.S_ISREG(info.st_mode):
        return f"не обычный файл ({expected}; найден {_entry_kind(info)})"
    if path.name.startswith("."):
        return (f"скрытый файл (имя начинается с точки; {expected}; найдено «{path.name}» — такие файлы "
                "оставляют macOS и редакторы: удалите его или уберите точку из имени)")
    if path.suffix != ".yaml":
        hint = f"; переименуйте файл в «{path.stem}.yaml»" if path.suffix.lower() in (".yaml", ".yml") else ""
        return f"файл с неожиданным расширением (ожидалось .yaml, найдено «{path.suffix or 'без расширения'}»){hint}"
    return None


# Set by scripts/hooks.py under `mkdocs serve`; None: every load reads every file.
cache: FileCache | None = None


def load(data_dir: Path, base: Path | None = None) -> tuple[Dataset | None, list[Problem]]:
    """Read and check everything under data_dir. Returns (dataset or None, sorted problems).

    The dataset is returned only when there are no errors (warnings are fine).
    """
    base = base or data_dir.parent
    if cache is not None:
        cache.start()
    problems: list[Problem] = []
    records: dict[str, object] = {}
    roots: dict[str, yaml.Node] = {}
    files: dict[str, str] = {}

    depths: dict[type, int] = {}

    def read(path: Path, shown: str, model) -> tuple:
        if model not in depths:
            depths[model] = nesting_depth(model)
        parsed, found = read_yaml(path, shown, depths[model])
        if parsed is None:
            return None, None, found
        record, schema_found = check_schema(parsed, model)
        text_found = [Problem(shown, line_of(parsed.root, path), dotted(path), message)
                      for path, message in text_problems(model, parsed.data)]
        return parsed, record, found + schema_found + text_found

    def take(key: str, path: Path, model) -> None:
        shown = _shown(path, base)
        if cache is None:
            parsed, record, found = read(path, shown, model)
        else:
            parsed, record, found = cache.get(key, path, shown, lambda: read(path, shown, model))
        problems.extend(found)
        if parsed is None:
            return
        roots[shown] = parsed.root
        files[key] = shown
        if record is not None and "/" in key and record.id != path.stem:
            line = line_of(parsed.root, ("id",))
            problems.append(Problem(shown, line, "id", f"id не совпадает с именем файла (ожидалось «{path.stem}», "
                                    f"найдено «{record.id}»)"))
        elif record is not None:
            records[key] = record

    for name, model in SINGLE_FILES.items():
        path = data_dir / name
        if not path.is_file():
            problems.append(Problem(_shown(path, base), 0, "", f"файл не найден (ожидался файл: {FILES_DESCRIPTION[name]})"))
            continue
        take(name.removesuffix(".yaml"), path, model)

    # A misspelt file name (programe.yaml) would otherwise be silently ignored.
    known = set(SINGLE_FILES) | set(FOLDERS) | {"link_status.yaml"}
    for path in sorted(data_dir.iterdir()) if data_dir.is_dir() else []:
        if path.name not in known and not path.name.startswith("."):
            problems.append(Problem(_shown(path, base), 0, "", "неизвестный файл или папка (ожидалось одно из: "
                                    + ", ".join(sorted(known)) + ")"))

    folder_keys: dict[str, list[str]] = {}
    for folder, model in FOLDERS.items():
        folder_path = data_dir / folder
        if folder_path.is_symlink():
            problems.append(Problem(_shown(folder_path, base), 0, "", "символическая ссылка вместо папки "
                                    "(ожидалась обычная папка внутри data/)"))
            continue
        if not folder_path.is_dir():
            problems.append(Problem(_shown(folder_path, base), 0, "", f"папка не найдена (ожидалась папка: {FILES_DESCRIPTION[folder]})"))
            continue
        folder_keys[folder] = []
        for path in sorted(folder_path.iterdir()):
            stray = stray_entry(path, folder)
            if stray is not None:
                problems.append(Problem(_shown(path, base), 0, "", stray))
                continue
            key = f"{folder}/{path.stem}"
            folder_keys[folder].append(key)
            take(key, path, model)

    if cache is not None:
        cache.finish()
    expected = ["sources", "programme", "monitoring", "roadmaps", "tools_matrix"]
    if errors(problems) or any(k not in records for k in expected):
        return None, sorted(set(problems))

    def by_id(folder: str) -> dict:
        items = [records[k] for k in folder_keys.get(folder, []) if k in records]
        return {item.id: item for item in sorted(items, key=lambda r: r.id)}

    dataset = Dataset(
        sources=records["sources"],
        programme=records["programme"],
        monitoring=records["monitoring"],
        roadmaps=records["roadmaps"],
        tools_matrix=records["tools_matrix"],
        schools=by_id("schools"),
        municipalities=by_id("municipalities"),
        reports=by_id("reports"),
        files=files,
    )
    problems.extend(check_dataset(dataset, roots, folder_keys))
    problems = sorted(set(problems))
    return (None if errors(problems) else dataset), problems
