"""Lighthouse на шести страницах сайта и на тех же страницах «голого» mkdocs + Material — в одном запуске.

    python scripts/benchmark_lighthouse.py [--data data] [--runs 1] [--tools ПАПКА] [--work ПАПКА]

Собирает сайт из data/, как `make site` (mkdocs build --strict, затем индекс поиска), и эталон: те же
страницы Markdown, собранные mkdocs + Material без хука, переопределений темы, своих стилей и скриптов
(scripts/benchmark.py, bare_project). Обе копии раздаются с 127.0.0.1 сжатыми (gzip), как их отдаёт GitHub
Pages, и Lighthouse (закреплённая версия ниже, из npm; Node 20) проверяет в Debian Chromium главную, страницу
школы, муниципалитета, мониторинга, список школ и «Открытые данные» каждой копии: телефон, имитация медленной сети и процессора
(simulated throttling, как в PageSpeed Insights). Печатает таблицу Markdown (её можно вставить в README):
в каждой ячейке «сайт / эталон»; при --runs N — медиана N замеров.

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
    "first-contentful-paint": ("FCP, с", lambda v: f"{v / 1000:.1f}"),
    "largest-contentful-paint": ("LCP, с", lambda v: f"{v / 1000:.1f}"),
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
    sys.path.insert(0, str(ROOT / "tests"))
    from browsing import served

    results: dict[tuple[str, str], dict[str, float]] = {}
    with served(site, compressed=True) as ours, served(bare, compressed=True) as reference:
        for name, path in pages.items():
            for copy, base in (("сайт", ours), ("эталон", reference)):
                print(f"Lighthouse: {name} ({copy}) …", file=sys.stderr)
                measured = [audit(cli, f"{base}/{path}", work) for _ in range(runs)]
                results[name, copy] = {key: statistics.median(m[key] for m in measured) for key in measured[0]}
    return results


def report(results: dict, pages: dict[str, str], runs: int) -> None:
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"\nLighthouse {LIGHTHOUSE}, {chromium}, Node {node}; телефон, simulated throttling; "
          f"{'медиана ' + str(runs) + ' замеров' if runs > 1 else 'один замер'}. В ячейке: сайт / эталон.\n")
    columns = [*CATEGORIES.values(), *(title for title, _ in METRICS.values())]
    print("| Страница | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name, path in pages.items():
        ours, bare = results[name, "сайт"], results[name, "эталон"]
        cells = [f"{ours[key]:.0f} / {bare[key]:.0f}" for key in CATEGORIES]
        cells += [f"{shown(ours[key])} / {shown(bare[key])}" for key, (_, shown) in METRICS.items()]
        print(f"| {name} (`/{path}`) | " + " | ".join(cells) + " |")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lighthouse: сайт рядом с голым mkdocs + Material")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="папка с данными (по умолчанию data/)")
    parser.add_argument("--runs", type=int, default=1, help="замеров каждой страницы (медиана)")
    parser.add_argument("--tools", type=Path, default=TOOLS, help="куда ставить Lighthouse из npm")
    parser.add_argument("--work", type=Path, help="рабочая папка (по умолчанию временная, удаляется)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).is_file():
        raise SystemExit(f"Нет Chromium ({CHROMIUM}): apt-get install chromium")
    cli = lighthouse(args.tools)
    with work_folder(args.work, "amp-lighthouse-") as work:
        site, bare = build(args.data.resolve(), work)
        pages = chosen_pages(site)
        report(measure(cli, pages, site, bare, max(1, args.runs), work), pages, max(1, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
