"""A media file's processing, run by the background job (archive.tasks): derivatives and tiles.

From the stored original it makes the thumbnail, medium and large JPEGs (``archive.media``) and
deep-zoom tiles: IIIF Image API 3 level-0 tiles written by libvips (``dzsave``, layout
``iiif3``) for an image, and for each page of a PDF rendered by pypdfium2 at 300 dpi. Tiles
are made in a temporary directory and saved file by file through the storage backend (local
disk or S3), under a fresh prefix per run; they are served by the checked media views. A film
or recording gets its duration, and a film its poster frame's pictures (``archive.films``).

What holds:
- the original is only read, never changed or removed;
- a run writes new names only, then swaps them onto the row under its lock and, once that is
  committed, removes the names it replaced: running twice (or two workers at once) leaves one
  complete set and no orphans;
- a failure removes what the run wrote and leaves the row ``failed`` with a Vietnamese reason
  naming the file and the fix; the previous derivatives, if any, stay in use.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pyvips
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from archive.fixity import derivatives_recorded
from archive.media import DERIVATIVE_SIZES, STORAGE_FULL_ERRNOS, StorageWrites, make_derivatives, stored_local_path
from archive.models import MediaFile

logger = logging.getLogger(__name__)

# libvips keeps recent operations (and their pixels) for reuse; a worker tiles each picture once,
# so nothing is kept between pages and a long PDF's pages do not add up in memory.
pyvips.cache_set_max(0)

Kind = MediaFile.Kind
TILE_SIZE = 512
TILE_QUALITY = 85
#: Resolution of a PDF page's picture: a scan's, so seals, signatures and notes read when zoomed.
PDF_DPI = 300
#: Largest picture of one PDF page, in pixels (an A4 page at 300 dpi has 8.7 million): an oversized
#: page is rendered at a lower resolution, so one page never takes more than a few hundred MB.
MAX_PAGE_PIXELS = 36_000_000
# Written by dzsave beside the tiles, describing the source: not part of the IIIF layout.
DZSAVE_EXTRAS = frozenset({"vips-properties.xml"})

REASONS = {
    "missing": _(
        "Tệp “%(name)s”: không tìm thấy tệp gốc trong kho lưu trữ. Hãy tải tệp gốc lên lại rồi bấm “Xử lý lại”."
    ),
    "bad_image": _(
        "Tệp “%(name)s”: không đọc được ảnh để làm ảnh phóng to (tệp hỏng hoặc không đầy đủ). "
        "Hãy xuất lại ảnh từ máy quét hoặc máy ảnh, tải tệp mới lên thay tệp này."
    ),
    "bad_page": _(
        "Tệp “%(name)s”: không dựng được hình trang %(page)d của tệp PDF (trang bị hỏng). "
        "Hãy mở tệp bằng phần mềm đọc PDF, in lại ra PDF (chức năng “In ra PDF”) rồi tải tệp mới lên thay tệp này."
    ),
    "bad_film": _(
        "Tệp “%(name)s”: không đọc được phim, bản ghi âm để lấy thời lượng và ảnh bìa (tệp hỏng hoặc mã hóa "
        "lạ). Hãy xuất lại tệp từ phần mềm dựng phim ra MP4 (H.264, AAC) hoặc MP3, tải tệp mới lên thay tệp này."
    ),
    "storage_full": _(
        "Tệp “%(name)s”: kho lưu trữ hết chỗ nên chưa lưu được ảnh phóng to. "
        "Hãy báo quản trị hệ thống giải phóng dung lượng, rồi bấm “Xử lý lại”."
    ),
    "unexpected": _(
        "Tệp “%(name)s”: việc xử lý gặp lỗi ngoài dự kiến (đã ghi vào nhật ký máy chủ). "
        "Hãy bấm “Xử lý lại”; nếu vẫn lỗi, báo quản trị hệ thống."
    ),
}


class ProcessingFailed(Exception):
    """The job cannot finish for a reason staff can act on (a key of ``REASONS``)."""

    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def _reason(media_file: MediaFile, code: str, **params) -> str:
    with translation.override("vi"):
        return gettext(REASONS[code]) % {"name": media_file.original_name or media_file.file.name, **params}


def tile_image(image: pyvips.Image, *, save: Callable[[str, File], None], page: int) -> None:
    """Write the IIIF level-0 tiles and ``info.json`` of one picture through ``save(name, file)``,
    named ``<page>/<region>/<size>/0/default.jpg``. The ``id`` stored in ``info.json`` lies under the
    reserved domain ``iiif.invalid`` (RFC 2606), never a real address; the view that serves the file
    replaces it with the checked absolute address of the request."""
    if image.hasalpha():
        image = image.flatten(background=[255] * (image.bands - 1))
    image = image.colourspace("b-w" if image.bands == 1 else "srgb")
    if image.format != "uchar":
        image = image.cast("uchar")
    with tempfile.TemporaryDirectory(dir=settings.FILE_UPLOAD_TEMP_DIR) as directory:
        root = Path(directory) / "tiles"
        image.dzsave(
            str(root), layout="iiif3", id="https://iiif.invalid", tile_size=TILE_SIZE, suffix=f".jpg[Q={TILE_QUALITY}]"
        )
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.name not in DZSAVE_EXTRAS:
                with path.open("rb") as handle:
                    save(f"{page}/{path.relative_to(root).as_posix()}", File(handle))


def tile_original(media_file: MediaFile, path: str, save: Callable[[str, File], None]) -> int:
    """Tile the image, or each page of the PDF, at ``path``; the number of pictures tiled."""
    if media_file.kind == Kind.IMAGE:
        try:
            image = pyvips.Image.new_from_file(path, fail_on="error").autorot()
            tile_image(image, save=save, page=0)
        except pyvips.Error as error:
            logger.warning("libvips could not tile media file %s: %s", media_file.pk, error)
            raise ProcessingFailed("bad_image") from error
        return 1
    document = pdfium.PdfDocument(path)
    try:
        for index in range(len(document)):
            try:
                page = document[index]
            except pdfium.PdfiumError as error:
                raise ProcessingFailed("bad_page", page=index + 1) from error
            try:
                width, height = page.get_size()
                scale = min(PDF_DPI / 72, (MAX_PAGE_PIXELS / max(1.0, width * height)) ** 0.5)
                bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), rev_byteorder=True)
            except pdfium.PdfiumError as error:
                raise ProcessingFailed("bad_page", page=index + 1) from error
            finally:
                page.close()  # the page's parsed content is not needed once its picture is drawn
            try:
                image = page_picture(bitmap)
                tile_image(image, save=save, page=index)
                del image
            finally:
                bitmap.close()
        return len(document)
    finally:
        document.close()


def page_picture(bitmap: pdfium.PdfBitmap) -> pyvips.Image:
    """A rendered PDF page as a libvips image, reading the bitmap's own pixels where they are packed
    RGB (an opaque page rendered with ``rev_byteorder``): one copy of the page in memory, not three.
    The caller keeps the bitmap open until libvips is done with the image."""
    if bitmap.n_channels == 3 and bitmap.rev_byteorder and bitmap.stride == bitmap.width * 3:
        return pyvips.Image.new_from_memory(bitmap.buffer, bitmap.width, bitmap.height, 3, "uchar")
    picture = bitmap.to_pil()
    if picture.mode != "RGB":
        picture = picture.convert("RGB")
    return pyvips.Image.new_from_memory(picture.tobytes(), *picture.size, 3, "uchar")


def picture_facts(size: tuple[int, int], tiles: dict[tuple[int, str], str], page: int) -> dict:
    """What ``MediaFile.tiled_sizes`` keeps of one tiled picture: its width and height, and the
    size of the one tile that shows it whole (region ``0,0,width,height``, at the smallest scale),
    an image the IIIF manifest names as the picture itself."""
    width, height = size
    whole = tiles.get((page, f"0,0,{width},{height}"), "")
    return {"width": width, "height": height, "whole": whole}


def _derived_names(media_file: MediaFile) -> set[str]:
    return {getattr(media_file, name).name for name in DERIVATIVE_SIZES if getattr(media_file, name)}


def delete_tiles(storage, prefix: str) -> None:
    """Remove every file stored under a tiles prefix (a run's own, never an original's)."""
    if not prefix:
        return
    try:
        local = storage.path(prefix)
    except NotImplementedError:  # Storage.path() of object storage (S3): files only, no directories to remove
        local = None
    if local is not None:
        shutil.rmtree(local, ignore_errors=True)
        return
    pending = [prefix]
    while pending:
        directory = pending.pop()
        directories, files = storage.listdir(directory)
        for name in files:
            storage.delete(f"{directory}/{name}")
        pending.extend(f"{directory}/{name}" for name in directories)


def media_file_process(*, media_file_id: int, text_now: bool = False) -> str:
    """Make a media file's derivatives and tiles; return the state it ends in.

    Safe to run again on the same file at any time (see the module's docstring). A file that
    was deleted meanwhile is left alone. Once the pictures exist, the text of a document's pages
    is read (``archive.page_text``): by a job of its own, or here and now with ``text_now``.
    """
    state = _media_file_process(media_file_id)
    if state == MediaFile.Status.READY:
        from archive.page_text import media_file_read_text, page_text_enqueue, wants_text

        media_file = MediaFile.objects.get(pk=media_file_id)
        if text_now and wants_text(media_file):
            media_file_read_text(media_file_id=media_file_id)
        elif not text_now:
            page_text_enqueue(media_file)
    return state


def _media_file_process(media_file_id: int) -> str:
    with transaction.atomic():
        media_file = MediaFile.objects.select_for_update().filter(pk=media_file_id).first()
        if media_file is None:
            return "gone"
        MediaFile.objects.filter(pk=media_file.pk).update(status=MediaFile.Status.WORKING, failure_reason="")
    if media_file.kind in (Kind.VIDEO, Kind.AUDIO):
        return _process_film(media_file)
    storage = media_file.file.storage
    prefix = f"tiles/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"
    writes = StorageWrites(checksums=True)
    sizes: dict[int, tuple[int, int]] = {}
    wholes: dict[tuple[int, str], str] = {}  # (picture, region) of one tile -> its size

    def save(name: str, content: File) -> None:
        page, _sep, rest = name.partition("/")
        if rest == "info.json":  # the picture's size, for the manifest's canvas
            info = json.load(content)
            sizes[int(page)] = (int(info["width"]), int(info["height"]))
        elif rest.count("/") == 3:
            region, size, _rest = rest.split("/", 2)
            wholes[(int(page), region)] = size
        stored = writes.save_as(storage, f"{prefix}/{name}", content)
        if stored != f"{prefix}/{name}":  # a fresh prefix holds nothing yet
            raise RuntimeError(f"tile stored as {stored}")

    try:
        if not storage.exists(media_file.file.name):
            raise ProcessingFailed("missing")
        with stored_local_path(media_file.file, Path(media_file.file.name).suffix) as path:
            try:
                make_derivatives(media_file, path, writes=writes)
            except (OSError, ValueError, pdfium.PdfiumError) as error:
                if isinstance(error, OSError) and error.errno is not None:
                    raise  # the disk or storage, not the picture (Pillow's decode errors carry none)
                raise ProcessingFailed("bad_image" if media_file.kind == Kind.IMAGE else "bad_page", page=1) from error
            tiled_pages = tile_original(media_file, path, save)
    except ProcessingFailed as failure:
        writes.remove()
        return _fail(media_file, _reason(media_file, failure.code, **failure.params))
    except OSError as error:
        writes.remove()
        if error.errno in STORAGE_FULL_ERRNOS:
            logger.error("Storage is full: media file %s could not be processed.", media_file.pk)
            return _fail(media_file, _reason(media_file, "storage_full"))
        logger.exception("Media file %s could not be processed.", media_file.pk)
        return _fail(media_file, _reason(media_file, "unexpected"))
    except Exception:
        writes.remove()
        logger.exception("Media file %s could not be processed.", media_file.pk)
        return _fail(media_file, _reason(media_file, "unexpected"))
    tiled_sizes = [picture_facts(sizes[page], wholes, page) for page in range(tiled_pages)]
    return _finish(media_file, writes, tiles=prefix, tiled_pages=tiled_pages, tiled_sizes=tiled_sizes)


def _process_film(media_file: MediaFile) -> str:
    """A film's or recording's duration, and a film's poster pictures (``archive.films``)."""
    from archive.films import FilmUnreadable, film_process

    writes = StorageWrites()
    try:
        if not media_file.file.storage.exists(media_file.file.name):
            raise ProcessingFailed("missing")
        with stored_local_path(media_file.file, Path(media_file.file.name).suffix) as path:
            try:
                film_process(media_file, path, writes=writes)
            except (FilmUnreadable, OSError, ValueError) as error:
                if isinstance(error, OSError) and error.errno is not None:
                    raise
                logger.warning("Media file %s: %s", media_file.pk, error)
                raise ProcessingFailed("bad_film") from error
    except ProcessingFailed as failure:
        writes.remove()
        return _fail(media_file, _reason(media_file, failure.code, **failure.params))
    except OSError as error:
        writes.remove()
        code = "storage_full" if error.errno in STORAGE_FULL_ERRNOS else "unexpected"
        logger.exception("Media file %s could not be processed.", media_file.pk)
        return _fail(media_file, _reason(media_file, code))
    except Exception:
        writes.remove()
        logger.exception("Media file %s could not be processed.", media_file.pk)
        return _fail(media_file, _reason(media_file, "unexpected"))
    return _finish(media_file, writes, tiles="", tiled_pages=0)


def _finish(
    media_file: MediaFile, writes: StorageWrites, *, tiles: str, tiled_pages: int, tiled_sizes: list | None = None
) -> str:
    """Put this run's names on the row, if it still holds the same original; then remove the
    names they replace, once committed."""
    storage = media_file.file.storage
    with transaction.atomic():
        row = MediaFile.objects.select_for_update().filter(pk=media_file.pk).first()
        if row is None or row.file.name != media_file.file.name:
            writes.remove()  # deleted or given another file meanwhile: a later job handles that
            return "gone"
        new_names = {
            name: getattr(media_file, name).name if media_file.kind != Kind.AUDIO else "" for name in DERIVATIVE_SIZES
        }
        replaced = _derived_names(row) - set(new_names.values())
        replaced_tiles = row.tiles if row.tiles != tiles else ""
        MediaFile.objects.filter(pk=row.pk).update(
            **new_names,
            tiles=tiles,
            tiled_pages=tiled_pages,
            tiled_sizes=tiled_sizes or [],
            duration=media_file.duration,
            width=media_file.width,
            height=media_file.height,
            status=MediaFile.Status.READY,
            failure_reason="",
            processed_at=timezone.now(),
        )
        derivatives_recorded(media_file=row, checksums=writes.checksums or {}, kept=[*new_names.values(), tiles])

        def remove_replaced() -> None:
            for name in replaced:
                storage.delete(name)
            delete_tiles(storage, replaced_tiles)

        transaction.on_commit(remove_replaced)
    return MediaFile.Status.READY


def _fail(media_file: MediaFile, reason: str) -> str:
    MediaFile.objects.filter(pk=media_file.pk).update(status=MediaFile.Status.FAILED, failure_reason=reason)
    return MediaFile.Status.FAILED
