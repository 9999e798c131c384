"""OAI-PMH 2.0: every answer valid against the protocol's and oai_dc's XML schemas (kept in
oai_schemas/, read offline), the six verbs, sets, resumption tokens and their forgery or expiry,
deleted records for withdrawn items, the standard errors, and nothing that is not public."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.core import signing
from lxml import etree

from archive import services
from archive.models import Item, Period

# Publication dates, token lifetimes and one-time codes are counted from this instant (the clock runs on).
pytestmark = [pytest.mark.django_db, pytest.mark.instant("2026-12-07 07:00", tick=True)]

SCHEMAS = Path(__file__).parent / "oai_schemas"
NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
#: Where the vendored schemas import each other from, answered from the local copies.
LOCAL_COPIES = {"http://www.w3.org/2001/03/xml.xsd": SCHEMAS / "xml.xsd"}


class LocalSchemas(etree.Resolver):
    def resolve(self, url, public_id, context):
        if url in LOCAL_COPIES:
            return self.resolve_filename(str(LOCAL_COPIES[url]), context)
        return None


@pytest.fixture(scope="module")
def oai_schema() -> etree.XMLSchema:
    """OAI-PMH.xsd with oai_dc.xsd (for the records' metadata, which the protocol validates strictly)."""
    driver = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="http://www.openarchives.org/OAI/2.0/"
                 schemaLocation="{(SCHEMAS / "OAI-PMH.xsd").as_uri()}"/>
      <xs:import namespace="http://www.openarchives.org/OAI/2.0/oai_dc/"
                 schemaLocation="{(SCHEMAS / "oai_dc.xsd").as_uri()}"/>
    </xs:schema>"""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(LocalSchemas())
    return etree.XMLSchema(etree.fromstring(driver.encode(), parser, base_url=str(SCHEMAS) + "/"))


@pytest.fixture
def oai(client, oai_schema, settings):
    """GET /oai/ with the arguments; the answer, parsed after its validation against the schemas."""
    settings.OAI_REPOSITORY_IDENTIFIER = "truyenthong.example.org"
    settings.OAI_ADMIN_EMAILS = ["bantuyengiao@example.org"]

    def get(**arguments):
        response = client.get("/oai/", arguments)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        document = etree.fromstring(response.content)
        oai_schema.assertValid(document)
        get.response = response
        return document

    return get


def error_code(document) -> str | None:
    error = document.find("oai:error", NS)
    return error.get("code") if error is not None else None


def identifier(item: Item) -> str:
    return f"oai:truyenthong.example.org:{item.inventory_number}"


def harvest(oai, verb: str, **arguments) -> list:
    """Every header of a list, following its resumption tokens."""
    headers = []
    document = oai(verb=verb, **arguments)
    while True:
        assert error_code(document) is None, etree.tostring(document)
        headers += document.findall(f"oai:{verb}//oai:header", NS)
        token = document.find(f"oai:{verb}/oai:resumptionToken", NS)
        if token is None or not token.text:
            return headers
        document = oai(verb=verb, resumptionToken=token.text)


def ids(headers) -> set[str]:
    return {h.findtext("oai:identifier", namespaces=NS) for h in headers}


def test_identify(oai):
    document = oai(verb="Identify")
    identify = document.find("oai:Identify", NS)
    assert identify.findtext("oai:baseURL", namespaces=NS) == "http://testserver/oai/"
    assert identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "transient"
    assert identify.findtext("oai:adminEmail", namespaces=NS) == "bantuyengiao@example.org"
    assert identify.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert oai.response["Cache-Control"] == "public, max-age=300"


def test_metadata_formats_and_sets(oai, catalogue):
    formats = oai(verb="ListMetadataFormats").findall(".//oai:metadataPrefix", NS)
    assert [f.text for f in formats] == ["oai_dc"]
    assert error_code(oai(verb="ListMetadataFormats", identifier=identifier(catalogue.flag))) is None
    assert error_code(oai(verb="ListMetadataFormats", identifier=identifier(catalogue.draft))) == "idDoesNotExist"
    specs = [s.text for s in oai(verb="ListSets").findall(".//oai:setSpec", NS)]
    periods = [f"period:{code}" for code in Period.objects.order_by("number").values_list("code", flat=True)]
    assert specs == ["period", *periods, "kind", *[f"kind:{k}" for k in Item.Kind.values]]


def test_get_record_of_a_public_item_as_dublin_core(oai, catalogue):
    item = catalogue.resolution
    document = oai(verb="GetRecord", identifier=identifier(item), metadataPrefix="oai_dc")
    record = document.find("oai:GetRecord/oai:record", NS)
    assert record.find("oai:header", NS).get("status") is None
    assert record.findtext("oai:header/oai:identifier", namespaces=NS) == identifier(item)
    assert [s.text for s in record.findall("oai:header/oai:setSpec", NS)] == [
        f"period:{item.period.code}",
        "kind:document",
    ]
    dc = record.find("oai:metadata", NS)[0]
    assert dc.findtext("dc:title", namespaces=NS) == item.title
    assert dc.findtext("dc:date", namespaces=NS) == "2010-10-15"
    assert [t.text for t in dc.findall("dc:type", NS)] == ["Text", "Tài liệu văn bản", "nghị quyết"]
    assert f"http://testserver/tu-lieu/{item.inventory_number}/" in [i.text for i in dc.findall("dc:identifier", NS)]
    assert "01-NQ/ĐUK" in [i.text for i in dc.findall("dc:identifier", NS)]


def test_no_hidden_item_is_ever_named(oai, catalogue):
    for hidden in catalogue.hidden:
        document = oai(verb="GetRecord", identifier=identifier(hidden), metadataPrefix="oai_dc")
        assert error_code(document) == "idDoesNotExist"
    listed = ids(harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc"))
    assert listed == {identifier(item) for item in catalogue.public}
    records = etree.tostring(oai(verb="ListRecords", metadataPrefix="oai_dc")).decode()
    for hidden in catalogue.hidden:
        assert hidden.inventory_number not in records and hidden.title not in records


def test_a_withdrawn_item_is_a_deleted_header_and_comes_back_when_published(oai, catalogue, make, superuser):
    item = make.item("Huy hiệu đã thu hồi", public=False, kind=Item.Kind.ARTIFACT, period=catalogue.flag.period)
    services.item_publish(item=item, user=superuser)
    services.item_withdraw(item=item, user=superuser)
    record = oai(verb="GetRecord", identifier=identifier(item), metadataPrefix="oai_dc").find(".//oai:record", NS)
    assert record.find("oai:header", NS).get("status") == "deleted"
    assert record.find("oai:metadata", NS) is None
    listed = {
        h.findtext("oai:identifier", namespaces=NS): h.get("status")
        for h in harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc")
    }
    assert listed[identifier(item)] == "deleted"
    services.item_publish(item=item, user=superuser)
    record = oai(verb="GetRecord", identifier=identifier(item), metadataPrefix="oai_dc").find(".//oai:record", NS)
    assert record.find("oai:header", NS).get("status") is None


def test_a_withdrawn_item_never_published_is_not_named(oai, catalogue, superuser):
    services.item_withdraw(item=catalogue.draft, user=superuser)
    document = oai(verb="GetRecord", identifier=identifier(catalogue.draft), metadataPrefix="oai_dc")
    assert error_code(document) == "idDoesNotExist"


def test_sets_select_by_period_and_kind(oai, catalogue):
    assert ids(harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc", set="kind:artifact")) == {
        identifier(catalogue.flag)
    }
    first = Period.objects.get(number=1)
    assert ids(harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc", set=f"period:{first.code}")) == {
        identifier(catalogue.old)
    }
    assert len(harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc", set="period")) == 4
    assert error_code(oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="kind:x")) == "badArgument"
    assert error_code(oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="period:TK2", until="1990-01-01")) == (
        "noRecordsMatch"
    )


def test_from_and_until_select_by_datestamp(oai, make, period):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 8, tzinfo=datetime.UTC)):
        early = make.item("Tư liệu tháng ba", period=period)
    with time_machine.travel(datetime.datetime(2026, 6, 1, 8, tzinfo=datetime.UTC)):
        late = make.item("Tư liệu tháng sáu", period=period)
    assert ids(harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc", until="2026-04-01")) == {identifier(early)}
    assert ids(harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2026-04-01"})) == {identifier(late)}
    assert ids(harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2026-06-01T08:00:00Z"})) == {
        identifier(late)
    }
    datestamp = oai(verb="GetRecord", identifier=identifier(late), metadataPrefix="oai_dc").findtext(
        ".//oai:datestamp", namespaces=NS
    )
    assert datestamp == "2026-06-01T08:00:00Z"


@pytest.mark.instant("2026-12-03 10:00")
def test_an_embargo_lifting_dates_the_record_on_its_day(oai, make, period):
    item = make.item("Tư liệu hết hạn chế", period=period, embargo_until=datetime.date(2026, 12, 10))
    assert error_code(oai(verb="GetRecord", identifier=identifier(item), metadataPrefix="oai_dc")) == "idDoesNotExist"
    with time_machine.travel(datetime.datetime(2026, 12, 10, 9, tzinfo=datetime.UTC)):
        record = oai(verb="GetRecord", identifier=identifier(item), metadataPrefix="oai_dc")
        assert record.findtext(".//oai:datestamp", namespaces=NS) == "2026-12-09T17:00:00Z"  # 00:00 in Hà Nội
        found = harvest(oai, "ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2026-12-09T12:00:00Z"})
        assert ids(found) == {identifier(item)}


def test_lists_come_in_pages_with_resumption_tokens(oai, settings, make, period, django_assert_max_num_queries):
    settings.OAI_PAGE_SIZE = 4
    items = [make.item(f"Tư liệu số {n}", period=period) for n in range(10)]
    first = oai(verb="ListRecords", metadataPrefix="oai_dc")
    token = first.find("oai:ListRecords/oai:resumptionToken", NS)
    assert token.get("completeListSize") == "10" and token.get("cursor") == "0" and token.get("expirationDate")
    assert len(first.findall(".//oai:record", NS)) == 4
    # The count, the page, and the page's keywords, bodies, people and media.
    with django_assert_max_num_queries(6):
        second = oai(verb="ListRecords", resumptionToken=token.text)
    assert second.find(".//oai:resumptionToken", NS).get("cursor") == "4"
    assert ids(harvest(oai, "ListRecords", metadataPrefix="oai_dc")) == {identifier(item) for item in items}
    last = oai(verb="ListRecords", resumptionToken=second.find(".//oai:resumptionToken", NS).text)
    final = last.find(".//oai:resumptionToken", NS)
    assert final.text is None and final.get("cursor") == "8"


def test_a_tampered_expired_or_misused_token_is_a_bad_resumption_token(oai, settings, make, period):
    settings.OAI_PAGE_SIZE = 1
    make.item("Một", period=period)
    make.item("Hai", period=period)
    token = oai(verb="ListIdentifiers", metadataPrefix="oai_dc").find(".//oai:resumptionToken", NS).text
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    forged = signing.dumps({"verb": "ListIdentifiers", "prefix": "oai_dc", "after": 0, "cursor": 0}, salt="khac")
    for bad in (tampered, forged, "khong-phai-ma", "x" * 10_000):
        assert error_code(oai(verb="ListIdentifiers", resumptionToken=bad)) == "badResumptionToken"
    assert error_code(oai(verb="ListRecords", resumptionToken=token)) == "badResumptionToken"
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(hours=25)):
        expired = oai(verb="ListIdentifiers", resumptionToken=token)
    assert error_code(expired) == "badResumptionToken"
    assert "hết hạn" in expired.findtext("oai:error", namespaces=NS)
    assert oai.response["Cache-Control"] == "no-cache"
    assert error_code(oai(verb="ListIdentifiers", resumptionToken=token)) is None


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "ListEverything"}, "badVerb"),
        ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "ListRecords", "metadataPrefix": "oai dc\x00"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "03/12/2026"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-12-03", "until": "2026-01-01"},
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01", "until": "2026-12-03T00:00:00Z"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1900-01-01"}, "noRecordsMatch"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:khac:TL-2024-00001"}, "idDoesNotExist"),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "\x01\x7f" + "x" * 10_000},
            "idDoesNotExist",
        ),
    ],
)
def test_standard_errors(oai, catalogue, arguments, code):
    document = oai(**arguments)
    assert error_code(document) == code
    assert document.findtext("oai:error", namespaces=NS).strip()
    if code in ("badVerb", "badArgument"):
        assert document.find("oai:request", NS).attrib == {}


def test_a_repeated_argument_is_a_bad_argument(client, oai_schema, catalogue):
    response = client.get("/oai/?verb=ListSets&verb=Identify")
    document = etree.fromstring(response.content)
    oai_schema.assertValid(document)
    assert error_code(document) == "badArgument"


def test_post_is_answered_like_get(client, oai_schema, catalogue):
    response = client.post("/oai/", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    document = etree.fromstring(response.content)
    oai_schema.assertValid(document)
    assert len(document.findall(".//oai:header", NS)) == len(catalogue.public)
    assert response["Cache-Control"] == "no-cache"
