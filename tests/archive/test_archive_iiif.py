"""IIIF Presentation 3: every public demo item's manifest and every period's collection follow the
rules (tests/archive/iiif_rules.py), their pictures and image services answer with the sizes the
canvases give, and a non-public item's manifest is a 404 to all but staff who may view items."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from archive import demo
from archive.iiif import PRESENTATION_CONTEXT
from archive.media import media_file_store
from archive.models import Body, Item, MediaFile, Period
from archive.models.items import has_digital_copy
from tests.archive.iiif_rules import image_services, presentation3_problems

pytestmark = pytest.mark.django_db

INSTITUTION_VI = "Phòng Truyền thống Đảng bộ Khối các cơ quan Trung ương"


def jpeg(size=(1400, 900)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 40).convert("RGB").save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def pdf(pages: int = 2) -> bytes:
    sheets = [Image.new("RGB", (600, 850 + 50 * n), (250, 250, 240)) for n in range(pages)]
    buffer = io.BytesIO()
    sheets[0].save(buffer, "PDF", save_all=True, append_images=sheets[1:], resolution=72)
    return buffer.getvalue()


def path_of(url: str) -> str:
    return url.removeprefix("http://testserver")


def manifest_path(item: Item) -> str:
    return reverse("archive:iiif_manifest", kwargs={"inventory_number": item.inventory_number})


def english_institution() -> str:
    with translation.override("en"):
        return translation.gettext(INSTITUTION_VI)


@pytest.fixture
def seeded(db):
    demo.seed(io.StringIO())


def test_every_public_demo_manifest_follows_presentation3_and_its_pictures_answer(seeded, client):
    items = list(Item.objects.public().filter(has_digital_copy()).prefetch_related("media"))
    assert len(items) > 20
    pictures = 0
    for item in items:
        response = client.get(manifest_path(item))
        assert response.status_code == 200, item.inventory_number
        assert response["Content-Type"] == f'application/ld+json;profile="{PRESENTATION_CONTEXT}"'
        assert response["Access-Control-Allow-Origin"] == "*"
        manifest = response.json()
        assert presentation3_problems(manifest) == [], item.inventory_number
        assert manifest["id"] == f"http://testserver{manifest_path(item)}"
        # Items have no English text: the title is under "vi" only, never a made-up translation.
        assert manifest["label"] == {"vi": [item.title]}
        assert manifest["requiredStatement"]["value"]["vi"] == [INSTITUTION_VI]
        assert manifest["requiredStatement"]["value"].get("en", [INSTITUTION_VI]) == [english_institution()]
        assert manifest["rights"].startswith("http://rightsstatements.org/vocab/")
        media = list(item.media.all())
        services = image_services(manifest)
        assert len(services) == sum(m.tiled_pages for m in media if m.has_tiles)
        # A recording or film is one canvas of its duration, as ffprobe read it.
        timed = [c for c in manifest["items"] if "duration" in c]
        films = [m for m in media if m.kind in (MediaFile.Kind.AUDIO, MediaFile.Kind.VIDEO)]
        assert sorted(c["duration"] for c in timed) == sorted(m.duration for m in films)
        assert len(manifest["items"]) == len(services) + len(timed)
        for canvas, body, service in services:
            info = client.get(path_of(service["id"]) + "/info.json")
            assert info.status_code == 200
            assert info["Access-Control-Allow-Origin"] == "*"
            described = info.json()
            assert described["id"] == service["id"]
            assert (described["width"], described["height"]) == (canvas["width"], canvas["height"])
            picture = client.get(path_of(body["id"]))
            assert picture.status_code == 200
            with Image.open(io.BytesIO(b"".join(picture.streaming_content))) as shown:
                assert shown.size == (body["width"], body["height"])
            pictures += 1
    assert pictures >= len(items)
    check_the_1958_report(client)
    check_period_collections(client)


def check_the_1958_report(client):
    """The demo's report of 1958: a canvas per page, in order."""
    report = Item.objects.get(title="Báo cáo tổng kết công tác xây dựng Đảng năm 1958")
    pdf_file = report.media.get(kind=MediaFile.Kind.PDF)
    manifest = client.get(manifest_path(report)).json()
    canvases = [c for c in manifest["items"] if f"/canvas/{pdf_file.pk}/" in c["id"]]
    assert [c["id"].rsplit("/", 1)[-1] for c in canvases] == [str(n) for n in range(pdf_file.page_count)]
    assert canvases[0]["label"]["vi"] == [f"{pdf_file.caption}, trang 1"]


def check_period_collections(client):
    """The collection of periods, and each period's: exactly the public items that have media."""
    root = client.get(reverse("archive:iiif_periods"))
    assert root.status_code == 200 and root["Access-Control-Allow-Origin"] == "*"
    periods = root.json()
    assert presentation3_problems(periods) == []
    assert len(periods["items"]) == Period.objects.count()
    listed = set()
    for member in periods["items"]:
        collection = client.get(path_of(member["id"])).json()
        assert presentation3_problems(collection) == [], member["id"]
        assert collection["label"] == member["label"]
        listed |= {path_of(m["id"]) for m in collection["items"]}
    expected = {manifest_path(item) for item in Item.objects.public().filter(has_digital_copy(), period__isnull=False)}
    assert listed == expected
    hidden = Item.objects.exclude(pk__in=Item.objects.public()).filter(has_digital_copy())
    assert hidden.exists()
    assert not listed & {manifest_path(item) for item in hidden}


