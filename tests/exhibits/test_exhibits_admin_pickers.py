"""The exhibit editor chooses the archive's items through autocomplete pickers: its page carries no
list of every item, whatever the size of the archive (issue 24: 439 choices, 152 KB for 66 items)."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.models import Item
from exhibits.admin import ExhibitBlockInline
from exhibits.models import Exhibit

pytestmark = pytest.mark.django_db


def test_the_blocks_choose_items_by_autocomplete():
    assert set(ExhibitBlockInline.autocomplete_fields) == {"item", "items"}
    assert not ExhibitBlockInline.raw_id_fields and not ExhibitBlockInline.filter_horizontal


def test_the_exhibit_editor_lists_no_item_it_does_not_show(client, propaganda_user):
    call_command("seed_demo", stdout=io.StringIO())
    exhibit = max(Exhibit.objects.all(), key=lambda e: e.blocks.count())
    client.force_login(propaganda_user)
    client.get("/admin/")
    page = client.get(reverse("admin:exhibits_exhibit_change", args=[exhibit.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    print(f"exhibit editor: {len(page.content)} bytes, {Item.objects.count()} items")  # bench/README.md
    # The item pickers hold only the items their block has (their current values), never the archive.
    pickers = re.findall(r'<select name="blocks-(\d+)-(items?)"[^>]*>(.*?)</select>', html, re.S)
    assert len(pickers) == 2 * exhibit.blocks.count()
    for _index, _name, options in pickers:
        assert options.count("<option") <= 1 + max(
            (1 + block.items.count() for block in exhibit.blocks.all()), default=1
        )
    assert sum(options.count("<option") for *_, options in pickers) < Item.objects.count()
    assert 'data-theme="admin-autocomplete"' in html
    # The picker asks the admin's autocomplete view, which finds items by folded text.
    item = Item.objects.order_by("pk").first()
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "term": " ".join(item.title.split()[:3]),
            "app_label": "exhibits",
            "model_name": "exhibitblock",
            "field_name": "item",
        },
    )
    assert found.status_code == 200
    assert str(item.pk) in {row["id"] for row in found.json()["results"]}
