"""Programme templates and a visit's running order: copied when staff confirm, adjusted in the admin,
checked for negative and overlapping times, printed for staff, shown to the committee without the
new members' names."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from archive.models import Item
from bookings import demo, services
from bookings.models import (
    Booking,
    NewMember,
    Occasion,
    Programme,
    ProgrammeStep,
    VisitStep,
    running_order_errors,
)

pytestmark = pytest.mark.django_db

ADMISSION_STEPS = [
    (0, 10, "Chào cờ", "Đồng chí chủ trì"),
    (10, 10, "Đọc quyết định kết nạp", "Đại diện cấp ủy"),
    (20, 10, "Đảng viên mới đọc lời tuyên thệ", "Đảng viên mới"),
    (30, 40, "Tham quan có thuyết minh", "Thuyết minh viên"),
]


@pytest.fixture
def admission_template(db) -> Programme:
    programme = Programme.objects.create(name="Lễ kết nạp (mẫu thử)", occasion=Occasion.ADMISSION, duration_minutes=90)
    for index, (start, minutes, activity, leader) in enumerate(ADMISSION_STEPS):
        ProgrammeStep.objects.create(
            programme=programme,
            ordering=index,
            start_minute=start,
            duration_minutes=minutes,
            activity=activity,
            leader=leader,
            place="Khu lễ đài",
        )
    return programme


@pytest.fixture
def admission(request_booking, admission_template) -> Booking:
    booking = request_booking(occasion=Occasion.ADMISSION, group_size=15)
    booking = services.booking_confirm(booking=booking)
    NewMember.objects.create(
        booking=booking, ordering=1, full_name="Hoàng Thị Mai", introducers="Nguyễn Văn An, Lê Bình"
    )
    NewMember.objects.create(booking=booking, ordering=2, full_name="Vũ Đức Long", introducers="Trần Hòa, Phạm Yến")
    mail.outbox.clear()
    return booking


def test_running_order_errors_name_the_overlapping_and_overrunning_steps():
    steps = [
        ProgrammeStep(start_minute=0, duration_minutes=20, activity="Chào cờ"),
        ProgrammeStep(start_minute=15, duration_minutes=10, activity="Tuyên thệ"),
        ProgrammeStep(start_minute=30, duration_minutes=70, activity="Tham quan"),
    ]
    errors = running_order_errors(steps, limit_minutes=90)
    assert len(errors) == 2
    assert "“Tuyên thệ” bắt đầu ở phút 15, trùng với bước “Chào cờ” (phút 0 đến 20)" in errors[0]
    assert "thành 20 trở đi" in errors[0]
    assert "“Tham quan” kết thúc ở phút 100, quá thời lượng 90 phút" in errors[1]
    assert running_order_errors(steps[:1] + steps[2:2], limit_minutes=90) == []


def test_confirming_copies_the_occasions_template_with_clock_times(admission, admission_template):
    assert admission.programme == admission_template  # none was chosen: the occasion's template
    steps = list(admission.steps.all())
    assert [(s.start_minute, s.duration_minutes, s.activity, s.leader) for s in steps] == ADMISSION_STEPS
    assert admission.step_clock(steps[2]) == (datetime.time(8, 20), datetime.time(8, 30))
    # The template can change afterwards; the visit keeps its copy.
    admission_template.steps.filter(start_minute=0).update(activity="Khai mạc")
    assert admission.steps.get(start_minute=0).activity == "Chào cờ"


def test_copying_again_keeps_the_steps_staff_adjusted(admission, admission_template):
    VisitStep.objects.filter(booking=admission, start_minute=30).update(activity="Tham quan khu 1948–1962")
    assert services.booking_programme_copy(booking=admission) == 0
    assert admission.steps.filter(activity="Tham quan khu 1948–1962").exists()
    assert services.booking_programme_copy(booking=admission, replace=True) == len(ADMISSION_STEPS)
    assert not admission.steps.filter(activity="Tham quan khu 1948–1962").exists()


def test_a_chosen_programme_is_copied_and_no_template_leaves_no_steps(request_booking, programme):
    ProgrammeStep.objects.create(programme=programme, start_minute=0, duration_minutes=60, activity="Thuyết minh")
    chosen = services.booking_confirm(booking=request_booking(programme=programme))
    assert list(chosen.steps.values_list("activity", flat=True)) == ["Thuyết minh"]
    other = services.booking_confirm(booking=request_booking(start_time=datetime.time(9, 45), occasion="other"))
    assert other.programme == programme  # a template for any occasion, the only one
    Programme.objects.update(is_active=False)
    none = services.booking_confirm(booking=request_booking(start_time=datetime.time(13, 30)))
    assert none.programme is None and not none.steps.exists()


def _step_post(prefix: str, index: int, **values) -> dict:
    base = {"ordering": index, "start_minute": 0, "duration_minutes": 10, "activity": "", "leader": "", "place": ""}
    base.update(values)
    return {f"{prefix}-{index}-{name}": value for name, value in base.items()}


def _programme_post(programme: Programme, steps: list[dict]) -> dict:
    data = {
        "name": programme.name,
        "name_en": "",
        "occasion": programme.occasion,
        "description": "",
        "duration_minutes": programme.duration_minutes,
        "is_active": "on",
        "ordering": 0,
        "steps-TOTAL_FORMS": len(steps),
        "steps-INITIAL_FORMS": 0,
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
    }
    for index, values in enumerate(steps):
        data.update(_step_post("steps", index, **values))
    return data


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (
            [{"start_minute": -5, "activity": "Chào cờ"}],
            "“Bắt đầu sau (phút)” không được âm: nhập 0 cho bước đầu tiên.",
        ),
        (
            [{"start_minute": 0, "duration_minutes": 0, "activity": "Chào cờ"}],
            "“Thời lượng (phút)” phải ít nhất 1 phút.",
        ),
        (
            [
                {"start_minute": 0, "duration_minutes": 20, "activity": "Chào cờ"},
                {"start_minute": 10, "duration_minutes": 10, "activity": "Tuyên thệ"},
            ],
            "Sửa “Bắt đầu sau (phút)” của bước sau thành 20 trở đi",
        ),
        (
            [{"start_minute": 60, "duration_minutes": 60, "activity": "Tham quan"}],
            "kết thúc ở phút 120, quá thời lượng 90 phút",
        ),
    ],
)
def test_bad_steps_in_the_template_admin_are_refused_and_nothing_is_saved(
    client, propaganda_user, admission_template, steps, message
):
    client.force_login(propaganda_user)
    url = reverse("admin:bookings_programme_change", args=[admission_template.pk])
    admission_template.steps.all().delete()
    data = _programme_post(admission_template, steps) | {"name": "Tên mới không được lưu"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    admission_template.refresh_from_db()
    assert admission_template.name == "Lễ kết nạp (mẫu thử)" and not admission_template.steps.exists()


def test_staff_adjust_the_visits_steps_in_the_booking_admin(client, propaganda_user, admission, build_change_data):
    client.force_login(propaganda_user)
    url = reverse("admin:bookings_booking_change", args=[admission.pk])
    data = build_change_data(client, url, staff_notes="Chuẩn bị 2 bó hoa")
    first = admission.steps.get(start_minute=30)
    index = next(k for k, v in data.items() if k.endswith("-id") and v == first.pk).split("-")[1]
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == first.pk).rsplit("-", 2)[0]
    data[f"{prefix}-{index}-activity"] = "Tham quan khu trưng bày 1948–1962"
    response = client.post(url, data)
    assert response.status_code == 302, [
        (f.prefix, f.errors) for i in response.context["inline_admin_formsets"] for f in i.formset.forms if f.errors
    ]
    first.refresh_from_db()
    assert first.activity == "Tham quan khu trưng bày 1948–1962"
    # An overlapping time is refused with the field to fix; the booking's own change is not saved either.
    data = build_change_data(client, url, staff_notes="Không được lưu")
    data[f"{prefix}-{index}-start_minute"] = 25
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Sửa “Bắt đầu sau (phút)” của bước sau thành 30 trở đi" in response.content.decode()
    admission.refresh_from_db()
    assert admission.staff_notes == "Chuẩn bị 2 bó hoa"
    assert admission.steps.get(pk=first.pk).start_minute == 30


def test_a_template_in_use_cannot_be_deleted_and_the_admin_says_why(client, propaganda_user, admission):
    client.force_login(propaganda_user)
    template = admission.programme
    response = client.post(reverse("admin:bookings_programme_delete", args=[template.pk]), {"post": "yes"}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Không thể xóa chương trình mẫu “{template.name}”: các đăng ký {admission.reference}" in text
    assert "bỏ chọn “Đang áp dụng”" in text
    assert Programme.objects.filter(pk=template.pk).exists()
    unused = Programme.objects.create(name="Chưa dùng", duration_minutes=30)
    client.post(reverse("admin:bookings_programme_delete", args=[unused.pk]), {"post": "yes"})
    assert not Programme.objects.filter(pk=unused.pk).exists()


def test_the_committee_sees_its_programme_but_never_the_new_members_names(client, admission):
    page = client.get(reverse("bookings:manage", args=[admission.manage_token()]))
    text = page.content.decode()
    assert "Chương trình buổi tham quan" in text
    assert "08:20–08:30" in text and "Đảng viên mới đọc lời tuyên thệ" in text
    assert "Buổi lễ kết nạp 2 đảng viên mới" in text
    for secret in ("Hoàng Thị Mai", "Vũ Đức Long", "Nguyễn Văn An, Lê Bình"):
        assert secret not in text
    # Nor in any email or calendar file about the visit.
    services.booking_cancel(booking=admission, by_booker=True, reason="Đổi lịch")
    ics = client.get(reverse("bookings:booking_ics", args=[admission.manage_token()])).content.decode()
    for message in mail.outbox:
        blob = message.body + "".join(str(a[1]) for a in message.attachments)
        assert "Hoàng Thị Mai" not in blob
    assert "Hoàng Thị Mai" not in ics


def test_staff_print_the_running_order_with_names_and_the_leaflet_without(client, propaganda_user, admission):
    client.force_login(propaganda_user)
    order = client.get(reverse("admin:bookings_booking_running_order", args=[admission.pk])).content.decode()
    assert "Hoàng Thị Mai" in order and "Nguyễn Văn An, Lê Bình" in order
    assert "Tài liệu nội bộ" in order and "data-print" in order and "bookings/print.css" in order
    assert "08:10–08:20" in order and "Đọc quyết định kết nạp" in order
    leaflet = client.get(reverse("admin:bookings_booking_leaflet", args=[admission.pk])).content.decode()
    assert "Đảng viên mới đọc lời tuyên thệ" in leaflet
    assert "Hoàng Thị Mai" not in leaflet


def test_the_days_guide_sheet_lists_every_visit_with_its_programme(client, propaganda_user, admission, request_booking):
    other = request_booking(admission.date, start_time=datetime.time(13, 30), organisation_name="Chi bộ buổi chiều")
    request_booking(admission.date + datetime.timedelta(days=1), organisation_name="Chi bộ hôm sau")
    client.force_login(propaganda_user)
    url = reverse("admin:bookings_booking_guide_sheet") + f"?date={admission.date.isoformat()}"
    text = client.get(url).content.decode()
    assert admission.reference in text and other.reference in text and "Chi bộ hôm sau" not in text
    assert text.index(admission.reference) < text.index(other.reference)
    assert "Đọc quyết định kết nạp" in text and "kết nạp 2 đảng viên mới" in text
    assert "Hoàng Thị Mai" not in text  # the names go on the running order only
    assert client.get(reverse("admin:bookings_booking_guide_sheet") + "?date=không-phải-ngày").status_code == 200


def test_items_that_are_not_public_stay_off_the_committees_page(client, admission, propaganda_user):
    public = Item(title="Phim tư liệu công khai", status=Item.Status.PUBLISHED, access_level=Item.AccessLevel.PUBLIC)
    public.save()
    draft = Item(title="Biên bản nội bộ", status=Item.Status.DRAFT, access_level=Item.AccessLevel.PUBLIC)
    draft.save()
    step = admission.steps.get(start_minute=30)
    step.items.set([public, draft])
    step.exhibit_slug = "dang-bo-khoi-1948-1962"
    step.save()
    text = client.get(reverse("bookings:manage", args=[admission.manage_token()])).content.decode()
    assert "Phim tư liệu công khai" in text and reverse("exhibits:item_detail", args=[public.inventory_number]) in text
    assert "Biên bản nội bộ" not in text
    assert reverse("exhibits:exhibit_detail", args=["dang-bo-khoi-1948-1962"]) in text
    client.force_login(propaganda_user)
    order = client.get(reverse("admin:bookings_booking_running_order", args=[admission.pk])).content.decode()
    assert "Biên bản nội bộ" in order


def test_the_demo_has_a_valid_template_for_each_of_the_plans_four_occasions(venue, house):
    import io

    demo.seed(io.StringIO())
    for occasion in (Occasion.ANNIVERSARY, Occasion.CHAPTER_MEETING, Occasion.ADMISSION, Occasion.TRAINING_TRIP):
        template = Programme.objects.for_occasion(occasion).first()
        assert template.occasion == occasion
        steps = list(template.steps.all())
        assert len(steps) >= 5
        assert running_order_errors(steps, limit_minutes=template.duration_minutes) == []
    assert Programme.objects.get(occasion=Occasion.ADMISSION).steps.filter(activity__contains="tuyên thệ").exists()
    confirmed = Booking.objects.filter(is_sample=True, status="confirmed").first()
    assert confirmed.steps.exists()
    demo.seed(io.StringIO())  # twice: nothing doubles
    assert ProgrammeStep.objects.filter(programme__occasion=Occasion.ADMISSION).count() == len(
        demo.OCCASION_PROGRAMMES[2][5]
    )
