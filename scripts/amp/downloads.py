"""The downloads (open data, JSON Schema, the whole dataset) made in a second process beside MkDocs.

They are a pure function of the data that MkDocs does not need until it copies the site's files, and
at 10 000 schools they take 20 s of one core; forked after the data is read, the child makes them
on the second core while MkDocs renders the pages, so the data is still read only once. The child
writes each file into a folder of its own; MkDocs copies them from there (File.generated with a
source path), after `wait`.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import traceback
from pathlib import Path

from .derive import Dataset
from .exports import download_paths, render_downloads


class DownloadsError(RuntimeError):
    """The second process did not make the downloads."""


def _make(ds: Dataset, status: dict, folder: Path, report) -> None:
    try:
        for path, content in render_downloads(ds, status).items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        report.send("")
    except BaseException:  # the parent says what failed; the child must never hang it
        report.send(traceback.format_exc(limit=5))
    finally:
        report.close()


class Job:
    """Every download of one dataset, being made in a forked process."""

    def __init__(self, ds: Dataset, status: dict):
        self.paths = download_paths(ds)
        self.folder = Path(tempfile.mkdtemp(prefix="amp-downloads-"))
        receive, send = multiprocessing.Pipe(duplex=False)
        self._result = receive
        self._process = multiprocessing.get_context("fork").Process(
            target=_make, args=(ds, status, self.folder, send), name="amp-downloads", daemon=True)
        self._process.start()
        send.close()
        self._error: str | None = None
        self._finished = False

    def source(self, path: str) -> str:
        return str(self.folder / path)

    def done(self) -> bool:
        return self._finished or self._result.poll()

    def wait(self) -> None:
        """Block until the files are made; raises DownloadsError if the child failed."""
        if not self._finished:
            try:
                self._error = self._result.recv()
            except EOFError:
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
        """Stop the child if it still runs and remove its folder."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._result.close()
        shutil.rmtree(self.folder, ignore_errors=True)
