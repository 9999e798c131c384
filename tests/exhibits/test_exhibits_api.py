"""The read-only public API: the public rule, the browse's search and filters, pagination and its
bounds, both languages' labels, the docs page served from static files, pinned query counts."""

import pytest
from django.urls import reverse

from archive.models import Item, Person, Position
from basics.text import fold

pytestmark = pytest.mark.django_db


def numbers(payload) -> set[str]:
    return {row["inventory_number"] for row in payload["results"]}


def test_items_lists_every_public_item_and_no_hidden_one(client, catalogue):
    response = client.get("/api/items", {"page_size": 100})
    assert response.status_code == 200
    payload = response.json()
    assert numbers(payload) == {item.inventory_number for item in catalogue.public}
    assert payload["count"] == len(catalogue.public)
    assert payload["pages"] == 1 and payload["next"] is None and payload["previous"] is None
    text = response.content.decode()
    for item in catalogue.hidden:
        assert item.inventory_number not in text
        assert item.title not in text


def test_search_ignores_diacritics_and_ranks_as_the_browse_page(client, catalogue):
    payload = client.get("/api/items", {"q": "truyen thong"}).json()
    assert [row["inventory_number"] for row in payload["results"]] == [
        catalogue.tradition.inventory_number,  # the phrase in the title ranks first
        catalogue.resolution.inventory_number,
    ]
    page = client.get(reverse("exhibits:item_list"), {"q": "truyen thong"})
    assert [item.inventory_number for item in page.context["page"]] == [
        row["inventory_number"] for row in payload["results"]
    ]


def test_filters_are_the_browse_page_filters(client, catalogue):
    assert numbers(client.get("/api/items", {"kind": "artifact"}).json()) == {catalogue.flag.inventory_number}
    assert numbers(client.get("/api/items", {"document_type": "resolution"}).json()) == {
        catalogue.resolution.inventory_number
    }
    assert numbers(client.get("/api/items", {"year_from": 1940, "year_to": 1960}).json()) == {
        catalogue.old.inventory_number
    }
    assert numbers(client.get("/api/items", {"digital": "true"}).json()) == {catalogue.tradition.inventory_number}
    by_body = client.get("/api/items", {"body": catalogue.bloc.pk}).json()
    assert numbers(by_body) == {catalogue.tradition.inventory_number, catalogue.resolution.inventory_number}
    facets = client.get("/api/items").json()["facets"]
    assert {f["value"]: f["count"] for f in facets["kinds"]} == {"photo": 2, "document": 1, "artifact": 1}


