"""What changed in data/, in words, from the git history — and when each data file last changed.

Each change that reached the main line of history and touched data/ becomes a dated entry: «СОШ
с. Решетино: уровень (группа 1) изменён с 2 на 1», «добавлена школа …», not a diff.

The history is hostile input: an old commit may hold anything. So:
- Only the first-parent line is read (`git log --first-parent`): a change is dated by the commit that
  brought it to the branch being built — a merge commit's committer date — and the commits of a merged
  branch, with whatever dates their authors wrote (1970, 2099), never show. A fast-forwarded commit
  is its own first-parent commit: its committer date is the best date there is. (GitHub's merge,
  squash and rebase buttons all write a new commit with the merge time; only a direct push of a
  fast-forward keeps the date the pusher's own git wrote.)
- Git's machine formats only (-z, --raw): file names with line breaks, quotes or leading dashes stay
  data, never arguments. Sizes come first (`cat-file --batch-check`); a version is read only if it is
  an ordinary file no larger than a current data file may be (yamlsource.MAX_BYTES), and all old
  versions of one build together stay under HISTORY_BYTES. They are read one at a time from one
  `cat-file --batch`, so memory holds one file's two versions, as reading the current data does.
- A version is described only if it passes the same model as the current file of its kind
  (model.py); otherwise the entry says in words that the file's data changed and why it cannot say
  more («файл schools/x.yaml: данные изменены (старая версия не читается как файл школы)»).
Without git, or in a shallow clone (whose oldest commit would pose as the date of every file), dates
are unknown, never wrong.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from pydantic import BaseModel, ValidationError

from .model import FOLDERS, SINGLE_FILES, nesting_depth
from .yamlsource import MAX_BYTES, parse_yaml

MAX_COMMITS = 100  # the page shows the latest changes; older ones stay in git
MAX_LINES = 30  # per commit: a bulk import is summarised, not listed line by line
SKIPPED = {"link_status.yaml"}  # the nightly link check's own file: its news is on «Состояние ссылок»
HISTORY_BYTES = 16 * 1024 * 1024  # old versions read per build, all together (the seed data is 0.4 MB)
TIMEOUT = 60  # seconds for each git process; a stuck one is stopped and the history is «unknown»
_NAME_LENGTH = 120  # a longer file name is shortened in the text
_QUOTED = 200  # characters of a value quoted in a line («… изменено с «…» на «…»»)

# How a file of each kind is called: «старая версия не читается как файл школы».
_FOLDER_KINDS = {"schools": "файл школы", "municipalities": "файл муниципалитета", "reports": "файл отчёта"}
_FILE_KINDS = {"sources.yaml": "перечень источников", "programme.yaml": "файл программы",
               "monitoring.yaml": "файл мониторинга", "roadmaps.yaml": "файл дорожных карт",
               "tools_matrix.yaml": "файл матрицы управленческих инструментов"}
_REGULAR = {"100644", "100755"}
_COMMIT_ID = re.compile(rb"[0-9a-f]{40}|[0-9a-f]{64}")  # SHA-1 or SHA-256
_ABSENT = "000000"


@dataclass
class Entry:
    date: dt.date | None  # None: the commit's date cannot be a calendar date (git allows year 3 000 000)
    lines: list[str] = field(default_factory=list)
    more: int = 0  # changes not listed
    commit: str = ""  # the first-parent commit's id (hex, checked): a feed entry's stable id
    # What each line is about, beside it: data keys like "schools/<id>" and "municipalities/<id>" (the
    # municipalities a school belonged to before and after), so a municipality's feed picks its lines.
    about: list[frozenset[str]] = field(default_factory=list)


@dataclass
class History:
    known: bool  # False: not a git checkout, git missing, or a shallow clone
    entries: list[Entry] = field(default_factory=list)
    last_changed: dict[str, dt.date | None] = field(default_factory=dict)  # "schools/x.yaml" → date


@dataclass(frozen=True)
class _Change:
    """One file of one first-parent commit: modes and blob ids of both sides, from `git log --raw`."""

    entry: Entry
    relative: str  # under data/
    old_mode: str
    new_mode: str
    old_id: str
    new_id: str


def _environment() -> dict[str, str]:
    # Replacement refs would let a local ref rewrite what a commit holds; the history is taken as stored.
    return {**os.environ, "GIT_NO_REPLACE_OBJECTS": "1", "GIT_TERMINAL_PROMPT": "0"}


def _git(data: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(data), *args], capture_output=True, timeout=TIMEOUT,
                              env=_environment(), stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


class _Process:
    """A git process read as a stream, stopped after TIMEOUT seconds whatever it is doing."""

    def __init__(self, data: Path, *args: str, stdin: bool = False):
        self.process = subprocess.Popen(["git", "-C", str(data), *args], stdout=subprocess.PIPE,
                                        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, env=_environment())
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        self._watchdog = threading.Timer(TIMEOUT, self.process.kill)
        self._watchdog.daemon = True
        self._watchdog.start()

    def finish(self) -> bool:
        """Whether the process ended well (not stopped by the watchdog, not failed)."""
        for stream in (self.stdin, self.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        code = self.process.wait()
        self._watchdog.cancel()
        return code == 0


def read_history(data: Path) -> History:
    inside = _git(data, "rev-parse", "--is-shallow-repository", "--show-prefix")
    if inside is None:
        return History(known=False)
    shallow, prefix = (inside.splitlines() + ["", ""])[:2]
    if shallow.strip() != "false":
        return History(known=False)
    try:
        log = _Process(data, "log", "--first-parent", "--diff-merges=first-parent", "--root", "--no-renames",
                       "--no-show-signature", "--no-ext-diff", "--raw", "--no-abbrev", "-z", "--format=%x1e%H %ct",
                       "--", ".")
    except OSError:
        return History(known=False)
    history = History(known=True)
    wanted: list[_Change] = []
    try:
        for number, (commit, date, changes) in enumerate(_commits(log.stdout)):
            entry, listed = Entry(date, commit=commit), 0
            for old_mode, new_mode, old_id, new_id, path in changes:
                relative = path[len(prefix):] if path.startswith(prefix) else path
                history.last_changed.setdefault(relative, date)
                if number >= MAX_COMMITS or relative in SKIPPED or not relative.endswith(".yaml"):
                    continue
                if listed < MAX_LINES:
                    wanted.append(_Change(entry, relative, old_mode, new_mode, old_id, new_id))
                    listed += 1
                else:
                    entry.more += 1  # a bulk change: counted, not read
            if number < MAX_COMMITS:
                history.entries.append(entry)
    finally:
        finished = log.finish()
    if not finished:
        return History(known=False)
    for change, lines in zip(wanted, _describe_all(data, wanted)):
        change.entry.lines += [line for line, _ in lines]
        change.entry.about += [about for _, about in lines]
    history.entries = [e for e in history.entries if e.lines or e.more]
    return history


def _commits(stream) -> Iterator[tuple[str, dt.date | None, list[tuple[str, str, str, str, str]]]]:
    """`git log -z --raw --format=%x1e%H %ct` as (commit, date, [(old mode, new mode, old id, new id,
    path)]), newest first, read in pieces: a history of bulk imports is never held whole."""
    commit, date = "", None
    changes: list[tuple[str, str, str, str, str]] = []
    started, meta = False, None
    for token in _tokens(stream):
        if meta is not None:  # after a change's modes and ids comes its path, whatever it looks like
            changes.append((*meta, token.decode("utf-8", "replace")))
            meta = None
        elif token.startswith(b"\x1e"):
            if started:
                yield commit, date, changes
            head = token[1:].split(b" ", 1) + [b""]
            commit = head[0].decode("ascii") if _COMMIT_ID.fullmatch(head[0]) else ""
            started, date, changes = True, _day(head[1]), []
        elif token.lstrip(b"\n").startswith(b":"):
            fields = token.lstrip(b"\n")[1:].decode("ascii", "replace").split()
            meta = tuple(fields[:4]) if len(fields) == 5 else ("", "", "", "")
    if started:
        yield commit, date, changes


def _tokens(stream, size: int = 1 << 16) -> Iterator[bytes]:
    rest = b""
    while chunk := stream.read(size):
        *whole, rest = (rest + chunk).split(b"\0")
        yield from whole
    if rest:
        yield rest


def _day(stamp: bytes) -> dt.date | None:
    """A commit's time (seconds since 1970, as git stores it) as a UTC calendar day."""
    try:
        return dt.datetime.fromtimestamp(int(stamp.strip()), tz=dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        return None


# --- reading old versions ---------------------------------------------------------------------


def _kind(relative: str) -> tuple[type[BaseModel], str] | None:
    """The model of a data file and what a file of that kind is called, by its place under data/."""
    parts = relative.split("/")
    if len(parts) == 1 and parts[0] in SINGLE_FILES:
        return SINGLE_FILES[parts[0]], _FILE_KINDS[parts[0]]
    if len(parts) == 2 and parts[0] in FOLDERS and parts[1].endswith(".yaml") and not parts[1].startswith("."):
        return FOLDERS[parts[0]], _FOLDER_KINDS[parts[0]]
    return None


def _name(relative: str) -> str:
    """A file name as text on the page: what cannot be shown becomes «?», a very long one is cut."""
    # Controls, line breaks, bidi overrides (category C*, Zl, Zp) would garble or reorder the line.
    shown = "".join("?" if unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp") else ch
                    for ch in relative)
    return shown if len(shown) <= _NAME_LENGTH else shown[:_NAME_LENGTH - 1] + "…"


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + " МиБ"


class _Unreadable(str):
    """Why a version cannot be described, as words that follow «старая версия …»."""


def _sizes(data: Path, ids: list[str]) -> dict[str, int]:
    """Blob sizes from `git cat-file --batch-check`, without reading any blob."""
    if not ids:
        return {}
    try:
        done = subprocess.run(["git", "-C", str(data), "cat-file", "--batch-check"], capture_output=True,
                              input="".join(f"{i}\n" for i in ids).encode("ascii"), timeout=TIMEOUT,
                              env=_environment())
    except (OSError, subprocess.TimeoutExpired):
        return {}
    sizes = {}
    for line in done.stdout.decode("ascii", "replace").splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] == "blob" and fields[2].isdigit():
            sizes[fields[0]] = int(fields[2])
    return sizes


