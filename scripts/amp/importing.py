"""Merging a coordinator's table into data/: a group's school list (into data/schools/*.yaml), a
monitoring table (into data/monitoring.yaml) or the municipalities' status table (into
data/municipalities/*.yaml), laid out as the documents lay them out.

Schools and municipalities are matched by their name as the documents write it, give or take spaces, case, quotes and
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
from dataclasses import dataclass, replace
from pathlib import Path

from ruamel.yaml import YAML

from . import nearest
from .nearest import plain_name as normalise_name  # noqa: F401 (the importer's name for it)
from .load import load
from .model import LEVEL_NAMES, accepted_spellings, coded, spelling_key
from .problems import errors
from .spreadsheet import MAX_ROWS, Row, Table, header_key

NUMBER, NAME, LEVEL, DIFFICULTIES = "№ п/п", "Образовательная организация", "Уровень неуспешности", "Наличие трудностей"
REQUIRED = (NAME, LEVEL)


_header_key = header_key


@dataclass(frozen=True)
class Change:
    file: str  # under data/, e.g. schools/kamenka-sosh-1.yaml
    path: tuple  # keys and list indices inside the file
    old: object
    new: object
    words: str  # what a coordinator reads in the dry run
    warning: str = ""  # a change that is made but should be looked at (a changed «№ п/п»)


def _shown(value) -> str:
    return "нет данных" if value is None else str(value)


def _change(file: str, path: tuple, old, new, subject: str, label: str, verb: str = "изменён") -> Change:
    return Change(file, path, old, new, f"{subject}: {label} {verb} с «{_shown(old)}» на «{_shown(new)}»")


def _integer(value, row: Row, header: str, allowed: range, problems: list[str], points: bool = False) -> object:
    """`points`: a score may be written as the documents' scales write it, «2 балла»."""
    if value is None:
        return None
    text = spelling_key(str(value))
    if points:
        text = re.sub(r"(?<=\d)\s*балл(?:а|ов)?$", "", text)
    if re.fullmatch(r"\d+(?:[.,]0+)?", text):
        number = int(re.split(r"[.,]", text)[0])
        if number in allowed:
            return number
    expected = f"целое число от {allowed[0]} до {allowed[-1]}" if len(allowed) > 5 else \
        f"одно из: {', '.join(map(str, allowed))}"
    expected += " (можно «N балла»)" if points else ""
    problems.append(f"{row.where(header)}: недопустимое значение (ожидалось {expected} или пустая ячейка — нет данных; "
                    f"найдено: «{value}»)")
    return None