def test_pages_are_bounded_and_link_each_other(client, catalogue):
    first = client.get("/api/items", {"page_size": 3, "sort": "date"}).json()
    assert first["pages"] == 2 and first["count"] == 4 and len(first["results"]) == 3
    assert first["next"].startswith("http://testserver/api/items?") and "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None and "page=1" in second["previous"]
    assert numbers(first) | numbers(second) == {item.inventory_number for item in catalogue.public}


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"page": 10**9}, "page"),
        ({"page": 0}, "page"),
        ({"page_size": 101}, "page_size"),
        ({"q": "đảng " * 2000}, "q"),
        ({"kind": "x" * 10_000}, "kind"),
        ({"document_type": "y" * 10_000}, "document_type"),
        ({"period": "abc"}, "period"),
        ({"period": 2**40}, "period"),
        ({"year_from": 99999}, "year_from"),
        ({"sort": "price"}, "sort"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(client, catalogue, params, parameter):
    response = client.get("/api/items", params)
    assert response.status_code == 400
    payload = response.json()
    assert [error["parameter"] for error in payload["errors"]] == [parameter]
    assert f"Tham số “{parameter}” không hợp lệ: cần " in payload["detail"]
    assert response["Cache-Control"] == "no-cache"


def test_bad_parameters_are_refused_in_english_under_en(client, catalogue):
    from django.utils import translation

    with translation.override("en"):
        english_hint = str(translation.gettext("Tham số “%(name)s” không hợp lệ: cần %(hint)s."))
    response = client.get("/en/api/items", {"page": 10**9})
    assert response.status_code == 400
    assert english_hint.split("%")[0] in response.json()["detail"]


def test_a_page_past_the_last_is_a_404_that_says_how_many_there_are(client, catalogue):
    response = client.get("/api/items", {"page": 3, "page_size": 2})
    assert response.status_code == 404
    assert response.json()["detail"] == "Trang 3 không có: kết quả chỉ có 2 trang (mỗi trang 2 mục)."


def test_item_detail_of_a_public_item_and_404_for_each_hidden_one(client, catalogue):
    item = catalogue.tradition
    response = client.get(f"/api/items/{item.inventory_number}")
    assert response.status_code == 200
    payload = response.json()
    assert payload["title"] == {"vi": item.title, "en": None}
    assert payload["kind_label"] == "Ảnh"
    assert payload["date"]["display"] == "tháng 4/2008"
    assert payload["period"]["name"]["vi"] == item.period.name
    assert [m["kind"] for m in payload["media"]] == ["image", "image"]
    assert client.get(payload["media"][0]["thumbnail"]).status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    for hidden in catalogue.hidden:
        missing = client.get(f"/api/items/{hidden.inventory_number}")
        assert missing.status_code == 404
        assert hidden.inventory_number in missing.json()["detail"]
    assert client.get("/api/items/%00x").status_code in (400, 404)


def test_english_labels_under_en(client, catalogue):
    payload = client.get(f"/en/api/items/{catalogue.tradition.inventory_number}").json()
    assert payload["kind_label"] == "Photo"
    assert payload["url"].startswith("http://testserver/en/")


def test_registers(client, catalogue, make):
    periods = client.get("/api/periods").json()
    assert [p["number"] for p in periods] == [1, 2, 3, 4]
    assert periods[1]["spans"] == [{"start_year": 1962, "end_year": 1964}, {"start_year": 1978, "end_year": 1982}]
    assert client.get(f"/api/periods/{periods[3]['slug']}").json()["id"] == periods[3]["id"]
    assert client.get("/api/periods/khong-co").status_code == 404
    venues = client.get("/api/venues").json()
    assert len(venues) == 2
    bodies = client.get("/api/bodies", {"q": "khoi", "page_size": 100}).json()
    assert bodies["count"] >= 1
    for body in bodies["results"]:
        assert "khoi" in fold(" ".join([body["name"]["vi"], body["name"]["en"] or "", body["short_name"]]))
    assert client.get(f"/api/bodies/{catalogue.bloc.pk}").json()["name"]["vi"] == catalogue.bloc.name


def test_people_and_positions_are_the_public_ones(client, catalogue, make):
    leader = make.leader("Nguyễn Văn Bí Thư", catalogue.bloc, Position.Role.SECRETARY, start=2010, end=2015)
    donor = Person.objects.create(full_name="Trần Văn Hiến Tặng")
    people = client.get("/api/people", {"q": "bi thu"}).json()
    assert [p["full_name"] for p in people["results"]] == ["Nguyễn Văn Bí Thư"]
    assert client.get(f"/api/people/{donor.pk}").status_code == 404
    detail = client.get(f"/api/people/{leader.person.pk}").json()
    assert detail["positions"][0]["role"] == "secretary" and detail["positions"][0]["start_year"] == 2010
    positions = client.get("/api/positions", {"body": catalogue.bloc.pk}).json()
    assert [p["person"]["name"]["vi"] for p in positions["results"]] == ["Nguyễn Văn Bí Thư"]


def test_exhibits_show_published_ones_with_only_public_items(client, catalogue, make):
    exhibit = make.exhibit("Truyền thống vẻ vang", summary="Chuyên đề về truyền thống.")
    make.block(exhibit, "gallery", items=[catalogue.tradition, catalogue.draft])
    make.block(exhibit, "item", item=catalogue.internal)
    draft = make.exhibit("Chuyên đề nháp", published=False)
    listed = client.get("/api/exhibits").json()
    assert [e["slug"] for e in listed["results"]] == [exhibit.slug]
    detail = client.get(f"/api/exhibits/{exhibit.slug}")
    assert [[i["inventory_number"] for i in b["items"]] for b in detail.json()["blocks"]] == [
        [catalogue.tradition.inventory_number],
        [],
    ]
    assert catalogue.draft.title not in detail.content.decode()
    assert client.get(f"/api/exhibits/{draft.slug}").status_code == 404


def test_the_item_list_query_count_does_not_grow_with_the_page(client, catalogue, make, django_assert_num_queries):
    for n in range(12):
        make.image(make.item(f"Ảnh thêm {n}", kind=Item.Kind.PHOTO, period=catalogue.tradition.period))
    client.get("/api/items")  # the registers and the facet counts are now in the cache
    # The page of cards and their pictures (the facets and the content version come from the cache).
    with django_assert_num_queries(2):
        assert len(client.get("/api/items", {"page_size": 16}).json()["results"]) == 16
    with django_assert_num_queries(2):
        assert len(client.get("/api/items", {"page_size": 4, "page": 2}).json()["results"]) == 4


def test_detail_and_register_query_counts(client, catalogue, django_assert_num_queries):
    number = catalogue.tradition.inventory_number
    client.get("/api/periods")
    # The item with its registers joined, then its bodies, people, keywords and media files.
    with django_assert_num_queries(5):
        assert client.get(f"/api/items/{number}").status_code == 200
    with django_assert_num_queries(0):  # the periods come from the cache
        assert client.get("/api/periods").status_code == 200


def test_the_schema_and_the_docs_page_from_static_files(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/items", "/api/items/{inventory_number}", "/api/exhibits/{slug}", "/api/positions"} <= set(
        schema["paths"]
    )
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui.css" in html
    assert "cdn" not in html.lower()
    policy = docs["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'self'" in policy
