"""An anonymous visitor gets nothing of a non-public item, through any surface.

Seven non-public items (draft, in review, withdrawn, confidential, restricted, internal, embargoed)
carry every trait that would put them on a public page: featured, dated, in a period, with an
image and a video, a keyword and a body of their own, and placed in a published exhibit. Each title
holds a word that must never reach an anonymous visitor. Then every public surface is read: lists,
detail by inventory number and by id, short URLs, search and its facets, the sitemap, QR targets,
media and derivative URLs, exhibits, both languages, and the 404 page.
"""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from archive.models import Body, Item, Keyword, MediaFile, Period
from archive.partial_dates import PartialDate
from exhibits import oai
from exhibits.models import Exhibit, ExhibitBlock

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

VARIANTS = ("original", "thumbnail", "medium", "large")
NON_PUBLIC = {
    "draft": {"status": Item.Status.DRAFT},
    "in_review": {"status": Item.Status.IN_REVIEW},
    "withdrawn": {"status": Item.Status.WITHDRAWN},
    # Published but classified (the database refuses a classified item with public access).
    "confidential": {"confidentiality": Item.Confidentiality.CONFIDENTIAL, "access_level": Item.AccessLevel.INTERNAL},
    "restricted": {"access_level": Item.AccessLevel.RESTRICTED},
    "internal": {"access_level": Item.AccessLevel.INTERNAL},
    "embargoed": {"embargo_until": "future"},
}


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 80, 10)).save(buffer, "JPEG")
    return buffer.getvalue()


def leak_word(state: str) -> str:
    return f"Lộbímật{state.replace('_', '')}"


def search_word(state: str) -> str:
    return f"timthay{state.replace('_', '')}"


def add_media(item: Item, kind: str = MediaFile.Kind.IMAGE) -> MediaFile:
    media = MediaFile(
        item=item,
        kind=kind,
        mime_type="image/jpeg" if kind == MediaFile.Kind.IMAGE else "video/mp4",
        original_name=f"{item.title}.jpg",
        size=10,
        sha256="2" * 64,
        is_primary=not item.media.exists(),
    )
    media.file.save("f.jpg" if kind == MediaFile.Kind.IMAGE else "f.mp4", ContentFile(jpeg()), save=False)
    for variant in ("thumbnail", "medium", "large"):
        getattr(media, variant).save(f"{variant}.jpg", ContentFile(jpeg()), save=False)
    media.save()
    return media


@pytest.fixture
def holdings(db):
    """One public item (the control) and the seven non-public ones, all with media, in one exhibit."""
    period = Period.objects.order_by("number").first()
    secret_period = Period.objects.order_by("-number").first()
    secret_body = Body.objects.create(name="Cơ quan Lộbímật Thử", kind=Body.Kind.SUBORDINATE)
    secret_keyword = Keyword.objects.create(name="lộbímật từ khóa")
    public = Item(title="Tư liệu công khai Khởi nghĩa", status=Item.Status.PUBLISHED, period=period, is_featured=True)
    public.set_partial_date(PartialDate(1950, 5, 1))
    public.save()
    add_media(public)
    hidden = {}
    for state, fields in NON_PUBLIC.items():
        values = {"status": Item.Status.PUBLISHED, "access_level": Item.AccessLevel.PUBLIC, **fields}
        if values.get("embargo_until") == "future":
            values["embargo_until"] = timezone.localdate() + datetime.timedelta(days=30)
        item = Item(
            title=f"{leak_word(state)} {search_word(state)} Nghị quyết",
            summary=f"Trích yếu {leak_word(state)}",
            kind=Item.Kind.ARTIFACT,
            period=secret_period,
            is_featured=True,
            **values,
        )
        item.set_partial_date(PartialDate(1985, 3, 2))
        item.save()
        item.bodies.set([secret_body])
        item.keywords.set([secret_keyword])
        media = [add_media(item), add_media(item, MediaFile.Kind.VIDEO)]
        hidden[state] = (item, media)
    assert set(Item.objects.public()) == {public}
    exhibit = Exhibit.objects.create(title="Chuyên đề công bố", slug="chuyen-de", status=Exhibit.Status.PUBLISHED)
    items = [item for item, _media in hidden.values()]
    for position, (item, _media) in enumerate(hidden.values()):
        ExhibitBlock.objects.create(exhibit=exhibit, kind=ExhibitBlock.Kind.ITEM, item=item, position=position)
        ExhibitBlock.objects.create(exhibit=exhibit, kind=ExhibitBlock.Kind.VIDEO, item=item, position=position + 100)
    for kind in (ExhibitBlock.Kind.GALLERY, ExhibitBlock.Kind.TIMELINE):
        block = ExhibitBlock.objects.create(exhibit=exhibit, kind=kind, position=200 + len(kind))
        block.items.set([*items, public])
    return {
        "public": public,
        "hidden": hidden,
        "exhibit": exhibit,
        "secret_period": secret_period,
        "secret_body": secret_body,
        "secret_keyword": secret_keyword,
    }


