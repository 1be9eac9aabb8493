"""The build: data read once, pages handed to MkDocs as virtual files, nothing written into docs/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from amp.build import prepare
from amp.pages import TEMPLATES
from projectpaths import FIXTURES, ROOT, SEED, build_site, copy_project, edit_record


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fixture", ["broken-files", "broken-rules"])
def test_bad_data_is_refused_before_anything_is_written(tmp_path, fixture):
    project = copy_project(tmp_path / "p", FIXTURES / fixture / "data")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("прежний сайт", encoding="utf-8")
    docs_before = snapshot(project / "docs")
    result = build_site(project)
    assert result.returncode != 0
    assert "Данные не прошли проверку, сайт не собран" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project / "docs") == docs_before
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "прежний сайт"


HASH_ALL = """
import hashlib, json, sys
sys.path.insert(0, "scripts")
from pathlib import Path
from amp.build import prepare
build, _ = prepare(Path(sys.argv[1]))
print(json.dumps({p: hashlib.sha256(t if isinstance(t, bytes) else t.encode()).hexdigest() for p, t in build.files.items()}, sort_keys=True))
"""


def test_same_data_gives_byte_identical_files_in_separate_processes():
    runs = []
    for seed in ("1", "2"):  # a different hash seed would reorder any set or dict built from strings
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", HASH_ALL, str(SEED)], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True).stdout
        runs.append(json.loads(out))
    assert runs[0] == runs[1] and len(runs[0]) > 10


def test_every_record_has_its_page_and_a_removed_school_loses_it(tmp_path, minimal_dataset):
    dataset, _ = minimal_dataset
    build, _ = prepare(FIXTURES / "minimal" / "data")
    for school in dataset.schools:
        assert f"schools/{school}.md" in build.files
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    (data / "schools" / "gamma.yaml").unlink()
    report = data / "reports" / "penza-2025.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace(
        "  - {curator: gamma, school: alpha, curator_name_in_source: СОШ № 3, school_name_in_source: СОШ Альфа}\n", ""
    ).replace("curator_pairs:\n", "curator_pairs: []\n"), encoding="utf-8")
    build, problems = prepare(data)
    assert build is not None, [p.format() for p in problems]
    assert "schools/gamma.md" not in build.files and "schools/alpha.md" in build.files


def test_every_generated_page_says_it_is_generated():
    build, _ = prepare(FIXTURES / "minimal" / "data")
    pages = [text for path, text in build.files.items() if path.endswith(".md")]
    assert pages and all("Страница создана автоматически" in text for text in pages)


def test_build_writes_nothing_into_docs(tmp_path):
    project = copy_project(tmp_path / "p", FIXTURES / "minimal" / "data")
    before = snapshot(project / "docs")
    result = build_site(project)
    assert result.returncode == 0, result.stderr
    assert snapshot(project / "docs") == before
    assert (project / "site" / "schools" / "alpha" / "index.html").is_file()


def test_a_symlink_under_docs_is_never_followed_out_of_the_project(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.md").write_text("чужой файл", encoding="utf-8")
    project = copy_project(tmp_path / "p", FIXTURES / "minimal" / "data")
    (project / "docs" / "schools").symlink_to(outside, target_is_directory=True)
    result = build_site(project)
    assert result.returncode != 0
    assert "docs/schools/precious.md: файл ведёт за пределы папки docs/" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(outside) == {"precious.md": "чужой файл".encode()}
    assert not (project / "site").exists()


@pytest.mark.parametrize("path, content", [
    ("schools/alpha.md", "# ручная"),
    # The downloads are made beside MkDocs, yet a file under docs/ on one of their addresses is caught too.
    ("downloads/schools.csv", "подмена"),
])
def test_a_hand_written_file_on_a_generated_address_is_refused(tmp_path, path, content):
    project = copy_project(tmp_path / "p", FIXTURES / "minimal" / "data")
    (project / "docs" / path).parent.mkdir(parents=True)
    (project / "docs" / path).write_text(content, encoding="utf-8")
    result = build_site(project)
    assert result.returncode != 0
    assert f"docs/{path}: ручная страница совпадает со страницей, которую сайт создаёт" in result.stderr


def test_another_data_folder_is_built_with_amp_data(tmp_path):
    """`make site DATA=…`: the hook reads the folder named by AMP_DATA instead of data/."""
    project = copy_project(tmp_path / "p", FIXTURES / "broken-rules" / "data")
    result = build_site(project, AMP_DATA=str(FIXTURES / "minimal" / "data"))
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "schools" / "alpha" / "index.html").is_file()


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
    """Either a clean refusal (problems in Russian) or a complete set of pages — never an exception."""
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    name, change = EDGE_CASES[case]
    edit_record(data / name, change)
    build, problems = prepare(data)
    if build is None:
        assert problems and all(p.format().startswith("data/") for p in problems)
    else:
        assert "monitoring/index.md" in build.files
        # The hand-written pages' fragments (macros plugin) must cope too.
        for fragment in sorted((TEMPLATES / "fragments").glob("*.md.j2")):
            assert build.fragment(fragment.name.removesuffix(".md.j2"))


def _edit_links(site, page):
    import re

    html = (site / page / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<a href="([^"]+)"[^>]*class="md-content__button md-icon"', html)


def test_edit_link_opens_the_data_file_when_the_repository_is_known(tmp_path):
    project = copy_project(tmp_path / "p", FIXTURES / "minimal" / "data")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'site_url: !ENV [SITE_URL, ""]', 'site_url: !ENV [SITE_URL, ""]\nrepo_url: https://github.com/example/amp\nedit_uri: edit/main/docs/'), encoding="utf-8")
    result = build_site(project)
    assert result.returncode == 0, result.stderr[-2000:]
    site = project / "site"
    assert _edit_links(site, "schools/alpha") == ["https://github.com/example/amp/edit/main/data/schools/alpha.yaml"]
    assert _edit_links(site, "monitoring/shnro") == ["https://github.com/example/amp/edit/main/data/monitoring.yaml"]
    assert _edit_links(site, "guide") == ["https://github.com/example/amp/edit/main/docs/guide.md"]
    assert _edit_links(site, "links") == []  # made from many files: no single file to open


def test_no_edit_link_without_a_repository_address(built_minimal_site):
    assert _edit_links(built_minimal_site, "schools/alpha") == []