def _coded(value, row: Row, header: str, codes: dict, problems: list[str]):
    """A coded cell as the documents write it: the code («2»), the code and its name («2 Умеренно
    неуспевающие», «2 - умеренно неуспевающие»), the name alone, or words only one name has
    («умеренно»); any case and spacing (model.coded, which reads data/ the same way). Anything
    else — or a code whose name says another — is a problem listing what is accepted."""
    if value is None:
        return None
    found, ambiguous = coded(value, codes)
    if found in codes:
        return found
    problems.append(f"{row.where(header)}: {'неоднозначное' if ambiguous else 'недопустимое'} значение (ожидалось одно из: "
                    f"{', '.join(accepted_spellings(codes))} — в любом регистре — или пустая ячейка — нет данных; "
                    f"найдено: «{value}»)")
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
    # Every school by every name it has: an unknown name is answered with the nearest ones.
    known = {school.id: (*(p.name_in_source for p in school.participations), school.name, school.short_name)
             for school in dataset.schools.values()}
    nearby: list[nearest.Nearest] = []  # prepared on the first unknown name
    for school in dataset.schools.values():
        for part in school.participations:
            if part.group == group:
                for name in {part.name_in_source, school.name}:
                    members.setdefault(normalise_name(name), (school, part))
    titles = {level.id: level.title for level in dataset.programme.levels}
    levels = {code: titles.get(code) for code in LEVEL_NAMES}
    difficulties = {"1": None, "2": None}  # the document gives them no names
    seen: dict[str, int] = {}
    changes: list[Change] = []
    for row in table.rows:
        name = row.cells.get(column[NAME])
        if name is None:
            problems.append(f"{row.where(column[NAME])}: пустое название школы (ожидалось название, как в документе)")
            continue
        match = members.get(normalise_name(str(name)))
        if match is None:
            nearby = nearby or [nearest.Nearest(known)]
            problems.append(f"{row.where(column[NAME])}: неизвестная школа группы {group} (найдено: «{name}»)"
                            + _school_hint(str(name), nearby[0], dataset, group))
            continue
        school, part = match
        if school.id in seen:
            problems.append(f"{row.where(column[NAME])}: школа «{name}» уже есть в строке {seen[school.id]} "
                            "(ожидалась одна строка на школу)")
            continue
        seen[school.id] = row.number
        level = _coded(row.cells.get(column[LEVEL]), row, column[LEVEL], levels, problems)
        new = {"level": level}
        if column[DIFFICULTIES] is not None:
            value = _coded(row.cells.get(column[DIFFICULTIES]), row, column[DIFFICULTIES], difficulties, problems)
            new["difficulties"] = value
        if column[NUMBER] is not None and row.cells.get(column[NUMBER]) is not None:
            number = _integer(row.cells[column[NUMBER]], row, column[NUMBER], range(1, MAX_ROWS + 1), problems)
            if number is not None:
                new["number"] = number
        index = school.participations.index(part)
        labels = {"level": ("уровень", "изменён"), "difficulties": ("наличие трудностей", "изменено"),
                  "number": ("номер в списке", "изменён")}
        for field, value in new.items():
            if getattr(part, field) != value:
                label, verb = labels[field]
                change = _change(f"schools/{school.id}.yaml", ("participations", index, field), getattr(part, field),
                                 value, school.short_name, f"{label} (группа {group})", verb)
                if field == "number":  # the list's order is the document's: a new number is rarely meant
                    change = replace(change, warning=(
                        f"{row.where(column[NUMBER])}: «{NUMBER}» школы «{school.short_name}» изменён с "
                        f"{part.number} на {value} (номер в списке группы берётся из документа; если в документе "
                        "он прежний, исправьте таблицу)"))
                changes.append(change)
    return changes, problems


def _school_hint(name: str, nearby: nearest.Nearest, dataset, group: int) -> str:
    """«; возможно, имелось в виду «…» (id)» with up to three nearest schools; a school that is not
    in this group is said to be elsewhere (its name was right, the group was not)."""
    found = nearby.find(name)
    if not found:
        return ""
    shown = []
    for school_id in found:
        school = dataset.schools[school_id]
        part = next((p for p in school.participations if p.group == group), None)
        if part is not None:
            shown.append(f"«{part.name_in_source}» ({school_id})")
        else:
            groups = ", ".join(str(p.group) for p in school.participations)
            where = f"в группе {groups}" if groups else "не в группах 1–3"
            shown.append(f"«{school.short_name}» ({school_id}; {where}, не в группе {group})")
    return "; возможно, имелось в виду " + ", ".join(shown)


MUNICIPALITY, TOTAL = "Район (город)", "Итого"


