"""Search inside documents: the public search finds the words of a public item's pages (ranked
below its own text, with the page and a snippet), never those of a draft; the item page lists its
pages with the words and opens the viewer there with their boxes; the IIIF Content Search answer;
a cataloguer's correction changes what is found at once and stays in the history; the fields
proposed from the first page."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from archive import proposals
from archive.models import Item, MediaFile, PageText

pytestmark = pytest.mark.django_db

PAGE = "Hội nghị cán bộ chủ chốt họp tại Tân Trào\nbàn về công tác phát động thi đua"


def media_of(item: Item, pages: int = 2) -> MediaFile:
    sizes = [{"width": 2480, "height": 3508, "whole": "310,438"} for _ in range(pages)]
    return MediaFile.objects.create(
        item=item,
        kind=MediaFile.Kind.PDF,
        file="items/aa/x.pdf",
        original_name="van-ban.pdf",
        page_count=pages,
        tiles="tiles/aa/x",
        tiled_pages=pages,
        tiled_sizes=sizes,
        status=MediaFile.Status.READY,
        text_status=MediaFile.TextStatus.READY,
    )


def page_of(media: MediaFile, number: int, text: str) -> PageText:
    words, y = [], 100
    for line in text.splitlines():
        x = 100
        for word in line.split():
            words.append([word, x, y, 40 * len(word), 50])
            x += 40 * len(word) + 30
        y += 80
    return PageText.objects.create(
        media_file=media, item=media.item, page=number, source=PageText.Source.OCR, text=text, words=words
    )


@pytest.fixture
def public_item(db):
    item = Item.objects.create(
        title="Báo cáo công tác năm 1948",
        summary="Báo cáo tổng kết",
        status=Item.Status.PUBLISHED,
        access_level=Item.AccessLevel.PUBLIC,
        is_sample=True,
    )
    media = media_of(item)
    page_of(media, 1, "Trang đầu của báo cáo")
    page_of(media, 2, PAGE)
    return item


@pytest.fixture
def draft_item(db):
    item = Item.objects.create(title="Bản thảo công văn", status=Item.Status.DRAFT, is_sample=True)
    page_of(media_of(item, pages=1), 1, "Chiến dịch Biên giới thu đông")
    return item


def test_the_public_search_finds_a_word_only_inside_a_page(client, public_item, draft_item):
    response = client.get(reverse("exhibits:search"), {"q": "tan trao"})
    html = response.content.decode()
    assert public_item.title in html
    assert "Trang 2" in html and "<mark>Tân Trào</mark>" in html
    assert f"?tim=tan+trao&amp;tep={public_item.media.get().pk}&amp;trang=2#tep-" in html


def test_a_drafts_page_text_finds_nothing(client, public_item, draft_item):
    assert not Item.objects.public().search("bien gioi thu dong", pages=True).exists()
    html = client.get(reverse("exhibits:search"), {"q": "biên giới thu đông"}).content.decode()
    assert draft_item.title not in html and "Biên giới" not in html
    item_page = client.get(draft_item.get_absolute_url(), {"tim": "bien gioi"})
    assert item_page.status_code == 404


def test_a_match_in_the_title_ranks_above_one_inside_a_page(client, public_item):
    titled = Item.objects.create(
        title="Thi đua ái quốc", status=Item.Status.PUBLISHED, access_level=Item.AccessLevel.PUBLIC, is_sample=True
    )
    html = client.get(reverse("exhibits:search"), {"q": "thi dua"}).content.decode()
    assert html.index(titled.get_absolute_url()) < html.index(public_item.get_absolute_url())


def test_codes_and_years_inside_pages_are_found(public_item):
    page = PageText.objects.get(item=public_item, page=1)
    page.corrected_text = "Công văn số 36-HD/VPTW năm 1948"
    page.save()
    assert list(Item.objects.public().search("HD/VPTW", pages=True)) == [public_item]
    assert not Item.objects.public().search("HD/VPTW").exists()  # not in the item's own text


def test_the_item_page_lists_its_pages_with_the_words_and_opens_the_viewer_there(client, public_item):
    response = client.get(public_item.get_absolute_url(), {"tim": "Tân Trào"})
    html = response.content.decode()
    assert "Tìm trong tư liệu này" in html
    assert 'name="tim" value="Tân Trào"' in html
    assert "<mark>Tân Trào</mark>" in html and ">Trang 2</a>" in html
    assert 'data-start="1"' in html
    boxes = json.loads(html.split('data-boxes="')[1].split('"')[0].replace("&quot;", '"'))
    page = PageText.objects.get(item=public_item, page=2)
    expected = [box for word, *box in page.words if word in ("Tân", "Trào")]
    assert boxes == expected and len(boxes) == 2


def test_the_item_page_says_when_no_page_has_the_words(client, public_item):
    html = client.get(public_item.get_absolute_url(), {"tim": "Điện Biên"}).content.decode()
    assert "Không trang nào của tư liệu này có “Điện Biên”." in html


def test_the_content_search_answers_with_the_words_boxes_on_the_canvas(client, public_item, draft_item):
    manifest = client.get(reverse("archive:iiif_manifest", args=[public_item.inventory_number])).json()
    service = manifest["service"][0]
    assert service["type"] == "SearchService2"
    answer = client.get(service["id"], {"q": "tan trao"}).json()
    assert answer["type"] == "AnnotationPage" and answer["@context"] == "http://iiif.io/api/search/2/context.json"
    media = public_item.media.get()
    targets = [annotation["target"] for annotation in answer["items"]]
    canvas = manifest["items"][1]["id"]
    assert canvas.endswith(f"/canvas/{media.pk}/1")
    words = PageText.objects.get(item=public_item, page=2).words
    expected = [f"{canvas}#xywh={x},{y},{w},{h}" for word, x, y, w, h in words if word in ("Tân", "Trào")]
    assert targets == expected and len(expected) == 2
    assert [a["body"]["value"] for a in answer["items"]] == ["Tân", "Trào"]
    assert (
        client.get(reverse("archive:iiif_search", args=[draft_item.inventory_number]), {"q": "bien"}).status_code == 404
    )


def test_a_correction_changes_the_search_at_once_and_the_history_keeps_it(client, admin_client, public_item):
    page = PageText.objects.get(item=public_item, page=2)
    url = reverse("admin:archive_pagetext_change", args=[page.pk])
    form = admin_client.get(url).content.decode()
    assert "Tân Trào" in form and "data-deepzoom" in form  # the text beside the page's picture
    corrected = "Hội nghị cán bộ chủ chốt họp tại Định Hóa\nbàn về công tác phát động thi đua"
    response = admin_client.post(url, {"corrected_text": corrected, "checked": "on"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.checked and page.checked_by.is_superuser and page.checked_at
    assert page.text == PAGE  # the machine's reading stays beside the correction
    search = reverse("exhibits:search")
    assert public_item.title in client.get(search, {"q": "dinh hoa"}).content.decode()
    assert public_item.title not in client.get(search, {"q": "tan trao"}).content.decode()
    history = list(page.history.order_by("history_date").values_list("corrected_text", flat=True))
    assert history == ["", corrected]
    assert "Định Hóa" in admin_client.get(reverse("admin:archive_pagetext_history", args=[page.pk])).content.decode()


def test_an_unchanged_text_is_not_stored_as_a_correction(admin_client, public_item):
    page = PageText.objects.get(item=public_item, page=2)
    admin_client.post(reverse("admin:archive_pagetext_change", args=[page.pk]), {"corrected_text": PAGE})
    page.refresh_from_db()
    assert page.corrected_text == "" and not page.checked


FIRST_PAGE = """VĂN PHÒNG TRUNG ƯƠNG ĐẢNG ĐẢNG CỘNG SẢN VIỆT NAM
Số 36- HD/VPTW Hà Nội, ngày 12 tháng 4 năm 2007

