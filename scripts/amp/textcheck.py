"""Text a reader cannot check by eye: invisible characters, words that mix alphabets, look-alike names.

Coordinators copy names and titles from Word, PDF and school websites. What comes along is often
invisible (a zero-width space, a soft hyphen, a left-to-right mark) or a Latin letter that looks
Cyrillic («Решетинo» with a Latin o). On the page nothing shows, but search, sorting, filters and
the comparison of names stop working, so such text is refused with the character named.
"""

from __future__ import annotations

import functools
import re
import types
import typing
import unicodedata

from pydantic import BaseModel

# Default_Ignorable_Code_Point, as published in the Unicode Character Database
# (https://www.unicode.org/Public/UCD/latest/ucd/DerivedCoreProperties.txt, 4 174 code points):
# characters a renderer shows as nothing. Python's unicodedata does not have this property.
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),  # SOFT HYPHEN
    (0x034F, 0x034F),  # COMBINING GRAPHEME JOINER
    (0x061C, 0x061C),  # ARABIC LETTER MARK
    (0x115F, 0x1160),  # HANGUL CHOSEONG / JUNGSEONG FILLER
    (0x17B4, 0x17B5),  # KHMER VOWEL INHERENT AQ, AA
    (0x180B, 0x180F),  # MONGOLIAN FREE VARIATION SELECTORS, MONGOLIAN VOWEL SEPARATOR
    (0x200B, 0x200F),  # ZERO WIDTH SPACE, ZWNJ, ZWJ, LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x206F),  # WORD JOINER, invisible operators, bidi isolates, deprecated format characters
    (0x3164, 0x3164),  # HANGUL FILLER
    (0xFE00, 0xFE0F),  # VARIATION SELECTOR-1..16
    (0xFEFF, 0xFEFF),  # ZERO WIDTH NO-BREAK SPACE (a byte-order mark inside text)
    (0xFFA0, 0xFFA0),  # HALFWIDTH HANGUL FILLER
    (0xFFF0, 0xFFF8),  # reserved
    (0x1BCA0, 0x1BCA3),  # SHORTHAND FORMAT controls
    (0x1D173, 0x1D17A),  # MUSICAL SYMBOL BEGIN BEAM..END PHRASE
    (0xE0000, 0xE0FFF),  # tag characters, VARIATION SELECTOR-17..256, reserved
)


@functools.cache
def _invisible() -> re.Pattern:
    """Default-ignorable characters plus every format character (general category Cf) of this
    Python's Unicode version: Arabic number signs, interlinear annotation marks and the like are
    format controls too, and no name or title needs one. Built once, on the first non-ASCII text.

    Only planes 0, 1 and 14 are read (a hundredth of a second instead of a tenth): the others hold
    CJK ideographs, private use and unassigned code points, never a format character."""
    ranges = list(DEFAULT_IGNORABLE)
    for plane in (0x00000, 0x10000, 0xE0000):
        start = None
        for code in range(plane, plane + 0x10001):
            inside = code < plane + 0x10000 and unicodedata.category(chr(code)) == "Cf"
            if inside and start is None:
                start = code
            elif not inside and start is not None:
                ranges.append((start, code - 1))
                start = None
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in sorted(ranges)) + "]")


