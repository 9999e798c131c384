"""Public pages: each validates what it is given, asks ``exhibits.selectors`` (or a register kept
in the cache) for what it shows, and renders it."""

from __future__ import annotations

import json
import mimetypes
import re
from collections import OrderedDict
from datetime import date
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from archive import page_search
from archive.models import Item, MediaFile, Period, UsageKind, Venue, items_for, sees_internal
from archive.models.contributions import ContributionLimits
from archive.models.items import search_words
from archive.partial_dates import PartialDate
from archive.protected_media import serve_stored_file, staff_may
from archive.usage_views import count_public_use
from basics.text import fold
from basics.throttle import submission_allowed
from exhibits import images, registers, search, selectors
from exhibits.cache import public_page
from exhibits.forms import ContributionForm
from exhibits.models import Exhibit, ExhibitFormerSlug
from exhibits.qr import qr_svg, qr_svg_inline, short_url
from exhibits.tours import Tour

PAGE_SIZE = 20


def optional_url(name: str, **kwargs) -> str:
    """The URL of a page another app may not have built yet (same approach as the navigation)."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def _periods() -> list[Period]:
    """The periods with their spans (a register of four that most pages show), from the registers
    kept in the cache while the content version holds."""
    return registers.cached_register("periods")


# Home, periods, timeline, leaders ------------------------------------------------


@require_safe
@public_page
def home(request: HttpRequest) -> HttpResponse:
    intro_video = selectors.intro_video()
    context = {
        "periods": _periods(),
        "exhibits": [exhibit for exhibit in registers.cached_register("exhibits") if exhibit.featured][:6],
        "latest_items": selectors.latest_items(),
        "intro_video": intro_video,
        "intro_films": selectors.films_of(intro_video) if intro_video else [],
        "venues": registers.cached_register("venues"),
        "book_url": optional_url("bookings:book"),
    }
    return render(request, "exhibits/home.html", context)


@require_safe
@public_page
def period_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exhibits/period_list.html", {"periods": _periods()})


def timeline_bounds(periods: list[Period]) -> tuple[int, int]:
    years = [span.start_year for p in periods for span in p.spans.all()]
    ends = [span.end_year or date.today().year for p in periods for span in p.spans.all()]
    return (min(years, default=1945), max(ends, default=date.today().year))


def span_bars(periods: list[Period]) -> list[dict]:
    """Each period's spans as percentages of the whole axis, for the timeline bars."""
    first, last = timeline_bounds(periods)
    width = max(1, last - first + 1)
    bars = []
    for period in periods:
        for span in period.spans.all():
            end = span.end_year or date.today().year
            bars.append(
                {
                    "period": period,
                    "label": span.label(),
                    "left": round((span.start_year - first) * 100 / width, 2),
                    "width": round(max(1, end - span.start_year + 1) * 100 / width, 2),
                }
            )
    return bars


@require_safe
@public_page
def period_detail(request: HttpRequest, slug: str) -> HttpResponse:
    periods = _periods()
    period = next((p for p in periods if p.slug == slug), None)
    if period is None:
        raise Http404
    # The period's bodies (founded first; the undated last), leadership and exhibits from the registers.
    bodies = sorted(
        (body for body in registers.cached_register("bodies") if body.period_id == period.pk),
        key=lambda body: (body.founded_on is None, body.founded_on or date.min, body.name),
    )
    positions = [p for p in registers.cached_register("leadership") if p.body.period_id == period.pk]
    context = {
        "period": period,
        "periods": periods,
        "bars": span_bars(periods),
        "bodies": bodies,
        "leadership": group_positions(positions),
        "documents": selectors.period_items(period.pk, artifacts=False),
        "artifacts": selectors.period_items(period.pk, artifacts=True),
        "exhibits": [exhibit for exhibit in registers.cached_register("exhibits") if exhibit.period_id == period.pk],
        "items_url": reverse("exhibits:item_list") + f"?period={period.pk}",
    }
    return render(request, "exhibits/period_detail.html", context)


