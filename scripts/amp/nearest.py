"""The nearest known ids to an unknown one, for «возможно, имелось в виду …» hints.

A coordinator types an id from memory (`kamenskiy`), or the name itself («Каменский район»): the
candidates are compared by the id as typed and by its transliteration against each id and against
the transliteration of each record's name (the project's ids are such transliterations:
«Каменский район» → `kamensky`, «СОШ с. Анненково» → `annenkovo-sosh`).
"""

from __future__ import annotations

import difflib
import re

_LETTERS = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                     "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))
# Adjective endings as the ids spell them: «Каменский» → kamensky, «Заречный» → zarechny.
_ENDINGS = (("ский", "sky"), ("цкий", "tsky"), ("ный", "ny"), ("ий", "y"), ("ый", "y"))
# Words every name of a kind has: they tell nothing about which record is meant.
_GENERIC = {"район", "муниципальный", "городской", "округ", "город", "г", "с", "п", "рп", "пгт", "мбоу", "моу",
            "мобу", "гбоу", "имени", "им"}
_CUTOFF = 0.6


def transliterate(text: str) -> str:
    """A name as an id would spell it: «Каменский район» → kamensky, «СОШ № 1 г. Каменки» → sosh-1-kamenki."""
    words = [w for w in re.findall(r"[0-9a-zа-яё]+", text.lower().replace("ё", "е")) if w not in _GENERIC]
    out = []
    for word in words:
        for ending, latin in _ENDINGS:
            if word.endswith(ending) and len(word) > len(ending) + 1:
                word = word[: -len(ending)] + "\0" + latin  # the ending is already Latin
                break
        head, _, tail = word.partition("\0")
        out.append("".join(_LETTERS.get(ch, ch) for ch in head) + tail)
    return "-".join(out)


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio() if a and b else 0.0


def plain_name(text: str) -> str:
    """«МБОУ СОШ N 27 г. Пензы» and «мбоу сош №27 г.пензы» are the same school: a name without case,
    spacing, quotes, dots and commas, «№» spelt one way (how the importer matches names)."""
    text = text.lower().replace("ё", "е")
    text = re.sub(r"(?:№|n[oº°]?\.?|#)\s*(?=\d)", "№", text)
    return re.sub(r"[\s«»\"'“”„.,]", "", text)


def nearest(typed: str, names: dict[str, tuple[str, ...]], n: int = 3) -> list[str]:
    """Up to `n` ids of `names` (id → the record's names: full, short) nearest to `typed`, nearest first."""
    forms = {typed.lower(), transliterate(typed)}
    plain = plain_name(typed)
    scored = []
    for record_id, spellings in names.items():
        score = max(_similarity(form, record_id) for form in forms)
        for name in spellings:
            latin = transliterate(name)
            score = max(score, _similarity(plain, plain_name(name)), *(_similarity(form, latin) for form in forms))
        if score >= _CUTOFF:
            scored.append((-score, record_id))
    return [record_id for _, record_id in sorted(scored)[:n]]


def hint(typed: str, names: dict[str, tuple[str, ...]]) -> str:
    """«; возможно, имелось в виду: kamensky (Каменский район)», or "" when nothing is near."""
    found = nearest(typed, names)
    if not found:
        return ""
    return "; возможно, имелось в виду: " + ", ".join(f"{i} ({names[i][-1]})" for i in found)
