"""The generator command: refuses bad data without touching docs/, owns only its own files."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from amp.pages import GENERATED_PATHS
from amp.writer import write_tree
from projectpaths import FIXTURES, ROOT


def run_generate(data, docs):
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "generate.py"), "--data", str(data), "--docs", str(docs)],
                          capture_output=True, text=True)


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fixture", ["broken-files", "broken-rules"])
def test_bad_data_changes_nothing_in_docs(tmp_path, fixture):
    docs = tmp_path / "docs"
    (docs / "schools").mkdir(parents=True)
    (docs / "index.md").write_text("ручная страница", encoding="utf-8")
    (docs / "schools" / "old.md").write_text("прежняя страница", encoding="utf-8")
    before = snapshot(docs)
    result = run_generate(FIXTURES / fixture / "data", docs)
    assert result.returncode == 1
    assert "Страницы не созданы: сначала исправьте ошибки в данных" in result.stderr
    assert snapshot(docs) == before


def test_generation_is_byte_identical_and_keeps_hand_written_pages(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for docs in (first, second):
        docs.mkdir()
        (docs / "guide.md").write_text("ручная страница", encoding="utf-8")
        assert run_generate(ROOT / "data", docs).returncode == 0
    assert snapshot(first) == snapshot(second)
    assert (first / "guide.md").read_text(encoding="utf-8") == "ручная страница"
    again = run_generate(ROOT / "data", first)
    assert "записано заново: 0; удалено устаревших: 0" in again.stdout


def test_a_removed_school_loses_its_page(tmp_path):
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    docs = tmp_path / "docs"
    assert run_generate(data, docs).returncode == 0
    assert (docs / "schools" / "gamma.md").is_file()
    (data / "schools" / "gamma.yaml").unlink()
    (data / "reports" / "penza-2025.yaml").write_text(
        (data / "reports" / "penza-2025.yaml").read_text(encoding="utf-8").replace(
            "  - {curator: gamma, school: alpha, curator_name_in_source: СОШ № 3, school_name_in_source: СОШ Альфа}\n", ""
        ).replace("curator_pairs:\n", "curator_pairs: []\n"),
        encoding="utf-8",
    )
    result = run_generate(data, docs)
    assert result.returncode == 0, result.stderr
    assert not (docs / "schools" / "gamma.md").exists()
    assert "удалено устаревших: 1" in result.stdout


def test_writer_refuses_paths_outside_its_folders(tmp_path):
    with pytest.raises(ValueError):
        write_tree(tmp_path, {"index.md": "x"}, GENERATED_PATHS)


def test_generated_paths_are_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    for path in GENERATED_PATHS:
        assert f"docs/{path}" in ignored or f"docs/{path}/" in ignored, path


def test_every_generated_page_says_it_is_generated(tmp_path):
    docs = tmp_path / "docs"
    assert run_generate(FIXTURES / "minimal" / "data", docs).returncode == 0
    pages = [p for p in docs.rglob("*.md")]
    assert pages and all("Страница создана автоматически" in p.read_text(encoding="utf-8") for p in pages)


def _edit_yaml(path, change):
    import yaml

    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")


EDGE_CASES = {
    "a monitoring table without rows": ("monitoring.yaml", lambda m: m["directions"][0].__setitem__("rows", [])),
    "no monitoring directions": ("monitoring.yaml", lambda m: m.__setitem__("directions", [])),
    "no colour zones": ("monitoring.yaml", lambda m: m.__setitem__("zones", [])),
    "no groups": ("programme.yaml", lambda m: m.__setitem__("groups", [])),
    "no levels": ("programme.yaml", lambda m: m.__setitem__("levels", [])),
    "an empty tools matrix": ("tools_matrix.yaml", lambda m: m.update(tools=[], risks=[])),
}


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_unusual_but_valid_shapes_render_or_are_refused_never_crash(tmp_path, case):
    """Either a clean refusal (exit 1 with messages) or a complete set of pages — never a traceback."""
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    name, change = EDGE_CASES[case]
    _edit_yaml(data / name, change)
    result = run_generate(data, tmp_path / "docs")
    assert "Traceback" not in result.stderr
    if result.returncode:
        assert result.stderr.startswith("ошибка: data/")
    else:
        assert (tmp_path / "docs" / "monitoring" / "index.md").is_file()
        # The hand-written pages' fragments (macros plugin) must cope too.
        from amp.load import load
        from amp.pages import TEMPLATES, render_fragment

        dataset, problems = load(data)
        for fragment in sorted((TEMPLATES / "fragments").glob("*.md.j2")):
            assert render_fragment(fragment.name.removesuffix(".md.j2"), dataset, problems)
