"""Audio-guide tours: a stop page a phone opens from a QR label (small, cached, counted), its files,
its short address, the A4 label sheet, the visiting page's list, and the admin's inspection of every
picture, recording and captions file."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from archive.models import UsageCount, UsageKind
from exhibits.tours import Tour, TourStop
from tests.archive.media_samples import sample

pytestmark = pytest.mark.django_db

VTT = b"WEBVTT\n\n00:00.000 --> 00:00.900\nL\xe1\xbb\x9di thuy\xe1\xba\xbft minh.\n"
# The tour with its stops, the item's public number, and the institution's record on a cold cache.
STOP_PAGE_QUERIES = 3


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (139, 26, 26)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def tour(make):
    flag = make.item("Lá cờ Đảng của Chi bộ Văn phòng Trung ương")
    tour = Tour.objects.create(
        title="Tuyến Phòng Truyền thống",
        title_en="The Tradition Room",
        slug="phong-truyen-thong",
        code="PT",
        status=Tour.Status.PUBLISHED,
    )
    stops = []
    for position, title in enumerate(("Sảnh đón tiếp", "Lá cờ Đảng", "Tủ kỷ vật"), start=1):
        stop = TourStop(
            tour=tour,
            position=position,
            kind=TourStop.Kind.ITEM if position == 2 else TourStop.Kind.SHOWCASE,
            item=flag if position == 2 else None,
            place=f"Tủ số {position}",
            title=title,
            title_en=f"Stop {position} in English",
            text=f"Lời thuyết minh điểm {position}.",
            text_en=f"The guide's words at stop {position}.",
        )
        stop.image.save("anh.png", ContentFile(png_bytes()), save=False)
        stop.audio_vi.save("vi.mp3", ContentFile(b"ID3 vi"), save=False)
        stop.audio_en.save("en.mp3", ContentFile(b"ID3 en"), save=False)
        stop.captions_vi.save("vi.vtt", ContentFile(VTT), save=False)
        stop.save()
        stops.append(stop)
    return tour, stops, flag


def test_a_stop_page_plays_its_recording_with_captions_and_leads_on(client, tour, django_assert_max_num_queries):
    tour, stops, flag = tour
    url = reverse("exhibits:tour_stop", args=[tour.slug, 2])
    with django_assert_max_num_queries(STOP_PAGE_QUERIES):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        f'<audio controls preload="none" src="{reverse("exhibits:tour_file", args=[stops[1].pk, "audio-vi"])}"' in html
    )
    assert f'src="{reverse("exhibits:tour_file", args=[stops[1].pk, "captions-vi"])}" srclang="vi"' in html
    assert f'href="{reverse("exhibits:tour_stop", args=[tour.slug, 3])}" rel="next"' in html
    assert f'href="{reverse("exhibits:tour_stop", args=[tour.slug, 1])}" rel="prev"' in html
    assert reverse("exhibits:item_detail", args=[flag.inventory_number]) in html
    assert "PT-02" in html and "Điểm dừng 2/3" in html
    assert not page.cookies
    # Small: the page itself, without its shared stylesheet and scripts.
    assert len(page.content) < 12_000, len(page.content)
    with django_assert_max_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "hit"


def test_the_last_stop_leads_back_to_the_tour(client, tour):
    tour, _stops, _flag = tour
    html = client.get(reverse("exhibits:tour_stop", args=[tour.slug, 3])).content.decode()
    assert 'rel="next"' not in html
    assert f'class="button stop-next" href="{reverse("exhibits:tour_detail", args=[tour.slug])}"' in html


def test_the_english_stop_plays_the_english_recording(client, tour):
    tour, stops, _flag = tour
    html = client.get("/en" + reverse("exhibits:tour_stop", args=[tour.slug, 1])).content.decode()
    assert "Stop 1 in English" in html and "The guide&#x27;s words at stop 1." in html
    assert reverse("exhibits:tour_file", args=[stops[0].pk, "audio-en"]).removeprefix("/") in html
    assert "<track" not in html, "no English captions were given"


def test_the_short_address_counts_the_scan_and_opens_the_stop(client, tour):
    tour, _stops, _flag = tour
    response = client.get(reverse("exhibits:tour_stop_short", args=["pt-02"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("exhibits:tour_stop", args=[tour.slug, 2])
    for wrong in ("PT-09", "PT", "XX-01", "PT-0x"):
        assert client.get(reverse("exhibits:tour_stop_short", args=[wrong])).status_code == 404
    page = client.get(response["Location"])
    token = re.search(r'data-usage-url="([^"]+)" data-usage-token="([^"]+)"', page.content.decode())
    client.post(token.group(1), {"t": token.group(2)})
    assert {(row.kind, row.ref): row.count for row in UsageCount.objects.all()} == {
        (UsageKind.QR_SCAN, "PT-02"): 1,
        (UsageKind.TOUR_STOP, "PT-02"): 1,
    }


def test_files_of_a_draft_tour_are_hidden_from_the_public(client, tour, propaganda_user):
    tour, stops, _flag = tour
    captions = client.get(reverse("exhibits:tour_file", args=[stops[0].pk, "captions-vi"]))
    assert captions.status_code == 200 and captions["Content-Type"] == "text/vtt; charset=utf-8"
    assert client.get(reverse("exhibits:tour_file", args=[stops[0].pk, "audio-vi"]))["Content-Type"] == "audio/mpeg"
    assert client.get(reverse("exhibits:tour_file", args=[stops[0].pk, "captions-en"])).status_code == 404
    Tour.objects.filter(pk=tour.pk).update(status=Tour.Status.DRAFT)
    assert client.get(reverse("exhibits:tour_file", args=[stops[0].pk, "image"])).status_code == 404
    assert client.get(reverse("exhibits:tour_stop", args=[tour.slug, 1])).status_code == 404
    assert client.get(reverse("exhibits:tour_stop_short", args=["PT-01"])).status_code == 404
    client.force_login(propaganda_user)
    assert client.get(reverse("exhibits:tour_file", args=[stops[0].pk, "image"])).status_code == 200
    assert "Bản xem trước" in client.get(reverse("exhibits:tour_stop", args=[tour.slug, 1])).content.decode()


def test_the_visiting_page_lists_the_tour_and_staff_print_its_labels(client, tour, propaganda_user):
    tour, _stops, _flag = tour
    visit = client.get(reverse("exhibits:visit")).content.decode()
    assert f'<a href="{tour.get_absolute_url()}">Tuyến Phòng Truyền thống</a>' in visit and "3 điểm dừng" in visit
    assert client.get(reverse("exhibits:tour_labels", args=[tour.slug])).status_code == 302
    client.force_login(propaganda_user)
    sheet = client.get(reverse("exhibits:tour_labels", args=[tour.slug])).content.decode()
    assert sheet.count('<div class="label">') == 3
    assert sheet.count("<svg") == 3
    assert "http://testserver/d/PT-03" in sheet or "/d/PT-03" in sheet
    assert "Tủ kỷ vật" in sheet and "Tủ số 3" in sheet


def stop_form(**fields) -> dict:
    data = {
        "title": "Tuyến Nhà Truyền thống",
        "slug": "nha-truyen-thong",
        "code": "NT",
        "status": "published",
        "ordering": "0",
        "stops-TOTAL_FORMS": "1",
        "stops-INITIAL_FORMS": "0",
        "stops-MIN_NUM_FORMS": "0",
        "stops-MAX_NUM_FORMS": "1000",
        "stops-0-position": "1",
        "stops-0-kind": "place",
        "stops-0-place": "Sảnh tầng 1",
        "stops-0-title": "Sảnh",
        "stops-0-text": "Lời thuyết minh ở sảnh.",
    }
    data.update(fields)
    return data


def test_the_admin_inspects_recordings_and_keeps_their_length(client, propaganda_user):
    client.force_login(propaganda_user)
    response = client.post(
        reverse("admin:exhibits_tour_add"),
        stop_form(
            **{
                "stops-0-audio_vi": SimpleUploadedFile("sảnh.wav", sample("ghi âm.wav"), content_type="audio/wav"),
                "stops-0-captions_vi": SimpleUploadedFile("sảnh.vtt", VTT, content_type="text/vtt"),
                "stops-0-image": SimpleUploadedFile("sảnh.png", png_bytes(), content_type="image/png"),
            }
        ),
    )
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    stop = TourStop.objects.get()
    assert stop.audio_vi_seconds == 1 and stop.code == "NT-01"


@pytest.mark.parametrize(
    ("field", "upload", "message"),
    [
        ("audio_vi", ("ghi âm.mp3", b"MZ\x90\x00 not a recording" * 20), "Bản ghi âm tiếng Việt"),
        ("image", ("ảnh.png", b"%PDF-1.4 a pdf, not a picture"), "Ảnh"),
        ("captions_vi", ("phụ đề.vtt", b"1\n00:00:00,000 --> 00:00:01,000\nSRT\n"), "cần tệp phụ đề WebVTT"),
    ],
)
def test_a_bad_file_is_named_and_nothing_is_saved(client, propaganda_user, field, upload, message):
    client.force_login(propaganda_user)
    fields = {f"stops-0-{field}": SimpleUploadedFile(upload[0], upload[1])}
    if field == "captions_vi":
        fields["stops-0-audio_vi"] = SimpleUploadedFile("sảnh.wav", sample("ghi âm.wav"))
    response = client.post(reverse("admin:exhibits_tour_add"), stop_form(**fields))
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["inline_admin_formsets"][0].formset.errors)
    assert message in errors
    assert not Tour.objects.exists() and not TourStop.objects.exists()


def test_a_stop_about_an_item_needs_the_item(client, propaganda_user):
    client.force_login(propaganda_user)
    response = client.post(reverse("admin:exhibits_tour_add"), stop_form(**{"stops-0-kind": "item"}))
    errors = " ".join(str(e) for e in response.context["inline_admin_formsets"][0].formset.errors)
    assert "điểm dừng là một tư liệu cần chọn tư liệu đó" in errors
    assert not Tour.objects.exists()
