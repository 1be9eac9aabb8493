"""Reading one YAML file of data/ with line numbers, and every way that can go wrong, in Russian.

Before anything is built from a file, its text and its event stream are screened: a file over the
size limit, characters that cannot be shown or that reorder text (NUL, bidi overrides), anchors,
aliases, merge keys and tags (coordinators never need them; a few hundred bytes of nested aliases
expand into billions of values) and nesting deeper than the model uses are refused at their line.
Only then is the file composed into a node tree (nodes know their lines), checked for duplicate
keys (PyYAML would silently keep the last one and lose data), and constructed into plain Python.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .problems import Problem
from .textcheck import character_name


# A data file is a few kilobytes; the limit leaves room for a national monitoring table.
MAX_BYTES = 2 * 1024 * 1024
# Characters that never belong in a coordinator's text: C0/C1 controls (tab and line ends are
# fine), lone surrogates, non-characters, bidi overrides that reorder what a reader sees, and the
# Unicode line separators that YAML counts as line breaks.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
                        "\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_MAX_SHOWN = 5  # of one kind of problem per file: the first few say enough


class _Loader(yaml.SafeLoader):
    """SafeLoader whose unreadable values (2022-02-30, a 5 000-digit number) are reported at their
    line instead of crashing."""


# The same loader on libyaml (about ten times faster: a national dataset is 10 000 files). A file
# it finds anything wrong with is read again by the pure-Python loader, whose messages the
# coordinators' hints below are written for.
class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """_Loader's constructors on the C parser."""


def _at_line(construct):
    def checked(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(None, None, f"invalid value: {exc}", node.start_mark) from exc
    return checked


for _tag, _construct in (("timestamp", yaml.SafeLoader.construct_yaml_timestamp),
                         ("int", yaml.SafeLoader.construct_yaml_int),
                         ("float", yaml.SafeLoader.construct_yaml_float)):
    for _loader in (_Loader, _FastLoader):
        _loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _at_line(_construct))

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
    ("invalid value: year", "несуществующая дата (ожидалась дата ГГГГ-ММ-ДД, которая есть в календаре)"),
    ("invalid value: day", "несуществующая дата (ожидалась дата ГГГГ-ММ-ДД, которая есть в календаре)"),
    ("invalid value: month", "несуществующая дата (ожидалась дата ГГГГ-ММ-ДД, которая есть в календаре)"),
    ("invalid value", "значение не удаётся прочитать (ожидалось число или дата разумной длины)"),
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


def _hint(exc: yaml.YAMLError) -> str:
    context, problem = getattr(exc, "context", None), getattr(exc, "problem", None) or str(exc)
    text = f"{context or ''} {problem or ''}"
    for needle, russian in _SYNTAX_HINTS:
        if needle in text:
            return russian
    return f"ошибка разметки YAML ({(problem or context or 'неизвестная').strip()})"


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


def _character_problems(text: str, shown: str) -> list[Problem]:
    found = []
    for match in _FORBIDDEN.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        found.append(Problem(shown, line, "", f"недопустимый символ {character_name(match.group())} в позиции {column} "
                             "(ожидался обычный текст; такие символы попадают из PDF, Word или чужих сайтов — удалите его)"))
        if len(found) == _MAX_SHOWN:
            break
    return found


def mask_characters(text: str, shown: str) -> tuple[str, list[Problem]]:
    """The text with every forbidden character replaced by U+FFFD (so it can be parsed and the rest
    of the file used), and one problem for each line that held one."""
    found: dict[int, Problem] = {}
    line, counted = 1, 0  # counted up to here: a damaged 64 MiB file must not be counted again per match
    for match in _FORBIDDEN.finditer(text):
        line, counted = line + text.count("\n", counted, match.start()), match.start()
        if line not in found:
            found[line] = Problem(shown, line, "", f"недопустимый символ {character_name(match.group())} "
                                  "(ожидался обычный текст без управляющих символов и символов смены направления)")
    return _FORBIDDEN.sub("\ufffd", text), list(found.values())


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + " МиБ"


def screen_events(text: str, shown: str, max_depth: int) -> tuple[list[Problem], bool]:
    """Every problem of the event stream, each at its line, and whether the screening stopped at
    nesting deeper than `max_depth` (then nothing of the text may be composed). For a reader that
    drops the damaged parts of a file one by one (linkstatus.py). Raises yaml.MarkedYAMLError."""
    try:
        found = list(_screened(text, shown, max_depth, _FastLoader))
    except yaml.YAMLError:  # again on the pure-Python parser, whose messages the hints are written for
        found = list(_screened(text, shown, max_depth, _Loader))
    return found, bool(found) and found[-1].message.startswith(_TOO_DEEP)


