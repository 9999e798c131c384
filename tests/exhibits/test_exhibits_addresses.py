"""Exhibit addresses made on the server from the Vietnamese title, and old addresses that keep leading on."""

import importlib

import pytest

from basics.text import slug_of
from exhibits.models import Exhibit

pytestmark = pytest.mark.django_db

TITLE = "Đại hội Đảng bộ Khối qua các nhiệm kỳ"


def _add(client, title: str, slug: str = ""):
    data = {
        "title_vi": title,
        "slug": slug,
        "status": "published",
        "ordering": 0,
        "blocks-TOTAL_FORMS": 1,
        "blocks-INITIAL_FORMS": 0,
        "blocks-MIN_NUM_FORMS": 0,
        "blocks-MAX_NUM_FORMS": 1000,
        "blocks-0-position": 1,
        "blocks-0-kind": "text",
        "blocks-0-text_vi": "Lời mở đầu.",
    }
    return client.post("/admin/exhibits/exhibit/add/", data)


def test_the_address_is_made_from_the_vietnamese_title(client, propaganda_user):
    assert slug_of(TITLE) == "dai-hoi-dang-bo-khoi-qua-cac-nhiem-ky"
    client.force_login(propaganda_user)
    assert _add(client, TITLE).status_code == 302
    assert _add(client, TITLE).status_code == 302
    slugs = list(Exhibit.objects.filter(title=TITLE).order_by("pk").values_list("slug", flat=True))
    assert slugs == ["dai-hoi-dang-bo-khoi-qua-cac-nhiem-ky", "dai-hoi-dang-bo-khoi-qua-cac-nhiem-ky-2"]
    assert 'data-prepopulated-fields="[]"' in client.get("/admin/exhibits/exhibit/add/").content.decode()
    assert client.get("/trung-bay/dai-hoi-dang-bo-khoi-qua-cac-nhiem-ky/").status_code == 200
    assert client.get("/t/dai-hoi-dang-bo-khoi-qua-cac-nhiem-ky").status_code == 302


def test_an_old_address_redirects_to_the_new_one_and_is_not_given_away(client, propaganda_user, make):
    exhibit = make.exhibit(TITLE, slug="dai-hoi-cu")
    exhibit.slug = "dai-hoi-dang-bo-khoi"
    exhibit.save()
    for old, new in [
        ("/trung-bay/dai-hoi-cu/", "/trung-bay/dai-hoi-dang-bo-khoi/"),
        ("/trung-bay/dai-hoi-cu/in/", "/trung-bay/dai-hoi-dang-bo-khoi/in/"),
        ("/t/dai-hoi-cu", "/trung-bay/dai-hoi-dang-bo-khoi/"),
    ]:
        response = client.get(old)
        assert response.status_code in (301, 302) and response["Location"] == new, old
    assert client.get("/trung-bay/dai-hoi-cu/").status_code == 301
    client.force_login(propaganda_user)
    page = _add(client, "Chuyên đề khác", slug="dai-hoi-cu")
    assert page.status_code == 200
    assert "từng là của một chuyên đề khác" in page.content.decode()
    assert _add(client, "Đại hội cũ").status_code == 302
    assert Exhibit.objects.get(title="Đại hội cũ").slug == "dai-hoi-cu-2"


def test_a_draft_exhibits_old_address_leads_nowhere(client, make):
    exhibit = make.exhibit(TITLE, slug="nhap-cu", published=False)
    exhibit.slug = "nhap-moi"
    exhibit.save()
    assert client.get("/trung-bay/nhap-cu/").status_code == 404
    assert client.get("/t/nhap-cu").status_code == 404


def test_the_migration_fixes_the_addresses_the_admins_script_made():
    migration = importlib.import_module("exhibits.migrations.0002_server_made_slugs")
    made_by_script = migration._made_by_the_admins_script
    assert made_by_script("dji-hi-djng-b-khi-qua-cac-nhim-k", TITLE)
    assert made_by_script("chin-thng-in-bin-ph", "Chiến thắng Điện Biên Phủ")
    assert not made_by_script("dai-hoi-dang-bo-khoi-qua-cac-nhiem-ky", TITLE)  # already right
    assert not made_by_script("cong-bo", "Chuyên đề công bố")  # chosen by staff
    assert not made_by_script("dang-bo-khoi-qua-cac-thoi-ky", TITLE)
