"""MkDocs hooks: the data is read and checked once per build, and the generated pages reach
MkDocs as virtual files (nothing is written into docs/, so no link under docs/ can redirect a
write). `mkdocs serve` watches data/ and rebuilds on every save.

The data folder is data/ beside mkdocs.yml, or the folder named by AMP_DATA (`make site DATA=…`).
The validator's lines (errors and the documents' discrepancies, with annotations under GitHub
Actions) are printed on every build, so a build reads the data only once. Invalid data stops
`mkdocs build` before site/ is touched. Under `mkdocs serve` it does not stop the server (which
would then hang the browser until the data is fixed): the preview becomes one page listing the
problems at their file and line. After the build Pagefind indexes the pages for search.
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import sys
import threading
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

sys.path.insert(0, str(Path(__file__).resolve().parent))

from amp import build, bundle, downloads, feeds, halves, navcache, search_index  # noqa: E402
from amp import load as loading  # noqa: E402
from amp.addresses import data_file_of  # noqa: E402
from amp.feedback import feedback_address  # noqa: E402
from amp.pages import render_data_errors  # noqa: E402
from amp.problems import errors, report_lines  # noqa: E402


def on_startup(*, command: str, dirty: bool) -> None:
    # Runs once; `mkdocs serve` then reloads this module for every rebuild, so the state lives in amp.
    build.serving = search_index.serving = command == "serve"
    if command == "serve":
        # A coordinator's edit re-reads the changed files and renders only the pages they change;
        # with `serve --dirty` (make serve) MkDocs then rebuilds only pages whose text changed.
        loading.cache = loading.FileCache()
        # Stopped by a process manager (SIGTERM) as by Ctrl+C: MkDocs then runs on_shutdown, which stops
        # the background jobs and removes their temporary folders.
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


class GeneratedPage(File):
    """A file made from data: under `mkdocs serve --dirty` it is rebuilt only if its text changed."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


class HandWrittenPage(File):
    """A page of docs/: its figures come from data (macros), so serve always rebuilds it."""

    def is_modified(self) -> bool:
        return True


def data_dir(config) -> Path:
    project = Path(config.config_file_path).parent
    chosen = os.environ.get("AMP_DATA")
    return Path(chosen).resolve() if chosen else project / "data"


def on_config(config):
    try:  # the footer and «Для координаторов» show it: a mistyped address must stop the build
        config.extra["feedback_email"] = feedback_address(config.extra.get("feedback_email"))
    except ValueError as exc:
        raise PluginError(str(exc)) from exc
    data = data_dir(config)
    if str(data) not in map(str, config.watch):
        config.watch.append(str(data))
    previous = build.current if loading.cache is not None else None
    # Serve: the last edit's background work (indexing, now out of date; downloads) would take the CPU
    # from this one.
    search_index.stop()
    latest = _latest_downloads(previous) if previous is not None else {}
    _stop_downloads()
    # A build makes the downloads in a second process while MkDocs renders; serve's first build makes
    # them at once, later ones show the last ones made and refresh them in the background.
    inline = build.serving and previous is None

    def start_downloads(dataset, link_status) -> None:
        # Started as soon as the data is read: the other core is idle while this one makes the pages.
        build.downloads_job = downloads.Job(dataset, link_status, data=data if build.serving else None)

    # What is read and made now mostly lives to the end of the build: collecting would scan it over and over.
    gc.disable()
    try:
        found, problems = build.prepare(data, previous=previous, downloads=inline,
                                        loaded=None if inline else start_downloads,
                                        where=feeds.Publication(config.site_url or "", config.site_name,
                                                                config.use_directory_urls))
    finally:
        gc.enable()
    if not build.serving:
        gc.freeze()  # a build's full collections then scan only what MkDocs makes
    if found is not None and previous is not None:
        found.files.update(latest)
    if found is not None:
        # Every abbreviation gets its tooltip on every page, hand-written or generated.
        config.mdx_configs["abbr"] = {**config.mdx_configs.get("abbr", {}), "glossary": found.glossary}
    for line in report_lines(problems, annotate=os.environ.get("GITHUB_ACTIONS") == "true"):
        print(line, file=sys.stderr)
    build.errors_found = errors(problems)
    build.previous_files = previous.files if previous is not None else {}
    build.current = found
    if found is not None:
        return config
    if not build.serving:
        raise PluginError(f"Данные не прошли проверку, сайт не собран: ошибок — {len(build.errors_found)} "
                          "(см. строки «ошибка:» выше).")
    print("Данные не прошли проверку: в браузере — страница со списком ошибок. "
          "Исправьте файлы и сохраните — сайт пересоберётся сам.", file=sys.stderr)
    config.nav = None  # the error page is the whole preview until the data is fixed
    config.extra["amp_data_errors"] = [p.format() for p in build.errors_found]
    return config


