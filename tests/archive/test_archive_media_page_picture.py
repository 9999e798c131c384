"""A rendered PDF page handed to libvips: from the bitmap's own pixels, or from a copy where they
are not packed RGB; the same picture either way."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import Image

from archive.processing import page_picture


def rendered(**options) -> pdfium.PdfBitmap:
    buffer = io.BytesIO()
    Image.new("RGB", (201, 100), (200, 30, 60)).save(buffer, "PDF")
    document = pdfium.PdfDocument(buffer.getvalue())
    page = document[0]
    bitmap = page.render(scale=1, fill_color=(255, 255, 255, 255), **options)
    page.close()
    document.close()
    return bitmap


def test_a_packed_rgb_page_and_any_other_bitmap_give_the_same_picture():
    packed = rendered(rev_byteorder=True)
    assert packed.stride == packed.width * 3  # read in place
    other = rendered(rev_byteorder=False, prefer_bgrx=True)
    assert other.n_channels == 4
    for bitmap in (packed, other):
        image = page_picture(bitmap)
        assert (image.width, image.height, image.bands) == (201, 100, 3)
        red, green, blue = image.getpoint(100, 50)
        assert abs(red - 200) < 8 and abs(green - 30) < 8 and abs(blue - 60) < 8
        bitmap.close()
