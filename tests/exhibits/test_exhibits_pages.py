"""Each public page answers, shows what it should and stays within a bounded number of queries."""

import pytest
from django.urls import reverse

from archive.models import Body, Item, Period, Position, Venue
from exhibits.models import ExhibitBlock

pytestmark = pytest.mark.django_db


def test_home_shows_periods_featured_exhibits_latest_items_and_the_visit_call(client, catalogue, make):
    exhibit = make.exhibit("Chuyên đề Đảng bộ Khối 15 năm", featured=True)
    make.exhibit("Chuyên đề nháp", published=False, featured=True)
    html = client.get("/").content.decode()
    for period in Period.objects.all():
        assert period.name in html
    assert exhibit.title in html
    assert "Chuyên đề nháp" not in html
    assert catalogue.tradition.title in html
    assert "Truyền thống bản nháp bí mật" not in html
    assert reverse("exhibits:visit") in html


def test_home_shows_the_introductory_video_when_one_is_published(client, make):
    item = make.item("Phim giới thiệu lịch sử Đảng bộ Khối", kind=Item.Kind.VIDEO, is_featured=True)
    video = make.media(item, "video", "Phim giới thiệu.mp4", b"\x00\x00\x00\x18ftypmp42", "video/mp4")
    html = client.get("/").content.decode()
    assert "<video" in html
    assert reverse("exhibits:media", kwargs={"pk": video.pk, "variant": "original"}) in html
    item.status = Item.Status.WITHDRAWN
    item.save()
    assert "<video" not in client.get("/").content.decode()


