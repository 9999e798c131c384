"""IIIF Presentation API 3: a manifest per item, a collection per period, a collection of periods.

Built as plain JSON (the ``iiif-prezi3`` package pins an older Pillow than the project's). What
holds:

- every ``id`` is the absolute address of the request's host; a canvas and what it holds are
  named under their manifest's address, so they are stable while the item keeps its inventory
  number (which never changes);
- a label, summary or metadata value is a language map: Vietnamese under ``vi``, and English
  under ``en`` only where the project has an English text (a period's English name, a string the
  English catalogue translates), never a guess;
- each picture (an image, or one page of a PDF) is a canvas of its size, painted with the one tile
  that shows it whole and the IIIF Image API 3 level-0 service of its tiles (``info.json``,
  ``archive.views.media_iiif_info``); a film or a recording is a canvas of its duration;
- the manifest's images and services are the checked views of ``archive.urls``, so a viewer
  reaches no more than the person using it may see.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from archive.models import Item, MediaFile, Period
from archive.protected_media import media_file_url

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
PRESENTATION_MEDIA_TYPE = f'application/ld+json;profile="{PRESENTATION_CONTEXT}"'
LANGUAGES = ("vi", "en")

#: The institution as the site's pages name it (the same text the templates translate).


def translations(text) -> dict[str, list[str]]:
    """A language map of a translatable text: its Vietnamese, and its English where the English
    catalogue has one (a text the catalogue does not translate comes back as the Vietnamese)."""
    found: dict[str, list[str]] = {}
    for language in LANGUAGES:
        with translation.override(language):
            value = str(text)
        if value and (language == "vi" or value != found.get("vi", [""])[0]):
            found[language] = [value]
    return found


def language_map(vi: str, en: str = "") -> dict[str, list[str]]:
    """A language map of a stored text and its optional English (an empty English is left out)."""
    found = {"vi": [vi]} if vi else {}
    if en and en != vi:
        found["en"] = [en]
    return found


def institution_name() -> dict[str, list[str]]:
    """The Room's name in each language the institution's record has (archive.institution), for the
    required statement and the provider: "Phòng Truyền thống <the institution's name>"."""
    from archive.institution import current

    institution = current()
    found = {}
    for language, name in (("vi", institution.name), ("en", institution.name_en)):
        if name:
            with translation.override(language):
                found[language] = [gettext("Phòng Truyền thống %(name)s") % {"name": name}]
    return found


def required_statement() -> dict:
    """The attribution every viewer must show: "Phòng Truyền thống …", the institution's name."""
    return {"label": translations(_("Nguồn")), "value": institution_name()}


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def manifest_url(request: HttpRequest, item: Item) -> str:
    return _absolute(request, reverse("archive:iiif_manifest", kwargs={"inventory_number": item.inventory_number}))


def period_collection_url(request: HttpRequest, period: Period) -> str:
    return _absolute(request, reverse("archive:iiif_period", kwargs={"slug": period.slug}))


def picture_facts(media: MediaFile) -> list[dict]:
    """``tiled_sizes`` of a tiled file; for one tiled before those were kept, read from its stored
    ``info.json`` files and its whole-picture tiles."""
    if len(media.tiled_sizes) == media.tiled_pages:
        return media.tiled_sizes
    storage, facts = media.file.storage, []
    for page in range(media.tiled_pages):
        with storage.open(media.tile_name(page, "info.json"), "rb") as handle:
            info = json.load(handle)
        width, height = int(info["width"]), int(info["height"])
        sizes, _files = storage.listdir(media.tile_name(page, f"0,0,{width},{height}"))
        facts.append({"width": width, "height": height, "whole": sizes[0] if sizes else ""})
    return facts


def _page_label(media: MediaFile, page: int, pages: int) -> dict[str, list[str]]:
    name = media.caption or media.original_name
    if pages == 1:
        return language_map(name)
    found = {}
    for language in LANGUAGES:
        with translation.override(language):
            found[language] = [gettext("%(name)s, trang %(page)d") % {"name": name, "page": page + 1}]
    return found if found["en"] != found["vi"] else {"vi": found["vi"]}


def _canvas(canvas_id: str, label: dict, body: dict, **size) -> dict:
    return {
        "id": canvas_id,
        "type": "Canvas",
        "label": label,
        **size,
        "items": [
            {
                "id": f"{canvas_id}/trang",
                "type": "AnnotationPage",
                "items": [
                    {
                        "id": f"{canvas_id}/trang/hinh",
                        "type": "Annotation",
                        "motivation": "painting",
                        "body": body,
                        "target": canvas_id,
                    }
                ],
            }
        ],
    }


