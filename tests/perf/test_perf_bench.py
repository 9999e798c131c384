"""`manage.py bench` runs end to end on a tiny catalogue and leaves the database as it found it."""

import io
import json

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from archive.models import Item

pytestmark = pytest.mark.django_db


def test_bench_runs_end_to_end_on_a_tiny_catalogue_and_rolls_back(tmp_path, django_user_model, settings):
    # As deployed: a superuser passes the authenticator's code before the admin answers.
    settings.TWO_FACTOR_REQUIRED_FOR_SUPERUSERS = True
    settings.SITEMAP_URLS_PER_PAGE = 8
    call_command("seed_bulk", items=40, batch=40, stdout=io.StringIO(), stderr=io.StringIO())
    items_before = Item.objects.count()
    users_before = django_user_model.objects.count()
    out = io.StringIO()
    call_command("bench", requests=2, import_rows=15, output=str(tmp_path), stdout=out, stderr=io.StringIO())
    table = out.getvalue()
    assert "floor (1 query + base template)" in table and "admin: item changelist" in table
    assert "rows/s" in table
    [result] = tmp_path.glob("*.json")
    report = json.loads(result.read_text(encoding="utf-8"))
    assert report["items"] == items_before and report["import_rows"] == 15
    pages = {page["name"]: page for page in report["pages"]}
    assert pages["home"]["cached_queries"] == 0
    assert pages["item detail"]["queries"] <= 10
    assert all(page["median_ms"] > 0 for page in report["pages"])
    assert {s["words"] for s in report["searches"]} == {1, 2, 3}
    assert all(s["explain"] for s in report["searches"])
    assert set(report["checks"]) >= {"public pages at most 10 queries", "import at least 1,000 rows per second"}
    # Every public item is listed, through the index and its pages (here several, of 8 entries each).
    assert report["sitemap_items"] == report["public_items"] > 0
    assert report["sitemap_pages"] > 2 and report["checks"]["the sitemaps list every public item"] is True
    # Everything the run created (a superuser, its authenticator, the imported rows) was rolled back.
    assert Item.objects.count() == items_before
    assert django_user_model.objects.count() == users_before
    assert not TOTPDevice.objects.exists()
