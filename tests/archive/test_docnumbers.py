"""Tests for archive.docnumbers: parsing the "số và ký hiệu" of a document."""

from __future__ import annotations

import dataclasses
import os

import django
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from archive.docnumbers import (
    DOCUMENT_TYPES,
    MAX_LENGTH,
    PARTY_DOCUMENT_TYPES,
    DocumentNumber,
    canonical_type_code,
    document_type_info,
    parse_document_number,
    suggest_document_type,
    validate_document_number,
)

if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.configure(USE_I18N=True, LANGUAGE_CODE="vi")
    django.setup()

# Every test runs on 15/06/2026 (the newest valid year is the current one).
pytestmark = pytest.mark.instant("2026-06-15 09:00")
THIS_YEAR = 2026
FIELD_NAME = "Số và ký hiệu"
EXAMPLES = 'Dùng dạng văn bản Đảng "36-HD/VPTW" hoặc dạng văn bản nhà nước "05/2025/TT-BNV".'


@pytest.fixture(autouse=True, scope="module")
def _vietnamese():
    with translation.override("vi"):
        yield


def _messages(excinfo: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return excinfo.value.messages


# text, number, number_text, year, type_code, issuer, form, canonical text
VALID = [
    ("36-HD/VPTW", 36, "36", None, "HD", "VPTW", "party", "36-HD/VPTW"),
    ("14514-CV/VPTW", 14514, "14514", None, "CV", "VPTW", "party", "14514-CV/VPTW"),
    ("05-QĐ/TW", 5, "05", None, "QĐ", "TW", "party", "05-QĐ/TW"),
    ("123-NQ/ĐUK", 123, "123", None, "NQ", "ĐUK", "party", "123-NQ/ĐUK"),
    ("07-KH/ĐU", 7, "07", None, "KH", "ĐU", "party", "07-KH/ĐU"),
    ("45-TB/BTGTW", 45, "45", None, "TB", "BTGTW", "party", "45-TB/BTGTW"),
    ("12-QĐ/ĐUK-BTG", 12, "12", None, "QĐ", "ĐUK-BTG", "party", "12-QĐ/ĐUK-BTG"),
    ("15-CV/ĐUK", 15, "15", None, "CV", "ĐUK", "party", "15-CV/ĐUK"),
    ("1234/VPTW", 1234, "1234", None, "", "VPTW", "party", "1234/VPTW"),
    ("05/2025/TT-BNV", 5, "05", 2025, "TT", "BNV", "state", "05/2025/TT-BNV"),
    ("30/2020/NĐ-CP", 30, "30", 2020, "NĐ", "CP", "state", "30/2020/NĐ-CP"),
    ("01/2024/QĐ-UBND", 1, "01", 2024, "QĐ", "UBND", "state", "01/2024/QĐ-UBND"),
    ("1/1930/NĐ-CP", 1, "1", 1930, "NĐ", "CP", "state", "1/1930/NĐ-CP"),
    ("123/QĐ-BNV", 123, "123", None, "QĐ", "BNV", "state", "123/QĐ-BNV"),
    ("456/BC-VPCP", 456, "456", None, "BC", "VPCP", "state", "456/BC-VPCP"),
    ("123/BNV-TCCB", 123, "123", None, "", "BNV-TCCB", "state", "123/BNV-TCCB"),
    ("15/KH-BCĐ389", 15, "15", None, "KH", "BCĐ389", "state", "15/KH-BCĐ389"),
    ("999999-CV/VPTW", 999999, "999999", None, "CV", "VPTW", "party", "999999-CV/VPTW"),
    # Cataloguers type fast: spaces, lower case, typographic dashes, "Số:".
    ("  36 - HD / VPTW  ", 36, "36", None, "HD", "VPTW", "party", "36-HD/VPTW"),
    ("05-qđ/tw", 5, "05", None, "QĐ", "TW", "party", "05-QĐ/TW"),
    ("10-qđi/tw", 10, "10", None, "QĐi", "TW", "party", "10-QĐi/TW"),
    ("10-QĐI/TW", 10, "10", None, "QĐi", "TW", "party", "10-QĐi/TW"),
    ("25-TTR/đuk", 25, "25", None, "TTr", "ĐUK", "party", "25-TTr/ĐUK"),
    ("03-ctr/tw", 3, "03", None, "CTr", "TW", "party", "03-CTr/TW"),
    ("Số: 03-TT/TW", 3, "03", None, "TT", "TW", "party", "03-TT/TW"),
    ("05/2025/TT–BNV", 5, "05", 2025, "TT", "BNV", "state", "05/2025/TT-BNV"),  # en dash
    ("12-QÐ/ÐUK", 12, "12", None, "QĐ", "ĐUK", "party", "12-QĐ/ĐUK"),  # Icelandic eth
    ("1-xyz/vptw", 1, "1", None, "XYZ", "VPTW", "party", "1-XYZ/VPTW"),  # unknown type
    (f"7/{THIS_YEAR}/CT-TTg", 7, "7", THIS_YEAR, "CT", "TTg", "state", f"7/{THIS_YEAR}/CT-TTg"),
    ("1234/qđ-ttg", 1234, "1234", None, "QĐ", "TTg", "state", "1234/QĐ-TTg"),  # Thủ tướng keeps its "g"
]


@pytest.mark.parametrize(
    ("text", "number", "number_text", "year", "type_code", "issuer", "form", "canonical"),
    VALID,
    ids=[row[0] for row in VALID],
)
def test_parse_valid(text, number, number_text, year, type_code, issuer, form, canonical) -> None:
    parsed = parse_document_number(text)
    assert parsed.number == number
    assert parsed.number_text == number_text
    assert parsed.year == year
    assert parsed.type_code == type_code
    assert parsed.issuer == issuer
    assert parsed.form == form
    assert str(parsed) == canonical
    assert parse_document_number(canonical) == parsed
    validate_document_number(text)  # does not raise


INVALID = [
    ("", "empty"),
    ("   ", "empty"),
    ("abc", "invalid"),
    ("36-HD", "invalid"),
    ("36/HD", "missing_issuer"),
    ("HD/VPTW", "invalid"),
    ("05/1820/TT-BNV", "year_range"),
    ("05/2999/TT-BNV", "year_range"),
    (f"05/{THIS_YEAR + 1}/TT-BNV", "year_range"),
    ("05/1929/TT-BNV", "year_range"),
    ("05/25/TT-BNV", "year_format"),
    ("0-HD/VPTW", "number_zero"),
    ("000/2020/NĐ-CP", "number_zero"),
    ("1234567-HD/VPTW", "number_too_long"),
    ("3a-HD/VPTW", "invalid_number"),
    ("٣٦-HD/VPTW", "invalid"),  # Arabic-Indic digits are not accepted
    ("36--HD/VPTW", "invalid"),
    ("36-/VPTW", "missing_type"),
    ("05/2025/-BNV", "missing_type"),
    ("36-H1/VPTW", "invalid_type"),
    ("36-HĐ😀/VPTW", "invalid_type"),
    ("36-HD/", "missing_issuer"),
    ("05/2025/TT", "missing_issuer"),
    ("123/QĐ-", "missing_issuer"),
    ("36-HD/V_PTW", "invalid_issuer"),
    ("36-HD/VPTW/X", "invalid"),
    ("36 HD/VPTW", "invalid"),
    ("36-HD/VP TW", "invalid"),
    ("😀", "invalid"),
    ("x" * 500, "too_long"),
    ("36-HD/VPTW" * 10, "too_long"),
]


@pytest.mark.parametrize(("text", "code"), INVALID, ids=[row[0][:20] for row in INVALID])
def test_parse_invalid(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        parse_document_number(text)
    assert excinfo.value.code == code
    [message] = _messages(excinfo)
    assert message.startswith(FIELD_NAME)
    assert "%(" not in message  # every placeholder was filled in
    with pytest.raises(ValidationError):
        validate_document_number(text or " ")  # only "" itself is allowed empty


def test_generic_message_shows_both_forms() -> None:
    with pytest.raises(ValidationError) as excinfo:
        parse_document_number("abc")
    assert _messages(excinfo) == [f'Số và ký hiệu "abc" không đúng mẫu. {EXAMPLES}']


def test_specific_messages() -> None:
    with pytest.raises(ValidationError) as excinfo:
        parse_document_number("05/1820/TT-BNV")
    assert f"năm ban hành 1820 phải từ 1930 đến {THIS_YEAR}" in _messages(excinfo)[0]
    with pytest.raises(ValidationError) as excinfo:
        parse_document_number("0-HD/VPTW")
    assert "số văn bản phải lớn hơn 0" in _messages(excinfo)[0]
    with pytest.raises(ValidationError) as excinfo:
        parse_document_number("36-H1/VPTW")
    assert 'ký hiệu loại văn bản "H1" có ký tự không được phép' in _messages(excinfo)[0]


def test_long_garbage_is_shortened_in_message() -> None:
    with pytest.raises(ValidationError) as excinfo:
        parse_document_number("Z" * 60)
    message = _messages(excinfo)[0]
    assert "Z" * 39 + "…" in message
    assert "Z" * 40 not in message


def test_too_long_message_names_the_limit() -> None:
    with pytest.raises(ValidationError) as excinfo:
        parse_document_number("1-HD/" + "VPTW-" * 20 + "X")
    assert _messages(excinfo)[0].startswith(f"Số và ký hiệu quá dài (tối đa {MAX_LENGTH} ký tự).")


@pytest.mark.parametrize("value", ["", None])
def test_validator_allows_empty(value: str | None) -> None:
    validate_document_number(value)


def test_document_number_is_frozen_and_raw_is_not_compared() -> None:
    typed = parse_document_number(" 05 - qđ / tw ")
    canonical = parse_document_number("05-QĐ/TW")
    assert typed.raw == "05-qđ/tw"
    assert canonical.raw == "05-QĐ/TW"
    assert typed == canonical
    assert hash(typed) == hash(canonical)
    with pytest.raises(dataclasses.FrozenInstanceError):
        typed.number = 6  # type: ignore[misc]


def test_leading_zeros_are_kept() -> None:
    assert parse_document_number("05-HD/VPTW") != parse_document_number("5-HD/VPTW")
    assert str(parse_document_number("005/2020/NĐ-CP")) == "005/2020/NĐ-CP"


@pytest.mark.parametrize(
    ("value", "document_type"),
    [
        ("36-HD/VPTW", "guidance"),
        ("05/2025/TT-BNV", "circular"),
        ("03-TT/TW", "party_circular"),  # TT is a thông tri in party documents
        ("10-QĐi/TW", "regulation"),
        ("10-qđ/TW", "decision"),
        ("12-HĐ/VPTW", "contract"),  # HĐ (hợp đồng) is not HD (hướng dẫn)
        ("30/2020/NĐ-CP", "decree"),
        ("25-TTr/ĐUK", "submission"),
        ("1234/VPTW", "official_letter"),  # party công văn without type code
        ("123/BNV-TCCB", "official_letter"),  # state công văn without type code
        ("1-XYZ/VPTW", None),
        ("abc", None),
        ("", None),
    ],
)
def test_suggest_document_type(value: str, document_type: str | None) -> None:
    assert suggest_document_type(value) == document_type


def test_suggest_document_type_accepts_parsed_number() -> None:
    parsed = parse_document_number("45-TB/BTGTW")
    assert suggest_document_type(parsed) == "notice"
    assert parsed.document_type == "notice"


REQUIRED_TYPES = {
    "decision",
    "resolution",
    "directive",
    "plan",
    "report",
    "guidance",
    "official_letter",
    "notice",
    "regulation",
    "conclusion",
    "submission",
    "rules",
    "programme",
    "minutes",
    "scheme",
    "list",
    "circular",
    "decree",
    "party_circular",
    "invitation",
    "communique",
    "contract",
    "introduction_letter",
}


def test_document_types_cover_required_types() -> None:
    all_types = [*DOCUMENT_TYPES.values(), *PARTY_DOCUMENT_TYPES.values()]
    codes = [code for code, _name in all_types]
    assert set(codes) == REQUIRED_TYPES
    assert len(codes) == len(set(codes))
    assert list(DOCUMENT_TYPES)[:3] == ["NQ", "QĐ", "QĐi"]
    assert str(DOCUMENT_TYPES["QĐi"][1]) == "quy định"
    assert str(DOCUMENT_TYPES["ĐA"][1]) == "đề án"


def test_every_document_type_code_parses_to_itself() -> None:
    for code in DOCUMENT_TYPES:
        assert canonical_type_code(code.lower()) == code
        assert parse_document_number(f"1-{code}/VPTW").type_code == code
        assert parse_document_number(f"1/2020/{code.lower()}-BNV").type_code == code


def test_document_type_info_depends_on_form() -> None:
    assert document_type_info("tt", "party") == PARTY_DOCUMENT_TYPES["TT"]
    assert document_type_info("TT", "state") == DOCUMENT_TYPES["TT"]
    assert document_type_info("HD", "party") == DOCUMENT_TYPES["HD"]
    assert document_type_info("ZZ") is None


# Hypothesis ---------------------------------------------------------------

KNOWN_CODES = list(DOCUMENT_TYPES)
UPPER_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZĐ"

number_texts = st.from_regex(r"\A[0-9]{1,6}\Z").filter(lambda text: int(text) > 0)
years = st.integers(min_value=1930, max_value=THIS_YEAR)
type_codes = st.one_of(st.sampled_from(KNOWN_CODES), st.text(alphabet=UPPER_LETTERS, min_size=1, max_size=5))
issuer_segments = st.from_regex(r"\A[A-ZĐ][A-ZĐ0-9]{0,5}\Z")
unknown_segments = issuer_segments.filter(lambda code: code not in {c.upper() for c in KNOWN_CODES})
issuers = st.lists(issuer_segments, min_size=1, max_size=3).map("-".join)


@st.composite
def document_numbers(draw: st.DrawFn) -> str:
    number = draw(number_texts)
    shape = draw(st.sampled_from(["party", "party-untyped", "state", "state-short", "state-untyped"]))
    if shape == "party":
        text = f"{number}-{draw(type_codes)}/{draw(issuers)}"
    elif shape == "party-untyped":
        text = f"{number}/{draw(unknown_segments)}"
    elif shape == "state":
        text = f"{number}/{draw(years)}/{draw(type_codes)}-{draw(issuers)}"
    elif shape == "state-short":
        text = f"{number}/{draw(st.sampled_from(KNOWN_CODES))}-{draw(issuers)}"
    else:
        text = f"{number}/{draw(unknown_segments)}-{draw(issuers)}"
    if draw(st.booleans()):
        text = text.lower()
    if draw(st.booleans()):
        text = " " + text.replace("/", " / ").replace("-", " - ") + "  "
    return text


@given(document_numbers())
def test_round_trip(text: str) -> None:
    parsed = parse_document_number(text)
    canonical = str(parsed)
    again = parse_document_number(canonical)
    assert again == parsed
    assert str(again) == canonical
    assert canonical == canonical.strip()
    assert " " not in canonical


def _parse_or_error(text: str) -> DocumentNumber | None:
    try:
        parsed = parse_document_number(text)
    except ValidationError as exc:
        [message] = exc.messages
        assert message.startswith(FIELD_NAME)
        return None
    assert parse_document_number(str(parsed)) == parsed
    return parsed


@given(st.text())
def test_arbitrary_text_only_raises_validation_error(text: str) -> None:
    _parse_or_error(text)


@given(st.text(alphabet="0123456789-/ ĐđHDTWQiVPCNBr–Ð", max_size=20))
def test_near_miss_text_only_raises_validation_error(text: str) -> None:
    _parse_or_error(text)