def group_positions(positions) -> list[dict]:
    """Positions grouped by body, then term (newest body first within a period), seniority within a term."""
    bodies: OrderedDict = OrderedDict()
    for position in positions:
        body_entry = bodies.setdefault(position.body_id, {"body": position.body, "terms": OrderedDict()})
        term_key = position.term_id or 0
        term_entry = body_entry["terms"].setdefault(term_key, {"term": position.term, "roles": OrderedDict()})
        term_entry["roles"].setdefault(position.get_role_display(), []).append(position)
    result = []
    for entry in bodies.values():
        terms = sorted(entry["terms"].values(), key=lambda t: t["term"].start_year if t["term"] else 0)
        for term in terms:
            for role_positions in term["roles"].values():
                role_positions.sort(key=lambda p: (p.role_rank, p.person.sort_name))
            term["roles"] = sorted(term["roles"].items(), key=lambda kv: kv[1][0].role_rank)
        result.append({"body": entry["body"], "terms": terms})
    return result


@require_safe
@public_page
def leaders(request: HttpRequest) -> HttpResponse:
    periods = registers.by_key("periods")

    def period_number(position) -> int:
        period = periods.get(position.body.period_id)
        return period.number if period else 99

    # The register is in the positions' order (body, term, seniority); the sort by period keeps it.
    groups = group_positions(sorted(registers.cached_register("leadership"), key=period_number))
    by_period: OrderedDict = OrderedDict()
    for group in groups:
        period = periods.get(group["body"].period_id)
        by_period.setdefault(period.pk if period else 0, {"period": period, "bodies": []})["bodies"].append(group)
    sections = sorted(by_period.values(), key=lambda s: s["period"].number if s["period"] else 99)
    return render(request, "exhibits/leaders.html", {"sections": sections})


def congress_title(congress) -> str:
    """A congress as the timeline names it: with its body, unless its name already says it."""
    body = congress.body.display_name
    if fold(body) in fold(congress.name):
        return congress.name
    return _("%(congress)s của %(body)s") % {"congress": congress.name, "body": body}


def event_period(event: dict, periods: list[Period]) -> Period | None:
    """The period a timeline event sits under: the period of its body (or item) when that period
    holds the date (the bodies founded in 1982 under 1982–2007, the one dissolved in 1982 under
    1978–1982), else the period holding the date that began last; None outside every period."""
    year = event["date"].earliest().year
    holding = [p for p in periods if any(span.contains_year(year) for span in p.spans.all())]
    for period in holding:
        if period.pk == event.get("period_id"):
            return period
    if not holding:
        return None
    return max(holding, key=lambda p: max(s.start_year for s in p.spans.all() if s.contains_year(year)))


@require_safe
@public_page
def timeline(request: HttpRequest) -> HttpResponse:
    """The periods on one axis with their dated events: foundings, congresses, featured items.

    Partial dates sort by their earliest day, then their latest ("1950" before "thập niên 1950"),
    and are shown as cataloguers wrote them ("khoảng 1950", "tháng 4/2007").
    """
    periods = _periods()
    events: list[dict] = []
    for body in selectors.timeline_bodies():
        founded = body.founded
        if founded:
            events.append({"date": founded, "kind": "founded", "title": body.display_name, "period_id": body.period_id})
        dissolved = body.dissolved
        if dissolved:
            events.append(
                {"date": dissolved, "kind": "dissolved", "title": body.display_name, "period_id": body.period_id}
            )
    for congress in selectors.timeline_congresses():
        events.append(
            {
                "date": PartialDate(congress.held_from.year, congress.held_from.month, congress.held_from.day),
                "kind": "congress",
                "title": congress_title(congress),
                "congress": congress,
                "period_id": congress.body.period_id,
            }
        )
    for item in selectors.timeline_items():
        if item.partial_date:
            events.append(
                {
                    "date": item.partial_date,
                    "kind": "item",
                    "title": item.title,
                    "item": item,
                    "period_id": item.period_id,
                }
            )
    events.sort(key=lambda e: e["date"].sort_key())
    by_period: dict[int, list[dict]] = {period.pk: [] for period in periods}
    unplaced = []
    for event in events:
        period = event_period(event, periods)
        (by_period[period.pk] if period else unplaced).append(event)
    sections = [{"period": period, "events": by_period[period.pk]} for period in periods]
    context = {
        "sections": sections,
        "unplaced": unplaced,
        "periods": periods,
        "bars": span_bars(periods),
        "bounds": timeline_bounds(periods),
    }
    return render(request, "exhibits/timeline.html", context)


# Browse and search ----------------------------------------------------------------


