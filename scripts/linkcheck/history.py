"""Status history of links (data/link_status.yaml): pure update rules + file I/O.

The file is ``links: {url: entry}``; the site pages read it (amp.linkstatus).
A reason is stored as ``reason_code`` and ``reason_params`` (numbers, flags, cleaned
URLs and hosts): the Russian text is made from the fixed vocabulary when it is shown
(:func:`entry_reason`), so nothing a server wrote is published. Entries written before
reason codes hold a ``reason`` text instead; they are still read.

A link is announced broken only after it failed on two runs in a row, so one
bad night of a school's hosting does not raise an alarm; the first failure
is announced as a warning saying so. Entries of URLs that are no longer in
the data are dropped. The file is sorted by URL and holds no volatile data
except the dates of checks, so its diffs are readable in git.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from . import messages
from .clean import clean_text
from .result import BROKEN, OK, WARNING, LinkResult

FIELDS = (
    "verdict",
    "last_verdict",
    "reason",
    "reason_code",
    "reason_params",
    "http_status",
    "last_checked",
    "last_ok",
    "failing_since",
    "consecutive_failures",
    "permanent_redirect",
)
HEADER = (
    "# Состояние ссылок на документы. Файл обновляет scripts/check_links.py\n"
    "# (ночная проверка в GitHub Actions); вручную его не правят.\n"
    "# verdict — объявленный итог (broken только после двух неудачных проверок подряд),\n"
    "# last_verdict — итог последней проверки.\n"
)

History = dict[str, dict[str, Any]]


def update_entry(previous: Mapping[str, Any] | None, result: LinkResult, today: str) -> dict[str, Any]:
    """New history entry of one URL after one run."""
    prev = previous or {}
    failing = result.verdict == BROKEN
    streak = int(prev.get("consecutive_failures") or 0) + 1 if failing else 0
    if failing:
        failing_since = prev.get("failing_since") if streak > 1 and prev.get("failing_since") else today
    else:
        failing_since = None
    # The first failure is announced as a warning; entry_reason says so (last_verdict is broken).
    verdict = WARNING if failing and streak < 2 else result.verdict
    entry: dict[str, Any] = {
        "verdict": verdict,
        "last_verdict": result.verdict,
        "reason_code": result.reason_code,
    }
    if result.reason_params:
        entry["reason_params"] = dict(sorted(result.reason_params.items()))
    entry |= {
        "http_status": result.http_status,
        "last_checked": today,
        "last_ok": today if result.verdict == OK else prev.get("last_ok"),
        "failing_since": failing_since,
        "consecutive_failures": streak,
    }
    if result.permanent_redirect:
        entry["permanent_redirect"] = result.permanent_redirect
    return entry


def update_history(
    previous: Mapping[str, Mapping[str, Any]], results: Iterable[LinkResult], today: date | str
) -> History:
    """History after a run. ``results`` must cover every URL now in the data:
    others are dropped; skipped (unchecked) URLs keep their old entry."""
    day = today.isoformat() if isinstance(today, date) else str(today)
    new: History = {}
    for result in results:
        old = previous.get(result.url)
        if result.skipped:
            if old is not None:
                new[result.url] = dict(old)
            continue
        new[result.url] = update_entry(old, result, day)
    return {url: _ordered(new[url]) for url in sorted(new)}


_OPTIONAL = frozenset({"reason", "reason_code", "reason_params", "permanent_redirect"})


def _ordered(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {k: entry.get(k) for k in FIELDS if k in entry or k not in _OPTIONAL}


def entry_reason(entry: Mapping[str, Any], url: str, quote: Callable[[str], str] | None = None) -> str:
    """The Russian reason of a history entry, made from its code and parameters; an entry of the
    older format (a ``reason`` text only) gives that text, cleaned (``quote`` wraps it as outside
    text)."""
    code = entry.get("reason_code")
    if code:
        first = entry.get("verdict") == WARNING and entry.get("last_verdict") == BROKEN
        return messages.reason_text(str(code), entry.get("reason_params") or {}, url=url, first=first, quote=quote)
    text = clean_text(entry.get("reason") or "")
    return quote(text) if quote and text else text


def dump_history(history: Mapping[str, Mapping[str, Any]]) -> str:
    """YAML text of the file: ``links: {url: entry}``, sorted by URL."""
    links = {url: _ordered(history[url]) for url in sorted(history)}
    body = yaml.safe_dump(
        {"links": links},
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100000,
    )
    return HEADER + body


def load_history(path: Path) -> History:
    """The saved history, or an empty one when the file does not exist yet."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    links = data.get("links") if isinstance(data, dict) else None
    if links is None and isinstance(data, dict) and not data:
        return {}
    if not isinstance(links, dict):
        raise ValueError(f"{path}: ожидался раздел links — словарь «ссылка: состояние»")
    return {str(url): _plain(entry) for url, entry in links.items()}


def _plain(entry: Any) -> dict[str, Any]:
    # A hand-edited unquoted date loads as datetime.date; keep strings only.
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in dict(entry or {}).items()}


class HistoryRejected(ValueError):
    """The new history did not read back; ``problems`` are the reader's messages."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def save_history(path: Path, history: Mapping[str, Mapping[str, Any]],
                 verify: Callable[[Path], list[str]] | None = None) -> bool:
    """Write the history; returns True when the file content changed.

    The text goes to a temporary file beside ``path`` first; ``verify`` (the site's own reader)
    reads it back, and only a file it accepts replaces the old one, in one step. Otherwise the old
    file stays and :class:`HistoryRejected` is raised."""
    text = dump_history(history)
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        problems = verify(temporary) if verify is not None else []
        if problems:
            raise HistoryRejected(problems)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return True
