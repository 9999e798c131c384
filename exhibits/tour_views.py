"""Public pages of the audio-guide tours, the short address on each stop's QR label, the stop's
files, and the staff's A4 sheet of a tour's labels.

A stop page is what a phone opens in front of a showcase: no account, no app, no cookie; the text,
the picture, the recording (with its captions) and a link to the next stop. It is served from the
page cache like the other public pages and counted by its beacon; the short address counts the scan.
"""

from __future__ import annotations

import mimetypes

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from archive.models import Item, UsageKind
from archive.protected_media import serve_stored_file, staff_may
from archive.usage_views import count_public_use
from exhibits.cache import public_page
from exhibits.labels import LABELS_PER_PAGE
from exhibits.qr import absolute_url, qr_svg_inline
from exhibits.tours import STOP_FILES, Tour, TourStop

CONTENT_TYPES = {".vtt": "text/vtt; charset=utf-8", ".m4a": "audio/mp4", ".mp3": "audio/mpeg"}


def _can_preview(request: HttpRequest) -> bool:
    return staff_may(request.user, "exhibits.view_tour")


def _tours(request: HttpRequest):
    tours = Tour.objects.select_related("venue")
    return tours if _can_preview(request) else tours.published()


def stop_short_url(stop: TourStop) -> str:
    """The stop's address on its label: /d/<code>, without a language prefix."""
    with translation.override("vi"):
        return absolute_url(reverse("exhibits:tour_stop_short", kwargs={"code": stop.code}))


@require_safe
@public_page
def tour_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tour = get_object_or_404(_tours(request), slug=slug)
    stops = list(tour.stops.only("tour_id", "position", "title", "title_en", "place", "audio_vi_seconds"))
    return render(request, "exhibits/tour_detail.html", {"tour": tour, "stops": stops})


@require_safe
@public_page
def tour_stop(request: HttpRequest, slug: str, position: int) -> HttpResponse:
    """One stop: one query for the tour's stops (and the tour), one for the item's public page."""
    stops = list(
        TourStop.objects.filter(tour__in=_tours(request).filter(slug=slug)).select_related("tour").order_by("position")
    )
    index = next((i for i, stop in enumerate(stops) if stop.position == position), None)
    if index is None:
        raise Http404
    stop = stops[index]
    item_number = ""
    if stop.item_id:
        item_number = Item.objects.public().filter(pk=stop.item_id).values_list("inventory_number", flat=True).first()
    context = {
        "stop": stop,
        "tour": stop.tour,
        "count": len(stops),
        "number": index + 1,
        "previous": stops[index - 1] if index else None,
        "next": stops[index + 1] if index + 1 < len(stops) else None,
        "item_number": item_number or "",
        "preview": stop.tour.status != Tour.Status.PUBLISHED,
    }
    return render(request, "exhibits/tour_stop.html", context)


@require_safe
def tour_stop_short(request: HttpRequest, code: str) -> HttpResponse:
    """The address a stop's QR code holds: /d/PT-03; counts the scan, then opens the stop."""
    tour_code, _dash, number = code.upper().rpartition("-")
    if not tour_code or not number.isdigit() or len(code) > 24:
        raise Http404
    stop = (
        TourStop.objects.filter(tour__code=tour_code, tour__status=Tour.Status.PUBLISHED, position=int(number))
        .select_related("tour")
        .only("position", "tour__slug", "tour__code")
        .first()
    )
    if stop is None:
        raise Http404
    count_public_use(request, kind=UsageKind.QR_SCAN, ref=stop.code)
    return redirect("exhibits:tour_stop", slug=stop.tour.slug, position=stop.position)


@require_safe
def tour_file(request: HttpRequest, pk: int, variant: str) -> HttpResponse:
    """A stop's picture, recording or captions: public once its tour is published, before that only
    for staff who may see tours."""
    if variant not in STOP_FILES:
        raise Http404
    stop = get_object_or_404(TourStop.objects.select_related("tour"), pk=pk)
    public = stop.tour.status == Tour.Status.PUBLISHED
    if not (public or _can_preview(request)):
        raise Http404
    field = getattr(stop, STOP_FILES[variant])
    if not field:
        raise Http404
    suffix = field.name[field.name.rfind(".") :].lower() if "." in field.name else ""
    content_type = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    return serve_stored_file(request, field, content_type=content_type, public=public)


@never_cache
@require_safe
@staff_member_required
@permission_required("exhibits.view_tour", raise_exception=True)
def tour_labels(request: HttpRequest, slug: str) -> HttpResponse:
    """The tour's QR labels on the A4 sheet the items' labels use, one per stop."""
    tour = get_object_or_404(Tour, slug=slug)
    labels = []
    for stop in tour.stops.select_related("tour"):
        url = stop_short_url(stop)
        # The sheet's label reads a title, a number and a date line: the stop, its code, its place.
        label = {"title": stop.title, "inventory_number": stop.code, "date_display": stop.place or tour.title}
        labels.append({"item": label, "url": url, "qr": qr_svg_inline(url, scale=3, title=stop.code)})
    pages = [labels[i : i + LABELS_PER_PAGE] for i in range(0, len(labels), LABELS_PER_PAGE)]
    return render(request, "exhibits/admin/qr_labels.html", {"pages": pages, "count": len(labels), "tour": tour})