_TOO_DEEP = "слишком глубокая вложенность"


def _screened(text: str, shown: str, max_depth: int, loader: type):
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            yield Problem(shown, line, "", f"ссылка на якорь (*{event.anchor}) не поддерживается "
                          "(ожидалось значение, записанное полностью; повторите его вместо ссылки)")
        elif isinstance(event, yaml.NodeEvent):
            if event.anchor is not None:
                yield Problem(shown, line, "", f"якорь (&{event.anchor}) не поддерживается "
                              "(ожидалось значение без «&имя»; повторяющиеся значения пишутся полностью)")
            if getattr(event, "tag", None) is not None:
                yield Problem(shown, line, "", f"тег YAML («{event.tag}») не поддерживается "
                              "(ожидалось обычное значение без «!»; если «!» — часть текста, возьмите его в кавычки)")
            if isinstance(event, yaml.ScalarEvent):
                if event.value == "<<" and not event.style:  # plain: None in PyYAML, "" in libyaml
                    yield Problem(shown, line, "", "ключ слияния «<<» не поддерживается "
                                  "(ожидались поля, записанные полностью)")
                bad = _FORBIDDEN.search(event.value)
                if bad:
                    yield Problem(shown, line, "", f"недопустимый символ {character_name(bad.group())} в значении "
                                  "(ожидался обычный текст; уберите escape-последовательность вроде «\\0» или «\\x07»)")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    yield Problem(shown, line, "", f"{_TOO_DEEP} (ожидалось не больше {max_depth} "
                                  "уровней, как в образце файла; проверьте отступы и скобки)")
                    return
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def read_yaml(path: Path, shown: str, max_depth: int = 32,
              max_bytes: int = MAX_BYTES, lenient: bool = False) -> tuple[YamlFile | None, list[Problem]]:
    """Parse one file. Returns (file, problems); file is None when nothing usable could be read.

    `max_depth` is how deeply the file's model nests (mappings and lists); deeper is refused.
    `lenient`: a file whose only problems leave its meaning readable (a key given twice — the last
    value is kept —, a tab the parser still understood) is returned with them, so that the
    validator reports its other problems in the same pass.
    """
    raw, problems = read_bytes(path, shown, max_bytes)
    if raw is None:
        return None, problems
    return parse_yaml(raw, shown, max_depth, lenient)


def read_bytes(path: Path, shown: str, max_bytes: int = MAX_BYTES) -> tuple[bytes | None, list[Problem]]:
    """A data file's bytes, or None with why not (a symlink, over the size limit, unreadable)."""
    try:
        if path.is_symlink():
            return None, [Problem(shown, 0, "", "символическая ссылка вместо файла (ожидался обычный файл в папке data/)")]
        size = path.stat().st_size
        if size > max_bytes:
            return None, [Problem(shown, 0, "", f"файл слишком большой (ожидалось не больше {_mb(max_bytes)}, "
                                  f"найдено {_mb(size)}); разделите его или проверьте, что в нём нет лишнего")]
        return path.read_bytes(), []
    except OSError as exc:
        return None, [Problem(shown, 0, "", f"файл не удаётся прочитать ({exc.strerror})")]


