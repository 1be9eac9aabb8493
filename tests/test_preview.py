"""`make serve` for a coordinator: a data error shows as a page naming the file and line, never a
hung browser or a Python traceback, and the preview recovers as soon as the file is fixed."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from projectpaths import FIXTURES, copy_project, mkdocs_env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:  # the 404 page is a page too
        return error.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, seconds: float = 90) -> str:
    """Poll until the page holds `text` (a hang guard, not a speed test)."""
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        page = fetch(url)
        if text in page:
            return page
        time.sleep(0.5)
    raise AssertionError(f"за {seconds} с на {url} так и не появилось «{text}»: {page[:500]}")


@pytest.fixture
def preview(tmp_path):
    project = copy_project(tmp_path / "p", FIXTURES / "broken-rules" / "data")
    port = free_port()
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=project, stdout=log, stderr=subprocess.STDOUT, env=mkdocs_env())
    try:
        yield project, f"http://127.0.0.1:{port}", log
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def replace_data(project, source) -> None:
    """Save every file of another data set over the project's, as an editor would, file by file."""
    data = project / "data"
    wanted = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        if path.relative_to(data) not in wanted:
            path.unlink()
    for relative in sorted(wanted):
        (data / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, data / relative)


def test_data_errors_show_in_the_browser_and_the_preview_recovers(preview):
    project, url, log = preview
    page = wait_for(url + "/", "Ошибка в данных")
    assert "data/schools/alpha.yaml:4" in page and "неизвестный муниципалитет" in page
    # Any other address shows the same list instead of a bare «not found».
    assert "data/schools/alpha.yaml:4" in wait_for(url + "/schools/alpha/", "Ошибка в данных")

    replace_data(project, FIXTURES / "minimal" / "data")
    assert "СОШ с. Альфа" in wait_for(url + "/schools/alpha/", "СОШ с. Альфа")

    school = project / "data" / "schools" / "alpha.yaml"
    school.write_text(school.read_text(encoding="utf-8").replace("municipality: town", "municipality: townn"),
                      encoding="utf-8")
    wait_for(url + "/", "Ошибка в данных")

    log.seek(0)
    output = log.read()
    assert "ошибка: data/schools/alpha.yaml:4: municipality: неизвестный муниципалитет" in output
    assert "предупреждение: data/" in output  # the documents' discrepancies on every rebuild
    assert "Traceback" not in output
    assert "not included in the" not in output


def test_successive_edits_show_and_the_downloads_follow(tmp_path):
    """Each saved edit shows in the preview; the open data, refreshed in the background, follows the last one."""
    project = copy_project(tmp_path / "p", FIXTURES / "minimal" / "data")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-a", f"127.0.0.1:{port}"],
                              cwd=project, stdout=log, stderr=subprocess.STDOUT,
                              env={**mkdocs_env(), "TMPDIR": str(temporary)})
    try:
        wait_for(url + "/schools/alpha/", "СОШ с. Альфа")
        school = project / "data" / "schools" / "alpha.yaml"
        original = school.read_text(encoding="utf-8")
        for name in ("СОШ с. Альфа-Первая", "СОШ с. Альфа-Вторая", "СОШ с. Альфа-Третья"):
            school.write_text(original.replace("short_name: СОШ с. Альфа", f"short_name: {name}"), encoding="utf-8")
            wait_for(url + "/schools/alpha/", name)
        wait_for(url + "/downloads/schools.csv", "СОШ с. Альфа-Третья")
        assert "СОШ с. Альфа-Вторая" not in fetch(url + "/downloads/schools.csv")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.seek(0)
        output = log.read()
        log.close()
    assert "Traceback" not in output
    # Stopped as a process manager stops it (SIGTERM): the preview's and the downloads' temporary folders are gone.
    assert sorted(p.name for p in temporary.iterdir()) == []
