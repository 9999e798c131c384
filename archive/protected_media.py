"""Stored files leave the system only through permission-checked views, never from a media URL.

No file is reachable by its stored name: the views find it by the record's primary key, check
who asks, and only then hand it over. How it is handed over depends on where it lives:

- local disk: streamed by Django, or, behind a production proxy, an empty response carrying
  ``X-Accel-Redirect`` (nginx, an ``internal`` location under ``MEDIA_ACCEL_PREFIX``) or
  ``X-Sendfile`` (Apache, lighttpd) so the proxy sends the bytes (setting ``MEDIA_ACCEL``);
- S3-compatible storage: a redirect to a presigned URL that expires after
  ``querystring_expire`` seconds (``DJANGO_S3_URL_EXPIRE_SECONDS``); the bucket itself is private.

The check comes first in every case, so a guessed primary key of something not public is a 404.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header

from archive.models import Item, MediaFile, Person, items_for, sees_internal

X_ACCEL_REDIRECT = "x-accel-redirect"
X_SENDFILE = "x-sendfile"
ACCEL_MODES = ("", X_ACCEL_REDIRECT, X_SENDFILE)

#: URL variants of a media file and the MediaFile field each one reads.
MEDIA_VARIANTS: dict[str, str] = {
    "original": "file",
    "thumbnail": "thumbnail",
    "medium": "medium",
    "large": "large",
    # The searchable PDF/A copy of a scanned PDF (archive.page_text), downloaded beside the original.
    "searchable": "searchable_pdf",
}

_PK_MARK, _VARIANT_MARK = 2147483647, "variant"


@functools.lru_cache(maxsize=32)
def _media_address(script_prefix: str, urlconf: str) -> tuple[str, str]:
    """The media view's address before and after its key and variant: reversed once, not for every
    picture (a results page shows twenty pictures of four addresses each, the admin list fifty)."""
    url = reverse("archive:media", kwargs={"pk": _PK_MARK, "variant": _VARIANT_MARK}, urlconf=urlconf)
    before, after = url.split(f"{_PK_MARK}/{_VARIANT_MARK}")
    return before, after


def media_address() -> tuple[str, str]:
    """The media view's address before and after "<key>/<variant>", for the current request."""
    return _media_address(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def media_file_url(media: MediaFile, variant: str = "original", *, address: tuple[str, str] | None = None) -> str:
    """The address of a media file (or one of its derivatives) through the checked view, never its
    storage URL: what ``reverse("archive:media", ...)`` gives. ``address``: ``media_address()``,
    when the caller makes several addresses at once."""
    before, after = address or media_address()
    return f"{before}{int(media.pk)}/{quote(variant, safe='')}{after}"


PUBLIC_CACHE = "private, max-age=300"
PROTECTED_CACHE = "private, no-store"


def staff_may(user, permission: str) -> bool:
    """An active staff member holding the permission (a superuser holds every one)."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.has_perm(permission))


def media_file_is_public(media_file: MediaFile) -> bool:
    """The files (originals and derivatives) of an item in ``Item.objects.public()`` are public."""
    return Item.objects.public().filter(pk=media_file.item_id).exists()


def media_file_visible(user, media_file: MediaFile, *, public: bool | None = None) -> bool:
    """Anyone may fetch the files of a public item; confirmed members those of the internal items
    they are shown (``archive.models.audiences``); otherwise only staff who may view items."""
    if media_file_is_public(media_file) if public is None else public:
        return True
    if sees_internal(user) and items_for(user).filter(pk=media_file.item_id).exists():
        return True
    return staff_may(user, "archive.view_item")


def portrait_is_public(person: Person) -> bool:
    """A portrait is public when its person is on a public page: a leader, or named by a public item."""
    return Person.objects.public().filter(pk=person.pk).exists()


def portrait_visible(user, person: Person, *, public: bool | None = None) -> bool:
    if portrait_is_public(person) if public is None else public:
        return True
    return staff_may(user, "archive.view_person")


def serve_stored_file(
    request: HttpRequest,
    field_file: FieldFile,
    *,
    content_type: str,
    filename: str = "",
    download: bool = False,
    public: bool = False,
) -> HttpResponse:
    """Hand over a stored file whose access has already been checked (see the module's docstring)."""
    if not field_file or not field_file.name:
        raise Http404
    storage, name = field_file.storage, field_file.name
    disposition = content_disposition_header(download, filename) if (download or filename) else None
    if isinstance(storage, FileSystemStorage):
        response = _local_response(request, storage, name, content_type=content_type)
    elif getattr(storage, "querystring_auth", False):
        # S3: the client fetches the bytes from the bucket with a signature that soon expires.
        parameters = {"ResponseContentType": content_type}
        if disposition:
            parameters["ResponseContentDisposition"] = disposition
        response = HttpResponseRedirect(storage.url(name, parameters=parameters))
        public = False  # the signed address must not outlive its signature in any cache
    else:
        try:
            response = _streamed(request, storage.open(name, "rb"), storage.size(name), content_type=content_type)
        except (FileNotFoundError, OSError) as error:
            raise Http404 from error
    if disposition and not isinstance(response, HttpResponseRedirect):
        response["Content-Disposition"] = disposition
    response["Cache-Control"] = PUBLIC_CACHE if public else PROTECTED_CACHE
    if not public:
        patch_vary_headers(response, ["Cookie"])
    return response


def _local_response(request: HttpRequest, storage: FileSystemStorage, name: str, *, content_type: str) -> HttpResponse:
    if not storage.exists(name):
        raise Http404
    mode = getattr(settings, "MEDIA_ACCEL", "")
    if mode == X_ACCEL_REDIRECT:
        prefix = getattr(settings, "MEDIA_ACCEL_PREFIX", "/protected-media/").rstrip("/")
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix}/{quote(name)}"
        return response
    if mode == X_SENDFILE:
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = storage.path(name)
        return response
    return _streamed(request, storage.open(name, "rb"), storage.size(name), content_type=content_type)


# One range of bytes, as players ask for it when a visitor seeks in a film or a recording:
# "bytes=1000-1999", "bytes=1000-" (to the end) or "bytes=-500" (the last 500).
_BYTE_RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _streamed(request: HttpRequest, file, size: int, *, content_type: str) -> HttpResponse:
    """The file streamed by Django: whole, or the one byte range asked for (206), so a film can be
    played from the middle without downloading what comes before. A proxy (``MEDIA_ACCEL``) or S3
    serve ranges themselves."""
    span = _requested_range(request, size)
    if span == UNSATISFIABLE:
        file.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if span is None:
        response = FileResponse(file, content_type=content_type)
    else:
        start, end = span
        file.seek(start)
        response = FileResponse(_Slice(file, end - start + 1), status=206, content_type=content_type)
        response["Content-Length"] = str(end - start + 1)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response


UNSATISFIABLE = (-1, -1)


def _requested_range(request: HttpRequest, size: int) -> tuple[int, int] | None:
    """The first and last byte of the one range a GET asks for, None for the whole file (no range,
    several, a malformed or reversed one, or a conditional ``If-Range``, as RFC 9110 allows), or
    ``UNSATISFIABLE`` when it starts past the end."""
    match = _BYTE_RANGE_RE.match(request.headers.get("Range", "").strip())
    if request.method != "GET" or not match or "If-Range" in request.headers:
        return None
    first, last = match.groups()
    if first:
        if last and int(last) < int(first):
            return None
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    elif last:  # the last N bytes
        start, end = max(0, size - int(last)), size - 1
    else:
        return None
    return (start, end) if start < size and start <= end else UNSATISFIABLE


class _Slice:
    """``length`` bytes of an open file from where it stands, read in blocks; closed with the file."""

    def __init__(self, file, length: int):
        self.file, self.remaining = file, length

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        size = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self.file.read(size)
        self.remaining -= len(data)
        return data

    def close(self) -> None:
        self.file.close()


class _LinkedFile:
    """A stored file as the admin's file widget shows it, linked through a checked view."""

    def __init__(self, file: FieldFile, url: str):
        self.file, self.url = file, url

    def __str__(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class ProtectedFileWidget(AdminFileWidget):
    """The admin's file input, linking the current file through a checked view instead of ``.url``.

    ``url_for`` receives the model instance and returns the view's address.
    """

    def __init__(self, url_for: Callable[[object], str], attrs=None):
        super().__init__(attrs)
        self.url_for = url_for

    def format_value(self, value):
        value = super().format_value(value)
        instance = getattr(value, "instance", None)
        if value and instance is not None and instance.pk:
            return _LinkedFile(value, self.url_for(instance))
        return value
