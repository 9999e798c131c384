"""Admin forms of the archive: the item form with its one "Ngày tháng" field, media uploads, periods."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from archive.docnumbers import parse_document_number, suggest_document_type
from archive.models import Item, MediaFile, Period
from archive.partial_dates import parse_partial_date
from archive.secrecy import classified_file_error

# Model fields that hold the date; their errors are shown on the form's "Ngày tháng" field.
DATE_MODEL_FIELDS = ("date_start", "date_end", "date_precision", "date_circa")
DATE_FIELD = "date_text"


class ItemAdminForm(forms.ModelForm):
    """The cataloguer's item form: dates typed as people write them, number and symbol checked."""

    date_text = forms.CharField(
        label=_("Ngày tháng"),
        required=False,
        max_length=60,
        help_text=_(
            'Ví dụ: "12/04/2007", "tháng 4/2007", "2007", "thập niên 1950", "khoảng 1950". '
            "Để trống thời kỳ thì hệ thống gợi ý theo ngày tháng."
        ),
    )

    class Meta:
        model = Item
        fields = [
            field.name
            for field in Item._meta.get_fields()
            if getattr(field, "editable", False)
            and not field.auto_created
            and field.name not in (*DATE_MODEL_FIELDS, "status", "id")
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk or self.instance.date_start:
            self.fields[DATE_FIELD].initial = self.instance.date_display
        if not self.instance.pk and "reliability" in self.fields:
            # A new item's reliability is the cataloguer's choice, never the model's default: the
            # list starts blank and a choice is required.
            field = self.fields["reliability"]
            field.choices = [("", "---------"), *[choice for choice in field.choices if choice[0]]]
            self.initial["reliability"] = ""
        self.partial_date = None

    def clean_number_symbol(self) -> str:
        value = (self.cleaned_data.get("number_symbol") or "").strip()
        if not value:
            return ""
        return str(parse_document_number(value))  # raises the Vietnamese message

    def clean_date_text(self) -> str:
        value = (self.cleaned_data.get(DATE_FIELD) or "").strip()
        self.partial_date = parse_partial_date(value) if value else None
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        number_symbol = cleaned.get("number_symbol")
        if number_symbol and not cleaned.get("document_type"):
            suggestion = suggest_document_type(number_symbol)
            if suggestion:
                cleaned["document_type"] = suggestion
        if DATE_FIELD not in self.errors:
            self.instance.set_partial_date(self.partial_date)
            if self.partial_date is not None and not cleaned.get("period") and "period" in self.fields:
                candidates = Period.objects.for_date(self.partial_date)
                if candidates:
                    cleaned["period"] = candidates[0]
        return cleaned

    def _update_errors(self, errors: ValidationError) -> None:
        # Item.clean() reports date problems on date_start; the form shows them on "Ngày tháng".
        if hasattr(errors, "error_dict"):
            moved = []
            for name in DATE_MODEL_FIELDS:
                moved.extend(errors.error_dict.pop(name, []))
            if moved:
                errors.error_dict.setdefault(DATE_FIELD, []).extend(moved)
            for name in list(errors.error_dict):
                if name != NON_FIELD_ERRORS and name not in self.fields:
                    errors.error_dict.setdefault(NON_FIELD_ERRORS, []).extend(errors.error_dict.pop(name))
        super()._update_errors(errors)


class MediaFileInlineForm(forms.ModelForm):
    """An uploaded file, checked by its content (archive.media) before anything is stored."""

    class Meta:
        model = MediaFile
        fields = ["file", "caption", "alt_text", "position", "is_primary"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.inspection = None

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data and hasattr(uploaded, "content_type"):
            from archive.media import inspect_upload

            self.inspection = inspect_upload(uploaded, field_label=str(_("Tệp")))
        return uploaded

    def save(self, commit: bool = True) -> MediaFile:
        if self.inspection is not None:
            from archive.media import prepare_media_file

            prepare_media_file(self.instance, self.cleaned_data["file"], self.inspection)
        return super().save(commit=commit)


class MediaFileInlineFormSet(forms.BaseInlineFormSet):
    """At most one primary file per item (the first file becomes primary if none is chosen)."""

    def clean(self) -> None:
        super().clean()
        primaries = 0
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            if form.cleaned_data.get("is_primary"):
                primaries += 1
        if primaries > 1:
            raise ValidationError(
                _("Tệp chính: chỉ đánh dấu một tệp là tệp chính (đang chọn %(count)d tệp); bỏ chọn các tệp còn lại."),
                code="primary",
                params={"count": primaries},
            )
        # The item as this same request would save it: classified here, it takes no new file.
        uploads = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("file")
            and "file" in form.changed_data
        ]
        if uploads:
            error = classified_file_error(
                confidentiality=self.instance.confidentiality,
                level_label=self.instance.get_confidentiality_display(),
            )
            if error is not None:
                raise error


class PeriodChoiceForm(forms.Form):
    """The intermediate page of the "set period" action."""

    period = forms.ModelChoiceField(
        label=_("Thời kỳ"),
        queryset=Period.objects.with_spans(),
        empty_label=None,
        help_text=_("Các tư liệu đã chọn sẽ được gán vào thời kỳ này."),
    )


#: Largest spreadsheet of a batch (it is read whole): far more than the ZIP's thousand rows need.
BATCH_SHEET_MAX_BYTES = 20 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input, as Django's documentation shows ("Uploading multiple files")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class BatchIngestForm(forms.Form):
    """A batch's two files: the item spreadsheet with its files column, and the ZIP of scans."""

    sheet = forms.FileField(
        label=_("Bảng tính tư liệu"),
        help_text=_("Tệp Excel (.xlsx) hoặc CSV theo mẫu nhập lô: mỗi tư liệu một dòng, cột “Tệp số hóa” ghi tên tệp."),
    )
    archive = forms.FileField(
        label=_("Tệp ZIP chứa các tệp số hóa"),
        required=False,
        help_text=_("Ảnh quét, ảnh chụp, PDF, video, âm thanh nén chung trong một tệp ZIP."),
    )
    files = MultipleFileField(
        label=_("Hoặc chọn nhiều tệp cùng lúc"),
        required=False,
        help_text=_("Thay cho tệp ZIP: chọn tất cả các tệp số hóa của lô (giữ phím Ctrl hoặc Shift khi chọn)."),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("archive")) == bool(cleaned.get("files")):
            raise ValidationError(
                _("Hãy chọn một tệp ZIP hoặc chọn nhiều tệp cùng lúc (một trong hai cách, không cả hai)."),
                code="archive_or_files",
            )
        return cleaned

    def clean_sheet(self):
        sheet = self.cleaned_data["sheet"]
        if not str(sheet.name).lower().endswith((".xlsx", ".csv")):
            raise ValidationError(
                _(
                    "Bảng tính “%(name)s” không phải tệp .xlsx hay .csv. "
                    "Hãy lưu bảng tính thành Excel (.xlsx) rồi tải lại."
                ),
                code="sheet_type",
                params={"name": sheet.name},
            )
        if sheet.size > BATCH_SHEET_MAX_BYTES:
            raise ValidationError(
                _("Bảng tính “%(name)s” quá lớn (tối đa 20 MB). Hãy chia thành nhiều lô."),
                code="sheet_size",
                params={"name": sheet.name},
            )
        return sheet


class OfflineTransferForm(forms.Form):
    """The confirmation page of "classify: export the files for the offline system and remove them"."""

    confidentiality = forms.ChoiceField(label=_("Độ mật"), choices=[c for c in Item.Confidentiality.choices if c[0]])
    secret_custody = forms.CharField(
        label=_("Nơi lưu giữ bản gốc"),
        max_length=300,
        help_text=_("Nơi giữ bản gốc và bản số hóa trên hệ thống ngoại tuyến."),
    )
    secret_access = forms.CharField(
        label=_("Người được tiếp cận"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        label=_(
            "Tôi xác nhận: các tệp sẽ được đóng gói để chuyển sang hệ thống ngoại tuyến, rồi gỡ khỏi hệ thống này."
        ),
    )
