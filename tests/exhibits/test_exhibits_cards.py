"""Item cards (``exhibits/_cards.html``) and facet links of the list pages."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from archive.models import Item, Period
from archive.partial_dates import PartialDate
from exhibits.search import FacetValue, highlight
from exhibits.selectors import item_cards
from exhibits.templatetags.exhibits_tags import facet_items, query_url


def _render(items) -> str:
    return render_to_string("exhibits/_cards.html", {"items": items})


def _cards_of(queryset) -> str:
    return _render(item_cards(queryset))


def test_card_links_the_item_page_shows_its_thumbnail_date_and_kind(make, db):
    item = make.item("Ảnh Đại hội", kind=Item.Kind.PHOTO, date=PartialDate(2008, 4))
    media = make.image(item)
    html = _cards_of(Item.objects.filter(pk=item.pk))
    assert f'href="{item.get_absolute_url()}"' in html
    assert f'src="/tep/{media.pk}/thumbnail/"' in html
    assert f"/tep/{media.pk}/medium/ 960w" in html  # srcset from the derivatives, scaled from 1200 × 900
    assert 'width="960" height="720"' in html
    assert '<p class="item-card-meta">tháng 4/2008 · Ảnh</p>' in html


def test_card_of_an_item_without_a_picture_shows_its_kind(make, db):
    item = make.item("Cờ thi đua", kind=Item.Kind.ARTIFACT)
    html = _cards_of(Item.objects.filter(pk=item.pk))
    assert '<span class="item-card-kind" aria-hidden="true">Hiện vật</span>' in html
    assert "<img" not in html


def test_card_picture_is_the_primary_media_file(make, db):
    item = make.item("Hai ảnh")
    make.image(item, primary=False, position=0)
    primary = make.image(item, primary=True, position=5)
    html = _cards_of(Item.objects.filter(pk=item.pk))
    assert re.search(rf'src="/tep/{primary.pk}/thumbnail/"', html)


def test_card_escapes_what_cataloguers_typed_and_keeps_highlighted_html(make, db):
    item = make.item('Thư "gửi" <các> đồng chí & bạn', kind=Item.Kind.DOCUMENT)
    loaded = list(item_cards(Item.objects.filter(pk=item.pk)))
    assert "Thư &quot;gửi&quot; &lt;các&gt; đồng chí &amp; bạn" in _render(loaded)
    loaded[0].title_html = highlight(item.title, ["gui"])
    assert '<span class="item-card-title">Thư &quot;<mark>gửi</mark>&quot; &lt;các&gt;' in _render(loaded)


def test_cards_of_english_pages_link_the_english_item_page(make, db):
    item = make.item("Tư liệu", kind=Item.Kind.DOCUMENT)
    with translation.override("en"):
        html = _cards_of(Item.objects.filter(pk=item.pk))
        assert f'href="/en/tu-lieu/{item.inventory_number}/"' in html
        english = str(Item.Kind.DOCUMENT.label)
        assert english != "Tài liệu văn bản"
        assert f'<p class="item-card-meta">{english}</p>' in html


def test_a_page_of_cards_reads_its_items_and_their_media_in_two_queries(make, db, django_assert_num_queries):
    items = [make.item(f"Tư liệu {n}") for n in range(6)]
    for item in items[:4]:
        make.image(item)
    with django_assert_num_queries(2):
        html = _cards_of(Item.objects.filter(pk__in=[i.pk for i in items]))
    assert html.count('<li class="item-card">') == 6
    assert html.count("<img") == 4


@pytest.mark.parametrize(
    "path", ["/tu-lieu/", "/tu-lieu/?q=truyen+thong&page=2", "/tu-lieu/?kind=photo&period=4", "/tim-kiem/?q=%3Cb%3E"]
)
def test_facet_links_are_the_addresses_query_url_gives(path, db):
    request = RequestFactory().get(path)
    context = {"request": request}
    values = [FacetValue("photo", "Ảnh", 1234, selected="kind=photo" in path), FacetValue("document", "Tài liệu", 5)]
    html = str(facet_items(context, values, "kind"))
    selected, other = html.split("</li>")[:2]
    expected = query_url(context, kind="" if "kind=photo" in path else "photo").replace("&", "&amp;")
    assert f'href="{expected}"' in selected
    assert f'href="{query_url(context, kind="document").replace("&", "&amp;")}"' in other
    assert "(1.234)" in selected  # thousands as Vietnamese write them
    assert ("bỏ chọn" in selected) == ("kind=photo" in path)
    assert "page=" not in html


def test_a_decade_link_sets_and_removes_both_years(db):
    context = {"request": RequestFactory().get("/tu-lieu/?year_from=1950&year_to=1959&kind=photo")}
    chosen = FacetValue("1950", "1950–1959", 3, selected=True)
    other = FacetValue("1960", "1960–1969", 2)
    html = str(facet_items(context, [chosen, other], "decade"))
    assert 'href="/tu-lieu/?kind=photo"' in html
    assert 'href="/tu-lieu/?year_from=1960&amp;year_to=1969&amp;kind=photo"' in html


def test_document_types_are_capitalised_and_labels_escaped(db):
    context = {"request": RequestFactory().get("/tu-lieu/")}
    html = str(facet_items(context, [FacetValue("x", "nghị quyết <mật>", 1)], "document_type", capitalise=True))
    assert "Nghị quyết &lt;mật&gt;" in html


def test_renaming_a_period_shows_at_once_on_the_home_page(client, db, settings):
    settings.EXHIBITS_PAGE_CACHE = False  # the periods themselves are kept in the cache meanwhile
    period = Period.objects.get(number=4)
    assert period.name in client.get("/").content.decode()
    period.name = "Đảng bộ Khối các cơ quan Trung ương (tên mới)"
    period.save()
    assert "(tên mới)" in client.get("/").content.decode()


def test_exhibit_gallery_and_film_blocks_show_their_pictures_and_films(client, make, db):
    photo = make.item("Ảnh trong chuyên đề")
    picture = make.image(photo)
    film = make.item("Phim tư liệu", kind=Item.Kind.VIDEO)
    video = make.media(film, "video", "Phim.mp4", b"\x00\x00\x00\x18ftypmp42", "video/mp4")
    exhibit = make.exhibit("Chuyên đề có phim")
    make.block(exhibit, "gallery", items=[photo])
    make.block(exhibit, "video", item=film)
    html = client.get(exhibit.get_absolute_url()).content.decode()
    assert f'src="/tep/{picture.pk}/thumbnail/"' in html
    assert f'<source src="/tep/{video.pk}/original/" type="video/mp4">' in html


def _metadata(html: str) -> dict[str, str]:
    """The item page's elements by label, as text (the bodies, people, keywords and period are links)."""
    return {label: re.sub(r"<[^>]+>", "", value) for label, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html)}


