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


def plain_name(text: str) -> str:
    """«МБОУ СОШ N 27 г. Пензы» and «мбоу сош №27 г.пензы» are the same school: a name without case,
    spacing, quotes, dots and commas, «№» spelt one way (how the importer matches names)."""
    text = text.lower().replace("ё", "е")
    text = re.sub(r"(?:№|n[oº°]?\.?|#)\s*(?=\d)", "№", text)
    return re.sub(r"[\s«»\"'“”„.,]", "", text)


def _matcher(form: str) -> difflib.SequenceMatcher:
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(form)  # difflib caches what it learns about the second sequence
    return matcher


class Nearest:
    """The candidates of one kind (id → the record's names: full, short …), prepared once: a national
    dataset has 10 000 schools, and every unknown id is compared with all of them."""

    def __init__(self, names: dict[str, tuple[str, ...]]):
        self.names = names
        # Each candidate's Latin forms (its id, its names transliterated) and Cyrillic ones (its names
        # as the importer compares them): a typed value is compared with the forms of its own alphabet.
        self.forms = [(record_id, (record_id, *(transliterate(n) for n in spellings)), tuple(plain_name(n) for n in spellings))
                      for record_id, spellings in sorted(names.items())]

    def find(self, typed: str, n: int = 3) -> list[str]:
        """Up to `n` ids nearest to `typed`, nearest first."""
        latin = [_matcher(form) for form in {typed.lower(), transliterate(typed)} if form]
        plain = [_matcher(form) for form in {plain_name(typed)} if form]
        scored = []
        for record_id, latin_forms, plain_forms in self.forms:
            best = 0.0
            for matchers, forms in ((latin, latin_forms), (plain, plain_forms)):
                for matcher in matchers:
                    for form in forms:
                        matcher.set_seq1(form)
                        # The cheap upper bounds first (as difflib.get_close_matches does): most forms are far.
                        floor = max(best, _CUTOFF)
                        if matcher.real_quick_ratio() >= floor and matcher.quick_ratio() >= floor:
                            best = max(best, matcher.ratio())
            if best >= _CUTOFF:
                scored.append((-best, record_id))
        return [record_id for _, record_id in sorted(scored)[:n]]

    def hint(self, typed: str) -> str:
        """«; возможно, имелось в виду: kamensky (Каменский район)», or "" when nothing is near."""
        found = self.find(typed)
        if not found:
            return ""
        return "; возможно, имелось в виду: " + ", ".join(f"{i} ({self.names[i][-1]})" for i in found)


def nearest(typed: str, names: dict[str, tuple[str, ...]], n: int = 3) -> list[str]:
    """Up to `n` ids of `names` (id → the record's names) nearest to `typed`, nearest first."""
    return Nearest(names).find(typed, n)


def hint(typed: str, names: dict[str, tuple[str, ...]]) -> str:
    """Nearest(names).hint(typed), for one look-up."""
    return Nearest(names).hint(typed)
