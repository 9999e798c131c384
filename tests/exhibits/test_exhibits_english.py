"""English content: the English pages show an item's, an exhibit's and a period's English text where
there is one and the Vietnamese, marked lang="vi", where there is none; English search finds English
words; the admin edits both languages side by side; the API gives both."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from archive.models import Item, Period
from exhibits.models import ExhibitBlock

pytestmark = pytest.mark.django_db


def english(path: str) -> str:
    return "/en" + path


def h1(html: str) -> str:
    return re.search(r"<h1[^>]*>.*?</h1>", html, re.S).group(0)


def test_an_english_item_page_shows_the_english_title_and_summary(client, make, period):
    item = make.item(
        "Nghị quyết về công tác tuyên giáo",
        title_en="Resolution on propaganda and education work",
        summary="Trích yếu tiếng Việt.",
        summary_en="The English summary.",
        period=period,
    )
    html = client.get(english(item.get_absolute_url())).content.decode()
    assert h1(html) == "<h1>Resolution on propaganda and education work</h1>"
    assert '<p class="lead">The English summary.</p>' in html
    assert "Nghị quyết về công tác tuyên giáo" not in html


def test_an_item_without_english_shows_the_vietnamese_marked_as_vietnamese(client, make, period):
    item = make.item("Ảnh Đại hội lần thứ nhất", summary="Ảnh tập thể đại biểu.", period=period)
    html = client.get(english(item.get_absolute_url())).content.decode()
    assert '<html lang="en">' in html
    assert h1(html) == '<h1 lang="vi">Ảnh Đại hội lần thứ nhất</h1>'
    assert '<p class="lead" lang="vi">Ảnh tập thể đại biểu.</p>' in html
    # The period has its English name from the seed: the breadcrumb is not marked.
    assert f">{escape(period.name_en)}</a>" in html


def test_the_vietnamese_page_is_unchanged_by_an_english_title(client, make):
    item = make.item("Cờ thi đua của Đảng bộ Khối", title_en="Emulation flag of the Bloc's Party Organisation")
    html = client.get(item.get_absolute_url()).content.decode()
    assert h1(html) == "<h1>Cờ thi đua của Đảng bộ Khối</h1>"
    assert "Emulation flag" not in html
    assert 'lang="vi">' not in html.split("<body", 1)[1]


def test_the_original_columns_keep_the_vietnamese_when_saved_on_an_english_request(make):
    item = make.item("Huy hiệu 40 năm tuổi Đảng")
    with translation.override("en"):
        item.title = "40-year Party membership badge"
        item.save()
    stored = Item.objects.rewrite(False).values("title", "title_vi", "title_en").get(pk=item.pk)
    assert stored == {
        "title": "Huy hiệu 40 năm tuổi Đảng",
        "title_vi": "Huy hiệu 40 năm tuổi Đảng",
        "title_en": "40-year Party membership badge",
    }


def test_english_search_finds_a_word_only_the_english_title_has(client, make):
    item = make.item("Bằng khen của Ban Chấp hành", title_en="Certificate of merit from the Executive Committee")
    make.item("Giấy khen chi bộ")
    with translation.override("en"):
        url = reverse("exhibits:search")
    html = client.get(url, {"q": "certificate"}).content.decode()
    # The found word is highlighted in the English title the card shows.
    assert "<mark>Certificate</mark> of merit from the Executive Committee" in html
    assert "Giấy khen chi bộ" not in html
    # The Vietnamese search is as before: the Vietnamese title, found without diacritics.
    assert item in Item.objects.search("bang khen")
    assert list(Item.objects.search("ban chap hanh")) == [item]


def test_an_edit_of_the_english_title_shows_on_the_cached_english_page(client, make):
    item = make.item("Sổ vàng truyền thống", title_en="Golden book")
    url = english(item.get_absolute_url())
    assert "Golden book" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    item.title_en = "Golden book of traditions"
    item.save()
    assert h1(client.get(url).content.decode()) == "<h1>Golden book of traditions</h1>"


def test_an_exhibit_in_english_with_one_block_left_in_vietnamese(client, make):
    exhibit = make.exhibit("Những mốc son", title_en="Milestones", summary="Tóm tắt.", summary_en="In short.")
    make.block(exhibit, ExhibitBlock.Kind.TEXT, heading="Mở đầu", heading_en="Opening", text="Lời mở đầu.")
    url = english(exhibit.get_absolute_url())
    html = client.get(url).content.decode()
    assert h1(html) == "<h1>Milestones</h1>"
    assert '<p class="lead">In short.</p>' in html
    assert "<h2>Opening</h2>" in html
    assert '<div class="prose" lang="vi"><p>Lời mở đầu.</p></div>' in html
    # The request to /en/ left English active here: the Vietnamese text is named as such.
    timeline = make.block(exhibit, ExhibitBlock.Kind.TIMELINE, text_vi="1948: Thành lập Liên chi")
    html = client.get(url).content.decode()
    assert '<p class="timeline-title" lang="vi">Thành lập Liên chi</p>' in html
    timeline.text_en = "1948: The Inter-Branch is founded"
    timeline.save()
    html = client.get(url).content.decode()
    assert '<p class="timeline-title">The Inter-Branch is founded</p>' in html
    with translation.override("en"):
        listing = client.get(reverse("exhibits:exhibit_list")).content.decode()
    assert ">Milestones</a>" in listing


def test_a_period_without_an_english_summary_marks_the_vietnamese(client):
    period = Period.objects.get(number=1)
    Period.objects.filter(pk=period.pk).update(summary="Tóm tắt thời kỳ.", summary_en="")
    html = client.get(english(reverse("exhibits:period_detail", args=[period.slug]))).content.decode()
    assert h1(html) == f"<h1>{escape(period.name_en)}</h1>"
    assert '<p class="lead" lang="vi">Tóm tắt thời kỳ.</p>' in html


def test_the_admin_item_form_has_both_languages_side_by_side(client, propaganda_user, make):
    client.force_login(propaganda_user)
    item = make.item("Quyết định thành lập", title_en="Founding decision")
    html = client.get(reverse("admin:archive_item_change", args=[item.pk])).content.decode()
    start = html.index('<div class="form-row field-title_vi field-title_en">')  # one row, both titles
    row = html[start : html.index('<div class="form-row', start + 1)]
    assert 'value="Quyết định thành lập"' in row and 'value="Founding decision"' in row
    for name in ("summary", "description"):
        assert f'name="{name}_vi"' in html and f'name="{name}_en"' in html
    assert 'name="title"' not in html


def test_the_admin_saves_the_english_title(client, propaganda_user, make):
    client.force_login(propaganda_user)
    item = make.item("Quyết định thành lập")
    form = client.get(reverse("admin:archive_item_change", args=[item.pk])).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if not isinstance(v, list)}
    data.update(
        {
            "title_vi": "Quyết định thành lập",
            "title_en": "Founding decision",
            "media-TOTAL_FORMS": 0,
            "media-INITIAL_FORMS": 0,
            "media-MIN_NUM_FORMS": 0,
            "media-MAX_NUM_FORMS": 1000,
            "_save": "1",
        }
    )
    response = client.post(reverse("admin:archive_item_change", args=[item.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert (item.title_vi, item.title_en) == ("Quyết định thành lập", "Founding decision")


def test_the_api_gives_both_languages(client, make):
    item = make.item("Nghị quyết", title_en="Resolution", description="Mô tả.")
    payload = client.get(f"/api/items/{item.inventory_number}").json()
    assert payload["title"] == {"vi": "Nghị quyết", "en": "Resolution"}
    assert payload["description"] == {"vi": "Mô tả.", "en": None}
    exhibit = make.exhibit("Chuyên đề", title_en="Exhibit")
    make.block(exhibit, ExhibitBlock.Kind.TEXT, text="Đoạn văn.", text_en="A paragraph.")
    payload = client.get(f"/api/exhibits/{exhibit.slug}").json()
    assert payload["title"] == {"vi": "Chuyên đề", "en": "Exhibit"}
    assert payload["blocks"][0]["text"] == {"vi": "Đoạn văn.", "en": "A paragraph."}
