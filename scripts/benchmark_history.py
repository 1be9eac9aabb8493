"""Замер страницы «Что изменилось» на синтетической истории: сколько времени и памяти занимает чтение
истории data/ (amp.changelog.read_history) и вся сборка, когда у данных 1 000 коммитов, — рядом, в том
же запуске, те же этапы без истории (папка .git убрана: эталон).

    python scripts/benchmark_history.py [--commits 1000] [--large 0] [--data data] [--repeat 5] [--work ПАПКА]

История строится git fast-import поверх копии проекта: каждая правка меняет один файл школы
(примечание или уровень), каждая пятая приходит через боковую ветку и слияние --no-ff. С --large N
среди последних ста правок N пишут в файл школы примечание почти в 2 МиБ (столько ещё читается), а
первая из них — файл в 50 МиБ; последний коммит возвращает эти файлы к обычным. Каждый этап —
отдельным процессом: секунды (медиана повторов), пик памяти процесса; для read_history ещё и пик памяти
Python во время вызова (tracemalloc, отдельным запуском: он замедляет). Печатает таблицу Markdown.
Время проверяется здесь, а не в тестах: на общей машине оно плавает.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmark import PYTHON, ROOT, mb, run, work_folder  # noqa: E402  (one way of measuring a stage for every benchmark)

START = 1_704_060_000  # 2024-01-01: one change an hour from here

# Run in a child process: the stage's own figures, as JSON on the last line.
STAGE = """
import json, sys, time, tracemalloc
sys.path.insert(0, {scripts!r})
from pathlib import Path
from amp.build import prepare
from amp.changelog import read_history
data = Path({data!r})
if {traced!r}:
    tracemalloc.start()
start = time.monotonic()
if {stage!r} == "history":
    history = read_history(data)
    told = (history.known, len(history.entries), sum(len(e.lines) for e in history.entries))
else:
    build, problems = prepare(data)
    assert build is not None, [p.format() for p in problems]
    told = (build.history.known, len(build.history.entries), len(build.files))
seconds = time.monotonic() - start
peak = tracemalloc.get_traced_memory()[1] if {traced!r} else 0
print(json.dumps({{"seconds": seconds, "traced": peak, "told": told}}))
"""


def project_copy(target: Path, data: Path) -> Path:
    """The site's sources with `data` as data/, as a fresh checkout has them."""
    target.mkdir(parents=True)
    for name in ("mkdocs.yml", "overrides", "scripts", "docs"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target / name)
    shutil.copytree(data, target / "data", ignore=shutil.ignore_patterns("link_status.yaml"))
    return target


def git(project: Path, *args: str, stdin: bytes | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Координатор", "GIT_AUTHOR_EMAIL": "c@example.org",
           "GIT_COMMITTER_NAME": "Координатор", "GIT_COMMITTER_EMAIL": "c@example.org",
           "GIT_AUTHOR_DATE": f"@{START - 86400} +0300", "GIT_COMMITTER_DATE": f"@{START - 86400} +0300"}
    done = subprocess.run(["git", "-C", str(project), *args], input=stdin, capture_output=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)}: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode()


