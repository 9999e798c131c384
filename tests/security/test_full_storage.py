"""A full disk is a message: when storage runs out of room half-way through a file, what was written
is removed, the administrator finds an error in the log, the sender a Vietnamese message saying
nothing was saved, and no row is left (the transaction rolls back).

The disk is a FileSystemStorage that fills up: after ``saves_before_full`` whole files it writes
the first bytes of the next one and raises ``OSError(ENOSPC)`` (or EDQUOT, a used-up quota), as
the operating system does.
"""

from __future__ import annotations

import errno
import io
import logging
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from archive import media
from archive.models import Body, Contribution, ContributionFile, Item, MediaFile

pytestmark = pytest.mark.django_db

FULL_MESSAGE = "Máy chủ hết chỗ lưu trữ nên chưa lưu được gì từ lần gửi này."


class FullDiskStorage(FileSystemStorage):
    """Keeps ``saves_before_full`` files, then writes part of the next and fails with ``error_number``."""

    def __init__(self, *, saves_before_full: int = 0, error_number: int = errno.ENOSPC, **options) -> None:
        super().__init__(**options)
        self.saves_left = saves_before_full
        self.error_number = error_number
        self.broken_off: list[str] = []

    def save(self, name, content, max_length=None):
        if self.saves_left > 0:
            self.saves_left -= 1
            return super().save(name, content, max_length=max_length)
        name = self.get_available_name(name, max_length=max_length)
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        content.seek(0)
        path.write_bytes(content.read(100))
        self.broken_off.append(name)
        raise OSError(self.error_number, os.strerror(self.error_number), str(path))


@pytest.fixture
def full_disk(settings):
    def fill(*, saves_before_full: int = 0, error_number: int = errno.ENOSPC) -> None:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": f"{__name__}.FullDiskStorage",
                "OPTIONS": {"saves_before_full": saves_before_full, "error_number": error_number},
            },
        }

    return fill


def png_bytes(size=(1200, 900)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 40).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def media_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def broken_off() -> list[str]:
    from django.core.files.storage import default_storage

    return default_storage.broken_off


def assert_logged_for_the_administrator(caplog) -> None:
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "archive.media"]
    assert errors and "Storage is full" in errors[0].getMessage()


@pytest.fixture
def item(db):
    return Item.objects.create(title="Ảnh Đại hội Đảng bộ Khối lần thứ nhất", is_sample=True)


# --- archive.media.media_file_store ------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "saves_before_full", "error_number"),
    [
        ("the original breaks off", 0, errno.ENOSPC),
        ("the quota is used up", 0, errno.EDQUOT),
    ],
)
def test_media_file_store_on_a_full_disk_keeps_nothing(item, full_disk, caplog, case, saves_before_full, error_number):
    full_disk(saves_before_full=saves_before_full, error_number=error_number)
    with pytest.raises(ValidationError) as caught:
        media.media_file_store(item=item, uploaded=SimpleUploadedFile("ảnh.png", png_bytes()))
    assert caught.value.code == "storage_full", case
    assert caught.value.messages[0].startswith(FULL_MESSAGE)
    assert "Ban Tuyên giáo" in caught.value.messages[0]
    assert broken_off(), "the storage did break off a write"
    assert media_files() == []
    assert not MediaFile.objects.exists()
    assert_logged_for_the_administrator(caplog)


@pytest.mark.parametrize(
    ("case", "saves_before_full"),
    [("the first derivative breaks off", 1), ("the last derivative breaks off", 3), ("a tile breaks off", 4)],
)
def test_a_full_disk_in_the_background_job_keeps_the_original_and_fails_with_the_reason(
    item, full_disk, caplog, case, saves_before_full, django_capture_on_commit_callbacks
):
    """The original is stored by the request; the job's derivatives and tiles are removed again and
    the media file says why it failed, in Vietnamese, naming the file."""
    full_disk(saves_before_full=saves_before_full)
    with django_capture_on_commit_callbacks(execute=True):
        stored = media.media_file_store(item=item, uploaded=SimpleUploadedFile("ảnh.png", png_bytes()))
    assert broken_off(), case
    assert stored.status == MediaFile.Status.FAILED
    assert "“ảnh.png”" in stored.failure_reason and "hết chỗ" in stored.failure_reason
    assert not (stored.thumbnail or stored.medium or stored.large or stored.tiles)
    assert [p.relative_to(django_settings.MEDIA_ROOT).as_posix() for p in media_files()] == [stored.file.name]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "archive.processing"]
    assert errors and "Storage is full" in errors[0].getMessage()