def _browse_context(request: HttpRequest, *, with_registers: bool) -> dict:
    form = search.BrowseForm(request.GET)
    values = form.filters()
    query = values["q"]
    words = search_words(query)
    sort = values.get("sort") or ("relevance" if query else "-published")
    facets, page = selectors.browse(values, request.GET.get("page"), per_page=PAGE_SIZE)
    for item in page:
        item.title_html = search.highlight(item.title, words)
        item.snippet_html = search.snippet(item.summary or item.description, words)
    _mark_page_hits(page, query, words)
    context = {
        "form": form,
        "values": values,
        "query": query,
        "words": words,
        "facets": facets,
        "page": page,
        "sort": sort,
        "sort_choices": search.SORT_CHOICES,
        "filtered": any(values.get(name) for name in search.BrowseForm.FILTER_NAMES),
        "keyword": selectors.public_keyword(values.get("keyword")),
        "nothing_found": bool(query) and not facets.total,
    }
    if with_registers and words:
        # Bodies, exhibits and periods are small registers, matched in Python; people by a query.
        bodies = registers.cached_register("bodies")
        context["people"] = selectors.people_named(words)
        context["bodies"] = search.search_bodies(bodies, words)
        context["exhibits"] = search.search_exhibits(registers.cached_register("exhibits"), words)
        nothing = not (facets.total or context["people"] or context["bodies"] or context["exhibits"])
        context["nothing_found"] = nothing
        if nothing:
            context["suggestions"] = search.suggestions(
                query, vocabulary=selectors.suggestion_vocabulary(), values=values, found=facets.total
            )
    return context


def hit_url(item: Item, query: str, page) -> str:
    """The item page opened at a page that has the words of ``query``, its words marked."""
    address = urlencode({"tim": query, "tep": page.media_file_id, "trang": page.page})
    return f"{item.get_absolute_url()}?{address}#tep-{page.media_file_id}"


def _search_inside(item: Item, params, context: dict) -> dict | None:
    """The "Tìm trong tư liệu này" of an item page: the pages of the item (one the visitor may see) with the words of
    ``?tim=``, and the page to open (``?tep=`` and ``?trang=``, else the first hit), whose viewer
    starts there with the words' boxes marked. None when no page of the item has text."""
    if not any(m.text_status for m in context["images"] + context["pdfs"]):
        return None
    query = search.clean_query(params.get("tim"))
    words, hits = page_search.item_hits(item.pk, query) if query else ([], [])
    wanted = (params.get("tep", ""), params.get("trang", ""))
    focus = next((hit for hit in hits if (str(hit.page.media_file_id), str(hit.number)) == wanted), None)
    focus = focus or (hits[0] if hits else None)
    rows = []
    for hit in hits:
        rows.append(
            {
                "number": hit.number,
                "file_name": hit.page.media_file.original_name if len(context["pdfs"]) > 1 else "",
                "snippet_html": search.snippet(hit.page.shown_text, words),
                "url": hit_url(item, query, hit.page),
                "current": hit is focus,
            }
        )
    if focus is not None:
        images = context["images"]
        for index, media in enumerate(images):
            if media.pk == focus.page.media_file_id:
                images[0].focus_start, images[0].focus_boxes = index, json.dumps(focus.boxes)
        for media in context["pdfs"]:
            if media.pk == focus.page.media_file_id:
                media.focus_start, media.focus_boxes = focus.number - 1, json.dumps(focus.boxes)
    return {"query": query, "hits": rows}


def _mark_page_hits(items, query: str, words: list[str]) -> None:
    """Give each result found inside its pages (``search.PAGE_RANK``, or any when not ranked) the
    first page that has the words, a snippet of it and the address that opens it (one query)."""
    if not words:
        return
    wanted = [item for item in items if getattr(item, "rank", search.PAGE_RANK) == search.PAGE_RANK]
    hits = page_search.first_hits([item.pk for item in wanted], words) if wanted else {}
    for item in wanted:
        hit = hits.get(item.pk)
        if hit is None:
            continue
        item.page_hit = hit
        item.page_snippet_html = search.snippet(hit.shown_text, words)
        item.page_url = hit_url(item, query, hit)


@require_safe
@public_page
def item_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exhibits/item_list.html", _browse_context(request, with_registers=False))


@require_safe
@public_page
def search_view(request: HttpRequest) -> HttpResponse:
    return render(request, "exhibits/search.html", _browse_context(request, with_registers=True))


