"""Media benchmarks (a script, not a test): deep-zoom tiles per second for a 4961 × 3508 page
(A4 at 600 dpi, or A3 at 420), PDF pages rendered at 300 dpi per minute, the peak memory of a
worker (``manage.py db_worker``) processing a 300-page PDF and of the request taking a 1 GiB film,
the time from the end of an upload to its tiles being ready, and batch ingest's throughput (a ZIP
of 5 MB scans with its spreadsheet, previewed, confirmed, unpacked and processed by a worker).
Figures go to bench/README.md.

    .venv/bin/python bench/media.py [--pages 300] [--video-mb 1024] [--batch-files 500]
    .venv/bin/python bench/media.py --only tiles|render|worker|video|latency|batch

Each measurement runs in its own process, so the peak resident memory (ru_maxrss) is its own;
those that need a database get a copy of one migrated SQLite file, the settings' database backend
for the queue, and a real ``db_worker --batch`` to run the jobs.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
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


#: glibc returns a freed block of this size or more to the system at once, rather than keeping it
#: in the heap for reuse: a page's bitmap is freed before the next is drawn (README, worker unit).
MMAP_THRESHOLD = str(1024 * 1024)


def _database(directory: str) -> dict[str, str]:
    """The environment of a process using a fresh copy of the migrated template database."""
    template = Path(tempfile.gettempdir()) / "traditions-bench-media-template.sqlite3"
    base = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "traditions.settings"}
    if not template.exists():
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"],
            env={**base, "DATABASE_URL": f"sqlite:///{template}"},
            check=True,
            cwd=ROOT,
        )
    database = Path(directory) / "db.sqlite3"
    shutil.copyfile(template, database)
    media_root = Path(directory) / "media"
    media_root.mkdir(exist_ok=True)
    return {**base, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_MEDIA_ROOT": str(media_root)}


def _in_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_worker() -> dict:
    """``manage.py db_worker --batch``: every queued job, then exit; its time and peak memory."""
    _in_django()
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    return {"seconds": round(time.perf_counter() - start, 1), "peak_rss_mb": _peak_mb()}


def store_files() -> dict:
    """Store the files named on the command line as media files of one item, queued for the worker."""
    _in_django()
    from django.core.files import File

    from archive.media import media_file_store
    from archive.models import Item

    item = Item.objects.create(title="Bench", is_sample=True)
    start = time.perf_counter()
    for name in os.environ["BENCH_FILES"].split(os.pathsep):
        with open(name, "rb") as handle:
            media_file_store(item=item, uploaded=File(handle, name=Path(name).name))
    return {"seconds": round(time.perf_counter() - start, 1), "peak_rss_mb": _peak_mb()}


def _step(name: str, env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--only", name], capture_output=True, text=True, env=env, cwd=ROOT
    )
    if result.returncode:
        raise RuntimeError(f"{name} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def media_states() -> dict:
    """How many media files are in each processing state."""
    _in_django()
    from django.db.models import Count

    from archive.models import MediaFile

    return dict(MediaFile.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))


def _media_states(env: dict[str, str]) -> dict:
    return _step("states", env)


def worker_peak_memory(pages: int) -> dict:
    """A stored PDF of ``pages`` pages processed by a real worker, with glibc's default allocator
    settings and with the fixed mmap threshold the README's worker unit sets."""
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        path = f"{directory}/bench.pdf"
        _pdf(path, pages)
        for label, extra in (("default", {}), ("mmap_threshold", {"MALLOC_MMAP_THRESHOLD_": MMAP_THRESHOLD})):
            with tempfile.TemporaryDirectory() as run:
                env = _database(run)
                _step("store", {**env, "BENCH_FILES": path})
                worker = _step("run-worker", {**env, **extra})
                worker["pages_per_minute_with_tiles"] = round(pages / worker["seconds"] * 60, 1)
                worker["states"] = _media_states(env)
                results[label] = worker
    return {"pages": pages, **results}