def test_other_storage_errors_pass_on_but_leave_nothing_either(item, full_disk):
    full_disk(saves_before_full=0, error_number=errno.EIO)
    with pytest.raises(OSError) as caught:
        media.media_file_store(item=item, uploaded=SimpleUploadedFile("ảnh.png", png_bytes()))
    assert caught.value.errno == errno.EIO
    assert media_files() == [] and not MediaFile.objects.exists()


def test_other_storage_errors_in_the_job_fail_it_and_keep_the_original(item, full_disk):
    full_disk(saves_before_full=1, error_number=errno.EIO)
    stored = media.media_file_store(item=item, uploaded=SimpleUploadedFile("ảnh.png", png_bytes()))
    assert stored.status == MediaFile.Status.FAILED and "Xử lý lại" in stored.failure_reason
    assert [p.relative_to(django_settings.MEDIA_ROOT).as_posix() for p in media_files()] == [stored.file.name]


def test_the_admin_media_upload_on_a_full_disk_keeps_nothing(client, propaganda_user, full_disk, caplog):
    """The inline form stores the file when the admin saves the item, after validation: the error
    rolls it all back and the user gets status 507 with the message."""
    full_disk(saves_before_full=0)
    client.force_login(propaganda_user)
    data = {
        "kind": "photo",
        "title_vi": "Ảnh Nhà Truyền thống",
        "language": "vi",
        "reliability": "original",
        "access_level": "public",
        "media-TOTAL_FORMS": "1",
        "media-INITIAL_FORMS": "0",
        "media-MIN_NUM_FORMS": "0",
        "media-MAX_NUM_FORMS": "1000",
        "media-0-position": "0",
        "media-0-file": SimpleUploadedFile("ảnh.png", png_bytes()),
    }
    response = client.post(reverse("admin:archive_item_add"), data)
    assert response.status_code == 507
    html = response.content.decode()
    assert "Máy chủ hết chỗ lưu trữ" in html and FULL_MESSAGE in html
    assert broken_off() and media_files() == []
    assert not Item.objects.exists() and not MediaFile.objects.exists()
    assert_logged_for_the_administrator(caplog)


# --- the public contribution form ----------------------------------------------------------------


def contribution_data() -> dict:
    return {
        "contributor_name": "Nguyễn Thị Hoa",
        "body": str(Body.objects.order_by("pk").first().pk),
        "email": "hoa@example.vn",
        "description": "Ảnh Đại hội Đảng bộ Khối lần thứ nhất năm 2010.",
        "consent": "on",
    }


@pytest.mark.parametrize(("case", "saves_before_full"), [("the first file", 0), ("the second file", 1)])
def test_the_contribution_form_on_a_full_disk_says_so_and_keeps_nothing(
    client, full_disk, caplog, case, saves_before_full
):
    full_disk(saves_before_full=saves_before_full)
    files = [SimpleUploadedFile("ảnh 1.png", png_bytes((300, 200))), SimpleUploadedFile("ảnh 2.png", png_bytes())]
    response = client.post("/dong-gop-tu-lieu/", {**contribution_data(), "files": files})
    assert response.status_code == 200, case
    errors = response.context["form"].errors
    assert any(message.startswith(FULL_MESSAGE) for messages in errors.values() for message in messages)
    assert FULL_MESSAGE in response.content.decode()
    assert broken_off() and media_files() == []
    assert Contribution.objects.count() == 0 and ContributionFile.objects.count() == 0
    assert_logged_for_the_administrator(caplog)