def history(project: Path, commits: int, large: int = 0) -> tuple[int, int]:
    """`commits` commits after the first one (one more with --large); returns (commits made, merges)."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Данные")
    schools = sorted((project / "data" / "schools").glob("*.yaml"))
    records = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in schools}
    # Streamed into fast-import as it is made: this process stays small, and the peak memory of each
    # measured child (which starts as a copy of it) is the child's own.
    importer = subprocess.Popen(["git", "-C", str(project), "fast-import", "--quiet", "--force"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    made, merges, change, mark = 0, 0, 0, 0

    def block(branch: str, parent: str, message: str, files: list[tuple[Path, bytes]], merge: str = "") -> str:
        nonlocal mark, made
        mark, made = mark + 1, made + 1
        text = message.encode()
        importer.stdin.write(f"commit refs/heads/{branch}\nmark :{mark}\n"
                      f"committer Координатор <c@example.org> {START + made * 3600} +0300\n".encode()
                      + f"data {len(text)}\n".encode() + text + f"\nfrom {parent}\n".encode()
                      + (f"merge {merge}\n".encode() if merge else b""))
        for path, body in files:
            importer.stdin.write(f"M 100644 inline data/schools/{path.name}\ndata {len(body)}\n".encode() + body + b"\n")
        importer.stdin.write(b"\n")
        return f":{mark}"

    main, oversized = "refs/heads/main^0", set()
    while made < commits:
        path = schools[change % len(schools)]
        record = records[path]
        if change % 2 or not record["participations"]:
            record["note"] = f"Правка № {change}"
        else:
            group = record["participations"][0]
            group["level"] = 1 if group["level"] != 1 else 2
        body = yaml.safe_dump(record, allow_unicode=True, sort_keys=False).encode()
        big = commits - 90 <= made < commits - 90 + large
        if big:  # just under the reader's 2 MiB, the first one far over it
            size = 50 * 1024 * 1024 if made == commits - 90 else 2 * 1024 * 1024 - 64 * 1024
            body = yaml.safe_dump({k: v for k, v in record.items() if k != "note"}, allow_unicode=True,
                                  sort_keys=False).encode() + b"note: " + "ю".encode() * (size // 2) + b"\n"
            oversized.add(path)
        else:
            oversized.discard(path)
        change += 1
        if change % 5 == 0 and made + 2 <= commits and not big:  # through a side branch, merged --no-ff
            side = block("side", main, f"Правка {change} на ветке", [(path, body)])
            main = block("main", main, f"Слияние правки {change}", [(path, body)], merge=side)
            merges += 1
        else:
            main = block("main", main, f"Правка {change}", [(path, body)])
    if oversized:  # today's data stays ordinary: only its history holds the large versions
        main = block("main", main, "Обычные файлы", [(p, yaml.safe_dump(records[p], allow_unicode=True,
                                                                         sort_keys=False).encode()) for p in sorted(oversized)])
    importer.stdin.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import не удался")
    git(project, "reset", "-q", "--hard", "main")
    return made, merges


def stage(project: Path, kind: str, traced: bool = False) -> tuple[float, int, dict]:
    """(seconds inside the child, its peak resident memory, its own figures)."""
    code = STAGE.format(scripts=str(project / "scripts"), data=str(project / "data"), stage=kind, traced=traced)
    measured = run([PYTHON, "-c", code], cwd=project, env=environment(project))
    figures = json.loads(measured.output.strip().splitlines()[-1])
    return figures["seconds"], measured.peak, figures


def site(project: Path) -> tuple[float, int]:
    """The whole build as `make site` runs it: mkdocs build --strict, then the search index."""
    shutil.rmtree(project / "site", ignore_errors=True)
    env = {**environment(project), "AMP_SEARCH_INDEX": "separate", "NO_MKDOCS_2_WARNING": "1"}
    build = run([PYTHON, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", "site"], cwd=project, env=env)
    index = run([PYTHON, "scripts/search_index.py", "site"], cwd=project, env=env)
    return build.seconds + index.seconds, max(build.peak, index.peak)


def environment(project: Path) -> dict[str, str]:
    # Git must not find a repository above the copy (the benchmark may run inside a checkout).
    return {**os.environ, "GIT_CEILING_DIRECTORIES": str(project.parent)}



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--large", type=int, default=0, help="правок с файлами почти в 2 МиБ (и одна в 50 МиБ)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", type=Path, help="папка для копии проекта (по умолчанию временная)")
    parser.add_argument("--make-history", type=Path, help=argparse.SUPPRESS)  # the child that writes the history
    args = parser.parse_args(argv)
    if args.make_history:
        print(*history(args.make_history, args.commits, args.large))
        return 0
    with work_folder(args.work, "amp-history-") as work:
        project = project_copy(work / "project", args.data.resolve())
        # A child makes the history: the 50 MiB text of --large never passes through this process, whose
        # peak memory every measured child would otherwise inherit (ru_maxrss counts it across fork and exec).
        made, merges = map(int, subprocess.run(
            [PYTHON, __file__, "--make-history", str(project), "--commits", str(args.commits), "--large", str(args.large)],
            check=True, capture_output=True, text=True).stdout.split())
        print(f"История: {made} коммитов после первого, из них {merges} слияний --no-ff; данные: {args.data}"
              + (f"; {args.large} правок с большими файлами" if args.large else ""), flush=True)

        timings: dict[tuple[str, bool], list[tuple[float, int]]] = {}
        traced: dict[bool, int] = {}
        told: dict[bool, list] = {}
        for number in range(args.repeat):
            for with_history in (True, False):  # side by side in every round: the machine's load hits both
                if not with_history:
                    (project / ".git").rename(project / ".git-off")
                try:
                    for kind in ("history", "prepare"):
                        seconds, peak, figures = stage(project, kind)
                        timings.setdefault((kind, with_history), []).append((seconds, peak))
                        if kind == "history":
                            told[with_history] = figures["told"]
                    timings.setdefault(("site", with_history), []).append(site(project))
                    if number == 0:
                        traced[with_history] = stage(project, "history", traced=True)[2]["traced"]
                finally:
                    if not with_history:
                        (project / ".git-off").rename(project / ".git")
            print(f"повтор {number + 1} из {args.repeat} готов", flush=True)

        known, entries, lines = told[True]
        print(f"\nС историей: история {'прочитана' if known else 'НЕ прочитана'}, записей на странице {entries}, "
              f"строк {lines}; без .git — история {'прочитана' if told[False][0] else 'неизвестна'}.\n")
        print(f"| Этап (медиана {args.repeat} повторов; пик памяти процесса) | с историей ({made} коммитов) "
              "| без истории (эталон) | разница |")
        print("|---|---|---|---|")
        names = {"history": "история «Что изменилось» (read_history)", "prepare": "страницы в памяти (amp.build.prepare)",
                 "site": "сайт целиком, как make site"}
        for kind, name in names.items():
            cells = []
            for with_history in (True, False):
                runs = timings[(kind, with_history)]
                cells.append((statistics.median(s for s, _ in runs), statistics.median(p for _, p in runs)))
            (seconds, peak), (bare_seconds, bare_peak) = cells
            print(f"| {name} | {seconds:.2f} с; {mb(peak)} | {bare_seconds:.2f} с; {mb(bare_peak)} "
                  f"| {seconds - bare_seconds:+.2f} с; {(peak - bare_peak) / 1024 / 1024:+.0f} МБ |")
        print(f"| пик памяти Python во время read_history (tracemalloc) | {traced[True] / 1024 / 1024:.1f} МБ "
              f"| {traced[False] / 1024 / 1024:.1f} МБ | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