def test_period_page_shows_spans_bodies_leaders_items_and_timeline_place(client, catalogue, make, period):
    body = catalogue.bloc
    make.leader("Nguyễn Văn Bí Thư", body, Position.Role.SECRETARY, start=2010, end=2015)
    make.leader("Trần Thị Ủy Viên", body, Position.Role.STANDING_MEMBER, start=2010, end=2015)
    response = client.get(reverse("exhibits:period_detail", kwargs={"slug": period.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    assert period.name in html and "2007–nay" in html
    assert body.name in html
    assert "Nguyễn Văn Bí Thư" in html and "Bí thư" in html
    assert html.index("Nguyễn Văn Bí Thư") < html.index("Trần Thị Ủy Viên")
    assert catalogue.resolution.title in html  # a document
    assert catalogue.flag.title in html  # an artifact
    assert "Truyền thống bản nháp bí mật" not in html and "Truyền thống mật" not in html
    assert "timeline-bar" in html and "is-current" in html


def test_unknown_period_is_404(client, db):
    assert client.get("/thoi-ky/khong-co/").status_code == 404


def test_leaders_page_lists_secretaries_and_committees_by_body_and_term(client, make, db):
    body = Body.objects.get(short_name="Đảng bộ Khối")
    make.leader("Lê Văn Một", body, Position.Role.SECRETARY, start=2007, end=2010)
    make.leader("Phạm Văn Hai", body, Position.Role.SECRETARY, start=2010, end=2015)
    make.leader("Hoàng Thị Ba", body, Position.Role.EXECUTIVE_MEMBER, start=2010, end=2015)
    html = client.get(reverse("exhibits:leaders")).content.decode()
    assert "Lãnh đạo qua các thời kỳ" in html
    assert body.name in html
    assert "Nhiệm kỳ 2007–2010" in html and "Nhiệm kỳ 2010–2015" in html
    assert html.index("Lê Văn Một") < html.index("Phạm Văn Hai") < html.index("Hoàng Thị Ba")
    assert "Ủy viên Ban Chấp hành" in html


def test_timeline_places_partial_and_approximate_dates(client, catalogue, db):
    Item.objects.filter(pk__in=[catalogue.old.pk, catalogue.tradition.pk]).update(is_featured=True)
    Item.objects.filter(pk=catalogue.draft.pk).update(is_featured=True)
    html = client.get(reverse("exhibits:timeline")).content.decode()
    assert '<p class="timeline-date">khoảng thập niên 1950</p>' in html
    assert "tháng 4/2008" in html
    assert "Truyền thống bản nháp bí mật" not in html
    # The 1950s photograph sits in the first period, the 2008 album in the fourth.
    first = Period.objects.get(number=1)
    assert html.index(first.name) < html.index(catalogue.old.title) < html.index(catalogue.tradition.title)


def test_videos_page_lists_public_videos_only(client, make, db):
    public = make.item("Phim tư liệu Đại hội", kind=Item.Kind.VIDEO)
    make.media(public, "video", "dai-hoi.mp4", b"\x00\x00\x00\x18ftypmp42", "video/mp4")
    hidden = make.item("Phim nội bộ", kind=Item.Kind.VIDEO, access_level=Item.AccessLevel.INTERNAL)
    make.media(hidden, "video", "noi-bo.mp4", b"\x00\x00\x00\x18ftypmp42", "video/mp4")
    html = client.get(reverse("exhibits:videos")).content.decode()
    assert "Phim tư liệu Đại hội" in html
    assert "Phim nội bộ" not in html


def test_visit_page_shows_venues_address_and_contact(client, db):
    Venue.objects.filter(code="phong-truyen-thong").update(address="Số 1 Đường Thử, Hà Nội", phone="024 1234 5678")
    html = client.get(reverse("exhibits:visit")).content.decode()
    assert "Số 1 Đường Thử, Hà Nội" in html
    assert "024 1234 5678" in html


def test_exhibit_list_and_page_render_blocks_with_public_items_only(client, catalogue, make, period):
    exhibit = make.exhibit("Đảng bộ Khối qua ảnh", period=period, summary="Những hình ảnh tiêu biểu.")
    make.block(exhibit, ExhibitBlock.Kind.TEXT, heading="Mở đầu", text="Đoạn mở đầu của chuyên đề.")
    make.block(exhibit, ExhibitBlock.Kind.QUOTE, text="Đoàn kết, đoàn kết, đại đoàn kết.", quote_source="Hồ Chí Minh")
    make.block(exhibit, ExhibitBlock.Kind.ITEM, item=catalogue.tradition, text="Ảnh tiêu biểu.")
    make.block(exhibit, ExhibitBlock.Kind.ITEM, item=catalogue.draft)
    make.block(exhibit, ExhibitBlock.Kind.GALLERY, items=[catalogue.resolution, catalogue.secret, catalogue.flag])
    make.block(exhibit, ExhibitBlock.Kind.TIMELINE, text="2007: Tái thành lập Đảng bộ Khối\n2010: Đại hội lần thứ nhất")
    assert exhibit.title in client.get(reverse("exhibits:exhibit_list")).content.decode()
    html = client.get(exhibit.get_absolute_url()).content.decode()
    assert "Đoạn mở đầu của chuyên đề." in html
    assert "Đoàn kết, đoàn kết, đại đoàn kết." in html and "Hồ Chí Minh" in html
    assert catalogue.tradition.title in html and catalogue.resolution.title in html and catalogue.flag.title in html
    assert catalogue.draft.title not in html and catalogue.secret.title not in html
    assert "Tái thành lập Đảng bộ Khối" in html
    assert "Bản xem trước" not in html


def test_draft_exhibit_is_404_for_visitors_and_a_preview_for_staff(client, make, propaganda_user, django_user_model):
    exhibit = make.exhibit("Chuyên đề đang soạn", published=False)
    assert client.get(exhibit.get_absolute_url()).status_code == 404
    assert client.get(reverse("exhibits:exhibit_print", kwargs={"slug": exhibit.slug})).status_code == 404
    client.force_login(propaganda_user)
    response = client.get(exhibit.get_absolute_url())
    assert response.status_code == 200
    assert "Bản xem trước" in response.content.decode()
    other = django_user_model.objects.create_user("khach", password="x", is_staff=False)
    client.force_login(other)
    assert client.get(exhibit.get_absolute_url()).status_code == 404


def test_exhibit_print_view_is_an_a4_leaflet_with_a_qr_code(client, make):
    exhibit = make.exhibit("Tờ rơi chuyên đề")
    make.block(exhibit, ExhibitBlock.Kind.TEXT, text="Nội dung tờ rơi.")
    html = client.get(reverse("exhibits:exhibit_print", kwargs={"slug": exhibit.slug})).content.decode()
    assert "leaflet.css" in html
    assert "<svg" in html
    assert "Nội dung tờ rơi." in html


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("exhibits:home", {}),
        ("exhibits:period_list", {}),
        ("exhibits:period_detail", {"slug": "2007-nay"}),
        ("exhibits:timeline", {}),
        ("exhibits:leaders", {}),
        ("exhibits:item_list", {}),
        ("exhibits:search", {}),
        ("exhibits:exhibit_list", {}),
        ("exhibits:videos", {}),
        ("exhibits:visit", {}),
        ("exhibits:contribute", {}),
    ],
)
def test_pages_answer_in_both_languages(client, catalogue, name, kwargs):
    for language in ("vi", "en"):
        from django.utils import translation

        with translation.override(language):
            url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode()


def test_period_page_shows_eight_documents_and_still_the_artifacts(client, catalogue, make, period):
    for n in range(12):
        make.item(f"Văn bản số {n}", period=period)
    context = client.get(reverse("exhibits:period_detail", kwargs={"slug": period.slug})).context
    assert len(context["documents"]) == 8
    assert [item.title for item in context["artifacts"]] == [catalogue.flag.title]
