"""Admin forms of the archive: the item form with its one "Ngày tháng" field, media uploads, periods."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from archive.docnumbers import parse_document_number, suggest_document_type
from archive.models import Item, MediaFile, Period
from archive.partial_dates import parse_partial_date

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


class PeriodChoiceForm(forms.Form):
    """The intermediate page of the "set period" action."""

    period = forms.ModelChoiceField(
        label=_("Thời kỳ"),
        queryset=Period.objects.with_spans(),
        empty_label=None,
        help_text=_("Các tư liệu đã chọn sẽ được gán vào thời kỳ này."),
    )
