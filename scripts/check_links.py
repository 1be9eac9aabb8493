#!/usr/bin/env python3
"""Проверка ссылок на документы школ и муниципалитетов.

Без аргументов проверяет все ссылки из data/ и обновляет историю
data/link_status.yaml. Код выхода 1, если есть неработающие ссылки
(с --fail-on-warning — и при предупреждениях), 2 — ошибка запуска или
ни один сайт не ответил (нет сети: история тогда не меняется).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit


sys.path.insert(0, str(Path(__file__).resolve().parent))

from linkcheck import (  # noqa: E402
    BROKEN,
    WARNING,
    CheckConfig,
    HistoryRejected,
    check_urls,
    human_lines,
    issue_markdown,
    load_history,
    log_line,
    save_history,
    summary_line,
    update_history,
    write_json,
)
from linkcheck.report import history_from_results  # noqa: E402

from amp.links import iter_document_urls  # noqa: E402  (the data model: which URLs data/ holds)
from amp.linkstatus import read_status  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULTS = CheckConfig()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--urls", type=Path, metavar="FILE",
                   help="проверить ссылки из файла (по одной в строке, # — комментарий) вместо data/")
    p.add_argument("--data", type=Path, default=REPO / "data", metavar="DIR",
                   help="каталог данных (по умолчанию data/)")
    p.add_argument("--json", type=Path, metavar="OUT", help="записать отчёт в JSON")
    p.add_argument("--status", type=Path, metavar="FILE",
                   help="файл истории (по умолчанию data/link_status.yaml; с --urls историю "
                        "обновляют, только если файл указан явно)")
    p.add_argument("--no-status", action="store_true", help="не обновлять историю")
    p.add_argument("--issue-md", type=Path, metavar="FILE",
                   help="записать текст задачи о неработающих ссылках (пустой файл, если их нет)")
    p.add_argument("--fail-on-warning", action="store_true",
                   help="код выхода 1 и при предупреждениях")
    p.add_argument("--ca-bundle", type=Path, metavar="FILE",
                   help="дополнительные корневые сертификаты (PEM), например Минцифры")
    p.add_argument("--allow-private-addresses", action="store_true",
                   help="разрешить адреса внутренней сети (127.0.0.1, 10.x, 192.168.x…): для тестов и "
                        "проверки у себя; по умолчанию такие ссылки не открываются")
    p.add_argument("--per-host", type=int, default=DEFAULTS.per_host, metavar="N",
                   help=f"одновременных запросов к одному хостингу (по умолчанию {DEFAULTS.per_host})")
    p.add_argument("--workers", type=int, default=DEFAULTS.workers, metavar="N",
                   help=f"параллельных проверок (по умолчанию {DEFAULTS.workers})")
    p.add_argument("--timeout", type=float, default=DEFAULTS.timeout, metavar="SEC",
                   help=f"предельное время на одну ссылку с повторами, с (по умолчанию {DEFAULTS.timeout:g})")
    p.add_argument("--max-runtime", type=float, default=DEFAULTS.max_runtime, metavar="SEC",
                   help=f"предельное время всей проверки, с (по умолчанию {DEFAULTS.max_runtime:g})")
    p.add_argument("--host-budget", type=float, default=DEFAULTS.host_budget, metavar="SEC",
                   help="сколько секунд проверок за запуск достаётся одному хостингу; остальные его ссылки "
                        f"ждут следующего запуска (по умолчанию {DEFAULTS.host_budget:g})")
    p.add_argument("--host-timeouts", type=int, default=DEFAULTS.host_timeouts, metavar="N",
                   help="после стольких тайм-аутов подряд хостинг откладывается до следующего запуска "
                        f"(по умолчанию {DEFAULTS.host_timeouts})")
    args = p.parse_args(argv)
    if (args.per_host < 1 or args.workers < 1 or args.timeout <= 0 or args.max_runtime <= 0
            or args.host_budget <= 0 or args.host_timeouts < 1):
        p.error("--per-host, --workers, --timeout, --max-runtime, --host-budget и --host-timeouts "
                "должны быть положительными")
    if args.ca_bundle is not None and not args.ca_bundle.is_file():
        p.error(f"файл сертификатов не найден: {args.ca_bundle}")
    return args


def read_url_file(path: Path) -> list[str]:
    """One URL per line; blank lines and whole-line ``#`` comments are skipped (a ``#`` inside a URL
    is its fragment, and a raw path may contain spaces, so the line is taken as it is)."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def group_owners(pairs) -> tuple[list[str], dict[str, list[str]]]:
    """URLs in first-seen order and, for each, who references it."""
    owners: dict[str, list[str]] = {}
    for url, owner in pairs:
        if url.strip():
            bucket = owners.setdefault(url.strip(), [])
            if owner and owner not in bucket:
                bucket.append(owner)
    return list(owners), owners


