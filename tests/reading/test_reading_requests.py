"""Reading and copy requests through every state, the stamped pages, the package and the log."""

import datetime
import io
import json
import zipfile

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from archive.models import Item
from reading import services, stamping
from reading.models import ReadingRequest, RequestUse

pytestmark = pytest.mark.django_db
NEW = "/ban-doc/yeu-cau/moi/"


def ask(client, item, *, kind="read", until="", purpose="Nghiên cứu đề tài lịch sử Đảng bộ Khối"):
    return client.post(
        NEW, {"inventory_number": item.inventory_number, "kind": kind, "purpose": purpose, "wanted_until": until}
    )


def page_urls(reading: ReadingRequest) -> list[str]:
    return [
        reverse("reading:page", args=[reading.pk, media.pk, page])
        for media in reading.item.media.all()
        for page in range(media.tiled_pages)
    ]


@pytest.mark.instant("2026-12-03 10:00")
def test_a_reading_is_asked_approved_read_stamped_logged_and_closes_by_its_date(
    client, items, researcher, propaganda_user, time_machine, commits
):
    client.force_login(researcher)
    with commits(execute=True):
        response = ask(client, items["internal"], until="2026-12-20")
    reading = ReadingRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reading:request_detail", args=[reading.pk])
    assert (reading.status, reading.state(), reading.wanted_until) == (
        "pending",
        "pending",
        datetime.date(2026, 12, 20),
    )
    (to_staff,) = mail.outbox
    assert propaganda_user.email in to_staff.to and items["internal"].inventory_number in to_staff.subject
    # Pending: the request page shows no title or page, and every page address is a 404.
    detail = client.get(reverse("reading:request_detail", args=[reading.pk])).content.decode()
    assert items["internal"].title not in detail and "Chờ duyệt" in detail
    (url,) = page_urls(reading)
    assert client.get(url).status_code == 404

    with commits(execute=True):
        services.request_approve(request=reading, until=datetime.date(2026, 12, 10), by=propaganda_user)
    reading.refresh_from_db()
    assert reading.state() == "open" and reading.decided_by == propaganda_user
    decided = mail.outbox[-1]
    assert decided.to == [researcher.email] and "10/12/2026" in decided.body
    detail = client.get(reverse("reading:request_detail", args=[reading.pk])).content.decode()
    assert items["internal"].title in detail and url in detail
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    stamped = Image.open(io.BytesIO(response.content)).convert("RGB")
    plain = stamping.compose(reading.item.media.get(), 0)
    assert stamped.size == plain.size
    # The scan is a flat paper colour (red barely above green): the stamp's red ink is drawn across
    # it, and its foot band repeats the text in dark red on white.
    assert sum(1 for r, g, b in plain.get_flattened_data() if r > g + 30) == 0
    assert sum(1 for r, g, b in stamped.get_flattened_data() if r > g + 30) > 0.02 * stamped.width * stamped.height
    foot = stamped.crop((0, stamped.height - 30, stamped.width, stamped.height))
    dark_red = sum(1 for r, g, b in foot.get_flattened_data() if r > g + 40 and r + g + b < 450)
    assert dark_red > 0.02 * foot.width * foot.height
    uses = list(RequestUse.objects.filter(request=reading).values_list("action", flat=True))
    assert sorted(uses) == ["open", "page"]

    # The end date passes with no one acting: the 11th the pages are gone.
    time_machine.move_to(datetime.datetime(2026, 12, 10, 23, 59, tzinfo=datetime.timezone(datetime.timedelta(hours=7))))
    assert client.get(url).status_code == 200
    time_machine.move_to(datetime.datetime(2026, 12, 11, 0, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=7))))
    assert client.get(url).status_code == 404
    reading.refresh_from_db()
    assert reading.state() == "expired" and reading.status == "approved"
    detail = client.get(reverse("reading:request_detail", args=[reading.pk])).content.decode()
    assert "Đã hết hạn" in detail and url not in detail


