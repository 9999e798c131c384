"""Accent folding for Vietnamese search.

``fold`` is the single normalisation applied both to the stored search text of
catalogue records and to what a visitor types, so "Đảng ủy Khối", "DANG UY
KHOI" and "dang  uy khoi" all meet at "dang uy khoi". Never fold with anything
else: stored text and queries must go through the same function.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.text import slugify

__all__ = ["fold", "fold_words", "slug_of"]

# Letters whose stroke or ligature is not a combining mark, so Unicode
# decomposition leaves them alone. Keys are lowercase because the lookup runs
# after casefolding.
_SPECIAL_LETTERS: dict[str, str] = {
    "đ": "d",  # Vietnamese d with stroke (NFD does not fold it)
    "ð": "d",  # eth; upper case Ð looks identical to Đ
    "ɖ": "d",
    "ø": "o",
    "ł": "l",
    "ħ": "h",
    "ŧ": "t",
    "ƀ": "b",
    "ɨ": "i",
    "ı": "i",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
}
_SPECIAL_TABLE = str.maketrans(_SPECIAL_LETTERS)

# Combining diacritical marks: every Vietnamese tone and vowel mark after NFD.
_MARKS_RE = re.compile("[\u0300-\u036f]")
_WORD_RE = re.compile(r"[^\W_]+")


def _strip_marks(text: str) -> str:
    """Drop combining marks (and the whole U+0300 block, as the fast path does)."""
    text = _MARKS_RE.sub("", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _fold_chars(text: str) -> str:
    """Fold case and accents without touching whitespace (the slow path)."""
    # NFKD first: compatibility forms (fullwidth letters, ligatures, "ℌ") may
    # decompose to upper case. Casefolding may in turn produce precomposed
    # letters ("ᾈ" -> "ἀι"), hence the second decomposition.
    text = _strip_marks(unicodedata.normalize("NFKD", text)).casefold()
    text = _strip_marks(unicodedata.normalize("NFKD", text))
    text = text.translate(_SPECIAL_TABLE)
    # Recompose what has no combining mark left (Hangul syllables, ...).
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Return ``text`` lowercased, without accents and with tidy whitespace.

    "Đảng ủy Khối" -> "dang uy khoi". Whitespace runs become one space and the
    ends are stripped. ``fold(fold(s)) == fold(s)`` for every string.
    """
    # Fast path, all in C: enough for Vietnamese and most Latin text. Whenever
    # it leaves anything outside ASCII, the full fold decides instead, so both
    # paths agree on every input (checked by the tests).
    folded = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    folded = _MARKS_RE.sub("", folded)
    if not folded.isascii():
        folded = _fold_chars(text)
    return " ".join(folded.split())


def fold_words(text: str) -> list[str]:
    """Split folded ``text`` into word tokens, dropping punctuation.

    "Số 36-HD/VPTW" -> ["so", "36", "hd", "vptw"].
    """
    return _WORD_RE.findall(fold(text))


def slug_of(text: str, max_length: int = 80) -> str:
    """The address made from a Vietnamese title: letters without their marks, đ as d, words joined
    by hyphens. "Đại hội Đảng bộ Khối qua các nhiệm kỳ" -> "dai-hoi-dang-bo-khoi-qua-cac-nhiem-ky"."""
    return slugify(fold(text))[:max_length].strip("-")
