"""The read-only public API (django-ninja): the catalogue as other systems read it.

Everything it returns comes from the readers the public pages use (``exhibits.selectors``,
``exhibits.search``, ``exhibits.registers``), so an item the pages hide never reaches it: items
through ``Item.objects.public()``, people and bodies through their ``public()`` querysets, exhibits
published. Searching and filtering items is the browse page's own (``search.BrowseForm`` for the
query string, ``selectors.browse`` for the facets, the ranking and the page).

Texts that may have an English version are objects ``{"vi": …, "en": …}``; ``en`` is null where
no English text is kept. Labels of coded values (``kind_label``) follow the address's language:
``/api/`` in Vietnamese, ``/en/api/`` in English. Bad input gets a 400 (a parameter outside its
range or choices) or a 404 (a page past the last, an object that is not public) with a message
naming the parameter and what it takes.
"""

from __future__ import annotations

import datetime
import functools
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger

from archive.models import Body, Item, MediaFile, Person, Position
from archive.models.items import DOCUMENT_TYPE_CHOICES, search_words
from archive.protected_media import media_address
from exhibits import images, registers, search, selectors
from exhibits.models import Exhibit, ExhibitBlock

#: How long a client or a shared cache may keep an answer: the public catalogue changes when staff
#: publish, and a harvester polling every few minutes is served from its own cache meanwhile.
API_MAX_AGE = 300
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
#: The highest page number asked for at all; past the last page of the results is a 404.
MAX_PAGE = 10_000
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$"
MAX_ID = 2**31 - 1

KindCode = Literal[tuple(Item.Kind.values)]
DocumentTypeCode = Literal[tuple(dict.fromkeys(code for code, _label in DOCUMENT_TYPE_CHOICES))]
SortCode = Literal[tuple(code for code, _label in search.SORT_CHOICES)]


def cache_for_clients(view):
    """Successful answers may be kept by clients and shared caches for ``API_MAX_AGE``; errors not."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=API_MAX_AGE)
        else:
            patch_cache_control(response, no_cache=True)
        return response

    return wrapper


api = NinjaAPI(
    title="Phòng Truyền thống – API",
    version="1",
    description=str(
        gettext_lazy(
            "Giao diện lập trình chỉ đọc của kho tư liệu công khai: tư liệu, hiện vật, thời kỳ, tổ chức, "
            "nhân vật, chức vụ, chuyên đề trưng bày và địa điểm."
        )
    ),
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs/",
    openapi_url="/openapi.json",
    docs_decorator=cache_for_clients,
)
api.add_decorator(cache_for_clients, mode="view")


# Errors --------------------------------------------------------------------------------------------


class Problem(Schema):
    """What was wrong with a request, in the address's language."""

    detail: str
    errors: list[ParameterProblem] = []


class ParameterProblem(Schema):
    parameter: str
    message: str


Problem.model_rebuild()

#: What each query parameter takes, for the message that refuses a wrong value.
PARAMETER_HINTS = {
    "page": gettext_lazy("một số nguyên từ 1 đến %(max)d") % {"max": MAX_PAGE},
    "page_size": gettext_lazy("một số nguyên từ 1 đến %(max)d") % {"max": MAX_PAGE_SIZE},
    "q": gettext_lazy("một chuỗi tìm kiếm dài tối đa %(max)d ký tự") % {"max": search.MAX_QUERY_LENGTH},
    "period": gettext_lazy("mã số (id) của một thời kỳ"),
    "body": gettext_lazy("mã số (id) của một tổ chức"),
    "keyword": gettext_lazy("mã số (id) của một từ khóa"),
    "person": gettext_lazy("mã số (id) của một nhân vật"),
    "kind": gettext_lazy("một trong các loại hình: %(codes)s") % {"codes": ", ".join(Item.Kind.values)},
    "document_type": gettext_lazy("mã một thể loại văn bản, ví dụ resolution"),
    "year_from": gettext_lazy("một năm từ %(min)d đến %(max)d") % {"min": search.MIN_YEAR, "max": search.MAX_YEAR},
    "year_to": gettext_lazy("một năm từ %(min)d đến %(max)d") % {"min": search.MIN_YEAR, "max": search.MAX_YEAR},
    "digital": gettext_lazy("true hoặc false"),
    "sort": gettext_lazy("một trong các cách sắp xếp: %(codes)s")
    % {"codes": ", ".join(code for code, _label in search.SORT_CHOICES)},
    "inventory_number": gettext_lazy("một số đăng ký, ví dụ TL-2024-00042"),
    "slug": gettext_lazy("đường dẫn của một thời kỳ hoặc chuyên đề"),
    "pk": gettext_lazy("một mã số (id) nguyên dương"),
}