# Items ------------------------------------------------------------------------------


CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")


def _code_or_404(value: str) -> str:
    """Inventory numbers and slugs are short ASCII codes; anything else cannot exist (and a NUL
    would upset PostgreSQL)."""
    if not CODE_RE.match(value or ""):
        raise Http404
    return value


def _public_item_or_404(inventory_number: str, user=None) -> Item:
    """The item a visitor may see: public, or for a confirmed member also internal. Members are
    signed in, so their pages never enter the page cache (``exhibits.cache``)."""
    items = items_for(user) if user is not None and sees_internal(user) else None
    item = selectors.item_page(_code_or_404(inventory_number).upper()[:20], items)
    if item is None:
        raise Http404
    return item


class MetadataRow(NamedTuple):
    """One element of an item's page: its label, its text, and the pages that list what it names
    (a body, person, keyword or period leads to its items)."""

    label: str
    value: object
    links: list[tuple[str, str]] = []


def _list_url(**filters) -> str:
    return reverse("exhibits:item_list") + "?" + urlencode(filters)


def item_metadata(item: Item) -> list[MetadataRow]:
    """The public elements of the catalogue profile under their Vietnamese labels (no staff fields)."""

    def label(name: str) -> str:
        text = str(Item._meta.get_field(name).verbose_name)
        return text[:1].upper() + text[1:]

    def body_link(body) -> tuple[str, str]:
        return (body.display_name, _list_url(body=body.pk))

    def person_link(person) -> tuple[str, str]:
        return (person.full_name, reverse("exhibits:person_detail", kwargs={"pk": person.pk}))

    bodies = list(item.bodies.all())
    people = list(item.people.all())
    keywords = list(item.keywords.all())
    rows = [
        MetadataRow(label("inventory_number"), item.inventory_number),
        MetadataRow(label("kind"), item.get_kind_display(), [(item.get_kind_display(), _list_url(kind=item.kind))]),
        MetadataRow(
            label("document_type"),
            item.get_document_type_display() if item.document_type else "",
            [(item.get_document_type_display(), _list_url(document_type=item.document_type))]
            if item.document_type
            else [],
        ),
        MetadataRow(label("number_symbol"), item.number_symbol),
        MetadataRow(
            label("issuing_body"),
            item.issuing_body.display_name if item.issuing_body else "",
            [body_link(item.issuing_body)] if item.issuing_body else [],
        ),
        MetadataRow(label("place_of_issue"), item.place_of_issue),
        MetadataRow(_("Ngày tháng"), item.date_display),
        MetadataRow(
            label("signer"),
            item.signer.full_name if item.signer else "",
            [person_link(item.signer)] if item.signer else [],
        ),
        MetadataRow(label("signer_position"), item.signer_position),
        MetadataRow(label("recipients"), item.recipients),
        MetadataRow(label("urgency"), item.get_urgency_display() if item.urgency else ""),
        MetadataRow(
            label("period"),
            item.period_label,
            [(item.period_label, _list_url(period=item.period.pk if item.period else 0))] if item.period_label else [],
        ),
        MetadataRow(label("congress"), item.congress.name if item.congress else ""),
        MetadataRow(label("bodies"), ", ".join(b.display_name for b in bodies), [body_link(b) for b in bodies]),
        MetadataRow(label("people"), ", ".join(p.full_name for p in people), [person_link(p) for p in people]),
        MetadataRow(
            label("keywords"),
            ", ".join(k.name for k in keywords),
            [(k.name, _list_url(keyword=k.pk)) for k in keywords],
        ),
        MetadataRow(label("dossier"), item.dossier.title if item.dossier else ""),
        MetadataRow(label("language"), item.get_language_display()),
        MetadataRow(label("page_count"), item.page_count or ""),
        MetadataRow(label("reliability"), item.get_reliability_display()),
        MetadataRow(label("material"), item.material),
        MetadataRow(label("dimensions"), item.dimensions),
        MetadataRow(label("condition"), item.get_condition_display() if item.condition else ""),
        MetadataRow(label("venue"), item.venue.display_name if item.venue else ""),
        MetadataRow(
            label("acquisition_method"), item.get_acquisition_method_display() if item.acquisition_method else ""
        ),
        MetadataRow(label("acquisition_source"), item.acquisition_source),
    ]
    # The shelf position of a classified holding is never shown (a public item is never classified,
    # but the rule stays here should the public definition change).
    if item.confidentiality == Item.Confidentiality.NONE and item.location:
        rows.append(MetadataRow(label("location"), item.location))
    return [row for row in rows if row.value not in ("", None)]


