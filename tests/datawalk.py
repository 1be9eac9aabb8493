"""Walking a data file alongside its model: where every free-text value is.

Free text is a `str` field without a pattern or a fixed list of values (names, titles, notes,
reasons); ids, addresses, dates and enumerations have a shape the validator enforces.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator

from pydantic import BaseModel

import projectpaths  # noqa: F401  (scripts/ on the path)
from amp.textcheck import is_free_text


def _options(annotation) -> list:
    """The alternatives of `X | None` / `Optional[X]`, or the annotation itself."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(annotation) if a is not type(None)]
    return [annotation]


def free_text_paths(annotation, value, path: tuple = ()) -> Iterator[tuple]:
    """Paths (keys and list indices) to every free-text string in `value`, a parsed file."""
    for option in _options(annotation):
        origin = typing.get_origin(option)
        if isinstance(option, type) and issubclass(option, BaseModel) and isinstance(value, dict):
            for name, field in option.model_fields.items():
                if name in value:
                    # pydantic moves a field's own Annotated constraints into field.metadata.
                    annotation = typing.Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
                    yield from free_text_paths(annotation, value[name], path + (name,))
            return
        if origin is list and isinstance(value, list):
            (item,) = typing.get_args(option)
            for index, element in enumerate(value):
                yield from free_text_paths(item, element, path + (index,))
            return
        if origin is dict and isinstance(value, dict):
            _, item = typing.get_args(option)
            for key, element in value.items():
                yield from free_text_paths(item, element, path + (key,))
            return
        if is_free_text(option) and isinstance(value, str):
            yield path
            return


def append_at(value, path: tuple, suffix: str) -> None:
    *parents, last = path
    for step in parents:
        value = value[step]
    value[last] = value[last] + suffix
