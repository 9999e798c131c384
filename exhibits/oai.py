"""OAI-PMH 2.0 (Open Archives Initiative Protocol for Metadata Harvesting) with ``oai_dc``.

One address answers the six verbs. The records are the public items (``Item.objects.public()``);
an item once published and since withdrawn (``archive.services.item_withdraw``: status withdrawn,
its ``published_at`` kept) is a deleted header, so harvesters drop it; the repository says its
deletions are ``transient``, since a withdrawn item may be published again and an item hidden by
other means (a new embargo, a lowered access level) simply leaves the lists. Nothing else that
is not public is ever named, not even by its identifier.

Sets are the periods (``period:<code>``) and the kinds (``kind:<code>``), each under its parent
(``period``, ``kind``). Lists come a page at a time in the order of the items' keys; the
resumption token is the rest of the request and the last key sent, signed (``django.core.signing``)
and valid for ``TOKEN_LIFETIME``: a token altered or past its time is a ``badResumptionToken``.

Datestamps are UTC to the second: an item's last change, or the start of the day its embargo
lifted when that came later (the item became public then without being saved).
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from archive.models import Item, Period, Venue
from archive.models.items import UNCLASSIFIED, public_condition

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"

ET.register_namespace("", OAI_NS)
ET.register_namespace("oai_dc", OAI_DC_NS)
ET.register_namespace("dc", DC_NS)
ET.register_namespace("xsi", XSI_NS)

#: How long a resumption token is accepted after it was given.
TOKEN_LIFETIME = datetime.timedelta(hours=24)
TOKEN_SALT = "exhibits.oai.resumption"  # noqa: S105 - a signing namespace, not a secret
#: How long a harvester or a shared cache may keep an answer (errors are not kept).
OAI_MAX_AGE = 300

VERBS = ("Identify", "ListMetadataFormats", "ListSets", "GetRecord", "ListIdentifiers", "ListRecords")
#: The arguments each verb takes: (required, optional); ``resumptionToken`` is exclusive.
ARGUMENTS = {
    "Identify": ((), ()),
    "ListMetadataFormats": ((), ("identifier",)),
    "ListSets": ((), ("resumptionToken",)),
    "GetRecord": (("identifier", "metadataPrefix"), ()),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set", "resumptionToken")),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set", "resumptionToken")),
}
METADATA_FORMATS = {"oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS)}

#: The Dublin Core type of each kind (the DCMI Type Vocabulary).
DCMI_TYPES = {
    Item.Kind.DOCUMENT: "Text",
    Item.Kind.PHOTO: "StillImage",
    Item.Kind.ARTIFACT: "PhysicalObject",
    Item.Kind.PUBLICATION: "Text",
    Item.Kind.AUDIO: "Sound",
    Item.Kind.VIDEO: "MovingImage",
}


class OAIError(Exception):
    """An OAI-PMH error condition: its code (the protocol's) and a message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


# Identifiers, datestamps, sets ------------------------------------------------------------------------------


def repository_identifier() -> str:
    """The namespace part of the items' OAI identifiers: the site's host name."""
    return settings.OAI_REPOSITORY_IDENTIFIER or urlsplit(settings.SITE_URL).hostname or "localhost"


def oai_identifier(item: Item) -> str:
    return f"oai:{repository_identifier()}:{item.inventory_number}"


INVENTORY_NUMBER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,19}")


def inventory_number_of(identifier: str) -> str:
    """The inventory number an identifier of this repository names, "" for any other string."""
    prefix = f"oai:{repository_identifier()}:"
    number = identifier.removeprefix(prefix) if identifier.startswith(prefix) else ""
    return number if INVENTORY_NUMBER_RE.fullmatch(number) else ""


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def embargo_start(item: Item) -> datetime.datetime | None:
    if item.embargo_until is None:
        return None
    return datetime.datetime.combine(item.embargo_until, datetime.time(), tzinfo=timezone.get_current_timezone())


def datestamp(item: Item) -> datetime.datetime:
    """When the record last changed for a harvester: its last save, or its embargo's end if later."""
    start = embargo_start(item)
    return max(item.updated_at, start) if start else item.updated_at


def withdrawn_condition() -> Q:
    """Items once published and since withdrawn: deleted records (never a classified one)."""
    return Q(status=Item.Status.WITHDRAWN, published_at__isnull=False) & UNCLASSIFIED


