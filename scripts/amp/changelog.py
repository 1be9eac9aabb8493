"""What changed in data/, in words, from the git history — and when each data file last changed.

Each commit that touched data/ becomes a dated entry: «СОШ с. Решетино: уровень (группа 1) изменён
с 2 на 1», «добавлена школа …», not a diff. Old versions are read with the same hardened reader as
the current files (a hostile old commit cannot hang the build). Without git, or in a shallow clone
(whose oldest commit would pose as the date of every file), dates are unknown, never wrong.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .yamlsource import parse_yaml

MAX_COMMITS = 100  # the page shows the latest changes; older ones stay in git
MAX_LINES = 30  # per commit: a bulk import is summarised, not listed line by line
SKIPPED = {"link_status.yaml"}  # the nightly link check's own file: its news is on «Состояние ссылок»


@dataclass
class Entry:
    date: dt.date
    lines: list[str] = field(default_factory=list)
    more: int = 0  # changes not listed


@dataclass
class History:
    known: bool  # False: not a git checkout, git missing, or a shallow clone
    entries: list[Entry] = field(default_factory=list)
    last_changed: dict[str, dt.date] = field(default_factory=dict)  # "schools/x.yaml" → date


def _git(data: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(data), *args], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def read_history(data: Path) -> History:
    inside = _git(data, "rev-parse", "--is-shallow-repository", "--show-prefix")
    if inside is None:
        return History(known=False)
    shallow, prefix = (inside.splitlines() + ["", ""])[:2]
    if shallow.strip() != "false":
        return History(known=False)
    log = _git(data, "log", "--no-renames", "--format=%x1e%H%x1f%cI", "--name-status", "--", ".")
    if log is None:
        return History(known=False)
    history = History(known=True)
    wanted: list[tuple[Entry, str, str, str]] = []  # (entry, sha, status, path) to describe
    for number, block in enumerate(b for b in log.split("\x1e") if b.strip()):
        header, *changes = block.strip().splitlines()
        sha, when = header.split("\x1f")
        date = dt.datetime.fromisoformat(when).astimezone(dt.timezone.utc).date()
        entry, listed = Entry(date), 0
        for change in changes:
            if "\t" not in change:
                continue
            status, path = change.split("\t", 1)
            relative = path[len(prefix):] if path.startswith(prefix) else path
            history.last_changed.setdefault(relative, date)
            if number >= MAX_COMMITS or relative in SKIPPED or not relative.endswith(".yaml"):
                continue
            if listed < MAX_LINES:
                wanted.append((entry, sha, status[:1], path))
                listed += 1
            else:
                entry.more += 1  # a bulk change: counted, not read
        if number < MAX_COMMITS:
            history.entries.append(entry)
    specs = [f"{sha}^:{path}" for _, sha, status, path in wanted if status != "A"]
    specs += [f"{sha}:{path}" for _, sha, status, path in wanted if status != "D"]
    blobs = _blobs(data, specs)
    for entry, sha, status, path in wanted:
        relative = path[len(prefix):] if path.startswith(prefix) else path
        entry.lines += describe(relative, _parsed(blobs.get(f"{sha}^:{path}"), path),
                                _parsed(blobs.get(f"{sha}:{path}"), path))
    history.entries = [e for e in history.entries if e.lines or e.more]
    return history


def _blobs(data: Path, specs: list[str]) -> dict[str, bytes]:
    """Many file versions in one `git cat-file --batch` (a process per version would be slow)."""
    if not specs:
        return {}
    try:
        done = subprocess.run(["git", "-C", str(data), "cat-file", "--batch"], input="\n".join(specs).encode() + b"\n",
                              capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    out, found, position = done.stdout, {}, 0
    for spec in specs:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[spec] = out[position:position + size]
            position += size + 1
    return found


def _parsed(raw: bytes | None, path: str) -> dict | None:
    if raw is None:
        return None
    parsed, _ = parse_yaml(raw, path)
    return parsed.data if parsed else None


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
    return str(value)


def _changed(subject: str, label: tuple[str, str], old, new) -> str:
    name, verb = label
    return f"{subject}: {name} {verb} с «{_shown(old)}» на «{_shown(new)}»"


def _documents(subject: str, old: list, new: list) -> list[str]:
    before = {d.get("id"): d for d in old if isinstance(d, dict)}
    after = {d.get("id"): d for d in new if isinstance(d, dict)}
    lines = [f"{subject}: добавлен документ «{after[k].get('title')}»" for k in after if k not in before]
    lines += [f"{subject}: удалён документ «{before[k].get('title')}»" for k in before if k not in after]
    lines += [f"{subject}: изменён адрес документа «{after[k].get('title')}»" for k in after
              if k in before and before[k].get("url") != after[k].get("url")]
    return lines


def _school(old: dict | None, new: dict | None) -> list[str]:
    name = (new or old or {}).get("short_name") or (new or old or {}).get("id", "?")
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
    name = (new or old or {}).get("name") or (new or old or {}).get("id", "?")
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


def _monitoring(old: dict | None, new: dict | None) -> list[str]:
    if old is None or new is None:
        return ["добавлены сведения мониторинга" if old is None else "удалены сведения мониторинга"]
    numbers = {c.get("id"): c.get("number") for c in new.get("criteria") or [] if isinstance(c, dict)}
    before = {d.get("id"): d for d in old.get("directions") or [] if isinstance(d, dict)}
    lines = []
    for direction in new.get("directions") or []:
        if not isinstance(direction, dict) or direction.get("id") not in before:
            continue
        title = direction.get("short_title", direction.get("id"))
        rows_before = {r.get("municipality"): r for r in before[direction["id"]].get("rows") or [] if isinstance(r, dict)}
        for row in direction.get("rows") or []:
            if not isinstance(row, dict):
                continue
            where = f"мониторинг «{title}», {row.get('name_in_source', row.get('municipality'))}"
            earlier = rows_before.get(row.get("municipality"))
            if earlier is None:
                lines.append(f"{where}: добавлена строка таблицы")
                continue
            scores, scores_before = row.get("scores") or {}, earlier.get("scores") or {}
            for key in scores:
                if scores.get(key) != scores_before.get(key):
                    lines.append(_changed(where, (f"балл К{numbers.get(key, key)}", "изменён"), scores_before.get(key),
                                          scores.get(key)))
            if row.get("stated_total") != earlier.get("stated_total"):
                lines.append(_changed(where, ("итог в документе", "изменён"), earlier.get("stated_total"),
                                      row.get("stated_total")))
    if not lines and old != new:
        lines.append("изменены сведения мониторинга (тексты, критерии или зоны)")
    return lines


_OTHER = {"programme.yaml": "программа: цели, сроки, группы", "roadmaps.yaml": "дорожные карты",
          "tools_matrix.yaml": "матрица управленческих инструментов", "sources.yaml": "перечень источников"}


def describe(relative: str, old: dict | None, new: dict | None) -> list[str]:
    """The change of one data file between two versions, in words."""
    if relative.startswith("schools/"):
        return _school(old, new)
    if relative.startswith("municipalities/"):
        return _municipality(old, new)
    if relative == "monitoring.yaml":
        return _monitoring(old, new)
    if relative.startswith("reports/"):
        title = (new or old or {}).get("title", relative)
        return [f"{'добавлен' if old is None else 'удалён' if new is None else 'изменён'} отчёт «{title}»"]
    return [f"изменены сведения: {_OTHER.get(relative, relative)}"] if old != new else []
