"""A large site is built by two processes (scripts/amp/halves.py): the same site, checked as strictly."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

from projectpaths import FIXTURES, ROOT, build_site, copy_project, mkdocs_env


def files_of(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not p.relative_to(site).as_posix().startswith("pagefind/")}


def test_two_processes_build_the_same_site_as_one_and_check_anchors_across_them(tmp_path):
    project = copy_project(tmp_path / "p", FIXTURES / "minimal" / "data")
    # With the published address, as the deploy builds: the sitemap lists every page, whichever process built it.
    one = build_site(project, AMP_BUILD_PROCESSES="1", SITE_URL="https://example.org/amp/")
    assert one.returncode == 0, one.stderr
    single = files_of(project / "site")
    assert "https://example.org/amp/schools/alpha/" in single["sitemap.xml"].decode()
    (project / "site").rename(project / "site-one")
    two = build_site(project, AMP_BUILD_PROCESSES="2", SITE_URL="https://example.org/amp/")
    assert two.returncode == 0, two.stderr
    assert "Страницы собирают два процесса" in two.stderr
    assert "excluded from the built site" not in two.stderr  # the other process's pages are built, not excluded
    assert "Traceback" not in two.stderr
    assert files_of(project / "site") == single
    assert not list(tmp_path.glob("**/amp-helper-*"))

    # Links from a hand-written page (main process) to anchors of every generated page, whichever process
    # builds it: the real anchors pass, a missing one fails --strict.
    pages = sorted(p for p in single if p.startswith(("schools/", "municipalities/")) and p.endswith("/index.html")
                   and p.count("/") == 2)
    assert len(pages) >= 4
    links = []
    for page in pages:
        anchor = re.search(r'<h2 id="([^"]+)"', single[page].decode()).group(1)
        source = page.removesuffix("/index.html") + ".md"
        links.append(f"- [есть]({source}#{anchor}) [нет]({source}#нет-такого-раздела)")
    (project / "docs" / "anchors.md").write_text("# Якоря\n\n" + "\n".join(links) + "\n", encoding="utf-8")
    broken = build_site(project, AMP_BUILD_PROCESSES="2")
    assert broken.returncode != 0
    missing = re.findall(r"does not contain an anchor '#([^']+)'", broken.stderr)
    assert missing == ["нет-такого-раздела"] * len(pages), broken.stderr[-3000:]


MINI_HOOK = """
import sys
sys.path.insert(0, {scripts!r})
from mkdocs.exceptions import PluginError
from amp import halves

split = None

def on_nav(nav, config, files):
    global split
    split = halves.Split(files, nav, config, [f for f in files.documentation_pages() if f.src_uri.startswith("h/")])
    return nav

def on_page_markdown(markdown, page, config, files):
    if "ОСТАНОВКА" in markdown:
        raise RuntimeError("сбой при обработке страницы " + page.file.src_uri)
    return markdown

def on_env(env, config, files):
    try:
        split.swap(files)
    except halves.HelperFailed as exc:
        raise PluginError("второй процесс: " + str(exc))
    return env

def on_post_build(config):
    try:
        split.end()
    except halves.HelperFailed as exc:
        raise PluginError("второй процесс: " + str(exc))

def on_build_error(error):
    split.fail(error)
"""


def mini_project(folder, pages: dict[str, str]):
    (folder / "docs" / "h").mkdir(parents=True)
    for path, text in pages.items():
        (folder / "docs" / path).write_text(textwrap.dedent(text), encoding="utf-8")
    (folder / "hook.py").write_text(MINI_HOOK.format(scripts=str(ROOT / "scripts")), encoding="utf-8")
    (folder / "mkdocs.yml").write_text("site_name: Проба\nhooks: [hook.py]\nnav: [index.md]\n"
                                       "validation: {anchors: warn, omitted_files: ignore}\n", encoding="utf-8")
    return folder


def mkdocs_build(folder):
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"], cwd=folder,
                          capture_output=True, text=True, env=mkdocs_env(), timeout=120)


def test_the_helpers_warnings_fail_a_strict_build(tmp_path):
    # MkDocs' default anchors are Latin (the site itself has Russian ones, see mkdocs.yml).
    good = {"index.md": "# Главная\n\n## Part one\n\n[ссылка](h/a.md#chapter)\n",
            "h/a.md": "# Страница А\n\n## Chapter\n\n[назад](../index.md#part-one)\n",
            "h/b.md": "# Страница Б\n\n[к А](a.md)\n"}
    built = mkdocs_build(mini_project(tmp_path / "good", good))
    assert built.returncode == 0, built.stderr
    site = tmp_path / "good" / "site"
    assert "Страница А" in (site / "h" / "a" / "index.html").read_text(encoding="utf-8")
    assert "Страница Б" in (site / "h" / "b" / "index.html").read_text(encoding="utf-8")
    assert (site / "index.html").is_file() and (site / "404.html").is_file()

    # A page the helper builds links to a missing page and to a missing anchor of the main process's page.
    bad = {**good, "h/b.md": "# Страница Б\n\n[нет](../nowhere.md) [нет якоря](../index.md#no-part)\n"}
    built = mkdocs_build(mini_project(tmp_path / "bad", bad))
    assert built.returncode != 0
    assert "'../nowhere.md'" in built.stderr and "'#no-part'" in built.stderr
    assert "во втором процессе сборки предупреждений: 2" in built.stderr


def test_a_failure_in_the_helper_stops_the_build_with_its_reason(tmp_path):
    pages = {"index.md": "# Главная\n", "h/a.md": "# А\n", "h/b.md": "# Б\n\nОСТАНОВКА\n"}
    built = mkdocs_build(mini_project(tmp_path / "crash", pages))
    assert built.returncode != 0
    assert "второй процесс:" in built.stderr and "сбой при обработке страницы h/b.md" in built.stderr
    assert "Aborted" in built.stdout + built.stderr
