"""The downloads (open data, JSON Schema, the whole dataset) made in a second process beside MkDocs.

They are a pure function of the data that MkDocs does not need until it copies the site's files, and
at 10 000 schools they take 5 s of one core. A build forks after the data is read: the child makes
them on the second core while MkDocs renders the pages, so the data is still read only once, and
MkDocs copies them from the child's folder (File.generated with a source path) after `wait`.

`mkdocs serve` must not slow the next edit: a forked child makes the parent pay for copying every
memory page it touches afterwards (seconds at 10 000 schools), so serve starts a fresh, lower-priority
interpreter that reads the data itself (`python -m amp.downloads DATA FOLDER`) and never waits for it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path

from .derive import Dataset
from .exports import download_paths, render_downloads


class DownloadsError(RuntimeError):
    """The second process did not make the downloads."""


def write(ds: Dataset, status: dict, folder: Path) -> None:
    for path, content in render_downloads(ds, status).items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def _forked(ds: Dataset, status: dict, folder: Path, report) -> None:
    gc.enable()  # the hook may fork while collection is paused; the spreadsheets leave cyclic garbage
    tempfile.tempdir = str(_scratch(folder))
    try:
        write(ds, status, folder)
        report.send("")
    except BaseException:  # the parent says what failed; the child must never hang it
        report.send(traceback.format_exc(limit=5))
    finally:
        report.close()


def _scratch(folder: Path) -> Path:
    """The job's own temporary folder (openpyxl streams sheets through temporary files): removed with
    the job's folder even when the job is stopped halfway."""
    scratch = folder / ".tmp"
    scratch.mkdir(exist_ok=True)
    return scratch


class Job:
    """Every download of one dataset, being made in another process.

    `data`: serve — a fresh interpreter reads this data folder itself; otherwise a fork of this one."""

    def __init__(self, ds: Dataset, status: dict, data: Path | None = None):
        self.paths = download_paths(ds)
        self.folder = Path(tempfile.mkdtemp(prefix="amp-downloads-"))
        self._error: str | None = None
        self._finished = False
        # Serve waits for the job from a thread (to publish the files) while the next edit may read or stop it.
        self._lock = threading.RLock()
        self._result = self._process = self._spawned = None
        if data is None:
            receive, send = multiprocessing.Pipe(duplex=False)
            self._result = receive
            self._process = multiprocessing.get_context("fork").Process(
                target=_forked, args=(ds, status, self.folder, send), name="amp-downloads", daemon=True)
            self._process.start()
            send.close()
        else:
            scripts = str(Path(__file__).resolve().parent.parent)
            self._spawned = subprocess.Popen(
                [sys.executable, "-m", "amp.downloads", str(data), str(self.folder)], cwd=scripts,
                env={**os.environ, "TMPDIR": str(_scratch(self.folder))},
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, preexec_fn=lambda: os.nice(10))

    def source(self, path: str) -> str:
        return str(self.folder / path)

    def done(self) -> bool:
        if self._finished:
            return True
        return self._result.poll() if self._spawned is None else self._spawned.poll() is not None

    def wait(self) -> None:
        """Block until the files are made; raises DownloadsError if the other process failed."""
        with self._lock:
            self._wait()

    def _wait(self) -> None:
        if not self._finished:
            if self._spawned is not None:
                _, errors = self._spawned.communicate()
                self._error = errors.strip() or f"код {self._spawned.returncode}" if self._spawned.returncode else ""
            else:
                try:
                    self._error = self._result.recv()
                except (EOFError, OSError):
                    self._error = f"процесс завершился без ответа (код {self._process.exitcode})"
                self._process.join()
            self._finished = True
        if self._error:
            raise DownloadsError(f"Файлы открытых данных не созданы: {self._error}")
        missing = [p for p in self.paths if not (self.folder / p).is_file()]
        if missing:
            raise DownloadsError(f"Файлы открытых данных не созданы: {', '.join(missing[:5])}")

    def read(self) -> dict[str, bytes]:
        self.wait()
        return {p: (self.folder / p).read_bytes() for p in self.paths}

    def close(self) -> None:
        """Stop the other process if it still runs and remove its folder."""
        # Killed first, so that a thread blocked in wait() (holding the lock) returns at once.
        if self._spawned is not None and self._spawned.poll() is None:
            self._spawned.kill()
        elif self._process is not None and self._process.is_alive():
            self._process.kill()
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._spawned is not None:
            if self._spawned.poll() is None:
                self._spawned.kill()
            if not self._finished:
                self._spawned.communicate()
        else:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._result.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    """`python -m amp.downloads DATA FOLDER`: read and check DATA, write every download into FOLDER."""
    from .linkstatus import read_status
    from .load import load

    data, folder = Path(argv[0]), Path(argv[1])
    dataset, problems = load(data)
    if dataset is None:
        print(f"данные не прошли проверку: ошибок — {len(problems)}", file=sys.stderr)
        return 1
    # A damaged link history is warnings only (the build prints them); its links are «нет данных».
    status, _ = read_status(data / "link_status.yaml", data.parent)
    write(dataset, status, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