def upload_request() -> dict:
    """The request taking one film: its multipart body read from a file as a server streams it, the
    upload parsed to a temporary file, inspected (ffprobe) and stored; the process's peak memory."""
    _in_django()
    from django.core.handlers.wsgi import WSGIRequest

    from archive.media import media_file_store
    from archive.models import Item

    body = os.environ["BENCH_BODY"]
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/admin/",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "CONTENT_TYPE": "multipart/form-data; boundary=BenchBoundary",
        "CONTENT_LENGTH": str(Path(body).stat().st_size),
    }
    item = Item.objects.create(title="Bench film", is_sample=True)
    start = time.perf_counter()
    with open(body, "rb") as stream:
        request = WSGIRequest({**environ, "wsgi.input": stream})
        uploaded = request.FILES["file"]
        media_file = media_file_store(item=item, uploaded=uploaded)
    seconds = time.perf_counter() - start
    return {"mb": round(media_file.size / 1024 / 1024), "seconds": round(seconds, 1), "peak_rss_mb": _peak_mb()}


def video_upload(megabytes: int) -> dict:
    """A film of just under ``megabytes`` (a short ffmpeg clip repeated, streams copied; ffmpeg's size
    limit overshoots by a little, and a film over 1 GiB is refused) uploaded, then processed."""
    with tempfile.TemporaryDirectory() as directory:
        clip, film, body = f"{directory}/clip.mp4", f"{directory}/film.mp4", f"{directory}/body"
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-nostdin",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=1280x720:rate=25:duration=20",
                "-c:v",
                "mpeg4",
                "-q:v",
                "2",
                clip,
            ],
            check=True,
        )
        loops = max(0, megabytes // max(1, Path(clip).stat().st_size // (1024 * 1024)))
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-nostdin",
                "-stream_loop",
                str(loops),
                "-i",
                clip,
                "-c",
                "copy",
                "-fs",
                str((megabytes - 4) * 1024 * 1024),
                film,
            ],
            check=True,
        )
        with open(body, "wb") as out:
            out.write(b'--BenchBoundary\r\nContent-Disposition: form-data; name="file"; filename="phim.mp4"\r\n')
            out.write(b"Content-Type: video/mp4\r\n\r\n")
            with open(film, "rb") as source:
                shutil.copyfileobj(source, out, 1024 * 1024)
            out.write(b"\r\n--BenchBoundary--\r\n")
        Path(film).unlink()
        env = _database(directory)
        request = _step("upload", {**env, "BENCH_BODY": body})
        Path(body).unlink()
        worker = _step("run-worker", {**env, "MALLOC_MMAP_THRESHOLD_": MMAP_THRESHOLD})
    return {"request": request, "worker": worker}


def upload_to_tiles() -> dict:
    """A 4961 × 3508 scan stored while a worker (``db_worker``, polling every second) runs: the
    seconds from the end of the upload to the file being ready with its tiles."""
    with tempfile.TemporaryDirectory() as directory:
        scan = f"{directory}/scan.jpg"
        _scan(4961, 3508).save(scan, "JPEG", quality=90)
        env = _database(directory)
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
            env={**env, "MALLOC_MMAP_THRESHOLD_": MMAP_THRESHOLD},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(8)  # the worker has started and waits for jobs
            result = _step("latency-upload", {**env, "BENCH_FILES": scan})
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    return result


def latency() -> dict:
    _in_django()
    from django.core.files import File

    from archive.media import media_file_store
    from archive.models import Item, MediaFile

    item = Item.objects.create(title="Bench latency", is_sample=True)
    name = os.environ["BENCH_FILES"]
    with open(name, "rb") as handle:
        started = time.perf_counter()
        media_file = media_file_store(item=item, uploaded=File(handle, name="scan.jpg"))
        stored = time.perf_counter()
    while MediaFile.objects.filter(pk=media_file.pk, status__in=["waiting", "working"]).exists():
        time.sleep(0.05)
        if time.perf_counter() - stored > 600:
            raise RuntimeError("the worker did not finish within 10 minutes")
    ready = time.perf_counter()
    media_file.refresh_from_db()
    return {
        "upload_seconds": round(stored - started, 2),
        "upload_end_to_tiles_ready_seconds": round(ready - stored, 2),
        "status": media_file.status,
        "tiled_pages": media_file.tiled_pages,
    }


