"""Lighthouse на шести страницах сайта и на тех же страницах «голого» mkdocs + Material — в одном запуске.

    python scripts/benchmark_lighthouse.py [--data data] [--runs 3] [--tools ПАПКА] [--work ПАПКА]

Собирает сайт из data/, как `make site` (mkdocs build --strict, затем индекс поиска), и эталон: те же
страницы Markdown, собранные mkdocs + Material без хука, переопределений темы, своих стилей и скриптов
(scripts/benchmark.py, bare_project). Обе копии раздаются с 127.0.0.1 сжатыми (gzip), как их отдаёт GitHub
Pages, и Lighthouse (закреплённая версия ниже, из npm; Node 20) проверяет в Debian Chromium главную, страницу
школы, муниципалитета, мониторинга, список школ и «Открытые данные» каждой копии: телефон, имитация медленной сети и процессора
(simulated throttling, как в PageSpeed Insights). При --runs N замеры идут кругами: в каждом круге каждая
страница сайта и эталона, попеременно (в нечётных кругах эталон первым), чтобы перемены в загрузке машины
ложились на обе копии поровну. Печатает таблицу Markdown (её можно вставить в README): в каждой ячейке
«сайт / эталон», медиана N замеров; время — в мс. Под ней — время блокировки по замерам (видно, насколько оно
плавает) и цели задачи: первая отрисовка не позже эталонной больше чем на 50 мс, время блокировки на
страницах мониторинга и «Открытых данных» не выше эталонного, список школ — не ниже 98.

Lighthouse ставится один раз (`npm install --prefix ПАПКА lighthouse@ВЕРСИЯ`) в папку вне проекта
(по умолчанию ~/.cache/amp-lighthouse/). Это замер, а не тест: на общей машине цифры плавают.
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

from benchmark import GENERATE, MKDOCS_ENV, PYTHON, ROOT, bare_project, run, work_folder

LIGHTHOUSE = "12.8.2"  # закреплено: другие версии считают оценки иначе
NODE_MAJOR = 20
CHROMIUM = "/usr/bin/chromium"
# Only the local copies are reachable: the bare theme's Google Fonts fail at once, as for a reader
# offline, and the run never reaches the internet (our site loads nothing from other servers).
CHROME_FLAGS = '--headless=new --no-sandbox --disable-gpu --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"'
TOOLS = Path.home() / ".cache" / "amp-lighthouse" / f"lighthouse-{LIGHTHOUSE}"

CATEGORIES = {"performance": "Производительность", "accessibility": "Доступность",
              "best-practices": "Рекомендации", "seo": "SEO"}
# Audit id → (column, how the value is shown).
METRICS = {
    "first-contentful-paint": ("FCP, мс", lambda v: f"{v:.0f}"),
    "largest-contentful-paint": ("LCP, мс", lambda v: f"{v:.0f}"),
    "total-blocking-time": ("TBT, мс", lambda v: f"{v:.0f}"),
    "cumulative-layout-shift": ("CLS", lambda v: f"{v:.3f}"),
    "total-byte-weight": ("Вес, КБ", lambda v: f"{v / 1024:.0f}"),
}


def lighthouse(tools: Path) -> Path:
    """The Lighthouse command line of the pinned version, installed from npm on first use."""
    version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    if not version.startswith(f"v{NODE_MAJOR}."):
        raise SystemExit(f"Нужен Node {NODE_MAJOR}, найден: {version or 'не установлен'}")
    cli = tools / "node_modules" / "lighthouse" / "cli" / "index.js"
    package = tools / "node_modules" / "lighthouse" / "package.json"
    if not cli.is_file() or json.loads(package.read_text(encoding="utf-8")).get("version") != LIGHTHOUSE:
        tools.mkdir(parents=True, exist_ok=True)
        print(f"Установка Lighthouse {LIGHTHOUSE} в {tools} …", file=sys.stderr)
        subprocess.run(["npm", "install", "--prefix", str(tools), "--no-audit", "--no-fund", "--loglevel=error",
                        f"lighthouse@{LIGHTHOUSE}"], check=True)
    return cli


def build(data: Path, work: Path) -> tuple[Path, Path]:
    """The site as `make site` builds it, and the bare reference of the same pages."""
    site, pages, bare = work / "site", work / "pages", work / "bare"
    for folder in (site, pages, bare):
        shutil.rmtree(folder, ignore_errors=True)
    print("Сборка сайта и эталона …", file=sys.stderr)
    run([PYTHON, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        env={**MKDOCS_ENV, "AMP_DATA": str(data), "AMP_SEARCH_INDEX": "separate"})
    run([PYTHON, str(ROOT / "scripts" / "search_index.py"), str(site)])
    run([PYTHON, "-c", GENERATE.format(scripts=str(ROOT / "scripts"), data=str(data), export=str(pages))])
    run([PYTHON, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(bare / "site")],
        cwd=bare_project(bare, pages, same_theme=False))
    return site, bare / "site"


def chosen_pages(site: Path) -> dict[str, str]:
    """The measured pages: the first school, municipality and monitoring table by address."""
    def first(folder: str) -> str:
        found = sorted(p.parent.name for p in site.glob(f"{folder}/*/index.html"))
        if not found:
            raise SystemExit(f"в собранном сайте нет страниц {folder}/…")
        return f"{folder}/{found[0]}/"

    return {"главная": "", "школа": first("schools"), "муниципалитет": first("municipalities"),
            "мониторинг": first("monitoring"), "список школ": "schools/", "открытые данные": "open-data/"}


def audit(cli: Path, url: str, work: Path) -> dict[str, float]:
    report = work / "report.json"
    report.unlink(missing_ok=True)
    done = subprocess.run(
        ["node", str(cli), url, "--quiet", "--output=json", f"--output-path={report}",
         f"--chrome-flags={CHROME_FLAGS}", "--form-factor=mobile", "--throttling-method=simulate",
         f"--only-categories={','.join(CATEGORIES)}"],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True)
    if done.returncode != 0 or not report.is_file():
        raise SystemExit(f"Lighthouse не проверил {url}:\n{done.stderr[-2000:]}")
    result = json.loads(report.read_text(encoding="utf-8"))
    if result.get("runtimeError"):
        raise SystemExit(f"Lighthouse не проверил {url}: {result['runtimeError'].get('message')}")
    figures = {key: result["categories"][key]["score"] * 100 for key in CATEGORIES}
    figures.update({key: result["audits"][key]["numericValue"] for key in METRICS})
    return figures


def measure(cli: Path, pages: dict[str, str], site: Path, bare: Path, runs: int, work: Path) -> dict:
    """Every figure of every run, by (page, copy): the copies take turns within each round."""
    sys.path.insert(0, str(ROOT / "tests"))
    from browsing import served

    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    with served(site, compressed=True) as ours, served(bare, compressed=True) as reference:
        copies = [("сайт", ours), ("эталон", reference)]
        for round_ in range(runs):
            for name, path in pages.items():
                for copy, base in copies if round_ % 2 == 0 else copies[::-1]:
                    print(f"Lighthouse, круг {round_ + 1} из {runs}: {name} ({copy}) …", file=sys.stderr)
                    results.setdefault((name, copy), []).append(audit(cli, f"{base}/{path}", work))
    return results


def median(measured: list[dict[str, float]], key: str) -> float:
    return statistics.median(m[key] for m in measured)


# The goals: (what is checked, on which pages, whether a page's site and reference medians meet it).
GOALS = [
    ("первая отрисовка (FCP) не позже эталонной больше чем на 50 мс", None,
     lambda ours, bare: (ours["first-contentful-paint"] - bare["first-contentful-paint"] <= 50,
                         f"{ours['first-contentful-paint'] - bare['first-contentful-paint']:+.0f} мс")),
    ("время блокировки (TBT) не выше эталонного", ("мониторинг", "открытые данные"),
     lambda ours, bare: (ours["total-blocking-time"] <= bare["total-blocking-time"],
                         f"{ours['total-blocking-time']:.0f} / {bare['total-blocking-time']:.0f} мс")),
    ("производительность не ниже 98", ("список школ",),
     lambda ours, bare: (ours["performance"] >= 98, f"{ours['performance']:.0f}")),
]


def versions() -> str:
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return f"Lighthouse {LIGHTHOUSE}, {chromium}, Node {node}"


def report(results: dict, pages: dict[str, str], runs: int, tools: str) -> str:
    """The Markdown table of medians, the blocking time of every run and the goals, met or not."""
    medians = {cell: {key: median(measured, key) for key in measured[0]} for cell, measured in results.items()}
    columns = [*CATEGORIES.values(), *(title for title, _ in METRICS.values())]
    lines = [f"{tools}; телефон, simulated throttling; "
             f"{f'медиана {runs} попеременных замеров' if runs > 1 else 'один замер'}. В ячейке: сайт / эталон.", "",
             "| Страница | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for name, path in pages.items():
        ours, bare = medians[name, "сайт"], medians[name, "эталон"]
        cells = [f"{ours[key]:.0f} / {bare[key]:.0f}" for key in CATEGORIES]
        cells += [f"{shown(ours[key])} / {shown(bare[key])}" for key, (_, shown) in METRICS.items()]
        lines.append(f"| {name} (`/{path}`) | " + " | ".join(cells) + " |")
    if runs > 1:
        lines += ["", "Время блокировки по замерам, мс (сайт; эталон):"]
        for name in pages:
            runs_of = [" ".join(f"{m['total-blocking-time']:.0f}" for m in results[name, copy])
                       for copy in ("сайт", "эталон")]
            lines.append(f"- {name}: {runs_of[0]}; {runs_of[1]}")
    lines += ["", "Цели:"]
    for goal, only, check in GOALS:
        verdicts = []
        for name in only or pages:
            met, figure = check(medians[name, "сайт"], medians[name, "эталон"])
            verdicts.append(f"{name} {figure} — {'да' if met else 'нет'}")
        lines.append(f"- {goal}: " + "; ".join(verdicts))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lighthouse: сайт рядом с голым mkdocs + Material")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="папка с данными (по умолчанию data/)")
    parser.add_argument("--runs", type=int, default=3, help="кругов замеров (медиана; по умолчанию 3)")
    parser.add_argument("--tools", type=Path, default=TOOLS, help="куда ставить Lighthouse из npm")
    parser.add_argument("--work", type=Path, help="рабочая папка (по умолчанию временная, удаляется)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).is_file():
        raise SystemExit(f"Нет Chromium ({CHROMIUM}): apt-get install chromium")
    cli = lighthouse(args.tools)
    with work_folder(args.work, "amp-lighthouse-") as work:
        site, bare = build(args.data.resolve(), work)
        pages = chosen_pages(site)
        runs = max(1, args.runs)
        print("\n" + report(measure(cli, pages, site, bare, runs, work), pages, runs, versions()), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
