"""Hostile posts to every public form: the booking form, the booker's cancel and new-date pages
(with valid and altered tokens) and the contribution form.

Hypothesis starts from a valid submission and replaces some fields with random or hostile values
(markup, SQL, NUL bytes, odd Unicode, huge numbers, lists where one value is expected, missing
fields). Whatever it sends: no server error, the answer never echoes injected markup as markup, and
a refused submission stores nothing (no Booking, Contribution, ContributionFile row, no file in
MEDIA_ROOT, no change to the booking behind the link).
"""

from __future__ import annotations

import collections
import datetime
import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.http.multipartparser import MultiPartParser
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from archive.models import Body, Contribution, ContributionFile, Venue
from bookings.availability import closed_reasons
from bookings.models import Booking, OpeningHours, VenueSchedule

pytestmark = pytest.mark.django_db

TRIED: collections.Counter = collections.Counter()  # hostile submissions per form, for the report

XSS = [
    '<script>alert("xss-7f3")</script>',
    '"><img src=x onerror=alert("xss-7f3")>',
    "'><svg/onload=alert('xss-7f3')>",
    "</textarea><script>alert('xss-7f3')</script>",
    "<iframe src=javascript:alert('xss-7f3')>",
]
HOSTILE_TEXT = [
    *XSS,
    "' OR '1'='1",
    "1; DROP TABLE bookings_booking; --",
    "Robert'); DELETE FROM archive_contribution; --",
    "\x00",
    "Nguyễn\x00Văn An",
    "\u202egpj.exe",
    "\u200b\u200c\u200d\ufeff",
    "Ngu\u0303yê\u0303\u0301n" * 40,
    "😀" * 300,
    "a" * 10_000,
    "-1",
    "0",
    "99999999999999999999999999",
    "1e400",
    "NaN",
    "2025-02-30T08:00",
    "9999-12-31T23:59",
    "0000-00-00T00:00",
    "../../etc/passwd",
    "on",
    "",
    " ",
]
MARKUP = re.compile(r"<\s*(script|img|svg|iframe)[^>]*xss-7f3", re.IGNORECASE)
ANSWERS = {200, 302, 400, 404, 405, 409, 429}


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=80),
        st.text(alphabet=st.sampled_from("<>\"'&;%\\/\x00\u202e\u200bĐđƯươ😀0123456789-T:"), max_size=40),
        st.integers(min_value=-(10**25), max_value=10**25).map(str),
        st.tuples(st.sampled_from(XSS), st.text(max_size=8)).map("".join),
    )


def hostile_value() -> st.SearchStrategy:
    """A posted value: text, a list of texts (a repeated field), or a removal (None)."""
    return st.one_of(hostile_text(), st.lists(hostile_text(), min_size=2, max_size=3), st.none())


def mutated(valid: dict, names: list[str]) -> st.SearchStrategy[dict]:
    """Valid data with 1–4 fields replaced by hostile values (None removes the field)."""

    def apply(changes: dict) -> dict:
        data = {**valid, **changes}
        return {k: v for k, v in data.items() if v is not None}

    changes = st.dictionaries(
        st.sampled_from(names + ["extra", "csrfmiddlewaretoken"]), hostile_value(), min_size=1, max_size=4
    )
    return changes.map(apply)


def hypothesis_settings(max_examples: int):
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def media_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def stored() -> tuple:
    return (Booking.objects.count(), Contribution.objects.count(), ContributionFile.objects.count(), media_files())


def assert_no_markup(response) -> None:
    assert not MARKUP.search(response.content.decode("utf-8", "replace"))


# --- data ---------------------------------------------------------------------------------


@pytest.fixture
def schedule(db, settings) -> VenueSchedule:
    settings.BOOKING_RATE_ACCEPTED = settings.BOOKING_RATE_REFUSED = 1_000_000  # the limits have their own tests
    venue = Venue.objects.get(code="phong-truyen-thong")
    schedule = VenueSchedule.objects.create(
        venue=venue, slot_minutes=90, buffer_minutes=15, capacity=40, max_group_size=40, min_notice_days=2
    )
    for weekday in range(5):
        OpeningHours.objects.create(
            schedule=schedule, weekday=weekday, opens=datetime.time(8, 0), closes=datetime.time(11, 30)
        )
    return schedule


def open_day(schedule: VenueSchedule) -> datetime.date:
    day = schedule.earliest_date(timezone.localdate())
    while not (schedule.slot_times(day) and not closed_reasons(schedule, day, day)):
        day += datetime.timedelta(days=1)
    return day


