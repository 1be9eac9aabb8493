#!/usr/bin/env python3
"""Файлы, которые pull request менять не может: историю проверки ссылок (data/link_status.yaml)
пишет только ночная проверка (.github/workflows/linkcheck.yml). Pull request, который её меняет,
не проходит проверку — если только его автор не github-actions[bot] из этого же репозитория.

    python3 scripts/check_pr_files.py --base HEAD^1 --head HEAD --author LOGIN \
        --head-repo OWNER/NAME --repo OWNER/NAME

В GitHub Actions pull request проверяется как merge-коммит: HEAD^1 — ветка, в которую он
вливается, HEAD — результат слияния, так что их разница и есть то, что pull request изменит.
Код выхода 1 — изменён защищённый файл, 2 — ошибка запуска. Только стандартная библиотека:
шаг идёт до установки зависимостей.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

# Path in the repository → who writes it (for the message).
PROTECTED = {
    "data/link_status.yaml": "история проверки ссылок: её записывает только ночная проверка ссылок "
                             "(.github/workflows/linkcheck.yml)",
}
# The account the nightly job commits as. Logins with «[bot]» belong to GitHub Apps: no person can
# register one, so the pull request's author (set by GitHub, not by its text) cannot be faked.
BOT = "github-actions[bot]"


def changed_files(base: str, head: str, cwd: str | None = None) -> list[str]:
    """Every path the change from `base` to `head` touches; a rename counts as both of its names."""
    run = subprocess.run(["git", "diff", "-z", "--name-only", "--no-renames", base, head, "--"],
                         cwd=cwd, capture_output=True, timeout=120)
    if run.returncode != 0:
        detail = run.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ValueError(f"не удалось сравнить {base} и {head} ({detail[-1] if detail else 'git завершился с ошибкой'})")
    return [name.decode("utf-8", "surrogateescape") for name in run.stdout.split(b"\0") if name]


def refusals(changed: list[str], author: str, head_repo: str, repo: str) -> list[str]:
    """A Russian message for each protected file the pull request changes; [] if it may."""
    if author == BOT and head_repo == repo:
        return []
    return [f"{path}: этот файл нельзя менять в pull request — {PROTECTED[path]}. Уберите его из "
            f"изменений (верните версию из основной ветки: git checkout origin/main -- {path})"
            for path in sorted(set(changed) & set(PROTECTED))]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Проверка: pull request не меняет файлы, которые пишет только ночная проверка")
    p.add_argument("--base", required=True, help="с чем сравнивать (в GitHub Actions: HEAD^1)")
    p.add_argument("--head", required=True, help="что проверять (в GitHub Actions: HEAD)")
    p.add_argument("--author", required=True, help="автор pull request (github.event.pull_request.user.login)")
    p.add_argument("--head-repo", required=True, help="репозиторий ветки pull request (owner/name)")
    p.add_argument("--repo", required=True, help="этот репозиторий (owner/name)")
    args = p.parse_args(argv)
    try:
        changed = changed_files(args.base, args.head)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        print(f"Проверка изменённых файлов не выполнена: {exc}", file=sys.stderr)
        return 2
    found = refusals(changed, args.author, args.head_repo, args.repo)
    for message in found:
        print(f"ошибка: {message}", file=sys.stderr)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            path, _, text = message.partition(": ")
            print(f"::error file={path}::{text}")
    if found:
        return 1
    print("Защищённые файлы не изменены." if not set(changed) & set(PROTECTED)
          else "Защищённые файлы изменены ночной проверкой (github-actions[bot]) — это допустимо.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
