"""Parse and validate the "số và ký hiệu" (number and code) of a document.

Two families are recognised:

* Party documents (Hướng dẫn 36-HD/VPTW): ``36-HD/VPTW``, ``05-QĐ/TW``,
  ``12-QĐ/ĐUK-BTG`` (issuing-body chain after the slash) and the công văn form
  without a type code, ``1234/VPTW``. No year.
* State documents (Nghị định 30/2020/NĐ-CP): ``05/2025/TT-BNV`` and the short
  form without a year, ``123/QĐ-BNV``. A state công văn has no type code:
  ``123/BNV-TCCB`` (issuer, then drafting unit).

Type codes are matched case-insensitively against ``DOCUMENT_TYPES`` and
written in their canonical spelling, which keeps the lowercase letters of
``QĐi`` (quy định), ``TTr`` (tờ trình) and ``CTr`` (chương trình). Unknown type
codes and issuers are uppercased (except "TTg", Thủ tướng). "D" and "Đ" are different letters ("HD" is
hướng dẫn, "HĐ" hợp đồng) and are never merged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = [
    "DOCUMENT_TYPES",
    "MAX_LENGTH",
    "MIN_YEAR",
    "PARTY",
    "PARTY_DOCUMENT_TYPES",
    "STATE",
    "DocumentForm",
    "DocumentNumber",
    "canonical_issuer_code",
    "canonical_type_code",
    "document_type_info",
    "parse_document_number",
    "suggest_document_type",
    "validate_document_number",
]

DocumentForm = Literal["party", "state"]
PARTY: Final = "party"
STATE: Final = "state"

MIN_YEAR: Final = 1930  # founding of the Party; nothing in the archive is older
MAX_LENGTH: Final = 64
MAX_NUMBER_DIGITS: Final = 6

# Abbreviation (canonical spelling) -> (stored document type, Vietnamese name), in menu order.
# The abbreviations are parsing data (they are written in document numbers); the stored type is
# an English code, the Vietnamese name its label.
DOCUMENT_TYPES: Mapping[str, tuple[str, Promise]] = MappingProxyType(
    {
        "NQ": ("resolution", _("nghị quyết")),
        "QĐ": ("decision", _("quyết định")),
        "QĐi": ("regulation", _("quy định")),
        "CT": ("directive", _("chỉ thị")),
        "KL": ("conclusion", _("kết luận")),
        "QC": ("rules", _("quy chế")),
        "HD": ("guidance", _("hướng dẫn")),
        "KH": ("plan", _("kế hoạch")),
        "CTr": ("programme", _("chương trình")),
        "BC": ("report", _("báo cáo")),
        "TB": ("notice", _("thông báo")),
        "TTr": ("submission", _("tờ trình")),
        "CV": ("official_letter", _("công văn")),
        "TT": ("circular", _("thông tư")),  # state form; see PARTY_DOCUMENT_TYPES
        "NĐ": ("decree", _("nghị định")),
        "BB": ("minutes", _("biên bản")),
        "ĐA": ("scheme", _("đề án")),
        "DS": ("list", _("danh sách")),
        "TC": ("communique", _("thông cáo")),
        "HĐ": ("contract", _("hợp đồng")),
        "GM": ("invitation", _("giấy mời")),
        "GGT": ("introduction_letter", _("giấy giới thiệu")),
    }
)

# Party documents give some abbreviations another meaning: TT is a thông tri.
PARTY_DOCUMENT_TYPES: Mapping[str, tuple[str, Promise]] = MappingProxyType(
    {
        "TT": ("party_circular", _("thông tri")),
    }
)

# The document type of a number without type code: only công văn are numbered so.
UNTYPED_DOCUMENT_TYPE: Final = "official_letter"

_CANONICAL_CODES: dict[str, str] = {code.upper(): code for code in DOCUMENT_TYPES}
# Issuer codes are uppercased except those officially written in mixed case.
_CANONICAL_ISSUERS: dict[str, str] = {
    "TTG": "TTg",  # Thủ tướng Chính phủ: "15/CT-TTg"
}

_EXAMPLES = _('Dùng dạng văn bản Đảng "36-HD/VPTW" hoặc dạng văn bản nhà nước "05/2025/TT-BNV".')
_MESSAGES: dict[str, Promise] = {
    "empty": _("Số và ký hiệu không được để trống. %(examples)s"),
    "too_long": _("Số và ký hiệu quá dài (tối đa %(max_length)d ký tự). %(examples)s"),
    "invalid": _('Số và ký hiệu "%(value)s" không đúng mẫu. %(examples)s'),
    "invalid_number": _(
        'Số và ký hiệu "%(value)s" không hợp lệ: số văn bản "%(number)s" chỉ được gồm chữ số, ví dụ "36" hoặc "05".'
    ),
    "number_zero": _('Số và ký hiệu "%(value)s" không hợp lệ: số văn bản phải lớn hơn 0.'),
    "number_too_long": _(
        'Số và ký hiệu "%(value)s" không hợp lệ: số văn bản "%(number)s" dài quá %(max_digits)d chữ số.'
    ),
    "year_format": _(
        'Số và ký hiệu "%(value)s" không hợp lệ: năm ban hành "%(year)s" phải gồm 4 chữ số, ví dụ "05/2025/TT-BNV".'
    ),
    "year_range": _(
        'Số và ký hiệu "%(value)s" không hợp lệ: năm ban hành %(year)s phải từ %(min_year)d đến %(max_year)d.'
    ),
    "missing_type": _(
        'Số và ký hiệu "%(value)s" không hợp lệ: thiếu ký hiệu loại văn bản, ví dụ "HD", "QĐ" hoặc "TT".'
    ),
    "invalid_type": _(
        'Số và ký hiệu "%(value)s" không hợp lệ: ký hiệu loại văn bản "%(code)s" có ký tự không được phép; '
        'chỉ dùng chữ cái A–Z và Đ, ví dụ "HD", "QĐ", "QĐi".'
    ),
    "missing_issuer": _(
        'Số và ký hiệu "%(value)s" không hợp lệ: thiếu ký hiệu cơ quan ban hành, '
        'ví dụ "VPTW" trong "36-HD/VPTW" hoặc "BNV" trong "05/2025/TT-BNV".'
    ),
    "invalid_issuer": _(
        'Số và ký hiệu "%(value)s" không hợp lệ: ký hiệu cơ quan ban hành "%(code)s" có ký tự không được phép; '
        'chỉ dùng chữ cái A–Z, Đ và chữ số, các cấp nối bằng dấu "-", ví dụ "VPTW" hoặc "ĐUK-BTG".'
    ),
}

_DIGITS_RE = re.compile(r"[0-9]+")
_TYPE_RE = re.compile(r"[A-Za-zĐđ]+")
_ISSUER_RE = re.compile(r"[A-Za-zĐđ][A-Za-zĐđ0-9]*")
_SEPARATOR_SPACES_RE = re.compile(r"\s*([-/])\s*")
# "Số: 36-HD/VPTW" is how the number is printed on the document itself.
_PREFIX_RE = re.compile(r"^số\s*:?\s*(?=[0-9])", re.IGNORECASE)
_LOOKALIKES = str.maketrans(
    {
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash (word processors turn "-" into it)
        "\u2014": "-",  # em dash
        "\u2212": "-",  # minus sign
        "\u2044": "/",  # fraction slash
        "\u2215": "/",  # division slash
        "\uff0f": "/",  # fullwidth solidus
        "\u00d0": "Đ",  # Icelandic eth, looks exactly like Đ
        "\u00f0": "đ",
    }
)
_SHOWN_LENGTH = 40


@dataclass(frozen=True)
class DocumentNumber:
    """A parsed "số và ký hiệu". ``str()`` gives the canonical spelling."""

    number: int
    number_text: str  # as written, leading zeros kept: "05"
    year: int | None
    type_code: str  # canonical abbreviation, "" for a công văn without one
    issuer: str  # "VPTW", "ĐUK-BTG", "BNV"
    form: DocumentForm
    raw: str = field(default="", compare=False)  # the normalised input

    def __str__(self) -> str:
        if self.form == PARTY:
            if self.type_code:
                return f"{self.number_text}-{self.type_code}/{self.issuer}"
            return f"{self.number_text}/{self.issuer}"
        code = f"{self.type_code}-{self.issuer}" if self.type_code else self.issuer
        if self.year is not None:
            return f"{self.number_text}/{self.year}/{code}"
        return f"{self.number_text}/{code}"

    @property
    def document_type(self) -> str | None:
        """The stored document type the type code stands for, if known."""
        return suggest_document_type(self)


def canonical_type_code(code: str) -> str:
    """Return the canonical spelling of a type code: "qđi" -> "QĐi", "xy" -> "XY"."""
    upper = code.upper()
    return _CANONICAL_CODES.get(upper, upper)


def canonical_issuer_code(code: str) -> str:
    """Return the canonical spelling of one issuer code: "btg" -> "BTG", "ttg" -> "TTg"."""
    upper = code.upper()
    return _CANONICAL_ISSUERS.get(upper, upper)


def document_type_info(type_code: str, form: DocumentForm = STATE) -> tuple[str, Promise] | None:
    """Return ``(document type, name)`` for a type code, taking the form into account."""
    code = canonical_type_code(type_code)
    if form == PARTY and code in PARTY_DOCUMENT_TYPES:
        return PARTY_DOCUMENT_TYPES[code]
    return DOCUMENT_TYPES.get(code)


def _is_known_type(code: str) -> bool:
    return code.upper() in _CANONICAL_CODES


def _shorten(text: str) -> str:
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 1] + "…"


def _error(kind: str, value: str, **params: Any) -> ValidationError:
    return ValidationError(
        _MESSAGES[kind],
        code=kind,
        params={
            "value": _shorten(value),
            "examples": _EXAMPLES,
            **{name: _shorten(param) if isinstance(param, str) else param for name, param in params.items()},
        },
    )


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_LOOKALIKES).strip()
    text = _PREFIX_RE.sub("", text)
    return _SEPARATOR_SPACES_RE.sub(r"\1", text)


def _parse_number(value: str, text: str) -> int:
    if not _DIGITS_RE.fullmatch(text):
        if not any(ch in "0123456789" for ch in text):
            raise _error("invalid", value)
        raise _error("invalid_number", value, number=text)
    if len(text) > MAX_NUMBER_DIGITS:
        raise _error("number_too_long", value, number=text, max_digits=MAX_NUMBER_DIGITS)
    number = int(text)
    if number == 0:
        raise _error("number_zero", value)
    return number


def _parse_year(value: str, text: str) -> int:
    if not _DIGITS_RE.fullmatch(text):
        raise _error("invalid", value)
    if len(text) != 4:
        raise _error("year_format", value, year=text)
    year = int(text)
    max_year = timezone.localdate().year
    if not MIN_YEAR <= year <= max_year:
        raise _error("year_range", value, year=year, min_year=MIN_YEAR, max_year=max_year)
    return year


def _parse_type(value: str, text: str) -> str:
    if not text:
        raise _error("missing_type", value)
    if not _TYPE_RE.fullmatch(text):
        raise _error("invalid_type", value, code=text)
    return canonical_type_code(text)


def _parse_issuer(value: str, segments: list[str]) -> str:
    if not segments:
        raise _error("missing_issuer", value)
    for segment in segments:
        if not segment:
            raise _error("invalid", value)
        if not _ISSUER_RE.fullmatch(segment):
            raise _error("invalid_issuer", value, code=segment)
    return "-".join(canonical_issuer_code(segment) for segment in segments)


def _split_code(value: str, text: str) -> list[str]:
    """Split "TT-BNV" or "VPTW" on hyphens; a trailing hyphen lacks the issuer."""
    if not text or text.endswith("-"):
        raise _error("missing_issuer", value)
    return text.split("-")


def _parse_party(value: str, head: str, tail: str) -> DocumentNumber:
    """``36-HD/VPTW``: number and type before the slash, issuer chain after."""
    number_text, type_text = head.split("-", 1)
    if "-" in type_text:
        raise _error("invalid", value)
    number = _parse_number(value, number_text)
    type_code = _parse_type(value, type_text)
    issuer = _parse_issuer(value, _split_code(value, tail))
    return DocumentNumber(number, number_text, None, type_code, issuer, PARTY, value)


def _parse_without_year(value: str, number_text: str, tail: str) -> DocumentNumber:
    """``1234/VPTW`` (party công văn), ``123/QĐ-BNV`` or ``123/BNV-TCCB`` (state)."""
    number = _parse_number(value, number_text)
    if tail.startswith("-"):
        raise _error("missing_type", value)
    segments = _split_code(value, tail)
    if len(segments) == 1:
        if _is_known_type(segments[0]):  # "36/HD": the issuer is missing
            raise _error("missing_issuer", value)
        issuer = _parse_issuer(value, segments)
        return DocumentNumber(number, number_text, None, "", issuer, PARTY, value)
    if _is_known_type(segments[0]):
        type_code = canonical_type_code(segments[0])
        issuer = _parse_issuer(value, segments[1:])
        return DocumentNumber(number, number_text, None, type_code, issuer, STATE, value)
    issuer = _parse_issuer(value, segments)
    return DocumentNumber(number, number_text, None, "", issuer, STATE, value)


def _parse_state(value: str, number_text: str, year_text: str, tail: str) -> DocumentNumber:
    """``05/2025/TT-BNV``: number, year, then type and issuer."""
    number = _parse_number(value, number_text)
    year = _parse_year(value, year_text)
    if tail.startswith("-"):
        raise _error("missing_type", value)
    type_text, *issuer_segments = _split_code(value, tail)
    type_code = _parse_type(value, type_text)
    issuer = _parse_issuer(value, issuer_segments)
    return DocumentNumber(number, number_text, year, type_code, issuer, STATE, value)


def parse_document_number(text: str) -> DocumentNumber:
    """Parse a "số và ký hiệu"; raise ``ValidationError`` (in Vietnamese) if it is not one.

    Surrounding spaces, spaces around "-" and "/", typographic dashes, a
    leading "Số:" and lowercase codes are accepted.
    """
    if not isinstance(text, str):
        raise _error("invalid", str(text))
    value = _normalise(text)
    if not value:
        raise _error("empty", value)
    if len(value) > MAX_LENGTH:
        raise _error("too_long", value, max_length=MAX_LENGTH)
    if any(ch.isspace() for ch in value):
        raise _error("invalid", value)
    parts = value.split("/")
    if len(parts) == 3:
        if "-" in parts[0]:  # "36-HD/VPTW/X"
            raise _error("invalid", value)
        return _parse_state(value, *parts)
    if len(parts) == 2:
        head, tail = parts
        if "-" in head:
            return _parse_party(value, head, tail)
        return _parse_without_year(value, head, tail)
    raise _error("invalid", value)


def validate_document_number(value: str | None) -> None:
    """Django field validator: an empty value passes, anything else must parse."""
    if value is None or value == "":
        return
    parse_document_number(value)


def suggest_document_type(value: str | DocumentNumber) -> str | None:
    """Return the document type the number implies, or ``None``.

    "36-HD/VPTW" -> "guidance"; "05/2025/TT-BNV" -> "circular" (thông tư) but
    "03-TT/TW" -> "party_circular" (thông tri); a number without type code is a công văn
    ("1234/VPTW" -> "official_letter"). Unknown codes and unparsable text give None.
    """
    if isinstance(value, str):
        try:
            value = parse_document_number(value)
        except ValidationError:
            return None
    if not value.type_code:
        return UNTYPED_DOCUMENT_TYPE
    info = document_type_info(value.type_code, value.form)
    return info[0] if info else None
