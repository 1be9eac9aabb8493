"""Hostile or broken YAML is refused at its line in Russian, quickly, and never raises.

A coordinator never needs anchors, aliases, merge keys or tags; a few hundred bytes of nested
aliases would otherwise expand into billions of values and hang every tool that reads data/.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import pytest
from amp.load import load
from amp.yamlsource import MAX_BYTES, read_yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from projectpaths import FIXTURES, ROOT

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))


def problems_for(tmp_path, text: str | bytes) -> list[str]:
    path = tmp_path / "school.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    parsed, problems = read_yaml(path, "data/schools/school.yaml", max_depth=4)
    assert parsed is None
    return [p.format() for p in problems]


def test_alias_bomb_is_refused_by_the_validator_without_expanding(tmp_path):
    assert len(ALIAS_BOMB) < 600
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    (data / "schools" / "bomb.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    # A hang guard, not a speed test: expanding the aliases takes minutes.
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), "--data", str(data)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "data/schools/bomb.yaml:1: якорь (&a) не поддерживается" in result.stdout
    assert "data/schools/bomb.yaml:2: ссылка на якорь (*a) не поддерживается" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("text, expected", [
    ("base: &b {id: x}\nother:\n  <<: *b\n", "data/schools/school.yaml:1: якорь (&b) не поддерживается"),
    ("id: x\n<<: {name: y}\n", "data/schools/school.yaml:2: ключ слияния «<<» не поддерживается"),
    ("id: !!python/object:os.system x\n", "data/schools/school.yaml:1: тег YAML («tag:yaml.org,2002:python/object:os.system») не поддерживается"),
    ("id: !custom x\n", "data/schools/school.yaml:1: тег YAML («!custom») не поддерживается"),
    ("id: x\nname: \"a\\0b\"\n", "data/schools/school.yaml:2: недопустимый символ U+0000 в значении"),
    ("id: x\nname: a\x00b\n", "data/schools/school.yaml:2: недопустимый символ U+0000 в позиции 8"),
    ("id: x\n\nname: a\x1bb\n", "data/schools/school.yaml:3: недопустимый символ U+001B в позиции 8"),
    ("id: x\nname: \"\\ud800\"\n", "data/schools/school.yaml:2: недопустимый символ U+D800 в значении"),
    ("id: x\nname: школа\u202eabc\n", "data/schools/school.yaml:2: недопустимый символ U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("id: x\nnumber: " + "9" * 5000 + "\n", "data/schools/school.yaml:2: синтаксическая ошибка YAML: значение не удаётся прочитать"),
    ("id: x\nwhen: 2022-02-30\n", "data/schools/school.yaml:2: синтаксическая ошибка YAML: несуществующая дата"),
    ("a: " + "[" * 50 + "]" * 50 + "\n", "data/schools/school.yaml:1: слишком глубокая вложенность (ожидалось не больше 4 уровней"),
    ("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 8)) + "  " * 8 + "v: 1\n",
     "data/schools/school.yaml:5: слишком глубокая вложенность"),
    ("a: " + "[" * 100000 + "\n", "data/schools/school.yaml:1: слишком глубокая вложенность"),
])
def test_refused_at_its_line(tmp_path, text, expected):
    found = problems_for(tmp_path, text)
    assert any(line.startswith(expected) for line in found), found


def test_text_that_is_not_utf8_is_refused_at_its_line(tmp_path):
    found = problems_for(tmp_path, "id: x\nname: Школа\n".encode("cp1251"))
    assert found == ["data/schools/school.yaml:2: файл не в кодировке UTF-8 (ожидался текст UTF-8, найден байт 0xd8); "
                     "сохраните файл в кодировке UTF-8"]


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    found = problems_for(tmp_path, "notes: |\n" + ("  строка\n" * (MAX_BYTES // 8)))
    assert found == [f"data/schools/school.yaml: файл слишком большой (ожидалось не больше 2,0 МиБ, найдено "
                     f"{(MAX_BYTES // 8 * 15 + 9) / 1024 / 1024:.1f} МиБ); разделите его или проверьте, что в нём нет лишнего"
                     .replace("МиБ, найдено 3.", "МиБ, найдено 3,")]


def test_a_symlink_in_data_is_refused(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: x\n", encoding="utf-8")
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    (data / "schools" / "link.yaml").symlink_to(outside)
    dataset, problems = load(data)
    assert dataset is None
    assert "data/schools/link.yaml: символическая ссылка вместо файла (ожидался обычный файл в папке data/)" in [
        p.format() for p in problems]


# --- property: anything at all in a data file gives problems or a dataset, in bounded time ---

FRAGMENTS = [
    "id: alpha\n", "name: Школа\n", "short_name: СОШ\n", "municipality: town\n", "participations:\n", "  - ",
    "- ", "  ", "    ", "\t", ": ", ":", "\n", "#", "---\n", "...\n", "&a ", "*a", "*b", "&b ", "<<: ", "!!str ",
    "!!python/name:os.system ", "!x ", "? ", "[", "]", "{", "}", ",", "'", '"', "\\", "\\0", "\\x07", "\\ud800",
    "|\n", ">-\n", "null", "~", "true", "0x1F", "1e400", "9" * 5000, "2022-02-30", "2022-13-01", "12:30:00",
    "\x00", "\x1b", "\u202e", "\ufeff", "\u2028", "\r\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n",
    "source: {file: seed.txt, section: Группы}\n", "documents: []\n", "number: -1\n", "level: 7\n",
    "number: ", "level: ", "group: ", "name: ",
]
YAML_TEXT = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=40).map("".join)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return shutil.copytree(FIXTURES / "minimal" / "data", tmp_path_factory.mktemp("fuzz") / "data")


def loads_without_raising(data, content: bytes) -> None:
    (data / "schools" / "alpha.yaml").write_bytes(content)
    dataset, problems = load(data)
    assert dataset is not None or problems
    for problem in problems:
        assert problem.file.startswith("data/") and problem.message


# The deadline bounds every example (an alias bomb or a pathological parse takes minutes);
# it is generous so that a busy machine never fails it.
BOUNDED = settings(deadline=dt.timedelta(seconds=10), max_examples=150,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@BOUNDED
@given(content=st.binary(max_size=600))
def test_arbitrary_bytes_never_raise(scratch, content):
    loads_without_raising(scratch, content)


@BOUNDED
@given(text=YAML_TEXT)
# Known killers, always tried: expansion, recursion in the composer, int() of 5 000 digits.
@example(text=ALIAS_BOMB)
@example(text="a: " + "[" * 5000)
@example(text="number: " + "9" * 5000)
def test_arbitrary_yaml_fragments_never_raise(scratch, text):
    loads_without_raising(scratch, text.encode("utf-8", errors="surrogatepass"))


def test_nothing_in_a_record_folder_is_skipped_in_silence(tmp_path):
    """A school saved under another name or kind of entry would vanish from the site without a word."""
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    schools = data / "schools"
    (schools / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (schools / "archive").mkdir()
    (schools / "archive" / "old.yaml").write_text("id: old\n", encoding="utf-8")
    (schools / "linked").symlink_to(tmp_path, target_is_directory=True)
    dataset, problems = load(data)
    assert dataset is None
    found = [p.format() for p in problems]
    expected = "(ожидались только файлы <id>.yaml прямо в data/schools/"
    assert ("data/schools/.DS_Store: скрытый файл (имя начинается с точки; ожидались только файлы <id>.yaml прямо "
            "в data/schools/; найдено «.DS_Store» — такие файлы оставляют macOS и редакторы: удалите его или уберите "
            "точку из имени)") in found
    assert ("data/schools/archive: вложенная папка " + expected + "; найдена папка, файлов в ней: 1 — файлы во "
            "вложенных папках не читаются: перенесите их в data/schools/ или удалите папку)") in found
    assert "data/schools/linked: символическая ссылка вместо файла (ожидался обычный файл в папке data/)" in found


def test_a_named_pipe_in_a_record_folder_is_refused_not_read(tmp_path):
    import os

    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    os.mkfifo(data / "schools" / "pipe.yaml")
    # A hang guard, not a speed test: reading a pipe nobody writes to never ends.
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), "--data", str(data)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert ("ошибка: data/schools/pipe.yaml: не обычный файл (ожидались только файлы <id>.yaml прямо в data/schools/; "
            "найден именованный канал)") in result.stdout.splitlines()