def harvestable() -> QuerySet[Item]:
    """The public items and the withdrawn ones, in the order of their keys."""
    return Item.objects.filter(public_condition() | withdrawn_condition()).select_related("period").order_by("pk")


def set_specs(item: Item) -> list[str]:
    specs = []
    if item.period_id:
        specs.append(f"period:{item.period.code}")
    specs.append(f"kind:{item.kind}")
    return specs


def all_sets() -> list[tuple[str, str]]:
    sets = [("period", _("Theo thời kỳ"))]
    sets += [(f"period:{p.code}", p.display_name) for p in Period.objects.order_by("number")]
    sets.append(("kind", _("Theo loại hình")))
    sets += [(f"kind:{code}", str(label)) for code, label in Item.Kind.choices]
    return sets


def in_set(queryset: QuerySet[Item], spec: str) -> QuerySet[Item]:
    if not SET_SPEC_RE.fullmatch(spec):
        raise OAIError("badArgument", _("Đối số set không hợp lệ; xem danh sách tập hợp bằng verb=ListSets."))
    if spec == "kind":
        return queryset
    if spec == "period":
        return queryset.filter(period__isnull=False)
    family, _sep, code = spec.partition(":")
    if family == "period" and Period.objects.filter(code=code).exists():
        return queryset.filter(period__code=code)
    if family == "kind" and code in Item.Kind.values:
        return queryset.filter(kind=code)
    raise OAIError("badArgument", _("Tập hợp “%(set)s” không có; xem danh sách bằng verb=ListSets.") % {"set": spec})


def parse_moment(value: str, name: str, *, end: bool) -> datetime.datetime:
    """A ``from``/``until`` argument, a day (YYYY-MM-DD) or a UTC second (YYYY-MM-DDThh:mm:ssZ)."""
    try:
        if len(value) == 10:
            day = datetime.date.fromisoformat(value)
            moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time(), tzinfo=datetime.UTC)
            return moment.replace(microsecond=999999 if end else 0)
        if len(value) == 20 and value.endswith("Z") and value[10] == "T":
            return datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
    except ValueError:
        pass
    raise OAIError(
        "badArgument",
        _("Đối số “%(name)s” không hợp lệ: cần dạng YYYY-MM-DD hoặc YYYY-MM-DDThh:mm:ssZ (giờ UTC), có “%(value)s”.")
        % {"name": name, "value": value[:40]},
    )


def in_dates(queryset: QuerySet[Item], since: datetime.datetime | None, until: datetime.datetime | None):
    """Records whose datestamp (``datestamp``) lies from ``since`` to ``until``; an embargo is
    compared by its day in Hà Nội, so on that day's edges a record may be listed once more."""
    local = timezone.get_current_timezone()
    if since is not None:
        queryset = queryset.filter(Q(updated_at__gte=since) | Q(embargo_until__gte=since.astimezone(local).date()))
    if until is not None:
        queryset = queryset.filter(
            Q(updated_at__lte=until),
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=until.astimezone(local).date()),
        )
    return queryset


# Building the answer ------------------------------------------------------------------------------------


#: Characters XML 1.0 cannot hold at all (control characters, surrogates, U+FFFE and U+FFFF).
NOT_XML_RE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(value: str) -> str:
    """``value`` with what XML cannot hold replaced, so an echoed argument never breaks the answer."""
    return NOT_XML_RE.sub("\ufffd", value)


def sub(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attributes.items() if v is not None})
    if text is not None:
        element.text = xml_safe(text)
    return element


def envelope(request: HttpRequest, arguments: dict[str, str]) -> ET.Element:
    root = ET.Element(f"{{{OAI_NS}}}OAI-PMH", {f"{{{XSI_NS}}}schemaLocation": f"{OAI_NS} {OAI_SCHEMA}"})
    sub(root, f"{{{OAI_NS}}}responseDate", utc(timezone.now()))
    sub(root, f"{{{OAI_NS}}}request", base_url(request), **arguments)
    return root


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(request.path)


def header(parent: ET.Element, item: Item) -> None:
    element = sub(parent, f"{{{OAI_NS}}}header", status=None if item.is_public else "deleted")
    sub(element, f"{{{OAI_NS}}}identifier", oai_identifier(item))
    sub(element, f"{{{OAI_NS}}}datestamp", utc(datestamp(item)))
    for spec in set_specs(item):
        sub(element, f"{{{OAI_NS}}}setSpec", spec)