@require_safe
@public_page
def item_detail(request: HttpRequest, inventory_number: str) -> HttpResponse:
    item = _public_item_or_404(inventory_number, request.user)
    media = list(item.media.all())
    if any(m.kind in (MediaFile.Kind.VIDEO, MediaFile.Kind.AUDIO) for m in media):
        prefetch_related_objects(media, "captions")  # the players' caption tracks and transcripts
    context = {
        "item": item,
        "metadata": item_metadata(item),
        "picture": images.first_picture(media),
        "images": [m for m in media if m.kind == MediaFile.Kind.IMAGE],
        "pdfs": [m for m in media if m.kind == MediaFile.Kind.PDF],
        "videos": [m for m in media if m.kind == MediaFile.Kind.VIDEO],
        "audios": [m for m in media if m.kind == MediaFile.Kind.AUDIO],
        "related": selectors.related_items(item),
        "short_url": short_url(item.inventory_number),
        "exhibits": selectors.exhibits_showing(item),
    }
    context["inside"] = _search_inside(item, request.GET, context)
    response = render(request, "exhibits/item_detail.html", context)
    if not item.is_public:  # an internal item shown to a member: no shared cache may keep it
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ["Cookie"])
    return response


@require_safe
@public_page
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person of the public history: portrait, biography, positions by term, their public items."""
    person = selectors.person_page(pk)
    if person is None:
        raise Http404
    context = {
        "person": person,
        "positions": list(person.positions.all()),
        "page": selectors.person_items(person, request.GET.get("page")),
    }
    return render(request, "exhibits/person_detail.html", context)


@require_safe
def short_redirect(request: HttpRequest, code: str) -> HttpResponse:
    """The short address on labels and QR codes: /t/<inventory number> (or an exhibit's slug)."""
    code = _code_or_404(code.strip())
    item = selectors.public_item_by_code(code.upper()[:20])
    if item:
        count_public_use(request, kind=UsageKind.QR_SCAN, ref=item.inventory_number)
        return redirect("exhibits:item_detail", inventory_number=item.inventory_number)
    exhibit = Exhibit.objects.published().filter(slug=code.lower()).only("slug").first()
    if exhibit is None:
        former = ExhibitFormerSlug.objects.filter(slug=code.lower(), exhibit__status=Exhibit.Status.PUBLISHED)
        exhibit = Exhibit.objects.filter(former_slugs__in=former).only("slug").first()
    if exhibit:
        count_public_use(request, kind=UsageKind.QR_SCAN, ref=exhibit.slug)
        return redirect("exhibits:exhibit_detail", slug=exhibit.slug)
    raise Http404


@require_safe
def item_qr(request: HttpRequest, inventory_number: str) -> HttpResponse:
    inventory_number = _code_or_404(inventory_number)
    item = selectors.public_item_by_code(inventory_number.upper()[:20])
    if item is None:
        raise Http404
    svg = qr_svg(short_url(item.inventory_number), scale=6, title=item.inventory_number)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response


# Exhibits ------------------------------------------------------------------------------


def _can_preview(request: HttpRequest) -> bool:
    return staff_may(request.user, "exhibits.view_exhibit")


@require_safe
@public_page
def exhibit_list(request: HttpRequest) -> HttpResponse:
    exhibits = Exhibit.objects.published().select_related("period")
    return render(request, "exhibits/exhibit_list.html", {"exhibits": exhibits})


def _exhibit_context(request: HttpRequest, slug: str) -> dict:
    queryset = Exhibit.objects.select_related("period")
    preview = _can_preview(request)
    if not preview:
        queryset = queryset.published()
    exhibit = get_object_or_404(queryset, slug=slug)
    return {
        "exhibit": exhibit,
        "blocks": selectors.exhibit_blocks(exhibit),
        "preview": preview and not exhibit.is_published,
        "exhibit_short_url": short_url(exhibit.slug),
    }


def _moved_exhibit(slug: str, view_name: str) -> HttpResponse | None:
    """A permanent redirect when `slug` is an address a published exhibit had before, and no exhibit has now."""
    if Exhibit.objects.filter(slug=slug).exists():
        return None
    former = (
        ExhibitFormerSlug.objects.filter(slug=slug, exhibit__status=Exhibit.Status.PUBLISHED)
        .select_related("exhibit")
        .only("exhibit__slug")
        .first()
    )
    return redirect(view_name, slug=former.exhibit.slug, permanent=True) if former else None


@require_safe
@public_page
def exhibit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    moved = _moved_exhibit(slug, "exhibits:exhibit_detail")
    if moved:
        return moved
    return render(request, "exhibits/exhibit_detail.html", _exhibit_context(request, slug))


@require_safe
@public_page
def exhibit_print(request: HttpRequest, slug: str) -> HttpResponse:
    moved = _moved_exhibit(slug, "exhibits:exhibit_print")
    if moved:
        return moved
    context = _exhibit_context(request, slug)
    context["qr_svg"] = qr_svg_inline(short_url(context["exhibit"].slug), scale=4, title=context["exhibit"].title)
    return render(request, "exhibits/exhibit_print.html", context)


@require_safe
def exhibit_cover(request: HttpRequest, slug: str) -> HttpResponse:
    """An exhibit's cover image, through the archive's checked file serving: public once the
    exhibit is published, before that only for staff who may preview it."""
    exhibit = get_object_or_404(Exhibit.objects.only("slug", "status", "cover_image"), slug=slug)
    public = Exhibit.objects.published().filter(pk=exhibit.pk).exists()
    if not exhibit.cover_image or not (public or _can_preview(request)):
        raise Http404
    content_type = mimetypes.guess_type(exhibit.cover_image.name)[0] or "image/jpeg"
    return serve_stored_file(request, exhibit.cover_image, content_type=content_type, public=public)


@require_safe
def exhibit_qr(request: HttpRequest, slug: str) -> HttpResponse:
    exhibit = get_object_or_404(Exhibit.objects.published().only("slug"), slug=slug)
    response = HttpResponse(qr_svg(short_url(exhibit.slug), scale=6, title=exhibit.slug), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response


# Videos, visiting, contributions --------------------------------------------------------


@require_safe
@public_page
def videos(request: HttpRequest) -> HttpResponse:
    return render(request, "exhibits/videos.html", {"page": selectors.videos(request.GET.get("page"))})


@require_safe
@public_page
def visit(request: HttpRequest) -> HttpResponse:
    context = {
        "venues": Venue.objects.all(),
        "book_url": optional_url("bookings:book"),
        "tours": Tour.objects.published().select_related("venue").annotate(stop_count=Count("stops")),
    }
    return render(request, "exhibits/visit.html", context)


def contribute(request: HttpRequest) -> HttpResponse:
    """The public contribution form; the archive's service validates the files and stores it all."""
    status = 200
    if request.method == "POST":
        form = ContributionForm(request.POST, request.FILES)
        limits = ContributionLimits.current()
        allowed = submission_allowed(
            request, scope="contributions", limit=limits.submissions, window=limits.window_seconds
        )
        if not allowed:
            form.add_error(
                None,
                _(
                    "Địa chỉ mạng này đã gửi quá nhiều lần trong một giờ. Xin thử lại sau hoặc gọi"
                    " điện cho Ban Tuyên giáo."
                ),
            )
            status = 429
        elif form.is_valid():
            from archive.services import contribution_receive

            data = form.cleaned_data
            try:
                contribution = contribution_receive(
                    contributor_name=data["contributor_name"],
                    description=data["description"],
                    consent=data["consent"],
                    body=data.get("body"),
                    organisation=data.get("organisation", ""),
                    email=data.get("email", ""),
                    phone=data.get("phone", ""),
                    files=data.get("files") or [],
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Xin cảm ơn. Ban Tuyên giáo đã nhận đóng góp, mã số %(reference)s.")
                    % {"reference": contribution.reference},
                )
                return redirect("exhibits:contribute_done")
    else:
        form = ContributionForm()
    return render(request, "exhibits/contribute.html", {"form": form}, status=status)


def _add_service_errors(form: ContributionForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error("files" if "tệp" in message.lower() else None, message)


def contribute_done(request: HttpRequest) -> HttpResponse:
    return render(request, "exhibits/contribute_done.html")


# Search engines ---------------------------------------------------------------------------


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /nang-cap/",
        f"Sitemap: {site}{reverse('exhibits:sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
