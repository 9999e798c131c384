"""Item import in batches: a fixed number of queries for many new rows, with what saving one by one gave."""

import pytest
import tablib
from django.utils import timezone

from archive.models import Body, InventoryCounter, Item, Keyword, Period
from archive.resources import ItemResource

pytestmark = pytest.mark.django_db


def sheet(*data: dict) -> tablib.Dataset:
    headers = [f.column_name for f in ItemResource().get_import_fields() if not f.readonly]
    return tablib.Dataset(*[[row.get(h, "") for h in headers] for row in data], headers=headers)


def new_row(index: int, **extra) -> dict:
    return {
        "Tiêu đề": f"Báo cáo công tác tuyên truyền số {index}",
        "Số và ký hiệu": f"{index}-BC/ĐUK",
        "Ngày tháng": "tháng 12/2008",
        "Thời kỳ": "TK4",
        "Tổ chức liên quan": "Đảng bộ Khối các cơ quan Trung ương",
        "Từ khóa": f"tuyên truyền; Đợt {('xuân', 'hạ', 'thu')[index % 3]}",
        "Loại hình": "Hiện vật" if index % 5 == 0 else "Tài liệu văn bản",
        **extra,
    }


def test_fifty_new_rows_take_a_fixed_number_of_queries(propaganda_user, django_assert_max_num_queries):
    Keyword.objects.create(name="tuyên truyền")
    data = sheet(*[new_row(i) for i in range(1, 51)])
    resource = ItemResource()
    started = timezone.now()
    # Once per import: periods, the counters (one per prefix), the body and each keyword, the inserts of
    # items, history and relations (in batches of under 1,000 values on SQLite, one on PostgreSQL).
    # One by one it was about 20 queries a row (1,000 for 50 rows).
    with django_assert_max_num_queries(60):
        result = resource.import_data(data, user=propaganda_user, rollback_on_validation_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert [r.import_type for r in result.rows] == ["new"] * 50

    items = list(Item.objects.order_by("pk").prefetch_related("keywords", "bodies"))
    assert len(items) == 50
    # Numbers in row order, per prefix, from one block taken from each counter.
    documents = [i.inventory_number for i in items if i.kind != Item.Kind.ARTIFACT]
    artifacts = [i.inventory_number for i in items if i.kind == Item.Kind.ARTIFACT]
    assert [n[:3] for n in documents] == ["TL-"] * 40 and [n[:3] for n in artifacts] == ["HV-"] * 10
    assert [int(n[-5:]) for n in documents] == list(range(1, 41))
    assert [int(n[-5:]) for n in artifacts] == list(range(1, 11))
    assert sorted(c.last_number for c in InventoryCounter.objects.all()) == [10, 40]
    # As Item.save and refresh_search_text would have written them.
    for item in items:
        stored = item.search_text
        item.refresh_search_text()
        assert stored == item.search_text and "tuyen truyen" in stored
        assert item.document_number == int(item.title.rsplit(" ", 1)[1])
        assert item.bodies.get().name == "Đảng bộ Khối các cơ quan Trung ương"
        assert item.created_by == propaganda_user
        record = item.history.get()
        assert record.history_type == "+" and record.history_user == propaganda_user
        # The record copies every tracked column of the row as inserted (the database copies it).
        tracked = Item.history.model.tracked_fields
        assert {f.attname: getattr(record, f.attname) for f in tracked} == {
            f.attname: getattr(item, f.attname) for f in tracked
        }
        assert started <= record.history_date <= timezone.now() and record.history_change_reason is None
    assert Keyword.objects.filter(name__startswith="Đợt").count() == 3
    assert Item.objects.search("dot xuan").count() == 16  # rows 3, 6, …, 48
    # The same sheet exported and imported again changes nothing.
    exported = tablib.Dataset().load(ItemResource().export().export("csv"), format="csv")
    again = ItemResource().import_data(exported, user=propaganda_user)
    assert {r.import_type for r in again.rows} == {"skip"}
    assert Item.history.count() == 50


def test_a_bad_row_among_many_new_ones_saves_nothing_and_takes_no_numbers():
    data = sheet(*[new_row(i) for i in range(1, 30)], new_row(30, **{"Thời kỳ": "TK9"}))
    result = ItemResource().import_data(data, rollback_on_validation_errors=True)
    assert [row.number for row in result.invalid_rows] == [30]
    assert "không tìm thấy “TK9”" in result.invalid_rows[0].error_dict["Thời kỳ"][0]
    assert Item.objects.count() == 0 and InventoryCounter.objects.filter(last_number__gt=0).count() == 0
    assert not Keyword.objects.exists()


def test_two_new_rows_with_the_same_number_are_refused_by_name():
    data = sheet(new_row(1, **{"Số đăng ký": "TL-2001-00001"}), new_row(2, **{"Số đăng ký": "TL-2001-00001"}))
    result = ItemResource().import_data(data, rollback_on_validation_errors=True)
    assert [row.number for row in result.invalid_rows] == [2]
    assert list(result.invalid_rows[0].error_dict) == ["Số đăng ký"]
    assert Item.objects.count() == 0


def test_preview_shows_new_rows_with_numbers_and_relations_and_saves_nothing():
    result = ItemResource().import_data(sheet(new_row(1)), dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    diff = " ".join(result.rows[0].diff)
    assert "TL-" in diff and "Đảng bộ Khối các cơ quan Trung ương" in diff and "tuyên truyền" in diff
    assert Item.objects.count() == 0 and not Keyword.objects.exists()


def test_new_and_changed_rows_in_one_sheet(propaganda_user):
    old = Item.objects.create(title="Cũ", period=Period.objects.get(code="TK4"))
    old.bodies.add(Body.objects.get(name="Đảng bộ Khối các cơ quan Trung ương"))
    data = sheet(new_row(1), new_row(2, **{"Số đăng ký": old.inventory_number, "Từ khóa": "đổi mới"}), new_row(3))
    result = ItemResource().import_data(data, user=propaganda_user, rollback_on_validation_errors=True)
    assert [r.import_type for r in result.rows] == ["new", "update", "new"]
    old.refresh_from_db()
    assert old.title == "Báo cáo công tác tuyên truyền số 2"
    assert list(old.keywords.values_list("name", flat=True)) == ["đổi mới"]
    assert " doi moi " in old.search_text
    assert old.history.first().history_user == propaganda_user and old.history.count() == 2
    assert Item.objects.count() == 3


def test_a_real_import_copies_no_new_row_and_reads_each_row_as_the_preview_does(propaganda_user, monkeypatch):
    import import_export.resources

    data = sheet(new_row(1), {}, new_row(2))  # the second row is blank in every column
    preview = ItemResource().import_data(data, dry_run=True, user=propaganda_user)
    assert [r.import_type for r in preview.rows] == ["new", "invalid", "new"]
    copies = []
    real_deepcopy = import_export.resources.deepcopy
    monkeypatch.setattr(
        import_export.resources,
        "deepcopy",
        lambda value: (isinstance(value, Item) and copies.append(value)) or real_deepcopy(value),
    )
    refused = ItemResource().import_data(data, user=propaganda_user, rollback_on_validation_errors=True)
    assert [r.import_type for r in refused.rows] == ["new", "invalid", "new"] and not Item.objects.exists()
    result = ItemResource().import_data(sheet(new_row(1), new_row(2)), user=propaganda_user)
    assert [r.import_type for r in result.rows] == ["new", "new"] and Item.objects.count() == 2
    assert copies == []  # a new row's original would be a copy of a blank item
    # An existing row is still copied, and so still reported unchanged when it is.
    exported = tablib.Dataset().load(ItemResource().export().export("csv"), format="csv")
    again = ItemResource().import_data(exported, user=propaganda_user)
    assert [r.import_type for r in again.rows] == ["skip", "skip"] and len(copies) == 2
