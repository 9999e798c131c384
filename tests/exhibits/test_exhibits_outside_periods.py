"""An item dated outside every period (say 1970, between periods 2's spans) is catalogued
"Ngoài các thời kỳ": the public site lists it under that browse entry and names it so."""

import pytest
from django.urls import reverse

from archive.models import Item, Period
from archive.partial_dates import parse_partial_date

pytestmark = pytest.mark.django_db


def published(title: str, date: str, period=None) -> Item:
    item = Item(title=title, status=Item.Status.PUBLISHED, access_level=Item.AccessLevel.PUBLIC, period=period)
    item.set_partial_date(parse_partial_date(date))
    item.full_clean(exclude=["inventory_number"])
    item.save()
    return item


def test_the_browse_page_has_an_entry_for_items_outside_every_period(client):
    outside = published("Báo cáo năm 1970 của Văn phòng", "1970")
    inside = published("Nghị quyết năm 1980", "1980", period=Period.objects.get(code="TK2"))
    response = client.get(reverse("exhibits:item_list"))
    entries = {value.label: value.count for value in response.context["facets"].periods}
    assert entries["Ngoài các thời kỳ"] == 1 and entries[inside.period.display_name] == 1

    listed = client.get(reverse("exhibits:item_list"), {"period": 0})
    titles = [item.title for item in listed.context["page"].object_list]
    assert titles == [outside.title]
    assert inside.title not in listed.content.decode()

    page = client.get(outside.get_absolute_url()).content.decode()
    assert "Ngoài các thời kỳ" in page and "?period=0" in page
