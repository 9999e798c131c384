"""The archive's only views: its stored files, each behind a permission check (archive.protected_media).

They sit outside the language prefix (a file is the same in every language) and serve the public
site and the admin alike.
"""

from __future__ import annotations

import json
import mimetypes
import re

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from archive.models import CaptionTrack, ContributionFile, Item, MediaFile, Period, Person, UsageKind
from archive.protected_media import (
    MEDIA_VARIANTS,
    PROTECTED_CACHE,
    PUBLIC_CACHE,
    media_file_is_public,
    media_file_visible,
    portrait_is_public,
    portrait_visible,
    serve_stored_file,
    staff_may,
)
from archive.usage_views import count_public_use


@require_safe
@xframe_options_sameorigin
def media_file(request: HttpRequest, pk: int, variant: str) -> HttpResponse:
    """A media file's original or one of its derivatives.

    Anyone gets those of a public item; staff who may view items get the others; everyone else a
    404, as for a file that does not exist. ``?tai-ve=1`` downloads the original under its
    Vietnamese file name. The PDF viewer frames it, hence same-origin framing.
    """
    if variant not in MEDIA_VARIANTS:
        raise Http404
    media = get_object_or_404(MediaFile, pk=pk)
    public = media_file_is_public(media)
    if not media_file_visible(request.user, media, public=public):
        raise Http404
    field = getattr(media, MEDIA_VARIANTS[variant])
    if variant == "original":
        content_type = media.mime_type or "application/octet-stream"
        filename = media.original_name or field.name.rsplit("/", 1)[-1]
    else:
        content_type = mimetypes.guess_type(field.name or "")[0] or "image/jpeg"
        filename = ""
    download = variant == "original" and request.GET.get("tai-ve") == "1"
    if download and public:
        count_public_use(request, kind=UsageKind.DOWNLOAD, ref=media.item.inventory_number)
    return serve_stored_file(
        request, field, content_type=content_type, filename=filename, download=download, public=public
    )


# The region and size of a level-0 tile as libvips names them (``0,0,512,512`` and ``512,`` or
# ``256,256``; ``full`` and ``max`` for the whole picture): anything else names no stored tile.
TILE_REGION_RE = re.compile(r"^(?:full|\d{1,6},\d{1,6},\d{1,6},\d{1,6})$")
TILE_SIZE_RE = re.compile(r"^(?:max|\d{1,6},\d{0,6})$")
IIIF_IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"


def _tiled_media(request: HttpRequest, pk: int, page: int) -> tuple[MediaFile, bool]:
    """The media file whose tiled picture ``page`` is asked for, once the asker may see it."""
    media = get_object_or_404(MediaFile, pk=pk)
    public = media_file_is_public(media)
    if not media_file_visible(request.user, media, public=public):
        raise Http404
    if not media.has_tiles or not 0 <= page < media.tiled_pages:
        raise Http404
    return media, public


@require_safe
def media_iiif_info(request: HttpRequest, pk: int, page: int) -> HttpResponse:
    """The IIIF Image API 3 description (``info.json``) of a media file's tiled picture (an image,
    or one PDF page), its ``id`` the checked address that serves the tiles. Same rule as the file."""
    media, public = _tiled_media(request, pk, page)
    storage = media.file.storage
    try:
        with storage.open(media.tile_name(page, "info.json"), "rb") as handle:
            info = json.load(handle)
    except (FileNotFoundError, OSError, ValueError) as error:
        raise Http404 from error
    base = reverse("archive:media_iiif_info", kwargs={"pk": media.pk, "page": page}).removesuffix("/info.json")
    info["id"] = request.build_absolute_uri(base)
    response = JsonResponse(info, content_type=f'application/ld+json;profile="{IIIF_IMAGE_CONTEXT}"')
    if public:
        response["Access-Control-Allow-Origin"] = "*"  # other IIIF viewers may open public pictures
    else:
        patch_vary_headers(response, ["Cookie"])
    response["Cache-Control"] = PUBLIC_CACHE if public else PROTECTED_CACHE
    return response


@require_safe
def media_tile(request: HttpRequest, pk: int, page: int, region: str, size: str) -> HttpResponse:
    """One deep-zoom tile of a media file's picture, under the same rule as the file itself."""
    if not TILE_REGION_RE.match(region) or not TILE_SIZE_RE.match(size):
        raise Http404
    media, public = _tiled_media(request, pk, page)
    field = media.file
    name = media.tile_name(page, f"{region}/{size}/0/default.jpg")
    tile = type(field)(media, field.field, name)
    return serve_stored_file(request, tile, content_type="image/jpeg", public=public)


