"""Item pages, media streaming, short URLs, QR codes, label sheets: public items only."""

import pytest
from django.urls import reverse

from archive.models import Item

pytestmark = pytest.mark.django_db


def detail_url(item):
    return reverse("exhibits:item_detail", kwargs={"inventory_number": item.inventory_number})


def test_item_page_shows_metadata_under_vietnamese_labels_without_staff_fields(client, catalogue):
    item = catalogue.resolution
    Item.objects.filter(pk=item.pk).update(staff_notes="Ghi chú không công khai", place_of_issue="Hà Nội")
    html = client.get(detail_url(item)).content.decode()
    assert "<dt>Số đăng ký</dt>" in html and item.inventory_number in html
    assert "<dt>Số và ký hiệu</dt>" in html and "01-NQ/ĐUK" in html
    assert "<dt>Thể loại văn bản</dt>" in html
    assert "<dt>Ngày tháng</dt>" in html and "15/10/2010" in html
    assert "<dt>Địa danh ban hành</dt>" in html and "Hà Nội" in html
    assert "Ghi chú không công khai" not in html
    assert "Trạng thái" not in html and "Mức độ tiếp cận" not in html


def test_item_page_has_viewer_gallery_links_to_large_images_citation_and_qr(client, catalogue, settings):
    settings.SITE_URL = "https://truyenthong.example.vn"
    item = catalogue.tradition
    html = client.get(detail_url(item)).content.decode()
    media = list(item.media.order_by("-is_primary", "position", "pk"))
    large = reverse("exhibits:media", kwargs={"pk": media[0].pk, "variant": "large"})
    assert f'href="{large}"' in html  # works without JavaScript
    assert "srcset=" in html and 'sizes="' in html and 'width="' in html and 'loading="lazy"' in html
    assert "viewer-gallery" in html
    assert "Trích dẫn" in html
    short = f"https://truyenthong.example.vn/t/{item.inventory_number}"
    assert f'<a href="{short}">{short}</a></p>' in html  # the citation ends with the absolute short URL
    assert reverse("exhibits:item_qr", kwargs={"inventory_number": item.inventory_number}) in html
    assert "exhibits.js" in html


def test_item_page_has_pdf_viewer_and_download(client, catalogue, make):
    pdf = make.media(catalogue.resolution, "pdf", "Nghị quyết số 01.pdf", make.pdf, "application/pdf")
    html = client.get(detail_url(catalogue.resolution)).content.decode()
    assert "<iframe" not in html  # Android's Chrome renders none; the pages are pictures (deep zoom)
    assert reverse("exhibits:media", kwargs={"pk": pdf.pk, "variant": "original"}) + "?tai-ve=1" in html


def test_item_page_shows_related_items_of_the_same_body_first(client, catalogue):
    related = client.get(detail_url(catalogue.tradition)).context["related"]
    titles = [item.title for item in related]
    assert titles[0] == catalogue.resolution.title  # same body
    assert catalogue.flag.title in titles  # same period
    assert not {i.title for i in catalogue.hidden} & set(titles)


def test_shelf_position_of_a_public_item_shows_but_never_for_a_classified_one(client, catalogue):
    assert "Tủ 3, ngăn 2" in client.get(detail_url(catalogue.flag)).content.decode()
    from exhibits.views import item_metadata

    catalogue.secret.location = "Kho mật, tủ 1"
    assert "Kho mật, tủ 1" not in str(item_metadata(catalogue.secret))


def test_non_public_items_are_404_everywhere(client, catalogue):
    for item in catalogue.hidden:
        assert client.get(detail_url(item)).status_code == 404
        assert client.get(reverse("exhibits:short", kwargs={"code": item.inventory_number})).status_code == 404
        qr = reverse("exhibits:item_qr", kwargs={"inventory_number": item.inventory_number})
        assert client.get(qr).status_code == 404
        for media in item.media.all():
            for variant in ("original", "thumbnail", "medium", "large"):
                url = reverse("exhibits:media", kwargs={"pk": media.pk, "variant": variant})
                assert client.get(url).status_code == 404


def test_short_url_redirects_to_the_item_page(client, catalogue):
    item = catalogue.flag
    response = client.get(f"/t/{item.inventory_number}")
    assert response.status_code == 302
    assert response["Location"] == f"/tu-lieu/{item.inventory_number}/"
    assert client.get(f"/t/{item.inventory_number.lower()}")["Location"] == f"/tu-lieu/{item.inventory_number}/"
    assert client.get(f"/en/t/{item.inventory_number}")["Location"] == f"/en/tu-lieu/{item.inventory_number}/"
    assert client.get("/t/KHONG-CO").status_code == 404