def media_canvases(request: HttpRequest, base: str, media: MediaFile) -> list[dict]:
    """The canvases of one media file: one per tiled picture, a film's or recording's one, or none
    (a file not processed yet, whose size is not known)."""
    canvases = []
    if media.has_tiles:
        facts = picture_facts(media)
        for page, fact in enumerate(facts):
            width, height, whole = fact["width"], fact["height"], fact["whole"]
            service = reverse("archive:media_iiif_info", kwargs={"pk": media.pk, "page": page})
            service = _absolute(request, service.removesuffix("/info.json"))
            body = {"id": f"{service}/full/max/0/default.jpg", "type": "Image", "format": "image/jpeg"}
            if whole:
                body_width, body_height = (int(n) for n in whole.split(","))
                region = f"0,0,{width},{height}"
                body = {**body, "id": f"{service}/{region}/{whole}/0/default.jpg"}
                body.update(width=body_width, height=body_height)
            body["service"] = [{"id": service, "type": "ImageService3", "profile": "level0"}]
            canvas_id = f"{base}/canvas/{media.pk}/{page}"
            canvases.append(_canvas(canvas_id, _page_label(media, page, len(facts)), body, width=width, height=height))
    elif media.kind == MediaFile.Kind.IMAGE and media.width and media.height:
        body = {
            "id": _absolute(request, media_file_url(media)),
            "type": "Image",
            "format": media.mime_type,
            "width": media.width,
            "height": media.height,
        }
        canvas_id = f"{base}/canvas/{media.pk}/0"
        canvases.append(_canvas(canvas_id, _page_label(media, 0, 1), body, width=media.width, height=media.height))
    elif media.kind in (MediaFile.Kind.VIDEO, MediaFile.Kind.AUDIO) and media.duration:
        kind = "Video" if media.kind == MediaFile.Kind.VIDEO else "Sound"
        body = {
            "id": _absolute(request, media_file_url(media)),
            "type": kind,
            "format": media.mime_type,
            "duration": media.duration,
        }
        size = {"duration": media.duration}
        if kind == "Video" and media.width and media.height:
            body.update(width=media.width, height=media.height)
            size.update(width=media.width, height=media.height)
        canvases.append(_canvas(f"{base}/canvas/{media.pk}/0", _page_label(media, 0, 1), body, **size))
    return canvases


def _metadata(item: Item) -> list[dict]:
    rows = [
        (_("Số đăng ký"), language_map(item.inventory_number)),
        (_("Loại hình"), translations(Item.Kind(item.kind).label)),
    ]
    if item.number_symbol:
        rows.append((_("Số và ký hiệu"), language_map(item.number_symbol)))
    if item.date_display:
        rows.append((_("Ngày tháng"), language_map(item.date_display)))
    if item.period_id:
        rows.append((_("Thời kỳ"), language_map(item.period.name, item.period.name_en)))
    if item.issuing_body_id:
        rows.append((_("Cơ quan ban hành"), language_map(item.issuing_body.name, item.issuing_body.name_en)))
    return [{"label": translations(label), "value": value} for label, value in rows]


def item_manifest(request: HttpRequest, item: Item, media: list[MediaFile], *, public: bool) -> dict | None:
    """The Presentation 3 manifest of an item, or None when it has no canvas to show (no media
    file, or none processed yet). ``public``: whether it is in a period's public collection."""
    base = manifest_url(request, item).removesuffix("/manifest.json")
    canvases = [canvas for m in media for canvas in media_canvases(request, base, m)]
    if not canvases:
        return None
    home = _absolute(request, reverse("exhibits:home"))
    manifest = {
        "@context": PRESENTATION_CONTEXT,
        "id": f"{base}/manifest.json",
        "type": "Manifest",
        "label": language_map(item.title),
    }
    if item.summary:
        manifest["summary"] = language_map(item.summary)
    manifest["metadata"] = _metadata(item)
    manifest["rights"] = rights_statement()
    manifest["requiredStatement"] = required_statement()
    manifest["provider"] = [
        {
            "id": home,
            "type": "Agent",
            "label": institution_name(),
            "homepage": [{"id": home, "type": "Text", "label": institution_name(), "format": "text/html"}],
        }
    ]
    if public:
        page = _absolute(request, item.get_absolute_url())
        manifest["homepage"] = [
            {"id": page, "type": "Text", "label": language_map(item.title), "format": "text/html", "language": ["vi"]}
        ]
        if item.period_id:
            manifest["partOf"] = [{"id": period_collection_url(request, item.period), "type": "Collection"}]
    thumbnail = next((m for m in media if m.thumbnail), None)
    if thumbnail is not None:
        manifest["thumbnail"] = [
            {"id": _absolute(request, media_file_url(thumbnail, "thumbnail")), "type": "Image", "format": "image/jpeg"}
        ]
    manifest["items"] = canvases
    if any(m.text_status == MediaFile.TextStatus.READY for m in media):
        from archive.iiif_search import search_service

        manifest["service"] = [search_service(request, item)]
    return manifest


def rights_statement() -> str:
    """The rights of the published items, as a RightsStatements.org or Creative Commons address."""
    return settings.IIIF_RIGHTS


def period_collection(request: HttpRequest, period: Period, items: list[Item]) -> dict:
    """The collection of a period's public items that have a manifest."""
    return {
        "@context": PRESENTATION_CONTEXT,
        "id": period_collection_url(request, period),
        "type": "Collection",
        "label": language_map(period.name, period.name_en),
        **({"summary": language_map(period.summary, period.summary_en)} if period.summary else {}),
        "requiredStatement": required_statement(),
        "partOf": [{"id": _absolute(request, reverse("archive:iiif_periods")), "type": "Collection"}],
        "items": [
            {"id": manifest_url(request, item), "type": "Manifest", "label": language_map(item.title)} for item in items
        ],
    }


def periods_collection(request: HttpRequest, periods: list[Period]) -> dict:
    """The collection of the periods' collections: the whole public archive."""
    return {
        "@context": PRESENTATION_CONTEXT,
        "id": _absolute(request, reverse("archive:iiif_periods")),
        "type": "Collection",
        "label": institution_name(),
        "requiredStatement": required_statement(),
        "items": [
            {"id": period_collection_url(request, p), "type": "Collection", "label": language_map(p.name, p.name_en)}
            for p in periods
        ],
    }