def traces(holdings) -> list[str]:
    """What must not appear: titles' words, inventory numbers, media addresses of the hidden items."""
    found = []
    for state, (item, media) in holdings["hidden"].items():
        found += [leak_word(state), item.inventory_number, f"/t/{item.inventory_number}"]
        for m in media:
            found += [f"/tep/{m.pk}/"]
    return found


def assert_clean(url: str, response, holdings, *, echo_ok: bool = False) -> None:
    """``echo_ok``: the page may repeat the address the visitor typed (the shell's language links do)."""
    body = response.content.decode("utf-8", "replace")
    leaked = [trace for trace in traces(holdings) if trace in body and not (echo_ok and trace in url)]
    assert not leaked, f"{url} shows {leaked}"


PAGES = [
    ("exhibits:home", {}),
    ("exhibits:period_list", {}),
    ("exhibits:timeline", {}),
    ("exhibits:leaders", {}),
    ("exhibits:item_list", {}),
    ("exhibits:search", {}),
    ("exhibits:exhibit_list", {}),
    ("exhibits:videos", {}),
    ("exhibits:visit", {}),
    ("exhibits:sitemap", {}),
    ("exhibits:sitemap_section", {"section": "items"}),
    ("exhibits:sitemap_section", {"section": "people"}),
    ("exhibits:sitemap_section", {"section": "periods"}),
    ("exhibits:sitemap_section", {"section": "exhibits"}),
    ("exhibits:robots", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_public_page_shows_a_non_public_item(client, holdings, language):
    public = holdings["public"]
    with translation.override(language):
        urls = [reverse(name, kwargs=kwargs) for name, kwargs in PAGES]
        urls += [
            reverse("exhibits:period_detail", args=[holdings["secret_period"].slug]),
            reverse("exhibits:exhibit_detail", args=[holdings["exhibit"].slug]),
            reverse("exhibits:exhibit_print", args=[holdings["exhibit"].slug]),
            reverse("exhibits:item_detail", args=[public.inventory_number]),
        ]
        listing = reverse("exhibits:item_list")
        urls += [
            f"{listing}?period={holdings['secret_period'].pk}",
            f"{listing}?kind=artifact",
            f"{listing}?body={holdings['secret_body'].pk}",
            f"{listing}?q=lobimat",
            f"{listing}?sort=-published",
            f"{listing}?sort=date",
            f"{listing}?digital=1",
        ]
    seen_public = False
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_clean(url, response, holdings)
        seen_public |= public.inventory_number in response.content.decode()
    assert seen_public  # the pages do list items: the control item is there


@pytest.mark.django_db
def test_search_and_its_facets_count_only_public_items(client, holdings):
    for state in holdings["hidden"]:
        for url in (
            reverse("exhibits:search") + f"?q={search_word(state)}",
            reverse("exhibits:item_list") + f"?q={search_word(state)}",
        ):
            response = client.get(url)
            assert_clean(url, response, holdings)
            assert response.context["facets"].total == 0, url
    # Facets of the whole listing: the hidden items' kind, period, body and keyword count nothing.
    facets = client.get(reverse("exhibits:item_list")).context["facets"]
    assert facets.total == 1
    assert [k.value for k in facets.kinds] == [holdings["public"].kind]
    assert str(holdings["secret_period"].pk) not in [p.value for p in facets.periods]
    assert holdings["secret_body"].name not in client.get(reverse("exhibits:item_list")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(NON_PUBLIC))
def test_each_non_public_item_is_a_404_on_every_address_of_its_own(client, holdings, state):
    item, media = holdings["hidden"][state]
    number = item.inventory_number
    urls = []
    for language in ("vi", "en"):
        with translation.override(language):
            urls += [
                reverse("exhibits:item_detail", args=[number]),
                reverse("exhibits:item_detail", args=[number.lower()]),
                reverse("exhibits:item_detail", args=[str(item.pk)]),
                reverse("exhibits:item_qr", args=[number]),
                reverse("exhibits:short", args=[number]),
                reverse("exhibits:short", args=[number.lower()]),
            ]
            urls += [reverse("exhibits:media", args=[m.pk, v]) for m in media for v in VARIANTS]
    urls += [reverse("archive:media", args=[m.pk, v]) for m in media for v in VARIANTS]
    urls += [reverse("archive:media", args=[m.pk, "original"]) + "?tai-ve=1" for m in media]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        # The 404 page tells nothing of the item beyond the address the visitor typed.
        assert_clean(url, response, holdings, echo_ok=True)
        assert "Lộbímật" not in response.content.decode() and "Nghị quyết" not in response.content.decode()


@pytest.mark.django_db
def test_staff_exports_and_admin_pages_send_visitors_to_the_login(client, holdings):
    item, _media = holdings["hidden"]["confidential"]
    for url in (
        reverse("admin:archive_item_change", args=[item.pk]),
        reverse("admin:archive_item_changelist") + "?q=lobimat",
        reverse("admin:archive_item_export"),
        reverse("admin:archive_item_history", args=[item.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
        assert_clean(url, response, holdings)


@pytest.mark.django_db
def test_an_item_withdrawn_after_being_seen_disappears_at_once_despite_the_page_cache(client, holdings):
    public = holdings["public"]
    media = public.media.get()
    detail = reverse("exhibits:item_detail", args=[public.inventory_number])
    home = reverse("exhibits:home")
    assert client.get(detail).status_code == 200
    assert public.inventory_number in client.get(home).content.decode()
    assert client.get(reverse("archive:media", args=[media.pk, "large"])).status_code == 200
    public.status = Item.Status.WITHDRAWN
    public.save()
    assert client.get(detail).status_code == 404
    assert public.inventory_number not in client.get(home).content.decode()
    assert client.get(reverse("archive:media", args=[media.pk, "large"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.instant("2026-12-03 12:00")
def test_an_embargoed_item_becomes_public_on_its_date_without_anyone_acting(client, holdings, time_machine):
    item, media = holdings["hidden"]["embargoed"]
    url = reverse("archive:media", args=[media[0].pk, "thumbnail"])
    assert client.get(url).status_code == 404
    assert item.embargo_until == datetime.date(2027, 1, 2)
    time_machine.move_to(datetime.datetime(2027, 1, 2, 0, 0, tzinfo=HANOI), tick=False)
    assert client.get(url).status_code == 200
    assert client.get(reverse("exhibits:item_detail", args=[item.inventory_number])).status_code == 200


# What other systems read: the API, OAI-PMH, the feed and the embeddable views ------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_machine_readable_surface_names_a_non_public_item(client, holdings, language):
    exhibit, secret_period = holdings["exhibit"], holdings["secret_period"]
    prefix = "/en" if language == "en" else ""
    with translation.override(language):
        pages = [
            reverse("exhibits:feed"),
            reverse("exhibits:embed_latest"),
            reverse("exhibits:embed_exhibit", args=[exhibit.slug]),
        ]
    api = [
        "/api/items?page_size=100",
        f"/api/items?period={secret_period.pk}",
        f"/api/items?body={holdings['secret_body'].pk}",
        f"/api/items?keyword={holdings['secret_keyword'].pk}",
        "/api/items?q=lobimat",
        "/api/items?kind=artifact&sort=date",
        f"/api/exhibits/{exhibit.slug}",
        "/api/people?page_size=100",
        "/api/positions?page_size=100",
        f"/api/periods/{secret_period.slug}",
    ]
    harvests = [
        "/oai/?verb=ListRecords&metadataPrefix=oai_dc",
        "/oai/?verb=ListIdentifiers&metadataPrefix=oai_dc",
        f"/oai/?verb=ListIdentifiers&metadataPrefix=oai_dc&set=period:{secret_period.code}",
    ]
    for url in [*pages, *[prefix + u for u in api], *harvests]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_clean(url, response, holdings)
    assert (
        holdings["public"].inventory_number
        in client.get("/oai/?verb=ListIdentifiers&metadataPrefix=oai_dc").content.decode()
    )
    for item, _media in holdings["hidden"].values():
        assert client.get(f"{prefix}/api/items/{item.inventory_number}").status_code == 404
        identifier = oai.oai_identifier(item)
        record = client.get("/oai/", {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": identifier})
        assert b'code="idDoesNotExist"' in record.content
