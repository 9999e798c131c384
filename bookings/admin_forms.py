"""Staff's booking forms in the admin: a request taken by telephone, a visit moved to another slot.

Both only gather and tidy what staff typed; the slot is counted by the service, under the
venue's lock, exactly as for the public form's requests.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from archive.models import Body
from bookings.availability import SLOT_FULL_CODE
from bookings.forms import OrganisationChoiceField, ProgrammeChoiceField, bookable_venues, normalise_phone
from bookings.models import Occasion, Programme, Service, VenueSchedule
from bookings.personal_data import booking_purpose

# Where a service's refusal belongs on these forms, by its code; any other refusal of the slot
# (closed day, outside the notice or horizon, not a slot, full) goes on the start time.
REFUSAL_FIELDS = {
    "group_too_large": "group_size",
    "programme_too_long": "programme",
    "venue_closed": "venue",
    "bad_transition": None,
    "stale": None,
}


def refusal_field(error: ValidationError, fields) -> str | None:
    """The form field a service's unkeyed refusal is about (None: the form as a whole)."""
    code = getattr(error, "code", None)
    field = REFUSAL_FIELDS.get(code, "start_time") if code != SLOT_FULL_CODE else "start_time"
    return field if field in fields else None


def slot_start_choices(schedules) -> list[tuple[str, str]]:
    """The start times of the schedules' slots over a week, each with its end where all agree."""
    monday = datetime.date(2024, 1, 1)
    ends: dict[datetime.time, set[datetime.time]] = {}
    for schedule in schedules:
        for offset in range(7):
            for start, end in schedule.slot_times(monday + datetime.timedelta(days=offset)):
                ends.setdefault(start, set()).add(end)
    return [
        (f"{start:%H:%M}", f"{start:%H:%M}–{min(ends[start]):%H:%M}" if len(ends[start]) == 1 else f"{start:%H:%M}")
        for start in sorted(ends)
    ]


def _date_field() -> forms.DateField:
    # The admin's own date box: dd/mm/yyyy whatever the browser's language, with its calendar.
    return forms.DateField(
        label=_("Ngày tham quan"),
        widget=AdminDateWidget(),
        error_messages={
            "required": _("Hãy chọn ngày tham quan."),
            "invalid": _("Ngày chưa đúng: nhập theo dạng dd/mm/yyyy, ví dụ 15/03/2027."),
        },
    )


def _start_time_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Khung giờ"),
        coerce=lambda value: datetime.datetime.strptime(value, "%H:%M").time(),
        error_messages={
            "required": _("Hãy chọn khung giờ."),
            "invalid_choice": _("Hãy chọn một khung giờ trong danh sách."),
        },
    )


class TelephoneBookingForm(forms.Form):
    """A request a committee made by telephone, as a staff member enters it."""

    venue = forms.ModelChoiceField(
        label=_("Địa điểm"),
        queryset=bookable_venues(),
        empty_label=None,
        error_messages={"required": _("Hãy chọn địa điểm tham quan.")},
    )
    date = _date_field()
    start_time = _start_time_field()
    group_size = forms.IntegerField(
        label=_("Số người"),
        min_value=1,
        error_messages={"required": _("Hãy nhập số người của đoàn."), "min_value": _("Số người phải ít nhất là 1.")},
    )
    organisation = OrganisationChoiceField(
        label=_("Đơn vị (tổ chức đảng)"),
        queryset=Body.objects.filter(kind__in=[Body.Kind.SUBORDINATE, Body.Kind.BOARD], dissolved_on__isnull=True),
        required=False,
        empty_label=_("— Chọn đơn vị trong danh sách —"),
    )
    organisation_name = forms.CharField(
        label=_("Hoặc nhập tên đơn vị"),
        max_length=255,
        required=False,
        help_text=_("Nếu đơn vị không có trong danh sách."),
    )
    contact_name = forms.CharField(
        label=_("Người liên hệ"), max_length=120, error_messages={"required": _("Hãy nhập tên người liên hệ.")}
    )
    contact_position = forms.CharField(
        label=_("Chức vụ"), max_length=120, error_messages={"required": _("Hãy nhập chức vụ của người liên hệ.")}
    )
    phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
        error_messages={"required": _("Hãy nhập số điện thoại của người liên hệ.")},
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        help_text=_("Không bắt buộc. Khi có địa chỉ, đơn vị nhận thư xác nhận kèm tệp lịch (.ics)."),
        error_messages={"invalid": _("Địa chỉ thư điện tử chưa đúng, ví dụ: vanphong@dangbo.vn.")},
    )
    language = forms.ChoiceField(
        label=_("Ngôn ngữ thư"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE, required=False
    )
    occasion = forms.ChoiceField(
        label=_("Dịp tham quan"),
        choices=Occasion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn dịp tham quan.")},
    )
    programme = ProgrammeChoiceField(
        label=_("Chương trình tham quan"),
        queryset=Programme.objects.filter(is_active=True),
        required=False,
        empty_label=_("— Để Ban Tuyên giáo đề xuất —"),
    )
    services = forms.MultipleChoiceField(
        label=_("Dịch vụ đề nghị"), choices=Service.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    consent = forms.BooleanField(
        label=_("Người liên hệ đã được đọc mục đích và đồng ý cho xử lý dữ liệu cá nhân qua điện thoại"),
        error_messages={"required": _("Cần người liên hệ đồng ý cho xử lý dữ liệu cá nhân thì mới ghi được đăng ký.")},
    )
    confirm = forms.BooleanField(
        label=_("Xác nhận ngay"),
        required=False,
        help_text=_("Đăng ký được xác nhận ngay sau khi ghi (khung giờ được đếm lại như khi xác nhận)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schedules = VenueSchedule.objects.filter(venue__in=bookable_venues()).prefetch_related("opening_hours")
        self.fields["start_time"].choices = [("", "—"), *slot_start_choices(schedules)]
        self.fields["consent"].help_text = booking_purpose()

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organisation") and not (cleaned.get("organisation_name") or "").strip():
            self.add_error("organisation_name", _("Hãy chọn đơn vị trong danh sách hoặc nhập tên đơn vị."))
        return cleaned


class MoveBookingForm(forms.Form):
    """Another day and start time for a visit, at its venue."""

    date = _date_field()
    start_time = _start_time_field()

    def __init__(self, *args, schedule: VenueSchedule | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].label = _("Ngày mới")
        self.fields["start_time"].label = _("Khung giờ mới")
        self.fields["start_time"].choices = [("", "—"), *slot_start_choices([schedule] if schedule else [])]
