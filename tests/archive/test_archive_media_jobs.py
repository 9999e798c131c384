"""The media job (archive.processing through archive.tasks): derivatives and IIIF tiles made after
the upload, safe to run twice, never touching the original, failing with a reason staff can act on;
the tiles served only to those who may see the file."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from archive import media, processing
from archive.models import Item, MediaFile

pytestmark = pytest.mark.django_db


def jpeg(size=(1500, 1100)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 30).convert("RGB").save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def pdf(pages: int = 3) -> bytes:
    sheets = [Image.new("RGB", (600, 850), (250, 250, 240 - 10 * n)) for n in range(pages)]
    buffer = io.BytesIO()
    sheets[0].save(buffer, "PDF", save_all=True, append_images=sheets[1:], resolution=72)
    return buffer.getvalue()


def stored_files() -> set[str]:
    root = Path(django_settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def digest(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


@pytest.fixture
def item(db):
    return Item.objects.create(
        title="Ảnh Đại hội", status=Item.Status.PUBLISHED, access_level=Item.AccessLevel.PUBLIC, is_sample=True
    )


@pytest.fixture
def draft(db):
    return Item.objects.create(title="Bản thảo", status=Item.Status.DRAFT, is_sample=True)


@pytest.fixture
def stored(item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return media.media_file_store(item=item, uploaded=SimpleUploadedFile("ảnh Đại hội.jpg", jpeg()))


def test_the_upload_queues_the_job_which_makes_derivatives_and_tiles(stored):
    assert stored.status == MediaFile.Status.READY and stored.failure_reason == ""
    assert stored.thumbnail and stored.medium and stored.large
    assert stored.has_tiles and stored.tiled_pages == 1
    with default_storage.open(stored.tile_name(0, "info.json")) as stored_info:
        info = json.loads(stored_info.read())
    assert info["type"] == "ImageService3" and info["profile"] == "level0"
    assert (info["width"], info["height"]) == (1500, 1100)
    tiles = [n for n in stored_files() if n.startswith(stored.tiles) and n.endswith("/0/default.jpg")]
    assert len(tiles) >= 6  # 3 × 3 tiles of 512 at full size, and the levels above
    assert not any(n.endswith("vips-properties.xml") for n in stored_files())


def test_the_request_stores_only_the_original_and_the_job_does_the_rest(item, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    waiting = media.media_file_store(item=item, uploaded=SimpleUploadedFile("ảnh.jpg", jpeg()))
    assert [r.args for r in default_task_backend.results] == [[waiting.pk]]
    assert waiting.status == MediaFile.Status.WAITING
    assert not (waiting.thumbnail or waiting.tiles)
    assert stored_files() == {waiting.file.name}


def test_running_the_job_twice_keeps_one_set_and_the_original(stored, django_capture_on_commit_callbacks):
    original, checksum = stored.file.name, digest(stored.file.name)
    first = stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        assert processing.media_file_process(media_file_id=stored.pk) == MediaFile.Status.READY
    again = MediaFile.objects.get(pk=stored.pk)
    assert again.tiles != stored.tiles and again.thumbnail.name != stored.thumbnail.name
    assert len(stored_files()) == len(first)  # the earlier set was removed, nothing doubled
    assert not any(n.startswith(stored.tiles) for n in stored_files())
    assert again.file.name == original and digest(original) == checksum


def test_a_broken_original_fails_with_a_reason_naming_the_file_and_keeps_it(stored):
    with default_storage.open(stored.file.name, "wb") as handle:  # the stored file became unreadable
        handle.write(jpeg()[:400])
    assert processing.media_file_process(media_file_id=stored.pk) == MediaFile.Status.FAILED
    failed = MediaFile.objects.get(pk=stored.pk)
    assert failed.status == MediaFile.Status.FAILED
    assert "“ảnh Đại hội.jpg”" in failed.failure_reason and "Hãy" in failed.failure_reason
    assert default_storage.exists(failed.file.name)
    # The previous derivatives stay in use: the page still shows a picture.
    assert failed.thumbnail.name == stored.thumbnail.name and failed.tiles == stored.tiles


def test_a_missing_original_fails_without_a_record_pointing_at_new_files(stored):
    default_storage.delete(stored.file.name)
    before = stored_files()
    assert processing.media_file_process(media_file_id=stored.pk) == MediaFile.Status.FAILED
    assert "không tìm thấy tệp gốc" in MediaFile.objects.get(pk=stored.pk).failure_reason
    assert stored_files() == before


def test_a_deleted_media_file_is_left_alone():
    assert processing.media_file_process(media_file_id=987654) == "gone"


def test_the_admin_action_processes_a_failed_file_again(stored, client, superuser, django_capture_on_commit_callbacks):
    MediaFile.objects.filter(pk=stored.pk).update(status=MediaFile.Status.FAILED, failure_reason="Tệp hỏng.")
    client.force_login(superuser)
    changelist = client.get(reverse("admin:archive_mediafile_changelist"))
    assert "Xử lý lỗi" in changelist.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:archive_mediafile_changelist"),
            {"action": "process_again", "_selected_action": [stored.pk]},
            follow=True,
        )
    assert "Đã đưa 1 tệp vào hàng đợi xử lý." in response.content.decode()
    assert MediaFile.objects.get(pk=stored.pk).status == MediaFile.Status.READY
    change = client.get(reverse("admin:archive_mediafile_change", args=[stored.pk]))
    assert "Đã xử lý xong" in change.content.decode()


def test_the_item_inline_shows_the_state_and_the_reason(stored, client, superuser):
    MediaFile.objects.filter(pk=stored.pk).update(status=MediaFile.Status.FAILED, failure_reason="Lý do thử.")
    client.force_login(superuser)
    html = client.get(reverse("admin:archive_item_change", args=[stored.item_id])).content.decode()
    assert "Xử lý lỗi" in html and "Lý do thử." in html


def test_each_pdf_page_is_rendered_at_300_dpi_and_tiled(item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = media.media_file_store(item=item, uploaded=SimpleUploadedFile("Báo cáo 1958.pdf", pdf(3)))
    assert document.status == MediaFile.Status.READY and document.tiled_pages == 3
    for page in range(3):
        with default_storage.open(document.tile_name(page, "info.json")) as stored_info:
            info = json.loads(stored_info.read())
        assert (info["width"], info["height"]) == (2500, 3542)  # 600 × 850 pt at 300/72


def test_a_pdf_without_pages_or_with_a_broken_page_is_refused_at_upload(item):
    import pikepdf

    empty = io.BytesIO()
    pikepdf.new().save(empty)
    with pytest.raises(ValidationError) as caught:
        media.media_file_store(item=item, uploaded=SimpleUploadedFile("rỗng.pdf", empty.getvalue()))
    assert caught.value.code == "pdf_no_pages" and "“rỗng.pdf”" in caught.value.messages[0]
    broken = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R 4 0 R]/Count 2>>"
        b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n4 0 obj<</Type/Font>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF"
    )
    with pytest.raises(ValidationError) as caught:
        media.media_file_store(item=item, uploaded=SimpleUploadedFile("hỏng.pdf", broken))
    assert caught.value.code == "bad_pdf_page" and "trang 2" in caught.value.messages[0]
    assert not MediaFile.objects.exists() and stored_files() == set()


def test_a_corrupt_tiff_is_refused_at_upload(item):
    buffer = io.BytesIO()
    Image.effect_noise((300, 200), 30).convert("RGB").save(buffer, "TIFF", compression="tiff_lzw")
    with pytest.raises(ValidationError) as caught:
        media.media_file_store(item=item, uploaded=SimpleUploadedFile("quét.tif", buffer.getvalue()[:-600]))
    assert caught.value.code == "bad_image"
    assert not MediaFile.objects.exists() and stored_files() == set()


# --- serving the tiles ------------------------------------------------------------------------


def tile_urls(media_file: MediaFile) -> list[str]:
    prefix = f"{media_file.tiles}/0/"
    found = sorted(n.removeprefix(prefix) for n in stored_files() if n.startswith(prefix) and n.endswith(".jpg"))
    return [
        reverse("archive:media_tile", args=[media_file.pk, 0, *name.removesuffix("/0/default.jpg").split("/")])
        for name in found
    ]


def test_a_public_items_tiles_and_info_are_served_to_anyone(stored, client):
    info = client.get(reverse("archive:media_iiif_info", args=[stored.pk, 0]))
    assert info.status_code == 200
    described = info.json()
    assert described["id"] == f"http://testserver/tep/{stored.pk}/iiif/0"
    urls = tile_urls(stored)
    assert urls
    tile = client.get(urls[0])
    assert tile.status_code == 200 and tile["Content-Type"] == "image/jpeg"
    assert b"".join(tile.streaming_content)[:2] == b"\xff\xd8"


def test_a_non_public_items_tiles_answer_404_to_anyone_without_the_right(
    draft, client, superuser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hidden = media.media_file_store(item=draft, uploaded=SimpleUploadedFile("mật.jpg", jpeg((700, 600))))
    urls = [reverse("archive:media_iiif_info", args=[hidden.pk, 0]), *tile_urls(hidden)]
    assert len(urls) > 1
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.force_login(superuser)
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("region", "size"), [("..", "512,"), ("0,0,512,512", ".."), ("0,0,512,512", "512,%2F..%2Finfo.json")]
)
def test_a_tile_address_names_nothing_but_a_tile(stored, client, region, size):
    assert client.get(f"/tep/{stored.pk}/iiif/0/{region}/{size}/0/default.jpg").status_code == 404


def test_a_page_past_the_last_is_404(stored, client):
    assert client.get(reverse("archive:media_iiif_info", args=[stored.pk, 1])).status_code == 404
