"""What visitors and staff see of an item's media files and bodies follows those rows, however they
change: the public list's "Có bản số hóa" filter and count, the admin list's "có tệp số hóa"
filter, the public list's body filter and counts, as files are attached and removed, bodies linked
and unlinked from either side, items imported and a backup restored.
"""

import pytest
import tablib
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from archive.models import Body, Item, MediaFile, Period
from archive.resources import ItemResource
from archive.services import item_publish
from basics.content import bump_content_version
from traditions.backup import backed_up_models, referenced_media

pytestmark = pytest.mark.django_db

PUBLIC_LIST = reverse("exhibits:item_list")
ADMIN_LIST = reverse("admin:archive_item_changelist")


def public_item(title: str) -> Item:
    return Item.objects.create(
        title=title,
        status=Item.Status.PUBLISHED,
        access_level=Item.AccessLevel.PUBLIC,
        period=Period.objects.get(code="TK4"),
    )


def attach_file(item: Item) -> MediaFile:
    return MediaFile.objects.create(
        item=item,
        kind=MediaFile.Kind.PDF,
        file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 sample"),
        original_name="biên bản.pdf",
    )


def public(client, **params) -> tuple[list[str], object]:
    """The titles the public list shows and its facets, for these query parameters."""
    response = client.get(PUBLIC_LIST, params)
    assert response.status_code == 200
    return sorted(item.title for item in response.context["page"].object_list), response.context["facets"]


def digitised(client) -> tuple[list[str], int]:
    """What the public "Có bản số hóa" filter shows, and the count the unfiltered list gives it."""
    titles, _ = public(client, digital="1")
    return titles, public(client)[1].digital


def admin_with_files(staff, value: str) -> list[str]:
    response = staff.get(ADMIN_LIST, {"co_tep": value})
    assert response.status_code == 200
    return sorted(item.title for item in response.context["cl"].result_list)


def body_counts(client) -> dict[str, int]:
    return {facet.label: facet.count for facet in public(client)[1].bodies}


@pytest.fixture(autouse=True)
def _pages_rendered(settings):
    """Each request renders its page (and so has its context); the facet counts are still kept in
    the cache under the content version, as on the site."""
    settings.EXHIBITS_PAGE_CACHE = False


@pytest.fixture
def staff(propaganda_user):
    from django.test import Client

    client = Client()
    client.force_login(propaganda_user)
    return client


def test_a_file_attached_and_removed_moves_the_item_in_and_out_of_the_digital_filters(client, staff):
    item = public_item("Biên bản Hội nghị")
    public_item("Ảnh chưa số hóa")
    assert digitised(client) == ([], 0)
    assert admin_with_files(staff, "1") == []
    first, second = attach_file(item), attach_file(item)
    assert digitised(client) == (["Biên bản Hội nghị"], 1)  # one item, whatever its number of files
    assert admin_with_files(staff, "1") == ["Biên bản Hội nghị"]
    assert admin_with_files(staff, "0") == ["Ảnh chưa số hóa"]
    first.delete()
    assert digitised(client) == (["Biên bản Hội nghị"], 1)  # one file is left
    second.delete()
    assert digitised(client) == ([], 0)
    assert admin_with_files(staff, "0") == ["Biên bản Hội nghị", "Ảnh chưa số hóa"]


def test_an_item_saved_from_a_copy_read_before_its_file_was_attached_keeps_its_digital_copy(client):
    item = public_item("Nghị quyết Đại hội")
    stale = Item.objects.get(pk=item.pk)
    attach_file(item)
    stale.title = "Nghị quyết Đại hội lần thứ nhất"
    stale.save()
    assert digitised(client) == (["Nghị quyết Đại hội lần thứ nhất"], 1)


def test_bodies_linked_and_unlinked_from_either_side_move_the_body_filter_and_counts(client):
    first, second = Body.objects.order_by("pk")[:2]
    item, other = public_item("Báo cáo tổng kết"), public_item("Báo cáo sơ kết")
    item.bodies.add(first)
    assert body_counts(client) == {first.display_name: 1}
    assert public(client, body=first.pk)[0] == ["Báo cáo tổng kết"]
    second.items.add(item, other)  # the reverse side
    assert body_counts(client) == {second.display_name: 2, first.display_name: 1}
    assert public(client, body=second.pk)[0] == ["Báo cáo sơ kết", "Báo cáo tổng kết"]
    item.bodies.remove(first)
    assert public(client, body=first.pk)[0] == []
    second.items.clear()
    assert body_counts(client) == {} and public(client, body=second.pk)[0] == []
    other.bodies.set([first])
    assert public(client, body=first.pk)[0] == ["Báo cáo sơ kết"]


def test_imported_items_are_found_by_their_bodies_and_have_no_digital_copy(client, staff, propaganda_user):
    body = Body.objects.get(name="Đảng bộ Khối các cơ quan Trung ương")
    headers = [f.column_name for f in ItemResource().get_import_fields() if not f.readonly]
    rows = [
        {
            "Tiêu đề": f"Báo cáo công tác tuyên truyền số {index}",
            "Ngày tháng": "tháng 12/2008",
            "Thời kỳ": "TK4",
            "Tổ chức liên quan": body.name,
            "Loại hình": "Tài liệu văn bản",
        }
        for index in (1, 2)
    ]
    data = tablib.Dataset(*[[row.get(h, "") for h in headers] for row in rows], headers=headers)
    result = ItemResource().import_data(data, user=propaganda_user, rollback_on_validation_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    titles = ["Báo cáo công tác tuyên truyền số 1", "Báo cáo công tác tuyên truyền số 2"]
    # Drafts: the staff list has them at once.
    response = staff.get(ADMIN_LIST, {"bodies__id__exact": body.pk})
    assert sorted(item.title for item in response.context["cl"].result_list) == titles
    assert admin_with_files(staff, "1") == [] and admin_with_files(staff, "0") == titles
    for item in Item.objects.filter(title__in=titles):
        item_publish(item=item, user=propaganda_user)
    assert public(client, body=body.pk)[0] == titles
    assert body_counts(client) == {body.display_name: 2}
    assert digitised(client) == ([], 0)
    attach_file(Item.objects.get(title=titles[0]))
    assert digitised(client) == (titles[:1], 1)
    assert admin_with_files(staff, "1") == titles[:1]


def test_a_restored_backup_shows_the_same_digital_copies_and_bodies(client, staff, tmp_path):
    body = Body.objects.order_by("pk").first()
    with_file, without = public_item("Biên bản Đại hội"), public_item("Danh sách đại biểu")
    attach_file(with_file)
    without.bodies.add(body)
    path = tmp_path / "sao-luu.zip"
    call_command("backup", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    # Into an empty archive: every backed-up row and file removed.
    files = referenced_media()
    with transaction.atomic(), connection.cursor() as cursor:
        for model in reversed(backed_up_models(include_auto_created=True)):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
    for name in files:
        default_storage.delete(name)
    bump_content_version()  # the rows went behind the ORM's back
    assert digitised(client) == ([], 0)
    call_command("restore", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert digitised(client) == (["Biên bản Đại hội"], 1)
    assert admin_with_files(staff, "1") == ["Biên bản Đại hội"]
    assert admin_with_files(staff, "0") == ["Danh sách đại biểu"]
    assert public(client, body=body.pk)[0] == ["Danh sách đại biểu"]
    assert body_counts(client) == {body.display_name: 1}