class _Reader:
    """One `git cat-file --batch`, asked for one blob at a time (it answers each at once)."""

    def __init__(self, data: Path):
        self.data, self.process, self.broken = data, None, False
        self.left = HISTORY_BYTES  # bytes of old versions this build may still read

    def read(self, blob: str, size: int) -> bytes | None:
        if self.broken:
            return None
        try:
            if self.process is None:
                self.process = _Process(self.data, "cat-file", "--batch", stdin=True)
            self.process.stdin.write(f"{blob}\n".encode("ascii"))
            self.process.stdin.flush()
            header = self.process.stdout.readline(200).split()
            if header == [blob.encode("ascii"), b"blob", str(size).encode("ascii")]:
                raw = self.process.stdout.read(size + 1)
                if len(raw) == size + 1:
                    return raw[:size]
        except (OSError, ValueError):
            pass
        self.broken = True  # out of step with git (or git is gone): nothing more is read from it
        return None

    def close(self) -> None:
        if self.process is not None:
            self.process.finish()


def _describe_all(data: Path, wanted: list[_Change]) -> Iterator[list[tuple[str, frozenset[str]]]]:
    """The lines of each change, in order; old versions are read lazily, one pair at a time."""
    ids = sorted({blob for c in wanted if _kind(c.relative) for mode, blob in ((c.old_mode, c.old_id),
                 (c.new_mode, c.new_id)) if mode in _REGULAR})
    sizes = _sizes(data, ids)
    reader = _Reader(data)
    try:
        for change in wanted:
            yield _describe_change(change, sizes, reader)
    finally:
        reader.close()


