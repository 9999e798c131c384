"""Readers, items of each access level with tiled pages, and a helper that signs a reader in."""

import io
import itertools

import pytest
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from PIL import Image

from archive import processing
from archive.models import Body, Item, MediaFile
from reading.models import ReaderProfile

PASSWORD = "mật-khẩu-bạn-đọc-2026"
_counter = itertools.count(1)


def jpeg(width: int = 900, height: int = 1200, colour=(235, 230, 215)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def make_item(title: str, *, access: str = Item.AccessLevel.PUBLIC, **fields) -> Item:
    fields.setdefault("status", Item.Status.PUBLISHED)
    item = Item(title=title, access_level=access, **fields)
    item.save()
    return item


def tiled_image(item: Item, *, width: int = 900, height: int = 1200) -> MediaFile:
    """A scanned page of ``item`` with its deep-zoom tiles made by the real job."""
    n = next(_counter)
    media = MediaFile(
        item=item,
        kind=MediaFile.Kind.IMAGE,
        mime_type="image/jpeg",
        original_name=f"trang-{n}.jpg",
        size=10,
        sha256=f"{n:064d}",
        is_primary=not item.media.exists(),
    )
    media.file.save(f"page-{n}.jpg", ContentFile(jpeg(width, height)), save=False)
    media.save()
    processing.media_file_process(media_file_id=media.pk)
    media.refresh_from_db()
    return media


def make_reader(django_user_model, name: str, *, standing: str = "", email: str | None = None):
    from django.utils import timezone

    email = email or f"{name.split()[-1].lower()}@example.org"
    user = django_user_model.objects.create_user(username=email, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    ReaderProfile.objects.create(
        user=user,
        full_name=name,
        institution="Viện Lịch sử Đảng",
        purpose="Nghiên cứu lịch sử Đảng bộ Khối",
        standing=standing,
        confirmed_at=timezone.now() if standing else None,
    )
    return user


@pytest.fixture
def member(db, django_user_model):
    return make_reader(django_user_model, "Phạm Thị Hội Viên", standing=ReaderProfile.Standing.MEMBER)


@pytest.fixture
def researcher(db, django_user_model):
    return make_reader(django_user_model, "Hoàng Văn Nghiên", standing=ReaderProfile.Standing.RESEARCHER)


@pytest.fixture
def newcomer(db, django_user_model):
    """Signed up and verified, not yet confirmed by staff."""
    return make_reader(django_user_model, "Vũ Thị Mới")


@pytest.fixture
def items(db):
    """One item of each kind a request meets."""
    public = make_item("Nghị quyết công khai")
    tiled_image(public)
    internal = make_item("Biên bản họp nội bộ", access=Item.AccessLevel.INTERNAL)
    tiled_image(internal)
    restricted = make_item("Báo cáo hạn chế", access=Item.AccessLevel.RESTRICTED)
    tiled_image(restricted)
    undigitised = make_item("Sổ ghi chép chưa số hóa")
    classified = make_item(
        "Công văn mật", access=Item.AccessLevel.RESTRICTED, confidentiality=Item.Confidentiality.SECRET
    )
    draft = make_item("Bản thảo", status=Item.Status.DRAFT)
    return {
        "public": public,
        "internal": internal,
        "restricted": restricted,
        "undigitised": undigitised,
        "classified": classified,
        "draft": draft,
    }


@pytest.fixture
def body(db):
    """A subordinate party committee of today, as readers choose theirs on the sign-up form."""
    return Body.objects.create(name="Đảng ủy Bộ Ngoại giao", kind=Body.Kind.SUBORDINATE)


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """``with commits(execute=True):`` runs what the block leaves for after its commit (emails, jobs)."""
    return django_capture_on_commit_callbacks
