"""One rule, four readers: "never public unless published, open to the public, unclassified and past
its embargo". Over every combination, the database constraint, ``Item.clean()`` and the import refuse
the same items (a classified item open to the public), and ``Item.is_public`` and
``Item.objects.public()`` show the same ones, the expected values written out here by hand.
"""

import datetime
import itertools

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from archive.models import Item
from archive.models.items import CLASSIFIED_NEVER_OPEN, holds, public_condition
from archive.resources import ItemResource

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)  # the instant of the tests below, in Hà Nội
EMBARGOES = {
    "none": None,
    "ended yesterday": TODAY - datetime.timedelta(days=1),
    "ends today": TODAY,
    "ends tomorrow": TODAY + datetime.timedelta(days=1),
}
STATUSES = [Item.Status.DRAFT, Item.Status.IN_REVIEW, Item.Status.PUBLISHED, Item.Status.WITHDRAWN]
ACCESS = [Item.AccessLevel.PUBLIC, Item.AccessLevel.INTERNAL, Item.AccessLevel.RESTRICTED]
SECRECY = [Item.Confidentiality.NONE, Item.Confidentiality.CONFIDENTIAL, Item.Confidentiality.TOP_SECRET]
CASES = list(itertools.product(STATUSES, ACCESS, SECRECY, EMBARGOES))


def storable(access, secrecy) -> bool:
    return not (access == "public" and secrecy != "")


def expected_public(status, access, secrecy, embargo) -> bool:
    return status == "published" and access == "public" and secrecy == "" and embargo != "ends tomorrow"


def item_of(status, access, secrecy, embargo) -> Item:
    return Item(
        title=f"{status} {access} {secrecy or '-'} {embargo}",
        status=status,
        access_level=access,
        confidentiality=secrecy,
        embargo_until=EMBARGOES[embargo],
    )


def test_the_cases_cover_both_outcomes_of_each_reader():
    assert {storable(a, s) for _, a, s, _ in CASES} == {True, False}
    assert sum(expected_public(*case) for case in CASES) == 3  # no embargo, ended yesterday, ends today


@pytest.mark.instant("2026-03-15 08:00")
def test_the_database_constraint_refuses_what_clean_refuses():
    for case in CASES:
        item = item_of(*case)
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError:
            stored = False
        else:
            stored = True
        try:
            item.clean()
        except ValidationError as error:
            assert list(error.message_dict) == ["access_level"], case
            cleaned = False
        else:
            cleaned = True
        assert stored == cleaned == storable(case[1], case[2]), case


@pytest.mark.instant("2026-03-15 08:00")
def test_is_public_and_the_public_query_show_the_same_items():
    stored = {case: item_of(*case) for case in CASES if storable(case[1], case[2])}
    for item in stored.values():
        item.save()
    public_ids = set(Item.objects.public().values_list("pk", flat=True))
    for case, item in stored.items():
        assert (item.pk in public_ids) == item.is_public == expected_public(*case), case
    for case in CASES:  # an unsaved item, classified and open included
        assert item_of(*case).is_public == expected_public(*case), case


@pytest.mark.instant("2026-03-15 08:00")
def test_the_import_refuses_the_rows_the_constraint_refuses():
    labels = {
        **{value: str(label) for value, label in Item.AccessLevel.choices},
        **{value: str(label) for value, label in Item.Confidentiality.choices},
    }
    combinations = list(itertools.product(ACCESS, SECRECY, EMBARGOES))
    headers = [f.column_name for f in ItemResource().get_import_fields() if not f.readonly]
    rows = []
    for access, secrecy, embargo in combinations:
        row = {
            "Tiêu đề": f"{access} {secrecy or '-'} {embargo}",
            "Thời kỳ": "TK4",
            "Loại hình": "Tài liệu văn bản",
            "Mức độ tiếp cận": labels[access],
            "Độ mật": labels[secrecy],
            "Hạn chế đến ngày": EMBARGOES[embargo].strftime("%d/%m/%Y") if EMBARGOES[embargo] else "",
        }
        rows.append([row.get(header, "") for header in headers])
    result = ItemResource().import_data(tablib.Dataset(*rows, headers=headers), dry_run=True)
    refused = {row.number for row in result.invalid_rows}
    expected = {number for number, (a, s, _) in enumerate(combinations, start=1) if not storable(a, s)}
    assert refused == expected
    for row in result.invalid_rows:
        assert list(row.error_dict) == ["Mức độ tiếp cận"]


@pytest.mark.instant("2026-03-15 23:59")
def test_an_embargo_lifts_at_midnight_in_hanoi(time_machine):
    item = item_of(Item.Status.PUBLISHED, Item.AccessLevel.PUBLIC, Item.Confidentiality.NONE, "ends tomorrow")
    item.save()
    assert not item.is_public and not Item.objects.public().filter(pk=item.pk).exists()
    time_machine.move_to(datetime.datetime.fromisoformat("2026-03-16 00:00+07:00"), tick=False)
    assert item.is_public and Item.objects.public().filter(pk=item.pk).exists()


def test_public_condition_takes_the_day_it_is_asked_about():
    item = item_of(Item.Status.PUBLISHED, Item.AccessLevel.PUBLIC, Item.Confidentiality.NONE, "ends tomorrow")
    assert not holds(public_condition(TODAY), item)
    assert holds(public_condition(TODAY + datetime.timedelta(days=1)), item)


def test_holds_reads_conditions_as_the_database_does():
    item = Item(date_start=datetime.date(2000, 1, 1), date_end=None, access_level="internal", confidentiality="mat")
    assert holds(CLASSIFIED_NEVER_OPEN, item)
    assert not holds(Q(date_end__gte=F("date_start")), item)  # NULL compares to nothing
    assert holds(Q(date_end__isnull=True) | Q(date_end__gte=F("date_start")), item)
    assert holds(~Q(access_level="public") & Q(date_start__lt=datetime.date(2001, 1, 1)), item)
    with pytest.raises(ValueError):
        holds(Q(title__icontains="x"), item)