def test_item_page_lists_its_bodies_people_and_keywords_and_a_body_linked_later(client, make, db, settings):
    from archive.models import Body, Keyword, Person

    settings.EXHIBITS_PAGE_CACHE = False
    first, second = Body.objects.order_by("name")[:2]
    item = make.item("Nghị quyết về công tác cán bộ", bodies=[first])
    item.people.add(Person.objects.create(full_name="Nguyễn Văn Lâm"))
    item.keywords.add(Keyword.objects.create(name="công tác cán bộ"))
    url = item.get_absolute_url()
    metadata = _metadata(client.get(url).content.decode())
    assert metadata["Tổ chức liên quan"] == first.name
    assert metadata["Nhân vật liên quan"] == "Nguyễn Văn Lâm"
    assert metadata["Từ khóa"] == "công tác cán bộ"
    item.bodies.add(second)  # the link moves the content version, so the page is read again
    metadata = _metadata(client.get(url).content.decode())
    assert metadata["Tổ chức liên quan"] == f"{first.name}, {second.name}"


def test_item_page_names_the_published_exhibits_that_show_it_once_each(client, make, db):
    item = make.item("Bức ảnh trong hai chuyên đề")
    shown = make.exhibit("Chuyên đề đã công bố")
    make.block(shown, "item", item=item)
    make.block(shown, "gallery", items=[item])  # twice in one exhibit, named once
    draft = make.exhibit("Chuyên đề bản nháp", published=False)
    make.block(draft, "gallery", items=[item])
    html = client.get(item.get_absolute_url()).content.decode()
    assert html.count(f'href="{shown.get_absolute_url()}"') == 1
    assert "Chuyên đề bản nháp" not in html
