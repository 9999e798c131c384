"""Tests for basics.text: the one accent-folding function used for search."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from basics.text import _fold_chars, fold, fold_words

VIETNAMESE_VOWELS = {
    "a": "aàáảãạ ăằắẳẵặ âầấẩẫậ",
    "e": "eèéẻẽẹ êềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọ ôồốổỗộ ơờớởỡợ",
    "u": "uùúủũụ ưừứửữự",
    "y": "yỳýỷỹỵ",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đảng ủy Khối", "dang uy khoi"),
        ("Truyền thống", "truyen thong"),
        ("ĐẢNG", "dang"),
        ("đ Đ", "d d"),
        ("Phòng Truyền thống Đảng bộ Khối", "phong truyen thong dang bo khoi"),
        ("  Hà \t Nội\n\n1930  ", "ha noi 1930"),
        ("Bác\u00a0Hồ", "bac ho"),  # non-breaking space
        ("", ""),
        ("   \t\n ", ""),
        ("36-HD/VPTW", "36-hd/vptw"),
        ("Straße", "strasse"),  # casefold, not just lower
        ("Øresund Łódź", "oresund lodz"),
        ("ＨÀ ＮỘＩ", "ha noi"),  # fullwidth forms
        ("ﬁle", "file"),  # ligature
    ],
)
def test_fold_examples(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_fold_decomposed_input_matches_precomposed() -> None:
    # macOS and some keyboards send decomposed Vietnamese (letter + marks).
    precomposed = "Nguyễn Thị Định"
    decomposed = unicodedata.normalize("NFD", precomposed)
    assert decomposed != precomposed
    assert fold(decomposed) == fold(precomposed) == "nguyen thi dinh"


@pytest.mark.parametrize("base", sorted(VIETNAMESE_VOWELS))
def test_every_vietnamese_vowel_and_tone_folds_to_ascii(base: str) -> None:
    letters = VIETNAMESE_VOWELS[base].replace(" ", "")
    for letter in letters + letters.upper():
        assert fold(letter) == base, letter


def test_vowel_table_is_complete() -> None:
    # 12 Vietnamese vowels x 6 tones (the first of each group is toneless).
    letters = "".join(VIETNAMESE_VOWELS.values()).replace(" ", "")
    assert len(set(letters)) == 72


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Số 36-HD/VPTW", ["so", "36", "hd", "vptw"]),
        ("Đảng ủy, Khối; (1930–2025)!", ["dang", "uy", "khoi", "1930", "2025"]),
        ("snake_case  words", ["snake", "case", "words"]),
        ("...", []),
        ("", []),
    ],
)
def test_fold_words(text: str, expected: list[str]) -> None:
    assert fold_words(text) == expected


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    once = fold(text)
    assert fold(once) == once


@given(st.text())
def test_fold_has_no_case_marks_or_stray_whitespace(text: str) -> None:
    folded = fold(text)
    assert folded == folded.strip()
    assert "  " not in folded
    assert not any(unicodedata.combining(ch) for ch in folded)
    assert "đ" not in folded


@given(st.text())
def test_fast_path_agrees_with_full_fold(text: str) -> None:
    assert fold(text) == " ".join(_fold_chars(text).split())


@given(st.text(alphabet="aăâeêioôơuưyđAĂÂEÊIOÔƠUƯYĐbcdghklmnpqrstvx \u0300\u0301\u0303\u0309\u0323"))
def test_vietnamese_text_folds_to_ascii(text: str) -> None:
    folded = fold(unicodedata.normalize("NFC", text))
    assert folded.isascii()
    assert folded == folded.lower()
