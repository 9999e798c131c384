"""Browse and search: diacritic-free matching, ranking, highlighting, facets, suggestions, bad input."""

import pytest
from django.urls import reverse

from archive.models import Item, Person
from exhibits import search, selectors

pytestmark = pytest.mark.django_db


def results(response) -> list[str]:
    return [item.title for item in response.context["page"].object_list]


def test_search_without_diacritics_finds_titles_with_them(client, catalogue):
    response = client.get(reverse("exhibits:search"), {"q": "truyen thong"})
    assert catalogue.tradition.title in results(response)
    assert catalogue.resolution.title in results(response)  # in its summary


def test_dang_finds_the_d_with_stroke(client, catalogue):
    titles = results(client.get(reverse("exhibits:search"), {"q": "dang"}))
    assert catalogue.tradition.title in titles  # "Đảng bộ Khối"
    assert catalogue.flag.title in titles  # "Đảng ủy Khối"


def test_title_phrase_outranks_title_words_outranks_summary(client, make, db):
    summary_only = make.item("Báo cáo công tác năm", summary="Phát huy truyền thống vẻ vang.")
    scattered = make.item("Thống kê truyền đơn", summary="")  # both words in the title, not as a phrase
    phrase = make.item("Phòng Truyền thống Khối", summary="")
    titles = results(client.get(reverse("exhibits:search"), {"q": "truyền thống"}))
    assert titles.index(phrase.title) < titles.index(scattered.title) < titles.index(summary_only.title)


def test_exact_inventory_number_comes_first(client, catalogue):
    number = catalogue.flag.inventory_number
    titles = results(client.get(reverse("exhibits:search"), {"q": number}))
    assert titles[0] == catalogue.flag.title


def test_matches_are_highlighted_on_the_original_letters(client, catalogue):
    html = client.get(reverse("exhibits:search"), {"q": "truyen thong"}).content.decode()
    assert "<mark>Truyền thống</mark>" in html


def test_highlight_escapes_html_and_keeps_diacritics():
    assert str(search.highlight("<b>Đảng</b> ủy", ["dang"])) == "&lt;b&gt;<mark>Đảng</mark>&lt;/b&gt; ủy"
    assert str(search.highlight("không có", ["dang"])) == "không có"


def test_highlight_marks_the_original_characters_when_folding_changes_the_length():
    decomposed = "Ban ca\u0301n su\u031b\u0309 Đa\u0309ng"  # combining marks typed apart (NFD)
    assert str(search.highlight(decomposed, ["dang"])) == "Ban ca\u0301n su\u031b\u0309 <mark>Đa\u0309ng</mark>"
    assert str(search.highlight("Cán sự Đảng", ["can", "su"])) == "<mark>Cán sự</mark> Đảng"


def test_search_never_shows_non_public_items(client, catalogue):
    html = client.get(reverse("exhibits:search"), {"q": "truyen thong"}).content.decode()
    for item in catalogue.hidden:
        assert item.title not in html


def test_search_finds_people_bodies_and_exhibits(client, catalogue, make):
    catalogue.flag.people.add(Person.objects.create(full_name="Nguyễn Văn Truyền"))
    catalogue.draft.people.add(Person.objects.create(full_name="Trần Văn Truyền"))  # named by a draft alone
    make.exhibit("Truyền thống đoàn kết")
    make.exhibit("Truyền thống nháp", published=False)
    response = client.get(reverse("exhibits:search"), {"q": "truyen"})
    html = response.content.decode()
    assert "Nguyễn Văn Truyền" in html and "Trần Văn Truyền" not in html
    assert "Truyền thống đoàn kết" in html
    assert "Truyền thống nháp" not in html
    bodies = client.get(reverse("exhibits:search"), {"q": "dang uy khoi kinh te"}).context["bodies"]
    assert [b.name for b in bodies] == ["Đảng ủy Khối Kinh tế Trung ương"]