def dublin_core(parent: ET.Element, request: HttpRequest, item: Item) -> None:
    """The item's public elements as unqualified Dublin Core (``oai_dc``)."""
    metadata = sub(parent, f"{{{OAI_NS}}}metadata")
    dc = sub(
        metadata,
        f"{{{OAI_DC_NS}}}dc",
        **{f"{{{XSI_NS}}}schemaLocation": f"{OAI_DC_NS} {OAI_DC_SCHEMA}"},
    )

    def element(name: str, value) -> None:
        if value:
            sub(dc, f"{{{DC_NS}}}{name}", str(value))

    element("title", item.title)
    if item.signer:
        element("creator", item.signer.full_name)
    if item.issuing_body:
        element("creator", item.issuing_body.name)
    for keyword in item.keywords.all():
        element("subject", keyword.name)
    element("description", item.summary)
    element("description", item.description)
    for body in item.bodies.all():
        element("contributor", body.name)
    for person in item.people.all():
        if person.pk != item.signer_id:
            element("contributor", person.full_name)
    element("date", item.date_start.isoformat() if item.date_start and item.date_precision == "day" else "")
    element("date", str(item.partial_date) if item.partial_date and item.date_precision != "day" else "")
    element("type", DCMI_TYPES.get(item.kind, "Text"))
    element("type", item.get_kind_display())
    if item.document_type:
        element("type", item.get_document_type_display())
    for media in item.media.all():
        element("format", media.mime_type)
    element("identifier", request.build_absolute_uri(item.get_absolute_url()))
    element("identifier", item.inventory_number)
    element("identifier", item.number_symbol)
    element("language", item.language if item.language != "other" else "")
    if item.period:
        element("coverage", item.period.name)
    if item.venue:
        element("source", item.venue.name)


def record(parent: ET.Element, request: HttpRequest, item: Item) -> None:
    element = sub(parent, f"{{{OAI_NS}}}record")
    header(element, item)
    if item.is_public:
        dublin_core(element, request, item)


def with_metadata(queryset: QuerySet[Item]) -> QuerySet[Item]:
    """``queryset`` with what the Dublin Core of its items reads, in a fixed number of queries."""
    return queryset.select_related("period", "issuing_body", "signer", "venue").prefetch_related(
        "keywords", "bodies", "people", "media"
    )


# Resumption tokens -----------------------------------------------------------------------------------


def make_token(state: dict) -> str:
    return signing.dumps(state, salt=TOKEN_SALT, compress=True)


def read_token(token: str, verb: str) -> dict:
    try:
        state = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_LIFETIME)
    except signing.SignatureExpired:
        message = _("Mã tiếp tục (resumptionToken) đã hết hạn; hãy bắt đầu lại danh sách.")
        raise OAIError("badResumptionToken", message) from None
    except signing.BadSignature:
        message = _("Mã tiếp tục (resumptionToken) không hợp lệ; hãy dùng đúng mã trong câu trả lời trước.")
        raise OAIError("badResumptionToken", message) from None
    if not isinstance(state, dict) or state.get("verb") != verb:
        raise OAIError(
            "badResumptionToken", _("Mã tiếp tục (resumptionToken) này không dành cho verb=%(verb)s.") % {"verb": verb}
        )
    return state


def token_element(parent: ET.Element, state: dict | None, *, complete: int, cursor: int) -> None:
    """The resumption token of a page: a new one when more follow, an empty one on the last page
    of a list that took more than one."""
    if state is None and cursor == 0:
        return
    expires = utc(timezone.now() + TOKEN_LIFETIME) if state else None
    sub(
        parent,
        f"{{{OAI_NS}}}resumptionToken",
        make_token(state) if state else "",
        expirationDate=expires,
        completeListSize=str(complete) if complete else None,
        cursor=str(cursor),
    )


# The verbs ---------------------------------------------------------------------------------------------


def admin_emails() -> list[str]:
    configured = list(settings.OAI_ADMIN_EMAILS) or list(settings.STAFF_NOTIFICATION_EMAILS)
    if configured:
        return configured
    venues = list(Venue.objects.exclude(email="").values_list("email", flat=True))
    return venues or [parseaddr(settings.DEFAULT_FROM_EMAIL)[1]]


