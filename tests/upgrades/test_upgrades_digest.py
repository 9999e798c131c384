"""`send_upgrade_digest` emails each owner one message with their overdue and due-soon items."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

pytestmark = pytest.mark.django_db
D = datetime.date


def test_each_owner_gets_one_email_with_their_late_and_soon_items(
    fixed_today, empty_plan, make_item, office_user, propaganda_user, django_user_model, settings
):
    settings.SITE_URL = "https://truyenthong.example.org"
    make_item(code="TRE-1", title="Tủ trưng bày", owner=office_user, deadline=D(2024, 5, 20), progress=30)
    make_item(code="GAN-1", title="Đèn chiếu sáng", owner=office_user, deadline=D(2024, 6, 10))
    make_item(code="XA-1", title="Phim tư liệu", owner=office_user, deadline=D(2024, 9, 30))
    make_item(code="XONG-1", owner=office_user, deadline=D(2024, 5, 1), status="done", completed_on=D(2024, 4, 30))
    make_item(code="HUY-1", owner=office_user, deadline=D(2024, 5, 1), status="cancelled")
    make_item(code="GAN-2", title="Số hóa", owner=propaganda_user, deadline=D(2024, 6, 15))
    make_item(code="VO-1", owner=None, deadline=D(2024, 5, 1))
    no_email = django_user_model.objects.create_user("khongthu", email="", is_staff=True)
    make_item(code="TRE-2", owner=no_email, deadline=D(2024, 5, 1))

    call_command("send_upgrade_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert sorted(message.to[0] for message in mail.outbox) == ["tuyengiao@example.org", "vanphong@example.org"]
    office_mail = next(message for message in mail.outbox if message.to == ["vanphong@example.org"])
    assert office_mail.subject == "[Nâng cấp] 1 hạng mục quá hạn, 1 sắp đến hạn"
    body = office_mail.body
    assert "TRE-1 Tủ trưng bày: hạn 20/05/2024, tiến độ 30%" in body
    assert "GAN-1 Đèn chiếu sáng: hạn 10/06/2024" in body
    assert body.index("QUÁ HẠN") < body.index("TRE-1") < body.index("SẮP ĐẾN HẠN") < body.index("GAN-1")
    for absent in ("XA-1", "XONG-1", "HUY-1", "GAN-2"):
        assert absent not in body
    assert "https://truyenthong.example.org/admin/upgrades/workitem/" in body
    assert "https://truyenthong.example.org/nang-cap/" in body


def test_nothing_to_report_sends_nothing(fixed_today, empty_plan, make_item, office_user):
    make_item(code="XA-2", owner=office_user, deadline=D(2024, 12, 31))
    call_command("send_upgrade_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []
