"""Tests for archive.partial_dates: partial and approximate dates."""

from __future__ import annotations

import dataclasses
import os
from datetime import date

import django
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from archive.partial_dates import (
    MAX_YEAR,
    MIN_YEAR,
    PartialDate,
    Precision,
    from_columns,
    parse_partial_date,
    years_overlap,
)

if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.configure(USE_I18N=True, LANGUAGE_CODE="vi")
    django.setup()

FIELD_NAME = "Ngày tháng"
DAY, MONTH, YEAR, DECADE = Precision.DAY, Precision.MONTH, Precision.YEAR, Precision.DECADE


@pytest.fixture(autouse=True, scope="module")
def _vietnamese():
    with translation.override("vi"):
        yield


def test_precision_choices() -> None:
    assert Precision.values == ["day", "month", "year", "decade"]
    assert [str(label) for label in Precision.labels] == ["ngày", "tháng", "năm", "thập niên"]


# text, year, month, day, precision, circa, formatted
VALID = [
    ("12/04/2007", 2007, 4, 12, DAY, False, "12/04/2007"),
    ("12/4/2007", 2007, 4, 12, DAY, False, "12/04/2007"),
    ("1/1/1930", 1930, 1, 1, DAY, False, "01/01/1930"),
    ("12.04.2007", 2007, 4, 12, DAY, False, "12/04/2007"),
    ("12-04-2007", 2007, 4, 12, DAY, False, "12/04/2007"),
    ("2007-04-12", 2007, 4, 12, DAY, False, "12/04/2007"),
    ("ngày 12/04/2007", 2007, 4, 12, DAY, False, "12/04/2007"),
    ("Ngày 3 tháng 2 năm 1930", 1930, 2, 3, DAY, False, "03/02/1930"),
    ("29/02/2008", 2008, 2, 29, DAY, False, "29/02/2008"),  # leap year
    ("29/02/2000", 2000, 2, 29, DAY, False, "29/02/2000"),
    ("4/2007", 2007, 4, None, MONTH, False, "tháng 4/2007"),
    ("04/2007", 2007, 4, None, MONTH, False, "tháng 4/2007"),
    ("tháng 4/2007", 2007, 4, None, MONTH, False, "tháng 4/2007"),
    ("Tháng 12 năm 1946", 1946, 12, None, MONTH, False, "tháng 12/1946"),
    ("thang 8 nam 1945", 1945, 8, None, MONTH, False, "tháng 8/1945"),  # typed without accents
    ("2007-04", 2007, 4, None, MONTH, False, "tháng 4/2007"),
    ("2007", 2007, None, None, YEAR, False, "2007"),
    ("năm 1975", 1975, None, None, YEAR, False, "1975"),
    (" 1975 ", 1975, None, None, YEAR, False, "1975"),
    ("1950s", 1950, None, None, DECADE, False, "thập niên 1950"),
    ("thập niên 1950", 1950, None, None, DECADE, False, "thập niên 1950"),
    ("Thập kỷ 1960", 1960, None, None, DECADE, False, "thập niên 1960"),
    ("những năm 1980", 1980, None, None, DECADE, False, "thập niên 1980"),
    ("khoảng 1950", 1950, None, None, YEAR, True, "khoảng 1950"),
    ("~1950", 1950, None, None, YEAR, True, "khoảng 1950"),
    ("~ 1950", 1950, None, None, YEAR, True, "khoảng 1950"),
    ("k. 1950", 1950, None, None, YEAR, True, "khoảng 1950"),
    ("ca. 1950", 1950, None, None, YEAR, True, "khoảng 1950"),
    ("c.1950", 1950, None, None, YEAR, True, "khoảng 1950"),
    ("1950?", 1950, None, None, YEAR, True, "khoảng 1950"),
    ("Khoảng năm 1950", 1950, None, None, YEAR, True, "khoảng 1950"),
    ("khoảng tháng 4/2007", 2007, 4, None, MONTH, True, "khoảng tháng 4/2007"),
    ("khoảng 12/04/2007", 2007, 4, 12, DAY, True, "khoảng 12/04/2007"),
    ("khoảng thập niên 1950", 1950, None, None, DECADE, True, "khoảng thập niên 1950"),
]


