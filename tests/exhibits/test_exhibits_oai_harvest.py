"""A real harvester (sickle, over HTTP to the live test server) takes the whole demonstration
catalogue page by page: every public item once, the withdrawn one as deleted, nothing else."""

import io

import pytest
from sickle import Sickle

from archive import demo
from archive.models import Item


@pytest.mark.django_db(transaction=True)
def test_sickle_harvests_every_public_demo_item_and_no_other(live_server, settings):
    settings.OAI_PAGE_SIZE = 7  # several pages, so the harvest follows resumption tokens
    settings.OAI_REPOSITORY_IDENTIFIER = "truyenthong.example.org"
    demo.seed(io.StringIO())
    public = set(Item.objects.public().values_list("inventory_number", flat=True))
    withdrawn = set(
        Item.objects.filter(status=Item.Status.WITHDRAWN, published_at__isnull=False).values_list(
            "inventory_number", flat=True
        )
    )
    assert len(public) >= 40 and withdrawn and Item.objects.exclude(inventory_number__in=public | withdrawn).exists()

    harvester = Sickle(f"{live_server.url}/oai/", max_retries=0, timeout=30)
    assert harvester.Identify().deletedRecord == "transient"
    records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    numbers = [record.header.identifier.rsplit(":", 1)[1] for record in records if not record.deleted]
    deleted = {record.header.identifier.rsplit(":", 1)[1] for record in records if record.deleted}
    assert sorted(numbers) == sorted(public)  # each public item once
    assert deleted == withdrawn
    titles = {record.metadata["title"][0] for record in records if not record.deleted}
    assert titles == set(Item.objects.public().values_list("title", flat=True))

    artifacts = {h.identifier for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", set="kind:artifact")}
    expected = Item.objects.filter(inventory_number__in=public | withdrawn, kind=Item.Kind.ARTIFACT)
    assert artifacts == {
        f"oai:truyenthong.example.org:{n}" for n in expected.values_list("inventory_number", flat=True)
    }
