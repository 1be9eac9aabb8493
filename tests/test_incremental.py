"""`make serve` after an edit: only changed files are read again, only the pages they can change are
rendered again, and the result is exactly what a full build makes."""

from __future__ import annotations

import shutil

import pytest
from amp import build, load
from projectpaths import ROOT, SEED


@pytest.fixture
def serving(tmp_path):
    data = shutil.copytree(SEED, tmp_path / "data")
    load.cache = load.FileCache()
    try:
        yield data
    finally:
        load.cache = None


def full(data):
    saved, load.cache = load.cache, None
    try:
        found, _ = build.prepare(data)
    finally:
        load.cache = saved
    return found.files


@pytest.mark.parametrize("rows_per_page", [300, 3])
def test_a_school_edit_reads_one_file_and_matches_a_full_build(serving, monkeypatch, rows_per_page):
    from amp import paging

    monkeypatch.setattr(paging, "ROWS_PER_PAGE", rows_per_page)
    data = serving
    first, _ = build.prepare(data)
    school = data / "schools" / "kamenka-sosh-1.yaml"
    school.write_text(school.read_text(encoding="utf-8").replace("short_name: СОШ № 1 г. Каменки",
                                                                  "short_name: СОШ № 1 имени Бурденко г. Каменки"),
                      encoding="utf-8")
    rendered = []
    from amp import pages
    original = pages.render_pages

    def spy(*args, only=None, **kwargs):
        rendered.append(only)
        return original(*args, only=only, **kwargs)

    monkeypatch.setattr(build, "render_pages", spy)
    second, _ = build.prepare(data, previous=first)
    assert load.cache.changed == {"schools/kamenka-sosh-1"}
    only = rendered[-1]
    assert "schools/kamenka-sosh-1.md" in only and "municipalities/kamensky.md" in only
    assert "schools/penza-sosh-27.md" not in only and "municipalities/penza.md" not in only
    assert second.files == full(data)
    if rows_per_page == 300:
        assert "СОШ № 1 имени Бурденко г. Каменки" in second.files["schools/index.md"]
    else:  # of the numbered list pages, only those that hold the school
        numbered = {path for path in second.files if path.startswith("lists/")}
        assert len(numbered) > 20
        assert 0 < len(numbered & only) < 5
        assert any("СОШ № 1 имени Бурденко г. Каменки" in second.files[path] for path in numbered & only)


def test_other_edits_render_everything(serving, monkeypatch):
    data = serving
    first, _ = build.prepare(data)
    programme = data / "programme.yaml"
    programme.write_text(programme.read_text(encoding="utf-8").replace("title: 21 ОО", "title: 21 школа"),
                         encoding="utf-8")
    second, _ = build.prepare(data, previous=first)
    assert load.cache.changed == {"programme"}
    assert second.files == full(data)
    (data / "schools" / "kamenka-sosh-1.yaml").unlink()
    third, _ = build.prepare(data, previous=second)
    assert "schools/kamenka-sosh-1.md" not in third.files
    assert third.files == full(data)
