"""Hostile query strings on every public page: never a server error, never reflected unescaped.

Hypothesis puts random and hostile values (very long strings, odd Unicode, NUL bytes, invalid
UTF-8, SQL/HTML/JS snippets, absurd numbers, repeated parameters) into each page's own query
parameters and into unknown ones. A page may answer 200, redirect, or refuse (400/404/405); it
must never fail with a 5xx, and no injected markup may come back as markup.
"""

from __future__ import annotations

import collections
import datetime
import os
import re
from pathlib import Path
from urllib.parse import quote_from_bytes

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.models import Body, Contribution, ContributionFile, Item, Period, Venue
from bookings.models import Booking, OpeningHours, VenueSchedule
from exhibits.models import Exhibit

pytestmark = pytest.mark.django_db

ALLOWED_STATUSES = {200, 301, 302, 400, 404, 405}
TRIED: collections.Counter = collections.Counter()  # hostile requests per page, for the report

# Snippets a visitor might paste to attack the site; each carries a marker we look for in answers.
XSS = [
    '<script>alert("xss-7f3")</script>',
    '"><img src=x onerror=alert("xss-7f3")>',
    "'><svg/onload=alert('xss-7f3')>",
    "</title><script>alert('xss-7f3')</script>",
    "javascript:alert('xss-7f3')//<script>",
    "<iframe src=javascript:alert('xss-7f3')>",
    '<a href="javascript:alert(1)">xss-7f3</a>',
    "{{7*7}}{% debug %}<script>xss-7f3</script>",
]
SQL = [
    "' OR '1'='1",
    "1; DROP TABLE archive_item; --",
    "1' UNION SELECT username, password FROM auth_user --",
    "%' AND 1=1 AND '%'='",
    "\\'; SELECT pg_sleep(5); --",
    "1 OR 1=1",
    "0x7fffffff",
]
ODD_UNICODE = [
    "\u202etxt.exe",  # right-to-left override
    "\u200f\u200e\u061c",  # RTL/LTR marks
    "tr\u200bu\u200cy\u200dề\ufeffn",  # zero-width characters
    "Đa\u0300\u0301\u0302\u0303\u0323" * 50,  # stacked combining marks
    "truye\u0302\u0300n tho\u0302\u0301ng",  # NFD Vietnamese
    "nul\x00byte",
    "\x00",
    "\x1b[31mred\x07",
    "😀🇻🇳👨‍👩‍👧‍👦" * 30,
    "\U0010ffff\ufffe\uffff",
    "ﷺ" * 200,
]
ABSURD = [
    "-1",
    "0",
    "-0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "1.5",
    "0x10",
    "١٢٣",  # Arabic-Indic digits
    "²",
    "2147483648",
    "-2147483649",
    "9" * 5000,
    "9999-99",
    "0-0",
    "-1--1",
    "2025-13",
    "0001-01",
    "10000-01",
]
LONG = ["a" * 10_000, "tìm kiếm " * 1_200, "🇻🇳" * 2_500]
HOSTILE_SAMPLES = [*XSS, *SQL, *ODD_UNICODE, *ABSURD, *LONG, "", " ", "&", "=", "%", "%00", "?", "#", "/", "..", "../"]
# Lone surrogates and invalid UTF-8, sent as raw percent-escaped bytes.
RAW_BYTES = [b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xff\xfe", b"\xc0\xaf", b"\x80", b"q=\xe1\xba", b"\xf4\x90\x80\x80"]

# One marker per snippet family; a raw "<script" next to it means the input came back as markup.
MARKUP = re.compile(r"<\s*(script|img|svg|iframe)[^>]*xss-7f3|<script>xss-7f3", re.IGNORECASE)


def hostile_values() -> st.SearchStrategy[bytes]:
    """A single parameter value, as the raw bytes to percent-encode."""
    text = st.one_of(
        st.sampled_from(HOSTILE_SAMPLES),
        st.text(max_size=60),
        st.text(alphabet=st.sampled_from("<>\"'&;%\\/\x00\u202e\u200b\u0301ĐđƯươ😀"), max_size=40),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.tuples(st.integers(-99999, 99999), st.integers(-99, 99)).map(lambda t: f"{t[0]}-{t[1]}"),
        st.tuples(st.sampled_from(XSS + SQL), st.text(max_size=10)).map("".join),
    )
    return st.one_of(
        text.map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.sampled_from(RAW_BYTES),
        st.binary(max_size=24),
    )


def query_string(pairs: list[tuple[bytes, bytes]]) -> str:
    return "&".join(f"{quote_from_bytes(k, safe='')}={quote_from_bytes(v, safe='')}" for k, v in pairs)


def params_for(names: list[str]) -> st.SearchStrategy[list[tuple[bytes, bytes]]]:
    """Known parameters (each possibly repeated) mixed with unknown ones."""
    name = st.one_of(
        st.sampled_from(names).map(str.encode),
        st.sampled_from([b"x", b"q[]", b"page[]", b"__proto__", b"csrfmiddlewaretoken"]),
        st.binary(min_size=1, max_size=8),
    )
    return st.lists(st.tuples(name, hostile_values()), min_size=1, max_size=6)


def hypothesis_settings(max_examples: int):
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def assert_safe(response, pairs: list[tuple[bytes, bytes]], url: str) -> None:
    assert response.status_code in ALLOWED_STATUSES, (url, response.status_code)
    if getattr(response, "streaming", False):
        return
    body = response.content.decode("utf-8", "replace")
    assert not MARKUP.search(body), f"injected markup echoed on {url}"
    for _name, value in pairs:
        text = value.decode("utf-8", "replace")
        # Random text that looks like a tag must not come back verbatim.
        if len(text) >= 12 and re.search(r"<[A-Za-z!/?]", text):
            assert text not in body, f"unescaped input echoed on {url}: {text!r}"


def stored() -> tuple:
    root = Path(django_settings.MEDIA_ROOT)
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
    return Booking.objects.count(), Contribution.objects.count(), ContributionFile.objects.count(), files


# --- data ---------------------------------------------------------------------------------


@pytest.fixture
def site(db):
    """A small public catalogue: items with diacritics, an exhibit, a bookable venue."""
    period = Period.objects.get(number=4)
    body = Body.objects.filter(period=period).first() or Body.objects.first()
    items = []
    for number, (title, kind) in enumerate(
        [
            ("Nghị quyết Đại hội Đảng bộ Khối lần thứ nhất", Item.Kind.DOCUMENT),
            ("Ảnh truyền thống Nhà Truyền thống", Item.Kind.PHOTO),
            ("Cờ thi đua <b>của</b> Đảng ủy Khối", Item.Kind.ARTIFACT),
        ],
        start=1,
    ):
        item = Item(
            title=title,
            kind=kind,
            summary=f"Tư liệu số {number} về truyền thống vẻ vang.",
            status=Item.Status.PUBLISHED,
            access_level=Item.AccessLevel.PUBLIC,
            period=period,
        )
        item.save()
        item.bodies.set([body])
        items.append(item)
    exhibit = Exhibit.objects.create(
        title="Chuyên đề truyền thống", slug="chuyen-de-truyen-thong", status=Exhibit.Status.PUBLISHED, period=period
    )
    venue = Venue.objects.get(code="phong-truyen-thong")
    schedule = VenueSchedule.objects.create(
        venue=venue, slot_minutes=90, buffer_minutes=15, capacity=40, max_group_size=40, min_notice_days=2
    )
    for weekday in range(5):
        OpeningHours.objects.create(
            schedule=schedule, weekday=weekday, opens=datetime.time(8, 0), closes=datetime.time(11, 30)
        )
    return {"period": period, "body": body, "items": items, "exhibit": exhibit}


BROWSE_PARAMS = ["q", "period", "kind", "document_type", "body", "year_from", "year_to", "digital", "sort", "page"]


def public_pages(site) -> dict[str, tuple[str, list[str]]]:
    """Each public page with the parameters it reads."""
    item = site["items"][0]
    return {
        "home": (reverse("exhibits:home"), ["lang"]),
        "home (English)": ("/en/", ["lang"]),
        "period list": (reverse("exhibits:period_list"), []),
        "period detail": (reverse("exhibits:period_detail", args=[site["period"].slug]), []),
        "timeline": (reverse("exhibits:timeline"), []),
        "leaders": (reverse("exhibits:leaders"), []),
        "item list": (reverse("exhibits:item_list"), BROWSE_PARAMS),
        "item list (English)": ("/en" + reverse("exhibits:item_list"), BROWSE_PARAMS),
        "search": (reverse("exhibits:search"), BROWSE_PARAMS),
        "item detail": (reverse("exhibits:item_detail", args=[item.inventory_number]), []),
        "exhibit list": (reverse("exhibits:exhibit_list"), []),
        "exhibit detail": (reverse("exhibits:exhibit_detail", args=[site["exhibit"].slug]), []),
        "exhibit print": (reverse("exhibits:exhibit_print", args=[site["exhibit"].slug]), []),
        "videos": (reverse("exhibits:videos"), ["page"]),
        "visit": (reverse("exhibits:visit"), []),
        "contribute": (reverse("exhibits:contribute"), []),
        "sitemap": (reverse("exhibits:sitemap"), ["p", "section"]),
        "robots": (reverse("exhibits:robots"), []),
        "booking form": (reverse("bookings:book"), ["venue", "month"]),
    }


PAGE_NAMES = [
    "home",
    "home (English)",
    "period list",
    "period detail",
    "timeline",
    "leaders",
    "item list",
    "item list (English)",
    "search",
    "item detail",
    "exhibit list",
    "exhibit detail",
    "exhibit print",
    "videos",
    "visit",
    "contribute",
    "sitemap",
    "robots",
    "booking form",
]
# The pages that read many parameters get more examples.
EXAMPLES = {"item list": 250, "search": 250, "booking form": 120}


# --- hypothesis -----------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_random_hostile_query_strings_never_break_a_page(client, site, page):
    url, names = public_pages(site)[page]

    @hypothesis_settings(EXAMPLES.get(page, 50))
    @given(pairs=params_for(names or ["x"]))
    def run(pairs):
        TRIED[page] += 1
        full = f"{url}?{query_string(pairs)}"
        assert_safe(client.get(full), pairs, full)

    before = stored()
    run()
    assert stored() == before  # reading pages never writes


@hypothesis_settings(100)
@given(query=st.one_of(st.sampled_from(HOSTILE_SAMPLES), st.text(min_size=200, max_size=12_000)))
def test_very_long_and_odd_search_queries(client, site, query):
    TRIED["search q"] += 1
    response = client.get(reverse("exhibits:search"), {"q": query})
    assert_safe(response, [(b"q", query.encode("utf-8", "surrogatepass"))], "search")
    assert response.status_code == 200
    # The query is shown back (bounded, escaped), never the raw markup.
    if "<" in query[:200]:
        assert query[:200] not in response.content.decode()


@hypothesis_settings(80)
@given(segment=st.one_of(st.sampled_from(HOSTILE_SAMPLES), st.text(min_size=1, max_size=80)))
def test_hostile_path_segments_are_404_not_500(client, site, segment):
    """Inventory numbers, slugs and booking tokens in the path: unknown ones are a plain 404."""
    TRIED["path segments"] += 1
    encoded = quote_from_bytes(segment.encode("utf-8", "surrogatepass"), safe="")
    for prefix in ("/tu-lieu/", "/trung-bay/", "/thoi-ky/", "/t/", "/dang-ky-tham-quan/quan-ly/"):
        response = client.get(f"{prefix}{encoded}/" if prefix != "/t/" else f"{prefix}{encoded}")
        assert response.status_code in ALLOWED_STATUSES, (prefix, segment, response.status_code)
        assert not MARKUP.search(response.content.decode("utf-8", "replace"))


# --- readable examples ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("item list", "page=-1"),
        ("item list", "page=0"),
        ("item list", "page=99999999999999999999"),
        ("item list", "page=abc"),
        ("item list", "page=1&page=2&page=%00"),
        ("item list", "year_from=2020&year_to=1900"),
        ("item list", "year_from=-5&year_to=99999999"),
        ("item list", "year_from=1e9"),
        ("item list", "period=0&body=-1&kind=%3Cscript%3E&document_type=%27%20OR%201%3D1"),
        ("item list", "period=99999999999999999999&body=2147483648"),
        ("item list", "sort=-pk&sort=password"),
        ("item list", "sort=title%3B%20DROP%20TABLE%20archive_item"),
        ("item list", "digital=%00&digital=maybe"),
        ("search", "q=%3Cscript%3Ealert(%22xss-7f3%22)%3C%2Fscript%3E"),
        ("search", "q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(%22xss-7f3%22)%3E"),
        ("search", "q=%00%00%00"),
        ("search", "q=%ED%A0%80"),
        ("search", "q=%E2%80%AEgpj.exe"),
        ("search", "q=" + "a" * 10_000),
        ("search", "q=' OR '1'='1&q=second"),
        ("search", "q=%25%27%20AND%201%3D1"),
        ("videos", "page=-99999"),
        ("sitemap", "p=0"),
        ("sitemap", "p=%3Cscript%3E"),
        ("sitemap", "p=99999999999999999999"),
        ("booking form", "month=0-0"),
        ("booking form", "month=99999-99"),
        ("booking form", "month=" + "9" * 5000 + "-1"),
        ("booking form", "venue=%00&venue=%3Cscript%3Exss-7f3%3C%2Fscript%3E"),
        ("booking form", "month=2025-01-01-01"),
    ],
)
def test_explicit_hostile_query_strings(client, site, page, query):
    url = public_pages(site)[page][0]
    response = client.get(f"{url}?{query}")
    assert response.status_code in ALLOWED_STATUSES
    assert not MARKUP.search(response.content.decode("utf-8", "replace"))


def test_search_shows_the_query_escaped(client, site):
    response = client.get(reverse("exhibits:search"), {"q": '<script>alert("xss-7f3")</script>'})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;xss-7f3&quot;)" in body


@pytest.mark.parametrize("page", ["item list", "search", "home", "booking form", "sitemap"])
def test_unsafe_methods_on_read_only_pages(client, site, page):
    """A POST, PUT or DELETE on a read-only page is 405 (the booking form takes POST, as a form)."""
    url = public_pages(site)[page][0]
    for method in ("put", "delete", "patch"):
        assert getattr(client, method)(url).status_code == 405
    if page != "booking form":
        assert client.post(url, {"q": "x"}).status_code == 405


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    yield
    if TRIED:
        lines = ", ".join(f"{page}: {count}" for page, count in sorted(TRIED.items()))
        print(f"\nhostile query strings tried per page — {lines}; total {sum(TRIED.values())}")
