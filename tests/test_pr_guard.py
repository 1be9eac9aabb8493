"""data/link_status.yaml is written by the nightly check only: a pull request that changes it fails
(scripts/check_pr_files.py, run on real git repos here), and the nightly job writes only a file the
site reads without a warning (scripts/validate_link_status.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from projectpaths import FIXTURES, ROOT

GUARD = ROOT / "scripts" / "check_pr_files.py"
VALIDATE = ROOT / "scripts" / "validate_link_status.py"
REPO = "school-help/site"
HISTORY = "data/link_status.yaml"


def git(repo, *args) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def pull_request(tmp_path, change) -> object:
    """A repository whose HEAD is the merge commit GitHub makes for a pull request (as checked out
    in the workflow): main with the history, a branch with `change` applied, merged with --no-ff."""
    repo = tmp_path / "repo"
    (repo / "data" / "schools").mkdir(parents=True)
    (repo / HISTORY).write_text("links: {}\n", encoding="utf-8")
    (repo / "data" / "schools" / "alpha.yaml").write_text("id: alpha\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "feature")
    change(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "pull request")
    git(repo, "checkout", "-q", "main")
    (repo / "README").write_text("main moved on\n", encoding="utf-8")  # the base is not the branch point
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge", "feature")
    return repo


def guard(repo, author="coordinator", head_repo=REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(GUARD), "--base", "HEAD^1", "--head", "HEAD", "--author", author,
                           "--head-repo", head_repo, "--repo", REPO], cwd=repo, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "GITHUB_ACTIONS": "true"})


def edit_history(repo):
    (repo / HISTORY).write_text("links:\n  https://a.ru/x: {}\n", encoding="utf-8")


@pytest.mark.parametrize("change", [
    edit_history,
    lambda repo: (repo / HISTORY).unlink(),
    lambda repo: git(repo, "mv", HISTORY, "data/old_status.yaml"),
], ids=["edited", "deleted", "renamed"])
def test_a_pull_request_changing_the_link_history_fails_with_a_russian_message(tmp_path, change):
    run = guard(pull_request(tmp_path, change))
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stderr.startswith("ошибка: data/link_status.yaml: этот файл нельзя менять в pull request — "
                                 "история проверки ссылок: её записывает только ночная проверка ссылок"), run.stderr
    assert "::error file=data/link_status.yaml::этот файл нельзя менять в pull request" in run.stdout


def test_a_pull_request_changing_other_files_passes(tmp_path):
    repo = pull_request(tmp_path, lambda r: (r / "data" / "schools" / "alpha.yaml").write_text("id: alpha\nname: А\n",
                                                                                               encoding="utf-8"))
    run = guard(repo)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Защищённые файлы не изменены." in run.stdout


def test_the_bot_of_this_repository_may_change_it_but_not_from_a_fork(tmp_path):
    repo = pull_request(tmp_path, edit_history)
    assert guard(repo, author="github-actions[bot]").returncode == 0
    forked = guard(repo, author="github-actions[bot]", head_repo="someone/site")
    assert forked.returncode == 1 and "data/link_status.yaml: этот файл нельзя менять" in forked.stderr
    assert guard(repo, author="github-actions", head_repo=REPO).returncode == 1  # a person's look-alike login


def test_an_unknown_base_is_a_russian_error_not_a_traceback(tmp_path):
    repo = pull_request(tmp_path, edit_history)
    run = subprocess.run([sys.executable, str(GUARD), "--base", "nosuchref", "--head", "HEAD", "--author", "x",
                          "--head-repo", REPO, "--repo", REPO], cwd=repo, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and run.stderr.startswith("Проверка изменённых файлов не выполнена: не удалось сравнить")
    assert "Traceback" not in run.stderr


def validate(path, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(VALIDATE), str(path)], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_the_nightly_job_accepts_a_history_the_site_reads_without_warnings(tmp_path):
    run = validate(FIXTURES / "minimal" / "data" / "link_status.yaml", tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == "Файл истории в порядке: записей — 2.\n"


@pytest.mark.parametrize("text, expected", [
    ("links: [\n", "ошибка: result/link_status.yaml: история проверки ссылок не прочитана"),
    ("links:\n  https://a.ru/x:\n    verdict: ok\n",
     "ошибка: result/link_status.yaml:2: запись «https://a.ru/x» пропущена, на сайте у ссылки — «нет данных»: "),
], ids=["unreadable", "damaged-entry"])
def test_the_nightly_job_refuses_a_history_the_site_would_warn_about(tmp_path, text, expected):
    path = tmp_path / "result" / "link_status.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    run = validate(path.relative_to(tmp_path), tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert expected in run.stderr
    assert run.stderr.rstrip().endswith("в репозиторий он не записывается.")


def test_the_nightly_job_refuses_a_missing_history(tmp_path):
    run = validate(tmp_path / "nothing.yaml", tmp_path)
    assert run.returncode == 1 and "файл истории не найден" in run.stderr
