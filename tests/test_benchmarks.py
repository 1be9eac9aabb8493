"""The benchmarks' reference sites are built from the project's own mkdocs.yml: a change to it (a tag such as
!ENV, bundled assets) must not leave `make benchmark-site` and `make benchmark-lighthouse` broken unnoticed."""

import subprocess
import sys

import pytest
import yaml

import projectpaths  # noqa: F401  (scripts/ on the path)
from benchmark import bare_project
from projectpaths import mkdocs_env


@pytest.mark.parametrize("same_theme", [True, False])
def test_reference_project_links_only_files_it_has(tmp_path, same_theme):
    pages = tmp_path / "pages"
    (pages / "schools").mkdir(parents=True)
    (pages / "index.md").write_text("# Главная\n", encoding="utf-8")
    project = bare_project(tmp_path / "bare", pages, same_theme)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["name"] == "material"
    linked = config.get("extra_css", []) + [s["path"] for s in config.get("extra_javascript", [])]
    assert bool(linked) == same_theme
    assert all((project / "docs" / path).is_file() for path in linked), linked
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"], cwd=project,
                           capture_output=True, text=True, env=mkdocs_env())
    assert built.returncode == 0, built.stderr[-2000:]
    assert (project / "site" / "index.html").is_file()


def test_the_lighthouse_copies_are_served_compressed_as_github_pages_serves_them(tmp_path):
    import gzip
    import urllib.request

    from browsing import served

    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text("<p>Школа</p>" * 50, encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG" + bytes(200))

    def get(url, gzip_ok=True):
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
        with urllib.request.urlopen(request) as response:
            return response.headers.get("Content-Encoding"), response.read()

    with served(tmp_path, compressed=True) as url:
        encoding, body = get(url + "/page/")
        assert encoding == "gzip" and gzip.decompress(body).decode("utf-8") == "<p>Школа</p>" * 50
        assert len(body) < 200
        assert get(url + "/page/", gzip_ok=False) == (None, ("<p>Школа</p>" * 50).encode("utf-8"))
        assert get(url + "/logo.png")[0] is None  # images are sent as they are
    with served(tmp_path) as url:
        assert get(url + "/page/")[0] is None


def test_the_lighthouse_report_shows_milliseconds_every_run_and_which_goals_are_met():
    from benchmark_lighthouse import CATEGORIES, report

    def figures(fcp, tbt, performance=100):
        return {**{key: 100 for key in CATEGORIES}, "performance": performance, "first-contentful-paint": fcp,
                "largest-contentful-paint": fcp, "total-blocking-time": tbt, "cumulative-layout-shift": 0.0,
                "total-byte-weight": 90 * 1024}

    pages = {"главная": "", "мониторинг": "monitoring/500plus/", "открытые данные": "open-data/",
             "список школ": "schools/"}
    results = {}
    for name in pages:
        # The site's first paint is 50 ms later on the home page (the goal's limit, still met), its blocking time
        # higher on open data, and the schools page scores 97.
        late, heavy = 60 if name == "главная" else 0, 40 if name == "открытые данные" else 0
        results[name, "сайт"] = [figures(1380 + late + d, 30 + heavy + d, 97 if name == "список школ" else 99)
                                 for d in (0, 10, 20)]
        results[name, "эталон"] = [figures(1390 + d, 35 + d) for d in (0, 10, 20)]
    text = report(results, pages, 3, "Lighthouse 12")
    assert "| главная (`/`) | 99 / 100 | 100 / 100 | 100 / 100 | 100 / 100 | 1450 / 1400 |" in text
    assert "- открытые данные: 70 80 90; 35 45 55" in text
    goals = {line.split(":")[0]: line for line in text.splitlines() if line.startswith("- ") and "—" in line}
    assert "главная +50 мс — да" in goals["- первая отрисовка (FCP) не позже эталонной больше чем на 50 мс"]
    assert "мониторинг -10 мс — да" in goals["- первая отрисовка (FCP) не позже эталонной больше чем на 50 мс"]
    blocking = goals["- время блокировки (TBT) не выше эталонного"]
    assert "мониторинг 40 / 45 мс — да" in blocking and "открытые данные 80 / 45 мс — нет" in blocking
    assert "главная" not in blocking
    assert goals["- производительность не ниже 98"].endswith("список школ 97 — нет")