def on_files(files: Files, config) -> Files:
    docs = Path(config.docs_dir)
    generated = build.current.files if build.current else {"index.md": render_data_errors(build.errors_found)}
    job = build.downloads_job
    made_beside = set(job.paths) if job is not None and not build.serving else set()
    for file in list(files):
        source = Path(file.abs_src_path or "")
        if not source.is_relative_to(docs):
            continue  # the theme's own files
        # A symlink under docs/ must not publish, or let the build touch, anything outside docs/.
        if not source.resolve().is_relative_to(docs.resolve()):
            raise PluginError(f"docs/{file.src_uri}: файл ведёт за пределы папки docs/ (символическая ссылка); "
                              "сборка не читает файлы вне проекта — замените ссылку обычным файлом")
        if build.current is None and file.is_documentation_page():
            files.remove(file)  # the preview shows only the error page
        elif file.src_uri in generated or file.src_uri in made_beside:
            raise PluginError(f"docs/{file.src_uri}: ручная страница совпадает со страницей, которую сайт создаёт "
                              "из data/ — переименуйте или удалите её")
    if loading.cache is not None and build.current is not None:  # serve: hand-written pages show figures from data
        for file in [f for f in files if f.is_documentation_page() and Path(f.abs_src_path or "").is_relative_to(docs)]:
            files.remove(file)
            files.append(HandWrittenPage(file.src_uri, file.src_dir, file.dest_dir, file.use_directory_urls))
    before = build.previous_files
    for path, content in generated.items():
        file = GeneratedPage.generated(config, path, content=content)
        file.changed = before.get(path) != content
        files.append(file)
    for path in sorted(made_beside):
        files.append(File.generated(config, path, abs_src_path=job.source(path)))
    # The project's stylesheets and scripts reach readers as one file each (amp/bundle.py), read afresh
    # on every build, so `mkdocs serve` shows an edit to any of them.
    for path, content in bundle.make(docs).items():
        for source in bundle.sources(docs, path):
            if (original := files.get_file_from_path(source)) is not None:
                files.remove(original)
        files.append(File.generated(config, path, content=content))
    return files


def on_nav(nav, config, files):
    build.menu_pages = {page.file.src_uri for page in nav.pages}
    # A large site is built by two processes, one per core (halves.py); serve rebuilds few pages.
    generated = set(build.current.files) if build.current is not None else set()
    if not build.serving and generated and halves.wanted(sum(1 for p in generated if p.endswith(".md"))):
        build.split = halves.Split(files, nav, config, halves.helper_share(files, build.menu_pages, generated))
    return nav


def _latest_downloads(previous) -> dict:
    """Serve: the downloads of the newest finished background job, else those of the last build."""
    job = build.downloads_job
    if job is not None and job.done():
        try:
            return job.read()
        except downloads.DownloadsError:
            pass
    return {path: content for path, content in previous.files.items() if path.startswith("downloads/")}


def _stop_downloads() -> None:
    if build.downloads_job is not None:
        build.downloads_job.close()
        build.downloads_job = None


def on_env(env, config, files):
    # The menu of pages outside it is drawn once per folder (overrides/partials/nav.html).
    navcache.install(env, config.theme.dirs, config.theme.custom_dir, build.menu_pages)
    split = build.split
    if split is not None:
        try:
            split.swap(files)
        except halves.HelperFailed as exc:
            raise PluginError(f"Второй процесс сборки не собрал свои страницы:\n{exc}") from exc
        if split.helper:
            return env
    # MkDocs copies the site's files next: the downloads must be there (build only; serve does not wait).
    job = build.downloads_job
    if job is not None and not build.serving:
        try:
            job.wait()
        except downloads.DownloadsError as exc:
            raise PluginError(str(exc)) from exc
    return env