def plan_scores(table: Table, direction_id: str, data: Path) -> tuple[list[Change], list[str]]:
    """The changes a monitoring table (a row per municipality, a column per criterion) makes."""
    problems = list(table.problems)
    dataset, found = load(data)
    if dataset is None:
        return [], [p.format() for p in errors(found)] or ["данные в data/ не прошли проверку"]
    directions = {d.id: (i, d) for i, d in enumerate(dataset.monitoring.directions)}
    if direction_id not in directions:
        return [], [f"нет направления мониторинга «{direction_id}» (ожидалось одно из: {', '.join(directions)})"]
    d_index, direction = directions[direction_id]
    criteria = {c.id: c for c in dataset.monitoring.criteria}
    keys = {_header_key(h): h for h in table.header if h}
    wanted = {MUNICIPALITY: [MUNICIPALITY, "муниципалитет", "район"], TOTAL: [TOTAL, "итог"]}
    wanted.update({c: [direction.column_titles[c], f"К{criteria[c].number}"] for c in criteria})
    column = {name: next((keys[_header_key(o)] for o in options if _header_key(o) in keys), None)
              for name, options in wanted.items()}
    if column[MUNICIPALITY] is None:
        return [], problems + [f"в таблице нет столбца «{MUNICIPALITY}» (ожидались заголовки как в документе: "
                               f"«{MUNICIPALITY}», названия критериев или К1–К{len(criteria)}, «{TOTAL}»)"]
    rows = {}
    for r_index, row in enumerate(direction.rows):
        for name in (row.name_in_source, dataset.municipalities[row.municipality].name):
            rows.setdefault(normalise_name(name), (r_index, row))
    seen: dict[int, int] = {}
    changes: list[Change] = []
    for row in table.rows:
        name = row.cells.get(column[MUNICIPALITY])
        match = rows.get(normalise_name(str(name))) if name is not None else None
        if match is None:
            guess = difflib.get_close_matches(normalise_name(str(name or "")), list(rows), n=1, cutoff=0.6)
            hint = f"; возможно, имелось в виду «{rows[guess[0]][1].name_in_source}»" if guess else ""
            problems.append(f"{row.where(column[MUNICIPALITY])}: неизвестный муниципалитет таблицы «{direction.short_title}» "
                            f"(найдено: «{name}»){hint}")
            continue
        r_index, score_row = match
        if r_index in seen:
            problems.append(f"{row.where(column[MUNICIPALITY])}: муниципалитет «{name}» уже есть в строке {seen[r_index]} "
                            "(ожидалась одна строка на муниципалитет)")
            continue
        seen[r_index] = row.number
        subject = f"мониторинг «{direction.short_title}», {score_row.name_in_source}"
        at = ("directions", d_index, "rows", r_index)
        for crit_id, crit in criteria.items():
            if column[crit_id] is None:
                continue
            value = _integer(row.cells.get(column[crit_id]), row, column[crit_id], range(crit.max_points + 1), problems,
                             points=True)
            if value != score_row.scores.get(crit_id):
                changes.append(_change("monitoring.yaml", at + ("scores", crit_id), score_row.scores.get(crit_id), value,
                                       subject, f"балл К{crit.number}"))
        if column[TOTAL] is not None:
            total = _integer(row.cells.get(column[TOTAL]), row, column[TOTAL], range(1000), problems)
            if total != score_row.stated_total:
                changes.append(_change("monitoring.yaml", at + ("stated_total",), score_row.stated_total, total,
                                       subject, "итог в документе"))
    return changes, problems


STATUS_NAME = "Район (город)"
# How people write the status table's marks: «+» yes, «—» no (any dash), an empty cell: unknown.
STATUS_WORDS = {"+": True, "да": True, "✓": True, "✔": True, "—": False, "–": False, "-": False, "−": False, "нет": False}


