"""A problem found in data/: where it is, what is wrong, and how bad.

Errors stop the build; warnings are discrepancies the seeds themselves contain (a stated total
that is not the sum, a date outside the period) — they are published on «Качество данных».
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# Line breaks and other control characters inside a message are shown, never printed raw: a raw
# line break followed by «::» would start a second GitHub workflow command (::add-mask:: and so on).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """Text for a terminal or CI log: exactly one line, control characters made visible."""
    return _CONTROL.sub(lambda m: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


def _command_data(text: str) -> str:
    # https://docs.github.com/actions/reference/workflow-commands-for-github-actions
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _command_property(text: str) -> str:
    return _command_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # path relative to the project root, e.g. data/schools/x.yaml
    line: int  # 1-based; 0 when the problem concerns the whole file
    field: str  # dotted path, e.g. participations[0].level; "" for the whole file
    message: str  # Russian: what is wrong (expected …, found …)
    level: Literal["error", "warning"] = "error"
    # The field as the documents name its list items («группа 3, stated_count»), when it is in a list.
    place: str = ""

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def shown_field(self) -> str:
        return self.place or self.field

    def format(self) -> str:
        where = f"{self.location()}: {self.shown_field()}: " if self.field else f"{self.location()}: "
        return one_line(where + self.message)

    def github_annotation(self) -> str:
        """A workflow command that shows the problem on the changed line of a pull request."""
        kind = "error" if self.level == "error" else "warning"
        text = (f"{self.shown_field()}: " if self.field else "") + self.message
        line = f",line={self.line}" if self.line else ""
        return f"::{kind} file={_command_property(self.file)}{line}::{_command_data(text)}"


def report_lines(problems: list[Problem], annotate: bool = False) -> list[str]:
    """Each problem as the validator prints it («ошибка: файл:строка: …»), and under GitHub Actions
    (annotate) also as an annotation line that marks the file in the pull request."""
    lines = []
    for problem in problems:
        prefix = "ошибка" if problem.level == "error" else "предупреждение"
        lines.append(f"{prefix}: {problem.format()}")
        if annotate:
            lines.append(problem.github_annotation())
    return lines


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "error"]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "warning"]


def show_value(value: object, limit: int = 80) -> str:
    """A found value as a coordinator should see it in a message."""
    if value is None:
        return "пусто (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= limit else value[: limit - 1] + "…"
        return f"«{text}»"
    if isinstance(value, dict):
        return "вложенная запись (ключи: " + ", ".join(map(str, list(value)[:6])) + ")"
    if isinstance(value, list):
        return f"список из {len(value)} элементов"
    return str(value)
