"""Reading the link-check history (data/link_status.yaml) for the pages.

The file is written by the nightly check (scripts/check_links.py) and nobody else. A missing file
means «ещё не проверялась». A damaged one never stops the site: each entry that cannot be read
(bad type, unknown verdict, impossible date, a control or bidi character, an anchor…) is dropped
on its own and its link shown as «нет данных» — the history says nothing trustworthy about it,
and «ещё не проверялась» would be untrue. If the file as a whole cannot be read (not YAML, no
`links` mapping, over the size limit), every link is «нет данных». Every such problem is a
warning with file, line and address, printed by the build and listed on «Качество данных».
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path

import yaml

from .model import LinkStatus, LinkStatusFile, nesting_depth
from .problems import Problem, show_value
from .schema_errors import check_schema
from .yamlsource import (YamlFile, compose, construct, mask_characters, parse_yaml, read_bytes, screen_events,
                         syntax_problem)

# Written by the checker: one entry per published address, so larger than a coordinator's file.
MAX_BYTES = 64 * 1024 * 1024
# The file's own nesting is 3; a damaged entry may nest a little deeper (a list where a text was
# expected) and is then dropped on its own. Deeper than this, the whole file is refused unparsed.
_DAMAGED_DEPTH = nesting_depth(LinkStatusFile) + 8
_MAX_REASONS = 5  # why a whole file was refused: the first few say enough


class LinkStatuses(Mapping):
    """{url: status} as the pages use it, and which links nothing can be said about."""

    def __init__(self, entries: dict[str, LinkStatus] | None = None, dropped: frozenset[str] = frozenset(),
                 unreadable: bool = False):
        self._entries = entries or {}
        self.dropped = dropped  # addresses whose entry was damaged and left out
        self.unreadable = unreadable  # the file as a whole could not be read

    def __getitem__(self, url: str) -> LinkStatus:
        return self._entries[url]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def known(self, url: str) -> bool:
        """False when the history had something about this link that could not be read («нет данных»)."""
        return not self.unreadable and url not in self.dropped


def read_status(path: Path, base: Path) -> tuple[LinkStatuses, list[Problem]]:
    """The readable part of the history, and a warning for each part that is not."""
    if not path.is_file() and not path.is_symlink():
        return LinkStatuses(), []
    shown = path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)
    raw, problems = read_bytes(path, shown, MAX_BYTES)
    if raw is None:
        return _nothing_known(shown, problems)
    parsed, problems = parse_yaml(raw, shown, nesting_depth(LinkStatusFile))
    if parsed is not None:
        record, problems = check_schema(parsed, LinkStatusFile)
        if record is not None:
            return LinkStatuses(dict(record.links)), []
    # Something is wrong: read again entry by entry, keeping what is sound.
    return _entry_by_entry(raw, shown, problems)


def _nothing_known(shown: str, reasons: list[Problem]) -> tuple[LinkStatuses, list[Problem]]:
    summary = Problem(shown, 0, "", "история проверки ссылок не прочитана: у всех ссылок на сайте — «нет данных» "
                      "до следующей ночной проверки", "warning")
    return LinkStatuses(unreadable=True), [summary, *(_warning(p) for p in reasons)]


def _warning(problem: Problem) -> Problem:
    return Problem(problem.file, problem.line, problem.field, problem.message, "warning")


def _entry_by_entry(raw: bytes, shown: str, first: list[Problem]) -> tuple[LinkStatuses, list[Problem]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _nothing_known(shown, first)
    text, characters = mask_characters(text, shown)
    try:
        screened, too_deep = screen_events(text, shown, _DAMAGED_DEPTH)
        if too_deep:
            return _nothing_known(shown, screened[-1:])
        root = compose(text)
    except yaml.YAMLError as exc:
        return _nothing_known(shown, characters + [syntax_problem(exc, shown)])
    if root is None:  # nothing but comments: the first reading said why in the validator's words
        return _nothing_known(shown, first)
    marks = sorted(characters + screened)  # problems found by line, before anything is built
    links, outside = _links_node(root, shown)
    if links is None:
        return _nothing_known(shown, marks[:_MAX_REASONS] + outside)
    mark_lines = [p.line for p in marks]
    pairs = links.value
    starts = [key.start_mark.line + 1 for key, _ in pairs]
    end = _end_of(links, root)
    lines_of: dict[str, list[int]] = {}
    for (key, _), start in zip(pairs, starts):
        if isinstance(key, yaml.ScalarNode):
            lines_of.setdefault(key.value, []).append(start)
    entries: dict[str, LinkStatus] = {}
    dropped: set[str] = set()
    found: list[Problem] = []
    claimed: set[Problem] = set()
    for index, (key, value) in enumerate(pairs):
        first_line = starts[index]
        last_line = max(first_line, starts[index + 1] - 1) if index + 1 < len(pairs) else end
        inside = marks[bisect.bisect_left(mark_lines, first_line):bisect.bisect_right(mark_lines, last_line)]
        claimed.update(inside)
        if not isinstance(key, yaml.ScalarNode):
            found.append(Problem(shown, first_line, "", "адрес записи — не строка (ожидался адрес http(s)://…); "
                                 "запись пропущена", "warning"))
            continue
        url = key.value
        reasons = inside
        if len(lines_of[url]) > 1:
            lines = ", ".join(map(str, lines_of[url][:5])) + (", …" if len(lines_of[url]) > 5 else "")
            reasons = [Problem(shown, first_line, "", f"адрес записан несколько раз (строки {lines}); "
                               "какая запись верна, неизвестно")] + reasons
        if not reasons:
            status, reasons = _entry(url, value, root, shown)
            if status is not None:
                entries[url] = status
                continue
        dropped.add(url)
        found.append(_dropped(shown, url, reasons))
    found += [_warning(p) for p in outside + marks if p not in claimed]
    return LinkStatuses(entries, frozenset(dropped)), sorted(found)


def _links_node(root: yaml.Node | None, shown: str) -> tuple[yaml.MappingNode | None, list[Problem]]:
    """The `links` mapping, and a warning for each other top-level field (ignored)."""
    if not isinstance(root, yaml.MappingNode):
        return None, [Problem(shown, 1, "", "ожидалась запись «links:» со списком адресов, найдено другое")]
    links, others = None, []
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "links" and links is None:
            links = value
        else:
            others.append(Problem(shown, key.start_mark.line + 1, "", "лишнее поле вне «links:» (ожидалось только "
                                  f"links; найдено {show_value(_visible(str(getattr(key, 'value', ''))))}); пропущено", "warning"))
    if not isinstance(links, yaml.MappingNode):
        return None, [Problem(shown, 1, "links", "нет раздела со ссылками (ожидалось «links:» и под ним записи "
                              "«адрес: поля проверки»)")]
    return links, others


def _end_of(links: yaml.MappingNode, root: yaml.MappingNode) -> int:
    """The last line (1-based) that can belong to the last entry: the one before the next top-level
    field (whose 0-based mark is that number), or the end of the file."""
    after = [key.start_mark.line for key, value in root.value
             if value is not links and key.start_mark.line > links.start_mark.line]
    return min(after) if after else 1 << 62


def _entry(url: str, node: yaml.Node, root: yaml.Node, shown: str) -> tuple[LinkStatus | None, list[Problem]]:
    """One entry built and checked against the model; lines are those of the whole file."""
    try:
        data = construct(node)
    except yaml.YAMLError as exc:  # an impossible date or number: said as the validator says it, minus «синтаксическая»
        problem = syntax_problem(exc, shown)
        return None, [Problem(shown, problem.line, "", problem.message.split(": ", 1)[-1])]
    record, problems = check_schema(YamlFile(shown, {"links": {url: data}}, root), LinkStatusFile)
    return (record.links[url], []) if record is not None else (None, problems)


def _dropped(shown: str, url: str, reasons: list[Problem]) -> Problem:
    """One warning per dropped entry: its first problem (enough to find the line), and how many more."""
    first = min(reasons, key=lambda p: p.line)
    field = first.field.rsplit(f"{url}.", 1)[-1] if first.field.startswith("links.") else first.field
    what = (f"{field}: " if field and field != f"links.{url}" else "") + first.message
    more = f" (и ещё замечаний: {len(reasons) - 1})" if len(reasons) > 1 else ""
    return Problem(shown, first.line, "", f"запись {show_value(_visible(url))} пропущена, на сайте у ссылки — "
                   f"«нет данных»: {what}{more}", "warning")


def _visible(text: str) -> str:
    """An address as it may be shown: a character that reorders or hides text is written as its code."""
    return "".join(f"\\u{ord(ch):04x}" if _hidden(ch) else ch for ch in text)


def _hidden(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") and ch not in "\t"