def test_nothing_found_suggests_something_useful(client, catalogue):
    response = client.get(reverse("exhibits:search"), {"q": "dnag uy khoi"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Không tìm thấy" in html
    assert response.context["suggestions"]
    assert any("Đảng" in s for s in response.context["suggestions"])


def test_facet_counts_count_public_items_only(client, catalogue, period):
    facets = client.get(reverse("exhibits:item_list")).context["facets"]
    assert facets.total == 4
    kinds = {f.value: f.count for f in facets.kinds}
    assert kinds == {"photo": 2, "document": 1, "artifact": 1}
    periods = {f.value: f.count for f in facets.periods}
    assert periods[str(period.pk)] == 3
    assert {f.value: f.count for f in facets.document_types} == {"resolution": 1}  # the secret directive is not counted
    assert {f.value: f.count for f in facets.bodies} == {str(catalogue.bloc.pk): 2}
    assert facets.digital == 1
    decades = {f.label: f.count for f in facets.decades}
    assert decades == {"1950–1959": 1, "2000–2009": 1, "2010–2019": 2}


def test_filters_narrow_results_and_counts(client, catalogue, period):
    response = client.get(reverse("exhibits:item_list"), {"period": period.pk, "kind": "photo"})
    assert results(response) == [catalogue.tradition.title]
    assert response.context["facets"].total == 1
    response = client.get(reverse("exhibits:item_list"), {"year_from": 2009, "year_to": 2011})
    assert results(response) == [catalogue.resolution.title]
    response = client.get(reverse("exhibits:item_list"), {"digital": "1"})
    assert results(response) == [catalogue.tradition.title]
    response = client.get(reverse("exhibits:item_list"), {"body": catalogue.bloc.pk, "sort": "title"})
    assert results(response) == sorted([catalogue.tradition.title, catalogue.resolution.title])


def test_document_type_filter_reads_a_former_code_as_the_code_it_became(client, catalogue):
    # A bookmarked address from before the codes were English: ?document_type=nghi-quyet.
    for code in ("resolution", "nghi-quyet"):
        response = client.get(reverse("exhibits:item_list"), {"document_type": code})
        assert results(response) == [catalogue.resolution.title], code
        assert [f.value for f in response.context["facets"].document_types if f.selected] == ["resolution"]
    unknown = client.get(reverse("exhibits:item_list"), {"document_type": "khong-co"})
    assert unknown.status_code == 200 and len(results(unknown)) == len(catalogue.public)


def test_sort_by_date_and_title(client, catalogue):
    by_date = results(client.get(reverse("exhibits:item_list"), {"sort": "date"}))
    assert by_date == [catalogue.old.title, catalogue.tradition.title, catalogue.resolution.title, catalogue.flag.title]
    newest = results(client.get(reverse("exhibits:item_list"), {"sort": "-date"}))
    assert newest == list(reversed(by_date))
    assert results(client.get(reverse("exhibits:item_list"), {"sort": "title"})) == sorted(by_date)


def test_pagination(client, make, db):
    for n in range(25):
        make.item(f"Tài liệu số {n:02d}")
    first = client.get(reverse("exhibits:item_list"), {"sort": "title"})
    second = client.get(reverse("exhibits:item_list"), {"sort": "title", "page": 2})
    assert len(results(first)) == 20 and len(results(second)) == 5
    assert "page=2" in first.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"page": "-1"},
        {"page": "999999999999999999999"},
        {"page": "abc"},
        {"page": "1e5"},
        {"period": "abc"},
        {"period": "99999999999999999999"},
        {"kind": "<script>"},
        {"document_type": "'; DROP TABLE archive_item; --"},
        {"body": "-5"},
        {"year_from": "0", "year_to": "99999"},
        {"year_from": "2020", "year_to": "1950"},
        {"digital": "maybe"},
        {"sort": "pk; DROP"},
        {"q": "x" * 5000},
        {"q": "\x00\x01 truyền\u202e thống \ufeff"},
        {"q": "🙂 " * 300},
        {"q": "%_%"},
        {"q": "ﷺ ᾈ ℌ ﬁ Ⅻ"},
        {"q": "truyen thong", "page": "0"},
    ],
)
def test_hostile_query_strings_give_a_normal_page(client, catalogue, params):
    for name in ("exhibits:item_list", "exhibits:search"):
        response = client.get(reverse(name), params)
        assert response.status_code == 200


def test_like_wildcards_are_literal(client, catalogue):
    assert client.get(reverse("exhibits:search"), {"q": "%"}).context["facets"].total == 0


def test_clean_query_bounds_length_and_drops_control_characters():
    assert search.clean_query("a\x00b") == "a b"
    assert len(search.clean_query("x" * 5000)) <= search.MAX_QUERY_LENGTH
    assert len(search.clean_query("a " * 100).split()) == search.MAX_QUERY_WORDS


def test_public_item_listed_before_publish_is_hidden_until_published(client, make, db):
    item = make.item("Truyền thống chờ duyệt", public=False)
    url = reverse("exhibits:search")
    assert results(client.get(url, {"q": "cho duyet"})) == []
    item.status = Item.Status.PUBLISHED
    item.save()
    assert results(client.get(url, {"q": "cho duyet"})) == ["Truyền thống chờ duyệt"]


def test_invalid_utf8_in_the_query_string_is_a_normal_page(client, catalogue):
    assert client.get("/tim-kiem/?q=%ED%A0%80%FF%FE&page=%C0").status_code == 200


def test_results_come_by_rank_then_date_with_the_undated_last_then_key(client, make, db):
    """The whole order, written out, on the database the tests run on: across rank tiers and
    pages, dated before undated within a rank, ties on the date by key."""
    from archive.partial_dates import PartialDate, Precision

    def year(value: int) -> PartialDate:
        return PartialDate(year=value, precision=Precision.YEAR)

    made = [
        make.item("Kế hoạch về công tác ở Huế", date=year(1990)),  # the word in the summary only: rank 10
        make.item("Báo cáo năm 1975", summary="Về chi bộ ở Huế.", date=year(1975)),  # rank 10
        make.item("Báo cáo chưa rõ ngày", summary="Huế."),  # rank 10, undated
        make.item("Huế 1968", date=year(1968)),  # in the title: rank 50
        make.item("Ảnh Huế", date=year(1968)),  # rank 50, the same year: after the one made before it
        make.item("Huế, không rõ ngày"),  # rank 50, undated
        make.item("Huế năm 1954", date=year(1954)),  # rank 50
    ]
    # "Kế hoạch … Huế" has the word in its title too: rank 50, dated 1990.
    expected = ["Huế năm 1954", "Huế 1968", "Ảnh Huế", "Kế hoạch về công tác ở Huế", "Huế, không rõ ngày"]
    expected += ["Báo cáo năm 1975", "Báo cáo chưa rõ ngày"]
    assert len(made) == len(expected)
    assert results(client.get(reverse("exhibits:search"), {"q": "hue"})) == expected
    # Two to a page: the pages together give the same order.
    paged = []
    for number in (1, 2, 3, 4):
        paged += [item.title for item in selectors.browse({"q": "hue"}, number, per_page=2).page]
    assert paged == expected
