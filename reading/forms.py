"""Readers' forms: allauth's sign-up, sign-in and password forms in the site's words, the profile,
and the reading or copy request."""

from __future__ import annotations

import datetime

from allauth.account.forms import LoginForm, ResetPasswordForm, ResetPasswordKeyForm, SignupForm
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from archive.models import Body
from reading.models import ReaderProfile, ReadingRequest

MISMATCH = _("Hai lần nhập mật khẩu không giống nhau. Xin nhập lại cho khớp.")
LABELS = {
    "email": _("Thư điện tử"),
    "login": _("Thư điện tử"),
    "password": _("Mật khẩu"),
    "password1": _("Mật khẩu"),
    "password2": _("Nhập lại mật khẩu"),
    "remember": _("Ghi nhớ đăng nhập trên máy này"),
}


class SiteWordsMixin:
    """allauth's fields labelled in this project's words; its one fixed message (two passwords that
    differ) restated. allauth has no Vietnamese catalogue, so its own words would stay English."""

    field_labels: dict = LABELS

    def relabel(self) -> None:
        for name, field in self.fields.items():
            if name in self.field_labels:
                field.label = self.field_labels[name]
                field.help_text = ""
                field.widget.attrs.pop("placeholder", None)

    def add_error(self, field, error):
        if field == "password2" and isinstance(error, str | Promise):
            error = MISMATCH
        super().add_error(field, error)


def profile_bodies():
    """The bodies a reader may belong to: today's subordinate committees, agencies and boards."""
    kinds = [Body.Kind.SUBORDINATE, Body.Kind.AGENCY, Body.Kind.BOARD, Body.Kind.BLOC]
    # Only bodies a public page may name: an agency known only from hidden items stays unknown.
    return Body.objects.public().filter(kind__in=kinds, dissolved_on__isnull=True).order_by("name")


class ProfileFieldsMixin(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    body = forms.ModelChoiceField(
        label=_("Tổ chức đảng, cơ quan"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("— Không thuộc tổ chức nào trong danh sách —"),
        help_text=_("Đảng ủy trực thuộc hoặc cơ quan trong Đảng bộ Khối."),
    )
    institution = forms.CharField(
        label=_("Cơ quan, trường, viện khác"),
        max_length=255,
        required=False,
        help_text=_("Nơi công tác hoặc học tập, nếu không thuộc tổ chức nào trong danh sách."),
    )
    purpose = forms.CharField(
        label=_("Mục đích sử dụng tư liệu"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ví dụ: nghiên cứu lịch sử Đảng bộ Khối, viết luận văn, sinh hoạt chi bộ."),
    )

    def setup_profile_fields(self) -> None:
        self.fields["body"].queryset = profile_bodies()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("body") and not (cleaned.get("institution") or "").strip():
            self.add_error("institution", _("Xin chọn tổ chức đảng, cơ quan hoặc ghi nơi công tác, học tập."))
        return cleaned


class ReaderSignupForm(SiteWordsMixin, ProfileFieldsMixin, SignupForm):
    """allauth's sign-up (email, two passwords) with the profile: name, body or institution, purpose."""

    field_order = ["email", "password1", "password2", "full_name", "body", "institution", "purpose"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_profile_fields()
        self.relabel()
        self.fields["password1"].help_text = _("Ít nhất 10 ký tự, không toàn chữ số, không quá dễ đoán.")

    def save(self, request):
        from reading.services import profile_create

        user = super().save(request)
        profile_create(
            user=user,
            full_name=self.cleaned_data["full_name"],
            body=self.cleaned_data.get("body"),
            institution=self.cleaned_data.get("institution", ""),
            purpose=self.cleaned_data["purpose"],
        )
        return user


class ReaderLoginForm(SiteWordsMixin, LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relabel()


class ReaderResetPasswordForm(SiteWordsMixin, ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relabel()


class ReaderResetPasswordKeyForm(SiteWordsMixin, ResetPasswordKeyForm):
    field_labels = {**LABELS, "password1": _("Mật khẩu mới"), "password2": _("Nhập lại mật khẩu mới")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relabel()


class ProfileForm(ProfileFieldsMixin, forms.ModelForm):
    """What a reader may change of their profile; the standing is staff's to confirm."""

    class Meta:
        model = ReaderProfile
        fields = ["full_name", "body", "institution", "purpose"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_profile_fields()


def end_date_errors(value: datetime.date | None, *, today: datetime.date | None = None) -> str:
    """Why ``value`` cannot end a reading: in the past, or beyond the longest reading; "" if it can."""
    if value is None:
        return ""
    today = today or timezone.localdate()
    if value < today:
        return str(_("Ngày kết thúc đã qua. Xin chọn một ngày từ hôm nay trở đi (dd/mm/yyyy)."))
    if value > today + datetime.timedelta(days=settings.READING_MAX_DAYS):
        return str(_("Ngày kết thúc quá xa: thời hạn sử dụng dài nhất là %(days)s ngày.")) % {
            "days": settings.READING_MAX_DAYS
        }
    return ""


class ReadingRequestForm(forms.Form):
    """What a reader asks: which item (its inventory number), to read or for a copy, why, until when."""

    inventory_number = forms.CharField(
        label=_("Số đăng ký của tư liệu"),
        max_length=20,
        help_text=_("Ví dụ TL-2024-00042, in trên trang tư liệu hoặc trong mục lục."),
    )
    kind = forms.ChoiceField(label=_("Yêu cầu"), choices=ReadingRequest.Kind.choices, widget=forms.RadioSelect)
    purpose = forms.CharField(
        label=_("Mục đích"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Đề tài nghiên cứu, công việc hoặc lý do cần đọc, sao tư liệu."),
    )
    wanted_until = forms.DateField(
        label=_("Cần sử dụng đến ngày"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Không bắt buộc; Ban Tuyên giáo quyết định thời hạn khi duyệt."),
        error_messages={"invalid": _("Ngày không hợp lệ. Xin nhập theo dạng dd/mm/yyyy.")},
    )

    def clean_inventory_number(self) -> str:
        return self.cleaned_data["inventory_number"].strip().upper()

    def clean_wanted_until(self):
        value = self.cleaned_data.get("wanted_until")
        problem = end_date_errors(value)
        if problem:
            raise forms.ValidationError(problem, code="end_date")
        return value


class DecisionForm(forms.ModelForm):
    """Staff's decision on a pending request in the admin: approve with an end date, or refuse with a reason."""

    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[
            ("", "—"),
            ("approve", pgettext_lazy("decision", "Duyệt")),
            ("refuse", pgettext_lazy("decision", "Từ chối")),
        ],
        required=False,
    )

    class Meta:
        model = ReadingRequest
        fields = ["until", "refusal_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "until" in self.fields and self.instance.pk and not self.instance.until:
            default = timezone.localdate() + datetime.timedelta(days=settings.READING_DEFAULT_DAYS)
            self.fields["until"].initial = self.instance.wanted_until or default

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == "approve":
            until = cleaned.get("until")
            if until is None:
                self.add_error("until", _("Xin nhập ngày kết thúc thời hạn sử dụng (dd/mm/yyyy)."))
            elif problem := end_date_errors(until):
                self.add_error("until", problem)
        elif decision == "refuse" and not (cleaned.get("refusal_reason") or "").strip():
            self.add_error("refusal_reason", _("Xin ghi lý do từ chối để báo cho người yêu cầu."))
        return cleaned