def identify(request: HttpRequest, root: ET.Element, arguments: dict) -> None:
    element = sub(root, f"{{{OAI_NS}}}Identify")
    sub(element, f"{{{OAI_NS}}}repositoryName", _("Phòng Truyền thống Đảng bộ Khối các cơ quan Trung ương"))
    sub(element, f"{{{OAI_NS}}}baseURL", base_url(request))
    sub(element, f"{{{OAI_NS}}}protocolVersion", "2.0")
    for email in admin_emails():
        sub(element, f"{{{OAI_NS}}}adminEmail", email)
    earliest = harvestable().order_by("updated_at").values_list("updated_at", flat=True).first()
    sub(element, f"{{{OAI_NS}}}earliestDatestamp", utc(earliest or timezone.now()))
    sub(element, f"{{{OAI_NS}}}deletedRecord", "transient")
    sub(element, f"{{{OAI_NS}}}granularity", "YYYY-MM-DDThh:mm:ssZ")


def list_metadata_formats(request: HttpRequest, root: ET.Element, arguments: dict) -> None:
    if "identifier" in arguments:
        item_by_identifier(arguments["identifier"])
    element = sub(root, f"{{{OAI_NS}}}ListMetadataFormats")
    for prefix, (schema, namespace) in METADATA_FORMATS.items():
        fmt = sub(element, f"{{{OAI_NS}}}metadataFormat")
        sub(fmt, f"{{{OAI_NS}}}metadataPrefix", prefix)
        sub(fmt, f"{{{OAI_NS}}}schema", schema)
        sub(fmt, f"{{{OAI_NS}}}metadataNamespace", namespace)


def list_sets(request: HttpRequest, root: ET.Element, arguments: dict) -> None:
    if "resumptionToken" in arguments:
        read_token(arguments["resumptionToken"], "ListSets")  # every set fits one answer
        raise OAIError("badResumptionToken", _("Danh sách tập hợp chỉ có một trang; không cần mã tiếp tục."))
    element = sub(root, f"{{{OAI_NS}}}ListSets")
    for spec, name in all_sets():
        entry = sub(element, f"{{{OAI_NS}}}set")
        sub(entry, f"{{{OAI_NS}}}setSpec", spec)
        sub(entry, f"{{{OAI_NS}}}setName", name)


#: What the protocol's schema lets a metadata prefix and a set spec be made of.
PREFIX_RE = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
SET_SPEC_RE = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")


def check_prefix(prefix: str) -> None:
    if not PREFIX_RE.fullmatch(prefix):
        raise OAIError("badArgument", _("Đối số metadataPrefix không hợp lệ; kho chỉ cung cấp oai_dc."))
    if prefix not in METADATA_FORMATS:
        raise OAIError(
            "cannotDisseminateFormat",
            _("Định dạng “%(prefix)s” không có; kho chỉ cung cấp oai_dc.") % {"prefix": prefix[:40]},
        )


def item_by_identifier(identifier: str) -> Item:
    number = inventory_number_of(identifier)
    item = with_metadata(harvestable()).filter(inventory_number=number).first() if number else None
    if item is None:
        raise OAIError(
            "idDoesNotExist",
            _("Không có bản ghi mang định danh “%(identifier)s” trong kho.") % {"identifier": identifier[:200]},
        )
    return item


def get_record(request: HttpRequest, root: ET.Element, arguments: dict) -> None:
    check_prefix(arguments["metadataPrefix"])
    item = item_by_identifier(arguments["identifier"])
    record(sub(root, f"{{{OAI_NS}}}GetRecord"), request, item)