def _describe_change(change: _Change, sizes: dict[str, int], reader: _Reader) -> list[tuple[str, frozenset[str]]]:
    if change.old_id == change.new_id and change.old_mode == change.new_mode:
        return []
    name, kind = _name(change.relative), _kind(change.relative)
    added, deleted = change.old_mode == _ABSENT, change.new_mode == _ABSENT
    what = "добавлен" if added else "удалён" if deleted else "данные изменены"
    if kind is None:
        return [(f"файл {name}: {what} (этот файл сайт не читает)", frozenset())]
    model, called = kind
    old = None if added else _version(change.old_mode, change.old_id, change.relative, model, called, sizes, reader)
    new = None if deleted else _version(change.new_mode, change.new_id, change.relative, model, called, sizes, reader)
    if isinstance(old, _Unreadable) or isinstance(new, _Unreadable):
        why = [f"{side} версия {reason}" for side, reason in (("старая", old), ("новая", new))
               if isinstance(reason, _Unreadable)]
        return [(f"файл {name}: {what} ({'; '.join(why)})", _keys(change.relative))]
    return _told(change.relative, old, new)


def _version(mode: str, blob: str, relative: str, model: type[BaseModel], called: str,
             sizes: dict[str, int], reader: _Reader) -> dict | _Unreadable:
    """One version of a data file as checked data, or why not — decided before reading when it can be."""
    if mode == "120000":
        return _Unreadable("— символическая ссылка, а не файл")
    if mode == "160000":
        return _Unreadable("— подмодуль (ссылка на другой репозиторий), а не файл")
    if mode not in _REGULAR:
        return _Unreadable("— не обычный файл")
    size = sizes.get(blob)
    if size is None:
        return _Unreadable("недоступна в этой копии репозитория")
    if size > MAX_BYTES:
        return _Unreadable(f"слишком большая: {_mb(size)}, читаются версии до {_mb(MAX_BYTES)}")
    if size > reader.left:
        return _Unreadable(f"не прочитана: старых версий за одну сборку читается не больше {_mb(HISTORY_BYTES)}")
    reader.left -= size
    raw = reader.read(blob, size)
    if raw is None:
        return _Unreadable("недоступна в этой копии репозитория")
    parsed, _ = parse_yaml(raw, relative, _depth(model))
    if parsed is not None:
        try:
            model.model_validate(parsed.data)
            return parsed.data
        except ValidationError:
            pass
    return _Unreadable(f"не читается как {called}")