HƯỚNG DẪN
Về công tác lập hồ sơ và giao nộp
hồ sơ, tài liệu vào lưu trữ

Thực hiện Quy định của Ban Bí thư..."""


def test_the_first_page_proposes_the_fields_and_the_form_fills_none(admin_client, public_item):
    from archive.models import Body

    body = Body.objects.create(name="Văn phòng Trung ương Đảng", short_name="VPTW")
    page = PageText.objects.get(item=public_item, page=1)
    page.corrected_text = FIRST_PAGE
    page.save()
    found = {proposal.field: proposal.value for proposal in proposals.item_proposals(public_item)}
    assert found == {
        "number_symbol": "36-HD/VPTW",
        "place_of_issue": "Hà Nội",
        "date_text": "12/04/2007",
        "issuing_body": str(body.pk),
        "document_type": "guidance",
        "summary": "Về công tác lập hồ sơ và giao nộp hồ sơ, tài liệu vào lưu trữ",
    }
    form = admin_client.get(reverse("admin:archive_item_change", args=[public_item.pk])).content.decode()
    assert 'data-proposal-field="number_symbol" data-proposal-value="36-HD/VPTW"' in form
    assert "Đọc từ trang đầu" in form and "2 trang có chữ, 0 trang đã soát." in form
    public_item.refresh_from_db()
    assert public_item.number_symbol == "" and public_item.place_of_issue == ""  # nothing filled by itself


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Số 36- HD/VPTW", "36-HD/VPTW"),
        ("Số: 36 - HD | VPTW", "36-HD/VPTW"),
        ("Số 3O-HD/VPTW", "30-HD/VPTW"),
        ("So 05/2025/TT-BNV", "05/2025/TT-BNV"),
        ("Không có số", None),
    ],
)
def test_the_number_is_repaired_as_ocr_breaks_it(text, number):
    assert proposals.repaired_number(text) == number
