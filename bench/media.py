"""Media job benchmarks (a script, not a test): deep-zoom tiles per second for a 4961 × 3508 page
(A4 at 600 dpi, or A3 at 420), PDF pages rendered at 300 dpi per minute, and the peak memory of a
worker tiling every page of a 300-page PDF. Figures go to bench/README.md.

    .venv/bin/python bench/media.py [--pages 300]

Each measurement runs in its own process, so the peak resident memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _django(media_root: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traditions.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["DJANGO_MEDIA_ROOT"] = media_root
    import django

    django.setup()


def _scan(width: int, height: int):
    """A page like a scan: paper grain, lines of text, a seal (Pillow)."""
    from PIL import Image, ImageDraw

    page = Image.effect_noise((width, height), 12).convert("RGB").point(lambda v: 200 + v // 5)
    draw = ImageDraw.Draw(page)
    for y in range(height // 10, height - height // 8, max(20, height // 60)):
        draw.rectangle(
            [width // 10, y, width - width // 8 - (y * 37) % (width // 4), y + height // 200], fill=(60, 55, 50)
        )
    radius = width // 12
    draw.ellipse(
        [width * 2 // 3 - radius, height * 3 // 4 - radius, width * 2 // 3 + radius, height * 3 // 4 + radius],
        outline=(190, 30, 30),
        width=max(4, radius // 10),
    )
    return page


def _pdf(path: str, pages: int) -> None:
    """A PDF of ``pages`` scanned A4 pages (150 dpi JPEG pictures), the same page repeated."""
    import pikepdf

    buffer = io.BytesIO()
    _scan(1240, 1754).save(buffer, "PDF", resolution=150, quality=80)
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        for _ in range(pages - 1):
            pdf.pages.append(pdf.pages[0])
        pdf.save(path)


def tiles_per_second() -> dict:
    with tempfile.TemporaryDirectory() as media_root:
        _django(media_root)
        import pyvips
        from django.core.files.storage import default_storage

        from archive.processing import tile_image

        picture = _scan(4961, 3508)
        image = pyvips.Image.new_from_memory(picture.tobytes(), picture.width, picture.height, 3, "uchar")
        saved = []

        def save(name, content):
            saved.append(default_storage.save(f"bench/{name}", content))

        start = time.perf_counter()
        tile_image(image, save=save, page=0)
        seconds = time.perf_counter() - start
        tiles = sum(1 for name in saved if name.endswith(".jpg"))
        return {"tiles": tiles, "seconds": round(seconds, 2), "tiles_per_second": round(tiles / seconds, 1)}


def pages_per_minute(pages: int = 20) -> dict:
    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory() as directory:
        path = f"{directory}/bench.pdf"
        _pdf(path, pages)
        document = pdfium.PdfDocument(path)
        start = time.perf_counter()
        for index in range(len(document)):
            page = document[index]
            picture = page.render(scale=300 / 72, fill_color=(255, 255, 255, 255), rev_byteorder=True).to_pil()
            picture.convert("RGB").tobytes()
            page.close()
        seconds = time.perf_counter() - start
        document.close()
    return {"pages": pages, "seconds": round(seconds, 2), "pages_per_minute": round(pages / seconds * 60, 1)}


def worker_peak_memory(pages: int) -> dict:
    """Render and tile every page as the job does, through the storage backend (local disk)."""
    with tempfile.TemporaryDirectory() as media_root:
        _django(media_root)
        from django.core.files.storage import default_storage

        from archive.models import MediaFile
        from archive.processing import tile_original

        path = f"{media_root}/bench.pdf"
        _pdf(path, pages)
        count = [0]

        def save(name, content):
            default_storage.save(f"bench/{name}", content)
            count[0] += 1

        start = time.perf_counter()
        tiled = tile_original(MediaFile(kind=MediaFile.Kind.PDF, original_name="bench.pdf"), path, save)
        seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "pages": tiled,
        "files": count[0],
        "seconds": round(seconds, 1),
        "pages_per_minute_with_tiles": round(tiled / seconds * 60, 1),
        "peak_rss_mb": round(peak_mb, 1),
    }


def _child(name: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--only", name, *args], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="pages of the PDF whose processing is measured")
    parser.add_argument("--only", choices=["tiles", "render", "worker"], help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.only == "tiles":
        print(json.dumps(tiles_per_second()))
    elif options.only == "render":
        print(json.dumps(pages_per_minute()))
    elif options.only == "worker":
        print(json.dumps(worker_peak_memory(options.pages)))
    else:
        print("tiles, 4961 × 3508 page:", _child("tiles"))
        print("PDF pages rendered at 300 dpi:", _child("render"))
        print(f"worker, {options.pages}-page PDF:", _child("worker", "--pages", str(options.pages)))


if __name__ == "__main__":
    main()