def booking_data(schedule: VenueSchedule) -> dict:
    return {
        "venue": schedule.venue.code,
        "slot": f"{open_day(schedule).isoformat()}T08:00",
        "organisation": "",
        "organisation_name": "Chi bộ Vụ Thử nghiệm",
        "contact_name": "Nguyễn Văn An",
        "contact_position": "Bí thư Chi bộ",
        "phone": "0912 345 678",
        "email": "an@example.org",
        "group_size": "5",
        "occasion": "chapter_meeting",
        "programme": "",
        "services": ["guided_tour", "film"],
        "notes": "",
        "consent": "on",
        "website": "",
    }


@pytest.fixture
def booking(schedule):
    from bookings.services import booking_request

    return booking_request(
        venue=schedule.venue,
        date=open_day(schedule),
        start_time=datetime.time(8, 0),
        group_size=5,
        occasion="chapter_meeting",
        organisation_name="Chi bộ Vụ Thử nghiệm",
        contact_name="Nguyễn Văn An",
        contact_position="Bí thư",
        phone="0912345678",
        email="an@example.org",
        consent=True,
    )


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (163, 21, 27)).save(buffer, "PNG")
    return buffer.getvalue()


BOUNDARY = "----hostile-boundary-7f3"


def multipart(data: dict, uploads: list[tuple[str, bytes]]) -> bytes:
    """A multipart body as a browser sends it, file names as given (the test client would refuse some)."""
    lines: list[bytes] = []
    for key, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            lines += [
                f"--{BOUNDARY}".encode(),
                f'Content-Disposition: form-data; name="{key}"'.encode(),
                b"",
                str(one).encode("utf-8", "surrogatepass"),
            ]
    for name, content in uploads:
        quoted = name.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")
        lines += [
            f"--{BOUNDARY}".encode(),
            f'Content-Disposition: form-data; name="files"; filename="{quoted}"'.encode("utf-8", "surrogatepass"),
            b"Content-Type: image/png",
            b"",
            content,
        ]
    lines += [f"--{BOUNDARY}--".encode(), b""]
    return b"\r\n".join(lines)


def contribution_data() -> dict:
    return {
        "contributor_name": "Nguyễn Thị Hoa",
        "body": str(Body.objects.order_by("pk").first().pk),
        "organisation": "",
        "email": "hoa@example.vn",
        "phone": "",
        "description": "Bức ảnh Đại hội Đảng bộ Khối lần thứ nhất năm 2010, bản gốc do gia đình lưu giữ.",
        "consent": "on",
    }


# --- the booking form -----------------------------------------------------------------------


BOOKING_FIELDS = [
    "venue",
    "slot",
    "organisation",
    "organisation_name",
    "contact_name",
    "contact_position",
    "phone",
    "email",
    "group_size",
    "occasion",
    "programme",
    "services",
    "notes",
    "consent",
    "website",
]


def test_hostile_booking_submissions(client, schedule):
    valid = booking_data(schedule)
    url = reverse("bookings:book")

    @hypothesis_settings(250)
    @given(data=mutated(valid, BOOKING_FIELDS))
    def run(data):
        TRIED["booking form"] += 1
        before = stored()
        response = client.post(url, data)
        assert response.status_code in ANSWERS
        assert_no_markup(response)
        if response.status_code == 302:
            # Hostile but valid (markup in the notes, say): stored as text, shown escaped.
            assert Booking.objects.count() == before[0] + 1
            page = client.get(response["Location"])
            assert page.status_code == 200
            assert_no_markup(page)
            Booking.objects.filter(pk=Booking.objects.latest("pk").pk).update(status=Booking.Status.CANCELLED)
        else:
            assert stored() == before, data

    run()


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"slot": "2025-02-30T08:00"}, 400),
        ({"slot": "<script>alert('xss-7f3')</script>"}, 400),
        ({"slot": "\x00"}, 400),
        ({"slot": ["2031-01-01T08:00", "2031-01-02T08:00"]}, 400),
        ({"group_size": "-1"}, 400),
        ({"group_size": "0"}, 400),
        ({"group_size": "99999999999999999999999"}, 400),
        ({"group_size": "1e3"}, 400),
        ({"venue": "' OR '1'='1"}, 400),
        ({"venue": "\x00"}, 400),
        ({"organisation": "-1"}, 400),
        ({"organisation": "99999999999999999999"}, 400),
        ({"programme": "<script>"}, 400),
        ({"occasion": "'; DROP TABLE bookings_booking; --"}, 400),
        ({"services": ["guided_tour", "<script>alert(1)</script>"]}, 400),
        ({"phone": "\u202e8765432190"}, 400),
        ({"email": "an@example.org\nBcc: victim@example.org"}, 400),
        ({"contact_name": "Nguyễn\x00Văn An"}, 400),
        ({"contact_name": "a" * 10_000}, 400),
        ({"website": "http://spam.example"}, 400),  # the honeypot
        ({"consent": ""}, 400),
    ],
)
def test_explicit_hostile_booking_submissions_store_nothing(client, schedule, changes, status):
    before = stored()
    response = client.post(reverse("bookings:book"), {**booking_data(schedule), **changes})
    assert response.status_code == status
    assert_no_markup(response)
    assert stored() == before