def test_a_period_with_an_english_name_is_labelled_in_both_languages(db, client):
    period = Period.objects.order_by("number").first()
    period.name_en = "Test English name"
    period.save()
    collection = client.get(reverse("archive:iiif_period", kwargs={"slug": period.slug})).json()
    assert collection["label"] == {"vi": [period.name], "en": ["Test English name"]}
    assert collection["requiredStatement"]["value"]["vi"] == [INSTITUTION_VI]


@pytest.fixture
def public_item(db):
    body = Body.objects.create(name="Ban Tuyên giáo Đảng ủy Khối", name_en="Propaganda Board", is_sample=True)
    item = Item.objects.create(
        title="Ảnh Đại hội lần thứ nhất",
        summary="Ảnh chụp toàn cảnh.",
        status=Item.Status.PUBLISHED,
        access_level=Item.AccessLevel.PUBLIC,
        issuing_body=body,
        is_sample=True,
    )
    media_file_store(item=item, uploaded=SimpleUploadedFile("dai-hoi.jpg", jpeg(), "image/jpeg"), caption="Toàn cảnh")
    media_file_store(item=item, uploaded=SimpleUploadedFile("bao-cao.pdf", pdf(), "application/pdf"))
    return item


def test_a_manifest_names_its_pictures_and_the_english_texts_the_project_has(public_item, client):
    manifest = client.get(manifest_path(public_item)).json()
    assert presentation3_problems(manifest) == []
    assert manifest["summary"] == {"vi": ["Ảnh chụp toàn cảnh."]}
    body_row = next(row for row in manifest["metadata"] if row["value"].get("vi") == ["Ban Tuyên giáo Đảng ủy Khối"])
    assert body_row["value"]["en"] == ["Propaganda Board"]
    image, page1, page2 = manifest["items"]
    assert (image["width"], image["height"]) == (1400, 900)
    assert image["label"] == {"vi": ["Toàn cảnh"]}
    # 600 × 850 and 600 × 900 points at 300 dpi (pdfium rounds up a fraction of a pixel).
    assert page1["width"] == page2["width"] == 2500
    assert abs(page1["height"] - 3542) <= 1 and abs(page2["height"] - 3750) <= 1
    assert manifest["homepage"][0]["id"] == f"http://testserver{public_item.get_absolute_url()}"


def test_files_tiled_before_their_sizes_were_kept_give_the_same_manifest(public_item, client):
    before = client.get(manifest_path(public_item)).json()
    MediaFile.objects.filter(item=public_item).update(tiled_sizes=[])
    assert client.get(manifest_path(public_item)).json() == before


def test_a_non_public_item_manifest_is_hidden_from_the_public_and_shown_to_staff(
    public_item, client, propaganda_user, django_user_model
):
    public_item.status = Item.Status.DRAFT
    public_item.save()
    url = manifest_path(public_item)
    assert client.get(url).status_code == 404
    nobody = django_user_model.objects.create_user(username="khach", password="x", is_staff=True)
    client.force_login(nobody)  # staff without the right to view items
    assert client.get(url).status_code == 404
    client.force_login(propaganda_user)
    response = client.get(url)
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    assert response["Cache-Control"] == "private, no-store"
    manifest = response.json()
    assert presentation3_problems(manifest) == []
    assert "homepage" not in manifest and "partOf" not in manifest  # no public page to point at
    service = image_services(manifest)[0][2]
    assert client.get(path_of(service["id"]) + "/info.json").status_code == 200
    client.logout()
    info = client.get(path_of(service["id"]) + "/info.json")
    assert info.status_code == 404 and "Access-Control-Allow-Origin" not in info


def test_an_item_without_media_or_unknown_has_no_manifest(db, client):
    bare = Item.objects.create(
        title="Hiện vật chưa chụp ảnh", status=Item.Status.PUBLISHED, access_level="public", is_sample=True
    )
    assert client.get(manifest_path(bare)).status_code == 404
    assert client.get("/iiif/tu-lieu/TL-0000-99999/manifest.json").status_code == 404
    page = client.get(bare.get_absolute_url()).content.decode()
    assert "iiif" not in page.lower()


def test_the_item_page_links_its_manifest(public_item, client):
    html = client.get(public_item.get_absolute_url()).content.decode()
    url = manifest_path(public_item)
    assert f'<link rel="alternate" type=\'application/ld+json;profile="{PRESENTATION_CONTEXT}"\' href="{url}"' in html
    assert f'class="iiif-link" href="{url}"' in html


def test_the_validator_names_what_breaks_the_rules():
    broken = {
        "@context": "http://iiif.io/api/presentation/2/context.json",
        "id": "/relative",
        "type": "Manifest",
        "label": "not a map",
        "rights": "https://example.org/rights",
        "colour": "red",
        "items": [
            {
                "id": "https://x.test/c/1",
                "type": "Canvas",
                "width": 100,
                "items": [
                    {
                        "id": "https://x.test/c/1/p",
                        "type": "AnnotationPage",
                        "items": [
                            {
                                "id": "https://x.test/c/1/a",
                                "type": "Annotation",
                                "motivation": "commenting",
                                "target": "https://x.test/c/2",
                                "body": {"id": "https://x.test/i.jpg", "type": "Image", "format": "jpeg"},
                            }
                        ],
                    }
                ],
            }
        ],
    }
    problems = json.dumps(presentation3_problems(broken))
    for expected in (
        "@context",
        "id must be an http(s) URI",
        "label: must be a non-empty language map",
        "rights",
        "'colour' is not a property",
        "has a height",
        "painting",
        "targets its Canvas",
        "format must be a media type",
        "names its image service",
    ):
        assert expected in problems, expected
