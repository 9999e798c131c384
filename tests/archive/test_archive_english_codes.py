"""Stored choice codes are English; the Vietnamese codes stored before are still read where they
arrive from outside (old CSVs), and the migration converts the rows both ways."""

from importlib import import_module

import pytest
import tablib
from django.apps import apps

from archive.former_codes import FORMER_CODES, current_code
from archive.models import Item, Period
from archive.resources import ItemResource

pytestmark = pytest.mark.django_db

migration = import_module("archive.migrations.0013_english_codes")

FIELDS = ("confidentiality", "urgency", "signing_authority", "document_type")


@pytest.mark.parametrize("field_name", FIELDS)
def test_every_former_code_became_one_stored_code_and_every_stored_code_had_one(field_name):
    codes = {code for code, _label in Item._meta.get_field(field_name).choices if code}
    former = FORMER_CODES[field_name]
    assert set(former.values()) == codes
    assert len(set(former.values())) == len(former)
    assert not set(former) & codes


@pytest.mark.parametrize("field_name", FIELDS)
def test_stored_codes_are_english_identifiers(field_name):
    for code, _label in Item._meta.get_field(field_name).choices:
        assert code == "" or (code.isascii() and code.islower() and code.replace("_", "").isalpha()), code


def test_the_migration_has_the_mapping_the_readers_use():
    assert migration.FORMER_CODES == FORMER_CODES


def test_current_code_maps_former_codes_and_keeps_the_rest():
    assert current_code("document_type", "nghi-quyet") == "resolution"
    assert current_code("document_type", "resolution") == "resolution"
    assert current_code("confidentiality", "") == ""
    assert current_code("kind", "photo") == "photo"


def _stored(item: Item) -> dict[str, str]:
    return dict(Item.objects.filter(pk=item.pk).values(*FIELDS).get())


def _history(item: Item) -> list[dict[str, str]]:
    return list(item.history.order_by("history_id").values(*FIELDS))


def test_the_migration_converts_items_and_their_history_both_ways():
    item = Item.objects.create(
        title="Quyết định thành lập",
        period=Period.objects.get(code="TK4"),
        confidentiality=Item.Confidentiality.SECRET,
        access_level=Item.AccessLevel.INTERNAL,
        urgency=Item.Urgency.FLASH,
        signing_authority=Item.SigningAuthority.DEPUTY,
        document_type="decision",
    )
    item.title = "Quyết định thành lập (sửa)"
    item.save()
    plain = Item.objects.create(title="Ảnh không có mã", kind=Item.Kind.PHOTO)
    old = {"confidentiality": "toi_mat", "urgency": "hoa_toc", "signing_authority": "KT", "document_type": "quyet-dinh"}
    new = {"confidentiality": "secret", "urgency": "flash", "signing_authority": "deputy", "document_type": "decision"}
    empty = dict.fromkeys(FIELDS, "")

    migration.to_vietnamese(apps, None)
    assert _stored(item) == old
    assert _history(item) == [old, old]
    assert _stored(plain) == empty

    migration.to_english(apps, None)
    assert _stored(item) == new
    assert _history(item) == [new, new]
    assert _stored(plain) == empty
    migration.to_english(apps, None)  # run again (as tests/conftest.py does): nothing changes
    assert _stored(item) == new


def _dataset(*cells: dict) -> tablib.Dataset:
    headers = [f.column_name for f in ItemResource().get_import_fields() if not f.readonly]
    base = {"Tiêu đề": "Văn bản", "Thời kỳ": "TK4", "Mức độ tiếp cận": "Nội bộ", "Ngày tháng": "2010"}
    return tablib.Dataset(*[[{**base, **row}.get(h, "") for h in headers] for row in cells], headers=headers)


def test_import_reads_labels_codes_and_former_codes_alike(propaganda_user):
    written = [
        {"Tiêu đề": "Nhãn", "Thể loại văn bản": "Quyết định", "Độ mật": "Mật", "Độ khẩn": "Hỏa tốc"},
        {"Tiêu đề": "Mã", "Thể loại văn bản": "decision", "Độ mật": "confidential", "Độ khẩn": "flash"},
        {"Tiêu đề": "Mã cũ", "Thể loại văn bản": "quyet-dinh", "Độ mật": "mat", "Độ khẩn": "hoa_toc"},
    ]
    result = ItemResource().import_data(_dataset(*written), user=propaganda_user)
    assert not result.has_errors() and not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    stored = set(Item.objects.values_list("document_type", "confidentiality", "urgency"))
    assert stored == {("decision", "confidential", "flash")}
    assert Item.objects.count() == 3


def test_export_writes_the_vietnamese_labels(propaganda_user):
    Item.objects.create(
        title="Chỉ thị",
        period=Period.objects.get(code="TK4"),
        document_type="directive",
        confidentiality=Item.Confidentiality.TOP_SECRET,
        access_level=Item.AccessLevel.RESTRICTED,
        urgency=Item.Urgency.VERY_URGENT,
    )
    row = ItemResource().export().dict[0]
    assert (row["Thể loại văn bản"], row["Độ mật"], row["Độ khẩn"]) == ("chỉ thị", "Tuyệt mật", "Thượng khẩn")