def test_markup_in_free_text_is_stored_as_text_and_shown_escaped(client, schedule, mailoutbox):
    payload = '<script>alert("xss-7f3")</script>'
    response = client.post(
        reverse("bookings:book"), {**booking_data(schedule), "notes": payload, "organisation_name": payload}
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.notes == payload
    for url in (response["Location"], reverse("bookings:manage", args=[booking.manage_token()])):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;" in html
    for message in mailoutbox:  # plain-text mail carries the text as typed; any HTML part escapes it
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                assert payload not in content


def test_the_rate_limit_refuses_and_stores_nothing(client, schedule, settings):
    settings.BOOKING_RATE_ACCEPTED = 2
    data = booking_data(schedule)
    statuses = [client.post(reverse("bookings:book"), data).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert Booking.objects.count() == 2


# --- the booker's secret link ----------------------------------------------------------------


def altered_tokens(token: str) -> st.SearchStrategy[str]:
    """Tokens close to a real one: a character changed, cut, lengthened, another booking's number."""
    value, _sep, signature = token.rpartition(":")
    pk, _dot, secret = value.partition(".")
    return st.one_of(
        st.integers(0, len(token) - 1)
        .flatmap(lambda i: st.sampled_from("0aZ:._-~").map(lambda c: token[:i] + c + token[i + 1 :]))
        .filter(lambda t: t != token),
        st.integers(1, len(token) - 1).map(lambda i: token[:i]),
        st.text(max_size=10).map(lambda s: token + s).filter(lambda t: t != token),
        st.integers(-5, 10**20).map(lambda n: f"{n}.{secret}:{signature}"),
        st.sampled_from([f"{pk}.{secret}", f"{pk}.{secret}:", ":" + signature, "\x00", "%00", "..", "a" * 5000]),
        st.text(min_size=1, max_size=60).filter(lambda t: "/" not in t),
    ).filter(lambda t: t != token)


def booking_state(booking: Booking) -> tuple:
    booking.refresh_from_db()
    return booking.status, booking.new_date_request, booking.cancellation_reason, booking.history.count()


@pytest.mark.parametrize("action", ["manage", "cancel", "new_date", "booking_ics"])
def test_altered_tokens_open_nothing_and_change_nothing(client, booking, action):
    token = booking.manage_token()
    before = booking_state(booking)

    @hypothesis_settings(60)
    @given(bad=altered_tokens(token), message=hostile_text())
    def run(bad, message):
        TRIED[f"link {action} (altered token)"] += 1
        url = f"/dang-ky-tham-quan/quan-ly/{bad}/" + {"manage": "", "cancel": "huy/", "new_date": "doi-ngay/"}.get(
            action, "lich.ics"
        )
        from urllib.parse import quote

        url = quote(url, safe="/:")
        method = client.post if action in ("cancel", "new_date") else client.get
        response = method(url, {"reason": message, "message": message})
        # 405: a token lengthened by "/huy" reaches the POST-only cancel address by GET; both refuse.
        assert response.status_code in {404, 405}, (bad, response.status_code)
        assert_no_markup(response)
        assert booking_state(booking) == before

    run()


def test_hostile_cancel_reasons_with_a_valid_token(client, booking):
    url = reverse("bookings:cancel", args=[booking.manage_token()])

    @hypothesis_settings(60)
    @given(reason=hostile_value())
    def run(reason):
        TRIED["link cancel (valid token)"] += 1
        Booking.objects.filter(pk=booking.pk).update(
            status=Booking.Status.PENDING, cancellation_reason="", cancelled_by="", cancelled_at=None
        )
        history = booking.history.count()
        response = client.post(url, {} if reason is None else {"reason": reason})
        # Hypothesis draws acceptable and refused reasons alike; each branch below checks its outcome.
        assert response.status_code in {200, 302}
        assert_no_markup(response)
        booking.refresh_from_db()
        if response.status_code == 302:
            assert booking.status == Booking.Status.CANCELLED
            page = client.get(reverse("bookings:manage", args=[booking.manage_token()]))
            assert_no_markup(page)
        else:
            assert booking.status == Booking.Status.PENDING
            assert booking.history.count() == history

    run()


def test_hostile_new_date_messages_with_a_valid_token(client, booking, mailoutbox):
    url = reverse("bookings:new_date", args=[booking.manage_token()])

    @hypothesis_settings(60)
    @given(message=hostile_value())
    def run(message):
        TRIED["link new date (valid token)"] += 1
        before = booking_state(booking)
        response = client.post(url, {} if message is None else {"message": message})
        # Hypothesis draws acceptable and refused messages alike; each branch below checks its outcome.
        assert response.status_code in {200, 302}
        assert_no_markup(response)
        if response.status_code == 200:
            assert booking_state(booking) == before
        else:
            assert booking_state(booking)[1] != before[1]
            assert_no_markup(client.get(reverse("bookings:manage", args=[booking.manage_token()])))

    run()


@pytest.mark.parametrize(
    "message",
    ["", " ", "\x00", "a" * 1001, ["hai", ""]],
)
def test_explicit_bad_new_date_messages_change_nothing(client, booking, message):
    before = booking_state(booking)
    response = client.post(reverse("bookings:new_date", args=[booking.manage_token()]), {"message": message})
    assert response.status_code == 200
    assert booking_state(booking) == before


# --- the contribution form ---------------------------------------------------------------------


CONTRIBUTION_FIELDS = ["contributor_name", "body", "organisation", "email", "phone", "description", "consent"]


def hostile_uploads() -> st.SearchStrategy[list]:
    name = st.one_of(
        st.sampled_from(["ảnh.png", "../../etc/passwd.png", "..\\..\\x.png", "/etc/shadow.png", "\u202egnp.exe"]),
        st.text(min_size=1, max_size=40).filter(lambda s: s.strip("\x00") != ""),
    )
    content = st.one_of(st.just(png_bytes()), st.binary(max_size=256), st.sampled_from([b"", b"<script>xss</script>"]))
    return st.lists(st.tuples(name, content), max_size=3)


def test_hostile_contributions(client, db, settings):
    settings.CONTRIBUTION_RATE_LIMIT = 1_000_000  # the limit has its own test
    valid = contribution_data()
    url = reverse("exhibits:contribute")

    @hypothesis_settings(250)
    @given(data=mutated(valid, CONTRIBUTION_FIELDS), uploads=hostile_uploads())
    def run(data, uploads):
        TRIED["contribution form"] += 1
        before = stored()
        response = client.post(url, multipart(data, uploads), content_type=f"multipart/form-data; boundary={BOUNDARY}")
        # Hypothesis draws valid and refused contributions alike; each branch below checks its outcome.
        assert response.status_code in {200, 302}
        assert_no_markup(response)
        if response.status_code == 302:
            contribution = Contribution.objects.latest("pk")
            # Django drops a part whose file name has nothing printable left; every other file is kept.
            kept = [n for n, _c in uploads if MultiPartParser.sanitize_file_name(None, n)]
            assert contribution.files.count() == len(kept), uploads
            for stored_file in contribution.files.all():
                assert "/" not in stored_file.original_name and "\\" not in stored_file.original_name
                assert "\x00" not in stored_file.original_name
                assert re.fullmatch(r"contributions/[0-9a-f]{32}\.png", stored_file.file.name)
            assert_no_markup(client.get(response["Location"]))
        else:
            assert stored() == before, (data, uploads)

    run()


@pytest.mark.parametrize(
    "changes",
    [
        {"contributor_name": "\x00"},
        {"contributor_name": "a" * 201},
        {"contributor_name": ""},
        {"description": "x" * 5001},
        {"description": "<script>alert('xss-7f3')</script>", "consent": ""},
        {"body": "' OR '1'='1"},
        {"body": "-1"},
        {"body": "99999999999999999999999"},
        {"body": "\x00"},
        {"email": "hoa@example.vn\r\nBcc: x@example.org"},
        {"email": "<script>@x.vn"},
        {"phone": "0" * 31, "email": ""},
        {"consent": ""},
    ],
)
def test_explicit_hostile_contributions_store_nothing(client, db, changes):
    before = stored()
    response = client.post(reverse("exhibits:contribute"), {**contribution_data(), **changes})
    assert response.status_code == 200
    assert_no_markup(response)
    assert stored() == before


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    yield
    if TRIED:
        lines = ", ".join(f"{form}: {count}" for form, count in sorted(TRIED.items()))
        print(f"\nhostile submissions tried per form — {lines}; total {sum(TRIED.values())}")
