"""Small factories for the public-site tests (plain ORM), until the archive's demo data lands."""

import datetime
import io
import itertools
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from archive.models import Body, Item, MediaFile, Period, Person, Position, Term
from archive.partial_dates import PartialDate
from exhibits.models import Exhibit, ExhibitBlock

_counter = itertools.count(1)


def jpeg_bytes(width: int = 64, height: int = 48, colour=(163, 21, 27)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG")
    return buffer.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def make_item(title: str = "Tư liệu", *, public: bool = True, date: PartialDate | None = None, **fields) -> Item:
    fields.setdefault("status", Item.Status.PUBLISHED if public else Item.Status.DRAFT)
    fields.setdefault("access_level", Item.AccessLevel.PUBLIC)
    bodies = fields.pop("bodies", [])
    item = Item(title=title, **fields)
    if date:
        item.set_partial_date(date)
    item.save()
    if bodies:
        item.bodies.set(bodies)
    return item


def make_image(item: Item, *, derivatives: bool = True, primary: bool | None = None, **fields) -> MediaFile:
    n = next(_counter)
    media = MediaFile(
        item=item,
        kind=MediaFile.Kind.IMAGE,
        mime_type="image/jpeg",
        original_name=fields.pop("original_name", f"Ảnh tư liệu {n}.jpg"),
        size=100,
        sha256=f"{n:064d}",
        width=1200,
        height=900,
        is_primary=not item.media.exists() if primary is None else primary,
        **fields,
    )
    media.file.save(f"image-{n}.jpg", ContentFile(jpeg_bytes()), save=False)
    if derivatives:
        for name in ("thumbnail", "medium", "large"):
            getattr(media, name).save(f"{name}-{n}.jpg", ContentFile(jpeg_bytes(32, 24)), save=False)
    media.save()
    return media


def make_media(item: Item, kind: str, name: str, content: bytes, mime: str) -> MediaFile:
    n = next(_counter)
    media = MediaFile(
        item=item,
        kind=kind,
        mime_type=mime,
        original_name=name,
        size=len(content),
        sha256=f"{n:064d}",
        is_primary=not item.media.exists(),
    )
    media.file.save(f"file-{n}{name[name.rfind('.') :]}", ContentFile(content), save=False)
    media.save()
    return media


def make_exhibit(title: str = "Chuyên đề", *, published: bool = True, **fields) -> Exhibit:
    n = next(_counter)
    fields.setdefault("slug", f"chuyen-de-{n}")
    return Exhibit.objects.create(
        title=title, status=Exhibit.Status.PUBLISHED if published else Exhibit.Status.DRAFT, **fields
    )


def make_block(exhibit: Exhibit, kind: str, *, items=(), **fields) -> ExhibitBlock:
    fields.setdefault("position", exhibit.blocks.count() + 1)
    block = ExhibitBlock.objects.create(exhibit=exhibit, kind=kind, **fields)
    if items:
        block.items.set(items)
    return block


def make_leader(name: str, body: Body, role: str, *, start: int, end: int | None = None) -> Position:
    term, _ = Term.objects.get_or_create(body=body, start_year=start, defaults={"end_year": end})
    person = Person.objects.create(full_name=name)
    return Position.objects.create(person=person, body=body, term=term, role=role)


@pytest.fixture(autouse=True)
def _vietnamese_first():
    """Requests to /en/ leave English active in the test thread; reverse() must start in Vietnamese."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.activate("vi")


@pytest.fixture
def make():
    return SimpleNamespace(
        item=make_item,
        image=make_image,
        media=make_media,
        exhibit=make_exhibit,
        block=make_block,
        leader=make_leader,
        jpeg=jpeg_bytes,
        pdf=PDF_BYTES,
    )


@pytest.fixture
def period(db):
    return Period.objects.get(number=4)


@pytest.fixture
def catalogue(db, make, period):
    """A few public items with diacritics, one of each kind of hidden item, an exhibit."""
    bloc = Body.objects.filter(period=period).first() or Body.objects.first()
    items = SimpleNamespace()
    items.tradition = make.item(
        "Truyền thống vẻ vang của Đảng bộ Khối",
        summary="Tập ảnh về truyền thống Đảng bộ Khối các cơ quan Trung ương.",
        kind=Item.Kind.PHOTO,
        period=period,
        date=PartialDate(2008, 4),
        bodies=[bloc],
    )
    make.image(items.tradition)
    make.image(items.tradition)
    items.resolution = make.item(
        "Nghị quyết Đại hội Đảng bộ Khối lần thứ nhất",
        summary="Nghị quyết về phát huy truyền thống và xây dựng Đảng.",
        kind=Item.Kind.DOCUMENT,
        document_type="resolution",
        number_symbol="01-NQ/ĐUK",
        period=period,
        date=PartialDate(2010, 10, 15),
        bodies=[bloc],
    )
    items.flag = make.item(
        "Cờ thi đua của Đảng ủy Khối",
        summary="Hiện vật trao tặng năm 2012.",
        kind=Item.Kind.ARTIFACT,
        period=period,
        date=PartialDate(2012),
        location="Tủ 3, ngăn 2",
    )
    items.old = make.item(
        "Ảnh cán bộ cơ quan Trung ương",
        kind=Item.Kind.PHOTO,
        period=Period.objects.get(number=1),
        date=PartialDate(1950, precision="decade", circa=True),
    )
    items.draft = make.item("Truyền thống bản nháp bí mật", public=False, period=period, kind=Item.Kind.PHOTO)
    items.internal = make.item(
        "Truyền thống nội bộ", access_level=Item.AccessLevel.INTERNAL, period=period, kind=Item.Kind.VIDEO
    )
    items.secret = make.item(
        "Truyền thống mật",
        access_level=Item.AccessLevel.RESTRICTED,
        confidentiality=Item.Confidentiality.CONFIDENTIAL,
        period=period,
        document_type="directive",
        staff_notes="Ghi chú nội bộ",
    )
    items.embargoed = make.item(
        "Truyền thống chờ công bố",
        embargo_until=timezone.localdate() + datetime.timedelta(days=30),
        period=period,
        bodies=[bloc],
    )
    make.image(items.draft)
    make.image(items.embargoed)
    items.hidden = [items.draft, items.internal, items.secret, items.embargoed]
    items.public = [items.tradition, items.resolution, items.flag, items.old]
    items.bloc = bloc
    return items
