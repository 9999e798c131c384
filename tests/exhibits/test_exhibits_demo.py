"""The demonstration exhibits load, twice without duplicates, and only public items show."""

import io

import pytest

from exhibits import demo
from exhibits.models import Exhibit, ExhibitBlock

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_builds_published_and_draft_exhibits(catalogue, client):
    demo.seed(io.StringIO())
    counts = (Exhibit.objects.count(), ExhibitBlock.objects.count())
    demo.seed(io.StringIO())
    assert (Exhibit.objects.count(), ExhibitBlock.objects.count()) == counts
    assert Exhibit.objects.published().count() == 2
    assert Exhibit.objects.filter(status="draft").count() == 1
    html = client.get("/trung-bay/dang-bo-khoi-qua-cac-thoi-ky/").content.decode()
    assert "Các mốc lịch sử" in html
    for item in catalogue.hidden:
        assert item.title not in html