@pytest.mark.parametrize(
    ("text", "year", "month", "day", "precision", "circa", "formatted"),
    VALID,
    ids=[row[0] for row in VALID],
)
def test_parse_valid(text, year, month, day, precision, circa, formatted) -> None:
    parsed = parse_partial_date(text)
    assert parsed == PartialDate(year, month, day, precision, circa)
    assert parsed.precision is precision
    assert parsed.circa is circa
    assert str(parsed) == parsed.format_vi() == formatted
    assert parse_partial_date(formatted) == parsed


INVALID = [
    ("", "empty"),
    ("   ", "empty"),
    ("abc", "invalid"),
    ("195x", "invalid"),
    ("12/04/07", "invalid"),  # two-digit year
    ("12/04-2007", "invalid"),  # mixed separators
    ("thập niên 50", "invalid"),
    ("2007/04/12/1", "invalid"),
    ("khoảng", "invalid"),
    ("x" * 200, "invalid"),
    ("😀", "invalid"),
    ("31/02/2007", "invalid_day"),
    ("29/02/2007", "invalid_day"),
    ("29/02/1900", "invalid_day"),  # century years are not leap years
    ("00/04/2007", "invalid_day"),
    ("31/04/2007", "invalid_day"),
    ("13/2007", "invalid_month"),
    ("0/2007", "invalid_month"),
    ("12/13/2007", "invalid_month"),
    ("1955s", "invalid_decade"),
    ("thập niên 1955", "invalid_decade"),
    ("0999", "invalid_year"),
]