def test_short_url_of_an_exhibit(client, make):
    exhibit = make.exhibit("Chuyên đề QR", slug="chuyen-de-qr")
    assert client.get("/t/chuyen-de-qr")["Location"] == exhibit.get_absolute_url()
    make.exhibit("Nháp", slug="nhap", published=False)
    assert client.get("/t/nhap").status_code == 404


def test_qr_code_is_an_svg_of_the_absolute_short_url(client, catalogue, settings):
    settings.SITE_URL = "https://truyenthong.example.vn"
    item = catalogue.flag
    response = client.get(reverse("exhibits:item_qr", kwargs={"inventory_number": item.inventory_number}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<svg ')
    html = client.get(detail_url(item)).content.decode()
    assert f"https://truyenthong.example.vn/t/{item.inventory_number}" in html


def test_media_streams_public_files_and_downloads_keep_the_vietnamese_name(client, catalogue, make):
    pdf = make.media(catalogue.resolution, "pdf", "Nghị quyết số 01.pdf", make.pdf, "application/pdf")
    url = reverse("exhibits:media", kwargs={"pk": pdf.pk, "variant": "original"})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content) == make.pdf
    download = client.get(url + "?tai-ve=1")
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=utf-8''Ngh%E1%BB%8B%20quy%E1%BA%BFt%20s%E1%BB%91%2001.pdf" in disposition


def test_media_derivative_variants_and_missing_derivatives(client, catalogue, make):
    media = catalogue.tradition.media.first()
    response = client.get(reverse("exhibits:media", kwargs={"pk": media.pk, "variant": "thumbnail"}))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    bare = make.image(catalogue.flag, derivatives=False)
    assert client.get(reverse("exhibits:media", kwargs={"pk": bare.pk, "variant": "large"})).status_code == 404
    html = client.get(detail_url(catalogue.flag)).content.decode()
    assert reverse("exhibits:media", kwargs={"pk": bare.pk, "variant": "original"}) in html
    assert client.get(f"/tep/{media.pk}/khong-co/").status_code == 404


def print_labels(client, items):
    """Run the item list's "print QR labels" action on ``items``, as staff do."""
    return client.post(
        reverse("admin:archive_item_changelist"),
        {"action": "print_qr_labels", "_selected_action": [item.pk for item in items]},
    )


def test_the_label_action_sends_the_selection_to_the_label_sheet(client, catalogue, superuser):
    client.force_login(superuser)
    items = sorted([catalogue.flag, catalogue.draft], key=lambda item: item.inventory_number)
    response = print_labels(client, items)
    assert response.status_code == 302
    assert response["Location"] == reverse("exhibits:qr_labels") + "?ids=" + ",".join(str(i.pk) for i in items)


def test_label_sheet_prints_public_items_and_refuses_the_others(client, catalogue, superuser, settings):
    settings.SITE_URL = "https://truyenthong.example.vn"
    client.force_login(superuser)
    response = print_labels(client, [catalogue.flag, catalogue.tradition, catalogue.draft])
    response = client.get(response["Location"])
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="label"') == 2
    assert catalogue.flag.inventory_number in html and catalogue.flag.title in html
    assert f"https://truyenthong.example.vn/t/{catalogue.flag.inventory_number}" in html
    assert "<svg" in html and "labels.css" in html
    assert catalogue.draft.title not in html
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert catalogue.draft.inventory_number in messages[0] and "chưa công khai" in messages[0]


def test_label_sheet_with_only_non_public_items_returns_to_the_list(client, catalogue, superuser):
    client.force_login(superuser)
    sheet = print_labels(client, [catalogue.secret])["Location"]
    response = client.get(sheet)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:archive_item_changelist")
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert any(catalogue.secret.inventory_number in m and "chưa công khai" in m for m in messages)


def test_label_sheet_ignores_what_is_not_an_item_key(client, catalogue, superuser):
    client.force_login(superuser)
    response = client.get(reverse("exhibits:qr_labels"), {"ids": f"x,{catalogue.flag.pk},,-3,{catalogue.flag.pk}"})
    assert response.status_code == 200
    assert response.content.decode().count('class="label"') == 1


def test_label_action_refuses_a_selection_larger_than_one_sheet_run(client, catalogue, superuser, monkeypatch):
    from archive import admin as archive_admin

    monkeypatch.setattr(archive_admin, "QR_LABELS_AT_ONCE", 1)
    client.force_login(superuser)
    response = print_labels(client, [catalogue.flag, catalogue.tradition])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:archive_item_changelist"))
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert any("tối đa 1 tư liệu" in m for m in messages)


def test_staff_build_an_exhibit_from_ordered_blocks_in_the_admin(client, propaganda_user, catalogue, period):
    client.force_login(propaganda_user)
    assert client.get("/admin/exhibits/exhibit/add/").status_code == 200
    data = {
        "title_vi": "Chuyên đề mới",
        "slug": "chuyen-de-moi",
        "summary_vi": "Tóm tắt.",
        "cover_alt_vi": "",
        "period": period.pk,
        "status": "draft",
        "ordering": 0,
        "blocks-TOTAL_FORMS": 2,
        "blocks-INITIAL_FORMS": 0,
        "blocks-MIN_NUM_FORMS": 0,
        "blocks-MAX_NUM_FORMS": 1000,
        "blocks-0-position": 2,
        "blocks-0-kind": "item",
        "blocks-0-item": catalogue.flag.pk,
        "blocks-1-position": 1,
        "blocks-1-kind": "text",
        "blocks-1-text_vi": "Lời mở đầu.",
    }
    response = client.post("/admin/exhibits/exhibit/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    from exhibits.models import Exhibit

    exhibit = Exhibit.objects.get(slug="chuyen-de-moi")
    assert [b.kind for b in exhibit.blocks.order_by("position")] == ["text", "item"]
    preview = client.get(exhibit.get_absolute_url()).content.decode()
    assert "Bản xem trước" in preview
    assert preview.index("Lời mở đầu.") < preview.index(catalogue.flag.title)


def test_a_text_block_without_text_is_refused_in_vietnamese(client, propaganda_user):
    client.force_login(propaganda_user)
    data = {
        "title_vi": "Chuyên đề lỗi",
        "slug": "chuyen-de-loi",
        "status": "draft",
        "ordering": 0,
        "blocks-TOTAL_FORMS": 1,
        "blocks-INITIAL_FORMS": 0,
        "blocks-MIN_NUM_FORMS": 0,
        "blocks-MAX_NUM_FORMS": 1000,
        "blocks-0-position": 1,
        "blocks-0-kind": "text",
        "blocks-0-text_vi": "",
    }
    response = client.post("/admin/exhibits/exhibit/add/", data)
    assert response.status_code == 200
    assert "khối đoạn văn hoặc trích dẫn cần có nội dung" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/tep/99999999999999999999999999/original/",
        "/tu-lieu/" + "X" * 500 + "/",
        "/t/" + "Đ" * 300,
        "/tu-lieu/TL-2024-00001%00/",
        "/trung-bay/" + "a" * 300 + "/",
        "/thoi-ky/%E2%80%AE/",
    ],
)
def test_malformed_addresses_are_404_not_500(client, catalogue, url):
    assert client.get(url).status_code == 404