_depths: dict[type, int] = {}


def _depth(model: type[BaseModel]) -> int:
    if model not in _depths:
        _depths[model] = nesting_depth(model)
    return _depths[model]


# --- what changed, in words -------------------------------------------------------------------

# Field → (what it is called, the verb that agrees with it).
_SCHOOL_FIELDS = {"name": ("полное наименование", "изменено"), "short_name": ("краткое название", "изменено"),
                  "municipality": ("муниципалитет", "изменён"), "note": ("примечание", "изменено")}
_PARTICIPATION_FIELDS = {"level": ("уровень", "изменён"), "difficulties": ("наличие трудностей", "изменено"),
                         "number": ("номер в списке", "изменён")}
_STATUS_FIELDS = {"survey_500plus_2022": ("анкетирование 500+ 2022", "изменено"),
                  "documents_500plus_2021": ("ссылки на документы 500+ 2021", "изменены"),
                  "documents_ravenstvo": ("ссылки на документы «Равенство...»", "изменены"),
                  "municipal_roadmap": ("муниципальная ДК", "изменена")}


def _shown(value) -> str:
    if value is None:
        return "нет данных"
    if value is True:
        return "да"
    if value is False:
        return "нет"
    return _short(value)


def _short(value) -> str:
    """A value quoted in a line: a long text (a note may be 2 MB) is cut, not repeated whole twice."""
    text = str(value)
    return text if len(text) <= _QUOTED else text[:_QUOTED - 1] + "…"


def _changed(subject: str, label: tuple[str, str], old, new) -> str:
    name, verb = label
    return f"{subject}: {name} {verb} с «{_shown(old)}» на «{_shown(new)}»"


def _documents(subject: str, old: list, new: list) -> list[str]:
    before = {d.get("id"): d for d in old if isinstance(d, dict)}
    after = {d.get("id"): d for d in new if isinstance(d, dict)}
    lines = [f"{subject}: добавлен документ «{_short(after[k].get('title'))}»" for k in after if k not in before]
    lines += [f"{subject}: удалён документ «{_short(before[k].get('title'))}»" for k in before if k not in after]
    lines += [f"{subject}: изменён адрес документа «{_short(after[k].get('title'))}»" for k in after
              if k in before and before[k].get("url") != after[k].get("url")]
    return lines


def _school(old: dict | None, new: dict | None) -> list[str]:
    name = _short((new or old or {}).get("short_name") or (new or old or {}).get("id", "?"))
    if old is None:
        return [f"добавлена школа {name}"]
    if new is None:
        return [f"удалена школа {name}"]
    lines = [_changed(name, label, old.get(key), new.get(key)) for key, label in _SCHOOL_FIELDS.items()
             if old.get(key) != new.get(key)]
    before = {p.get("group"): p for p in old.get("participations") or [] if isinstance(p, dict)}
    after = {p.get("group"): p for p in new.get("participations") or [] if isinstance(p, dict)}
    lines += [f"{name}: добавлено участие в группе {g}" for g in after if g not in before]
    lines += [f"{name}: убрано участие в группе {g}" for g in before if g not in after]
    for group in (g for g in after if g in before):
        lines += [_changed(name, (f"{label} (группа {group})", verb), before[group].get(key), after[group].get(key))
                  for key, (label, verb) in _PARTICIPATION_FIELDS.items() if before[group].get(key) != after[group].get(key)]
    return lines + _documents(name, old.get("documents") or [], new.get("documents") or [])