def parse_yaml(raw: bytes, shown: str, max_depth: int = 32, lenient: bool = False) -> tuple[YamlFile | None, list[Problem]]:
    """The bytes of a data file (from disk or from git history), screened and parsed."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [Problem(shown, line, "",
            f"файл не в кодировке UTF-8 (ожидался текст UTF-8, найден байт 0x{raw[exc.start]:02x}); "
            "сохраните файл в кодировке UTF-8")]
    if not text.strip() or all(not l.strip() or l.lstrip().startswith("#") for l in text.splitlines()):
        return None, [Problem(shown, 0, "", "файл пуст (ожидалась запись с полями, найден пустой файл)")]
    characters = _character_problems(text, shown)
    if characters and not lenient:
        return None, characters
    if characters:  # read the rest of the file too: its other problems are reported in the same pass
        text = mask_characters(text, shown)[0]
        parsed, problems = _parse(text, shown, max_depth, _Loader, lenient)
        return parsed, characters + problems
    if _FastLoader is not _Loader:
        parsed, problems = _parse(text, shown, max_depth, _FastLoader, lenient)
        if parsed is not None:
            return parsed, problems
    return _parse(text, shown, max_depth, _Loader, lenient)


def _parse(text: str, shown: str, max_depth: int, loader_class: type,
           lenient: bool = False) -> tuple[YamlFile | None, list[Problem]]:
    tabs = _tab_problems(text, shown)
    screened: list[Problem] = []  # filled as the stream is read: kept when a syntax error ends it
    try:
        for found in _screened(text, shown, max_depth, loader_class):
            screened.append(found)
            if len(screened) == _MAX_SHOWN:
                break
        if screened:
            return None, tabs + screened
        loader = loader_class(text)
        try:
            root = loader.get_single_node()
            duplicates = _duplicate_keys(root, shown) if root is not None else []
            if duplicates and not lenient:
                return None, tabs + duplicates
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        problem = syntax_problem(exc, shown)
        # A tab in the indentation is the usual cause; say that once instead of twice.
        if tabs and "табуляц" in problem.message:
            return None, tabs + screened
        return None, tabs + screened + [problem]
    if tabs and not lenient:
        return None, tabs
    if not isinstance(data, dict):
        kind = "список" if isinstance(data, list) else "одиночное значение"
        return None, tabs + duplicates + [Problem(shown, 1, "", f"ожидалась запись с полями (поле: значение), найден {kind}")]
    return YamlFile(shown, data, root), tabs + duplicates


def syntax_problem(exc: yaml.YAMLError, shown: str) -> Problem:
    """PyYAML's error at its line, in a coordinator's words."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return Problem(shown, mark.line + 1 if mark else 0, "", "синтаксическая ошибка YAML: " + _hint(exc))


def compose(text: str) -> yaml.Node | None:
    """The node tree of a screened text (screen_events first: composing keeps aliases shared, and
    nothing is constructed). Raises yaml.YAMLError."""
    for loader_class in (_FastLoader, _Loader):
        loader = loader_class(text)
        try:
            return loader.get_single_node()
        except yaml.YAMLError:
            if loader_class is _Loader:
                raise
        finally:
            loader.dispose()
    return None  # not reached: the pure-Python loader returns or raises


def construct(node: yaml.Node) -> object:
    """One node of a composed tree as plain Python; an impossible date or number raises
    yaml.YAMLError at its line."""
    loader = _Loader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


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



def undotted(field: str) -> tuple:
    """participations[0].level → ('participations', 0, 'level'): the inverse of dotted."""
    path: list = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field):
        path.append(int(index) if index else name)
    return tuple(path)


# List items as the documents name them: the word and the item's field that numbers or names it.
_ITEM_NAMES = {
    "groups": ("группа", "number"),
    "participations": ("участие в группе", "group"),
    "levels": ("уровень", "id"),
    "roles": ("роль", "id"),
    "projects": ("проект", "id"),
    "criteria": ("критерий", "id"),
    "directions": ("направление", "id"),
    "rows": ("строка", "municipality"),
    "documents": ("документ", "id"),
    "zones": ("зона", "title"),
    "findings": ("вывод", None),  # None: numbered in the order of the document
    "claims": ("утверждение", None),
    "intro_claims": ("утверждение введения", None),
}


def place_of(root: yaml.Node, path: tuple) -> str:
    """A path through lists as a coordinator finds it in the file: groups[2].project → «группа 3,
    project»; an item without a naming field → «participants, пункт 2». "" when no list is on the way."""
    if not any(isinstance(step, int) for step in path):
        return ""
    parts: list[str] = []
    node, key, after_key = root, None, False
    for step in path:
        if isinstance(step, int):
            item = node.value[step] if isinstance(node, yaml.SequenceNode) and 0 <= step < len(node.value) else None
            word, attribute = _ITEM_NAMES.get(key, (None, None))
            label = (_scalar(item, attribute) if attribute else str(step + 1)) if word else None
            if label is not None:
                # «groups» is said by «группа 3»; «a.groups» keeps its «a.» part.
                head = parts.pop().removesuffix(str(key)).rstrip(".") if after_key else ""
                parts.extend(filter(None, [head, f"{word} {label}"]))
            else:
                parts.append(f"пункт {step + 1}")
            node, after_key = item, False
        else:
            if after_key:
                parts[-1] += f".{step}"
            else:
                parts.append(str(step))
            node, key, after_key = _child(node, step), step, True
    return ", ".join(parts)


def _child(node, key: str):
    if isinstance(node, yaml.MappingNode):
        for k, value in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return value
    return None


def _scalar(node, key: str | None) -> str | None:
    value = _child(node, key) if key else None
    if not isinstance(value, yaml.ScalarNode) or not value.value:
        return None
    text = value.value if len(value.value) <= 40 else value.value[:39] + "…"  # a label, not the value itself
    return f"«{text}»" if " " in text else text