def batch_prepare() -> dict:
    """The preview and the confirmation of a batch, as the admin's two requests run them."""
    _in_django()
    from django.contrib.auth import get_user_model
    from django.core.files import File

    from archive.batches import ingest_batch_confirm, ingest_batch_prepare

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-password-1")
    with open(os.environ["BENCH_SHEET"], "rb") as sheet, open(os.environ["BENCH_ZIP"], "rb") as bundle:
        started = time.perf_counter()
        batch, preview = ingest_batch_prepare(
            sheet=File(sheet, name="lo.xlsx"), archive=File(bundle, name="lo.zip"), user=user
        )
        previewed = time.perf_counter()
        ingest_batch_confirm(batch=batch, user=user)
        confirmed = time.perf_counter()
    return {
        "files": preview.file_count,
        "preview_seconds": round(previewed - started, 1),
        "confirm_seconds": round(confirmed - previewed, 1),
        "peak_rss_mb": _peak_mb(),
    }


def batch_throughput(files: int) -> dict:
    """A batch of ``files`` scans of about 5 MB (one item per two files) ingested end to end."""
    import tablib
    from PIL import Image

    with tempfile.TemporaryDirectory() as directory:
        pictures = []
        for n in range(min(files, 10)):  # ten different scans, repeated
            bands = [Image.effect_noise((2800, 2000), 60 + 5 * band + n) for band in range(3)]
            buffer = io.BytesIO()
            Image.merge("RGB", bands).save(buffer, "JPEG", quality=92)
            pictures.append(buffer.getvalue())
        zip_path = f"{directory}/lo.zip"
        import zipfile

        rows = []
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as bundle:
            for n in range(files):
                bundle.writestr(f"quet/trang-{n:04d}.jpg", pictures[n % len(pictures)])
            for n in range(0, files, 2):
                names = "; ".join(f"trang-{m:04d}.jpg" for m in range(n, min(n + 2, files)))
                rows.append([f"Hồ sơ {n // 2 + 1}", "Ảnh", "TK4", names])
        dataset = tablib.Dataset(*rows, headers=["Tiêu đề", "Loại hình", "Thời kỳ", "Tệp số hóa"])
        sheet_path = f"{directory}/lo.xlsx"
        Path(sheet_path).write_bytes(dataset.export("xlsx"))
        zip_mb = Path(zip_path).stat().st_size / 1024 / 1024
        env = _database(directory)
        requests = _step("batch-prepare", {**env, "BENCH_SHEET": sheet_path, "BENCH_ZIP": zip_path})
        worker = _step("run-worker", {**env, "MALLOC_MMAP_THRESHOLD_": MMAP_THRESHOLD})
        states = _media_states(env)
    return {
        "files": files,
        "zip_mb": round(zip_mb),
        "requests": requests,
        "worker": worker,
        "states": states,
        "files_per_minute_unpacked_and_processed": round(files / worker["seconds"] * 60, 1),
    }


def _child(name: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--only", name, *args], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="pages of the PDF whose processing is measured")
    parser.add_argument("--video-mb", type=int, default=1024, help="size of the uploaded film")
    parser.add_argument("--batch-files", type=int, default=500, help="5 MB scans in the ingested batch")
    parser.add_argument("--only", help="one measurement: tiles, render, worker, video, latency, batch")
    options = parser.parse_args()
    steps = {
        "tiles": tiles_per_second,
        "render": pages_per_minute,
        "worker": lambda: worker_peak_memory(options.pages),
        "video": lambda: video_upload(options.video_mb),
        "latency": upload_to_tiles,
        "batch": lambda: batch_throughput(options.batch_files),
        # The processes the measurements above start.
        "store": store_files,
        "run-worker": run_worker,
        "upload": upload_request,
        "batch-prepare": batch_prepare,
        "latency-upload": latency,
        "states": media_states,
    }
    if options.only:
        print(json.dumps(steps[options.only]()))
    else:
        print("tiles, 4961 × 3508 page:", _child("tiles"))
        print("PDF pages rendered at 300 dpi:", _child("render"))
        print(f"worker, {options.pages}-page PDF:", _child("worker", "--pages", str(options.pages)))
        print(f"upload of a {options.video_mb} MB film:", _child("video", "--video-mb", str(options.video_mb)))
        print("end of an upload to its tiles ready:", _child("latency"))
        print(f"batch of {options.batch_files} scans:", _child("batch", "--batch-files", str(options.batch_files)))


if __name__ == "__main__":
    main()
