"""Vietnamese text: NFC normalisation, folding for search, and name ordering.

* ``nfc`` — every text entering the system goes through it: the same letter
  arrives precomposed ("ế" U+1EBF) or decomposed (e + U+0302 + U+0301).
* ``fold`` — the search form: lower case, tone and vowel marks removed, đ→d,
  white space collapsed. "Công Đoàn" and "cong doan" fold to the same string.
* ``name_sort_key`` — Vietnamese order for personal names: given name (the
  last word) first, then the middle names, then the family name; letters in
  the Vietnamese alphabet (a ă â b c d đ e ê ...), then tones
  (ngang, huyền, hỏi, ngã, sắc, nặng).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """Return ``value`` in Unicode NFC with surrounding white space removed."""
    return unicodedata.normalize("NFC", value).strip()


def fold(value: str) -> str:
    """The folded form used by every search: lower case, no marks, đ→d, single spaces."""
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped.lower()).strip()


# The Vietnamese alphabet, with the Latin letters that foreign names bring
# placed where Vietnamese dictionaries place them.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: index + 1 for index, letter in enumerate(ALPHABET)}
_OTHER_RANK = len(ALPHABET) + 1  # digits and anything else: after the letters

# Combining tone marks in dictionary order: ngang (none), huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Combining marks that make a distinct letter: ă (breve), â ê ô (circumflex), ơ ư (horn).
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}

WORD_WIDTH = 10  # letters kept per word in the string key
MIDDLE_WORDS = 3  # middle names kept in the string key


def _word_parts(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Split one word into (letter ranks, tone ranks)."""
    letters: list[int] = []
    tones: list[int] = []
    for cluster in _clusters(word.lower()):
        base, marks = cluster[0], cluster[1:]
        if base == "đ":
            letter = "đ"
        else:
            letter = base
            for mark in marks:
                letter = _LETTER_MARKS.get((letter, mark), letter)
        tone = 0
        for mark in marks:
            tone = _TONES.get(mark, tone)
        letters.append(_LETTER_RANK.get(letter, _OTHER_RANK))
        tones.append(tone)
    return tuple(letters), tuple(tones)


def _clusters(word: str) -> list[str]:
    """Group a word into base characters followed by their combining marks."""
    clusters: list[str] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.category(ch) == "Mn" and clusters:
            clusters[-1] += ch
        elif unicodedata.category(ch) != "Mn":
            clusters.append(ch)
    return clusters


@lru_cache(maxsize=65536)
def word_key(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Collation key for one word: letters compared first, then tones.

    Cached: names of units and people repeat the same few thousand words.
    """
    return _word_parts(word)


def _split_name(full_name: str) -> tuple[str, list[str], str]:
    words = nfc(full_name).split()
    if not words:
        return "", [], ""
    if len(words) == 1:
        return words[0], [], ""
    return words[-1], words[1:-1], words[0]


def name_sort_key(full_name: str) -> tuple:
    """In-memory sort key: given name, then middle names, then family name."""
    given, middle, family = _split_name(full_name)
    return (word_key(given), tuple(word_key(m) for m in middle), word_key(family))


def _encode_word(word: str) -> str:
    letters, tones = _word_parts(word)
    letters = letters[:WORD_WIDTH]
    tones = tones[:WORD_WIDTH]
    letter_part = "".join(f"{rank:02d}" for rank in letters).ljust(WORD_WIDTH * 2, "0")
    tone_part = "".join(str(tone) for tone in tones).ljust(WORD_WIDTH, "0")
    return letter_part + tone_part


def name_sort_string(full_name: str) -> str:
    """A fixed-width string of digits that sorts names in Vietnamese order in any database.

    Only digits are used so that every database collation orders it the same way.
    Words longer than ``WORD_WIDTH`` letters and middle names beyond
    ``MIDDLE_WORDS`` are cut; for Vietnamese names that never matters.
    """
    given, middle, family = _split_name(full_name)
    middle = middle[:MIDDLE_WORDS] + [""] * (MIDDLE_WORDS - len(middle[:MIDDLE_WORDS]))
    return "".join(_encode_word(word) for word in [given, *middle, family])


@lru_cache(maxsize=100_000)
def unit_sort_key(name: str) -> tuple:
    """Sort key for names of organisations: word by word in Vietnamese order (cached)."""
    return tuple(word_key(word) for word in unicodedata.normalize("NFC", name).split())


def vnd(amount: int) -> str:
    """An amount of đồng written the Vietnamese way, dots between thousands: 17.000.000."""
    return f"{amount:,}".replace(",", ".")
