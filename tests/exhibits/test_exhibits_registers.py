"""The registers the public pages take from the cache: edits show at once, a flushed cache never
brings back old rows, and the pages that use them read fewer queries."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from archive.models import Body, Congress, Keyword, Person, Position, Venue
from exhibits import registers
from exhibits.cache import content_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.EXHIBITS_PAGE_CACHE = False


def _metadata(html: str) -> dict[str, str]:
    """The item page's elements by label, as text (the bodies, people, keywords and period are links)."""
    return {label: re.sub(r"<[^>]+>", "", value) for label, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html)}


def test_period_page_shows_a_body_a_leader_and_an_exhibit_added_after_it_was_read(client, make, period):
    url = reverse("exhibits:period_detail", kwargs={"slug": period.slug})
    client.get(url)  # the registers are read and kept
    body = Body.objects.create(name="Đảng ủy Cơ quan thử nghiệm", period=period, kind=Body.Kind.SUBORDINATE)
    make.leader("Đặng Thị Mới", body, Position.Role.SECRETARY, start=2020, end=2025)
    exhibit = make.exhibit("Chuyên đề vừa công bố", period=period)
    html = client.get(url).content.decode()
    assert "Đảng ủy Cơ quan thử nghiệm" in html
    assert "Đặng Thị Mới" in html
    assert exhibit.title in html
    other = make.exhibit("Chuyên đề thời kỳ khác", period=None)
    assert other.title not in client.get(url).content.decode()


def test_period_page_lists_its_bodies_founded_first_and_the_undated_last(client, period):
    Body.objects.filter(period=period).update(period=None)
    for name, founded in (("Đảng ủy Chưa rõ ngày", None), ("Đảng ủy Thành lập sau", "2012-05-01")):
        Body.objects.create(name=name, period=period, founded_on=founded)
    Body.objects.create(name="Đảng ủy Thành lập trước", period=period, founded_on="2008-02-01")
    html = client.get(reverse("exhibits:period_detail", kwargs={"slug": period.slug})).content.decode()
    positions = [html.index(name) for name in ("Thành lập trước", "Thành lập sau", "Chưa rõ ngày")]
    assert positions == sorted(positions)


def test_period_page_shows_a_founding_date_as_cataloguers_know_it(client, period):
    Body.objects.create(
        name="Đảng ủy Thành lập khoảng",
        period=period,
        founded_on="2008-01-01",
        founded_precision="year",
        founded_circa=True,
    )
    Body.objects.create(
        name="Đảng ủy Thành lập tháng", period=period, founded_on="2009-04-01", founded_precision="month"
    )
    html = client.get(reverse("exhibits:period_detail", kwargs={"slug": period.slug})).content.decode()
    assert "thành lập khoảng 2008)" in html
    assert "thành lập tháng 4/2009)" in html
    assert "01/01/2008" not in html


def test_item_page_names_registers_from_the_cache_as_they_are_now(client, make, period):
    body = Body.objects.filter(period=period).first()
    venue = Venue.objects.first()
    congress = Congress.objects.create(body=body, number=9, name="Đại hội thử nghiệm lần thứ IX")
    item = make.item("Báo cáo chính trị", period=period, issuing_body=body, congress=congress, venue=venue)
    url = item.get_absolute_url()
    metadata = _metadata(client.get(url).content.decode())
    assert metadata["Cơ quan ban hành"] == body.display_name
    assert metadata["Đại hội"] == congress.name
    assert metadata["Thời kỳ"] == period.display_name
    body.name = "Đảng ủy Đổi tên"
    body.save()
    congress.name = "Đại hội Đổi tên"
    congress.save()
    metadata = _metadata(client.get(url).content.decode())
    assert metadata["Cơ quan ban hành"] == "Đảng ủy Đổi tên"
    assert metadata["Đại hội"] == "Đại hội Đổi tên"


def test_item_page_lists_people_by_sort_name_and_keywords_by_name(make, period):
    from exhibits.selectors import item_page

    item = make.item("Biên bản hội nghị", period=period)
    item.people.add(Person.objects.create(full_name="Trần Văn Bình"), Person.objects.create(full_name="Lê Thị An"))
    item.keywords.add(Keyword.objects.create(name="hội nghị"), Keyword.objects.create(name="cán bộ"))
    other = make.item("Tư liệu khác", period=period)
    other.people.add(Person.objects.create(full_name="Người Khác"))
    page = item_page(item.inventory_number)
    assert [p.full_name for p in page.people.all()] == ["Lê Thị An", "Trần Văn Bình"]  # by given name: An, Bình
    assert [k.name for k in page.keywords.all()] == ["cán bộ", "hội nghị"]
    assert list(item_page(other.inventory_number).keywords.all()) == []


def test_a_flushed_shared_cache_never_brings_back_the_rows_this_process_read(period):
    body = Body.objects.filter(period=period).first()
    assert body.name in [b.name for b in registers.cached_register("bodies")]
    Body.objects.filter(pk=body.pk).update(name="Tên đổi không qua tín hiệu")  # no signal: version unmoved
    version = content_version()
    cache.clear()
    assert content_version() != version
    assert "Tên đổi không qua tín hiệu" in [b.name for b in registers.cached_register("bodies")]


def test_the_version_moves_again_when_the_edit_commits(period, django_capture_on_commit_callbacks):
    body = Body.objects.filter(period=period).first()
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        body.name = "Đảng ủy Sửa tên"
        body.save()
        during = content_version()
    assert callbacks  # the second move, after the commit
    assert len({before, during, content_version()}) == 3


def test_item_and_period_pages_read_their_registers_once_then_only_their_own_rows(
    client, make, period, django_assert_num_queries
):
    item = make.item("Nghị quyết Đại hội", period=period, issuing_body=Body.objects.filter(period=period).first())
    make.item("Tư liệu cùng thời kỳ", period=period)
    make.block(make.exhibit("Chuyên đề có nghị quyết"), "item", item=item)
    period_url = reverse("exhibits:period_detail", kwargs={"slug": period.slug})
    client.get(item.get_absolute_url())
    client.get(period_url)
    # The item with its period, issuing body, signer, congress, file and venue joined; its bodies,
    # people, keywords and media; the related items and their media; the exhibits that show it.
    with django_assert_num_queries(8):
        html = client.get(item.get_absolute_url()).content.decode()
    assert "Chuyên đề có nghị quyết" in html and "Tư liệu cùng thời kỳ" in html
    # The first documents and their media; the first artifacts (none, so no media to read).
    with django_assert_num_queries(3):
        client.get(period_url)
