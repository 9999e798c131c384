"""Sitemap, robots.txt, sharing tags, page cache and the bounded number of queries per page."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from archive.models import Item, Position
from exhibits.models import ExhibitBlock
from tests.sitemaps import sitemap_text

pytestmark = pytest.mark.django_db


def test_sitemap_lists_public_pages_only_in_both_languages(client, catalogue, make):
    published = make.exhibit("Chuyên đề công bố", slug="cong-bo")
    make.exhibit("Chuyên đề nháp", slug="nhap", published=False)
    xml = sitemap_text(client)
    for item in catalogue.public:
        assert f"/tu-lieu/{item.inventory_number}/" in xml
        assert f"/en/tu-lieu/{item.inventory_number}/" in xml
    for item in catalogue.hidden:
        assert item.inventory_number not in xml
    assert published.get_absolute_url() in xml
    assert "/trung-bay/nhap/" not in xml
    assert "/thoi-ky/2007-nay/" in xml
    assert 'hreflang="en"' in xml


def test_the_sitemap_index_pages_every_public_item(client, catalogue, make, settings):
    """The items' section is split into pages of SITEMAP_URLS_PER_PAGE entries (two per item, one
    per language) and the index lists every page, so no public item is left out at any size."""
    for number in range(7):
        make.item(f"Tư liệu thêm số {number}")
    settings.SITEMAP_URLS_PER_PAGE = 4
    public = list(Item.objects.public().values_list("inventory_number", flat=True))
    index = client.get("/sitemap.xml").content.decode()
    pages = -(-len(public) * 2 // 4)
    assert pages >= 3
    assert f"/sitemap-items.xml?p={pages}</loc>" in index
    assert f"/sitemap-items.xml?p={pages + 1}</loc>" not in index
    listed = []
    for page in range(1, pages + 1):
        xml = client.get(f"/sitemap-items.xml?p={page}").content.decode()
        assert xml.count("<url>") <= 4
        listed += re.findall(r"<loc>[^<]*/tu-lieu/([^/<]+)/</loc>", xml)
    assert sorted(set(listed)) == sorted(public)
    assert client.get(f"/sitemap-items.xml?p={pages + 1}").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_disallows_admin_and_points_to_the_sitemap(client, settings):
    settings.SITE_URL = "https://truyenthong.example.vn"
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: https://truyenthong.example.vn/sitemap.xml" in text


def test_pages_carry_canonical_hreflang_and_opengraph(client, catalogue, settings):
    settings.SITE_URL = "https://truyenthong.example.vn"
    item = catalogue.tradition
    html = client.get(f"/tu-lieu/{item.inventory_number}/").content.decode()
    assert f'<link rel="canonical" href="https://truyenthong.example.vn/tu-lieu/{item.inventory_number}/">' in html
    assert (
        f'<link rel="alternate" hreflang="en" href="https://truyenthong.example.vn/en/tu-lieu/{item.inventory_number}/">'
        in html
    )
    assert '<link rel="alternate" hreflang="x-default"' in html
    assert f'<meta property="og:title" content="{item.title}">' in html
    assert '<meta property="og:image" content="https://truyenthong.example.vn/tep/' in html
    assert f"<title>{item.title} –" in html
    assert '<meta name="description" content="Tập ảnh về truyền thống' in html


def test_anonymous_pages_are_cached_per_language_and_follow_edits(client, catalogue, django_assert_num_queries):
    url = f"/tu-lieu/{catalogue.flag.inventory_number}/"
    first = client.get(url)
    assert "X-Page-Cache" not in first
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    english = client.get("/en" + url)
    assert '<html lang="en">' in english.content.decode()
    catalogue.flag.title_vi = "Cờ thi đua đã sửa tên"  # the Vietnamese title, whatever language is active
    catalogue.flag.save()
    assert "Cờ thi đua đã sửa tên" in client.get(url).content.decode()
    catalogue.flag.status = Item.Status.WITHDRAWN
    catalogue.flag.save()
    assert client.get(url).status_code == 404


def test_pages_are_never_cached_for_signed_in_staff(client, catalogue, propaganda_user):
    client.force_login(propaganda_user)
    client.get("/")
    assert "X-Page-Cache" not in client.get("/")


def test_exhibit_cache_follows_block_edits(client, make):
    exhibit = make.exhibit("Chuyên đề bộ nhớ đệm")
    block = make.block(exhibit, ExhibitBlock.Kind.TEXT, text="Bản đầu.")
    assert "Bản đầu." in client.get(exhibit.get_absolute_url()).content.decode()
    block.text = "Bản sửa."
    block.save()
    assert "Bản sửa." in client.get(exhibit.get_absolute_url()).content.decode()


@pytest.fixture
def big_catalogue(catalogue, make, period):
    """Enough records that a per-row query would show: items with media, exhibits, leaders."""
    for n in range(15):
        item = make.item(f"Tư liệu truyền thống số {n}", period=period, bodies=[catalogue.bloc], is_featured=True)
        make.image(item)
    exhibit = make.exhibit("Chuyên đề lớn", period=period, featured=True, slug="lon")
    for n in range(5):
        make.block(exhibit, ExhibitBlock.Kind.ITEM, item=catalogue.tradition)
        make.block(exhibit, ExhibitBlock.Kind.GALLERY, items=list(Item.objects.public()[:6]))
        make.block(exhibit, ExhibitBlock.Kind.TEXT, text=f"Đoạn {n}")
    for n in range(6):
        make.leader(f"Người số {n}", catalogue.bloc, Position.Role.EXECUTIVE_MEMBER, start=2007 + n)
    return catalogue


PAGES = [
    ("exhibits:home", {}, {}),
    ("exhibits:period_list", {}, {}),
    ("exhibits:period_detail", {"slug": "2007-nay"}, {}),
    ("exhibits:timeline", {}, {}),
    ("exhibits:leaders", {}, {}),
    ("exhibits:item_list", {}, {}),
    ("exhibits:item_list", {}, {"kind": "photo", "digital": "1", "sort": "title"}),
    ("exhibits:search", {}, {"q": "truyen thong"}),
    ("exhibits:search", {}, {"q": "khong co gi ca"}),
    ("exhibits:exhibit_list", {}, {}),
    ("exhibits:exhibit_detail", {"slug": "lon"}, {}),
    ("exhibits:exhibit_print", {"slug": "lon"}, {}),
    ("exhibits:videos", {}, {}),
    ("exhibits:visit", {}, {}),
    ("exhibits:contribute", {}, {}),
]


@pytest.mark.parametrize(("name", "kwargs", "params"), PAGES)
def test_each_public_page_makes_a_bounded_number_of_queries(
    client, big_catalogue, django_assert_max_num_queries, name, kwargs, params
):
    url = reverse(name, kwargs=kwargs)
    # 10, and the institution's record (archive.institution), read once while the cache is cold.
    with django_assert_max_num_queries(11):
        response = client.get(url, params)
    assert response.status_code == 200


def test_item_page_makes_a_bounded_number_of_queries(client, big_catalogue, django_assert_max_num_queries):
    with translation.override("vi"):
        url = f"/tu-lieu/{big_catalogue.tradition.inventory_number}/"
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
