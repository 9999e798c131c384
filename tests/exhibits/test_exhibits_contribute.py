"""The public contribution form: Vietnamese messages, nothing stored on bad input, staff emailed."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.models import Body, Contribution, ContributionFile

pytestmark = pytest.mark.django_db

URL = "/dong-gop-tu-lieu/"


def valid_data(**changes):
    data = {
        "contributor_name": "Nguyễn Thị Hoa",
        "body": Body.objects.order_by("pk").first().pk,
        "organisation": "",
        "email": "hoa@example.vn",
        "phone": "",
        "description": "Bức ảnh Đại hội Đảng bộ Khối lần thứ nhất năm 2010, bản gốc do gia đình lưu giữ.",
        "consent": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_form_page_shows_labels_and_the_body_list(client):
    html = client.get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "Họ và tên" in html and "Mô tả tư liệu, hiện vật" in html
    assert Body.objects.first().name in html
    assert 'for="id_consent"' in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"contributor_name": ""}, "Họ và tên: hãy nhập họ và tên người đóng góp."),
        ({"description": ""}, "Mô tả: hãy cho biết tư liệu, hiện vật muốn đóng góp."),
        ({"consent": None}, "Đồng ý: hãy đánh dấu ô đồng ý"),
        ({"email": "", "phone": ""}, "Liên hệ: hãy nhập thư điện tử hoặc số điện thoại"),
        ({"email": "khong-phai-email"}, "Thư điện tử: địa chỉ chưa đúng"),
        ({"body": "", "organisation": ""}, "Tổ chức đảng: hãy chọn trong danh sách hoặc gõ tên cơ quan"),
        ({"body": "999999"}, "Tổ chức đảng: hãy chọn một tổ chức trong danh sách."),
    ],
)
def test_incomplete_entries_get_a_vietnamese_message_and_nothing_is_stored(client, changes, message):
    response = client.post(URL, valid_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Contribution.objects.count() == 0
    assert mail.outbox == []


def test_too_many_files_are_refused(client, make):
    files = [SimpleUploadedFile(f"anh-{n}.jpg", make.jpeg(), content_type="image/jpeg") for n in range(6)]
    response = client.post(URL, {**valid_data(), "files": files})
    assert "chỉ gửi tối đa 5 tệp" in response.content.decode()
    assert Contribution.objects.count() == 0


def test_contribution_with_a_photo_is_stored_and_staff_are_told(
    client, make, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAILS = ["tuyengiao@example.vn"]
    photo = SimpleUploadedFile("Ảnh đại hội 2010.jpg", make.jpeg(), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {**valid_data(organisation="Đảng ủy Bộ Thử"), "files": [photo]}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("exhibits:contribute_done")
    contribution = Contribution.objects.get()
    assert contribution.contributor_name == "Nguyễn Thị Hoa"
    assert contribution.consent is True
    assert ContributionFile.objects.get().original_name == "Ảnh đại hội 2010.jpg"
    assert contribution.reference in response.content.decode()
    assert [m.to for m in mail.outbox] == [["tuyengiao@example.vn"], ["hoa@example.vn"]]
    acknowledgement = mail.outbox[1]
    assert contribution.reference in acknowledgement.subject and "Đã nhận" in acknowledgement.subject
    assert "Kính gửi Nguyễn Thị Hoa" in acknowledgement.body and "kèm 1 tệp" in acknowledgement.body
    assert contribution.description in acknowledgement.body


def test_the_acknowledgement_speaks_the_forms_language_and_needs_an_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAILS = []
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en" + URL, valid_data(email="", phone="0912345678"))
    assert Contribution.objects.count() == 1 and mail.outbox == []  # a telephone only: nobody to write to
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en" + URL, valid_data())
    assert [m.to for m in mail.outbox] == [["hoa@example.vn"]]
    assert mail.outbox[0].subject.startswith("We have received")


def test_a_disguised_file_is_refused_and_nothing_is_stored(client):
    fake = SimpleUploadedFile("anh.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = client.post(URL, {**valid_data(), "files": [fake]})
    assert response.status_code == 200
    assert "Tệp" in response.content.decode()
    assert Contribution.objects.count() == 0
    assert ContributionFile.objects.count() == 0


def test_a_robot_that_fills_the_hidden_field_stores_nothing_and_tells_no_one(client):
    response = client.post(URL, valid_data(website="https://spam.example"))
    assert response.status_code == 200
    assert "biểu mẫu có dấu hiệu được điền tự động" in response.content.decode()
    assert not Contribution.objects.exists() and not mail.outbox


def test_an_address_that_sends_too_often_is_refused_and_nothing_more_is_stored(client, settings):
    settings.CONTRIBUTION_RATE_LIMIT = 3
    statuses = [client.post(URL, valid_data()).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert Contribution.objects.count() == 3
    refused = client.post(URL, valid_data())
    assert "đã gửi quá nhiều lần" in refused.content.decode()
    assert Contribution.objects.count() == 3
    # Another visitor is not held back by this one.
    assert client.post(URL, valid_data(), REMOTE_ADDR="198.51.100.20").status_code == 302


def test_the_form_the_view_and_the_service_read_one_set_of_limits(client, settings, monkeypatch):
    from archive.models.contributions import ContributionLimits
    from archive.services import contribution_receive

    monkeypatch.setattr(ContributionLimits, "FILES", 2)
    settings.CONTRIBUTION_MAX_SUBMISSION_MB = 7
    settings.CONTRIBUTION_RATE_LIMIT = 1
    assert "Tối đa 2 tệp, tổng cộng 7 MB" in client.get(URL).content.decode()
    three = [SimpleUploadedFile(f"a{i}.png", b"x") for i in range(3)]
    form_refusal = client.post(URL, {**valid_data(), "files": three}).content.decode()
    assert "chỉ gửi tối đa 2 tệp" in form_refusal
    assert client.post(URL, valid_data()).status_code == 429  # the second submission of this address
    with pytest.raises(ValidationError) as error:
        contribution_receive(contributor_name="A", description="B", consent=True, email="a@example.vn", files=three)
    assert "tối đa 2 tệp" in error.value.message_dict["files"][0]
    assert not Contribution.objects.exists()
