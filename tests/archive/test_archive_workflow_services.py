"""The item workflow and the contribution services."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from archive import services
from archive.models import Contribution, ContributionFile, Item
from archive.models.contributions import ContributionLimits

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    return Item.objects.create(title="Quyết định chỉ định Ban Chấp hành lâm thời")


def test_review_publish_withdraw_record_who_and_when(item, propaganda_user):
    services.item_send_to_review(item=item, user=propaganda_user)
    assert item.status == "in_review" and item.status_changed_by_id == propaganda_user.pk
    services.item_publish(item=item, user=propaganda_user)
    item.refresh_from_db()
    assert item.status == "published" and item.published_at and item.status_changed_at
    assert Item.objects.public().get() == item
    services.item_withdraw(item=item, user=propaganda_user)
    item.refresh_from_db()
    assert item.status == "withdrawn"
    assert not Item.objects.public().exists()
    assert [h.status for h in item.history.order_by("history_date")][-3:] == ["in_review", "published", "withdrawn"]


def test_invalid_transition_is_refused_in_vietnamese(item, propaganda_user):
    services.item_publish(item=item, user=propaganda_user)
    with pytest.raises(ValidationError) as error:
        services.item_publish(item=item, user=propaganda_user)
    assert "không thể công bố" in error.value.messages[0]
    assert Item.objects.get().status == "published"


def test_only_staff_with_the_publish_permission_publish(item, office_user):
    with pytest.raises(PermissionDenied):
        services.item_publish(item=item, user=office_user)
    assert Item.objects.get().status == "draft"


@pytest.mark.parametrize(
    "fields",
    [
        {"access_level": "restricted"},
        {"access_level": "internal", "confidentiality": "confidential"},
        {"access_level": "restricted", "confidentiality": "top_secret"},
    ],
)
def test_publishing_a_restricted_or_classified_item_never_makes_it_public(fields, propaganda_user):
    item = Item.objects.create(title="Hạn chế", **fields)
    services.item_publish(item=item, user=propaganda_user)
    assert Item.objects.get().status == "published"
    assert not Item.objects.public().exists()
    assert not item.is_public


def test_contribution_receive_without_files_stores_it_and_emails_staff(settings, django_capture_on_commit_callbacks):
    settings.STAFF_NOTIFICATION_EMAILS = ["btg@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        contribution = services.contribution_receive(
            contributor_name="  Trần   Thị B ",
            description="Ảnh Đại hội Đảng bộ Khối năm 1985",
            consent=True,
            organisation="Đảng ủy Bộ Ví dụ",
            phone="0912 345 678",
        )
    assert contribution.contributor_name == "Trần Thị B"
    assert contribution.status == "received"
    assert len(mail.outbox) == 1 and contribution.reference in mail.outbox[0].subject


def test_contribution_receive_refuses_bad_input_and_stores_nothing():
    with pytest.raises(ValidationError) as error:
        services.contribution_receive(contributor_name="", description="", consent=False)
    assert set(error.value.message_dict) >= {"contributor_name", "description", "consent"}
    assert "Đồng ý xử lý dữ liệu cá nhân" in error.value.message_dict["consent"][0]
    assert not Contribution.objects.exists()


def test_contribution_receive_refuses_an_offer_without_a_reply_address_or_who_offers_it():
    """The service holds the form's rules, so a second caller (an import, an API) cannot skip them."""
    with pytest.raises(ValidationError) as error:
        services.contribution_receive(
            contributor_name="Trần Thị B", description="Ảnh Đại hội Đảng bộ Khối năm 1985", consent=True
        )
    assert error.value.message_dict == {
        "email": ["Liên hệ: hãy nhập thư điện tử hoặc số điện thoại để chúng tôi liên lạc lại."],
        "body": ["Tổ chức đảng: hãy chọn trong danh sách hoặc gõ tên cơ quan, đơn vị."],
    }
    assert not Contribution.objects.exists()
    assert not mail.outbox


