"""The item form's media inline: uploads checked by archive.media, one primary file."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from archive.models import Item, MediaFile

pytestmark = pytest.mark.django_db


def png(name: str = "ảnh gốc.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (10, 120, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def data(**media) -> dict:
    values = {
        "kind": "photo",
        "title_vi": "Ảnh Nhà Truyền thống",
        "language": "vi",
        "reliability": "original",
        "access_level": "public",
        "media-TOTAL_FORMS": str(len(media) // 2 or 0),
        "media-INITIAL_FORMS": "0",
        "media-MIN_NUM_FORMS": "0",
        "media-MAX_NUM_FORMS": "1000",
    }
    values.update(media)
    return values


def test_upload_is_inspected_stored_and_made_primary(client, propaganda_user):
    client.force_login(propaganda_user)
    response = client.post(
        reverse("admin:archive_item_add"),
        data(**{"media-0-file": png(), "media-0-position": "0"}),
    )
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    media = Item.objects.get().media.get()
    assert media.is_primary
    assert media.kind == "image" and media.width == 400 and media.sha256
    assert media.original_name == "ảnh gốc.png"
    assert media.thumbnail


def test_a_bad_upload_is_refused_with_a_message_and_nothing_saved(client, propaganda_user):
    client.force_login(propaganda_user)
    bad = SimpleUploadedFile("trang.html", b"<html><script>alert(1)</script></html>", content_type="text/html")
    response = client.post(reverse("admin:archive_item_add"), data(**{"media-0-file": bad, "media-0-position": "0"}))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors[0]["file"]
    assert not Item.objects.exists() and not MediaFile.objects.exists()


def test_two_primary_files_are_refused(client, propaganda_user):
    client.force_login(propaganda_user)
    fields = {
        "media-0-file": png("a.png"),
        "media-0-position": "0",
        "media-0-is_primary": "on",
        "media-1-file": png("b.png"),
        "media-1-position": "1",
        "media-1-is_primary": "on",
    }
    response = client.post(reverse("admin:archive_item_add"), data(**fields))
    assert response.status_code == 200
    assert "chỉ đánh dấu một tệp" in " ".join(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert not Item.objects.exists()