def plan_statuses(table: Table, data: Path) -> tuple[list[Change], list[str]]:
    """The changes a municipalities' status table (a row per municipality, a column per mark) makes."""
    from .opendata import STATUS_TITLES  # the one place that names the document's columns

    problems = list(table.problems)
    dataset, found = load(data)
    if dataset is None:
        return [], [p.format() for p in errors(found)] or ["данные в data/ не прошли проверку"]
    keys = {_header_key(h): h for h in table.header if h}
    name_column = next((keys[k] for k in map(_header_key, (STATUS_NAME, "муниципалитет", "район")) if k in keys), None)
    columns = {f: keys.get(_header_key(t)) for f, t in STATUS_TITLES.items()}
    expected = ", ".join(f"«{t}»" for t in (STATUS_NAME, *STATUS_TITLES.values()))
    if name_column is None or not any(columns.values()):
        return [], problems + [f"в таблице нет столбцов таблицы статуса (ожидались заголовки как в документе: {expected})"]
    known = {}
    for m in dataset.municipalities.values():
        for name in filter(None, (m.name, m.status.name_in_source if m.status else None)):
            known.setdefault(normalise_name(name), m)
    seen: dict[str, int] = {}
    changes: list[Change] = []
    for row in table.rows:
        name = row.cells.get(name_column)
        m = known.get(normalise_name(str(name))) if name is not None else None
        if m is None:
            guess = difflib.get_close_matches(normalise_name(str(name or "")), list(known), n=1, cutoff=0.6)
            hint = f"; возможно, имелось в виду «{known[guess[0]].name}»" if guess else ""
            problems.append(f"{row.where(name_column)}: неизвестный муниципалитет (найдено: «{name}»){hint}")
            continue
        if m.id in seen:
            problems.append(f"{row.where(name_column)}: муниципалитет «{name}» уже есть в строке {seen[m.id]} "
                            "(ожидалась одна строка на муниципалитет)")
            continue
        seen[m.id] = row.number
        if m.status is None:
            problems.append(f"{row.where(name_column)}: у муниципалитета «{m.name}» нет строки таблицы статуса в "
                            f"data/municipalities/{m.id}.yaml (ожидалось поле status, см. «Для координаторов»)")
            continue
        for field, header in columns.items():
            if header is None:
                continue
            value = row.cells.get(header)
            mark = None if value is None else STATUS_WORDS.get(spelling_key(str(value)))
            if value is not None and mark is None:
                problems.append(f"{row.where(header)}: недопустимое значение (ожидалось «+» или «да» — да, «—», «-» или "
                                f"«нет» — нет, в любом регистре, или пустая ячейка — нет данных; найдено: «{value}»)")
                continue
            if mark != getattr(m.status, field):
                old, new = (_STATUS_SHOWN[getattr(m.status, field)], _STATUS_SHOWN[mark])
                changes.append(Change(f"municipalities/{m.id}.yaml", ("status", field), getattr(m.status, field), mark,
                                      f"{m.name}: «{STATUS_TITLES[field]}» изменено с «{old}» на «{new}»"))
    return changes, problems


_STATUS_SHOWN = {True: "+", False: "—", None: "нет данных"}


def _yaml(text: str = "") -> YAML:
    """A round-trip YAML (comments, key order and quoting stay) indented as `text` is."""
    from ruamel.yaml.util import load_yaml_guess_indent

    yaml = YAML()
    yaml.width = 4096  # never fold a long name onto two lines
    indent, offset = 2, 0
    if text:
        _, guessed, block = load_yaml_guess_indent(text)
        indent, offset = guessed or 2, block or 0
    yaml.indent(mapping=2, sequence=max(indent, offset + 2), offset=offset)
    yaml.preserve_quotes = True
    # An unknown value is written `null`, as coordinators write it (ruamel would leave it blank).
    yaml.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def edited_texts(changes: list[Change], data: Path) -> dict[Path, str]:
    """The new text of every data file a change touches."""
    texts: dict[Path, str] = {}
    for file in sorted({c.file for c in changes}):
        path = data / file
        text = path.read_text(encoding="utf-8")
        yaml = _yaml(text)
        record = yaml.load(text)
        for change in (c for c in changes if c.file == file):
            *parents, last = change.path
            target = record
            for step in parents:
                target = target[step]
            target[last] = change.new
        out = io.StringIO()
        yaml.dump(record, out)
        texts[path] = out.getvalue()
    return texts


def check_result(texts: dict[Path, str], data: Path) -> list[str]:
    """The full validation of data/ as it would be after the change (on a copy): [] when it passes.
    The dry run and the real run both call this, so they refuse the same result with the same words."""
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
    return []


def apply(texts: dict[Path, str], data: Path) -> list[str]:
    """Check the result with the validator on a copy; write nothing unless it passes."""
    failed = check_result(texts, data)
    if failed:
        return failed
    for path, text in texts.items():
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, prefix=".import-") as tmp:
            tmp.write(text)
        os.replace(tmp.name, path)
    return []