def list_items(request: HttpRequest, root: ET.Element, arguments: dict, verb: str) -> None:
    if "resumptionToken" in arguments:
        state = read_token(arguments["resumptionToken"], verb)
    else:
        check_prefix(arguments["metadataPrefix"])
        state = {"verb": verb, "prefix": arguments["metadataPrefix"], "after": 0, "cursor": 0}
        for name in ("from", "until", "set"):
            if name in arguments:
                state[name] = arguments[name]
    since = parse_moment(state["from"], "from", end=False) if "from" in state else None
    until = parse_moment(state["until"], "until", end=True) if "until" in state else None
    if since and until and since > until:
        raise OAIError("badArgument", _("Đối số “from” phải trước hoặc bằng “until”."))
    if "from" in state and "until" in state and len(state["from"]) != len(state["until"]):
        raise OAIError("badArgument", _("Đối số “from” và “until” phải cùng một dạng (ngày, hoặc ngày giờ UTC)."))
    matching = in_dates(harvestable(), since, until)
    if "set" in state:
        matching = in_set(matching, state["set"])
    complete = matching.count()
    if not complete:
        raise OAIError("noRecordsMatch", _("Không có bản ghi nào khớp các đối số đã cho."))
    page = matching.filter(pk__gt=state["after"])
    if verb == "ListRecords":
        page = with_metadata(page)
    size = settings.OAI_PAGE_SIZE
    items = list(page[: size + 1])
    more = len(items) > size
    items = items[:size]
    if not items:
        raise OAIError("badResumptionToken", _("Mã tiếp tục (resumptionToken) không còn bản ghi nào; hãy bắt đầu lại."))
    element = sub(root, f"{{{OAI_NS}}}{verb}")
    for item in items:
        if verb == "ListRecords":
            record(element, request, item)
        else:
            header(element, item)
    following = {**state, "after": items[-1].pk, "cursor": state["cursor"] + len(items)} if more else None
    token_element(element, following, complete=complete, cursor=state["cursor"])


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": lambda request, root, arguments: list_items(request, root, arguments, "ListIdentifiers"),
    "ListRecords": lambda request, root, arguments: list_items(request, root, arguments, "ListRecords"),
}


def check_arguments(params) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, or the protocol's error for what is wrong with them."""
    for name in params:
        if len(params.getlist(name)) > 1:
            message = _("Đối số “%(name)s” được nhắc lại; mỗi đối số chỉ một lần.") % {"name": name[:40]}
            raise OAIError("badArgument", message)
    verb = params.get("verb", "")
    if verb not in VERBS:
        if not verb:
            raise OAIError("badVerb", _("Thiếu đối số verb; dùng một trong: %(verbs)s.") % {"verbs": ", ".join(VERBS)})
        message = _("Verb “%(verb)s” không có; dùng một trong: %(verbs)s.")
        raise OAIError("badVerb", message % {"verb": verb[:40], "verbs": ", ".join(VERBS)})
    required, optional = ARGUMENTS[verb]
    arguments = {name: value for name, value in params.items() if name != "verb"}
    unknown = [name for name in arguments if name not in required and name not in optional]
    if unknown:
        names = ", ".join(name[:40] for name in unknown)
        raise OAIError("badArgument", _("Verb %(verb)s không nhận đối số %(names)s.") % {"verb": verb, "names": names})
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OAIError("badArgument", _("Đối số resumptionToken phải đứng một mình (chỉ kèm verb)."))
        return verb, arguments
    missing = [name for name in required if name not in arguments]
    if missing:
        raise OAIError(
            "badArgument", _("Verb %(verb)s cần đối số %(names)s.") % {"verb": verb, "names": ", ".join(missing)}
        )
    return verb, arguments


def xml_response(root: ET.Element, *, cacheable: bool) -> HttpResponse:
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    response = HttpResponse(body, content_type="text/xml; charset=utf-8")
    if cacheable:
        patch_cache_control(response, public=True, max_age=OAI_MAX_AGE)
    else:
        patch_cache_control(response, no_cache=True)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    """The OAI-PMH base URL: GET, or POST with the arguments form-encoded, as the protocol allows."""
    params = request.POST if request.method == "POST" else request.GET
    try:
        verb, arguments = check_arguments(params)
    except OAIError as error:
        return error_response(request, {}, error)
    request_attributes = {"verb": verb, **arguments}
    root = envelope(request, request_attributes)
    try:
        HANDLERS[verb](request, root, arguments)
    except OAIError as error:
        return error_response(request, request_attributes if error.code != "badArgument" else {}, error)
    return xml_response(root, cacheable=request.method != "POST")


def error_response(request: HttpRequest, attributes: dict, error: OAIError) -> HttpResponse:
    """The protocol's error answer; the request element echoes the arguments only when they were
    valid, as the protocol asks for badVerb and badArgument."""
    root = envelope(request, attributes)
    sub(root, f"{{{OAI_NS}}}error", error.message, code=error.code)
    return xml_response(root, cacheable=False)