def character_name(char: str) -> str:
    """«U+200B ZERO WIDTH SPACE»: the code point and, when Unicode gives one, its name."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    return f"{code} {name}" if name else code


def invisible_characters(text: str) -> list[tuple[int, str]]:
    """(1-based position, character) of every invisible character in `text`.

    U+200D ZERO WIDTH JOINER and the variation selectors are refused too, although emoji use them:
    the data are names, titles and notes from official documents, which hold no emoji."""
    if text.isascii():  # no format or default-ignorable character is ASCII
        return []
    return [(match.start() + 1, match.group()) for match in _invisible().finditer(text)]


def invisible_message(text: str) -> str | None:
    found = invisible_characters(text)
    if not found:
        return None
    position, char = found[0]
    count = f"; всего невидимых символов в значении: {len(found)}" if len(found) > 1 else ""
    return (f"невидимый символ {character_name(char)} в позиции {position} (ожидался текст без невидимых символов"
            f"{count}): на странице его не видно, но он ломает поиск и сравнение названий; такие символы "
            f"попадают при копировании из Word, PDF или с сайтов — удалите {'его' if len(found) == 1 else 'их'}")


# --- words that mix alphabets ------------------------------------------------------------------

# Letters of the three alphabets whose shapes coincide (Unicode confusables.txt is full of
# Latin/Cyrillic/Greek pairs); a word written in two of them is almost always a look-alike slip.
_SCRIPTS = (  # (one letter, several letters, «among …» form, the alphabet's letters)
    ("латинская буква", "латинские буквы", "латинских", re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff\uff21-\uff3a\uff41-\uff5a]")),
    ("русская буква", "русские буквы", "русских", re.compile("[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")),
    ("греческая буква", "греческие буквы", "греческих", re.compile("[\u0370-\u03ff\u1f00-\u1fff]")),
)
_WORD = re.compile(r"[^\W\d_]+")


def _script(char: str) -> int | None:
    for index, (*_, letters) in enumerate(_SCRIPTS):
        if letters.match(char):
            return index
    return None


def mixed_script_words(text: str) -> list[tuple[str, int, int, list[str]]]:
    """(word, alphabet of the odd letters, the word's main alphabet, the odd letters) for each word
    written in two alphabets (alphabets as indices into _SCRIPTS).

    The odd letters are those of the alphabet in the minority within the word (Latin on a tie):
    in «Решетинo» the Latin «o»."""
    if sum(1 for *_, letters in _SCRIPTS if letters.search(text)) < 2:
        return []
    found = []
    for word in _WORD.findall(unicodedata.normalize("NFC", text)):
        counts: dict[int, list[str]] = {}
        for char in word:
            script = _script(char)
            if script is not None:
                counts.setdefault(script, []).append(char)
        if len(counts) < 2:
            continue
        majority = max(counts, key=lambda s: (len(counts[s]), -s))
        for script, chars in sorted(counts.items()):
            if script != majority:
                found.append((word, script, majority, list(dict.fromkeys(chars))))
    return found


def mixed_script_message(text: str) -> str | None:
    found = mixed_script_words(text)
    if not found:
        return None
    word, odd, main, chars = found[0]
    kind = _SCRIPTS[odd][0] if len(chars) == 1 else _SCRIPTS[odd][1]
    letters = ", ".join(f"«{c}» ({character_name(c)})" for c in chars)
    more = f"; слов с той же ошибкой ещё {len(found) - 1}" if len(found) > 1 else ""
    return (f"в слове «{word}» {kind} среди {_SCRIPTS[main][2]}: {letters} (ожидалось слово, набранное одним "
            f"алфавитом{more}); наберите {'её' if len(chars) == 1 else 'их'} заново в нужной раскладке")


# --- names that look alike ---------------------------------------------------------------------

# After NFKC and case folding, each letter that has a look-alike in another alphabet becomes one
# representative (Latin/Cyrillic pairs of Unicode confusables.txt, https://www.unicode.org/Public/
# security/latest/confusables.txt, folded to lower case; digits that pass for letters; ё as е, as
# Russian spelling allows).
_LOOKALIKE = str.maketrans({
    "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "o": "о", "p": "р", "t": "т",
    "x": "х", "y": "у", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "i", "l": "i",
    "1": "i", "0": "о", "3": "з", "6": "б", "ё": "е",
    "α": "а", "ο": "о", "ρ": "р", "ε": "е", "κ": "к", "τ": "т", "χ": "х", "υ": "у", "ν": "v", "ι": "i",
})
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def name_skeleton(name: str) -> str:
    """What a name looks like, for comparison: case, spacing, punctuation and look-alike letters
    of other alphabets ignored («МБОУ СОШ № 1» and «мбоу  COШ №1» give the same skeleton)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return _NOT_ALPHANUMERIC.sub("", folded).translate(_LOOKALIKE)


# --- where the free text of a data file is ------------------------------------------------------

def is_free_text(annotation) -> bool:
    """Free text: a string without a pattern (ids and addresses have their own rules)."""
    if annotation is str:
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        return base is str and not any(getattr(m, "pattern", None) for m in meta)
    return False


# A plan says where the text is in a value of one annotation, worked out once per type (10 000
# school files are walked on every build): ("text",), ("model", ((name, plan), …)), ("list", plan),
# ("dict", plan), ("union", (plan, …)) or None (nothing to read: numbers, dates, ids, addresses).
_TEXT = ("text",)


@functools.cache
def _plan(annotation) -> tuple | None:
    if is_free_text(annotation):
        return _TEXT
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        plans = tuple(p for p in (_plan(a) for a in typing.get_args(annotation) if a is not type(None)) if p)
        return plans[0] if len(plans) == 1 else (("union", plans) if plans else None)
    if origin is typing.Annotated:
        return None  # a constrained non-text value (a pattern: ids, addresses)
    if origin is list:
        item = _plan(typing.get_args(annotation)[0])
        return ("list", item) if item else None
    if origin is dict:
        item = _plan(typing.get_args(annotation)[1])
        return ("dict", item) if item else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = []
        for name, info in annotation.model_fields.items():
            field = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            plan = _plan(field)
            if plan:
                fields.append((name, plan))
        return ("model", tuple(fields)) if fields else None
    return None


def _walk(plan: tuple, value, path: tuple, out: list) -> None:
    kind = plan[0]
    if kind == "text":
        if isinstance(value, str):
            out.append((path, value))
    elif kind == "model":
        if isinstance(value, dict):
            for name, sub in plan[1]:
                if name in value:
                    _walk(sub, value[name], path + (name,), out)
    elif kind == "list":
        if isinstance(value, list):
            for index, element in enumerate(value):
                _walk(plan[1], element, path + (index,), out)
    elif kind == "dict":
        if isinstance(value, dict):
            for key, element in value.items():
                _walk(plan[1], element, path + (key,), out)
    else:  # union: the first alternative that fits the value's shape
        for option in plan[1]:
            shape = {"text": str, "model": dict, "list": list, "dict": dict}[option[0]]
            if isinstance(value, shape):
                _walk(option, value, path, out)
                return


def text_values(annotation, value) -> list[tuple[tuple, str]]:
    """(path, text) for every free-text value in `value`, parsed YAML read along its model.

    Values of the wrong type are passed over: the schema check reports them."""
    out: list = []
    plan = _plan(annotation)
    if plan:
        _walk(plan, value, (), out)
    return out


# Russian text with ASCII digits, signs and spaces and the usual typographic marks (« » — № …):
# nearly every value, passed in one step; anything else is looked at character by character.
_PLAIN = re.compile("[\t\n\r\x20-\x40\x5b-\x60\x7b-\x7e\u00a0-\u00ac\u00ae-\u00bf\u0400-\u04ff"
                    "\u2010-\u2027\u2030-\u205e\u2116]*")


def text_problems(model: type[BaseModel], data: object) -> list[tuple[tuple, str]]:
    """(path, Russian message) for each free-text value with an invisible character or a word in
    two alphabets."""
    found = []
    for path, text in text_values(model, data):
        if text.isascii() or _PLAIN.fullmatch(text):
            continue
        for message in (invisible_message(text), mixed_script_message(text)):
            if message is not None:
                found.append((path, message))
    return found