def test_contribution_receive_refuses_too_many_files():
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile(f"a{i}.png", b"x") for i in range(ContributionLimits.FILES + 1)]
    with pytest.raises(ValidationError) as error:
        services.contribution_receive(
            contributor_name="A", description="B", consent=True, email="a@example.org", organisation="C", files=files
        )
    assert "tối đa 5 tệp" in error.value.message_dict["files"][0]
    assert not Contribution.objects.exists()


def test_accept_creates_draft_items_linked_back(propaganda_user):
    contribution = Contribution.objects.create(
        contributor_name="Lê Văn C",
        organisation="Đảng ủy Bộ Ví dụ",
        description="Bản gốc Nghị quyết 1990",
        consent=True,
    )
    services.contribution_review(contribution=contribution, user=propaganda_user)
    assert contribution.status == "reviewing"
    items = services.contribution_accept(contribution=contribution, user=propaganda_user)
    assert len(items) == 1
    item = items[0]
    assert item.status == "draft" and item.contribution == contribution
    assert item.acquisition_method == "donation" and "Lê Văn C" in item.acquisition_source
    assert item.title == "Bản gốc Nghị quyết 1990"
    contribution.refresh_from_db()
    assert contribution.status == "accepted" and contribution.handled_by == propaganda_user and contribution.decided_at
    with pytest.raises(ValidationError):
        services.contribution_accept(contribution=contribution, user=propaganda_user)
    assert Item.objects.count() == 1


def test_decline_needs_a_reason(propaganda_user):
    contribution = Contribution.objects.create(
        contributor_name="A", description="B", consent=True, email="a@example.org", organisation="C"
    )
    with pytest.raises(ValidationError) as error:
        services.contribution_decline(contribution=contribution, user=propaganda_user, note="  ")
    assert "Ghi chú xử lý" in error.value.message_dict["decision_note"][0]
    services.contribution_decline(contribution=contribution, user=propaganda_user, note="Không liên quan")
    contribution.refresh_from_db()
    assert contribution.status == "declined" and contribution.decision_note == "Không liên quan"


def _png(width: int = 8) -> bytes:
    """A PNG of noise, which does not compress: its size is about 3 bytes a pixel."""
    import io
    import os

    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, width), os.urandom(3 * width * width)).save(buffer, "PNG")
    return buffer.getvalue()


def _offer(files):
    return services.contribution_receive(
        contributor_name="Trần Thị B",
        description="Ảnh Đại hội",
        consent=True,
        email="b@example.org",
        organisation="Đảng ủy Bộ Ví dụ",
        files=files,
    )


@pytest.mark.instant("2026-12-03 10:00")
def test_a_submission_over_its_total_size_is_refused_before_anything_is_stored(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.CONTRIBUTION_MAX_SUBMISSION_MB = 1
    big = [SimpleUploadedFile(f"anh{i}.png", _png(450), content_type="image/png") for i in range(2)]
    with pytest.raises(ValidationError) as error:
        _offer(big)
    (message,) = error.value.message_dict["files"]
    assert "tổng dung lượng 1,2\xa0MB, vượt mức 1,0\xa0MB mỗi lần gửi" in message
    assert not Contribution.objects.exists() and not ContributionFile.objects.exists()


@pytest.mark.instant("2026-12-03 23:50")
def test_the_days_total_from_everyone_is_kept_and_the_next_day_starts_afresh(settings, time_machine):
    import datetime
    from zoneinfo import ZoneInfo

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.CONTRIBUTION_MAX_DAILY_MB = 1
    picture = _png(300)
    count = (1024 * 1024) // len(picture)
    for n in range(count):
        _offer([SimpleUploadedFile(f"anh{n}.png", picture, content_type="image/png")])
    with pytest.raises(ValidationError) as error:
        _offer([SimpleUploadedFile("them.png", picture, content_type="image/png")])
    assert "hôm nay hệ thống đã nhận đủ dung lượng" in error.value.message_dict["files"][0]
    assert ContributionFile.objects.count() == count
    _offer([])  # an offer without files is still taken
    time_machine.move_to(datetime.datetime(2026, 12, 4, 0, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False)
    _offer([SimpleUploadedFile("sang-mai.png", picture, content_type="image/png")])
    assert ContributionFile.objects.count() == count + 1