@require_safe
def portrait(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's portrait: public for people on public pages, else for staff who may view people."""
    person = get_object_or_404(Person, pk=pk)
    public = portrait_is_public(person)
    if not person.portrait or not portrait_visible(request.user, person, public=public):
        raise Http404
    content_type = mimetypes.guess_type(person.portrait.name)[0] or "image/jpeg"
    return serve_stored_file(request, person.portrait, content_type=content_type, public=public)


@require_safe
@never_cache
@staff_member_required
@permission_required("archive.view_contribution", raise_exception=True)
def contribution_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A file sent with a contribution, for staff who may view contributions; always a download.

    What the public sends is never shown inline in the back office's origin.
    """
    file = get_object_or_404(ContributionFile, pk=pk)
    return serve_stored_file(
        request,
        file.file,
        content_type=file.mime_type or "application/octet-stream",
        filename=file.original_name or file.file.name.rsplit("/", 1)[-1],
        download=True,
    )


# IIIF Presentation 3 (archive.iiif) ----------------------------------------------------------


def _iiif_response(document: dict, *, public: bool) -> JsonResponse:
    """A manifest or collection: readable by viewers on other sites when public, else private."""
    from archive.iiif import PRESENTATION_MEDIA_TYPE

    response = JsonResponse(document, content_type=PRESENTATION_MEDIA_TYPE, json_dumps_params={"ensure_ascii": False})
    if public:
        response["Access-Control-Allow-Origin"] = "*"
    else:
        patch_vary_headers(response, ["Cookie"])
    response["Cache-Control"] = PUBLIC_CACHE if public else PROTECTED_CACHE
    return response


@require_safe
def iiif_manifest(request: HttpRequest, inventory_number: str) -> HttpResponse:
    """An item's IIIF manifest: anyone's for a public item, else staff who may view items (as its
    files); a 404 for everyone else and for an item with nothing to show yet."""
    from archive.iiif import item_manifest

    item = Item.objects.select_related("period", "issuing_body").filter(inventory_number=inventory_number[:20]).first()
    if item is None:
        raise Http404
    public = item.is_public
    if not public and not staff_may(request.user, "archive.view_item"):
        raise Http404
    manifest = item_manifest(request, item, list(item.media.all()), public=public)
    if manifest is None:
        raise Http404
    return _iiif_response(manifest, public=public)


@require_safe
def iiif_search(request: HttpRequest, inventory_number: str) -> HttpResponse:
    """IIIF Content Search 2.0 inside an item's pages (``archive.iiif_search``): for whoever may
    see its manifest, a 404 for everyone else, so a non-public item's text never answers."""
    from archive.iiif_search import MAX_QUERY_LENGTH, content_search

    item = Item.objects.filter(inventory_number=inventory_number[:20]).first()
    if item is None:
        raise Http404
    public = item.is_public
    if not public and not staff_may(request.user, "archive.view_item"):
        raise Http404
    answer = content_search(request, item, " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH])
    response = JsonResponse(answer, json_dumps_params={"ensure_ascii": False})
    if public:
        response["Access-Control-Allow-Origin"] = "*"
    else:
        patch_vary_headers(response, ["Cookie"])
    response["Cache-Control"] = PUBLIC_CACHE if public else PROTECTED_CACHE
    return response


def _manifest_items(queryset):
    """Public items that have a media file, in the catalogue's order (each has a manifest once processed)."""
    from archive.models.items import has_digital_copy

    return list(
        queryset.public().filter(has_digital_copy()).only("inventory_number", "title").order_by(*Item._meta.ordering)
    )


@require_safe
def iiif_period(request: HttpRequest, slug: str) -> HttpResponse:
    """A period as a IIIF collection of its public items' manifests; public."""
    from archive.iiif import period_collection

    period = get_object_or_404(Period, slug=slug)
    return _iiif_response(period_collection(request, period, _manifest_items(period.items)), public=True)


@require_safe
def iiif_periods(request: HttpRequest) -> HttpResponse:
    """Every period's collection, in their order; public."""
    from archive.iiif import periods_collection

    return _iiif_response(periods_collection(request, list(Period.objects.order_by("number"))), public=True)


@require_safe
def media_captions(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """A film's or recording's captions in one language (WebVTT), under the same rule as the file."""
    media = get_object_or_404(MediaFile, pk=pk)
    public = media_file_is_public(media)
    if not media_file_visible(request.user, media, public=public):
        raise Http404
    track = get_object_or_404(CaptionTrack, media_file=media, language=language)
    return serve_stored_file(request, track.file, content_type="text/vtt; charset=utf-8", public=public)


@require_safe
def institution_logo(request: HttpRequest) -> HttpResponse:
    """The institution's logo (archive.institution), public: every page's header shows it."""
    from archive.institution import current

    logo = current().logo
    if not logo:
        raise Http404
    content_type = mimetypes.guess_type(logo.name)[0] or "image/png"
    return serve_stored_file(request, logo, content_type=content_type, public=True)
