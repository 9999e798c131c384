"""seed_bulk builds a realistic synthetic catalogue that behaves like a catalogued one."""

import io

import pytest
from django.core.management import call_command

from archive.models import Item, MediaFile
from archive.models.items import search_text_of

pytestmark = pytest.mark.django_db


def test_seed_bulk_creates_searchable_dated_items_with_media_and_keeps_numbers_unique():
    call_command("seed_bulk", items=300, batch=120, stdout=io.StringIO(), stderr=io.StringIO())
    items = Item.objects.all()
    assert items.count() == 300
    assert MediaFile.objects.filter(is_primary=True).count() == 300
    assert len(set(items.values_list("inventory_number", flat=True))) == 300
    for item in items.prefetch_related("bodies", "people", "keywords")[:50]:
        assert item.search_text == search_text_of(item.search_text)  # folded whole words
        assert search_text_of(item.title) in item.search_text
        assert item.period.contains_year(item.date_start.year)
        assert item.bodies.exists() and item.people.exists() and item.keywords.count() == 2
    assert 0 < Item.objects.public().count() < 300
    assert Item.objects.search("quyet dinh").exists()
    # The counter moved past the bulk numbers, so the next catalogued item gets a fresh one.
    new = Item.objects.create(title="Tư liệu mới sau khi tạo hàng loạt")
    assert not Item.objects.exclude(pk=new.pk).filter(inventory_number=new.inventory_number).exists()
