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


# --- text a reader cannot check by eye ----------------------------------------------------------

def _school_named(tmp_path, name: str):
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    school = data / "schools" / "alpha.yaml"
    school.write_text(school.read_text(encoding="utf-8").replace(
        "name: МБОУ СОШ с. Альфа Городского района", f"name: {name}", 1), encoding="utf-8")
    return load(data)


@pytest.mark.parametrize("char, name", [
    ("\u200b", "ZERO WIDTH SPACE"), ("\u200c", "ZERO WIDTH NON-JOINER"), ("\u200d", "ZERO WIDTH JOINER"),
    ("\u2060", "WORD JOINER"), ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"), ("\u200e", "LEFT-TO-RIGHT MARK"),
    ("\u200f", "RIGHT-TO-LEFT MARK"), ("\u061c", "ARABIC LETTER MARK"), ("\u2062", "INVISIBLE TIMES"),
    ("\U000e0041", "TAG LATIN CAPITAL LETTER A"), ("\u3164", "HANGUL FILLER"), ("\u115f", "HANGUL CHOSEONG FILLER"),
    ("\uffa0", "HALFWIDTH HANGUL FILLER"), ("\u00ad", "SOFT HYPHEN"), ("\ufe0f", "VARIATION SELECTOR-16"),
    ("\u180e", "MONGOLIAN VOWEL SEPARATOR"), ("\u034f", "COMBINING GRAPHEME JOINER"),
    ("\u0600", "ARABIC NUMBER SIGN"),  # a format character (Cf) that is not default-ignorable
])
def test_an_invisible_character_in_text_is_refused_by_name(tmp_path, char, name):
    dataset, problems = _school_named(tmp_path, f"МБОУ{char} СОШ с. Альфа")
    assert dataset is None
    assert (f"data/schools/alpha.yaml:2: name: невидимый символ U+{ord(char):04X} {name} в позиции 5 (ожидался текст "
            "без невидимых символов): на странице его не видно, но он ломает поиск и сравнение названий; такие "
            "символы попадают при копировании из Word, PDF или с сайтов — удалите его") in [p.format() for p in problems]


def test_emoji_joined_by_zero_width_joiner_are_refused_too(tmp_path):
    """Names, titles and notes of official documents hold no emoji; the joiner is refused everywhere."""
    dataset, problems = _school_named(tmp_path, "Школа \U0001F469\u200d\U0001F393")
    assert dataset is None
    assert any("невидимый символ U+200D ZERO WIDTH JOINER в позиции 8" in p.message for p in problems)


def test_every_format_character_of_this_python_is_refused():
    """The hard-coded Default_Ignorable_Code_Point ranges and the category Cf read from unicodedata."""
    import unicodedata

    from amp.textcheck import DEFAULT_IGNORABLE, invisible_characters

    codes = {c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
    codes |= {c for start, end in DEFAULT_IGNORABLE for c in range(start, end + 1)}
    assert len(codes) > 4174
    text = "ш" + "".join(map(chr, sorted(codes)))
    assert len(invisible_characters(text)) == len(codes)
    assert invisible_characters("МБОУ «СОШ № 1» г. Пензы — школа\u00a0№ 1 (ё, й, ₽)") == []


@pytest.mark.parametrize("name, word, letters", [
    ("СОШ с. Решетинo", "Решетинo", "латинская буква среди русских: «o» (U+006F LATIN SMALL LETTER O)"),
    ("МБОУ CОШ с. Альфа", "CОШ", "латинская буква среди русских: «C» (U+0043 LATIN CAPITAL LETTER C)"),
    ("Школа Microsоft", "Microsоft", "русская буква среди латинских: «о» (U+043E CYRILLIC SMALL LETTER O)"),
    ("Рeшeтинo", "Рeшeтинo", "латинские буквы среди русских: «e» (U+0065 LATIN SMALL LETTER E), «o» (U+006F "
                             "LATIN SMALL LETTER O)"),
])
def test_a_word_mixing_latin_and_cyrillic_is_refused_naming_the_letters(tmp_path, name, word, letters):
    dataset, problems = _school_named(tmp_path, name)
    assert dataset is None
    shown = "её" if "буква " in letters else "их"
    assert (f"data/schools/alpha.yaml:2: name: в слове «{word}» {letters} (ожидалось слово, набранное одним алфавитом); "
            f"наберите {shown} заново в нужной раскладке") in [p.format() for p in problems]


def test_latin_words_beside_russian_ones_are_fine(tmp_path):
    dataset, problems = _school_named(tmp_path, "'МБОУ СОШ с. Альфа (IT-куб, e-mail: school@example.org, Wi-Fi)'")
    assert dataset is not None, [p.format() for p in problems]