@pytest.mark.parametrize(("text", "code"), INVALID, ids=[row[0][:20] for row in INVALID])
def test_parse_invalid(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        parse_partial_date(text)
    assert excinfo.value.code == code
    [message] = excinfo.value.messages
    assert message.startswith(FIELD_NAME)
    assert "%(" not in message


def test_messages_are_clear() -> None:
    with pytest.raises(ValidationError) as excinfo:
        parse_partial_date("31/02/2007")
    assert excinfo.value.messages == ["Ngày tháng không hợp lệ: ngày phải từ 1 đến 28 trong tháng 2/2007 (đã nhập 31)."]
    with pytest.raises(ValidationError) as excinfo:
        parse_partial_date("abc")
    assert excinfo.value.messages == [
        'Ngày tháng "abc" không đúng mẫu. Dùng một trong các dạng: "12/04/2007", "tháng 4/2007", '
        '"2007", "thập niên 1950" hoặc "khoảng 1950".'
    ]
    with pytest.raises(ValidationError) as excinfo:
        parse_partial_date("y" * 100)
    assert "y" * 39 + "…" in excinfo.value.messages[0]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"year": 2007, "month": 13}, "invalid_month"),
        ({"year": 2007, "month": 2, "day": 29}, "invalid_day"),
        ({"year": 2007, "day": 3}, "day_without_month"),
        ({"year": MIN_YEAR - 1}, "invalid_year"),
        ({"year": MAX_YEAR + 1}, "invalid_year"),
        ({"year": 1955, "precision": DECADE}, "invalid_decade"),
        ({"year": 1950, "month": 1, "precision": DECADE}, "year_parts"),
        ({"year": 2007, "month": 4, "precision": YEAR}, "year_parts"),
        ({"year": 2007, "month": 4, "precision": DAY}, "day_parts"),
        ({"year": 2007, "month": 4, "day": 1, "precision": MONTH}, "month_parts"),
        ({"year": 2007, "precision": MONTH}, "month_parts"),
        ({"year": 2007, "precision": "week"}, "invalid_precision"),
        ({"year": "2007"}, "not_integer"),
        ({"year": 2007, "month": 4.0}, "not_integer"),
        ({"year": True}, "not_integer"),
    ],
)
def test_constructor_validation(kwargs: dict, code: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        PartialDate(**kwargs)
    assert excinfo.value.code == code
    assert excinfo.value.messages[0].startswith(FIELD_NAME)


def test_precision_is_inferred_or_coerced() -> None:
    assert PartialDate(2007, 4, 12).precision is DAY
    assert PartialDate(2007, 4).precision is MONTH
    assert PartialDate(2007).precision is YEAR
    assert PartialDate(1950, precision="decade").precision is DECADE
    assert PartialDate(1950, precision="decade") == PartialDate(1950, precision=DECADE)
    assert PartialDate(2007) == PartialDate(2007, precision=YEAR)


def test_is_frozen_and_hashable() -> None:
    pdate = PartialDate(2007, 4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        pdate.year = 2008  # type: ignore[misc]
    assert len({PartialDate(2007, 4), PartialDate(2007, 4), PartialDate(2007, 4, circa=True)}) == 2


@pytest.mark.parametrize(
    ("pdate", "earliest", "latest"),
    [
        (PartialDate(2007, 4, 12), date(2007, 4, 12), date(2007, 4, 12)),
        (PartialDate(2007, 4), date(2007, 4, 1), date(2007, 4, 30)),
        (PartialDate(2008, 2), date(2008, 2, 1), date(2008, 2, 29)),
        (PartialDate(2007, 2), date(2007, 2, 1), date(2007, 2, 28)),
        (PartialDate(2007, 12), date(2007, 12, 1), date(2007, 12, 31)),
        (PartialDate(1950), date(1950, 1, 1), date(1950, 12, 31)),
        (PartialDate(1950, precision=DECADE), date(1950, 1, 1), date(1959, 12, 31)),
        (PartialDate(9990, precision=DECADE), date(9990, 1, 1), date(9999, 12, 31)),
        (PartialDate(1950, circa=True), date(1950, 1, 1), date(1950, 12, 31)),
    ],
)
def test_bounds(pdate: PartialDate, earliest: date, latest: date) -> None:
    assert pdate.earliest() == earliest
    assert pdate.latest() == latest


def test_ordering() -> None:
    items = [
        PartialDate(1960),
        PartialDate(1950, precision=DECADE),
        PartialDate(1950, 3),
        PartialDate(1950),
        PartialDate(1950, 1, 1),
        PartialDate(1930, 2, 3),
        PartialDate(1950, circa=True),
    ]
    assert sorted(items) == [
        PartialDate(1930, 2, 3),
        PartialDate(1950, 1, 1),  # same start: the narrower range comes first
        PartialDate(1950),
        PartialDate(1950, circa=True),
        PartialDate(1950, precision=DECADE),
        PartialDate(1950, 3),
        PartialDate(1960),
    ]
    assert PartialDate(1950) <= PartialDate(1950)
    assert PartialDate(1951) > PartialDate(1950, precision=DECADE)
    with pytest.raises(TypeError):
        _ = PartialDate(1950) < "1950"  # type: ignore[operator]


def test_is_future() -> None:
    today = date(2025, 6, 15)
    assert not PartialDate(2025).is_future(today)
    assert not PartialDate(2025, 6, 15).is_future(today)
    assert PartialDate(2025, 6, 16).is_future(today)
    assert PartialDate(2025, 7).is_future(today)
    assert not PartialDate(2020, precision=DECADE).is_future(today)
    assert PartialDate(2030, precision=DECADE).is_future(today)
    assert not PartialDate(1950).is_future()
    assert PartialDate(MAX_YEAR).is_future()


@pytest.mark.parametrize(
    ("pdate", "spans", "expected"),
    [
        (PartialDate(1950), [(1945, 1954)], True),
        (PartialDate(1944), [(1945, 1954)], False),
        (PartialDate(1955), [(1945, 1954)], False),
        (PartialDate(1954, 12, 31), [(1945, 1954)], True),
        (PartialDate(1940, precision=DECADE), [(1945, 1954)], True),  # 1940–1949
        (PartialDate(1930, precision=DECADE), [(1945, 1954)], False),
        (PartialDate(1960), [(1930, 1945), (1954, 1975)], True),
        (PartialDate(1950), [(1930, 1945), (1954, 1975)], False),
        (PartialDate(2010), [(1986, None)], True),  # until now
        (PartialDate(2030), [(1986, None)], False),  # after "now" (2025)
        (PartialDate(2020, precision=DECADE), [(2025, None)], True),
        (PartialDate(1950), [], False),
    ],
)
def test_years_overlap(pdate: PartialDate, spans: list, expected: bool) -> None:
    assert years_overlap(pdate, spans, today=date(2025, 6, 15)) is expected


@pytest.mark.instant("2026-12-31 23:30")
def test_years_overlap_defaults_to_today() -> None:
    assert years_overlap(PartialDate(2026), [(2026, None)])
    assert not years_overlap(PartialDate(2027), [(2026, None)])


def test_format_follows_active_language_catalogue() -> None:
    # Source strings are Vietnamese; without an English catalogue entry they stay Vietnamese.
    with translation.override("vi"):
        assert str(PartialDate(1950, circa=True)) == "khoảng 1950"


# Hypothesis ---------------------------------------------------------------


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    precision = draw(st.sampled_from(Precision))
    circa = draw(st.booleans())
    if precision is DAY:
        day = draw(st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31)))
        return PartialDate(day.year, day.month, day.day, circa=circa)
    if precision is MONTH:
        year = draw(st.integers(MIN_YEAR, MAX_YEAR))
        return PartialDate(year, draw(st.integers(1, 12)), circa=circa)
    if precision is DECADE:
        return PartialDate(draw(st.integers(MIN_YEAR // 10, MAX_YEAR // 10)) * 10, precision=DECADE, circa=circa)
    return PartialDate(draw(st.integers(MIN_YEAR, MAX_YEAR)), circa=circa)


@given(partial_dates())
def test_format_parse_round_trip(pdate: PartialDate) -> None:
    assert parse_partial_date(str(pdate)) == pdate


@given(partial_dates())
def test_bounds_are_consistent(pdate: PartialDate) -> None:
    assert pdate.earliest() <= pdate.latest()
    assert pdate.earliest().year == pdate.year
    assert years_overlap(pdate, [(pdate.year, pdate.year)])


@given(partial_dates(), partial_dates())
def test_ordering_is_consistent_with_bounds(a: PartialDate, b: PartialDate) -> None:
    if a < b:
        assert a.earliest() <= b.earliest()
        assert not b < a
        assert a != b
    if a.earliest() < b.earliest():
        assert a < b
    assert (a == b) == (not a < b and not b < a)


@given(st.text(max_size=40))
def test_arbitrary_text_only_raises_validation_error(text: str) -> None:
    try:
        parsed = parse_partial_date(text)
    except ValidationError as exc:
        assert exc.messages[0].startswith(FIELD_NAME)
    else:
        assert parse_partial_date(str(parsed)) == parsed


@given(partial_dates())
def test_the_stored_columns_give_the_date_back(pdate: PartialDate) -> None:
    assert from_columns(pdate.earliest(), pdate.precision, pdate.circa) == pdate


def test_from_columns_needs_a_day_and_a_precision_and_reads_a_decade_from_any_of_its_days() -> None:
    assert from_columns(None, YEAR) is None
    assert from_columns(date(2007, 4, 12), "") is None
    assert from_columns(date(1954, 6, 1), DECADE, True) == PartialDate(1950, precision=DECADE, circa=True)
    assert from_columns(date(2007, 4, 12), MONTH) == PartialDate(2007, 4)