def data_urls(data_dir: Path) -> tuple[list[str], dict[str, list[str]]]:
    """Every document URL in data/ with its owners; invalid data is refused with the validator's lines."""
    return group_owners(iter_document_urls(data_dir))


def history_problems(path: Path) -> list[str]:
    """The history is data/ too: read by the site's hardened reader (no aliases, tags, huge files)
    before the checker touches it."""
    if not path.is_file():
        return []
    _, problems = read_status(path, path.parent.parent)
    # For the site every such problem is a warning (it shows «нет данных»); the checker must not
    # rewrite a history it could not fully read, so here each one stops it.
    return [p.format() for p in problems]


def readback_problems(path: Path) -> list[str]:
    """Everything the site's reader says about a new history file: any remark at all means the
    site would not show it as written, so the file is not put in place."""
    _, problems = read_status(path, path.parent.parent)
    return [p.format() for p in problems]


def status_path(args: argparse.Namespace) -> Path | None:
    if args.no_status:
        return None
    if args.status is not None:
        return args.status
    # A partial list must not wipe the history of every other link.
    return None if args.urls is not None else args.data / "link_status.yaml"


# Failures where no server answered at all. When every URL on several hosts fails this way, the
# fault is the checking machine's network (no internet, a runner abroad that is blocked), not the
# schools': recording it would announce every link broken after two such nights.
NO_ANSWER = {"dns", "refused", "connection_error", "timeout", "tls_handshake"}


def looks_offline(results) -> bool:
    hosts = {urlsplit(r.url).hostname for r in results}
    return len(hosts) >= 2 and all(r.verdict == BROKEN and r.reason_code in NO_ANSWER for r in results)


def say(text: str) -> None:
    """A message on stderr: one inert line per line of ours (what it quotes may come from outside)."""
    print("\n".join(log_line(line) for line in str(text).split("\n")), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.urls is not None:
            urls, owners = group_owners((u, "") for u in read_url_file(args.urls))
        else:
            urls, owners = data_urls(args.data)
    except (OSError, ImportError, ValueError) as exc:
        say(f"Не удалось получить список ссылок: {exc}")
        return 2
    path = status_path(args)
    if path is not None:
        damaged = history_problems(path)
        if damaged:
            say("История проверок повреждена, проверка не запущена:\n" + "\n".join(damaged))
            return 2
    config = CheckConfig(
        timeout=args.timeout, per_host=args.per_host, workers=args.workers,
        max_runtime=args.max_runtime, ca_bundle=args.ca_bundle,
        allow_private_addresses=args.allow_private_addresses,
        host_budget=args.host_budget, host_timeouts=args.host_timeouts,
    )
    started = time.monotonic()
    try:
        previous = load_history(path) if path is not None else {}
    except (OSError, ValueError) as exc:
        say(f"Не удалось прочитать историю {path}: {exc}")
        return 2
    try:
        # Least recently checked first: a night that cannot check everything checks the oldest.
        results = check_urls(urls, config, last_checked={u: e.get("last_checked") for u, e in previous.items()})
    except (OSError, ValueError) as exc:  # e.g. an unreadable --ca-bundle
        say(f"Проверка не запущена: {exc}")
        return 2
    seconds = time.monotonic() - started

    for line in human_lines(results, owners):
        print(line)
    print(summary_line(results, seconds))

    if args.json is not None:
        write_json(args.json, results, owners)
    if looks_offline(results):
        say("Ни один сайт не ответил (ни одного ответа по сети): похоже, у этого компьютера нет доступа к "
            "сайтам. История ссылок не изменена — запустите проверку там, где сайты доступны "
            "(см. README, «self-hosted runner»).")
        return 2
    history = None
    if path is not None:
        history = update_history(previous, results, datetime.now(timezone.utc).date())
        try:
            # Written beside the old file, read back by the site's own reader, only then put in place.
            save_history(path, history, verify=readback_problems)
        except HistoryRejected as exc:
            say(f"История ссылок не записана: новый файл не прочитался так, как его прочтёт сайт; "
                f"прежний {path} не изменён.\n" + "\n".join(exc.problems))
            return 2
        except OSError as exc:
            say(f"История ссылок не записана ({path}): {exc}")
            return 2
    if args.issue_md is not None:
        text = issue_markdown(history if history is not None else history_from_results(results), owners)
        args.issue_md.write_text(text, encoding="utf-8")

    verdicts = {r.verdict for r in results}
    if BROKEN in verdicts or (args.fail_on_warning and WARNING in verdicts):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