def _municipality(old: dict | None, new: dict | None) -> list[str]:
    name = _short((new or old or {}).get("name") or (new or old or {}).get("id", "?"))
    if old is None:
        return [f"добавлен муниципалитет {name}"]
    if new is None:
        return [f"удалён муниципалитет {name}"]
    lines = [_changed(name, ("название", "изменено"), old.get("name"), new.get("name"))] \
        if old.get("name") != new.get("name") else []
    before, after = old.get("status") or {}, new.get("status") or {}
    lines += [_changed(name, label, before.get(key), after.get(key)) for key, label in _STATUS_FIELDS.items()
              if isinstance(before, dict) and isinstance(after, dict) and before.get(key) != after.get(key)]
    return lines + _documents(name, old.get("documents") or [], new.get("documents") or [])


def _monitoring(old: dict | None, new: dict | None) -> list[tuple[str, frozenset[str]]]:
    if old is None or new is None:
        return [("добавлены сведения мониторинга" if old is None else "удалены сведения мониторинга", frozenset())]
    numbers = {c.get("id"): c.get("number") for c in new.get("criteria") or [] if isinstance(c, dict)}
    before = {d.get("id"): d for d in old.get("directions") or [] if isinstance(d, dict)}
    lines = []
    for direction in new.get("directions") or []:
        if not isinstance(direction, dict) or direction.get("id") not in before:
            continue
        title = _short(direction.get("short_title", direction.get("id")))
        rows_before = {r.get("municipality"): r for r in before[direction["id"]].get("rows") or [] if isinstance(r, dict)}
        for row in direction.get("rows") or []:
            if not isinstance(row, dict):
                continue
            where = f"мониторинг «{title}», {_short(row.get('name_in_source', row.get('municipality')))}"
            earlier = rows_before.get(row.get("municipality"))
            about = _about_municipalities(row)
            if earlier is None:
                lines.append((f"{where}: добавлена строка таблицы", about))
                continue
            scores, scores_before = row.get("scores") or {}, earlier.get("scores") or {}
            for key in scores:
                if scores.get(key) != scores_before.get(key):
                    lines.append((_changed(where, (f"балл К{numbers.get(key, key)}", "изменён"), scores_before.get(key),
                                           scores.get(key)), about))
            if row.get("stated_total") != earlier.get("stated_total"):
                lines.append((_changed(where, ("итог в документе", "изменён"), earlier.get("stated_total"),
                                       row.get("stated_total")), about))
    if not lines and old != new:
        lines.append(("изменены сведения мониторинга (тексты, критерии или зоны)", frozenset()))
    return lines


_OTHER = {"programme.yaml": "программа: цели, сроки, группы", "roadmaps.yaml": "дорожные карты",
          "tools_matrix.yaml": "матрица управленческих инструментов", "sources.yaml": "перечень источников"}


def describe(relative: str, old: dict | None, new: dict | None) -> list[str]:
    """The change of one data file between two versions, in words."""
    return [line for line, _ in _told(relative, old, new)]


def _told(relative: str, old: dict | None, new: dict | None) -> list[tuple[str, frozenset[str]]]:
    """The lines of `describe`, each with what it is about (Entry.about)."""
    if relative == "monitoring.yaml":
        return _monitoring(old, new)
    # A school or report of the municipality it belonged to before and after the change.
    about = _keys(relative) | _about_municipalities(old, new)
    if relative.startswith("schools/"):
        lines = _school(old, new)
    elif relative.startswith("municipalities/"):
        lines = _municipality(old, new)
    elif relative.startswith("reports/"):
        title = _short((new or old or {}).get("title", relative))
        lines = [f"{'добавлен' if old is None else 'удалён' if new is None else 'изменён'} отчёт «{title}»"]
    else:
        lines = [f"изменены сведения: {_OTHER.get(relative, relative)}"] if old != new else []
    return [(line, about) for line in lines]


def _keys(relative: str) -> frozenset[str]:
    """A record file's key («schools/alpha»), whatever its version holds; other files have none."""
    parts = relative.split("/")
    if len(parts) == 2 and parts[0] in FOLDERS and parts[1].endswith(".yaml"):
        return frozenset({f"{parts[0]}/{parts[1][:-len('.yaml')]}"})
    return frozenset()


def _about_municipalities(*versions: dict | None) -> frozenset[str]:
    """The municipalities named by versions that passed the model (their ids are slugs)."""
    return frozenset(f"municipalities/{v['municipality']}" for v in versions
                     if isinstance(v, dict) and isinstance(v.get("municipality"), str))
