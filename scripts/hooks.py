"""MkDocs hooks: the data is read and checked once per build, and the generated pages reach
MkDocs as virtual files (nothing is written into docs/, so no link under docs/ can redirect a
write). `mkdocs serve` watches data/ and rebuilds on every save.

The data folder is data/ beside mkdocs.yml, or the folder named by AMP_DATA (`make site DATA=…`).
Invalid data stops `mkdocs build` with the validator's Russian messages before site/ is touched.
Under `mkdocs serve` it does not stop the server (which would then hang the browser until the
data is fixed): the preview becomes one page listing the problems at their file and line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

sys.path.insert(0, str(Path(__file__).resolve().parent))

from amp import build  # noqa: E402
from amp.addresses import data_file_of  # noqa: E402
from amp.pages import render_data_errors  # noqa: E402
from amp.problems import errors  # noqa: E402
from validate import report  # noqa: E402

_serving = False  # set once per process by on_startup: `mkdocs serve` or `mkdocs build`
_errors: list = []  # the current build's data errors (serve only)


def data_dir(config) -> Path:
    project = Path(config.config_file_path).parent
    chosen = os.environ.get("AMP_DATA")
    return Path(chosen).resolve() if chosen else project / "data"


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_config(config):
    global _errors
    data = data_dir(config)
    if str(data) not in map(str, config.watch):
        config.watch.append(str(data))
    found, problems = build.prepare(data)
    # The validator's own lines, on every build and rebuild: errors and the documents' discrepancies.
    for line in report(problems):
        print(line, file=sys.stderr)
    _errors = errors(problems)
    if found is not None:
        build.current = found
        return config
    if not _serving:
        raise PluginError(f"Данные не прошли проверку, сайт не собран: ошибок — {len(_errors)} (см. строки «ошибка:» выше).")
    print("Данные не прошли проверку: в браузере — страница со списком ошибок. "
          "Исправьте файлы и сохраните — сайт пересоберётся сам.", file=sys.stderr)
    build.current = None
    config.nav = None  # the error page is the whole preview until the data is fixed
    config.extra["amp_data_errors"] = [p.format() for p in _errors]
    return config


def on_files(files: Files, config) -> Files:
    docs = Path(config.docs_dir)
    generated = build.current.files if build.current else {"index.md": render_data_errors(_errors)}
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
        elif file.src_uri in generated:
            raise PluginError(f"docs/{file.src_uri}: ручная страница совпадает со страницей, которую сайт создаёт "
                              "из data/ — переименуйте или удалите её")
    for path, content in generated.items():
        files.append(File.generated(config, path, content=content))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    if build.current is None:
        return markdown
    path = page.file.src_uri
    if path in build.current.files and data_file_of(path):
        # A generated page says when its data last changed (from git; «дата неизвестна» without it).
        changes = "../" * path.count("/") + "changes.md"
        markdown += (f"\n\n_Сведения этой страницы изменены: {build.current.last_changed(path)}._ "
                     f"[Что изменилось]({changes})\n")
    # Every abbreviation gets its tooltip on every page, hand-written or generated.
    return markdown + "\n\n" + build.current.glossary


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
