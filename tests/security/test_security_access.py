"""Who may open which address: every URL pattern of the project against a table of rules.

The patterns are enumerated from the URL resolver (the admin's, the language-prefixed ones and all
others), so an address added without a rule fails `test_every_url_pattern_has_a_rule`. Each rule is
then checked, with concrete URLs built from a small world of objects, for an anonymous visitor, a
member of each staff group and the superuser.

Rules:
- ``Public``: everyone gets it (a non-public object behind it is covered by its own case);
- ``Token``: everyone holding the secret link; a forged token is a 404 for all;
- ``Staff(perms)``: active staff holding every permission (the superuser holds all); anonymous
  visitors are sent to the admin login (or get a 404 where ``hidden``), staff without them a 403;
- ``AppStaff(app)``: staff holding any permission of the app (the admin's app index);
- admin model pages follow one family table (`ADMIN_FAMILIES`): changelist, change, history and
  export need ``view``, add and import need ``add``, delete needs ``delete`` of that model.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from PIL import Image

from archive import processing
from archive.models import (
    Body,
    Congress,
    Contribution,
    ContributionFile,
    Dossier,
    FixityRun,
    Institution,
    Item,
    Keyword,
    MediaFile,
    OfflineTransfer,
    PageText,
    Period,
    Person,
    Position,
    PreservationEvent,
    Term,
    TransferPackage,
    Venue,
)
from exhibits.models import Exhibit

PASSWORD = "mật-khẩu-thử-12345"
PERSONAL_DATA_PERMISSIONS = ("bookings.change_booking", "bookings.change_waitingentry", "archive.change_contribution")
ROLES = ("anonymous", "propaganda_user", "office_user", "leadership_user", "superuser", "member", "researcher")


def jpeg(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (120, 20, 20)).save(buffer, "JPEG")
    return buffer.getvalue()


# The URL patterns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or for unnamed patterns the view's dotted path
    route: str


def walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            if entry.name:
                key = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                key = f"{namespace}:{entry.lookup_str}" if namespace else entry.lookup_str
            yield Pattern(key, prefix + str(entry.pattern))


def all_patterns() -> list[Pattern]:
    return list(walk(get_resolver().url_patterns))


# Rules ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Public:
    ok: tuple[int, ...] = (200,)

    def allows(self, user) -> bool:
        return True

    def describe(self) -> str:
        return "public"


@dataclass(frozen=True)
class Token(Public):
    def describe(self) -> str:
        return "token-protected"


@dataclass(frozen=True)
class Staff:
    perms: tuple[str, ...] = ()
    ok: tuple[int, ...] = (200,)
    hidden: bool = False  # refused with a 404 (the object's existence is not revealed)
    anonymous_to: str = "/admin/login/"  # where an anonymous visitor is sent

    def allows(self, user) -> bool:
        return bool(user.is_authenticated and user.is_staff and user.has_perms(self.perms))

    def describe(self) -> str:
        return "staff with " + ", ".join(self.perms) if self.perms else "any staff"


@dataclass(frozen=True)
class AppStaff(Staff):
    app: str = ""

    def allows(self, user) -> bool:
        return bool(user.is_authenticated and user.is_staff and user.has_module_perms(self.app))


@dataclass(frozen=True)
class Nobody(Staff):
    """Refused even to the superuser (e.g. adding an axes record by hand)."""

    def allows(self, user) -> bool:
        return False


def SUPERUSER(**kwargs) -> Staff:  # noqa: N802 - reads as a rule in the table
    return Staff(perms=("auth.change_user", "auth.change_group"), **kwargs)


@dataclass
class Case:
    url: Callable[[World], str]
    rule: object
    label: str = ""


@dataclass
class World:
    """One object of each kind the URL patterns need."""

    period: Period
    public_item: Item
    draft_item: Item
    public_media: MediaFile
    draft_media: MediaFile
    leader: Person
    donor: Person
    contribution_file: ContributionFile
    exhibit: Exhibit
    draft_exhibit: Exhibit
    booking: object
    schedule: object
    waiting_entry: object
    attachment: object
    expense: object
    objects: dict[type, object] = field(default_factory=dict)


GET_OK_OR_REDIRECT = (200, 301, 302)

# Named public and staff pages outside the admin: url name -> cases.
RULES: dict[str, list[Case]] = {
    "healthz": [Case(lambda w: "/healthz", Public())],
    "set_language": [Case(lambda w: "/i18n/setlang/", Public(ok=(302,)))],
    "traditions.views.favicon": [Case(lambda w: "/favicon.ico", Public(ok=(301,)))],
    # The upgrades' staff pages and attachments.
    **{
        f"upgrades:{name}": [
            Case(url, Staff(("upgrades.view_workitem", "upgrades.view_budgetline", "upgrades.view_expense")))
        ]
        for name, url in {
            "dashboard": lambda w: reverse("upgrades:dashboard"),
            "report": lambda w: reverse("upgrades:report"),
            "export": lambda w: reverse("upgrades:export"),
            "attachment": lambda w: reverse("upgrades:attachment", args=[w.attachment.pk]),
            "expense_attachment": lambda w: reverse("upgrades:expense_attachment", args=[w.expense.pk]),
        }.items()
    },
    # The archive's stored files.
    "archive:media": [
        *[
            Case(
                lambda w, v=variant: reverse("archive:media", args=[w.public_media.pk, v]),
                Public(),
                f"public {variant}",
            )
            for variant in ("original", "thumbnail", "medium", "large")
        ],
        *[
            Case(
                lambda w, v=variant: reverse("archive:media", args=[w.draft_media.pk, v]),
                Staff(("archive.view_item",), hidden=True),
                f"draft {variant}",
            )
            for variant in ("original", "thumbnail", "medium", "large")
        ],
    ],
    "archive:media_iiif_info": [
        Case(lambda w: reverse("archive:media_iiif_info", args=[w.public_media.pk, 0]), Public(), "public"),
        Case(
            lambda w: reverse("archive:media_iiif_info", args=[w.draft_media.pk, 0]),
            Staff(("archive.view_item",), hidden=True),
            "draft",
        ),
    ],
    "archive:media_tile": [
        Case(lambda w: first_tile(w.public_media), Public(), "public"),
        Case(lambda w: first_tile(w.draft_media), Staff(("archive.view_item",), hidden=True), "draft"),
    ],
    "archive:portrait": [
        Case(lambda w: reverse("archive:portrait", args=[w.leader.pk]), Public(), "leader"),
        Case(
            lambda w: reverse("archive:portrait", args=[w.donor.pk]),
            Staff(("archive.view_person",), hidden=True),
            "donor",
        ),
    ],
    "archive:institution_logo": [Case(lambda w: reverse("archive:institution_logo"), Public())],
    "admin:archive_offlinetransfer_package": [
        Case(
            lambda w: reverse("admin:archive_offlinetransfer_package", args=[w.objects[OfflineTransfer].pk]),
            Staff(("archive.change_offlinetransfer",)),
        )
    ],
    # One person's data on request (Nghị định 13/2023/NĐ-CP): staff who handle bookings and contributions.
    "personal_data": [Case(lambda w: reverse("personal_data"), Staff(PERSONAL_DATA_PERMISSIONS))],
    "personal_data_export": [
        Case(
            lambda w: reverse("personal_data_export", args=["json"]) + "?email=cho@example.org",
            Staff(PERSONAL_DATA_PERMISSIONS),
        )
    ],
    "personal_data_erase": [
        Case(lambda w: reverse("personal_data_erase"), Staff(PERSONAL_DATA_PERMISSIONS, ok=(405,)))
    ],
    "archive:contribution_file": [
        Case(
            lambda w: reverse("archive:contribution_file", args=[w.contribution_file.pk]),
            Staff(("archive.view_contribution",)),
        )
    ],
    # Captions of a media file and the IIIF manifests: the same rule as the item's files.
    "archive:media_captions": [
        Case(lambda w: captions_of(w.public_media), Public(), "public"),
        Case(lambda w: captions_of(w.draft_media), Staff(("archive.view_item",), hidden=True), "draft"),
    ],
    "archive:iiif_manifest": [
        Case(lambda w: reverse("archive:iiif_manifest", args=[w.public_item.inventory_number]), Public(), "public"),
        Case(
            lambda w: reverse("archive:iiif_manifest", args=[w.draft_item.inventory_number]),
            Staff(("archive.view_item",), hidden=True),
            "draft",
        ),
    ],
    # Search inside an item's pages answers whoever may see its manifest, and no one else.
    "archive:iiif_search": [
        Case(lambda w: reverse("archive:iiif_search", args=[w.public_item.inventory_number]), Public(), "public"),
        Case(
            lambda w: reverse("archive:iiif_search", args=[w.draft_item.inventory_number]),
            Staff(("archive.view_item",), hidden=True),
            "draft",
        ),
    ],
    "archive:iiif_period": [Case(lambda w: reverse("archive:iiif_period", args=[w.period.slug]), Public())],
    "archive:iiif_periods": [Case(lambda w: reverse("archive:iiif_periods"), Public())],
    # Visit bookings: the public form, the booker's secret links, staff's venue feed.
    "bookings:book": [Case(lambda w: reverse("bookings:book"), Public())],
    **{
        f"bookings:{name}": [Case(lambda w, n=name: reverse(f"bookings:{n}", args=[w.booking.manage_token()]), Token())]
        for name in ("done", "manage", "cancel", "new_date", "booking_ics")
    },
    "bookings:wait": [Case(lambda w: reverse("bookings:wait"), Public())],
    "bookings:claim": [Case(lambda w: reverse("bookings:claim", args=[w.waiting_entry.claim_token()]), Token())],
    "bookings:venue_feed": [
        Case(
            lambda w: reverse("bookings:venue_feed", args=[w.schedule.venue.code]) + f"?token={w.schedule.feed_token}",
            Token(),
        )
    ],
    # The public site.
    **{
        f"exhibits:{name}": [Case(lambda w, n=name: reverse(f"exhibits:{n}"), Public())]
        for name in (
            "home",
            "period_list",
            "timeline",
            "leaders",
            "item_list",
            "search",
            "exhibit_list",
            "videos",
            "visit",
            "contribute",
            "contribute_done",
            "sitemap",
            "robots",
        )
    },
    "exhibits:sitemap_section": [
        Case(lambda w: reverse("exhibits:sitemap_section", args=["items"]), Public(), "items"),
        Case(lambda w: reverse("exhibits:sitemap_section", args=["people"]), Public(), "people"),
    ],
    "exhibits:person_detail": [
        Case(lambda w: reverse("exhibits:person_detail", args=[w.leader.pk]), Public(), "leader"),
        Case(lambda w: reverse("exhibits:person_detail", args=[w.donor.pk]), Nobody(hidden=True), "donor"),
    ],
    "exhibits:period_detail": [Case(lambda w: reverse("exhibits:period_detail", args=[w.period.slug]), Public())],
    "exhibits:item_detail": [
        Case(lambda w: reverse("exhibits:item_detail", args=[w.public_item.inventory_number]), Public(), "public"),
        Case(
            lambda w: reverse("exhibits:item_detail", args=[w.draft_item.inventory_number]),
            Nobody(hidden=True),
            "draft",
        ),
    ],
    "exhibits:item_qr": [
        Case(lambda w: reverse("exhibits:item_qr", args=[w.public_item.inventory_number]), Public(), "public"),
        Case(lambda w: reverse("exhibits:item_qr", args=[w.draft_item.inventory_number]), Nobody(hidden=True), "draft"),
    ],
    # The QR label sheet of the item list's action: staff who may view items.
    "exhibits:qr_labels": [
        Case(lambda w: reverse("exhibits:qr_labels") + f"?ids={w.public_item.pk}", Staff(("archive.view_item",)))
    ],
    "exhibits:short": [
        Case(lambda w: reverse("exhibits:short", args=[w.public_item.inventory_number]), Public(ok=(302,)), "public"),
        Case(lambda w: reverse("exhibits:short", args=[w.draft_item.inventory_number]), Nobody(hidden=True), "draft"),
    ],
    "exhibits:media": [
        Case(lambda w: reverse("exhibits:media", args=[w.public_media.pk, "large"]), Public(), "public"),
        Case(
            lambda w: reverse("exhibits:media", args=[w.draft_media.pk, "original"]),
            Staff(("archive.view_item",), hidden=True),
            "draft",
        ),
    ],
    **{
        f"exhibits:{name}": [
            Case(lambda w, n=name: reverse(f"exhibits:{n}", args=[w.exhibit.slug]), Public(), "published"),
            Case(
                lambda w, n=name: reverse(f"exhibits:{n}", args=[w.draft_exhibit.slug]),
                # A draft exhibit is previewed by staff who may view exhibits; its QR code by nobody.
                Nobody(hidden=True) if name == "exhibit_qr" else Staff(("exhibits.view_exhibit",), hidden=True),
                "draft",
            ),
        ]
        for name in ("exhibit_detail", "exhibit_print", "exhibit_qr", "exhibit_cover")
    },
    # The admin site's own pages.
    "admin:index": [Case(lambda w: reverse("admin:index"), Staff())],
    "admin:login": [Case(lambda w: reverse("admin:login"), Public(ok=(200, 302)))],
    # Logging out takes a POST: staff get a 405 for a GET, visitors are sent to the admin's index.
    "admin:logout": [Case(lambda w: reverse("admin:logout"), Staff(ok=(405,), anonymous_to="/admin/"))],
    "admin:password_change": [Case(lambda w: reverse("admin:password_change"), Staff())],
    "admin:password_change_done": [Case(lambda w: reverse("admin:password_change_done"), Staff())],
    "admin:autocomplete": [
        Case(
            lambda w: reverse("admin:autocomplete") + "?app_label=archive&model_name=item&field_name=signer&term=a",
            Staff(("archive.view_person",)),
        )
    ],
    "admin:jsi18n": [Case(lambda w: reverse("admin:jsi18n"), Staff())],
    "admin:view_on_site": [
        Case(
            lambda w: reverse(
                "admin:view_on_site", args=[ContentType.objects.get_for_model(Item).pk, w.public_item.pk]
            ),
            Staff(ok=(302,)),
        )
    ],
    "admin:app_list": [
        Case(lambda w, a=app: reverse("admin:app_list", args=[a]), AppStaff(app=app), app)
        for app in ("auth", "axes", "archive", "exhibits", "bookings", "upgrades")
    ],
    "admin:django.contrib.admin.sites.AdminSite.catch_all_view": [
        Case(lambda w: "/admin/khong-co-trang-nay/", Staff(ok=(404,)))
    ],
    "admin:auth_user_password_change": [
        Case(
            lambda w: reverse("admin:auth_user_password_change", args=[w.objects[get_user_model()].pk]),
            Staff(("auth.change_user",)),
        )
    ],
    # The bookings' staff views in the admin.
    "admin:bookings_booking_calendar": [
        Case(lambda w: reverse("admin:bookings_booking_calendar"), Staff(("bookings.view_booking",)))
    ],
    "admin:bookings_booking_statistics": [
        Case(lambda w: reverse("admin:bookings_booking_statistics"), Staff(("bookings.view_booking",)))
    ],
    "admin:bookings_booking_export": [
        Case(lambda w: reverse("admin:bookings_booking_export", args=["xlsx"]), Staff(("bookings.view_booking",)))
    ],
    # Staff's printouts of a visit's programme (the running order names an admission's new members).
    "admin:bookings_booking_guide_sheet": [
        Case(
            lambda w: reverse("admin:bookings_booking_guide_sheet") + f"?date={w.booking.date.isoformat()}",
            Staff(("bookings.view_booking",)),
        )
    ],
    **{
        f"admin:bookings_booking_{name}": [
            Case(
                lambda w, n=name: reverse(f"admin:bookings_booking_{n}", args=[w.booking.pk]),
                Staff(("bookings.view_booking",)),
            )
        ]
        for name in ("running_order", "leaflet")
    },
    # Moving a visit to another slot is a change of the booking.
    "admin:bookings_booking_move": [
        Case(
            lambda w: reverse("admin:bookings_booking_move", args=[w.booking.pk]),
            Staff(("bookings.change_booking",)),
        )
    ],
    # Batch ingest (archive.admin_batches): uploading needs adding items and media files; a
    # confirmed batch's report, viewing items.
    "admin:archive_item_batch_ingest": [
        Case(lambda w: reverse("admin:archive_item_batch_ingest"), Staff(("archive.add_item", "archive.add_mediafile")))
    ],
    "admin:archive_item_batch_template": [
        Case(
            lambda w: reverse("admin:archive_item_batch_template", args=["csv"]),
            Staff(("archive.add_item", "archive.add_mediafile")),
        )
    ],
    "admin:archive_item_batch_report": [
        Case(
            lambda w: reverse("admin:archive_item_batch_report", args=[confirmed_batch().pk]),
            Staff(("archive.view_item",)),
        )
    ],
    # A transfer package's zip, for staff who may see packages.
    "admin:archive_transferpackage_download": [
        Case(
            lambda w: reverse("admin:archive_transferpackage_download", args=[w.objects[TransferPackage].pk]),
            Staff(("archive.view_transferpackage",)),
        )
    ],
}


def confirmed_batch():
    """A batch whose files have all been unpacked, for its report page."""
    from archive.models import IngestBatch

    batch = IngestBatch.objects.filter(archive_name="lo-kiem-tra.zip").first()
    return batch or IngestBatch.objects.create(
        archive_name="lo-kiem-tra.zip", sheet_name="lo-kiem-tra.csv", sheet="batches/lo-kiem-tra.csv", status="done"
    )


# The public API (exhibits.api), OAI-PMH, the feed and the embeddable views: the pages' public rule
# for every role, staff included; an object that is not public is a 404, as its page is to visitors.
RULES.update(
    {
        **{
            f"api:{name}": [Case(lambda w, n=name: reverse(f"api:{n}"), Public())]
            for name in (
                "openapi-json",
                "openapi-view",
                "item_list",
                "period_list",
                "body_list",
                "venue_list",
                "person_list",
                "position_list",
                "exhibit_list",
            )
        },
        "api:api-root": [Case(lambda w: reverse("api:api-root"), Public(ok=(404,)))],
        # OAI-PMH (exhibits.oai): errors, a withheld record among them, are 200 answers of the protocol.
        "oai": [
            Case(lambda w: reverse("oai") + "?verb=Identify", Public(), "identify"),
            Case(lambda w: reverse("oai") + "?verb=ListRecords&metadataPrefix=oai_dc", Public(), "records"),
        ],
        "api:item_detail": [
            Case(lambda w: reverse("api:item_detail", args=[w.public_item.inventory_number]), Public(), "public"),
            Case(
                lambda w: reverse("api:item_detail", args=[w.draft_item.inventory_number]),
                Nobody(hidden=True),
                "draft",
            ),
        ],
        # The Atom feed and the views other sites may frame (exhibits.feeds, exhibits.embed).
        "exhibits:feed": [Case(lambda w: reverse("exhibits:feed"), Public())],
        "exhibits:embed_latest": [Case(lambda w: reverse("exhibits:embed_latest"), Public())],
        "exhibits:embed_exhibit": [
            Case(lambda w: reverse("exhibits:embed_exhibit", args=[w.exhibit.slug]), Public(), "published"),
            Case(
                lambda w: reverse("exhibits:embed_exhibit", args=[w.draft_exhibit.slug]),
                Nobody(hidden=True),
                "draft",
            ),
        ],
        "api:period_detail": [Case(lambda w: reverse("api:period_detail", args=[w.period.slug]), Public())],
        "api:body_detail": [Case(lambda w: reverse("api:body_detail", args=[w.objects[Body].pk]), Public())],
        "api:person_detail": [
            Case(lambda w: reverse("api:person_detail", args=[w.leader.pk]), Public(), "leader"),
            Case(lambda w: reverse("api:person_detail", args=[w.donor.pk]), Nobody(hidden=True), "donor"),
        ],
        "api:exhibit_detail": [
            Case(lambda w: reverse("api:exhibit_detail", args=[w.exhibit.slug]), Public(), "published"),
            Case(lambda w: reverse("api:exhibit_detail", args=[w.draft_exhibit.slug]), Nobody(hidden=True), "draft"),
        ],
    }
)

# Admin model pages: name suffix -> (the permission's action, how to build the URL, allowed statuses).
ADMIN_FAMILIES: dict[str, tuple[str, str, tuple[int, ...]]] = {
    "changelist": ("view", "list", (200,)),
    "add": ("add", "list", (200,)),
    "change": ("view", "object", (200,)),
    "history": ("view", "object", (200,)),
    "simple_history": ("view", "history", (200,)),
    "delete": ("delete", "object", (200,)),
    "export": ("view", "list", (200,)),
    "import": ("add", "list", (200,)),
    # The second step of an import takes a POST of the first step's result: any staff member's
    # GET is refused (405) before permissions are looked at; the first step needs ``add``.
    "process_import": ("", "list", (405,)),
    "import_template": ("add", "template", (200,)),
    # admin/<app>/<model>/<id>/ redirects any staff member to the change page, which checks.
    "redirect": ("", "object", (301, 302)),
}

# Where the admin deliberately departs from its family (each says why).
ADMIN_EXCEPTIONS: dict[str, object] = {
    # The institution is one record, edited in place by superusers: its list opens it, none is added or deleted.
    "admin:archive_institution_changelist": Staff(("archive.view_institution",), ok=(302,)),
    "admin:archive_institution_add": Nobody(),
    "admin:archive_institution_delete": Nobody(),
    # An export to the offline system is made by the item list's confirmed action and kept as a record.
    "admin:archive_offlinetransfer_add": Nobody(),
    "admin:archive_offlinetransfer_delete": Nobody(),
    # django-axes keeps its records read-only: nobody adds or edits an access attempt by hand.
    "admin:axes_accessattempt_add": Nobody(),
    "admin:axes_accesslog_add": Nobody(),
    "admin:axes_accessfailurelog_add": Nobody(),
    # Media files are added on their item's page (the inline), where the upload is inspected.
    "admin:archive_mediafile_add": Nobody(),
    # Committees join the waiting list from the booking form, under the venue's lock.
    "admin:bookings_waitingentry_add": Nobody(),
    # Preservation records are written by the audit, the media job and the packaging, never by hand;
    # packages are requested from the item, dossier and period lists.
    "admin:archive_fixityrun_add": Nobody(),
    "admin:archive_fixityrun_delete": Nobody(),
    "admin:archive_preservationevent_add": Nobody(),
    "admin:archive_preservationevent_delete": Nobody(),
    "admin:archive_transferpackage_add": Nobody(),
    # Page text is read from the files by the media job; staff correct it, never add it by hand.
    "admin:archive_pagetext_add": Nobody(),
}


def admin_models() -> dict[str, type]:
    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


def admin_family(pattern: Pattern) -> tuple[type, str] | None:
    """The model and family of an admin model page, from its name or (unnamed) its route."""
    models = admin_models()
    if pattern.key.startswith("admin:") and pattern.key.endswith("RedirectView"):
        match = re.match(r"admin/(\w+)/(\w+)/<path:object_id>/$", pattern.route)
        return (models[f"{match[1]}_{match[2]}"], "redirect") if match else None
    name = pattern.key.removeprefix("admin:")
    for prefix, model in sorted(models.items(), key=lambda kv: -len(kv[0])):
        if name.startswith(prefix + "_"):
            suffix = name[len(prefix) + 1 :]
            if suffix in ADMIN_FAMILIES:
                return model, suffix
    return None


def admin_cases(pattern: Pattern, world: World) -> list[Case]:
    model, family = admin_family(pattern)
    action, shape, ok = ADMIN_FAMILIES[family]
    opts = model._meta
    perms = (f"{opts.app_label}.{action}_{opts.model_name}",) if action else ()
    rule = ADMIN_EXCEPTIONS.get(pattern.key) or Staff(perms, ok=ok)
    obj = world.objects[model]
    base = f"/admin/{opts.app_label}/{opts.model_name}/"

    def url(w: World) -> str:
        if shape == "list":
            return reverse(pattern.key) if family not in ("redirect",) else base
        if shape == "template":
            return reverse(pattern.key, args=["csv"])
        if shape == "history":
            record = obj.history.order_by("history_id").first()
            return f"{base}{obj.pk}/history/{record.history_id}/"
        if family == "redirect":
            return f"{base}{obj.pk}/"
        return reverse(pattern.key, args=[obj.pk])

    return [Case(url, rule, family)]


def cases_for(pattern: Pattern, world: World) -> list[Case]:
    if pattern.key in RULES:
        return RULES[pattern.key]
    if admin_family(pattern):
        return admin_cases(pattern, world)
    raise KeyError(pattern.key)


def test_every_url_pattern_has_a_rule():
    """A new address must come with its rule here (or be an admin model page of a known family)."""
    missing = [p for p in all_patterns() if p.key not in RULES and not admin_family(p)]
    assert not missing, "URL patterns without an access rule: " + ", ".join(f"{p.key} ({p.route})" for p in missing)
    unused = set(RULES) - {p.key for p in all_patterns()}
    assert not unused, f"Rules for addresses that no longer exist: {sorted(unused)}"


def test_the_resolver_walk_sees_the_admin_the_language_prefixed_and_the_file_patterns():
    keys = {p.key for p in all_patterns()}
    assert {"admin:archive_item_change", "exhibits:item_detail", "bookings:manage", "archive:media"} <= keys
    assert not any(p.route.startswith("^media/") or p.route.startswith("media/") for p in all_patterns())
    assert len(keys) > 200


# The world ---------------------------------------------------------------------------------------


def _image(item: Item, name: str) -> MediaFile:
    media = MediaFile(
        item=item, kind=MediaFile.Kind.IMAGE, mime_type="image/jpeg", original_name=name, size=10, sha256="0" * 64
    )
    media.file.save("a.jpg", ContentFile(jpeg()), save=False)
    for variant in ("thumbnail", "medium", "large"):
        getattr(media, variant).save(f"{variant}.jpg", ContentFile(jpeg(20, 15)), save=False)
    media.is_primary = True
    media.save()
    processing.media_file_process(media_file_id=media.pk)  # its deep-zoom tiles
    media.refresh_from_db()
    return media


def first_tile(media: MediaFile) -> str:
    """The address of one stored tile of a media file's picture."""
    from django.core.files.storage import default_storage

    prefix = f"{media.tiles}/0"
    (region,) = default_storage.listdir(prefix)[0][:1]
    (size,) = default_storage.listdir(f"{prefix}/{region}")[0][:1]
    return reverse("archive:media_tile", args=[media.pk, 0, region, size])


