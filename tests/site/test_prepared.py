"""Querysets compiled once and run again with other values give what the queryset gives."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F, Value

from archive.models import Item, Keyword, MediaFile, Person
from traditions.prepared import Prepared

pytestmark = pytest.mark.django_db


def _fields(objects) -> list[dict]:
    return [{k: v for k, v in obj.__dict__.items() if k != "_state"} for obj in objects]


def _item(title: str, **fields) -> Item:
    fields.setdefault("status", Item.Status.PUBLISHED)
    fields.setdefault("access_level", Item.AccessLevel.PUBLIC)
    return Item.objects.create(title=title, **fields)


def test_model_instances_with_deferred_fields_and_annotations_are_the_querysets(django_assert_num_queries):
    first, second = _item("Nghị quyết thứ nhất"), _item("Nghị quyết thứ hai")

    def build(pk):
        return Item.objects.filter(pk=pk).only("title", "kind").annotate(shout=F("title"))

    by_key = Prepared(build)
    for item in (first, second, first):
        with django_assert_num_queries(1):
            prepared = list(by_key(item.pk))
        assert _fields(prepared) == _fields(build(item.pk))
        assert prepared[0].shout == item.title
        assert prepared[0].get_deferred_fields() == build(item.pk)[0].get_deferred_fields()


def test_lists_of_another_length_nones_and_unions_are_each_compiled_for_their_shape():
    items = [_item(f"Tư liệu {n}") for n in range(4)]
    by_keys = Prepared(lambda keys: Item.objects.filter(pk__in=keys).order_by("pk").values_list("title", flat=True))
    assert list(by_keys([items[0].pk, items[2].pk])) == ["Tư liệu 0", "Tư liệu 2"]
    assert list(by_keys([items[3].pk])) == ["Tư liệu 3"]
    assert list(by_keys([items[1].pk, items[3].pk])) == ["Tư liệu 1", "Tư liệu 3"]

    def titled(title, kind):
        queryset = Item.objects.filter(title=title)
        return queryset if kind is None else queryset.filter(kind=kind)

    maybe_kind = Prepared(lambda title, kind: titled(title, kind).values_list("pk", flat=True))
    assert list(maybe_kind("Tư liệu 1", None)) == [items[1].pk]
    assert list(maybe_kind("Tư liệu 1", Item.Kind.ARTIFACT)) == []

    person, keyword = Person.objects.create(full_name="Lê Văn An"), Keyword.objects.create(name="cán bộ")
    items[0].people.add(person)
    items[0].keywords.add(keyword)
    names = Prepared(
        lambda pk: (
            Person.objects.filter(items=pk)
            .order_by()
            .annotate(n=Value(0))
            .values_list("n", "full_name")
            .union(Keyword.objects.filter(items=pk).order_by().annotate(n=Value(1)).values_list("n", "name"), all=True)
            .order_by("n")
        )
    )
    assert list(names(items[0].pk)) == [(0, "Lê Văn An"), (1, "cán bộ")]
    assert list(names(items[1].pk)) == []


def test_a_value_that_does_not_reach_the_sql_as_itself_is_refused():
    contains = Prepared(lambda word: Item.objects.filter(title__icontains=word))
    with pytest.raises(ValueError, match="do not reach the SQL"):
        list(contains("nghị"))
    with pytest.raises(TypeError):
        list(Prepared(lambda flag: Item.objects.filter(is_featured=flag))(True))


@pytest.mark.instant("2026-12-06 23:59")
def test_the_sql_of_yesterday_is_not_used_today(time_machine):
    lifted = _item("Hết hạn chế ngày mai", embargo_until=datetime.date(2026, 12, 7))
    public = Prepared(lambda pk: Item.objects.public().filter(pk=pk).values_list("pk", flat=True))
    assert list(public(lifted.pk)) == []
    time_machine.move_to(datetime.datetime(2026, 12, 7, 0, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False)
    assert list(public(lifted.pk)) == [lifted.pk]


def test_each_run_is_its_own_queryset(django_assert_num_queries):
    item = _item("Ảnh tư liệu")
    MediaFile.objects.create(item=item, kind=MediaFile.Kind.IMAGE, original_name="a.jpg", sha256="1" * 64, size=1)
    media = Prepared(lambda pk: MediaFile.objects.filter(item_id=pk))
    first = media(item.pk)
    second = media(item.pk)
    assert len(first) == 1 and first[0].item_id == item.pk
    with django_assert_num_queries(1):
        assert len(second) == 1  # not the first run's results
    assert list(media(item.pk + 1000)) == []


def test_a_prepared_queryset_refuses_what_would_build_its_sql_again():
    item = _item("Huy hiệu")
    by_key = Prepared(lambda pk: Item.objects.filter(pk=pk))
    for use in (
        lambda qs: qs.count(),
        lambda qs: qs.exists(),
        lambda qs: qs.first(),
        lambda qs: qs.filter(kind=Item.Kind.ARTIFACT),
    ):
        with pytest.raises(TypeError, match="only to iterate"):
            use(by_key(item.pk))
    assert [found.pk for found in by_key(item.pk)] == [item.pk]
