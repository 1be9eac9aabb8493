"""«Что изменилось»: the git history of data/ told in words, on a small history the test builds.

The history is hostile input: old commits below hold broken files, huge and binary files, odd names,
symlinks, a submodule and a `..` path; side branches carry fake dates. None of it may fail the build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tracemalloc

import pytest
import yaml
from amp import changelog
from amp.build import prepare
from amp.changelog import read_history
from projectpaths import FIXTURES, edit_record

if shutil.which("git") is None:
    pytest.skip("нет git", allow_module_level=True)


def git(repo, *args, when: str | None = None, author: str | None = None, stdin: bytes | None = None) -> bytes:
    """Run git in `repo`; `when` dates the commit (author and committer), `author` the author alone."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Координатор", "GIT_AUTHOR_EMAIL": "c@example.org",
           "GIT_COMMITTER_NAME": "Координатор", "GIT_COMMITTER_EMAIL": "c@example.org"}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    if author:
        env.update(GIT_AUTHOR_DATE=author)
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env,
                          input=stdin).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    repo = tmp_path_factory.mktemp("repo")
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(FIXTURES / "minimal" / "data", repo / "data")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Данные", when="2026-01-10T12:00:00+03:00")
    data = repo / "data"
    edit_record(data / "schools" / "alpha.yaml", lambda r: r["participations"][0].update(level=1))
    new = yaml.safe_load((data / "schools" / "gamma.yaml").read_text(encoding="utf-8"))
    new.update(id="delta", short_name="СОШ с. Дельта", name="МБОУ СОШ с. Дельта")
    (data / "schools" / "delta.yaml").write_text(yaml.safe_dump(new, allow_unicode=True), encoding="utf-8")
    edit_record(data / "monitoring.yaml", lambda m: m["directions"][0]["rows"][0]["scores"].update(information=2))
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


def commit(repo, when: str, message: str = "Правка") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)


def all_lines(history) -> list[str]:
    return [line for entry in history.entries for line in entry.lines]


# --- a hostile history: each old commit below breaks one file, the next one puts it back ----------


def tree_with(repo, tree: str, names: list[str], entry: str) -> str:
    """`tree` with `entry` («mode type id») at the path `names`, made with mktree: git's own commands
    refuse a name like `..`, but a crafted commit can hold one."""
    rows = [row for row in git(repo, "ls-tree", "-z", tree).split(b"\0") if row]
    name = names[0].encode()
    keep = [row for row in rows if row.split(b"\t", 1)[1] != name]
    if len(names) == 1:
        new = f"{entry}\t{names[0]}".encode()
    else:
        inner = next((row.split()[2].decode() for row in rows if row.split(b"\t", 1)[1] == name), None)
        inner = inner or git(repo, "mktree", stdin=b"").decode().strip()
        new = f"040000 tree {tree_with(repo, inner, names[1:], entry)}\t{names[0]}".encode()
    return git(repo, "mktree", "-z", stdin=b"\0".join(keep + [new]) + b"\0").decode().strip()


def commit_tree(repo, tree: str, when: str) -> None:
    """A commit of `tree` on main that the work tree never sees (it could not hold such a tree)."""
    head = git(repo, "rev-parse", "HEAD").decode().strip()
    made = git(repo, "commit-tree", tree, "-p", head, "-m", "Собрано вручную", when=when).decode().strip()
    git(repo, "update-ref", "refs/heads/main", made)


def graft(repo, when: str, path: str, entry: str) -> None:
    """Commit an entry git's porcelain would not make (a submodule, a `..` path), then take it back."""
    original = git(repo, "rev-parse", "HEAD^{tree}").decode().strip()
    commit_tree(repo, tree_with(repo, original, path.split("/"), entry), when)
    commit_tree(repo, original, when)


def break_and_restore(repo, when: str, path: str, write) -> None:
    file = repo / "data" / path
    kept = file.read_bytes()
    file.unlink()
    write(file, kept)
    commit(repo, when, "Сломано")
    if file.is_symlink() or file.exists():
        file.unlink()
    file.write_bytes(kept)
    commit(repo, when, "Исправлено")


