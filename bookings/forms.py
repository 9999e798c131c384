"""The public booking form and the booker's forms on the secret link."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive.models import Body, Venue
from bookings.availability import slot_end
from bookings.models import Booking, Occasion, Programme, Service, VenueSchedule, running_order_errors
from bookings.personal_data import booking_consent_label, booking_purpose, waiting_consent_label
from bookings.services import booking_change_check, changeable_values

PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
# Mobile numbers: 10 digits from 03, 05, 07, 08, 09; landlines: 11 digits from 02 (area code + number).
PHONE_PATTERN = re.compile(r"^(0[35789]\d{8}|02\d{9})$")


def normalise_phone(value: str) -> str:
    """A Vietnamese phone number as `0912345678`, from `+84 912 345 678`, `0912.345.678`, `(024) 3823 1234`..."""
    digits = PHONE_SEPARATORS.sub("", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not PHONE_PATTERN.match(digits):
        raise ValidationError(
            _(
                "Số điện thoại chưa đúng: nhập số di động 10 chữ số (ví dụ 0912 345 678 hoặc +84 912 345 678)"
                " hoặc số cố định có mã vùng (ví dụ 024 3823 1234)."
            ),
            code="phone",
        )
    return digits


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Body) -> str:
        return obj.display_name


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Programme) -> str:
        return _("%(name)s (%(minutes)d phút)") % {"name": obj.display_name, "minutes": obj.duration_minutes}


class VenueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Venue) -> str:
        return obj.display_name


def bookable_venues():
    return Venue.objects.filter(booking_schedule__is_open_for_booking=True).order_by("ordering", "name")


class BookingForm(forms.Form):
    """A committee's visit request. The slot is re-checked against capacity by the service, under a lock."""

    venue = VenueChoiceField(
        label=_("Địa điểm"),
        queryset=Venue.objects.none(),
        to_field_name="code",
        empty_label=None,
        error_messages={"required": _("Hãy chọn địa điểm tham quan.")},
    )
    slot = forms.CharField(
        label=_("Ngày và khung giờ"),
        error_messages={"required": _("Hãy chọn một khung giờ còn chỗ trên lịch.")},
    )
    organisation = OrganisationChoiceField(
        label=_("Đơn vị (tổ chức đảng)"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("— Chọn đơn vị trong danh sách —"),
    )
    organisation_name = forms.CharField(
        label=_("Hoặc nhập tên đơn vị"),
        max_length=255,
        required=False,
        help_text=_("Nếu đơn vị không có trong danh sách."),
    )
    contact_name = forms.CharField(label=_("Người liên hệ"), max_length=120)
    contact_position = forms.CharField(label=_("Chức vụ"), max_length=120)
    phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        error_messages={"invalid": _("Địa chỉ thư điện tử chưa đúng, ví dụ: vanphong@dangbo.vn.")},
    )
    group_size = forms.IntegerField(
        label=_("Số người"),
        min_value=1,
        help_text=_("Lịch chỉ đưa ra các khung giờ còn đủ chỗ cho đoàn."),
        error_messages={
            "required": _("Hãy nhập số người của đoàn."),
            "min_value": _("Số người phải ít nhất là 1."),
            "invalid": _("Số người phải là một số, ví dụ 30."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    occasion = forms.ChoiceField(label=_("Dịp tham quan"), choices=Occasion.choices, widget=forms.RadioSelect)
    programme = ProgrammeChoiceField(
        label=_("Chương trình tham quan"),
        queryset=Programme.objects.none(),
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
        # The label and the purpose name the Board from the institution's record (set in __init__).
        error_messages={"required": _("Cần đồng ý cho xử lý dữ liệu cá nhân thì mới gửi được đăng ký.")},
    )
    # Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(label=_("Để trống ô này"), required=False)

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["venue"].queryset = bookable_venues()
        self.fields["organisation"].queryset = Body.objects.filter(
            kind__in=[Body.Kind.SUBORDINATE, Body.Kind.BOARD], dissolved_on__isnull=True
        ).order_by("kind", "name")
        self.fields["programme"].queryset = Programme.objects.filter(is_active=True)
        self.fields["consent"].label = booking_consent_label()
        self.fields["consent"].help_text = booking_purpose()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.schedule: VenueSchedule | None = None
        self.slot_date: datetime.date | None = None
        self.slot_start: datetime.time | None = None

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(
                _("Không gửi được đăng ký: biểu mẫu có dấu hiệu được điền tự động. Xin tải lại trang và điền lại."),
                code="honeypot",
            )
        return ""

    def clean_slot(self) -> str:
        value = self.cleaned_data["slot"]
        try:
            parsed = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M")
        except ValueError:
            raise ValidationError(_("Khung giờ không hợp lệ. Hãy chọn một khung giờ trên lịch."), code="slot") from None
        self.slot_date, self.slot_start = parsed.date(), parsed.time()
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organisation") and not (cleaned.get("organisation_name") or "").strip():
            self.add_error("organisation_name", _("Hãy chọn đơn vị trong danh sách hoặc nhập tên đơn vị của mình."))
        venue = cleaned.get("venue")
        if venue is None:
            if "venue" not in self.errors:
                self.add_error(None, _("Hãy chọn địa điểm tham quan."))
            return cleaned
        self.schedule = VenueSchedule.objects.select_related("venue").prefetch_related("opening_hours").get(venue=venue)
        if self.slot_date is not None:
            try:
                slot_end(self.schedule, self.slot_date, self.slot_start, today=self.today)
            except ValidationError as error:
                self.add_error("slot", error)
        size = cleaned.get("group_size")
        if size and size > self.schedule.max_group_size:
            self.add_error(
                "group_size",
                _("Mỗi đoàn tối đa %(max)s người; đoàn đông hơn xin chia thành nhiều khung giờ.")
                % {"max": self.schedule.max_group_size},
            )
        programme = cleaned.get("programme")
        if programme and programme.duration_minutes > self.schedule.slot_minutes:
            self.add_error(
                "programme",
                _("Chương trình này dài hơn một khung giờ (%(minutes)s phút). Xin chọn chương trình khác.")
                % {"minutes": self.schedule.slot_minutes},
            )
        return cleaned


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do hủy (không bắt buộc)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NewDateForm(forms.Form):
    message = forms.CharField(
        label=_("Ngày, giờ đơn vị muốn đổi sang"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy ghi ngày, giờ đơn vị muốn đổi sang.")},
    )


class RejectForm(forms.Form):
    """Staff's reason for rejecting the selected bookings (admin action)."""

    reason = forms.CharField(
        label=_("Lý do từ chối"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": _("Hãy ghi lý do từ chối để báo cho đơn vị.")},
    )


class StaffCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do hủy"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": _("Hãy ghi lý do hủy để báo cho đơn vị.")},
    )


class GuideChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        # A Vietnamese name reads family and middle names (last_name) before the given name.
        return " ".join(part for part in (user.last_name, user.first_name) if part) or user.get_username()


def guide_choices():
    """Who may guide a visit: active staff who handle bookings (the Propaganda Board, by its role),
    through a group or their own permission; not those who may only look (the Office, leadership)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    handles = Q(groups__permissions__codename="change_booking", groups__permissions__content_type__app_label="bookings")
    handles |= Q(user_permissions__codename="change_booking", user_permissions__content_type__app_label="bookings")
    users = get_user_model().objects.filter(handles, is_active=True, is_staff=True).distinct()
    # Vietnamese lists sort by the given name, then the family and middle names.
    return users.order_by("first_name", "last_name", "username")


class BookingAdminForm(forms.ModelForm):
    """Staff's change form of a booking (and its history's revert form).

    What the form would save is checked against the slot by `booking_change_check`, which
    locks the venue's schedule and the booking while the form is validated. BookingAdmin runs
    the whole view in one transaction, so the locks last until its save_model has saved
    through `booking_change`: no other request can take the places in between.
    """

    services = forms.MultipleChoiceField(
        label=_("Dịch vụ đề nghị"), choices=Service.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    guide = GuideChoiceField(label=_("Cán bộ hướng dẫn"), queryset=guide_choices(), required=False)

    class Meta:
        model = Booking
        # What BookingAdmin's fieldsets leave editable; the status is read-only there. Another venue,
        # day or start time moves the visit through the same check and locks as a new request.
        fields = [
            "venue",
            "date",
            "start_time",
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
            "guide",
            "staff_notes",
            "actual_visitors",
            "films_shown",
            "leaflets_handed_out",
            "outcome_notes",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or self.errors:
            return cleaned
        # The instance's fields (on a revert, the old version's), with what staff entered.
        values = changeable_values(self.instance) | {name: cleaned[name] for name in self.fields if name in cleaned}
        try:
            booking_change_check(booking=self.instance, **values)
        except ValidationError as error:
            # Refusals keyed by a field the form does not show (the slot) go on top of the form.
            for field, messages in error.update_error_dict({}).items():
                self.add_error(field if field in self.fields else None, messages)
        return cleaned


class WaitingForm(BookingForm):
    """A committee's request to wait for a full slot: who, how many, why; the slot comes from the link."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("programme", "services", "notes"):
            del self.fields[name]
        self.fields["venue"].widget = forms.HiddenInput()
        self.fields["group_size"].help_text = ""
        self.fields["slot"].widget = forms.HiddenInput()
        self.fields["consent"].label = waiting_consent_label()


class RunningOrderFormSet(forms.BaseInlineFormSet):
    """The steps of a running order (a template's or a visit's): none overlaps another, none runs past the end."""

    def limit_minutes(self) -> int | None:
        parent = self.instance
        if isinstance(parent, Booking):
            return parent.slot_length_minutes if parent.start_time and parent.end_time else None
        return parent.duration_minutes or None

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        steps = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.instance.activity
        ]
        errors = running_order_errors(steps, limit_minutes=self.limit_minutes())
        if errors:
            raise ValidationError(errors, code="running_order")