def on_template_context(context, template_name, config):
    # Built by two processes, the site's sitemap still lists every page, as one process lists them.
    if template_name == "sitemap.xml" and build.split is not None and not build.split.helper:
        context["pages"] = build.split.every_page()
    return context


def on_page_markdown(markdown: str, page, config, files) -> str:
    if build.current is None:
        return markdown
    path = page.file.src_uri
    if path in build.current.files and data_file_of(path):
        # A generated page says when the site's copy of its data last changed (from git; «дата неизвестна»
        # without it) — not the date of the documents, which the page gives separately.
        changes = "../" * path.count("/") + "changes.md"
        feed = "../" * path.count("/") + "feeds/changes.xml"
        markdown += (f"\n\n_Копия этих сведений на сайте последний раз изменена: {build.current.last_changed(path)} "
                     "(это не дата документов, из которых они взяты)._ "
                     f"[Что изменилось]({changes}) · [лента изменений (Atom)]({feed})\n")
    return markdown


def _branch(edit_uri: str | None) -> str:
    """The branch in mkdocs.yml's edit_uri («edit/<branch>/docs/»)."""
    parts = (edit_uri or "").strip("/").split("/")
    return parts[1] if len(parts) > 1 and parts[0] == "edit" else "main"


def on_page_context(context, page, config, nav):
    # A generated page is edited in its data file: «Редактировать» opens that file in GitHub's editor
    # (when the repository address is set in mkdocs.yml), never the generated Markdown.
    if build.current is None or page.file.src_uri not in build.current.files:
        return context
    source = data_file_of(page.file.src_uri)
    if config.repo_url and source:
        branch = _branch(config.edit_uri)
        relative = Path(os.path.relpath(data_dir(config) / source, Path(config.config_file_path).parent)).as_posix()
        page.edit_url = f"{config.repo_url.rstrip('/')}/edit/{branch}/{relative}"
    else:
        page.edit_url = None
    return context


def on_post_build(config) -> None:
    """Write the search index (`mkdocs serve`: index the written site in the background, pages first)."""
    split, build.split = build.split, None
    if split is not None:
        try:
            split.end()  # the helper leaves here: the rest of the build is the main process's
        except halves.HelperFailed as exc:
            raise PluginError(f"Второй процесс сборки не собрал свои страницы:\n{exc}") from exc
    # `make site` indexes once MkDocs has exited and freed its memory (scripts/search_index.py).
    separately = not build.serving and os.environ.get("AMP_SEARCH_INDEX") == "separate"
    try:
        if not separately:
            search_index.refresh(Path(config.site_dir))
    except search_index.SearchIndexError as exc:
        raise PluginError(str(exc)) from exc
    if build.serving and build.downloads_job is not None:
        _publish_when_done(build.downloads_job, Path(config.site_dir))
    elif not build.serving:
        _stop_downloads()
    if build.serving and build.current is not None and not build.heap_frozen:
        build.heap_frozen = True
        freeze = threading.Timer(1.0, _freeze_heap)
        freeze.daemon = True
        freeze.start()


def _freeze_heap() -> None:
    """Serve, once after the first build: what stays alive from now on (the data as read, the templates)
    is left out of Python's full garbage collections, which otherwise scan it again every other edit
    (2 s at 10 000 schools). Run once MkDocs has dropped this build's pages, so that they are collected first."""
    gc.collect()
    gc.freeze()


def _publish_when_done(job, site_dir: Path) -> None:
    """Serve: put the fresh downloads into the preview as soon as the background job has made them."""

    def publish() -> None:
        try:
            job.wait()
            for path in job.paths:
                target = site_dir / path
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(job.source(path), target)
        except (downloads.DownloadsError, OSError):
            pass  # stopped by the next edit, or the preview was closed

    threading.Thread(target=publish, name="amp-downloads-publish", daemon=True).start()


def on_build_error(error) -> None:
    split, build.split = build.split, None
    if split is not None:
        split.fail(error)  # the helper leaves here
    search_index.stop()
    _stop_downloads()


def on_shutdown() -> None:
    search_index.stop()
    _stop_downloads()
