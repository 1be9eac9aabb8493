"""Checking parsed YAML against the model, with pydantic's errors retold in Russian at their line."""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import types
import typing

from pydantic import BaseModel, ValidationError

from .problems import Problem, show_value
from .yamlsource import YamlFile, dotted, line_of

_SLUG_EXAMPLE = "например, penza-sosh-27"


def describe(annotation: object) -> str:
    """A type as a coordinator reads it: «целое число», «дата ГГГГ-ММ-ДД или null» …"""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        base, *meta = args
        pattern = next((getattr(m, "pattern", None) for m in meta if getattr(m, "pattern", None)), None)
        if pattern and "http" in pattern:
            return "адрес http(s)://…"
        if pattern:
            return f"идентификатор из строчных латинских букв, цифр и дефисов ({_SLUG_EXAMPLE})"
        return describe(base)
    if origin in (typing.Union, types.UnionType):
        parts = [describe(a) for a in args if a is not type(None)]
        text = " или ".join(parts)
        return text + " или null (нет данных)" if type(None) in args else text
    if origin is typing.Literal:
        return "одно из: " + ", ".join(f"«{a}»" if isinstance(a, str) else str(a) for a in args)
    if origin is list:
        return "список (" + describe(args[0]) + ")"
    if origin is dict:
        return "словарь"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "вложенная запись с полями " + ", ".join(annotation.model_fields)
    return {str: "строка", int: "целое число", bool: "true или false", dt.date: "дата ГГГГ-ММ-ДД"}.get(
        annotation, str(annotation)
    )


def _model_at(model: type[BaseModel], path: tuple) -> type[BaseModel] | None:
    """The model class that owns the last step of `path` (to list its fields, describe its types)."""
    current: object = model
    key_of_dict = False
    for step in path[:-1]:
        if isinstance(step, int):
            continue
        if key_of_dict:  # a key of a dict of records: the record type is already `current`
            key_of_dict = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or step not in current.model_fields:
            return None
        current = current.model_fields[step].annotation
        while typing.get_origin(current) in (list, dict, typing.Union, types.UnionType, typing.Annotated):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            key_of_dict = typing.get_origin(current) is dict
            current = args[-1] if key_of_dict else args[0]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _message(error: dict, model: type[BaseModel], path: tuple) -> str:
    kind = error["type"]
    found = show_value(error.get("input"))
    ctx = error.get("ctx") or {}
    owner = _model_at(model, path)
    field = path[-1] if path else ""
    if kind == "missing":
        expected = describe(owner.model_fields[field].annotation) if owner and field in owner.model_fields else "значение"
        hint = "; если в источнике значения нет, запишите null" if "null" in expected else ""
        return f"обязательное поле отсутствует (ожидалось: {expected}{hint})"
    if kind == "extra_forbidden":
        allowed = list(owner.model_fields) if owner else []
        guess = difflib.get_close_matches(str(field), allowed, n=1)
        hint = f"; возможно, имелось в виду «{guess[0]}»" if guess else ""
        return f"неизвестное поле (ожидалось одно из: {', '.join(allowed)}; найдено: «{field}»){hint}"
    if kind == "string_pattern_mismatch":
        if "http" in ctx.get("pattern", ""):
            return f"неверный адрес (ожидался адрес, начинающийся с http:// или https://, без пробелов в начале и в конце; найдено: {found})"
        return f"неверный идентификатор (ожидались строчные латинские буквы, цифры и дефисы, {_SLUG_EXAMPLE}; найдено: {found})" + _slug_hint(error.get("input"))
    if kind == "string_too_short":
        return "пустая строка (ожидался текст; если значения нет, запишите null)"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", " или ")
        hint = ""
        if "'" in expected and isinstance(error.get("input"), int) and f"'{error['input']}'" in expected:
            hint = f"; возьмите значение в кавычки: \"{error['input']}\""
        return f"недопустимое значение (ожидалось одно из: {expected}; найдено: {found}){hint}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"слишком маленькое значение (ожидалось не меньше {ctx.get('ge', ctx.get('gt'))}; найдено: {found})"
    if kind in ("less_than_equal", "less_than"):
        return f"слишком большое значение (ожидалось не больше {ctx.get('le', ctx.get('lt'))}; найдено: {found})"
    simple = {
        "string_type": "ожидалась строка",
        "int_type": "ожидалось целое число",
        "int_parsing": "ожидалось целое число",
        "int_from_float": "ожидалось целое число",
        "bool_type": "ожидалось true или false",
        "bool_parsing": "ожидалось true или false",
        "list_type": "ожидался список (строки, начинающиеся с «- »)",
        "dict_type": "ожидалась вложенная запись (поля с отступом)",
        "model_type": "ожидалась вложенная запись (поля с отступом)",
        "model_attributes_type": "ожидалась вложенная запись (поля с отступом)",
    }
    if kind in simple:
        return f"неверный тип ({simple[kind]}; найдено: {found})"
    if kind.startswith("date"):
        return f"неверная дата (ожидалась дата в формате ГГГГ-ММ-ДД, например 2022-02-21; найдено: {found})"
    return f"недопустимое значение (найдено: {found}; {error.get('msg', '')})"


