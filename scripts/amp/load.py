"""Loading data/ into a Dataset, collecting every problem instead of stopping at the first."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import yaml

from .derive import Dataset
from .model import FILES_DESCRIPTION, FOLDERS, SINGLE_FILES, nesting_depth
from .problems import Problem, errors
from .rules import check_dataset, check_records, reference_hints
from .schema_errors import check_schema, salvage
from .textcheck import text_problems
from .yamlsource import dotted, line_of, place_of, read_yaml, undotted


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
    # Records of files with errors, read as far as they can be, and the paths left out of each.
    salvaged: dict[str, tuple[object, list[tuple]]] = {}
    roots: dict[str, yaml.Node] = {}
    files: dict[str, str] = {}

    depths: dict[type, int] = {}

    def read(path: Path, shown: str, model) -> tuple:
        if model not in depths:
            depths[model] = nesting_depth(model)
        parsed, found = read_yaml(path, shown, depths[model], lenient=True)
        if parsed is None:
            return None, None, found, None
        record, schema_found = check_schema(parsed, model)
        text_found = [Problem(shown, line_of(parsed.root, path), dotted(path), message)
                      for path, message in text_problems(model, parsed.data)]
        # A file with errors is still checked by the rules as far as it can be read: no problem
        # waits for another to be fixed.
        rescued = salvage(parsed, model) if record is None else None
        return parsed, record, found + schema_found + text_found, rescued

    def take(key: str, path: Path, model) -> None:
        shown = _shown(path, base)
        if cache is None:
            parsed, record, found, rescued = read(path, shown, model)
        else:
            parsed, record, found, rescued = cache.get(key, path, shown, lambda: read(path, shown, model))
        problems.extend(found)
        if parsed is None:
            return
        roots[shown] = parsed.root
        files[key] = shown
        candidate, left_out = (record, []) if record is not None else (rescued or (None, []))
        if candidate is None:
            return
        if "/" in key and candidate.id != path.stem:
            line = line_of(parsed.root, ("id",))
            problems.append(Problem(shown, line, "id", f"id не совпадает с именем файла (ожидалось «{path.stem}», "
                                    f"найдено «{candidate.id}»)"))
        elif record is not None and not errors(found):
            records[key] = record
        else:
            salvaged[key] = (candidate, left_out)

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
    if errors(problems):
        problems.extend(_rules_despite_errors(records, salvaged, files, roots, folder_keys, expected))
        read_as = {**records, **{key: record for key, (record, _) in salvaged.items()}}
        names = {folder: {r.id: (r.name, getattr(r, "short_name", r.name)) for k, r in read_as.items()
                          if k.startswith(folder + "/")} for folder in ("schools", "municipalities")}
        return None, _named(reference_hints(problems, names), roots)
    if any(k not in records for k in expected):
        return None, _named(problems, roots)
    dataset = _dataset(records, files, folder_keys)
    problems.extend(check_dataset(dataset, roots, folder_keys))
    problems = _named(problems, roots)
    return (None if errors(problems) else dataset), problems


def _named(problems: list[Problem], roots: dict[str, yaml.Node]) -> list[Problem]:
    """Sorted, each once, and a field inside a list named as the documents name its items («группа 3»)."""
    named = {replace(p, place=place_of(roots[p.file], undotted(p.field))) if "[" in p.field and p.file in roots else p
             for p in problems}
    return sorted(named)


def _dataset(records: dict, files: dict[str, str], folder_keys: dict[str, list[str]]) -> Dataset:
    def by_id(folder: str) -> dict:
        items = [records[k] for k in folder_keys.get(folder, []) if k in records]
        return {item.id: item for item in sorted(items, key=lambda r: r.id)}

    return Dataset(
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


def _rules_despite_errors(records: dict, salvaged: dict, files: dict, roots: dict, folder_keys: dict,
                          expected: list[str]) -> list[Problem]:
    """The rules' errors over what could be read, when some files have errors of their own.

    A reference to a record whose file has errors is not called unknown; a rule's finding beside a
    value left out of a file (its parent object) is dropped — it may be a consequence of the leaving
    out. Warnings wait until the errors are fixed: counts over an incomplete dataset would mislead."""
    usable = dict(records)
    usable.update({key: record for key, (record, _) in salvaged.items()})
    if any(k not in usable for k in expected):
        found = check_records({k: r for k, r in usable.items() if k not in expected}, files, roots)
    else:
        unreadable = {folder: {k.split("/", 1)[1] for k in keys if k not in usable} for folder, keys in folder_keys.items()}
        found = check_dataset(_dataset(usable, files, folder_keys), roots, folder_keys, unreadable)
    left_out = {files[key]: paths for key, (_, paths) in salvaged.items() if paths}

    def beside_left_out(problem: Problem) -> bool:
        path = undotted(problem.field)
        return any(path[:len(p) - 1] == p[:-1] for p in left_out.get(problem.file, ()))

    return [p for p in errors(found) if not beside_left_out(p)]