def captions_of(media: MediaFile) -> str:
    """The address of a media file's Vietnamese captions, made the first time they are asked for."""
    from archive.models import CaptionTrack

    if not CaptionTrack.objects.filter(media_file=media, language="vi").exists():
        track = CaptionTrack(media_file=media, language="vi", original_name="phu-de.vtt", text="Xin chào")
        track.file.save("phu-de.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\nXin ch\xc3\xa0o\n"))
    return reverse("archive:media_captions", args=[media.pk, "vi"])


def build_world(users: dict) -> World:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from bookings import demo as bookings_demo
    from bookings.models import Booking, ClosedDay, Programme, VenueSchedule, WaitingEntry
    from upgrades import demo as upgrades_demo
    from upgrades.models import BudgetLine, Expense, WorkItem, WorkItemAttachment

    bookings_demo.seed(io.StringIO())
    upgrades_demo.seed(io.StringIO())
    period = Period.objects.order_by("number").first()
    body = Body.objects.order_by("pk").first()
    congress = Congress.objects.create(body=body, number=1, name="Đại hội thử", held_from=datetime.date(1950, 3, 1))
    term = Term.objects.create(body=body, start_year=1950, end_year=1955, congress=congress)
    leader = Person.objects.create(full_name="Nguyễn Văn Lãnh Đạo")
    leader.portrait.save("leader.jpg", ContentFile(jpeg()))
    Position.objects.create(person=leader, body=body, term=term, role=Position._meta.get_field("role").choices[0][0])
    donor = Person.objects.create(full_name="Trần Thị Hiến Tặng")
    donor.portrait.save("donor.jpg", ContentFile(jpeg()))
    keyword = Keyword.objects.create(name="an ninh")
    dossier = Dossier.objects.create(code="HS-01", title="Hồ sơ thử")
    public_item = Item(title="Nghị quyết công khai", status=Item.Status.PUBLISHED, access_level=Item.AccessLevel.PUBLIC)
    public_item.period = period
    public_item.save()
    draft_item = Item(title="Bản thảo mật", status=Item.Status.DRAFT, access_level=Item.AccessLevel.PUBLIC)
    draft_item.save()
    public_media = _image(public_item, "cong-khai.jpg")
    draft_media = _image(draft_item, "ban-thao.jpg")
    contribution = Contribution.objects.create(
        contributor_name="Lê Văn Góp", description="Ảnh cũ", consent=True, phone="0912345678", organisation="C"
    )
    contribution_file = ContributionFile(
        contribution=contribution, original_name="anh.jpg", mime_type="image/jpeg", size=10, sha256="1" * 64
    )
    contribution_file.file.save("anh.jpg", ContentFile(jpeg()), save=False)
    contribution_file.save()
    exhibit = Exhibit.objects.create(title="Chuyên đề công bố", slug="cong-bo", status=Exhibit.Status.PUBLISHED)
    exhibit.cover_image.save("cover.jpg", ContentFile(jpeg()))
    draft_exhibit = Exhibit.objects.create(title="Chuyên đề nháp", slug="nhap", status=Exhibit.Status.DRAFT)
    draft_exhibit.cover_image.save("cover.jpg", ContentFile(jpeg()))
    schedule = VenueSchedule.objects.order_by("pk").first()
    booking = Booking.objects.order_by("pk").first()
    waiting_entry = WaitingEntry.objects.create(
        venue=booking.venue,
        date=booking.date,
        start_time=booking.start_time,
        organisation_name="Chi bộ chờ chỗ",
        contact_name="Đỗ Văn Chờ",
        contact_position="Bí thư Chi bộ",
        phone="0912345678",
        email="cho@example.org",
        group_size=5,
        occasion="chapter_meeting",
        consent=True,
        status=WaitingEntry.Status.OFFERED,
        offered_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
        offer_expires_at=datetime.datetime(2099, 1, 2, tzinfo=datetime.UTC),
    )
    work_item = WorkItem.objects.order_by("pk").first()
    attachment = WorkItemAttachment(work_item=work_item, kind="quote", title="Báo giá")
    attachment.file.save("bao-gia.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    attachment.save()
    expense = Expense.objects.order_by("pk").first()
    expense.attachment.save("hoa-don.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    attempt = AccessAttempt.objects.create(
        username="x", ip_address="10.0.0.1", user_agent="t", path_info="/admin/login/", failures_since_start=1
    )
    log = AccessLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="t", path_info="/admin/login/")
    failure = AccessFailureLog.objects.create(
        username="x", ip_address="10.0.0.1", user_agent="t", path_info="/admin/login/", locked_out=False
    )
    fixity_run = FixityRun.objects.create()
    event = PreservationEvent.objects.create(
        media_file=public_media, kind="checked", agent="audit_fixity", run=fixity_run
    )
    package = TransferPackage.objects.create(scope="items", label="Gói thử", status="ready")
    package.items.add(public_item)
    package.file.save("goi.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    institution = Institution.objects.get()
    institution.logo.save("logo.jpg", ContentFile(jpeg()))
    transfer = OfflineTransfer(
        item=draft_item, confidentiality="secret", secret_custody="Kho số 2", requested_by=users["superuser"]
    )
    transfer.status = OfflineTransfer.Status.READY
    transfer.package.save("goi.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
    transfer.save()
    objects = {
        FixityRun: fixity_run,
        PreservationEvent: event,
        TransferPackage: package,
        Institution: institution,
        OfflineTransfer: transfer,
        Period: period,
        Venue: Venue.objects.order_by("pk").first(),
        Body: body,
        Congress: congress,
        Term: term,
        Person: leader,
        Position: Position.objects.get(person=leader),
        Keyword: keyword,
        Dossier: dossier,
        Item: public_item,
        MediaFile: public_media,
        Contribution: contribution,
        Exhibit: exhibit,
        VenueSchedule: schedule,
        ClosedDay: ClosedDay.objects.order_by("pk").first(),
        Programme: Programme.objects.order_by("pk").first(),
        Booking: booking,
        WaitingEntry: waiting_entry,
        WorkItem: work_item,
        BudgetLine: BudgetLine.objects.order_by("pk").first(),
        Expense: expense,
        Group: Group.objects.order_by("pk").first(),
        get_user_model(): users["office_user"],
        AccessAttempt: attempt,
        AccessLog: log,
        AccessFailureLog: failure,
    }
    objects.update(reader_objects(users))  # the readers' block, at the end of this file
    for obj in objects.values():
        if hasattr(obj, "history") and not obj.history.exists():
            obj.save()  # seeded by a data migration, without a history record yet
    return World(
        period=period,
        public_item=public_item,
        draft_item=draft_item,
        public_media=public_media,
        draft_media=draft_media,
        leader=leader,
        donor=donor,
        contribution_file=contribution_file,
        exhibit=exhibit,
        draft_exhibit=draft_exhibit,
        booking=booking,
        schedule=schedule,
        waiting_entry=waiting_entry,
        attachment=attachment,
        expense=expense,
        objects=objects,
    )


# The check ----------------------------------------------------------------------------------------


def outcome(rule, user, response) -> str | None:
    """None when the response is what the rule says this user gets, else what went wrong."""
    status = response.status_code
    location = response.get("Location", "")
    if rule.allows(user):
        if status in rule.ok and "/admin/login/" not in location:
            return None
        return f"expected {rule.ok}, got {status} {location}"
    if getattr(rule, "hidden", False) or isinstance(rule, Public):
        return None if status == 404 else f"expected 404, got {status} {location}"
    if not user.is_authenticated or (isinstance(rule, Staff) and not user.is_staff):
        # A reader (signed in, not staff) is to the admin what an anonymous visitor is.
        expected = getattr(rule, "anonymous_to", "/admin/login/")
        return None if status == 302 and expected in location else f"expected a redirect to {expected}, got {status}"
    return None if status in (403, 404) else f"expected 403, got {status} {location}"


@pytest.fixture
def role_users(propaganda_user, office_user, leadership_user, superuser, django_user_model):
    return {
        "anonymous": AnonymousUser(),
        "propaganda_user": propaganda_user,
        "office_user": office_user,
        "leadership_user": leadership_user,
        "superuser": superuser,
        **reader_users(django_user_model),
    }


CHECKS_MADE: dict[str, int] = {}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_url_pattern_obeys_its_rule_for_each_role(client, role, role_users):
    translation.activate("vi")
    world = build_world(role_users)
    user = role_users[role]
    if user.is_authenticated:
        client.force_login(user)
    failures, checks = [], 0
    for pattern in all_patterns():
        for case in cases_for(pattern, world):
            url = case.url(world)
            response = client.get(url)
            checks += 1
            problem = outcome(case.rule, user, response)
            if problem:
                failures.append(f"{pattern.key} [{case.label}] {url}: {case.rule.describe()}: {problem}")
    CHECKS_MADE[role] = checks
    assert checks >= len(all_patterns())
    assert not failures, f"{role}: {len(failures)} of {checks} checks failed:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["done", "manage", "cancel", "new_date", "booking_ics"])
def test_a_forged_or_altered_booking_token_opens_nothing(client, name, role_users):
    world = build_world(role_users)
    token = world.booking.manage_token()
    for forged in ("khong-hop-le", token[:-1] + ("A" if token[-1] != "A" else "B"), f"{world.booking.pk}.x:y"):
        assert client.get(reverse(f"bookings:{name}", args=[forged])).status_code == 404


@pytest.mark.django_db
def test_a_venue_feed_without_its_token_is_refused(client, role_users):
    world = build_world(role_users)
    url = reverse("bookings:venue_feed", args=[world.schedule.venue.code])
    assert client.get(url).status_code == 404
    assert client.get(url + "?token=doan-mo").status_code == 404
    assert client.get(url + f"?token={world.schedule.feed_token}").status_code == 200


# Readers' accounts, reading requests and staff two-factor ------------------------------------------
# Rules for the readers' pages (reading/, django-allauth's account pages, the staff two-factor
# pages), the reader roles ``member`` (a confirmed member of the Bloc) and ``researcher`` (who owns
# the world's requests), and the objects their admin pages need.


@dataclass(frozen=True)
class Reader:
    """Any signed-in person (readers and staff alike); anonymous visitors go to the sign-in page."""

    ok: tuple[int, ...] = (200,)
    hidden: bool = False
    anonymous_to: str = "/tai-khoan/login/"

    def allows(self, user) -> bool:
        return bool(user.is_authenticated)

    def describe(self) -> str:
        return "signed in"


@dataclass(frozen=True)
class Owner(Reader):
    """The person who made the request (the ``researcher`` role); anyone else signed in gets a 404."""

    def allows(self, user) -> bool:
        from reading.models import ReaderProfile

        profile = ReaderProfile.objects.filter(user_id=getattr(user, "pk", None)).first()
        return bool(user.is_authenticated and profile and profile.full_name == RESEARCHER_NAME)

    def describe(self) -> str:
        return "the requester"


@dataclass(frozen=True)
class NoReader(Reader):
    """An address that opens nothing for anyone signed in (404); anonymous visitors go to sign in first."""

    def allows(self, user) -> bool:
        return False

    def describe(self) -> str:
        return "nobody (after sign-in)"


RESEARCHER_NAME = "Hoàng Văn Nghiên"


def reader_users(django_user_model) -> dict:
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from reading.models import ReaderProfile

    users = {}
    for role, name, standing in (
        ("member", "Phạm Thị Hội Viên", ReaderProfile.Standing.MEMBER),
        ("researcher", RESEARCHER_NAME, ReaderProfile.Standing.RESEARCHER),
    ):
        email = f"{role}@example.org"
        user = django_user_model.objects.create_user(username=email, email=email, password=PASSWORD)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        ReaderProfile.objects.create(
            user=user,
            full_name=name,
            institution="Viện Lịch sử Đảng",
            purpose="Nghiên cứu",
            standing=standing,
            confirmed_at=timezone.now(),
        )
        users[role] = user
    return users


@dataclass
class ReaderWorld:
    reading: object
    copy: object
    media: object


READER_WORLD: dict[str, ReaderWorld] = {}


def reader_objects(users: dict) -> dict:
    """The researcher's open reading (an internal item with a tiled page) and open copy (its package
    built), plus one object of each reader admin page's model."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from reading import services
    from reading.models import ReaderProfile, ReadingRequest
    from reading.packages import package_build

    researcher, decider = users["researcher"], users["propaganda_user"]
    internal = Item(title="Biên bản nội bộ", status=Item.Status.PUBLISHED, access_level=Item.AccessLevel.INTERNAL)
    internal.save()
    media = _image(internal, "noi-bo.jpg")
    public = Item(title="Ảnh công khai để sao", status=Item.Status.PUBLISHED, access_level=Item.AccessLevel.PUBLIC)
    public.save()
    _image(public, "sao.jpg")
    until = timezone.localdate() + datetime.timedelta(days=30)
    reading = services.request_submit(
        user=researcher, inventory_number=internal.inventory_number, kind="read", purpose="Nghiên cứu"
    )
    reading = services.request_approve(request=reading, until=until, by=decider)
    copy = services.request_submit(user=researcher, inventory_number=public.inventory_number, kind="copy", purpose="In")
    copy = services.request_approve(request=copy, until=until, by=decider)
    package_build(request_id=copy.pk)
    READER_WORLD["world"] = ReaderWorld(reading=reading, copy=copy, media=media)
    device = TOTPDevice.objects.create(user=users["leadership_user"], name="chưa xác nhận", confirmed=False)
    return {
        ReaderProfile: ReaderProfile.objects.get(user=researcher),
        ReadingRequest: ReadingRequest.objects.get(pk=reading.pk),
        EmailAddress: EmailAddress.objects.get(user=researcher),
        TOTPDevice: device,
    }


def _reader() -> ReaderWorld:
    return READER_WORLD["world"]


SIGNED_IN_REDIRECTS = (200, 302)  # allauth sends a signed-in person on from sign-in and sign-up
RULES.update(
    {
        "account_login": [Case(lambda w: reverse("account_login"), Public(ok=SIGNED_IN_REDIRECTS))],
        "account_signup": [Case(lambda w: reverse("account_signup"), Public(ok=SIGNED_IN_REDIRECTS))],
        "account_logout": [Case(lambda w: reverse("account_logout"), Public(ok=SIGNED_IN_REDIRECTS))],
        "account_inactive": [Case(lambda w: reverse("account_inactive"), Public())],
        "account_email_verification_sent": [Case(lambda w: reverse("account_email_verification_sent"), Public())],
        "account_reset_password": [Case(lambda w: reverse("account_reset_password"), Public(ok=SIGNED_IN_REDIRECTS))],
        "account_reset_password_done": [Case(lambda w: reverse("account_reset_password_done"), Public())],
        "account_reset_password_from_key_done": [
            Case(lambda w: reverse("account_reset_password_from_key_done"), Public())
        ],
        # A forged key: the page says the link is invalid, for everyone.
        "account_reset_password_from_key": [
            Case(
                lambda w: reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "khong-hop-le"}),
                Public(ok=(200,)),
                "forged key",
            )
        ],
        "account_confirm_email": [
            Case(lambda w: reverse("account_confirm_email", args=["khong-hop-le"]), Public(ok=(200,)), "forged key")
        ],
        # Only while a sign-in by code is under way; otherwise back to the sign-in page.
        "account_confirm_login_code": [
            Case(lambda w: reverse("account_confirm_login_code"), Public(ok=SIGNED_IN_REDIRECTS))
        ],
        "account_reauthenticate": [Case(lambda w: reverse("account_reauthenticate"), Reader())],
        "account_email": [Case(lambda w: reverse("account_email"), Reader())],
        # Change sends a person without a password to set one, and set the other way round.
        "account_change_password": [Case(lambda w: reverse("account_change_password"), Reader(ok=SIGNED_IN_REDIRECTS))],
        "account_set_password": [Case(lambda w: reverse("account_set_password"), Reader(ok=SIGNED_IN_REDIRECTS))],
        "reading:profile": [Case(lambda w: reverse("reading:profile"), Reader())],
        # Staff without a reader profile are sent to fill one in first.
        "reading:request_new": [Case(lambda w: reverse("reading:request_new"), Reader(ok=SIGNED_IN_REDIRECTS))],
        "reading:request_detail": [
            Case(lambda w: reverse("reading:request_detail", args=[_reader().reading.pk]), Owner(), "reading"),
            Case(lambda w: reverse("reading:request_detail", args=[_reader().copy.pk]), Owner(), "copy"),
        ],
        "reading:page": [
            Case(
                lambda w: reverse("reading:page", args=[_reader().reading.pk, _reader().media.pk, 0]),
                Owner(),
                "open reading",
            ),
            Case(
                lambda w: reverse("reading:page", args=[_reader().copy.pk, _reader().media.pk, 0]),
                NoReader(),
                "a copy request has no pages",
            ),
        ],
        "reading:package": [
            Case(lambda w: reverse("reading:package", args=[_reader().copy.pk]), Owner(), "open copy"),
            Case(
                lambda w: reverse("reading:package", args=[_reader().reading.pk]),
                NoReader(),
                "a reading has no package",
            ),
        ],
        # Staff's second factor: staff without an app are sent on from the code page to enrol.
        "two_factor_verify": [Case(lambda w: reverse("two_factor_verify"), Staff(ok=(200, 302)))],
        "two_factor_setup": [Case(lambda w: reverse("two_factor_setup"), Staff())],
        # No admin page shows an authenticator's secret (OTP_ADMIN_HIDE_SENSITIVE_DATA).
        **{
            f"admin:otp_totp_totpdevice_{name}": [
                Case(lambda w, n=name: reverse(f"admin:otp_totp_totpdevice_{n}", args=[totp_device(w).pk]), Nobody())
            ]
            for name in ("config", "qrcode")
        },
    }
)
ADMIN_EXCEPTIONS.update(
    {
        # Profiles come from the sign-up form, requests from the reader's own form.
        "admin:reading_readerprofile_add": Nobody(),
        "admin:reading_readingrequest_add": Nobody(),
    }
)


def totp_device(world: World):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return world.objects[TOTPDevice]


# Use of the collection and the report to the Standing Committee ----------------------------------
# The beacon takes only a POST (any GET is a 405, for everyone); the dashboard and its export need
# the right to view the counts; the admin keeps the counts read-only, so nobody adds, edits or
# deletes one; a finished report is downloaded by staff who may view reports.

from django.core.files.base import ContentFile as _ReportFile  # noqa: E402

from archive.models import UsageCount, UsageKind  # noqa: E402
from exhibits.tours import Tour, TourStop  # noqa: E402
from traditions.models import StandingReport  # noqa: E402

RULES.update(
    {
        "archive:usage_beacon": [Case(lambda w: reverse("archive:usage_beacon"), Public(ok=(405,)))],
        "archive:usage_dashboard": [
            Case(lambda w: reverse("archive:usage_dashboard"), Staff(("archive.view_usagecount",))),
            Case(
                lambda w: reverse("archive:usage_dashboard") + "?year=2019&quarter=2",
                Staff(("archive.view_usagecount",)),
            ),
        ],
        "archive:usage_export": [
            Case(lambda w: reverse("archive:usage_export") + "?year=2026", Staff(("archive.view_usagecount",)))
        ],
        # Tours: a published tour's pages and files are public; a draft's only for staff who may see tours.
        "exhibits:tour_detail": [
            Case(lambda w: reverse("exhibits:tour_detail", args=["tuyen-cong-bo"]), Public()),
            Case(
                lambda w: reverse("exhibits:tour_detail", args=["tuyen-nhap"]),
                Staff(("exhibits.view_tour",), hidden=True),
                "draft",
            ),
        ],
        "exhibits:tour_stop": [
            Case(lambda w: reverse("exhibits:tour_stop", args=["tuyen-cong-bo", 1]), Public()),
            Case(
                lambda w: reverse("exhibits:tour_stop", args=["tuyen-nhap", 1]),
                Staff(("exhibits.view_tour",), hidden=True),
                "draft",
            ),
        ],
        "exhibits:tour_file": [
            Case(lambda w: reverse("exhibits:tour_file", args=[w.objects[TourStop].pk, "image"]), Public()),
            Case(
                lambda w: reverse("exhibits:tour_file", args=[w.objects["draft stop"].pk, "image"]),
                Staff(("exhibits.view_tour",), hidden=True),
                "draft",
            ),
        ],
        "exhibits:tour_stop_short": [
            Case(lambda w: reverse("exhibits:tour_stop_short", args=["TCB-01"]), Public(ok=(302,)))
        ],
        "exhibits:tour_labels": [
            Case(lambda w: reverse("exhibits:tour_labels", args=["tuyen-cong-bo"]), Staff(("exhibits.view_tour",)))
        ],
        "admin:traditions_standingreport_download": [
            Case(
                lambda w: reverse("admin:traditions_standingreport_download", args=[w.objects[StandingReport].pk]),
                Staff(("traditions.view_standingreport",)),
            )
        ],
    }
)
ADMIN_EXCEPTIONS.update(
    {
        "admin:archive_usagecount_add": Nobody(),
        "admin:archive_usagecount_delete": Nobody(),
    }
)

_world_without_reports = build_world


def build_world(users: dict) -> World:  # noqa: F811 - the world above, with a count and a finished report
    world = _world_without_reports(users)
    world.objects[UsageCount] = UsageCount.objects.create(
        day=datetime.date(2026, 3, 1), kind=UsageKind.ITEM_VIEW, ref=world.public_item.inventory_number, count=3
    )
    report = StandingReport(
        span="year", year=2025, number=1, issued_on=datetime.date(2026, 1, 5), signer_name="Nguyễn Văn Bình"
    )
    report.status = StandingReport.Status.READY
    report.file.save("bao-cao.docx", _ReportFile(b"PK\x03\x04"), save=False)
    report.save()
    world.objects[StandingReport] = report
    world.objects[PageText] = PageText.objects.create(
        media_file=world.public_media, item=world.public_item, page=1, source=PageText.Source.OCR, text="Nghị quyết"
    )
    for slug, code, status in (
        ("tuyen-cong-bo", "TCB", Tour.Status.PUBLISHED),
        ("tuyen-nhap", "TN", Tour.Status.DRAFT),
    ):
        tour = Tour.objects.create(title=f"Tuyến {code}", slug=slug, code=code, status=status)
        stop = TourStop(tour=tour, position=1, title="Cờ Đảng", text="Lời thuyết minh.", place="Tủ số 1")
        stop.image.save("anh.jpg", _ReportFile(jpeg()), save=False)
        stop.save()
        world.objects[Tour if status == Tour.Status.PUBLISHED else "draft tour"] = tour
        world.objects[TourStop if status == Tour.Status.PUBLISHED else "draft stop"] = stop
    return world
