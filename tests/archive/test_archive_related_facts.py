"""Item.has_media and Item.body_ids follow the media files and the bodies, whoever changes them."""

import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from archive.models import Body, Item, MediaFile
from archive.models.items import refresh_related_facts
from archive.resources import ItemResource

pytestmark = pytest.mark.django_db


def facts(item: Item) -> tuple[bool, str]:
    item.refresh_from_db(fields=["has_media", "body_ids"])
    return item.has_media, item.body_ids


def media_for(item: Item, **fields) -> MediaFile:
    return MediaFile.objects.create(
        item=item,
        kind=MediaFile.Kind.PDF,
        file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 sample"),
        original_name="biên bản.pdf",
        **fields,
    )


def test_a_media_file_attached_and_removed_changes_has_media():
    item = Item.objects.create(title="Biên bản Hội nghị", status="published")
    assert facts(item) == (False, "")
    first = media_for(item)
    second = media_for(item)
    assert facts(item)[0] is True
    first.delete()
    assert facts(item)[0] is True  # one file is left
    second.delete()
    assert facts(item)[0] is False


def test_an_item_saved_from_an_old_copy_keeps_the_facts_of_its_files_and_bodies():
    item = Item.objects.create(title="Nghị quyết Đại hội", status="draft")
    stale = Item.objects.get(pk=item.pk)  # read before the file and the body were added
    media_for(item)
    body = Body.objects.order_by("pk").first()
    item.bodies.add(body)
    stale.title = "Nghị quyết Đại hội lần thứ nhất"
    stale.save()
    assert facts(item) == (True, str(body.pk))
    assert Item.objects.get(pk=item.pk).title == "Nghị quyết Đại hội lần thứ nhất"


def test_bodies_added_removed_and_cleared_from_either_side():
    first, second, third = Body.objects.order_by("pk")[:3]
    item = Item.objects.create(title="Báo cáo tổng kết", status="published")
    other = Item.objects.create(title="Báo cáo sơ kết", status="published")
    item.bodies.add(third, first)
    assert facts(item)[1] == f"{first.pk} {third.pk}"  # ascending, whatever the order added
    item.bodies.remove(third)
    assert facts(item)[1] == str(first.pk)
    second.items.add(item, other)  # the reverse side
    assert facts(item)[1] == f"{first.pk} {second.pk}" and facts(other)[1] == str(second.pk)
    second.items.clear()
    assert facts(item)[1] == str(first.pk) and facts(other)[1] == ""
    item.bodies.set([third])
    assert facts(item)[1] == str(third.pk)
    item.bodies.clear()
    assert facts(item)[1] == ""


def test_the_admin_form_writes_the_bodies_of_a_new_item(client, propaganda_user):
    body = Body.objects.order_by("pk").first()
    client.force_login(propaganda_user)
    from tests.archive.test_archive_admin_items import ADD_URL, form_data

    response = client.post(ADD_URL, form_data(bodies=[str(body.pk)]))
    assert response.status_code == 302, response.content.decode()[:2000]
    item = Item.objects.get(title=form_data()["title"])
    assert facts(item) == (False, str(body.pk))


def test_imported_new_rows_carry_their_bodies(propaganda_user):
    headers = [f.column_name for f in ItemResource().get_import_fields() if not f.readonly]
    row = {
        "Tiêu đề": "Báo cáo công tác tuyên truyền",
        "Ngày tháng": "tháng 12/2008",
        "Thời kỳ": "TK4",
        "Tổ chức liên quan": "Đảng bộ Khối các cơ quan Trung ương",
        "Loại hình": "Tài liệu văn bản",
    }
    data = tablib.Dataset([row.get(h, "") for h in headers], headers=headers)
    result = ItemResource().import_data(data, user=propaganda_user, rollback_on_validation_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    item = Item.objects.get(title="Báo cáo công tác tuyên truyền")
    assert item.body_ids == " ".join(str(pk) for pk in item.bodies.order_by("pk").values_list("pk", flat=True))
    assert item.body_ids and item.has_media is False


def test_bulk_items_carry_the_facts_their_rows_give():
    call_command("seed_bulk", items=40, batch=20, stdout=io.StringIO(), stderr=io.StringIO())
    items = list(Item.objects.filter(is_sample=True).order_by("pk").values_list("pk", "has_media", "body_ids"))
    assert items
    refresh_related_facts([pk for pk, _, _ in items])  # recomputed from the related rows
    assert list(Item.objects.filter(is_sample=True).order_by("pk").values_list("pk", "has_media", "body_ids")) == items


def test_a_partly_loaded_item_saves_what_it_loaded():
    item = Item.objects.create(title="Công văn", summary="Trích yếu ban đầu", status="draft")
    partial = Item.objects.only("pk", "title", "kind", "inventory_number").get(pk=item.pk)
    partial.title = "Công văn số 1"
    partial.save()
    item.refresh_from_db()
    assert (item.title, item.summary) == ("Công văn số 1", "Trích yếu ban đầu")