def yaml_edit(change):
    def write(file, kept):
        record = yaml.safe_load(kept.decode("utf-8"))
        file.write_text(yaml.safe_dump(change(record), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return write


BIG = 50 * 1024 * 1024
ODD_NAMES = ['we"ird\nname.yaml', "-rf.yaml", "школа «ё»\u202e.yaml"]

# (case, the line in words that the «Что изменилось» page must show for it)
HOSTILE = {
    "participations: 5": "файл schools/alpha.yaml: данные изменены (новая версия не читается как файл школы)",
    "numbers where strings are": "файл schools/beta.yaml: данные изменены (старая версия не читается как файл школы)",
    "a list where a record is": "файл municipalities/town.yaml: данные изменены (новая версия не читается как "
                                "файл муниципалитета)",
    "wrong types deep inside": "файл monitoring.yaml: данные изменены (новая версия не читается как файл мониторинга)",
    "a 50 MB file": "файл schools/gamma.yaml: данные изменены (новая версия слишком большая: 50,0 МиБ, читаются "
                    "версии до 2,0 МиБ)",
    "a binary file": "файл municipalities/district.yaml: данные изменены (старая версия не читается как файл "
                     "муниципалитета)",
    "a symlink": "файл schools/alpha.yaml: данные изменены (новая версия — символическая ссылка, а не файл)",
    "a submodule": "файл schools/sub.yaml: добавлен (новая версия — подмодуль (ссылка на другой репозиторий), "
                   "а не файл)",
    "a path through ..": "файл schools/../x.yaml: добавлен (этот файл сайт не читает)",
    "a name with a line break and quotes": 'файл schools/we"ird?name.yaml: добавлен (новая версия не читается как '
                                           'файл школы)',
    "a name with a leading dash": "файл schools/-rf.yaml: удалён (старая версия не читается как файл школы)",
    "a name with unicode and a bidi override": "файл schools/школа «ё»?.yaml: добавлен (новая версия не читается "
                                               "как файл школы)",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    repo = tmp_path_factory.mktemp("hostile")
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(FIXTURES / "minimal" / "data", repo / "data")
    commit(repo, "2026-01-10T12:00:00+03:00", "Данные")
    day = iter(f"2026-02-{n:02d}T12:00:00+03:00" for n in range(1, 29))
    break_and_restore(repo, next(day), "schools/alpha.yaml", yaml_edit(lambda r: {**r, "participations": 5}))
    break_and_restore(repo, next(day), "schools/beta.yaml", yaml_edit(lambda r: {**r, "short_name": 123, "name": 4.5}))
    break_and_restore(repo, next(day), "municipalities/town.yaml", yaml_edit(lambda r: [r]))
    break_and_restore(repo, next(day), "monitoring.yaml",
                      yaml_edit(lambda m: {**m, "directions": [5, "ШНРО", None], "criteria": {"a": 1}}))
    break_and_restore(repo, next(day), "schools/gamma.yaml", lambda f, _: f.write_bytes(b"note: " + b"x" * BIG))
    break_and_restore(repo, next(day), "municipalities/district.yaml", lambda f, _: f.write_bytes(bytes(range(256)) * 64))
    break_and_restore(repo, next(day), "schools/alpha.yaml", lambda f, _: f.symlink_to("/etc/passwd"))
    head = git(repo, "rev-parse", "HEAD").decode().strip()
    graft(repo, next(day), "data/schools/sub.yaml", f"160000 commit {head}")
    blob = git(repo, "hash-object", "-w", "--stdin", stdin=b"id: x\n").decode().strip()
    graft(repo, next(day), "data/schools/../x.yaml", f"100644 blob {blob}")
    for name in ODD_NAMES:
        (repo / "data" / "schools" / name).write_text("id: 5\nparticipations: {}\n", encoding="utf-8")
    commit(repo, next(day), "Странные имена")
    for name in ODD_NAMES:
        (repo / "data" / "schools" / name).unlink()
    commit(repo, next(day), "Странные имена убраны")
    break_and_restore(repo, next(day), "schools/beta.yaml", yaml_edit(lambda r: {**r, "note": "ю" * 100_000}))
    # A committer date git accepts but no calendar holds (year 3 170 843).
    edit_record(repo / "data" / "schools" / "beta.yaml", lambda r: r.update(note="Проверено"))
    commit(repo, "@99999999999999 +0000", "Дата из будущего")
    return repo


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_old_commit_is_told_in_words(hostile, case):
    assert HOSTILE[case] in all_lines(read_history(hostile / "data"))


def test_a_broken_version_is_told_from_both_sides(hostile):
    lines = all_lines(read_history(hostile / "data"))
    assert "файл schools/alpha.yaml: данные изменены (старая версия не читается как файл школы)" in lines
    assert "файл schools/gamma.yaml: данные изменены (старая версия слишком большая: 50,0 МиБ, читаются " \
           "версии до 2,0 МиБ)" in lines
    assert 'файл schools/we"ird?name.yaml: удалён (старая версия не читается как файл школы)' in lines


def test_a_long_old_text_is_quoted_cut(hostile):
    beta = yaml.safe_load((hostile / "data" / "schools" / "beta.yaml").read_text(encoding="utf-8"))
    lines = all_lines(read_history(hostile / "data"))
    assert f"{beta['short_name']}: примечание изменено с «нет данных» на «{'ю' * 199}…»" in lines
    assert max(len(line) for line in lines) < 1000


def test_a_hostile_history_never_fails_the_build(hostile):
    build, problems = prepare(hostile / "data")
    assert build is not None, [p.format() for p in problems]
    page = build.files["changes.md"]
    assert "Файл schools/alpha.yaml: данные изменены (новая версия — символическая ссылка, а не файл)" in page
    assert "## Дата неизвестна" in page  # the commit dated in the year 3 170 843
    assert build.last_changed("schools/beta.md") == "дата неизвестна"  # its newest change has that date
    assert build.last_changed("schools/alpha.md") == "07.02.2026"


def test_a_50_mb_old_version_is_never_read(hostile):
    tracemalloc.start()
    try:
        history = read_history(hostile / "data")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert history.known
    # The two versions of one small file, parsed; reading the 50 MB version would take 50 MB at once.
    assert peak < 10 * 1024 * 1024, f"{peak / 1024 / 1024:.1f} MB"


def test_old_versions_read_per_build_have_a_limit(repo, monkeypatch):
    monkeypatch.setattr(changelog, "HISTORY_BYTES", 2000)
    lines = all_lines(read_history(repo / "data"))
    assert any(line.startswith("файл monitoring.yaml: данные изменены (старая версия не прочитана: старых версий "
                                "за одну сборку читается не больше") for line in lines)
    alpha = yaml.safe_load((repo / "data" / "schools" / "alpha.yaml").read_text(encoding="utf-8"))
    assert f"{alpha['short_name']}: уровень (группа 1) изменён с «2» на «1»" in lines  # small files first come


# --- dates: when a change reached main, not what its author wrote ----------------------------------


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    repo = tmp_path_factory.mktemp("merged")
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(FIXTURES / "minimal" / "data", repo / "data")
    commit(repo, "2026-01-10T12:00:00+03:00", "Данные")
    git(repo, "checkout", "-q", "-b", "side")
    edit_record(repo / "data" / "schools" / "alpha.yaml", lambda r: r["participations"][0].update(level=1))
    commit(repo, "1970-01-02T00:00:00+00:00", "Дата из 1970 года")
    edit_record(repo / "data" / "schools" / "beta.yaml", lambda r: r.update(note="Из будущего"))
    commit(repo, "2099-12-31T00:00:00+00:00", "Дата из 2099 года")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "side", "-m", "Слияние", when="2026-03-01T10:00:00+03:00")
    # Fast-forwarded: the commit is its own first-parent commit, dated by its committer, not its author.
    git(repo, "checkout", "-q", "-b", "ff")
    edit_record(repo / "data" / "schools" / "gamma.yaml", lambda r: r.update(note="Перемотано"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Перемотка", when="2026-04-01T10:00:00+03:00", author="2020-05-05T10:00:00+03:00")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--ff-only", "ff")
    return repo


def test_a_merged_branch_is_dated_by_its_merge_never_by_its_own_dates(merged):
    history = read_history(merged / "data")
    assert [e.date.isoformat() for e in history.entries] == ["2026-04-01", "2026-03-01", "2026-01-10"]
    merge = history.entries[1].lines
    alpha = yaml.safe_load((merged / "data" / "schools" / "alpha.yaml").read_text(encoding="utf-8"))
    assert f"{alpha['short_name']}: уровень (группа 1) изменён с «2» на «1»" in merge
    assert any("примечание изменено" in line and "Из будущего" in line for line in merge)
    assert history.last_changed["schools/alpha.yaml"].isoformat() == "2026-03-01"
    assert history.last_changed["schools/beta.yaml"].isoformat() == "2026-03-01"
    assert history.last_changed["schools/gamma.yaml"].isoformat() == "2026-04-01"
    build, _ = prepare(merged / "data")
    page = build.files["changes.md"]
    assert "1970" not in page and "2099" not in page and "2020" not in page
    assert build.last_changed("schools/beta.md") == "01.03.2026"