@pytest.mark.instant("2026-12-03 10:00")
def test_a_refused_request_tells_the_reason_and_opens_nothing(client, items, researcher, propaganda_user, commits):
    client.force_login(researcher)
    ask(client, items["restricted"])
    reading = ReadingRequest.objects.get()
    with commits(execute=True):
        services.request_refuse(request=reading, reason="Tư liệu đang được chỉnh lý.", by=propaganda_user)
    reading.refresh_from_db()
    assert reading.state() == "refused"
    assert "Tư liệu đang được chỉnh lý." in mail.outbox[-1].body
    assert "không được chấp thuận" in mail.outbox[-1].subject
    for url in page_urls(reading):
        assert client.get(url).status_code == 404
    with pytest.raises(Exception, match="đã được quyết định"):
        services.request_approve(request=reading, until=datetime.date(2026, 12, 9), by=propaganda_user)


@pytest.mark.instant("2026-12-03 10:00")
def test_staff_decide_in_the_admin_and_a_past_end_date_is_refused(client, items, researcher, propaganda_user):
    client.force_login(researcher)
    ask(client, items["internal"])
    reading = ReadingRequest.objects.get()
    client.force_login(propaganda_user)
    url = reverse("admin:reading_readingrequest_change", args=[reading.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Hoàng Văn Nghiên" in page.content.decode()
    response = client.post(url, {"decision": "approve", "until": "02/12/2026", "refusal_reason": "", **_no_inline()})
    assert response.status_code == 200
    assert "Ngày kết thúc đã qua." in response.content.decode()
    reading.refresh_from_db()
    assert reading.status == "pending"
    response = client.post(url, {"decision": "refuse", "until": "", "refusal_reason": "", **_no_inline()})
    assert "Xin ghi lý do từ chối" in response.content.decode()
    response = client.post(url, {"decision": "approve", "until": "31/12/2026", "refusal_reason": "", **_no_inline()})
    assert response.status_code == 302
    reading.refresh_from_db()
    assert (reading.status, reading.until) == ("approved", datetime.date(2026, 12, 31))


def _no_inline() -> dict:
    return {"uses-TOTAL_FORMS": "0", "uses-INITIAL_FORMS": "0", "uses-MIN_NUM_FORMS": "0", "uses-MAX_NUM_FORMS": "0"}


def test_other_staff_cannot_decide(items, researcher, office_user, leadership_user, propaganda_user):
    reading = services.request_submit(
        user=researcher, inventory_number=items["internal"].inventory_number, kind="read", purpose="Nghiên cứu"
    )
    for user in (office_user, leadership_user, researcher):
        with pytest.raises(Exception):  # noqa: B017, PT011 - PermissionDenied
            services.request_approve(request=reading, until=datetime.date(2099, 1, 1), by=user)
    reading.refresh_from_db()
    assert reading.status == "pending"


@pytest.mark.instant("2026-12-03 10:00")
def test_a_classified_item_can_be_neither_requested_nor_shown(client, items, researcher):
    client.force_login(researcher)
    classified = items["classified"]
    for kind in ("read", "copy"):
        response = ask(client, classified, kind=kind)
        text = response.content.decode()
        assert response.status_code == 200
        assert "Tư liệu mang độ mật không được yêu cầu đọc, sao hay hiển thị trực tuyến." in text
        assert "Phòng Truyền thống Đảng bộ Khối các cơ quan Trung ương" in text
        assert classified.title not in text
    prefilled = client.get(NEW + f"?so={classified.inventory_number}")
    assert prefilled.status_code == 200 and classified.title not in prefilled.content.decode()
    assert not ReadingRequest.objects.exists()
    assert mail.outbox == []


@pytest.mark.instant("2026-12-03 10:00")
def test_bad_requests_change_nothing_and_say_why(client, items, researcher):
    client.force_login(researcher)
    cases = [
        (items["internal"], "read", "02/12/2026", "Ngày kết thúc đã qua."),
        (items["internal"], "read", "31/02/2026", "Ngày không hợp lệ."),
        (items["draft"], "read", "", "Không có tư liệu đã công bố nào mang số đăng ký này."),
        (items["public"], "read", "", "Tư liệu này đã công khai trực tuyến"),
        (items["internal"], "copy", "", "Chỉ sao được tư liệu đã công khai."),
        (items["undigitised"], "copy", "", "Tư liệu này chưa có bản số hóa để sao."),
    ]
    for item, kind, until, message in cases:
        response = ask(client, item, kind=kind, until=until)
        assert response.status_code == 200, message
        assert message in response.content.decode()
    response = client.post(NEW, {"inventory_number": "TL-0000-99999", "kind": "bogus", "purpose": ""})
    assert response.status_code == 200
    assert not ReadingRequest.objects.exists()
    ask(client, items["undigitised"])
    response = ask(client, items["undigitised"])
    assert "Tài khoản này đã có một yêu cầu như vậy đang chờ duyệt." in response.content.decode()
    assert ReadingRequest.objects.count() == 1


@pytest.mark.instant("2026-12-03 10:00")
def test_a_request_needs_an_account_and_is_seen_by_its_owner_only(client, items, researcher, member):
    assert client.get(NEW).status_code == 302
    reading = services.request_submit(
        user=researcher, inventory_number=items["restricted"].inventory_number, kind="read", purpose="Nghiên cứu"
    )
    client.force_login(member)
    assert client.get(reverse("reading:request_detail", args=[reading.pk])).status_code == 404


@pytest.mark.instant("2026-12-03 10:00")
def test_an_approved_copy_is_a_package_built_in_the_background(client, items, researcher, propaganda_user, commits):
    client.force_login(researcher)
    ask(client, items["public"], kind="copy")
    reading = ReadingRequest.objects.get()
    package_url = reverse("reading:package", args=[reading.pk])
    assert client.get(package_url).status_code == 404
    with commits(execute=True):
        services.request_approve(request=reading, until=datetime.date(2026, 12, 5), by=propaganda_user)
    reading.refresh_from_db()
    assert reading.package_status == ReadingRequest.Package.READY  # the immediate test backend ran the job
    response = client.get(package_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = bundle.namelist()
    assert "manifest.json" in names and "CITATION.txt" in names
    media = items["public"].media.get()
    (member_name,) = [n for n in names if n.startswith("files/")]
    with media.file.open("rb") as original:
        assert bundle.read(member_name) == original.read()
    manifest = json.loads(bundle.read("manifest.json"))
    assert manifest["item"]["inventory_number"] == items["public"].inventory_number
    assert manifest["requester"] == "Hoàng Văn Nghiên"
    citation = bundle.read("CITATION.txt").decode()
    assert items["public"].title in citation and "truy cập ngày 03/12/2026" in citation
    assert RequestUse.objects.filter(request=reading, action="download").count() == 1


@pytest.mark.instant("2026-12-03 10:00")
def test_an_item_classified_after_approval_is_shown_no_more(client, items, researcher, propaganda_user):
    client.force_login(researcher)
    ask(client, items["restricted"])
    reading = ReadingRequest.objects.get()
    services.request_approve(request=reading, until=datetime.date(2026, 12, 9), by=propaganda_user)
    (url,) = page_urls(reading)
    assert client.get(url).status_code == 200
    Item.objects.filter(pk=reading.item_id).update(confidentiality=Item.Confidentiality.CONFIDENTIAL)
    assert client.get(url).status_code == 404
    detail = client.get(reverse("reading:request_detail", args=[reading.pk])).content.decode()
    assert "chỉ được tra cứu trực tiếp" in detail


@pytest.mark.instant("2026-12-03 23:30")
def test_an_undigitised_reading_is_read_in_person(client, items, researcher, propaganda_user):
    reading = services.request_submit(
        user=researcher, inventory_number=items["undigitised"].inventory_number, kind="read", purpose="Đọc bản gốc"
    )
    services.request_approve(
        request=reading, until=timezone.localdate() + datetime.timedelta(days=3), by=propaganda_user
    )
    client.force_login(researcher)
    detail = client.get(reverse("reading:request_detail", args=[reading.pk])).content.decode()
    assert "được đọc bản gốc tại" in detail
