"""The public contribution form (Đóng góp tư liệu)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from archive.models import Body, Contribution
from archive.models.contributions import ContributionLimits
from archive.personal_data import contribution_consent_label, contribution_purpose


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(part, initial) for part in data if part]
        return [single(data, initial)] if data else []


class ContributionForm(forms.ModelForm):
    """The offer as a visitor fills it in; the model's own rules (a way to reply, who offers) run here too."""

    contributor_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        error_messages={"required": _("Họ và tên: hãy nhập họ và tên người đóng góp.")},
    )
    body = forms.ModelChoiceField(
        label=_("Tổ chức đảng"),
        queryset=Body.objects.public().order_by("name"),
        required=False,
        empty_label=_("— Chọn trong danh sách —"),
        error_messages={"invalid_choice": _("Tổ chức đảng: hãy chọn một tổ chức trong danh sách.")},
    )
    organisation = forms.CharField(
        label=_("Hoặc gõ tên cơ quan, đơn vị"),
        max_length=255,
        required=False,
        help_text=_("Nếu cơ quan, đơn vị không có trong danh sách."),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Thư điện tử: địa chỉ chưa đúng, ví dụ ten@coquan.gov.vn.")},
    )
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    description = forms.CharField(
        label=_("Mô tả tư liệu, hiện vật"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Tư liệu, hiện vật là gì, của thời kỳ nào, ai đang lưu giữ, tình trạng hiện nay."),
        error_messages={"required": _("Mô tả: hãy cho biết tư liệu, hiện vật muốn đóng góp.")},
    )
    files = MultipleFileField(
        label=_("Ảnh chụp, bản quét"),
        required=False,
    )
    consent = forms.BooleanField(
        # The label and the purpose name the Board from the institution's record (set in __init__).
        error_messages={"required": _("Đồng ý: hãy đánh dấu ô đồng ý để chúng tôi được lưu thông tin và liên hệ.")},
    )

    # A honeypot: hidden from people, filled in by robots that fill in every field.
    website = forms.CharField(label=_("Để trống ô này"), required=False)

    class Meta:
        model = Contribution
        fields = ["contributor_name", "body", "organisation", "email", "phone", "description", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = contribution_consent_label()
        self.fields["consent"].help_text = contribution_purpose()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        limits = ContributionLimits.current()
        self.fields["files"].help_text = _(
            "Tối đa %(count)d tệp, tổng cộng %(size)d MB: ảnh (JPEG, PNG, WebP), PDF, video hoặc âm thanh."
        ) % {"count": limits.files, "size": limits.submission_mb}

    def clean_files(self):
        """The number of files, told before anything is read (the service holds the rule for every caller)."""
        files = self.cleaned_data.get("files") or []
        max_files = ContributionLimits.current().files
        if len(files) > max_files:
            raise forms.ValidationError(
                _("Tệp đính kèm: chỉ gửi tối đa %(count)d tệp mỗi lần; hãy bớt tệp rồi gửi lại."),
                params={"count": max_files},
            )
        return files

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(
                _("Không gửi được: biểu mẫu có dấu hiệu được điền tự động. Xin tải lại trang và điền lại."),
                code="honeypot",
            )
        return ""
