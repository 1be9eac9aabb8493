"""Reading one YAML file of data/ with line numbers, and every way that can go wrong, in Russian.

The file is composed into a node tree first (nodes know their lines), checked for duplicate keys
(PyYAML would silently keep the last one and lose data), then constructed into plain Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .problems import Problem


class _Loader(yaml.SafeLoader):
    """SafeLoader whose impossible dates (2022-02-30) are reported at their line, not as a crash."""

    def construct_yaml_timestamp(self, node):  # noqa: D102 - PyYAML hook
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"invalid date: {exc}", node.start_mark
            ) from exc


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)

# PyYAML's messages, most common first, in words a coordinator can act on.
_SYNTAX_HINTS: list[tuple[str, str]] = [
    ("found character '\\t' that cannot start any token", "символ табуляции (ожидались пробелы для отступа, найдена табуляция)"),
    ("mapping values are not allowed here", "двоеточие в неожиданном месте (если двоеточие — часть текста, возьмите значение в кавычки)"),
    ("could not find expected ':'", "не найдено двоеточие после имени поля (ожидалось «поле: значение»)"),
    ("expected <block end>, but found", "нарушены отступы (ожидался одинаковый отступ у полей одного уровня)"),
    ("found unexpected end of stream", "файл обрывается (не закрыта кавычка или скобка)"),
    ("found unexpected end", "не закрыта кавычка или скобка"),
    ("expected a single document", "в файле несколько документов YAML (ожидался один, найден разделитель «---»)"),
    ("found undefined alias", "ссылка на неизвестный якорь (*имя)"),
    ("invalid date", "несуществующая дата (ожидалась дата ГГГГ-ММ-ДД, которая есть в календаре)"),
    ("found duplicate anchor", "якорь (&имя) объявлен дважды"),
    ("while parsing a flow", "не закрыта квадратная или фигурная скобка"),
    ("while scanning a quoted scalar", "не закрыта кавычка"),
    ("while scanning a simple key", "не найдено двоеточие после имени поля (ожидалось «поле: значение»)"),
    ("found unknown escape character", "недопустимая escape-последовательность в строке в двойных кавычках"),
    ("expected alphabetic or numeric character", "недопустимый символ после «&» или «*»"),
    ("while parsing a block", "нарушена структура (отступы или дефисы списка)"),
]


@dataclass(frozen=True)
class YamlFile:
    """A parsed file: its data and its node tree (for line numbers)."""

    path: str  # relative, as shown in messages
    data: object
    root: yaml.Node


def _hint(exc: yaml.MarkedYAMLError) -> str:
    text = f"{exc.context or ''} {exc.problem or ''}"
    for needle, russian in _SYNTAX_HINTS:
        if needle in text:
            return russian
    return f"ошибка разметки YAML ({(exc.problem or exc.context or 'неизвестная').strip()})"


def _tab_problems(text: str, shown: str) -> list[Problem]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = re.match(r"^[ \t]*", line).group(0)
        if "\t" in indent:
            found.append(Problem(shown, number, "", "табуляция в отступе (ожидались пробелы, найден символ табуляции)"))
    return found


def _duplicate_keys(node: yaml.Node, shown: str) -> list[Problem]:
    found: list[Problem] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    line = key.start_mark.line + 1
                    if key.value in seen:
                        found.append(Problem(shown, line, key.value,
                            f"поле указано дважды (первый раз — в строке {seen[key.value]}); оставьте одно значение"))
                    else:
                        seen[key.value] = line
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(found)


def read_yaml(path: Path, shown: str) -> tuple[YamlFile | None, list[Problem]]:
    """Parse one file. Returns (file, problems); file is None when nothing usable could be read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, 0, "", f"файл не удаётся прочитать ({exc.strerror})")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [Problem(shown, line, "",
            f"файл не в кодировке UTF-8 (ожидался текст UTF-8, найден байт 0x{raw[exc.start]:02x}); "
            "сохраните файл в кодировке UTF-8")]
    if not text.strip() or all(not l.strip() or l.lstrip().startswith("#") for l in text.splitlines()):
        return None, [Problem(shown, 0, "", "файл пуст (ожидалась запись с полями, найден пустой файл)")]
    tabs = _tab_problems(text, shown)
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            duplicates = _duplicate_keys(root, shown) if root is not None else []
            if duplicates:
                return None, tabs + duplicates
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = Problem(shown, line, "", "синтаксическая ошибка YAML: " + _hint(exc))
        # A tab in the indentation is the usual cause; say that once instead of twice.
        if tabs and "табуляц" in problem.message:
            return None, tabs
        return None, tabs + [problem]
    if tabs:
        return None, tabs
    if not isinstance(data, dict):
        kind = "список" if isinstance(data, list) else "одиночное значение"
        return None, [Problem(shown, 1, "", f"ожидалась запись с полями (поле: значение), найден {kind}")]
    return YamlFile(shown, data, root), []


def line_of(root: yaml.Node, path: tuple) -> int:
    """The line of the deepest node reachable along `path` (keys and list indices)."""
    node, line = root, root.start_mark.line + 1
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            for key, value in node.value:
                if key.value == step:
                    node, line = value, key.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def dotted(path: tuple) -> str:
    """('participations', 0, 'level') → participations[0].level"""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += ("." if out else "") + str(step)
    return out