def test_head_requests_are_answered(client, catalogue):
    assert client.head("/").status_code == 200
    assert client.head(detail_url(catalogue.flag)).status_code == 200


def test_related_items_rank_the_congress_then_a_shared_body_then_the_period_each_by_date(make, period):
    from archive.models import Body, Congress
    from archive.partial_dates import PartialDate
    from exhibits.selectors import item_page, related_items

    first, second = Body.objects.order_by("pk")[:2]
    congress = Congress.objects.create(body=first, number=3, name="Đại hội lần thứ III")
    item = make.item("Nghị quyết Đại hội III", period=period, congress=congress, bodies=[first])
    make.item("Cùng thời kỳ, muộn", period=period, date=PartialDate(2020))
    make.item("Cùng thời kỳ, sớm", period=period, date=PartialDate(2009))
    make.item("Chung một tổ chức", period=period, bodies=[second, first], date=PartialDate(2021))
    make.item("Cùng đại hội", congress=congress, date=PartialDate(2022))
    make.item("Cùng đại hội, bản nháp", public=False, congress=congress, period=period)
    titles = [related.title for related in related_items(item_page(item.inventory_number))]
    assert titles == ["Cùng đại hội", "Chung một tổ chức", "Cùng thời kỳ, sớm", "Cùng thời kỳ, muộn"]
    assert len(related_items(item, limit=2)) == 2
