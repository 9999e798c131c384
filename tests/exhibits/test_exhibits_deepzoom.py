"""The item page's deep-zoom viewer: OpenSeadragon over the IIIF tiles of pictures and PDF pages,
with the plain picture and links kept for browsers without JavaScript; no iframe, nothing from a CDN."""

from __future__ import annotations

import io
import json
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from archive import media
from archive.models import Item

pytestmark = pytest.mark.django_db


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((1300, 900), 30).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


def pdf(pages: int) -> bytes:
    sheets = [Image.new("RGB", (300, 420), (250, 250, 240)) for _ in range(pages)]
    buffer = io.BytesIO()
    sheets[0].save(buffer, "PDF", save_all=True, append_images=sheets[1:], resolution=72)
    return buffer.getvalue()


@pytest.fixture
def item(db):
    return Item.objects.create(
        title="Báo cáo năm 1958", status=Item.Status.PUBLISHED, access_level=Item.AccessLevel.PUBLIC, is_sample=True
    )


def page(client, item) -> str:
    return client.get(reverse("exhibits:item_detail", args=[item.inventory_number])).content.decode()


def sources(html: str, marker: str = 'data-sources="') -> list:
    start = html.index(marker) + len(marker)
    return json.loads(unescape(html[start : html.index('"', start)]))


def test_a_pdf_is_shown_page_by_page_in_the_viewer_with_a_fallback_and_its_download(client, item):
    document = media.media_file_store(item=item, uploaded=SimpleUploadedFile("Báo cáo 1958.pdf", pdf(4)))
    html = page(client, item)
    assert "<iframe" not in html
    assert "data-deepzoom " in html and "deepzoom-pages" in html
    assert sources(html) == [reverse("archive:media_iiif_info", args=[document.pk, n]) for n in range(4)]
    assert "data-deepzoom-pager" in html and "data-deepzoom-prev" in html and "data-deepzoom-next" in html
    assert "<span data-deepzoom-page>1</span> / 4" in html
    # Without JavaScript: the first page's picture, linking the PDF, and the download under its name.
    assert 'class="pdf-first-page"' in html and "Trang 1 của Báo cáo 1958.pdf" in html
    assert reverse("archive:media", args=[document.pk, "original"]) + "?tai-ve=1" in html
    assert "Tải về Báo cáo 1958.pdf" in html


def test_an_image_is_shown_in_the_viewer_and_as_a_plain_picture(client, item):
    picture = media.media_file_store(item=item, uploaded=SimpleUploadedFile("ảnh.jpg", jpeg()))
    html = page(client, item)
    assert sources(html) == [reverse("archive:media_iiif_info", args=[picture.pk, 0])]
    assert "data-deepzoom-pager" not in html  # one picture: nothing to page through
    assert "data-deepzoom-fallback" in html and reverse("archive:media", args=[picture.pk, "large"]) in html


def test_the_viewer_comes_from_the_sites_own_static_files(client, item):
    media.media_file_store(item=item, uploaded=SimpleUploadedFile("ảnh.jpg", jpeg()))
    html = page(client, item)
    assert "vendor/openseadragon/openseadragon.min.js" in html and "exhibits/deepzoom.js" in html
    assert "vendor/openseadragon/images/" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


def test_a_file_not_tiled_yet_keeps_the_plain_picture_only(client, item, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    media.media_file_store(item=item, uploaded=SimpleUploadedFile("ảnh.jpg", jpeg()))
    html = page(client, item)
    assert "data-deepzoom " not in html and "viewer-main" in html