def check_schema(source: YamlFile, model: type[BaseModel]) -> tuple[BaseModel | None, list[Problem]]:
    """Validate one parsed file; every problem carries file, line and field."""
    try:
        return model.model_validate(source.data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            # A bad dict key is reported as (…, key, '[key]'): point at the key itself.
            path = tuple(step for step in error["loc"] if step != "[key]")
            problems.append(Problem(source.path, line_of(source.root, path), dotted(path), _message(error, model, path)))
        return None, sorted(set(problems))


def _slug_hint(value: object) -> str:
    """Russian letters that look Latin (с, о, а) are the usual reason a correct-looking id fails."""
    if not isinstance(value, str):
        return ""
    russian = sorted({ch for ch in value if "а" <= ch.lower() <= "я" or ch.lower() == "ё"})
    if russian:
        return "; в нём русские буквы (" + ", ".join(f"«{ch}»" for ch in russian) + ") — наберите id латиницей"
    if value.lower() != value:
        return "; в нём заглавные буквы — id пишется строчными"
    return ""


def salvage(source: YamlFile, model: type[BaseModel]) -> tuple[BaseModel | None, list[tuple]]:
    """The record with each wrong value left out — an unknown field dropped, a wrong optional value
    taken as null — so the rules can check the rest of the file in the same pass. Returns (record,
    paths of the values left out); None when a wrong value cannot be left out (a required one, an
    item of a list: leaving it out would make the rules speak of what is not there)."""
    try:
        model.model_validate(source.data)
        return None, []  # nothing to salvage: check_schema has the record
    except ValidationError as exc:
        found = exc.errors(include_url=False)
    data = copy.deepcopy(source.data)
    left_out: list[tuple] = []
    for error in found:
        path = tuple(step for step in error["loc"] if step != "[key]")
        if not _leave_out(data, model, path, error["type"] == "extra_forbidden", left_out):
            return None, []
    try:
        return model.model_validate(data), left_out
    except ValidationError:
        return None, []


def _leave_out(data: dict, model: type[BaseModel], path: tuple, unknown: bool, left_out: list[tuple]) -> bool:
    for end in range(len(path), 0, -1):
        step, parent = path[end - 1], data
        for key in path[:end - 1]:
            try:
                parent = parent[key]
            except (KeyError, IndexError, TypeError):
                return False
        if not isinstance(parent, dict) or isinstance(step, int):
            continue
        if unknown:  # a typo'd key says nothing about the fields that are known
            parent.pop(step, None)
            return True
        owner = _model_at(model, path[:end])
        if owner is None or step not in owner.model_fields:
            continue
        field = owner.model_fields[step]
        if not field.is_required():
            parent.pop(step, None)
        elif type(None) in typing.get_args(field.annotation):
            parent[step] = None
        else:
            continue
        left_out.append(path[:end])
        return True
    return False
