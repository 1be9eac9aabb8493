"""Merging a group's school table (as the documents lay it out) into data/schools/*.yaml.

Schools are matched by their name as the documents write it, give or take spaces, case, quotes and
the spelling of «№». Every problem is found first (unknown school — with a «возможно, имелось в
виду …» hint — out-of-range level, duplicate rows, merged cells); the changes are applied to copies
with ruamel.yaml (comments and key order kept), the result is checked by the validator, and only
then are the changed files replaced, each atomically. Unchanged files are never rewritten.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from .load import load
from .problems import errors
from .spreadsheet import Row, Table

NUMBER, NAME, LEVEL, DIFFICULTIES = "№ п/п", "Образовательная организация", "Уровень неуспешности", "Наличие трудностей"
REQUIRED = (NAME, LEVEL)


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", text.lower().replace("n°", "№"))


def normalise_name(text: str) -> str:
    """«МБОУ СОШ N 27 г. Пензы» and «мбоу сош №27 г.пензы» are the same school."""
    text = text.lower().replace("ё", "е")
    text = re.sub(r"(?:№|n[oº°]?\.?|#)\s*(?=\d)", "№", text)
    return re.sub(r"[\s«»\"'“”„.,]", "", text)


@dataclass(frozen=True)
class Change:
    school: str  # id
    label: str  # short name, for the report
    field: str
    old: object
    new: object

    def words(self, group: int) -> str:
        names = {"level": "уровень", "difficulties": "наличие трудностей", "number": "номер в списке"}
        verb = "изменено" if self.field == "difficulties" else "изменён"
        shown = lambda v: "нет данных" if v is None else str(v)  # noqa: E731
        return f"{self.label}: {names[self.field]} (группа {group}) {verb} с «{shown(self.old)}» на «{shown(self.new)}»"


def _integer(value, row: Row, header: str, allowed: tuple, problems: list[str]) -> object:
    if value is None:
        return None
    text = str(value).strip()
    if re.fullmatch(r"\d+(?:[.,]0+)?", text):
        number = int(re.split(r"[.,]", text)[0])
        if number in allowed:
            return number
    problems.append(f"{row.where(header)}: недопустимое значение (ожидалось одно из: "
                    f"{', '.join(map(str, allowed))} или пустая ячейка — нет данных; найдено: «{value}»)")
    return None


def plan_group(table: Table, group: int, data: Path) -> tuple[list[Change], list[str]]:
    """The changes a group table makes, or the problems that forbid writing anything."""
    problems = list(table.problems)
    dataset, found = load(data)
    if dataset is None:
        return [], [p.format() for p in errors(found)] or ["данные в data/ не прошли проверку"]
    if group not in {g.number for g in dataset.programme.groups}:
        return [], [f"нет группы {group} (ожидалась одна из: "
                    f"{', '.join(str(g.number) for g in dataset.programme.groups)})"]
    keys = {_header_key(h): h for h in table.header if h}
    missing = [h for h in REQUIRED if _header_key(h) not in keys]
    if missing:
        return [], problems + [f"в таблице нет столбца «{h}» (ожидались заголовки как в документе: «{NUMBER}», "
                               f"«{NAME}», «{LEVEL}», «{DIFFICULTIES}»)" for h in missing]
    column = {name: keys.get(_header_key(name)) for name in (NUMBER, NAME, LEVEL, DIFFICULTIES)}
    members = {}
    for school in dataset.schools.values():
        for part in school.participations:
            if part.group == group:
                for name in {part.name_in_source, school.name}:
                    members.setdefault(normalise_name(name), (school, part))
    seen: dict[str, int] = {}
    changes: list[Change] = []
    for row in table.rows:
        name = row.cells.get(column[NAME])
        if name is None:
            problems.append(f"{row.where(column[NAME])}: пустое название школы (ожидалось название, как в документе)")
            continue
        match = members.get(normalise_name(str(name)))
        if match is None:
            guess = difflib.get_close_matches(normalise_name(str(name)), list(members), n=1, cutoff=0.6)
            hint = f"; возможно, имелось в виду «{members[guess[0]][1].name_in_source}»" if guess else ""
            problems.append(f"{row.where(column[NAME])}: неизвестная школа группы {group} (найдено: «{name}»){hint}")
            continue
        school, part = match
        if school.id in seen:
            problems.append(f"{row.where(column[NAME])}: школа «{name}» уже есть в строке {seen[school.id]} "
                            "(ожидалась одна строка на школу)")
            continue
        seen[school.id] = row.number
        level = _integer(row.cells.get(column[LEVEL]), row, column[LEVEL], (1, 2, 3), problems)
        new = {"level": level}
        if column[DIFFICULTIES] is not None:
            value = _integer(row.cells.get(column[DIFFICULTIES]), row, column[DIFFICULTIES], (1, 2), problems)
            new["difficulties"] = None if value is None else str(value)
        if column[NUMBER] is not None and row.cells.get(column[NUMBER]) is not None:
            number = _integer(row.cells[column[NUMBER]], row, column[NUMBER], tuple(range(1, 1000)), problems)
            if number is not None:
                new["number"] = number
        for field, value in new.items():
            if getattr(part, field) != value:
                changes.append(Change(school.id, school.short_name, field, getattr(part, field), value))
    return changes, problems


def _yaml() -> YAML:
    yaml = YAML()  # round trip: comments, key order and quoting stay as they are
    yaml.width = 4096  # never fold a long name onto two lines
    yaml.indent(mapping=2, sequence=2, offset=0)
    yaml.preserve_quotes = True
    return yaml


def edited_texts(changes: list[Change], group: int, data: Path) -> dict[Path, str]:
    """The new text of every school file a change touches."""
    yaml = _yaml()
    texts: dict[Path, str] = {}
    for school in sorted({c.school for c in changes}):
        path = data / "schools" / f"{school}.yaml"
        record = yaml.load(path.read_text(encoding="utf-8"))
        part = next(p for p in record["participations"] if p["group"] == group)
        for change in (c for c in changes if c.school == school):
            part[change.field] = change.new
        out = io.StringIO()
        yaml.dump(record, out)
        texts[path] = out.getvalue()
    return texts


def apply(texts: dict[Path, str], data: Path) -> list[str]:
    """Check the result with the validator on a copy; write nothing unless it passes."""
    root = data.resolve()
    for path in texts:
        if not path.resolve().is_relative_to(root) or path.is_symlink():
            return [f"{path}: файл вне папки данных (ожидался файл в {data})"]
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "data"
        shutil.copytree(data, copy, symlinks=True)
        for path, text in texts.items():
            (copy / path.relative_to(data)).write_text(text, encoding="utf-8")
        dataset, found = load(copy, Path(scratch))
        if dataset is None:
            return ["после изменения данные не прошли проверку, ничего не записано:"] + [p.format() for p in errors(found)]
    for path, text in texts.items():
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, prefix=".import-") as tmp:
            tmp.write(text)
        os.replace(tmp.name, path)
    return []
