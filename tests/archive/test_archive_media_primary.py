"""One primary media file per item: the database holds it (a partial unique constraint) and one
service (archive.services.media_file_make_primary) moves the mark, for the admin's inline and for
archive.media.media_file_store alike."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, UniqueConstraint
from PIL import Image

from archive.media import media_file_store
from archive.models import Item, MediaFile
from archive.services import media_file_make_primary

pytestmark = pytest.mark.django_db


def png(color) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "PNG")
    return SimpleUploadedFile("ảnh.png", buffer.getvalue())


def bare_file(item: Item, position: int, is_primary: bool = False) -> MediaFile:
    return MediaFile.objects.create(
        item=item, kind="image", file=f"x{position}.png", position=position, is_primary=is_primary
    )


def primaries(item: Item) -> list[int]:
    return list(MediaFile.objects.filter(item=item, is_primary=True).values_list("position", flat=True))


def test_the_database_holds_one_primary_per_item():
    (constraint,) = [c for c in MediaFile._meta.constraints if c.name == "mediafile_one_primary_per_item"]
    assert isinstance(constraint, UniqueConstraint)
    assert constraint.fields == ("item",) and constraint.condition == Q(is_primary=True)
    item = Item.objects.create(title="Ảnh")
    bare_file(item, 0, is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        bare_file(item, 1, is_primary=True)


def test_the_service_moves_the_mark_and_otherwise_keeps_or_picks_the_first():
    item = Item.objects.create(title="Ảnh")
    assert media_file_make_primary(item=item) is None
    files = [bare_file(item, position) for position in (2, 0, 1)]
    assert media_file_make_primary(item=item).position == 0  # none yet: the first by position
    assert primaries(item) == [0]
    moved = media_file_make_primary(item=item, media_file=files[0])
    assert moved.is_primary and primaries(item) == [2]
    assert media_file_make_primary(item=item).position == 2  # kept
    assert primaries(item) == [2]


def test_storing_files_gives_the_mark_through_the_same_rule():
    item = Item.objects.create(title="Ảnh")
    first = media_file_store(item=item, uploaded=png((10, 10, 10)))
    second = media_file_store(item=item, uploaded=png((20, 20, 20)))
    assert first.is_primary and not second.is_primary
    third = media_file_store(item=item, uploaded=png((30, 30, 30)), is_primary=True)
    assert primaries(item) == [third.position]
    media_file_store(item=item, uploaded=png((40, 40, 40)), is_primary=False)
    assert primaries(item) == [third.position]