def parameter_problem(name: str) -> ParameterProblem:
    hint = PARAMETER_HINTS.get(name, gettext_lazy("một giá trị hợp lệ"))
    message = _("Tham số “%(name)s” không hợp lệ: cần %(hint)s.") % {"name": name, "hint": hint}
    return ParameterProblem(parameter=name, message=message)


def refuse(request: HttpRequest, problems: list[ParameterProblem]) -> HttpResponse:
    detail = " ".join(problem.message for problem in problems)
    body = Problem(detail=detail, errors=problems)
    return api.create_response(request, body.model_dump(), status=400)


def on_invalid_parameters(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    names = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        name = location[1] if len(location) > 1 else (location[0] if location else "")
        if name not in names:
            names.append(name)
    return refuse(request, [parameter_problem(name) for name in names])


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc.message), "errors": []}, status=exc.status_code)


api.add_exception_handler(NinjaValidationError, on_invalid_parameters)
api.add_exception_handler(HttpError, on_http_error)


class NotFound(HttpError):
    def __init__(self, message: str):
        super().__init__(404, message)


ERRORS = {400: Problem, 404: Problem}


# Shapes ----------------------------------------------------------------------------------------------


class Text(Schema):
    """A text in Vietnamese and, where one is kept, in English (null otherwise)."""

    vi: str
    en: str | None


def text(vi: str, en: str = "") -> Text:
    return Text(vi=vi or "", en=en or None)


class Ref(Schema):
    """Another record named by its id and name."""

    id: int
    name: Text


class DateOut(Schema):
    """A date as cataloguers know it: shown as written ("khoảng 1950"), with the days it spans."""

    display: str
    start: datetime.date | None
    end: datetime.date | None
    precision: str
    circa: bool


class Picture(Schema):
    thumbnail: str
    large: str
    width: int | None
    height: int | None


class ItemCard(Schema):
    inventory_number: str
    kind: str
    kind_label: str
    title: Text
    summary: Text
    date: DateOut | None
    url: str
    api_url: str
    picture: Picture | None


class MediaOut(Schema):
    id: int
    kind: str
    mime_type: str
    caption: str
    width: int | None
    height: int | None
    page_count: int | None
    original: str
    thumbnail: str | None
    medium: str | None
    large: str | None


class ItemOut(ItemCard):
    description: Text
    document_type: str
    document_type_label: str
    number_symbol: str
    issuing_body: Ref | None
    place_of_issue: str
    signer: Ref | None
    signer_position: str
    recipients: str
    period: Ref | None
    congress: str | None
    bodies: list[Ref]
    people: list[Ref]
    keywords: list[str]
    language: str
    page_count: int | None
    material: str
    dimensions: str
    venue: Ref | None
    published_at: datetime.datetime | None
    media: list[MediaOut]


class FacetOut(Schema):
    value: str
    label: str
    count: int


class FacetsOut(Schema):
    digital: int
    periods: list[FacetOut]
    kinds: list[FacetOut]
    document_types: list[FacetOut]
    bodies: list[FacetOut]
    decades: list[FacetOut]


