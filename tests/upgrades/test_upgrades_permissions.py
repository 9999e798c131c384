"""The Office edits the upgrades; the Propaganda Board and the leadership only read them."""

import datetime
import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from upgrades.models import WorkItem, WorkItemAttachment

pytestmark = pytest.mark.django_db


def _one_page_pdf() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(buffer)
    return buffer.getvalue()


PDF = _one_page_pdf()  # an attachment passes the archive's inspection: a PDF readers open


def _item_form(**overrides) -> dict:
    data = {
        "code": "MOI-01",
        "title": "Hạng mục mới",
        "category": "furniture",
        "responsible_unit": "office",
        "planned_start": "01/07/2024",
        "deadline": "31/12/2024",
        "status": "planned",
        "progress": "0",
        "priority": "2",
        "budget_lines-TOTAL_FORMS": "0",
        "budget_lines-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "phases-TOTAL_FORMS": "0",
        "phases-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("user_fixture", ["propaganda_user", "leadership_user", "office_user"])
def test_every_role_reads_the_dashboard_list_and_item(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    item = WorkItem.objects.get(code="PTT-00")
    for url in (
        reverse("upgrades:dashboard"),
        reverse("upgrades:report"),
        reverse("upgrades:export"),
        reverse("admin:upgrades_workitem_changelist"),
        reverse("admin:upgrades_workitem_change", args=[item.pk]),
        reverse("admin:upgrades_budgetline_changelist"),
        reverse("admin:upgrades_expense_changelist"),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("user_fixture", ["propaganda_user", "leadership_user"])
def test_readers_cannot_add_change_or_import(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    item = WorkItem.objects.get(code="PTT-00")
    assert client.get(reverse("admin:upgrades_workitem_add")).status_code == 403
    assert client.post(reverse("admin:upgrades_workitem_add"), _item_form()).status_code == 403
    response = client.post(
        reverse("admin:upgrades_workitem_change", args=[item.pk]), _item_form(code="PTT-00", title="Đổi tên")
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:upgrades_budgetline_import")).status_code == 403
    assert client.get(reverse("admin:upgrades_budgetline_add")).status_code == 403
    item.refresh_from_db()
    assert item.title != "Đổi tên"
    assert not WorkItem.objects.filter(code="MOI-01").exists()
    page = client.get(reverse("upgrades:dashboard")).content.decode()
    assert reverse("admin:upgrades_workitem_add") not in page


def test_office_adds_a_work_item(client, office_user, room):
    client.force_login(office_user)
    response = client.post(reverse("admin:upgrades_workitem_add"), _item_form(venue=str(room.pk)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert WorkItem.objects.get(code="MOI-01").venue == room


def test_office_bad_input_is_refused_in_vietnamese_and_nothing_saved(client, office_user):
    client.force_login(office_user)
    response = client.post(
        reverse("admin:upgrades_workitem_add"),
        _item_form(
            deadline="30/06/2024",
            progress="120",
            **{
                "budget_lines-TOTAL_FORMS": "2",
                "budget_lines-0-description": "Tủ",
                "budget_lines-0-unit": "chiếc",
                "budget_lines-0-quantity": "2",
                "budget_lines-0-unit_price": "-5",
                "budget_lines-0-funding_source": "office_budget",
                "budget_lines-0-fiscal_year": "2024",
                "budget_lines-0-ordering": "0",
                "budget_lines-1-description": "Kệ",
                "budget_lines-1-unit": "bộ",
                "budget_lines-1-quantity": "1",
                "budget_lines-1-unit_price": "hai triệu",
                "budget_lines-1-funding_source": "office_budget",
                "budget_lines-1-fiscal_year": "2024",
                "budget_lines-1-ordering": "1",
            },
        ),
    )
    assert response.status_code == 200
    form_errors = response.context["adminform"].form.errors
    assert "progress" in form_errors
    html = response.content.decode()
    assert "Hạn hoàn thành" in html and "không được trước ngày bắt đầu" in html
    assert "Đơn giá không được âm" in html
    assert "Nhập số tiền bằng số nguyên đồng" in html
    assert not WorkItem.objects.filter(code="MOI-01").exists()


def test_anonymous_and_groupless_staff_are_kept_out(client, django_user_model):
    response = client.get(reverse("upgrades:dashboard"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    staff = django_user_model.objects.create_user("khach", password="x-12345678", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("upgrades:dashboard")).status_code == 403
    assert client.get(reverse("upgrades:export")).status_code == 403
    plain = django_user_model.objects.create_user("dan", password="x-12345678")
    client.force_login(plain)
    assert client.get(reverse("upgrades:dashboard")).status_code == 302


def test_attachments_are_served_only_to_staff_who_may_view(client, office_user, leadership_user, django_user_model):
    item = WorkItem.objects.get(code="PTT-01")
    attachment = WorkItemAttachment(
        work_item=item, kind="quote", file=SimpleUploadedFile("bao-gia.pdf", PDF, content_type="application/pdf")
    )
    attachment.full_clean()
    attachment.save()
    url = reverse("upgrades:attachment", args=[attachment.pk])
    assert client.get(url).status_code == 302
    client.force_login(leadership_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "PTT-01" in response["Content-Disposition"]
    page = client.get(reverse("admin:upgrades_workitem_change", args=[item.pk])).content.decode()
    assert url in page and "/media/" not in page
    client.force_login(django_user_model.objects.create_user("khach2", password="x-12345678", is_staff=True))
    assert client.get(url).status_code == 403


def test_an_upload_whose_bytes_do_not_match_its_extension_is_refused():
    from django.core.exceptions import ValidationError

    attachment = WorkItemAttachment(
        work_item=WorkItem.objects.get(code="PTT-01"),
        kind="contract",
        file=SimpleUploadedFile("hop-dong.pdf", b"MZ\x90\x00 not a pdf"),
    )
    with pytest.raises(ValidationError) as caught:
        attachment.full_clean()
    assert "file" in caught.value.message_dict
    assert datetime.date.today()  # the check does not depend on the date
