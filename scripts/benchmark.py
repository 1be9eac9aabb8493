"""Замер сборки сайта на синтетических данных: сколько времени и памяти занимает каждый этап и что
получает читатель — при 100, 1 000 и 10 000 школ.

    python scripts/benchmark.py [--sizes 100 1000 10000] [--work ПАПКА] [--no-serve]

Для каждого размера: данные (scripts/synthetic_data.py) → проверка (validate.py) → создание страниц в
памяти (amp.build.prepare) → сборка сайта, как в `make site` (mkdocs build --strict, затем индекс поиска
scripts/search_index.py) → индекс поиска отдельно (Pagefind по готовому сайту) → рядом, в том же
запуске, «голая» сборка mkdocs + Material тех же страниц (эталон: цель — не дольше 1,2 эталона). Память
этапа — пик самого большого процесса и пик всех его процессов сразу (сборка ветвится; замер дважды в
секунду, общие страницы памяти считаются один раз). Затем размеры страниц, сколько байт скачивает
посещение с одним поиском (настоящий Chromium) и через сколько секунд правка одной школы видна в
`mkdocs serve`. Печатает таблицы Markdown (их можно вставить в README).
Цели проекта проверяются здесь, а не в тестах: на общей машине время плавает.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from amp import bundle  # noqa: E402  (which stylesheets and scripts the site joins)

PYTHON = sys.executable
MKDOCS_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# Цели из задачи (10 000 школ, 2 ядра).
TARGET_RATIO = 1.2
TARGET_MEMORY = 1.5 * 1024 ** 3
TARGET_SCHOOL_PAGE = 40 * 1024
TARGET_PAGE = 400 * 1024
TARGET_VISIT = 800 * 1024
TARGET_SERVE = 5.0

SITE = "сайт целиком, как make site"
BARE = "эталон: голый mkdocs + Material, те же страницы"
SAME_THEME = "эталон: наш mkdocs.yml без данных и Pagefind, те же страницы"


@dataclass
class Stage:
    seconds: float
    peak: int  # bytes, the largest process of the stage
    output: str = ""
    together: int = 0  # bytes, the most all its processes held at once (sampled, proportional set size)


@dataclass
class Result:
    schools: int
    stages: dict[str, Stage] = field(default_factory=dict)
    figures: dict[str, object] = field(default_factory=dict)


def run(command: list[str], cwd: Path = ROOT, env: dict | None = None, expected: int = 0) -> Stage:
    """One stage in its own process: wall time, the peak resident memory of its largest process, and
    the most memory all its processes (a build forks, Pagefind runs beside it) held at once. `expected`:
    the exit code of success (a stage that measures a refusal expects its non-zero code)."""
    start = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env or MKDOCS_ENV, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    sampler = MemorySampler(process.pid)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - start
    together = sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != expected:
        raise SystemExit(f"этап не удался ({' '.join(command)}):\n{output[-3000:]}")
    # ru_maxrss: Linux kilobytes, the largest process of the tree.
    return Stage(seconds, usage.ru_maxrss * 1024, output, max(together, usage.ru_maxrss * 1024))


class MemorySampler(threading.Thread):
    """Twice a second: the proportional set size (shared pages counted once) of a process and all its
    descendants, summed; `stop` returns the largest sum seen."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.largest, self._done = pid, 0, threading.Event()
        self.start()

    def run(self) -> None:
        while not self._done.wait(0.5):
            self.largest = max(self.largest, sum(_pss(pid) for pid in _tree(self.pid)))

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.largest


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


GENERATE = """
import json, sys, time
sys.path.insert(0, {scripts!r})
from pathlib import Path
from amp.load import load
from amp.build import prepare
start = time.monotonic()
found, problems = prepare(Path({data!r}))
assert found is not None
pages = {{k: v for k, v in found.files.items() if k.endswith(".md")}}
print(json.dumps({{"seconds": time.monotonic() - start, "pages": len(pages),
                  "markdown": sum(len(v.encode()) for v in pages.values())}}))
if {export!r}:
    root = Path({export!r})
    for path, text in pages.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
"""


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it: `!ENV [NAME, default]` is the variable's value or the default."""


def _env(loader: yaml.SafeLoader, node: yaml.Node):
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    default = names.pop() if len(names) > 1 else None
    return next((os.environ[n] for n in names if n in os.environ), default)


_ConfigLoader.add_constructor("!ENV", _env)


def bare_project(target: Path, pages: Path, same_theme: bool) -> Path:
    """Эталон: те же страницы Markdown, заранее записанные в docs/, и то же меню — без данных, хука,
    макросов и Pagefind; поиск — встроенный поиск Material, как у любого сайта на этой теме.

    same_theme=False: «голый» mkdocs + Material (тема без настроек и расширений Markdown);
    same_theme=True: наш mkdocs.yml (функции темы, палитра, расширения Markdown, стили и скрипты)."""
    docs = target / "docs"
    shutil.copytree(pages, docs)
    for path in (ROOT / "docs").rglob("*"):
        if path.is_file():
            (docs / path.relative_to(ROOT / "docs")).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, docs / path.relative_to(ROOT / "docs"))
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    ours = yaml.load(text.replace("!!python/object/apply:", "#"), Loader=_ConfigLoader)
    if same_theme:
        shutil.copytree(ROOT / "overrides", target / "overrides")
        # Overrides that reach the theme's own partial as «material/…» need the hook's loader (amp/navcache.py:
        # the menu drawn once per folder, the footer): without it, the theme's own partials.
        for path in (target / "overrides").rglob("*.html"):
            if '"material/' in path.read_text(encoding="utf-8"):
                path.unlink()
        config = {key: value for key, value in ours.items() if key not in ("hooks", "plugins", "watch")}
        config["plugins"] = ["search"]
        config["markdown_extensions"] = [e for e in ours["markdown_extensions"] if e != "toc" and not (isinstance(e, dict) and "toc" in e)]
        config["markdown_extensions"].append({"toc": {"permalink": True}})
        config["strict"] = False
        # The hook joins our stylesheets and scripts into one file each (amp/bundle.py); without it,
        # the same files are linked one by one.
        config["extra_css"] = bundle.sources(docs, bundle.STYLESHEET)
        config["extra_javascript"] = [{"path": path, "defer": True} for path in bundle.sources(docs, bundle.SCRIPT)]
    else:
        config = {"site_name": "Эталон", "theme": {"name": "material", "language": "ru"}, "nav": ours["nav"]}
    (target / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return target


def sizes(site: Path) -> dict[str, object]:
    pages = [(p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")]
    schools = sorted(size for size, path in pages if path.startswith("schools/") and path.count("/") == 2
                     and path != "schools/index.html")
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    largest = max(pages)
    p99 = schools[min(len(schools) - 1, int(len(schools) * 0.99))] if schools else 0
    return {"site_bytes": total, "pages": len(pages), "largest": largest[0], "largest_page": largest[1],
            "school_p99": p99, "school_max": schools[-1] if schools else 0,
            "over_400kb": sum(1 for size, _ in pages if size > TARGET_PAGE),
            "index_bytes": sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())}


def visit(site: Path, query: str) -> dict[str, int]:
    """A reader opens a school page and searches once, in Chromium: bytes of every response
    (as served here, uncompressed; GitHub Pages compresses text further)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from browsing import chromium, open_tab, search, served

    school = next(p.parent.name for p in sorted(site.glob("schools/*/index.html")))
    with chromium() as browser, served(site) as url:
        tab = open_tab(browser)
        tab.goto(f"{url}/schools/{school}/")
        tab.wait_for_load_state("networkidle")
        opened = len(tab.responses)
        found = search(tab, query)
        tab.wait_for_load_state("networkidle")
        page = sum(len(r.body()) for r in tab.responses[:opened])
        searched = sum(len(r.body()) for r in tab.responses[opened:])
        tab.context.close()
    return {"results": len(found), "page_bytes": page, "search_bytes": searched, "visit_bytes": page + searched}


def serve_edit(data: Path, site_dir: Path, edits: int = 3) -> float:
    """Seconds from saving an edited school file until `mkdocs serve --dirty` (make serve) serves the
    change: the median of a few edits a few seconds apart, as a coordinator makes them."""
    school = sorted((data / "schools").glob("*.yaml"))[len(list((data / "schools").glob("*.yaml"))) // 2]
    env = {**MKDOCS_ENV, "AMP_DATA": str(data)}
    port = 8765 + os.getpid() % 1000
    server = subprocess.Popen([PYTHON, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "--dev-addr",
                               f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/schools/{school.stem}/"
    original = school.read_text(encoding="utf-8")
    seconds = []
    try:
        wait_for(url, lambda body: True, limit=1800)
        for edit in range(edits):
            marker = f"Правка для замера {edit} {time.time_ns()}"
            edited = original.replace("\nname: ", f"\nnote: {marker}\nname: ", 1) if "\nnote:" not in original \
                else original.replace("\nnote: ", f"\nnote: {marker} ", 1)
            time.sleep(5)  # the watcher settles; a coordinator reads the page before the next edit
            start = time.monotonic()
            school.write_text(edited, encoding="utf-8")
            wait_for(url, lambda body: marker in body, limit=600)
            seconds.append(time.monotonic() - start)
        return sorted(seconds)[len(seconds) // 2]
    finally:
        school.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)


def wait_for(url: str, ready, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ready(response.read().decode("utf-8")):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"страница {url} не появилась за {limit:.0f} с")


def measure(schools: int, work: Path, serve: bool) -> Result:
    result = Result(schools)
    data, pages, site, bare = work / "data", work / "pages", work / "site", work / "bare"
    for folder in (data, pages, site, bare):
        shutil.rmtree(folder, ignore_errors=True)
    scripts = str(ROOT / "scripts")
    print(f"\n== {schools} школ: данные, проверка, страницы, сборка, индекс, эталон ==", file=sys.stderr)
    result.stages["данные (synthetic_data.py)"] = run([PYTHON, str(ROOT / "scripts" / "synthetic_data.py"),
                                                       "--schools", str(schools), "--out", str(data)])
    result.stages["проверка (validate.py)"] = run([PYTHON, str(ROOT / "scripts" / "validate.py"), "--data", str(data)])
    generated = run([PYTHON, "-c", GENERATE.format(scripts=scripts, data=str(data), export=str(pages))])
    facts = json.loads(generated.output.strip().splitlines()[-1])
    generated.seconds = facts["seconds"]  # without writing the pages out for the reference build
    result.stages["страницы в памяти (amp.build.prepare)"] = generated
    # As `make site`: MkDocs, then the search index once MkDocs has exited (see the Makefile).
    result.stages[SITE] = run(["sh", "-c", shlex.join(
        [PYTHON, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)]) + " && " + shlex.join(
        [PYTHON, str(ROOT / "scripts" / "search_index.py"), str(site)])],
        env={**MKDOCS_ENV, "AMP_DATA": str(data), "AMP_SEARCH_INDEX": "separate"})
    result.stages["индекс поиска отдельно (Pagefind по готовому сайту)"] = run(
        [PYTHON, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind-again", "--force-language", "ru",
         "--exclude-selectors", ".headerlink", "--quiet"])
    shutil.rmtree(site / "pagefind-again", ignore_errors=True)
    result.stages[BARE] = run([PYTHON, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(bare / "site")],
                              cwd=bare_project(bare, pages, same_theme=False))
    shutil.rmtree(bare, ignore_errors=True)
    result.stages[SAME_THEME] = run([PYTHON, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(bare / "site")],
                                    cwd=bare_project(bare, pages, same_theme=True))
    result.figures.update(sizes(site))
    result.figures["pages_generated"] = facts["pages"]
    query = "Каменский район" if schools >= 1000 else "школа"
    result.figures.update(visit(site, query))
    result.figures["query"] = query
    if serve:
        result.figures["serve_edit_seconds"] = serve_edit(data, site)
    shutil.rmtree(bare, ignore_errors=True)
    shutil.rmtree(pages, ignore_errors=True)
    return result


def kb(size: int) -> str:
    return f"{size / 1024:,.0f} КБ".replace(",", " ")


@contextlib.contextmanager
def work_folder(given: Path | None, prefix: str):
    """A benchmark's working folder: the one given with --work (kept afterwards), or a temporary one,
    removed afterwards even when the benchmark fails."""
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield given
        return
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def mb(size: int) -> str:
    return f"{size / 1024 ** 2:,.0f} МБ".replace(",", " ")


def report(results: list[Result]) -> None:
    print("\n### Этапы: секунды; пик памяти самого большого процесса / всех процессов этапа сразу\n")
    names = list(results[0].stages)
    print("| Этап | " + " | ".join(f"{r.schools} школ" for r in results) + " |")
    print("|---|" + "---|" * len(results))
    for name in names:
        print(f"| {name} | " + " | ".join(
            f"{r.stages[name].seconds:.1f} с; {mb(r.stages[name].peak)} / {mb(r.stages[name].together)}"
            for r in results) + " |")
    print("\n### Что получается\n")
    rows = [
        ("сайт целиком / голый mkdocs + Material (цель ≤ 1,2)", lambda r: f"{ratio(r, BARE):.2f}"),
        ("сайт целиком / наш mkdocs.yml без данных и Pagefind", lambda r: f"{ratio(r, SAME_THEME):.2f}"),
        ("пик памяти сборки: все процессы сразу (цель ≤ 1,5 ГБ)", lambda r: mb(r.stages[SITE].together)),
        ("пик памяти сборки: самый большой процесс", lambda r: mb(r.stages[SITE].peak)),
        ("страниц HTML", lambda r: str(r.figures["pages"])),
        ("размер сайта", lambda r: mb(r.figures["site_bytes"])),
        ("из них индекс поиска", lambda r: mb(r.figures["index_bytes"])),
        ("самая большая страница (цель ≤ 400 КБ)", lambda r: f"{kb(r.figures['largest'])} ({r.figures['largest_page']})"),
        ("страниц больше 400 КБ", lambda r: str(r.figures["over_400kb"])),
        ("страница школы, 99-й процентиль", lambda r: kb(r.figures["school_p99"])),
        ("страница школы, самая большая (цель ≤ 40 КБ)", lambda r: kb(r.figures["school_max"])),
        ("посещение: страница школы", lambda r: kb(r.figures["page_bytes"])),
        ("посещение: один поиск (индекс и выдача)", lambda r: f"{kb(r.figures['search_bytes'])} («{r.figures['query']}», "
                                                          f"показано {r.figures['results']})"),
        ("посещение с одним поиском, всего (цель ≤ 800 КБ)", lambda r: kb(r.figures["visit_bytes"])),
    ]
    if all("serve_edit_seconds" in r.figures for r in results):
        rows.append(("правка школы видна в make serve, медиана трёх правок (цель ≤ 5 с)", lambda r: f"{r.figures['serve_edit_seconds']:.1f} с"))
    print("| | " + " | ".join(f"{r.schools} школ" for r in results) + " |")
    print("|---|" + "---|" * len(results))
    for title, value in rows:
        print(f"| {title} | " + " | ".join(value(r) for r in results) + " |")
    sys.stdout.flush()


def ratio(result: Result, reference: str) -> float:
    return result.stages[SITE].seconds / result.stages[reference].seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Замер сборки сайта на синтетических данных")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000], help="сколько школ")
    parser.add_argument("--work", type=Path, help="рабочая папка (по умолчанию временная, удаляется)")
    parser.add_argument("--no-serve", action="store_true", help="не замерять правку в mkdocs serve")
    args = parser.parse_args(argv)
    results = []
    with work_folder(args.work, "amp-benchmark-") as work:
        for schools in args.sizes:
            results.append(measure(schools, work / str(schools), serve=not args.no_serve))
            report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