class PageInfo(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None


class ItemPage(PageInfo):
    results: list[ItemCard]
    facets: FacetsOut


class SpanOut(Schema):
    start_year: int
    end_year: int | None


class PeriodOut(Schema):
    id: int
    code: str
    number: int
    slug: str
    name: Text
    summary: Text
    spans: list[SpanOut]
    url: str
    items_api_url: str


class BodyOut(Schema):
    id: int
    name: Text
    short_name: str
    kind: str
    kind_label: str
    period_id: int | None
    parent_id: int | None
    founded: str
    dissolved: str
    summary: Text
    items_api_url: str


class PositionOut(Schema):
    id: int
    person: Ref
    body: Ref
    role: str
    role_label: str
    is_interim: bool
    term: str | None
    start_year: int | None
    end_year: int | None
    start_date: datetime.date | None
    end_date: datetime.date | None


class PersonOut(Schema):
    id: int
    full_name: str
    other_names: str
    birth_year: int | None
    death_year: int | None
    hometown: str
    url: str
    portrait: str | None


class PersonDetail(PersonOut):
    biography: Text
    positions: list[PositionOut]


class BlockOut(Schema):
    position: int
    kind: str
    heading: Text
    text: Text
    quote_source: str
    items: list[ItemCard]


class ExhibitOut(Schema):
    slug: str
    title: Text
    summary: Text
    period_id: int | None
    featured: bool
    published_at: datetime.datetime | None
    url: str
    cover: str | None


class ExhibitDetail(ExhibitOut):
    blocks: list[BlockOut]


class VenueOut(Schema):
    id: int
    code: str
    name: Text
    summary: Text
    address: str
    phone: str
    email: str


class BodyPage(PageInfo):
    results: list[BodyOut]


class PersonPage(PageInfo):
    results: list[PersonOut]


class PositionPage(PageInfo):
    results: list[PositionOut]


class ExhibitPage(PageInfo):
    results: list[ExhibitOut]


# Building the shapes -----------------------------------------------------------------------------


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def date_of(item: Item) -> DateOut | None:
    value = item.partial_date
    if value is None:
        return None
    return DateOut(
        display=str(value),
        start=item.date_start,
        end=value.latest(),
        precision=item.date_precision,
        circa=item.date_circa,
    )


def picture_of(request: HttpRequest, item: Item) -> Picture | None:
    sources = images.first_picture(item.media.all())
    if sources is None:
        return None
    return Picture(
        thumbnail=absolute(request, sources.thumbnail),
        large=absolute(request, sources.large),
        width=sources.width,
        height=sources.height,
    )


def card(request: HttpRequest, item: Item) -> ItemCard:
    return ItemCard(
        inventory_number=item.inventory_number,
        kind=item.kind,
        kind_label=str(item.get_kind_display()),
        title=text(item.title_vi, item.title_en),
        summary=text(item.summary_vi, item.summary_en),
        date=date_of(item),
        url=absolute(request, item.get_absolute_url()),
        api_url=absolute(request, reverse("api:item_detail", args=[item.inventory_number])),
        picture=picture_of(request, item),
    )


def ref(obj, name: str, name_en: str = "") -> Ref:
    return Ref(id=obj.pk, name=text(name, name_en))


def body_ref(body: Body | None) -> Ref | None:
    return ref(body, body.name, body.name_en) if body else None


def person_ref(person: Person | None) -> Ref | None:
    return ref(person, person.full_name) if person else None


def media_out(request: HttpRequest, media: MediaFile, address) -> MediaOut:
    def variant(name: str) -> str | None:
        return absolute(request, images.media_url(media, name, address=address)) if getattr(media, name) else None

    return MediaOut(
        id=media.pk,
        kind=media.kind,
        mime_type=media.mime_type,
        caption=media.caption,
        width=media.width,
        height=media.height,
        page_count=media.page_count,
        original=absolute(request, images.media_url(media, address=address)),
        thumbnail=variant("thumbnail"),
        medium=variant("medium"),
        large=variant("large"),
    )


def page_links(request: HttpRequest, number: int, pages: int) -> tuple[str | None, str | None]:
    def link(page: int) -> str:
        query = request.GET.copy()
        query["page"] = str(page)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return (link(number + 1) if number < pages else None, link(number - 1) if number > 1 else None)


def page_of(request: HttpRequest, rows, count: int, page: int, page_size: int) -> dict:
    """One page of ``rows`` (a queryset or a list) with its position, or a 404 past the last page."""
    pages = max(1, -(-count // page_size))
    if page > pages:
        raise NotFound(
            _("Trang %(page)d không có: kết quả chỉ có %(pages)d trang (mỗi trang %(size)d mục).")
            % {"page": page, "pages": pages, "size": page_size}
        )
    start = (page - 1) * page_size
    following, previous = page_links(request, page, pages)
    info = {"count": count, "page": page, "pages": pages, "page_size": page_size}
    return {**info, "next": following, "previous": previous, "rows": rows[start : start + page_size]}


def positive(name: str) -> int | None:
    """An optional id parameter (from 1 to the largest key a database holds)."""
    return Query(None, ge=1, le=MAX_ID, alias=name)


PageNumber = Query(1, ge=1, le=MAX_PAGE, description="Trang kết quả, từ 1.")
PageSize = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Số mục mỗi trang.")
SearchText = Query(None, max_length=search.MAX_QUERY_LENGTH, description="Tìm kiếm, không phân biệt dấu.")


# Items -------------------------------------------------------------------------------------------------


@api.get("/items", response={200: ItemPage, **ERRORS}, url_name="item_list", tags=["items"])
def item_list(
    request: HttpRequest,
    q: str | None = SearchText,
    period: int | None = positive("period"),
    kind: KindCode | None = None,
    document_type: DocumentTypeCode | None = None,
    body: int | None = positive("body"),
    keyword: int | None = positive("keyword"),
    year_from: int | None = Query(None, ge=search.MIN_YEAR, le=search.MAX_YEAR),
    year_to: int | None = Query(None, ge=search.MIN_YEAR, le=search.MAX_YEAR),
    digital: bool = False,
    sort: SortCode | None = None,
    page: int = PageNumber,
    page_size: int = PageSize,
):
    """Public items matching the search and the filters, as the browse page finds and orders them
    (by relevance when there is a query, else the newest published first), with the facet counts."""
    form = search.BrowseForm(request.GET)
    if not form.is_valid():
        return refuse(request, [parameter_problem(name) for name in form.errors])
    facets, matches = selectors.browse_matches(form.filters())
    listing = page_of(request, matches, facets.total, page, page_size)
    rows = listing.pop("rows")
    return {
        **listing,
        "results": [card(request, item) for item in rows],
        "facets": {
            "digital": facets.digital,
            **{
                name: [{"value": f.value, "label": f.label, "count": f.count} for f in getattr(facets, name)]
                for name in ("periods", "kinds", "document_types", "bodies", "decades")
            },
        },
    }


@api.get("/items/{inventory_number}", response={200: ItemOut, **ERRORS}, url_name="item_detail", tags=["items"])
def item_detail(request: HttpRequest, inventory_number: str = Path(..., pattern=CODE_PATTERN, max_length=120)):
    """A public item with every public element of its record and its media files."""
    item = selectors.item_page(inventory_number.upper()[:20])
    if item is None:
        raise NotFound(_("Không có tư liệu công khai mang số đăng ký %(number)s.") % {"number": inventory_number[:20]})
    address = media_address()
    media = list(item.media.all())
    return ItemOut(
        **card(request, item).model_dump(),
        description=text(item.description_vi, item.description_en),
        document_type=item.document_type,
        document_type_label=str(item.get_document_type_display()) if item.document_type else "",
        number_symbol=item.number_symbol,
        issuing_body=body_ref(item.issuing_body),
        place_of_issue=item.place_of_issue,
        signer=person_ref(item.signer),
        signer_position=item.signer_position,
        recipients=item.recipients,
        period=ref(item.period, item.period.name, item.period.name_en) if item.period else None,
        congress=item.congress.name if item.congress else None,
        bodies=[body_ref(b) for b in item.bodies.all()],
        people=[person_ref(p) for p in item.people.all()],
        keywords=[k.name for k in item.keywords.all()],
        language=item.language,
        page_count=item.page_count,
        material=item.material,
        dimensions=item.dimensions,
        venue=ref(item.venue, item.venue.name, item.venue.name_en) if item.venue else None,
        published_at=item.published_at,
        media=[media_out(request, m, address) for m in media],
    )


# Periods, bodies, venues ---------------------------------------------------------------------------------


def period_out(request: HttpRequest, period) -> PeriodOut:
    return PeriodOut(
        id=period.pk,
        code=period.code,
        number=period.number,
        slug=period.slug,
        name=text(period.name, period.name_en),
        summary=text(period.summary, period.summary_en),
        spans=[SpanOut(start_year=s.start_year, end_year=s.end_year) for s in period.spans.all()],
        url=absolute(request, reverse("exhibits:period_detail", args=[period.slug])),
        items_api_url=absolute(request, reverse("api:item_list") + f"?period={period.pk}"),
    )


@api.get("/periods", response={200: list[PeriodOut], **ERRORS}, url_name="period_list", tags=["registers"])
def period_list(request: HttpRequest):
    """The historical periods in their order, each with its spans of years."""
    return [period_out(request, period) for period in registers.cached_register("periods")]


@api.get("/periods/{slug}", response={200: PeriodOut, **ERRORS}, url_name="period_detail", tags=["registers"])
def period_detail(request: HttpRequest, slug: str = Path(..., pattern=CODE_PATTERN, max_length=120)):
    period = next((p for p in registers.cached_register("periods") if p.slug == slug), None)
    if period is None:
        raise NotFound(_("Không có thời kỳ mang đường dẫn %(slug)s.") % {"slug": slug})
    return period_out(request, period)


def body_out(request: HttpRequest, body: Body) -> BodyOut:
    founded, dissolved = body.founded, body.dissolved
    return BodyOut(
        id=body.pk,
        name=text(body.name, body.name_en),
        short_name=body.short_name,
        kind=body.kind,
        kind_label=str(body.get_kind_display()),
        period_id=body.period_id,
        parent_id=body.parent_id,
        founded=str(founded) if founded else "",
        dissolved=str(dissolved) if dissolved else "",
        summary=text(body.summary, body.summary_en),
        items_api_url=absolute(request, reverse("api:item_list") + f"?body={body.pk}"),
    )


@api.get("/bodies", response={200: BodyPage, **ERRORS}, url_name="body_list", tags=["registers"])
def body_list(request: HttpRequest, q: str | None = SearchText, page: int = PageNumber, page_size: int = PageSize):
    """The party organisations and agencies a public page may name; ``q`` matches their names."""
    bodies = registers.cached_register("bodies")
    words = search_words(search.clean_query(q))
    if words:
        bodies = search.search_bodies(bodies, words, limit=len(bodies))
    listing = page_of(request, bodies, len(bodies), page, page_size)
    return {**listing, "results": [body_out(request, b) for b in listing.pop("rows")]}


@api.get("/bodies/{pk}", response={200: BodyOut, **ERRORS}, url_name="body_detail", tags=["registers"])
def body_detail(request: HttpRequest, pk: int = Path(..., ge=1, le=MAX_ID)):
    body = registers.by_key("bodies").get(pk)
    if body is None:
        raise NotFound(_("Không có tổ chức công khai mang mã số %(pk)d.") % {"pk": pk})
    return body_out(request, body)


@api.get("/venues", response={200: list[VenueOut], **ERRORS}, url_name="venue_list", tags=["registers"])
def venue_list(request: HttpRequest):
    """The Tradition Room and the Tradition House."""
    return [
        VenueOut(
            id=v.pk,
            code=v.code,
            name=text(v.name, v.name_en),
            summary=text(v.summary, v.summary_en),
            address=v.address,
            phone=v.phone,
            email=v.email,
        )
        for v in registers.cached_register("venues")
    ]


# People and positions ------------------------------------------------------------------------------------


def position_out(position: Position) -> PositionOut:
    term = position.term
    return PositionOut(
        id=position.pk,
        person=person_ref(position.person),
        body=body_ref(position.body),
        role=position.role,
        role_label=str(position.get_role_display()),
        is_interim=position.is_interim,
        term=(term.name or term.label()) if term else None,
        start_year=term.start_year if term else None,
        end_year=term.end_year if term else None,
        start_date=position.start_date,
        end_date=position.end_date,
    )


def person_out(request: HttpRequest, person: Person) -> dict:
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "other_names": person.other_names,
        "birth_year": person.birth_year,
        "death_year": person.death_year,
        "hometown": person.hometown,
        "url": absolute(request, reverse("exhibits:person_detail", args=[person.pk])),
        "portrait": absolute(request, reverse("archive:portrait", args=[person.pk])) if person.portrait else None,
    }


def public_people(words: list[str]) -> QuerySet[Person]:
    people = Person.objects.public()
    for word in words:  # as the search page's people (selectors.people_named)
        people = people.filter(folded_name__contains=word)
    return people.order_by("sort_name", "pk")


@api.get("/people", response={200: PersonPage, **ERRORS}, url_name="person_list", tags=["registers"])
def person_list(request: HttpRequest, q: str | None = SearchText, page: int = PageNumber, page_size: int = PageSize):
    """Leaders and the people public items name, by name; ``q`` matches names, diacritics ignored."""
    people = public_people(search_words(search.clean_query(q)))
    listing = page_of(request, people, people.count(), page, page_size)
    return {**listing, "results": [person_out(request, p) for p in listing.pop("rows")]}


@api.get("/people/{pk}", response={200: PersonDetail, **ERRORS}, url_name="person_detail", tags=["registers"])
def person_detail(request: HttpRequest, pk: int = Path(..., ge=1, le=MAX_ID)):
    person = selectors.person_page(pk)
    if person is None:
        raise NotFound(_("Không có nhân vật công khai mang mã số %(pk)d.") % {"pk": pk})
    positions = list(person.positions.all())
    for position in positions:
        position.person = person
    return PersonDetail(
        **person_out(request, person),
        biography=text(person.biography),
        positions=[position_out(p) for p in positions],
    )


@api.get("/positions", response={200: PositionPage, **ERRORS}, url_name="position_list", tags=["registers"])
def position_list(
    request: HttpRequest,
    body: int | None = positive("body"),
    person: int | None = positive("person"),
    page: int = PageNumber,
    page_size: int = PageSize,
):
    """Seats in the bodies' committees, term by term, the secretary first."""
    positions = Position.objects.select_related("person", "body", "term").order_by(
        "body__name", "term__start_year", "role_rank", "person__sort_name", "pk"
    )
    if body:
        positions = positions.filter(body_id=body)
    if person:
        positions = positions.filter(person_id=person)
    listing = page_of(request, positions, positions.count(), page, page_size)
    return {**listing, "results": [position_out(p) for p in listing.pop("rows")]}


# Exhibits ----------------------------------------------------------------------------------------------


def exhibit_out(request: HttpRequest, exhibit: Exhibit) -> dict:
    cover = reverse("exhibits:exhibit_cover", args=[exhibit.slug]) if exhibit.cover_image else None
    return {
        "slug": exhibit.slug,
        "title": text(exhibit.title_vi, exhibit.title_en),
        "summary": text(exhibit.summary_vi, exhibit.summary_en),
        "period_id": exhibit.period_id,
        "featured": exhibit.featured,
        "published_at": exhibit.published_at,
        "url": absolute(request, exhibit.get_absolute_url()),
        "cover": absolute(request, cover) if cover else None,
    }


@api.get("/exhibits", response={200: ExhibitPage, **ERRORS}, url_name="exhibit_list", tags=["exhibits"])
def exhibit_list(request: HttpRequest, q: str | None = SearchText, page: int = PageNumber, page_size: int = PageSize):
    """The published online exhibits in their order; ``q`` matches titles and summaries."""
    exhibits = registers.cached_register("exhibits")
    words = search_words(search.clean_query(q))
    if words:
        exhibits = search.search_exhibits(exhibits, words, limit=len(exhibits))
    listing = page_of(request, exhibits, len(exhibits), page, page_size)
    return {**listing, "results": [exhibit_out(request, e) for e in listing.pop("rows")]}


def block_items(block: ExhibitBlock) -> list[Item]:
    """The public items a block shows: its own item (when public) and its gallery's public items."""
    shown = list(block.items.all())
    if block.item_id and block.item.is_public:
        shown.insert(0, block.item)
    return shown


@api.get("/exhibits/{slug}", response={200: ExhibitDetail, **ERRORS}, url_name="exhibit_detail", tags=["exhibits"])
def exhibit_detail(request: HttpRequest, slug: str = Path(..., pattern=CODE_PATTERN, max_length=120)):
    """A published exhibit with its blocks in order and the public items each shows."""
    exhibit = next((e for e in registers.cached_register("exhibits") if e.slug == slug), None)
    if exhibit is None:
        raise NotFound(_("Không có chuyên đề đã công bố mang đường dẫn %(slug)s.") % {"slug": slug})
    blocks = selectors.exhibit_blocks(exhibit)
    return ExhibitDetail(
        **exhibit_out(request, exhibit),
        blocks=[
            BlockOut(
                position=block.position,
                kind=block.kind,
                heading=text(block.heading_vi, block.heading_en),
                text=text(block.text_vi, block.text_en),
                quote_source=block.quote_source,
                items=[card(request, item) for item in block_items(block)],
            )
            for block in blocks
        ],
    )
