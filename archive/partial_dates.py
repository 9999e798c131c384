"""Partial and approximate dates, as cataloguers know them.

An archive item may be dated to the day ("12/04/2007"), the month
("tháng 4/2007"), the year ("2007") or the decade ("thập niên 1950"), and any of
these may be approximate ("khoảng 1950"). ``PartialDate`` keeps what is known,
gives the earliest and latest real dates it can stand for (for sorting and for
checking against a period's year spans) and formats itself in Vietnamese.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import total_ordering
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from basics.text import fold

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "PartialDate",
    "Precision",
    "from_columns",
    "parse_partial_date",
    "years_overlap",
]

MIN_YEAR: Final = 1000
MAX_YEAR: Final = 9999


class Precision(models.TextChoices):
    DAY = "day", _("ngày")
    MONTH = "month", _("tháng")
    YEAR = "year", _("năm")
    DECADE = "decade", _("thập niên")


_FORMS = _('Dùng một trong các dạng: "12/04/2007", "tháng 4/2007", "2007", "thập niên 1950" hoặc "khoảng 1950".')
_MESSAGES: dict[str, Promise] = {
    "empty": _("Ngày tháng không được để trống. %(forms)s"),
    "invalid": _('Ngày tháng "%(value)s" không đúng mẫu. %(forms)s'),
    "not_integer": _("Ngày tháng không hợp lệ: ngày, tháng và năm phải là số nguyên."),
    "invalid_year": _("Ngày tháng không hợp lệ: năm phải từ %(min_year)d đến %(max_year)d (đã nhập %(year)s)."),
    "invalid_month": _("Ngày tháng không hợp lệ: tháng phải từ 1 đến 12 (đã nhập %(month)s)."),
    "invalid_day": _(
        "Ngày tháng không hợp lệ: ngày phải từ 1 đến %(days)d trong tháng %(month)d/%(year)d (đã nhập %(day)s)."
    ),
    "day_without_month": _("Ngày tháng không hợp lệ: đã có ngày thì phải có tháng."),
    "invalid_precision": _('Ngày tháng không hợp lệ: không có độ chính xác "%(precision)s".'),
    "day_parts": _('Ngày tháng không hợp lệ: độ chính xác "ngày" cần đủ ngày, tháng và năm.'),
    "month_parts": _('Ngày tháng không hợp lệ: độ chính xác "tháng" cần tháng và năm, không kèm ngày.'),
    "year_parts": _('Ngày tháng không hợp lệ: độ chính xác "%(precision)s" chỉ gồm năm, không kèm ngày hay tháng.'),
    "invalid_decade": _(
        "Ngày tháng không hợp lệ: thập niên phải bắt đầu bằng năm chia hết cho 10, ví dụ 1950 (đã nhập %(year)s)."
    ),
}
_SHOWN_LENGTH = 40


def _error(kind: str, **params: Any) -> ValidationError:
    return ValidationError(_MESSAGES[kind], code=kind, params={"forms": _FORMS, **params})


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, month, year or decade, possibly approximate.

    ``precision`` may be left out: it is then inferred from the parts given
    (day -> DAY, month -> MONTH, else YEAR); DECADE must be asked for. After
    construction it is always a ``Precision``.
    """

    year: int
    month: int | None = None
    day: int | None = None
    precision: Precision | None = None
    circa: bool = False

    def __post_init__(self) -> None:
        if not _is_int(self.year) or any(p is not None and not _is_int(p) for p in (self.month, self.day)):
            raise _error("not_integer")
        object.__setattr__(self, "precision", self._resolve_precision())
        object.__setattr__(self, "circa", bool(self.circa))
        self._validate()

    def _resolve_precision(self) -> Precision:
        if self.precision is None:
            if self.day is not None:
                return Precision.DAY
            return Precision.MONTH if self.month is not None else Precision.YEAR
        try:
            return Precision(self.precision)
        except ValueError:
            raise _error("invalid_precision", precision=self.precision) from None

    def _validate(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise _error("invalid_year", year=self.year, min_year=MIN_YEAR, max_year=MAX_YEAR)
        if self.day is not None and self.month is None:
            raise _error("day_without_month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise _error("invalid_month", month=self.month)
        if self.day is not None and self.month is not None:
            days = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= days:
                raise _error("invalid_day", day=self.day, days=days, month=self.month, year=self.year)
        if self.precision is Precision.DAY and self.day is None:
            raise _error("day_parts")
        if self.precision is Precision.MONTH and (self.month is None or self.day is not None):
            raise _error("month_parts")
        if self.precision in (Precision.YEAR, Precision.DECADE) and (self.month is not None or self.day is not None):
            raise _error("year_parts", precision=Precision(self.precision).label)
        if self.precision is Precision.DECADE and self.year % 10:
            raise _error("invalid_decade", year=self.year)

    # Bounds and ordering -------------------------------------------------

    def earliest(self) -> date:
        """First day the date can stand for: 1950s -> 1950-01-01."""
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        """Last day the date can stand for: 1950s -> 1959-12-31, 4/2007 -> 2007-04-30."""
        if self.precision is Precision.DAY:
            return self.earliest()
        if self.precision is Precision.MONTH:
            assert self.month is not None
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        last_year = self.year + 9 if self.precision is Precision.DECADE else self.year
        return date(last_year, 12, 31)

    def sort_key(self) -> tuple[date, date, bool]:
        """Order by earliest day, then latest: "1950" sorts before "thập niên 1950"."""
        return (self.earliest(), self.latest(), self.circa)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def is_future(self, today: date | None = None) -> bool:
        """True when the whole range lies after ``today`` (default: today)."""
        return self.earliest() > (today or timezone.localdate())

    # Formatting ----------------------------------------------------------

    def format_vi(self) -> str:
        """Format in the active language: "12/04/2007", "tháng 4/2007", "khoảng 1950"."""
        if self.precision is Precision.DAY:
            text = f"{self.day:02d}/{self.month:02d}/{self.year}"
        elif self.precision is Precision.MONTH:
            text = gettext("tháng %(month)d/%(year)d") % {"month": self.month, "year": self.year}
        elif self.precision is Precision.DECADE:
            text = gettext("thập niên %(decade)d") % {"decade": self.year}
        else:
            text = str(self.year)
        if self.circa:
            text = gettext("khoảng %(date)s") % {"date": text}
        return text

    def __str__(self) -> str:
        return self.format_vi()


# Parsing -----------------------------------------------------------------
# Patterns run on fold()ed text: lowercase, no accents ("tháng" -> "thang").

_DAY = r"(?P<day>[0-9]{1,2})"
_MONTH = r"(?P<month>[0-9]{1,2})"
_YEAR = r"(?P<year>[0-9]{4})"
_CIRCA_PREFIX_RE = re.compile(r"^(?:~|khoang|xap xi|circa|ca\.?|c\.|k\.)\s*")
_PATTERNS: list[tuple[re.Pattern[str], Precision]] = [
    (re.compile(rf"{_YEAR}-{_MONTH}-{_DAY}"), Precision.DAY),  # ISO 2007-04-12
    (re.compile(rf"(?:ngay\s*)?{_DAY}\s*(?P<sep>[/.-])\s*{_MONTH}\s*(?P=sep)\s*{_YEAR}"), Precision.DAY),
    (re.compile(rf"ngay\s*{_DAY}\s*thang\s*{_MONTH}\s*nam\s*{_YEAR}"), Precision.DAY),
    (re.compile(rf"{_YEAR}-{_MONTH}"), Precision.MONTH),  # ISO 2007-04
    (re.compile(rf"(?:thang\s*)?{_MONTH}\s*[/.-]\s*{_YEAR}"), Precision.MONTH),
    (re.compile(rf"thang\s*{_MONTH}\s*(?:nam\s*)?{_YEAR}"), Precision.MONTH),
    (re.compile(rf"(?:thap nien|thap ky|nhung nam)\s*{_YEAR}"), Precision.DECADE),
    (re.compile(rf"{_YEAR}\s*'?s"), Precision.DECADE),  # 1950s
    (re.compile(rf"(?:nam\s*)?{_YEAR}"), Precision.YEAR),
]


def _shorten(text: str) -> str:
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 1] + "…"


def parse_partial_date(text: str) -> PartialDate:
    """Parse what a cataloguer types; raise ``ValidationError`` (in Vietnamese) otherwise.

    Accepted: "12/04/2007", "12.4.2007", "ngày 12 tháng 4 năm 2007", "2007-04-12",
    "4/2007", "tháng 4/2007", "tháng 4 năm 2007", "2007-04", "2007", "năm 2007",
    "1950s", "thập niên 1950", "những năm 1950", and any of them approximate with
    "khoảng", "~", "k.", "ca.", "c." before or "?" after: "khoảng 1950", "1950?".
    Words may be typed without accents.
    """
    value = " ".join(str(text).split())
    folded = fold(value)
    if not folded:
        raise _error("empty")
    circa = False
    rest = _CIRCA_PREFIX_RE.sub("", folded, count=1)
    if rest != folded:
        circa = True
    if rest.endswith("?"):
        circa, rest = True, rest[:-1].rstrip()
    for pattern, precision in _PATTERNS:
        match = pattern.fullmatch(rest)
        if match:
            parts = {name: int(part) for name, part in match.groupdict().items() if name != "sep"}
            return PartialDate(
                year=parts["year"],
                month=parts.get("month"),
                day=parts.get("day"),
                precision=precision,
                circa=circa,
            )
    raise _error("invalid", value=_shorten(value))


def from_columns(on: date | None, precision: str, circa: bool = False) -> PartialDate | None:
    """The partial date kept in columns: its earliest day, its precision and its circa flag (an
    item's date; a body's founding and dissolution). The one way back from what is stored; None
    when no day or no precision is stored. A decade stands for its first year, whatever day of it
    was stored."""
    if on is None or not precision:
        return None
    precision = Precision(precision)
    return PartialDate(
        year=on.year - on.year % 10 if precision is Precision.DECADE else on.year,
        month=on.month if precision in (Precision.DAY, Precision.MONTH) else None,
        day=on.day if precision is Precision.DAY else None,
        precision=precision,
        circa=circa,
    )


def years_overlap(
    pdate: PartialDate,
    spans: Iterable[tuple[int, int | None]],
    *,
    today: date | None = None,
) -> bool:
    """True if the years ``pdate`` covers meet any ``(start, end)`` span.

    An end of ``None`` means "until now". Use it to warn when an item's date
    falls outside its period; with no spans at all the answer is False.
    """
    first, last = pdate.earliest().year, pdate.latest().year
    current_year = (today or timezone.localdate()).year
    for start, end in spans:
        stop = current_year if end is None else end
        if start <= last and first <= stop:
            return True
    return False
