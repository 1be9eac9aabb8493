"""«Что изменилось»: the git history of data/ told in words, on a small history the test builds."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml
from amp.build import prepare
from amp.changelog import read_history
from projectpaths import FIXTURES

if shutil.which("git") is None:
    pytest.skip("нет git", allow_module_level=True)


def git(repo, *args, when: str | None = None):
    env = {**os.environ, "GIT_AUTHOR_NAME": "Координатор", "GIT_AUTHOR_EMAIL": "c@example.org",
           "GIT_COMMITTER_NAME": "Координатор", "GIT_COMMITTER_EMAIL": "c@example.org"}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def edit(path, change):
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    repo = tmp_path_factory.mktemp("repo")
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(FIXTURES / "minimal" / "data", repo / "data")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Данные", when="2026-01-10T12:00:00+03:00")
    data = repo / "data"
    edit(data / "schools" / "alpha.yaml", lambda r: r["participations"][0].update(level=1))
    new = yaml.safe_load((data / "schools" / "gamma.yaml").read_text(encoding="utf-8"))
    new.update(id="delta", short_name="СОШ с. Дельта", name="МБОУ СОШ с. Дельта")
    (data / "schools" / "delta.yaml").write_text(yaml.safe_dump(new, allow_unicode=True), encoding="utf-8")
    edit(data / "monitoring.yaml", lambda m: m["directions"][0]["rows"][0]["scores"].update(information=2))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Правка", when="2026-02-01T09:30:00+03:00")
    return repo


def test_each_commit_is_told_in_words_newest_first(repo):
    history = read_history(repo / "data")
    assert history.known
    assert [e.date.isoformat() for e in history.entries] == ["2026-02-01", "2026-01-10"]
    latest = history.entries[0].lines
    alpha = yaml.safe_load((repo / "data" / "schools" / "alpha.yaml").read_text(encoding="utf-8"))
    assert f"{alpha['short_name']}: уровень (группа 1) изменён с «2» на «1»" in latest
    assert "добавлена школа СОШ с. Дельта" in latest
    assert any(line.startswith("мониторинг «ШНРО», г. Город: балл К6 изменён с «1» на «2»") for line in latest)
    assert history.last_changed["schools/alpha.yaml"].isoformat() == "2026-02-01"
    assert history.last_changed["schools/beta.yaml"].isoformat() == "2026-01-10"


def test_pages_show_when_their_data_changed_and_the_changelog_page(repo):
    build, problems = prepare(repo / "data")
    assert build is not None, [p.format() for p in problems]
    assert build.last_changed("schools/alpha.md") == "01.02.2026"
    assert build.last_changed("schools/beta.md") == "10.01.2026"
    page = build.files["changes.md"]
    assert page.index("## 01.02.2026") < page.index("## 10.01.2026")
    assert "- Добавлена школа СОШ с. Дельта" in page


def test_a_shallow_clone_says_the_date_is_unknown_never_a_wrong_one(repo, tmp_path):
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True, capture_output=True)
    history = read_history(shallow / "data")
    assert not history.known and history.last_changed == {}
    build, _ = prepare(shallow / "data")
    assert build.last_changed("schools/beta.md") == "дата неизвестна"
    assert "История изменений сейчас недоступна" in build.files["changes.md"]


def test_outside_git_the_date_is_unknown(tmp_path):
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    build, _ = prepare(data)
    assert build.last_changed("schools/alpha.md") == "дата неизвестна"
